"""Search everything from one box: /-/search?q=… (and /-/search.json) over the build's one full-text index,
search_fts (scripts/site/search.py): exercises, participants, people, statements, reactions, the
articles' titles and every sentence of every article. Results are grouped by kind, each linking to its
row or to its sentence in the article. One bounded query per request: the words of q (at most
MAX_WORDS) must all occur; of the best CAP matches, each kind shows its best PER_KIND (a kind alone: up to
PER_KIND_ALONE), and counts are "at least" when the cap is reached.
It answers /-/search and /-/search.json."""

import re

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

KINDS = {
    "exercises": "Exercises",
    "participants": "Participants",
    "people": "People",
    "statements": "Statements",
    "reactions": "Reactions",
    "sources": "Articles by title",
    "articles": "Sentences of the articles",
}
MAX_WORDS, MAX_CHARS, PER_KIND, PER_KIND_ALONE = 8, 200, 10, 200
CAP = 1000  # the best matches ranked and counted: a common word costs the same at 5,000 articles as at 5
WORD = re.compile(r"[^\s\"]*\w[^\s\"]*")  # a word has a letter or digit; quotes are never part of one
# snippet() needs the full-text table itself in its query: the best CAP matches first, ranked within their
# kind, then joined back.
SQL = """
with best as (
  select rowid as id, kind, rank from search_fts where search_fts match :match and (:kind = '' or kind = :kind)
  order by rank limit :cap),
hits as (
  select id, kind, row_number() over (partition by kind order by rank) as n, count(*) over (partition by kind) as total
  from best)
select hits.kind, title, url, snippet(search_fts, 0, char(1), char(2), '…', 24) as snippet, n, total
from search_fts join hits on hits.id = search_fts.rowid
where search_fts match :match and n <= :per_kind order by hits.kind, n
"""


def fts_query(q):
    """The visitor's words as an FTS5 query: each a quoted phrase (so no FTS syntax is ever run), all required."""
    words = WORD.findall((q or "")[:MAX_CHARS])[:MAX_WORDS]
    return " ".join('"' + w + '"' for w in words)


PLAIN = {1: None, 2: None}


def highlighted(snippet):
    return Markup(str(escape(snippet)).replace("\x01", "<mark>").replace("\x02", "</mark>"))


async def search(datasette, request):
    q = request.args.get("q") or ""
    kind = request.args.get("kind") or ""
    kind = kind if kind in KINDS else ""
    match, groups = fts_query(q), []
    if match:
        db = datasette.get_database()
        rows = (
            await db.execute(
                SQL, {"match": match, "kind": kind, "cap": CAP, "per_kind": PER_KIND_ALONE if kind else PER_KIND}
            )
        ).rows
        capped = sum({r["kind"]: r["total"] for r in rows}.values()) >= CAP
        for k in KINDS:
            mine = [dict(r) for r in rows if r["kind"] == k]
            if mine:  # counted among the best CAP matches: "at least" when capped
                groups.append(
                    {"kind": k, "title": KINDS[k], "total": mine[0]["total"], "results": mine, "at_least": capped}
                )
    if request.url_vars.get("format") == "json":
        return Response.json(
            {
                "q": q,
                "kind": kind,
                "groups": [
                    {
                        **g,
                        "results": [
                            {
                                "title": r["title"],
                                "url": r["url"],
                                "snippet": r["snippet"].translate(PLAIN),
                                "snippet_html": str(highlighted(r["snippet"])),
                            }
                            for r in g["results"]
                        ],
                    }
                    for g in groups
                ],
            }
        )
    for g in groups:
        for r in g["results"]:
            r["snippet_html"] = highlighted(r["snippet"])
    context = {
        "q": q,
        "kind": kind,
        "groups": groups,
        "kinds": KINDS,
        "searched": bool(match),
        "metadata": datasette.metadata(),
    }
    return Response.html(await datasette.render_template("search.html", context, request=request))


@hookimpl
def register_routes():
    return [(r"^/-/search(?:\.(?P<format>json))?$", search)]
