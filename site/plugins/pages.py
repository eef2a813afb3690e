"""Pages the build made, served as they are (no query per request): /timeline (timeline.svg: every
exercise at its dates' precision) and /codebook (the codebook generated from schema/ and checks/).
Each gets the site's metadata, for the footer's version, license and source."""

from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

PAGES = {
    "timeline": ("timeline.svg", "timeline.html", "svg"),
    "codebook": ("codebook.fragment.html", "codebook.html", "body"),
}


def _built(datasette, name):
    """A page's content, read once (the set does not change while it is served)."""
    cache = datasette.__dict__.setdefault("_built_pages", {})
    if name not in cache:
        path = Path(datasette.config_dir or ".", PAGES[name][0])
        cache[name] = Markup(path.read_text(encoding="utf-8")) if datasette.config_dir and path.is_file() else None
    return cache[name]


async def page(datasette, request):
    name = request.url_vars["page"]
    content = _built(datasette, name)
    if content is None:
        return Response.text("Not built.", status=404)
    context = {PAGES[name][2]: content, "database": datasette.get_database().name, "metadata": datasette.metadata()}
    return Response.html(await datasette.render_template(PAGES[name][1], context, request=request))


@hookimpl
def register_routes():
    return [(r"^/(?P<page>timeline|codebook)$", page)]
