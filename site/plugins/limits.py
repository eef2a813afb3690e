"""Keep the public, read-only site answering everyone, whatever one visitor sends:

- every served connection caps a value at 1 MB, a result at 100 columns and 20 MB: no query can build a
  2 GB blob or send 200 MB (each SQL statement is already cut at sql_time_limit_ms by Datasette);
- an authorizer refuses fts3_tokenizer (it returns a native pointer) and reading pragma_database_list
  (it reveals where the database lies on the server);
- arbitrary SQL takes turns, one query at a time, and so do streamed exports, each kind in its own queue:
  of Datasette's three SQL threads, one is always left for pages, and a long export never holds up a
  query; a request that cannot start within TURN_WAIT_S gets 503 and Retry-After;
- a whole-table streamed CSV is the static file the build wrote (/download/data/<table>.csv): complete,
  identical to data/, and served without SQL;
- errors are answered without printing a traceback with its locals (`rich` spends 0.5 s of the event
  loop on each), and the access log keeps the first LOGGED_URL characters of a URL.

No response cache: the database is immutable and every page is sent with Cache-Control max-age
(default_cache_ttl); a cache in front (a CDN, when published) can hold pages without the server keeping
state that one request could fill or poison.
"""
import asyncio
import logging
import re
import sqlite3
import weakref
from pathlib import Path
from urllib.parse import parse_qsl

import datasette.handle_exception
from datasette import hookimpl
from datasette.utils.asgi import Response
from datasette.views.base import DatasetteError

VALUE_BYTES = 1_000_000
RESULT_COLUMNS = 100
RESULT_BYTES = 20_000_000
HEAVY_AT_ONCE = 1  # per kind: arbitrary SQL, streamed exports
TURN_WAIT_S = 10
LOGGED_URL = 200
DENIED_FUNCTIONS = {"fts3_tokenizer"}
# Read as a table only: Datasette itself runs the PRAGMA statement, and visitors' SQL must be a SELECT.
DENIED_TABLES = {"pragma_database_list"}
# Query parameters that leave a streamed CSV the whole table.
WHOLE_TABLE = {"_stream", "_size", "_dl", "_nofacet", "_nocount"}

datasette.handle_exception.rich = None  # Datasette prints every exception with rich when it is installed

_spent = weakref.WeakKeyDictionary()  # bytes returned so far, per cursor (one query)


def counted_row(cursor, row):
    spent = _spent.get(cursor, 0) + sum(len(v) for v in row if isinstance(v, (str, bytes)))
    if spent > RESULT_BYTES:
        raise sqlite3.OperationalError(f"result too large: this site returns at most {RESULT_BYTES:,} bytes per query")
    _spent[cursor] = spent
    return sqlite3.Row(cursor, row)


def authorizer(action, arg1, arg2, db_name, trigger):
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_READ and (arg1 or "").lower() in DENIED_TABLES:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, RESULT_COLUMNS)
    conn.set_authorizer(authorizer)
    conn.row_factory = counted_row


class ShortURLs(logging.Filter):
    """uvicorn's access log line is (client, method, path with query, http version, status)."""

    def filter(self, record):
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str) and len(args[2]) > LOGGED_URL:
            record.args = (*args[:2], args[2][:LOGGED_URL] + f"…[{len(args[2]):,} characters]", *args[3:])
        return True


@hookimpl(tryfirst=True)
def handle_exception(exception):
    # A refused sort is the visitor's mistake, not the server's: 400 (Datasette 0.65 answers 500).
    if isinstance(exception, DatasetteError) and str(exception.message).startswith("Cannot sort table by"):
        exception.status = 400


@hookimpl
def startup(datasette):
    # After uvicorn has configured its loggers (it does so before the application starts).
    logging.getLogger("uvicorn.access").addFilter(ShortURLs())


def heavy_kind(params):
    """'sql' or '_stream' for a request that runs arbitrary SQL or streams an export, else None."""
    keys = {k for k, _ in params}
    return "_stream" if "_stream" in keys else "sql" if "sql" in keys else None


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


@hookimpl
def asgi_wrapper(datasette):
    # Created unbound; each is bound to the server's loop on first use.
    turns = {"sql": asyncio.Semaphore(HEAVY_AT_ONCE), "_stream": asyncio.Semaphore(HEAVY_AT_ONCE)}

    def wrap(app):
        async def limited(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            params = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
            kind = heavy_kind(params)
            if kind is None:
                return await app(scope, receive, send)
            static = whole_table_csv(datasette, scope["path"], params)
            if static:
                return await Response.redirect(static, status=302).asgi_send(send)
            try:
                await asyncio.wait_for(turns[kind].acquire(), TURN_WAIT_S)
            except asyncio.TimeoutError:
                return await Response.text(
                    "Busy with other queries and exports: try again in a few seconds. Whole tables are "
                    "static files under /download/data/.", status=503,
                    headers={"Retry-After": str(TURN_WAIT_S)}).asgi_send(send)
            try:
                return await app(scope, receive, send)
            finally:
                turns[kind].release()

        return limited

    return wrap
