"""The served site as a user and as an attacker would meet it, on the fixture corpus: complete exports
and page sequences for every table and view, no request that changes what another user sees, errors
that cost nothing, SQL kept within its limits. (Load and abuse under concurrency: `make bench`.)"""
import asyncio
import csv
import io
import logging
import sqlite3
from collections import Counter
from urllib.parse import urlsplit

import pytest

from support import ROOT
from scripts.read.schema import Schema
from scripts.site.config import database_name, read_metadata

DB = database_name(read_metadata(ROOT))
PAGE_SIZES = (1, 7, 100, "max")



def relations(site_dir):
    with sqlite3.connect(site_dir / f"{DB}.db") as conn:
        return conn.execute("select name, type from sqlite_master where type in ('table', 'view') and "
                            "name not like '%fts%' and name not like 'sqlite_%' order by name").fetchall()


def expected_rows(built_project, site_dir, name, kind):
    """The published rows: data/<table>.csv; for a view or a table made on loading, read straight from
    SQLite (as text, the way CSV has them)."""
    if (built_project / "data" / f"{name}.csv").exists():
        with open(built_project / "data" / f"{name}.csv", newline="", encoding="utf-8") as f:
            return list(csv.reader(f))
    with sqlite3.connect(site_dir / f"{DB}.db") as conn:
        cur = conn.execute(f"select * from [{name}]")
        return [[d[0] for d in cur.description]] + [["" if v is None else str(v) for v in r] for r in cur]


def as_text(value):
    return "" if value is None else str(value)


def path_of(url):
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def test_every_table_and_view_is_covered(site_dir, built_project):
    names = {n for n, _ in relations(site_dir)}
    assert {p.stem for p in (built_project / "data").glob("*.csv")} <= names
    assert any(kind == "view" for _, kind in relations(site_dir))


@pytest.mark.parametrize("query", ["", "&_labels=off", "&_sort=unique"])
async def test_streamed_csv_has_every_row(site, site_dir, built_project, query):
    """`?_stream=on` gives exactly the published rows: a whole table from the build's file, anything
    narrower (here, parameters that narrow nothing) from Datasette, also sorted on a unique column."""
    schema = Schema(built_project)
    for name, kind in relations(site_dir):
        expected = expected_rows(built_project, site_dir, name, kind)
        if query == "&_sort=unique" and not (name in schema.tables and schema.unique_columns(name)):
            continue
        url = f"/{DB}/{name}.csv?_stream=on&_size=7" + query.replace(
            "unique", schema.unique_columns(name)[-1] if "unique" in query else "")
        r = await site.client.get(url)
        if r.status_code == 302:  # a whole table: the build's static file
            assert query == ""
            r = await site.client.get(r.headers["location"])
        assert r.status_code == 200, (name, r.text[:300])
        got = list(csv.reader(io.StringIO(r.text)))
        assert got[0] == expected[0], name
        assert Counter(map(tuple, got[1:])) == Counter(map(tuple, expected[1:])), name


async def test_sorting_on_a_column_with_ties_is_refused(site, built_project):
    """Datasette 0.65 loses rows tied at a page boundary of a sort on a column that is not unique."""
    schema = Schema(built_project)
    r = await site.client.get(f"/{DB}/evidence.json?_sort=record_id")
    assert r.status_code == 400 and "sort" in r.json()["error"].lower()
    for name in schema.tables:
        for column in schema.field_names(name):
            r = await site.client.get(f"/{DB}/{name}.json?_size=1&_sort={column}")
            assert r.status_code == (200 if column in schema.unique_columns(name) else 400), (name, column)


async def test_unfiltered_stream_is_the_published_file(site, built_project):
    r = await site.client.get(f"/{DB}/evidence.csv?_stream=on")
    assert r.status_code == 302 and r.headers["location"] == "/download/data/evidence.csv"
    assert (await site.client.get(r.headers["location"])).content == (built_project / "data" / "evidence.csv").read_bytes()


@pytest.mark.parametrize("size", PAGE_SIZES)
async def test_json_pages_following_next_url_have_every_row(site, site_dir, built_project, size):
    for name, kind in relations(site_dir):
        expected = expected_rows(built_project, site_dir, name, kind)
        got, url, pages = [], f"/{DB}/{name}.json?_shape=objects&_size={size}", 0
        while url:
            data = (await site.client.get(url)).json()
            got += [[as_text(row[c]) for c in expected[0]] for row in data["rows"]]
            url = data["next_url"] and path_of(data["next_url"])
            pages += 1
            assert pages <= len(expected) + 1, f"{name}: paging does not end"
        assert Counter(map(tuple, got)) == Counter(map(tuple, expected[1:])), (name, size)


