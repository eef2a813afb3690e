"""Helpers shared by the tests (kept out of conftest.py: the browser tests have their own)."""

import csv
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The project's own definitions (code, not data): tests use the real ones.
DEFINITIONS = ("schema", "checks", "site", "metadata.yml", "README.md", "CITATION.cff", "CHANGELOG.md")
# The data: tests use a frozen fixture corpus, so a curator adding an article breaks no test.
DATA = ("seeds", "curation")
# Two corpora: `mini`, two short articles written for the machinery's tests (bad input, checks,
# publishing, fuzzing); `corpus`, a frozen copy of the live articles, for the end-to-end tests of the site.
MINI, CORPUS = "mini", "corpus"


def line_in(path, text, corpus=MINI):
    """The number of the first line of a fixture file (path inside the corpus) holding `text`: tests name a line
    by what it holds, so that a comment added to a fixture moves no expected line."""
    lines = (FIXTURES / corpus / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line and not line.lstrip().startswith("#"))


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


def make_project(dest, corpus=CORPUS):
    """A private project: the real definitions and a fixture corpus (tests/fixtures/<corpus>)."""
    dest = copy_definitions(dest)
    for name in DATA:
        shutil.copytree(FIXTURES / corpus / name, dest / name)
    return dest


def link_project(src, dest):
    """A built project to break, made of hard links to src's files (nothing copied): tests change a file by
    replacing it (put), and the pipeline writes its outputs by replacing them too, so src never changes.
    The build lock is the one file written in place: each copy gets its own."""
    shutil.copytree(
        src,
        dest,
        symlinks=True,
        copy_function=os.link,
        ignore=lambda folder, names: [".lock"] if Path(folder).name == "build" else [],
    )
    return Path(dest)


def put(path, data):
    """Write path as a new file (never through a hard link shared with another project)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(".put.tmp")
    tmp.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    os.replace(tmp, path)


def site_of(root):
    """The published Datasette configuration directory of a built project."""
    return (Path(root) / "build" / "site").resolve()


def rows(project, table):
    """A published table of a built project, as data/<table>.csv has it."""
    with open(Path(project) / "data" / f"{table}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
