"""Helpers shared by the tests (kept out of conftest.py: the browser tests have their own)."""
import csv
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The project's own definitions (code, not data): tests use the real ones.
DEFINITIONS = ("schema", "checks", "site", "metadata.yml", "README.md", "CITATION.cff", "CHANGELOG.md")
# The data: tests use a frozen fixture corpus, so a curator adding an article breaks no test.
DATA = ("seeds", "curation")


def copy_definitions(dest):
    """The project's own definitions (schema, checks, site, metadata, docs) copied to dest."""
    dest = Path(dest)
    for name in DEFINITIONS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def make_project(dest, corpus="corpus"):
    """A private project: the real definitions and a fixture corpus (tests/fixtures/<corpus>)."""
    dest = copy_definitions(dest)
    for name in DATA:
        shutil.copytree(FIXTURES / corpus / name, dest / name)
    return dest


def site_of(root):
    """The published Datasette configuration directory of a built project."""
    return (Path(root) / "build" / "site").resolve()


def rows(project, table):
    """A published table of a built project, as data/<table>.csv has it."""
    with open(Path(project) / "data" / f"{table}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