async def test_html_next_page_links_reach_every_row(site, built_project):
    expected = expected_rows(built_project, None, "evidence", "table")
    seen, url = 0, f"/{DB}/evidence?_size=10"
    while url:
        page = (await site.client.get(url)).text
        seen += page.count('<td class="col-evidence_id')
        nxt = [line for line in page.splitlines() if 'href="' in line and ">Next page<" in line]
        url = nxt and path_of(nxt[0].split('href="')[1].split('"')[0].replace("&amp;", "&"))
    assert seen == len(expected) - 1


async def test_host_and_scheme_of_one_request_never_reach_another(site):
    url = f"/{DB}/evidence.json?_size=2"
    hostile = await site.client.get(url, headers={"host": "evil.example", "x-forwarded-proto": "gopher"})
    assert "evil.example" in hostile.json()["next_url"]  # its own answer: the attacker's business
    for _ in range(2):
        r = await site.client.get(url)
        assert "evil.example" not in r.text and "gopher" not in r.text
        assert "evil.example" not in r.headers.get("link", "")


async def test_errors_print_no_traceback_with_locals(site, capfd):
    """Datasette prints every error with rich (locals and all) when rich is installed: 0.5 s of the
    event loop per 404. Errors are answered, not printed."""
    for path in ("/nope", f"/{DB}/nope", f"/{DB}.json?sql=select+nonsense", "//x"):
        r = await site.client.get(path)
        assert r.status_code in (400, 404), path
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err and "locals" not in out + err


@pytest.mark.parametrize("sql, error", [
    ("select length(randomblob(999999999)) a, length(randomblob(999999999)) b", "too big"),
    ("select hex(randomblob(100000000))", "too big"),
    ("select zeroblob(900000) a, zeroblob(900000) b from (with recursive c(x) as (select 1 union all "
     "select x + 1 from c limit 1000) select x from c)", "result too large"),
    ("select fts3_tokenizer('simple')", "not authorized"),
    ("select * from pragma_database_list", "prohibited"),
    ("select file from pragma_database_list()", "prohibited"),
    ("select " + ", ".join(f"{i} c{i}" for i in range(150)), "too many columns"),
])
async def test_sql_that_would_exhaust_or_reveal_is_refused(site, sql, error):
    r = await site.client.get(f"/{DB}.json", params={"sql": sql})
    assert r.status_code == 400 and error in r.json()["error"], r.text[:300]


async def test_ordinary_sql_still_answers(site, built_project):
    n = len(expected_rows(built_project, None, "evidence", "table")) - 1
    r = await site.client.get(f"/{DB}.json", params={"sql": "select count(*) n from evidence", "_shape": "array"})
    assert r.json() == [{"n": n}]


FOREVER = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"


async def test_sql_and_exports_take_turns_and_pages_never_wait(site, monkeypatch):
    """While one query runs (cut at sql_time_limit_ms), another query waits its turn (here 0.3 s, then
    503 with Retry-After); an export has its own turn, and pages do not wait at all."""
    monkeypatch.setattr(site_plugin("limits"), "TURN_WAIT_S", 0.3)
    slow = asyncio.ensure_future(site.client.get(f"/{DB}.json", params={"sql": FOREVER}))
    await asyncio.sleep(0.1)
    waiting = await site.client.get(f"/{DB}.json", params={"sql": "select 1"})
    export = await site.client.get(f"/{DB}/evidence.csv?_stream=on&basis=stated")
    page = await site.client.get(f"/{DB}/exercises.json")
    first = await slow
    assert waiting.status_code == 503 and waiting.headers["retry-after"]
    assert export.status_code == 200 and page.status_code == 200
    assert first.status_code == 400 and "too long" in first.text
    assert (await site.client.get(f"/{DB}.json", params={"sql": "select 1"})).status_code == 200  # turn released


def site_plugin(name):
    """A module of site/plugins as Datasette loaded it (plugins are loaded from their files, not imported)."""
    from datasette.plugins import pm

    return next(p for p in pm.get_plugins() if str(getattr(p, "__file__", "")).endswith(f"/{name}.py"))


async def test_access_log_keeps_a_short_url(site):
    await site.invoke_startup()
    limits = site_plugin("limits")
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:1", "GET", "/?q=" + "x" * 100_000, "1.1", 404), None)
    assert limits.ShortURLs().filter(record)
    assert len(record.getMessage()) < limits.LOGGED_URL + 100
