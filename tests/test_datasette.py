"""The published site, through Datasette's ASGI client: pages, JSON, CSV, canned queries."""
import csv
import io

import pytest
from datasette.app import Datasette

from scripts.metadata import DATABASE
from scripts.schema import TABLES, Package

# Parameters that make each canned query return rows on the curated data.
EXAMPLE_EXERCISE = "zapad-interaction-2021"
CANNED_PARAMS = {
    "exercise_participants": {"exercise_id": EXAMPLE_EXERCISE},
    "statements_by_speaker": {"speaker": ""},
    "exercise_evidence": {"exercise_id": EXAMPLE_EXERCISE},
    "conflicts_by_field": {},
    "search": {"q": "anti-terrorism"},
    "exercises_by_year": {},
    "exercise_sources": {"exercise_id": EXAMPLE_EXERCISE},
}


@pytest.fixture(scope="module")
def ds(db_path, metadata):
    return Datasette([str(db_path)], metadata=metadata, immutables=[], settings={"sql_time_limit_ms": 1000})


@pytest.mark.parametrize("table", TABLES + ("conflicts",))
async def test_table_page_renders(ds, table):
    r = await ds.client.get(f"/{DATABASE}/{table}")
    assert r.status_code == 200
    assert "<table" in r.text


@pytest.mark.parametrize("table", TABLES)
async def test_table_json_array_has_every_row(ds, table, built_project):
    r = await ds.client.get(f"/{DATABASE}/{table}.json?_shape=array&_size=max")
    assert r.status_code == 200
    rows = r.json()
    with open(built_project / "data" / f"{table}.csv", newline="") as f:
        assert len(rows) == sum(1 for _ in csv.DictReader(f))
    assert set(rows[0]) >= set(Package(built_project).field_names(table))


@pytest.mark.parametrize("table", TABLES)
async def test_table_csv_export(ds, table):
    r = await ds.client.get(f"/{DATABASE}/{table}.csv?_stream=on&_size=max")
    assert r.status_code == 200
    assert len(list(csv.reader(io.StringIO(r.text)))) > 1


@pytest.mark.parametrize("query", CANNED_PARAMS)
async def test_canned_query_returns_rows(ds, query):
    params = "&".join(f"{k}={v}" for k, v in CANNED_PARAMS[query].items())
    r = await ds.client.get(f"/{DATABASE}/{query}.json?_shape=array&{params}")
    assert r.status_code == 200, r.text
    assert len(r.json()) > 0


async def test_every_canned_query_is_tested(metadata):
    assert set(metadata["databases"][DATABASE]["queries"]) == set(CANNED_PARAMS)


async def test_column_descriptions_come_from_the_descriptor(ds, metadata, built_project):
    package = Package(built_project)
    tables = metadata["databases"][DATABASE]["tables"]
    for table in TABLES:
        assert tables[table]["columns"] == {f["name"]: f["description"] for f in package.fields(table)}
        assert tables[table]["license"] == "CC-BY-4.0" and tables[table]["source"]
    r = await ds.client.get(f"/{DATABASE}/exercises")
    assert package.field("exercises", "date_precision")["description"] in r.text


async def test_sql_api_join(ds):
    sql = ("select e.exercise_id, count(p.country_code) n from exercises e join participants p "
           "using (exercise_id) group by e.exercise_id")
    r = await ds.client.get(f"/{DATABASE}.json", params={"sql": sql, "_shape": "array"})
    assert r.status_code == 200
    assert all(row["n"] >= 2 for row in r.json())


async def test_full_text_search_finds_statements(ds):
    r = await ds.client.get(f"/{DATABASE}/statements.json?_search=terrorism&_shape=array")
    assert r.status_code == 200
    assert any("terror" in row["quote"].lower() for row in r.json())


async def test_foreign_keys_show_labels(ds):
    r = await ds.client.get(f"/{DATABASE}/statements.json?_labels=on&_shape=array&_size=1")
    row = r.json()[0]
    assert isinstance(row["source_id"], dict) and row["source_id"]["label"]
