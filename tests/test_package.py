"""The data package, built from the machinery's corpus: descriptor derived from schema/, CSV layout,
sizes and hashes, determinism, frictionless's own CLI, each evidence row's basis from its own quote,
and the CSVs parsed once per build. The schema's examples are checked against the frozen live corpus."""

import csv
import hashlib
import json
import re
import sqlite3
import subprocess
import sys

import pytest
from support import MINI, ROOT, make_project, rows, site_of

from scripts import build as build_module
from scripts import parallel
from scripts.build import build
from scripts.package.assemble import cell
from scripts.read.schema import PROVENANCES, Schema

SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def test_descriptor_is_data_package_v2_derived_from_the_schema(built_mini):
    schema = Schema(built_mini)
    d = json.loads((built_mini / "datapackage.json").read_text())
    assert d["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert SEMVER.match(d["version"]) and d["version"] == schema.version
    assert d["licenses"][0]["name"] == "CC-BY-4.0"
    assert d["created"] and d["sources"] and d["contributors"]
    assert [r["name"] for r in d["resources"]] == list(schema.package["resources"])
    for r in d["resources"]:  # the descriptor is the schema plus each file's size and hash, nothing else
        r = {k: v for k, v in r.items() if k not in ("bytes", "hash")}
        assert r == next(x for x in schema.descriptor()["resources"] if x["name"] == r["name"])


def test_every_field_has_description_example_and_provenance():
    schema = Schema(ROOT)
    for table in schema.tables:
        assert schema.primary_key(table), table
        for f in schema.fields(table):
            for key in ("type", "title", "description", "x-provenance"):
                assert f.get(key) not in (None, ""), f"{table}.{f['name']} has no {key}"
            assert "example" in f, f"{table}.{f['name']} has no example"  # empty where its example row is
            assert f["x-provenance"] in PROVENANCES


def test_the_examples_of_each_table_are_one_real_row_of_it(built_project):
    """The examples (schema/<table>.yaml) are a row of the table as built from the frozen live corpus: never
    values that contradict each other or the data (a quote at offsets where it is not, an id of nothing)."""
    schema = Schema(ROOT)
    for table in schema.tables:
        examples = {f["name"]: cell(f["example"]) for f in schema.fields(table)}
        published = rows(built_project, table)
        closest = max(published, key=lambda row: sum(row[k] == v for k, v in examples.items()))
        assert examples == closest, (table, {k: (v, closest[k]) for k, v in examples.items() if closest[k] != v})
        assert sum(v != "" for v in examples.values()) > len(examples) // 2, f"{table}: choose a fuller row"


def test_csv_columns_follow_the_schema(built_mini):
    schema = Schema(built_mini)
    for table in schema.tables:
        with open(built_mini / "data" / f"{table}.csv", newline="", encoding="utf-8") as f:
            assert next(csv.reader(f)) == schema.field_names(table)


def test_descriptor_records_each_csv_size_and_hash(built_mini):
    d = json.loads((built_mini / "datapackage.json").read_text())
    for r in d["resources"]:
        data = (built_mini / r["path"]).read_bytes()
        assert r["bytes"] == len(data)
        assert r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert b"\r\n" not in data


def test_each_evidence_row_has_the_basis_of_its_own_quote(built_mini):
    """Per-quote basis (issue 18): of one claim's quotes, the one that states the value is `stated`, the other
    `derived` by the claim's rule; the outside version keeps its basis, unpublished."""
    evidence = rows(built_mini, "evidence")
    start = {e["quote"]: (e["basis"], e["rule"], bool(e["inference"])) for e in evidence if e["field"] == "start_date"}
    assert start == {
        "April 29, 2019": ("stated", "", False),
        "began the Joint Sea-2019 exercise on Monday": ("derived", "weekday", True),
    }
    end = {(e["source_id"][:3], e["basis"], e["in_table"]) for e in evidence if e["field"] == "end_date"}
    assert end == {("100", "derived", "1"), ("101", "outside", "0")}
    db = sqlite3.connect(next(site_of(built_mini).glob("*.db")))
    published = db.execute("select basis, evidence from published_values where field = 'start_date'").fetchall()
    assert published == [("stated", 2)]  # a published value rests on its best evidence


def test_two_builds_are_byte_identical(tmp_path):
    outputs = []
    for name in ("a", "b"):
        root = make_project(tmp_path / name, MINI)
        build(root, quiet=True)
        files = [root / "datapackage.json", *sorted((root / "data").glob("*.csv"))]
        outputs.append({p.relative_to(root): p.read_bytes() for p in files})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 1 + len(Schema(ROOT).tables)


@pytest.fixture
def csv_reads(mini_project, monkeypatch):
    """What one build does with its CSVs, step by step: each opening of a CSV (an audit hook, listening for this
    test only) and each CSV parser made (csv.reader, csv.DictReader)."""
    opened, parsed, step = [], [], {"now": None}

    def hook(event, args):
        if step["now"] and event == "open" and str(args[0]).endswith(".csv"):
            opened.append((step["now"], str(args[0]).rsplit("/", 1)[-1], args[1]))

    def parser(make):
        return lambda *a, **k: (parsed.append(step["now"]), make(*a, **k))[1]

    monkeypatch.setattr(parallel, "CORES", 1)  # every step in this process, where the hook listens
    sys.addaudithook(hook)  # hooks cannot be removed: this one stops listening with its step set to None
    run = build_module.Steps.run
    monkeypatch.setattr(
        build_module.Steps, "run", lambda self, name, fn, *a: (step.update(now=name), run(self, name, fn, *a))[1]
    )
    monkeypatch.setattr(csv, "reader", parser(csv.reader))
    monkeypatch.setattr(csv, "DictReader", parser(csv.DictReader))
    try:
        build(mini_project, quiet=True)
    finally:
        step["now"] = None
    return opened, parsed


def test_the_csvs_are_written_once_and_parsed_only_by_frictionless(csv_reads):
    """Load, provenance and the unique keys use the rows in memory (issue 20 §2): only frictionless parses the
    CSVs, and it reads evidence.csv, the largest, once."""
    opened, parsed = csv_reads
    step = "write the package, check it (frictionless)"
    assert set(parsed) == {step} and len(parsed) >= len(Schema(ROOT).tables)
    evidence = [(s, m) for s, name, m in opened if name == "evidence.csv"]
    assert evidence[:2] == [(step, "w"), (step, "r")] and (step, "r") not in evidence[2:]


def test_frictionless_cli_accepts_the_package(built_mini):
    exe = ROOT / ".venv" / "bin" / "frictionless"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "frictionless"]
    r = subprocess.run(cmd + ["validate", "--json", "datapackage.json"], cwd=built_mini, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:]
    assert json.loads(r.stdout)["valid"] is True
