"""Datasette's /-/ pages without what the public has no use for and an attacker does:

- /-/databases: each database without `path`, where it lies on the server;
- /-/threads: the threads' names and the number of tasks, without thread idents (memory addresses) or
  the tasks' descriptions (source paths of the Python installation and the plugins).
The other /-/ JSON pages (metadata, versions, plugins, settings, actor) reveal no path.
"""

from datasette import hookimpl
from datasette.views.special import JsonDataView


def databases(datasette):
    return [{k: v for k, v in d.items() if k != "path"} for d in datasette._connected_databases()]


def threads(datasette):
    full = datasette._threads()
    return {
        "num_threads": full["num_threads"],
        "threads": [t["name"] for t in full["threads"]],
        "num_tasks": full.get("num_tasks", 0),
    }


@hookimpl
def register_routes(datasette):
    # Plugin routes come before Datasette's own, so these answer instead.
    return [
        (
            r"^/-/databases(\.(?P<format>json))?$",
            JsonDataView.as_view(datasette, "databases.json", lambda: databases(datasette)),
        ),
        (
            r"^/-/threads(\.(?P<format>json))?$",
            JsonDataView.as_view(datasette, "threads.json", lambda: threads(datasette)),
        ),
    ]
