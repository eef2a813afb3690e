"""What one SQL statement can do on the public, read-only site (every served connection):

- a value is capped at VALUE_BYTES, a result at RESULT_COLUMNS columns and RESULT_BYTES: no query can
  build a 2 GB blob or send 200 MB (each statement is already cut at sql_time_limit_ms by Datasette);
- an authorizer refuses fts3_tokenizer (it returns a native pointer) and reading pragma_database_list
  (it reveals where the database lies on the server).

What a whole request can cost, and how expensive requests take turns: costs.py.
"""

import sqlite3
import weakref

from datasette import hookimpl

VALUE_BYTES = 1_000_000
RESULT_COLUMNS = 100
RESULT_BYTES = 20_000_000
DENIED_FUNCTIONS = {"fts3_tokenizer"}
# Read as a table only: Datasette itself runs the PRAGMA statement, and visitors' SQL must be a SELECT.
DENIED_TABLES = {"pragma_database_list"}

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
