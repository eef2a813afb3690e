"""No script runs on this site's origin but the site's own (issue: a query can hand
datasette-cluster-map a `javascript:` link for its popup). Every response carries a
Content-Security-Policy whose script-src is the site's own files ('self': Datasette's, the plugins' and
/static/) and the SHA-256 of each inline script that Datasette's templates and the installed plugins
write; nothing else, so an injected inline script, an event handler attribute or a `javascript:` URL
does not run.

The hashes are computed at startup from the sources of those scripts: Datasette's template partials
and every plugin's extra_body_script for this site's tables and for a query with a map. A plugin or a
Datasette upgrade that writes another inline script shows up as a refused script (the browser tests
fail on it).

Nor does any script evaluate strings as code ('unsafe-eval' is not allowed): a plugin that needs it
(datasette-vega does) is not installed (requirements/build.in); the site's timeline, /timeline, draws
its chart without it."""

import base64
import hashlib
import re

from datasette import hookimpl
from datasette.plugins import pm
from datasette.utils import await_me_maybe
from markupsafe import Markup

# Datasette 0.65's inline scripts in its templates: these partials, and table.html's one line.
TEMPLATE_PARTIALS = ("_close_open_menus.html", "_codemirror_foot.html")
TABLE_SCRIPT = "DATASETTE_ALLOW_FACET = {};"
INLINE = re.compile(r"<script>(.*?)</script>", re.S)
# A query with a map (datasette-cluster-map detects these columns) gets its page's body script too.
QUERY_COLUMNS = ["latitude", "longitude", "popup"]
POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https://*.tile.openstreetmap.org; connect-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": None,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
}


def digest(script):
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


async def inline_scripts(datasette):
    env = datasette.jinja_env
    scripts = [s for name in TEMPLATE_PARTIALS for s in INLINE.findall(env.loader.get_source(env, name)[0])]
    scripts += [TABLE_SCRIPT.format(v) for v in ("true", "false")]
    pages = [
        (view, db.name, table, await db.table_columns(table))
        for view in ("table", "row")
        for db in datasette.databases.values()
        if db.name != "_internal"
        for table in await db.table_names()
    ]
    pages += [
        (view, name, None, QUERY_COLUMNS)
        for view in ("index", "database", "query")
        for name in datasette.databases
        if name != "_internal"
    ]
    for view_name, database, table, columns in pages:
        for script in pm.hook.extra_body_script(
            template=f"{view_name}.html",
            database=database,
            table=table,
            columns=columns,
            view_name=view_name,
            request=None,
            datasette=datasette,
        ):
            script = await await_me_maybe(script)
            if script is not None:  # rendered as Datasette renders it: str(Markup(...)), even "[]"
                scripts.append(str(Markup(script["script"] if isinstance(script, dict) else script)))
    return sorted(set(scripts))


@hookimpl
def startup(datasette):
    async def inner():
        hashes = " ".join(digest(s) for s in await inline_scripts(datasette))
        datasette._site_headers = [
            (k.encode(), (v or POLICY.format(hashes=hashes)).encode()) for k, v in HEADERS.items()
        ]

    return inner


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_policy(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)

            async def send_with_policy(message):
                if message["type"] == "http.response.start":
                    names = {k.lower() for k, _ in message.get("headers", [])}
                    extra = [(k, v) for k, v in getattr(datasette, "_site_headers", []) if k not in names]
                    message = dict(message, headers=list(message.get("headers", [])) + extra)
                await send(message)

            return await app(scope, receive, send_with_policy)

        return with_policy

    return wrap
