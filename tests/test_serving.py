"""The served site as a user and as an attacker would meet it, on the fixture corpus: complete exports
and page sequences for every table and view, no request that changes what another user sees, errors
that cost nothing, SQL kept within its limits, each kind of expensive request bounded or given a turn,
no server path revealed. (Timing under load and abuse: `make bench`.)"""

import asyncio
import csv
import io
import logging
import sqlite3
import sys
from collections import Counter
from urllib.parse import quote, urlsplit

import httpx
import pytest
from datasette.database import Database
from datasette.utils.asgi import Response
from support import ROOT

from scripts.read.schema import Schema
from scripts.site.config import database_name, read_metadata

DB = database_name(read_metadata(ROOT))
PAGE_SIZES = (1, 7, 100, "max")


def relations(site_dir):
    with sqlite3.connect(site_dir / f"{DB}.db") as conn:
        return conn.execute(
            "select name, type from sqlite_master where type in ('table', 'view') and "
            "name not like '%fts%' and name not like 'sqlite_%' order by name"
        ).fetchall()


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
            "unique", schema.unique_columns(name)[-1] if "unique" in query else ""
        )
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
    published = (built_project / "data" / "evidence.csv").read_bytes()
    assert (await site.client.get(r.headers["location"])).content == published


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


@pytest.mark.parametrize(
    "sql, error",
    [
        ("select length(randomblob(999999999)) a, length(randomblob(999999999)) b", "too big"),
        ("select hex(randomblob(100000000))", "too big"),
        (
            "select zeroblob(900000) a, zeroblob(900000) b from (with recursive c(x) as (select 1 union all "
            "select x + 1 from c limit 1000) select x from c)",
            "result too large",
        ),
        ("select fts3_tokenizer('simple')", "not authorized"),
        ("select * from pragma_database_list", "prohibited"),
        ("select file from pragma_database_list()", "prohibited"),
        ("select " + ", ".join(f"{i} c{i}" for i in range(150)), "too many columns"),
    ],
)
async def test_sql_that_would_exhaust_or_reveal_is_refused(site, sql, error):
    r = await site.client.get(f"/{DB}.json", params={"sql": sql})
    assert r.status_code == 400 and error in r.json()["error"], r.text[:300]


async def test_ordinary_sql_still_answers(site, built_project):
    n = len(expected_rows(built_project, None, "evidence", "table")) - 1
    r = await site.client.get(f"/{DB}.json", params={"sql": "select count(*) n from evidence", "_shape": "array"})
    assert r.json() == [{"n": n}]


FOREVER = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"


def site_plugin(name):
    """A module of site/plugins as Datasette loaded it (plugins are loaded from their files, not imported)."""
    from datasette.plugins import pm

    return next(p for p in pm.get_plugins() if str(getattr(p, "__file__", "")).endswith(f"/{name}.py"))


@pytest.fixture
def queries(monkeypatch):
    """Every SQL statement Datasette runs from here on."""
    seen, execute = [], Database.execute

    async def counted(self, sql, *args, **kwargs):
        seen.append(sql)
        return await execute(self, sql, *args, **kwargs)

    monkeypatch.setattr(Database, "execute", counted)
    return seen


async def test_sql_and_exports_take_turns_and_pages_never_wait(site, monkeypatch):
    """While one query runs (cut at sql_time_limit_ms), another query finds the turn taken (here with no
    room to wait: 503 with Retry-After); an export has its own turn, and pages do not wait at all."""
    monkeypatch.setattr(site_plugin("costs"), "WAITING", 0)
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


async def test_a_facet_asked_many_times_runs_once(site, queries):
    one = f"/{DB}/evidence.json?_facet=value"
    await site.client.get(one)
    queries.clear()
    await site.client.get(one)
    alone = len(queries)
    queries.clear()
    r = await site.client.get(f"/{DB}/evidence.json?" + "&".join(["_facet=value"] * 200))
    assert r.status_code == 200 and len(queries) == alone
    assert [name for name in r.json()["facet_results"] if name.startswith("value")] == ["value"]


