"""The site's own small additions to Datasette (loaded with --plugins-dir plugins):

- /robots.txt that keeps crawlers off query URLs (SQL, facets, searches, JSON/CSV exports);
- in query results, exercise_id, statement_id and source_id link to their row pages;
- on an exercise's row page, the numbers needed to link its evidence and sources (one click each).
"""
from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

DATABASE = "china_russia_exercises"
ROW_LINKS = {"exercise_id": "exercises", "statement_id": "statements", "source_id": "sources"}

ROBOTS_TXT = f"""\
# Table and row pages may be crawled; queries, facets, searches and exports may not.
User-agent: *
Disallow: /*?
Disallow: /{DATABASE}.json
Disallow: /{DATABASE}.csv
Disallow: /{DATABASE}.db
Disallow: /-/
"""


async def robots_txt():
    return Response.text(ROBOTS_TXT)


@hookimpl
def register_routes():
    return [(r"^/robots\.txt$", robots_txt)]


@hookimpl
def render_cell(value, column, table, database, datasette):
    # Only in query results (canned or SQL): table pages already link their keys.
    if table is None and database == DATABASE and column in ROW_LINKS and isinstance(value, str) and value:
        url = datasette.urls.row(database, ROW_LINKS[column], tilde_encode(value))
        return Markup(f'<a href="{escape(url)}">{escape(value)}</a>')
    return None


EVIDENCE_WHERE = ("(table_name = 'exercises' and record_id = :id) "
                  "or (table_name = 'participants' and record_id > :id || '/' and record_id < :id || '0')")


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    if view_name != "row" or database != DATABASE or table != "exercises" or request is None:
        return {}

    async def inner():
        pks = urlsafe_components(request.url_vars.get("pks", ""))
        if len(pks) != 1:
            return {}
        exercise_id = pks[0]
        db = datasette.get_database(database)
        params = {"id": exercise_id}
        n_evidence = (await db.execute(f"select count(*) from evidence where {EVIDENCE_WHERE}", params)).first()[0]
        sources = (await db.execute(
            f"select s.source_id, s.title, s.publisher, s.published_date, count(*) as n "
            f"from evidence e join sources s using (source_id) where {EVIDENCE_WHERE} "
            f"group by s.source_id order by s.source_id", params)).rows
        return {
            "exercise_id": exercise_id,
            "evidence_count": n_evidence,
            "evidence_url": datasette.urls.path(f"/{DATABASE}/exercise_evidence") + "?exercise_id=" + tilde_encode(exercise_id),
            "exercise_sources": [
                {"url": datasette.urls.row(database, "sources", tilde_encode(r["source_id"])),
                 "title": r["title"] or "(untitled article)", "source_id": r["source_id"],
                 "publisher": r["publisher"], "published_date": r["published_date"], "n": r["n"]}
                for r in sources],
        }

    return inner
