"""What one request may cost on the public, read-only site, and turns for the expensive ones.

Caps, answered at once without running a query:
- a query string has at most QUERY_CHARS characters (414): a 60,000-digit `_next` never reaches Datasette;
- a facet asked twice is computed once (200 × `_facet=value` run one facet query), and a request asks for
  at most FACETS facets of its own (400);
- a search has at most SEARCH_TERMS terms, in raw FTS syntax too (400);
- a number Datasette reads with int() (`_size`, `_facet_size`, `_timelimit`, a view's `_next` offset) has
  at most NUMBER_DIGITS digits (400, where Datasette answers 500).

Turns: a request that can cost more than an ordinary page waits for a turn in the queue of its kind, one
request of a kind at a time:
- `sql`: arbitrary SQL (`?sql=`, `_where=`);
- `_stream`: a streamed export narrower than a whole table (a whole table is the static file the build
  wrote, /download/data/<table>.csv, served without SQL or a turn);
- `page`: a table or view page whose cost the visitor chooses: a search or a join (`_through`); facets,
  filters or a sort over more than SELECTIVE_ROWS rows; more rows than a default page; an offset into a
  view; a query string over LONG_QUERY_CHARS (each link of the page repeats it).
Turns hold at most all but one of Datasette's SQL threads, so one is always left for ordinary pages; a
request that cannot start within TURN_WAIT_S, or finds WAITING requests of its kind queued, gets 503 and
Retry-After. The rows a filter touches are estimated from sqlite_stat1 (the build runs ANALYZE): an
equality on the first column of an index touches the index's average rows per value; any other filter,
the whole table.

No response cache: the database is immutable and every page is sent with Cache-Control max-age
(default_cache_ttl); a cache in front (a CDN, when published) can hold pages without the server keeping
state that one request could fill or poison.
"""

import asyncio
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils import add_cors_headers, tilde_decode
from datasette.utils.asgi import Response

QUERY_CHARS = 20_000  # fits a 2,000-character value of the schema URL-encoded, and a long SQL query
LONG_QUERY_CHARS = 2_000  # a page's sort, facet and export links each repeat its query string
FACETS = 5  # each facet query may run facet_time_limit_ms (200 ms): five make one sql_time_limit_ms
SEARCH_TERMS = 10  # raw FTS grows with its terms: 200 OR-ed prefixes take 0.7 s over 29,000 statements
NUMBER_DIGITS = 9  # int() refuses over 4,300 digits and SQLite over 19 (Datasette answers 500)
SELECTIVE_ROWS = 1_000  # what max_returned_rows lets one page read anyway
TURN_WAIT_S = 10  # long enough for a few expensive requests before it; then 503, and Retry-After says as much
WAITING = 20  # per kind: TURN_WAIT_S of work at half a second a request; more waiting only holds memory
KINDS = ("sql", "_stream", "page")
# Query parameters that leave a streamed CSV the whole table.
WHOLE_TABLE = {"_stream", "_size", "_dl", "_nofacet", "_nocount"}
NUMBER = rf"(\d{{1,{NUMBER_DIGITS}}})?"
NUMBERS = {"_size": NUMBER + "|max", "_facet_size": NUMBER + "|max", "_timelimit": NUMBER}
FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
FTS_TOKEN = re.compile(r'"[^"]*"?|[^\s()",+]+')
# Datasette's own route for a table or view page.
TABLE_PATH = re.compile(r"/(?P<database>[^/.]+)/(?P<table>[^/.]+)(\.(?P<format>\w+))?$")


@dataclass
class Relation:
    view: bool
    rows: float = math.inf  # unknown (a view, or a table without statistics): as many as there can be
    per_value: dict = field(default_factory=dict)  # column -> average rows per value, by an index on it


def read_relations(conn):
    """Every table and view of a database, with what sqlite_stat1 says of its rows and indexes."""
    relations = {
        name: Relation(kind == "view")
        for name, kind in conn.execute("select name, type from sqlite_master where type in ('table', 'view')")
    }
    if "sqlite_stat1" not in relations:
        return relations
    for table, index, stat in conn.execute("select tbl, idx, stat from sqlite_stat1 where idx is not null"):
        numbers = [int(n) for n in stat.split() if n.isdigit()]
        first = conn.execute("select name from pragma_index_info(?) where seqno = 0", [index]).fetchone()
        if table not in relations or len(numbers) < 2 or not first:
            continue
        relation = relations[table]
        relation.rows = numbers[0]
        relation.per_value[first[0]] = min(numbers[1], relation.per_value.get(first[0], math.inf))
    return relations


def is_facet(key):
    return key.startswith("_facet") and key != "_facet_size"


def once_each_facet(params):
    seen, kept = set(), []
    for key, value in params:
        if is_facet(key):
            if (key, value) in seen:
                continue
            seen.add((key, value))
        kept.append((key, value))
    return kept


def search_terms(text):
    return [t for t in FTS_TOKEN.findall(text) if t not in FTS_OPERATORS]


def refusal(params, relation):
    """Why the request is refused (400), or None."""
    if sum(1 for key, _ in params if is_facet(key)) > FACETS:
        return f"At most {FACETS} facets per request (besides the table's own)."
    for key, value in params:
        if key.startswith("_search") and key != "_searchmode" and len(search_terms(value)) > SEARCH_TERMS:
            return f"A search has at most {SEARCH_TERMS} terms."
        number = NUMBER if key == "_next" and relation and relation.view else NUMBERS.get(key)
        if number and not re.fullmatch(number, value):
            return f"{key} must be a whole number of at most {NUMBER_DIGITS} digits."
    return None


