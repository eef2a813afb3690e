"""The live data in curation/ and seeds/: only what holds for any corpus. The committed outputs are
what a fresh build makes of it (with checks/ run through great-expectations, as make validate
does), and the figures quoted in the README are counted, never written by hand."""

import shutil

import pytest
from support import DATA, DEFINITIONS, ROOT

from scripts.build import build
from scripts.read.schema import Schema
from scripts.site.config import FIGURES, figures

pytestmark = pytest.mark.xdist_group("great-expectations")  # its build runs checks/ through great-expectations


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    root = tmp_path_factory.mktemp("live") / "project"
    for name in DEFINITIONS + DATA:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, root / name)
    build(root, quiet=True, expectations=True)
    return root


def test_the_live_data_builds_and_passes_every_check(live):
    assert (live / "build" / "site").is_dir()


def test_committed_outputs_are_what_the_curation_builds_to(live):
    for rel in ["datapackage.json", "README.md"] + [f"data/{t}.csv" for t in Schema(ROOT).tables]:
        assert (ROOT / rel).read_bytes() == (live / rel).read_bytes(), f"{rel} is stale: run make build and commit it"


def test_readme_figures_are_counted_from_the_database(live):
    db = next((live / "build" / "site").glob("*.db"))
    facts = figures(db)
    quoted = FIGURES.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert quoted, "README.md has lost its <!-- figures:start --> ... <!-- figures:end --> markers"
    assert facts["values"] in quoted.group(0) and facts["differences"] in quoted.group(0)


def test_every_seed_has_its_curation(live):
    seeds = {p.stem for p in (ROOT / "seeds").glob("*.txt")}
    curated = {p.stem for p in (ROOT / "curation").glob("*.yaml")} - {"exercises"}
    assert seeds == curated
