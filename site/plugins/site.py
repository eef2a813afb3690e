"""The site's own small additions to Datasette (this folder is the site's plugins directory):

- CORS on JSON and CSV (`datasette serve --cors`, set here so the configuration directory is the whole site);
- /download/: the package's files (datapackage.json, data/*.csv, seeds/, README, CITATION, CHANGELOG);
- /robots.txt that keeps crawlers off query URLs (SQL, facets, searches, JSON/CSV exports);
- in query results, exercise_id, statement_id and source_id link to their row pages.
"""
from pathlib import Path

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response, asgi_static
from markupsafe import Markup, escape

ROW_LINKS = {"exercise_id": "exercises", "statement_id": "statements", "source_id": "sources"}


def database_name(datasette):
    """The site's one database (the one key under metadata.yml's `databases:`)."""
    return next(name for name, db in datasette.databases.items() if name != "_internal" and not db.is_memory)


@hookimpl
def startup(datasette):
    datasette.cors = True


@hookimpl
def register_routes(datasette):
    routes = [(r"^/robots\.txt$", robots_txt)]
    if datasette.config_dir and (Path(datasette.config_dir) / "download").is_dir():
        root = str((Path(datasette.config_dir) / "download").resolve())
        routes.append((r"^/download/(?P<path>.*)$", asgi_static(root)))
    return routes


async def robots_txt(datasette):
    db = database_name(datasette)
    return Response.text(
        "# Table and row pages and the articles may be crawled; queries, facets, searches and exports may not.\n"
        f"User-agent: *\nDisallow: /*?\nDisallow: /{db}.json\nDisallow: /{db}.csv\nDisallow: /{db}.db\nDisallow: /-/\n")


@hookimpl
def render_cell(value, column, table, database, datasette):
    # Only in query results (canned or SQL): table pages already link their keys.
    if table is None and column in ROW_LINKS and isinstance(value, str) and value:
        url = datasette.urls.row(database, ROW_LINKS[column], tilde_encode(value))
        return Markup(f'<a href="{escape(url)}">{escape(value)}</a>')
    return None