def filter_columns(params):
    """(column, lookup) of each filter, as Datasette reads them: a key not starting with _, or with __."""
    return [
        tuple(key.rsplit("__", 1)) if "__" in key else (key, "exact")
        for key, _ in params
        if not key.startswith("_") or "__" in key
    ]


def rows_touched(relation, filters):
    """The fewest rows an equality on an indexed column finds; without one, the whole table."""
    return min(
        (relation.per_value[c] for c, lookup in filters if lookup == "exact" and c in relation.per_value),
        default=relation.rows,
    )


def costly_page(relation, params, page_size, max_rows):
    keys = {key for key, _ in params}
    if "_through" in keys or any(key.startswith("_search") and key != "_searchmode" for key in keys):
        return True  # a join, or a search: rows unknown before it runs
    if relation.view and "_next" in keys:
        return True  # an offset: the view is computed up to it
    filters = filter_columns(params)
    rows = rows_touched(relation, filters)
    if (filters or any(key.startswith(("_facet", "_sort")) for key in keys)) and rows > SELECTIVE_ROWS:
        return True
    size = next((value for key, value in params if key == "_size"), None) or page_size
    return min(max_rows if size == "max" else int(size), rows) > page_size


def kind_of(params, query, relation, page_size, max_rows):
    """The queue in which the request waits for its turn (one of KINDS), or None for an ordinary request."""
    keys = {key for key, _ in params}
    if "_stream" in keys:
        return "_stream"
    if keys & {"sql", "_where"}:
        return "sql"
    if len(query) > LONG_QUERY_CHARS or relation and costly_page(relation, params, page_size, max_rows):
        return "page"
    return None


def whole_table_csv(datasette, path, params):
    """The static download for `/<db>/<table>.csv?_stream=on` and nothing narrower, or None."""
    m = re.fullmatch(r"/([^/]+)/([A-Za-z0-9_]+)\.csv", path)
    if not m or not params or {k for k, _ in params} - WHOLE_TABLE or not datasette.config_dir:
        return None
    if m.group(1) not in datasette.databases:
        return None
    if not (Path(datasette.config_dir) / "download" / "data" / f"{m.group(2)}.csv").is_file():
        return None
    return f"/download/data/{m.group(2)}.csv"


class Turns:
    """One request of each kind at a time, and at most `shared` of them at once in all."""

    def __init__(self, shared):
        # Created unbound; each is bound to the server's loop on first use.
        self.own = {kind: asyncio.Semaphore(1) for kind in KINDS}
        self.shared = asyncio.Semaphore(shared)
        self.waiting = dict.fromkeys(KINDS, 0)

    async def take(self, kind):
        """True once the turn is taken; False when it cannot start soon enough."""
        if self.waiting[kind] >= WAITING and (self.own[kind].locked() or self.shared.locked()):
            return False
        self.waiting[kind] += 1
        try:
            async with asyncio.timeout(TURN_WAIT_S):
                await self.own[kind].acquire()
                try:
                    await self.shared.acquire()
                except BaseException:
                    self.own[kind].release()
                    raise
            return True
        except TimeoutError:
            return False
        finally:
            self.waiting[kind] -= 1

    def give_back(self, kind):
        self.shared.release()
        self.own[kind].release()


def answer(datasette, status, text, headers=None):
    headers = dict(headers or {})
    if datasette.cors:
        add_cors_headers(headers)
        headers["Access-Control-Expose-Headers"] = "Link, Retry-After"
    return Response.text(text, status=status, headers=headers)


@hookimpl
def asgi_wrapper(datasette):
    turns = Turns(max(1, datasette.setting("num_sql_threads") - 1))
    relations = {}  # per database, read on first use: the databases are immutable

    async def relation_of(path):
        m = TABLE_PATH.match(path)
        if not m:
            return None
        try:
            db = datasette.get_database(route=tilde_decode(m["database"]))
        except KeyError:
            return None
        if db.name not in relations:
            relations[db.name] = await db.execute_fn(read_relations)
        return relations[db.name].get(tilde_decode(m["table"]))

    def wrap(app):
        async def limited(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            query = scope.get("query_string", b"")
            if len(query) > QUERY_CHARS:
                return await answer(
                    datasette, 414, f"A query string has at most {QUERY_CHARS:,} characters."
                ).asgi_send(send)
            params = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
            kept = once_each_facet(params)
            if len(kept) < len(params):
                params, scope = kept, dict(scope, query_string=urlencode(kept).encode("ascii"))
            path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1").partition("?")[0]
            relation = await relation_of(path)
            refused = refusal(params, relation)
            if refused:
                return await answer(datasette, 400, refused).asgi_send(send)
            static = whole_table_csv(datasette, scope["path"], params)
            if static:
                return await Response.redirect(static, status=302).asgi_send(send)
            kind = kind_of(
                params, query, relation, datasette.setting("default_page_size"), datasette.setting("max_returned_rows")
            )
            if kind is None:
                return await app(scope, receive, send)
            if not await turns.take(kind):
                return await answer(
                    datasette,
                    503,
                    "Busy with other expensive requests: try again in a few seconds. Whole tables "
                    "are static files under /download/data/.",
                    {"Retry-After": str(TURN_WAIT_S)},
                ).asgi_send(send)
            try:
                return await app(scope, receive, send)
            finally:
                turns.give_back(kind)

        return limited

    return wrap
