"""The data package: descriptor, CSV layout, determinism."""
import csv
import hashlib
import json
import re
import subprocess
import sys

from support import ROOT, copy_project
from scripts.build import build
from scripts.schema import TABLES, Package

SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def test_descriptor_is_data_package_v2_with_citation_metadata():
    d = json.loads((ROOT / "datapackage.json").read_text())
    assert d["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert SEMVER.match(d["version"])
    assert d["licenses"][0]["name"] == "CC-BY-4.0"
    assert d["created"] and d["sources"] and d["contributors"]
    assert [r["name"] for r in d["resources"]] == list(TABLES)


def test_every_field_has_type_title_description_and_provenance():
    package = Package(ROOT)
    for table in TABLES:
        for f in package.fields(table):
            for key in ("type", "title", "description", "x-provenance"):
                assert f.get(key), f"{table}.{f['name']} has no {key}"
            assert f["x-provenance"] in ("curated", "derived", "computed")
        assert package.primary_key(table)


def test_csv_columns_follow_the_descriptor(built_project):
    package = Package(built_project)
    for table in TABLES:
        with open(built_project / "data" / f"{table}.csv", newline="") as f:
            assert next(csv.reader(f)) == package.field_names(table)


def test_descriptor_records_each_csv_size_and_hash(built_project):
    d = json.loads((built_project / "datapackage.json").read_text())
    for r in d["resources"]:
        data = (built_project / r["path"]).read_bytes()
        assert r["bytes"] == len(data)
        assert r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert b"\r\n" not in data


def test_committed_outputs_are_up_to_date(built_project):
    """data/ and datapackage.json in the repository are what the curated facts build to."""
    for rel in ["datapackage.json"] + [f"data/{t}.csv" for t in TABLES]:
        assert (ROOT / rel).read_bytes() == (built_project / rel).read_bytes(), f"{rel} is stale: run make build"


def test_two_builds_are_byte_identical(tmp_path):
    outputs = []
    for name in ("a", "b"):
        root = copy_project(tmp_path / name)
        build(root, quiet=True, database=False)
        outputs.append({p.relative_to(root): p.read_bytes() for p in [root / "datapackage.json", *sorted((root / "data").glob("*.csv"))]})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 6


def test_frictionless_cli_accepts_the_package(built_project):
    exe = ROOT / ".venv" / "bin" / "frictionless"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "frictionless"]
    r = subprocess.run(cmd + ["validate", "--json", "datapackage.json"], cwd=built_project, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:]
    assert json.loads(r.stdout)["valid"] is True
