"""The site's own small additions to Datasette (this folder is the site's plugins directory):

- the set it serves stays whole: at startup the server pins the set it was started on (build/site is a
  link the next build switches) and holds a shared lock on <set>/.serving, which builds respect;
- the site's style (static/reader.css) on every page;
- CORS on JSON and CSV (`datasette serve --cors`, set here so the configuration directory is the whole site);
- /download/: an index of every file with its size, SHA-256 and what it is (downloads.json, written by
  the build), and the files themselves, text with its charset; the release zip once `make release`
  has put it beside the set (<set>/release/);
- /robots.txt that keeps crawlers off query URLs (SQL, facets, searches, JSON/CSV exports);
- in query results, exercise_id, statement_id and source_id link to their row pages.
"""

import fcntl
import json
import os
from pathlib import Path

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import AsgiFileDownload, Response
from markupsafe import Markup, escape

ROW_LINKS = {"exercise_id": "exercises", "statement_id": "statements", "source_id": "sources"}
MANIFEST = "downloads.json"
RELEASES = "release"
TEXT = "; charset=utf-8"
TYPES = {
    ".txt": "text/plain" + TEXT,
    ".csv": "text/csv" + TEXT,
    ".json": "application/json" + TEXT,
    ".jsonld": "application/ld+json" + TEXT,
    ".geojson": "application/geo+json" + TEXT,
    ".md": "text/markdown" + TEXT,
    ".cff": "text/plain" + TEXT,
    ".html": "text/html" + TEXT,
    ".zip": "application/zip",
    "": "text/plain" + TEXT,
}
CACHE = {"cache-control": "max-age=300"}


def set_dir(datasette):
    return Path(datasette.config_dir) if datasette.config_dir else None


@hookimpl
def startup(datasette):
    datasette.cors = True
    if not datasette.config_dir:
        return
    # Pin the set: `datasette serve build/site` would otherwise read templates from the set it started
    # on and, once the next build switches the link, the database and downloads from another.
    pinned = Path(datasette.config_dir).resolve()
    for db in datasette.databases.values():
        if db.path and Path(db.path).parent == Path(datasette.config_dir):
            db.path = str(pinned / Path(db.path).name)
    datasette.config_dir = pinned
    try:  # held until the process ends: builds remove no set a server holds (publish/switch.py)
        datasette._serving_fd = os.open(pinned / ".serving", os.O_RDONLY)
        fcntl.flock(datasette._serving_fd, fcntl.LOCK_SH)
    except OSError:
        pass  # a read-only or older set: nothing to keep it from


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/static/reader.css")] if datasette.config_dir else []


@hookimpl
def register_routes(datasette):
    return [
        (r"^/robots\.txt$", robots_txt),
        (r"^/download$", lambda: Response.redirect("/download/")),
        (r"^/download/(?P<path>.*)$", download),
    ]


def manifest(datasette):
    """downloads.json, read once; {} for a site without one."""
    if not hasattr(datasette, "_downloads"):
        path = set_dir(datasette) / MANIFEST if set_dir(datasette) else None
        datasette._downloads = json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else {}
    return datasette._downloads


def releases(datasette):
    """The release zips `make release` put beside this set: [(name, path, sha256)] (a few files: listed per request)."""
    folder = set_dir(datasette) / RELEASES if set_dir(datasette) else None
    if not folder or not folder.is_dir():
        return []
    out = []
    for zip_path in sorted(folder.glob("*.zip")):
        sums = zip_path.with_name(zip_path.name + ".sha256")
        out.append((zip_path.name, zip_path, sums.read_text().split()[0] if sums.is_file() else None))
    return out


async def download(datasette, request):
    path = request.url_vars["path"]
    files = {f["path"]: f for f in manifest(datasette).get("files", []) if "url" not in f}
    if path in files:
        file = set_dir(datasette) / "download" / path
        return AsgiFileDownload(
            file, content_type=TYPES.get(Path(path).suffix, "application/octet-stream"), headers=dict(CACHE)
        )
    zips = {name: p for name, p, _ in releases(datasette)}
    if path in zips:
        return AsgiFileDownload(zips[path], content_type=TYPES[".zip"], headers=dict(CACHE))
    if path == "" or (path.endswith("/") and any(p.startswith(path) for p in files)):
        return await download_index(datasette, request, path)
    return Response.html(
        await datasette.render_template(
            "error.html", {"ok": False, "error": "No such file.", "status": 404, "title": None}, request=request
        ),
        status=404,
    )


async def download_index(datasette, request, folder):
    m = manifest(datasette)
    files = [f for f in m.get("files", []) if f["path"].startswith(folder)]
    groups = [
        {"name": g, "files": [f | {"url": f.get("url") or "/download/" + f["path"]} for f in files if f["group"] == g]}
        for g in m.get("groups", [])
    ]
    context = {
        "folder": folder,
        "groups": [g for g in groups if g["files"]],
        "version": m.get("version"),
        "releases": [
            {"name": n, "url": "/download/" + n, "size": p.stat().st_size, "sha256": s}
            for n, p, s in releases(datasette)
        ]
        if not folder
        else [],
        "release_name": f"{m.get('name')}-{m.get('version')}.zip",
        "metadata": datasette.metadata(),
    }
    return Response.html(await datasette.render_template("downloads.html", context, request=request))


async def robots_txt(datasette):
    db = datasette.get_database().name
    return Response.text(
        "# Table and row pages and the articles may be crawled; queries, facets, searches and exports may not.\n"
        f"User-agent: *\nDisallow: /*?\nDisallow: /{db}.json\nDisallow: /{db}.csv\nDisallow: /{db}.db\nDisallow: /-/\n"
    )


@hookimpl
def render_cell(value, column, table, database, datasette):
    # Only in query results (canned or SQL): table pages already link their keys.
    if table is None and column in ROW_LINKS and isinstance(value, str) and value:
        url = datasette.urls.row(database, ROW_LINKS[column], tilde_encode(value))
        return Markup(f'<a href="{escape(url)}">{escape(value)}</a>')
    return None