async def test_more_facets_than_the_cap_are_refused_before_any_query(site, queries):
    facets = site_plugin("costs").FACETS
    columns = ["value", "quote", "field", "basis", "record_id", "source_id", "table_name"][: facets + 1]
    assert len(columns) == facets + 1
    r = await site.client.get(f"/{DB}/evidence.json?" + "&".join(f"_facet={c}" for c in columns))
    assert r.status_code == 400 and "facets" in r.text and len(r.content) < 200 and not queries
    r = await site.client.get(f"/{DB}/evidence.json?" + "&".join(f"_facet={c}" for c in columns[:facets]))
    assert r.status_code == 200


async def test_an_overlong_query_string_is_refused_unread(site, queries):
    """A 60,000-digit `_next` made a 5 MB page: every link of the page repeats the query string."""
    r = await site.client.get(f"/{DB}/evidence?_next=" + "9" * 60_000)
    assert r.status_code == 414 and len(r.content) < 200 and not queries


def first_view(site_dir):
    return next(name for name, kind in relations(site_dir) if kind == "view")


@pytest.mark.parametrize(
    "query",
    [
        "{view}?_next=" + "9" * 5_000,
        "{view}?_next=5000x",
        "evidence?_timelimit=soon",
        "evidence?_facet_size=" + "9" * 5_000,
        "evidence?_size=" + "9" * 30,
    ],
)
async def test_numbers_datasette_reads_with_int_are_checked_first(site, site_dir, query):
    """Datasette answers 500 to each of these (int() of 4,300+ digits, or of a word)."""
    r = await site.client.get(f"/{DB}/" + query.format(view=first_view(site_dir)))
    assert r.status_code == 400 and "whole number" in r.text, r.text[:300]


async def test_raw_search_is_bounded(site):
    terms = site_plugin("costs").SEARCH_TERMS
    prefixes = [f"{c}*" for c in "abcdefghijklmnopqrstuvwxyz"]
    for search, status in (
        (" OR ".join(prefixes[: terms + 1]), 400),
        (" OR ".join(prefixes[:terms]), 200),
        ("NEAR(" + " ".join(prefixes[: terms - 1]) + ", 1000)", 200),
    ):
        r = await site.client.get(f"/{DB}/statements.json", params={"_search": search, "_searchmode": "raw"})
        assert r.status_code == status, (search, r.text[:300])


class HeldApp:
    """Stands in for Datasette behind the limits: a request with the header `x-hold` stays inside until
    released, holding whatever turn it took; every other request is answered at once."""

    def __init__(self):
        self.inside, self.release = asyncio.Queue(), asyncio.Event()

    async def __call__(self, scope, receive, send):
        if (b"x-hold", b"1") in scope["headers"]:
            await self.inside.put(scope["path"])
            await self.release.wait()
        await Response.text("answered").asgi_send(send)


async def answers_while_held(site, held, urls):
    """The status of each of urls while each of `held` is inside and holds its turn (nobody may wait)."""
    app = HeldApp()
    limited = site_plugin("costs").asgi_wrapper(site)(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=limited), base_url="http://localhost") as client:
        holding = []
        for url in held:
            holding.append(asyncio.ensure_future(client.get(url, headers={"x-hold": "1"})))
            await app.inside.get()
        answered = {url: (await client.get(url)) for url in urls}
        app.release.set()
        assert [(await h).status_code for h in holding] == [200] * len(held)
    return answered


@pytest.fixture
def scaled_costs(monkeypatch, site_dir):
    """Costs scaled to the fixture's small tables (a filter by exercise touches at most SELECTIVE_ROWS rows,
    one by basis more), and no room to wait for a turn. Returns an exercise."""
    costs = site_plugin("costs")
    monkeypatch.setattr(costs, "WAITING", 0)
    with sqlite3.connect(site_dir / f"{DB}.db") as conn:
        evidence = costs.read_relations(conn)["evidence"]
    assert evidence.per_value["basis"] > evidence.per_value["exercise_id"] and evidence.rows > 100
    monkeypatch.setattr(costs, "SELECTIVE_ROWS", evidence.per_value["exercise_id"])
    with sqlite3.connect(site_dir / f"{DB}.db") as conn:
        return conn.execute("select exercise_id from evidence where exercise_id is not null limit 1").fetchone()[0]


