"""The data package, built from the fixture corpus: descriptor derived from schema/, CSV layout,
sizes and hashes, determinism, and frictionless's own CLI."""
import csv
import hashlib
import json
import re
import subprocess
import sys

from support import ROOT, make_project
from scripts.build import build
from scripts.read.schema import PROVENANCES, Schema

SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def test_descriptor_is_data_package_v2_derived_from_the_schema(built_project):
    schema = Schema(built_project)
    d = json.loads((built_project / "datapackage.json").read_text())
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
            for key in ("type", "title", "description", "example", "x-provenance"):
                assert f.get(key) not in (None, ""), f"{table}.{f['name']} has no {key}"
            assert f["x-provenance"] in PROVENANCES


def test_csv_columns_follow_the_schema(built_project):
    schema = Schema(built_project)
    for table in schema.tables:
        with open(built_project / "data" / f"{table}.csv", newline="", encoding="utf-8") as f:
            assert next(csv.reader(f)) == schema.field_names(table)


def test_descriptor_records_each_csv_size_and_hash(built_project):
    d = json.loads((built_project / "datapackage.json").read_text())
    for r in d["resources"]:
        data = (built_project / r["path"]).read_bytes()
        assert r["bytes"] == len(data)
        assert r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert b"\r\n" not in data


def test_two_builds_are_byte_identical(tmp_path):
    outputs = []
    for name in ("a", "b"):
        root = make_project(tmp_path / name)
        build(root, quiet=True)
        files = [root / "datapackage.json", *sorted((root / "data").glob("*.csv"))]
        outputs.append({p.relative_to(root): p.read_bytes() for p in files})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 1 + len(Schema(ROOT).tables)


def test_frictionless_cli_accepts_the_package(built_project):
    exe = ROOT / ".venv" / "bin" / "frictionless"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "frictionless"]
    r = subprocess.run(cmd + ["validate", "--json", "datapackage.json"], cwd=built_project, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:]
    assert json.loads(r.stdout)["valid"] is True