EXPENSIVE = [
    "/{db}/evidence?basis=stated&_size=max",
    "/{db}/evidence?basis=stated",
    "/{db}/evidence.json?_size=max",
    "/{db}/evidence?_facet=value",
    "/{db}/evidence?_facet_size=max",
    "/{db}/evidence?quote__contains=the",
    "/{db}/evidence?_sort=evidence_id",
    "/{db}/statements?_search=china",
    "/{db}/{view}?_next=5",
    "/{db}/evidence?_through=" + quote('{"table": "exercises", "column": "year", "value": "2021"}'),
    "/{db}/exercises/{exercise}?_other=" + "x" * 2_500,
]
ORDINARY = [
    "/",
    "/{db}",
    "/{db}/evidence",
    "/{db}/{view}",
    "/{db}/exercises/{exercise}",
    "/articles/",
    "/{db}/evidence.json?_shape=array&_size=max&exercise_id={exercise}",
    "/{db}/evidence?exercise_id={exercise}&quote__contains=the&_facet=value&_sort=evidence_id",
]


async def test_expensive_pages_take_turns_and_ordinary_pages_never_wait(site, site_dir, scaled_costs):
    """While one expensive page holds its turn, every other expensive page finds it taken (503 with
    Retry-After) and every ordinary page is answered: it never queues behind them."""

    def urls(templates):
        return [t.format(db=DB, view=first_view(site_dir), exercise=quote(scaled_costs)) for t in templates]

    answered = await answers_while_held(site, urls(EXPENSIVE[:1]), urls(EXPENSIVE + ORDINARY))
    for url in urls(EXPENSIVE):
        assert answered[url].status_code == 503 and answered[url].headers["retry-after"], url
    for url in urls(ORDINARY):
        assert answered[url].status_code == 200, url


async def test_turns_leave_one_sql_thread_for_ordinary_pages(site, scaled_costs):
    """Each kind has its own queue, and all of them together hold at most all but one SQL thread."""
    sql, export, page = (
        f"/{DB}.json?sql=select+1",
        f"/{DB}/evidence.csv?_stream=on&basis=stated",
        f"/{DB}/evidence.json?_size=max",
    )
    assert site.setting("num_sql_threads") == 3
    answered = await answers_while_held(site, [page], [sql, export])
    assert answered[sql].status_code == answered[export].status_code == 200
    answered = await answers_while_held(site, [page, sql], [export, f"/{DB}/evidence"])
    assert answered[export].status_code == 503 and answered[f"/{DB}/evidence"].status_code == 200


async def test_a_turn_that_cannot_start_within_the_wait_is_answered_503(site, scaled_costs, monkeypatch):
    costs = site_plugin("costs")
    monkeypatch.setattr(costs, "WAITING", 20)
    monkeypatch.setattr(costs, "TURN_WAIT_S", 0)  # the wait is over at once
    page = f"/{DB}/evidence.json?_size=max"
    answered = await answers_while_held(site, [page], [page])
    assert answered[page].status_code == 503 and answered[page].headers["retry-after"] == "0"


async def test_no_page_reveals_where_the_site_lies(site, site_dir):
    """/-/databases gave the database's absolute path; /-/threads, thread idents (addresses) and the
    source paths of the Python installation."""
    places = {str(site_dir.parent.parent), sys.prefix, sys.base_prefix, str(ROOT)}
    for path in (
        "/-/databases.json",
        "/-/databases",
        "/-/threads.json",
        "/-/threads",
        "/-/metadata.json",
        "/-/versions.json",
        "/-/plugins.json?all=1",
        "/-/settings.json",
        "/-/actor.json",
        "/.json",
        f"/{DB}.json",
    ):
        r = await site.client.get(path)
        assert r.status_code == 200, path
        assert not [p for p in places if p in r.text], path
    assert (await site.client.get("/-/databases.json")).json()[0]["name"] == DB
    assert "ident" not in (await site.client.get("/-/threads.json")).text


async def test_access_log_keeps_a_short_url(site):
    await site.invoke_startup()
    quiet = site_plugin("quiet")
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:1", "GET", "/?q=" + "x" * 100_000, "1.1", 404),
        None,
    )
    assert quiet.ShortURLs().filter(record)
    assert len(record.getMessage()) < quiet.LOGGED_URL + 100
