import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.build import build  # noqa: E402
from scripts.metadata import DATABASE  # noqa: E402

INPUTS = ("seeds", "curation", "datapackage.json", "metadata.yml")


def copy_project(dest):
    """A private copy of the project's inputs, for tests that break them."""
    for name in INPUTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory):
    """A copy of the project, built once: its data/, datapackage.json and database."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    build(root, quiet=True)
    return root


@pytest.fixture(scope="session")
def db_path(built_project):
    return built_project / "build" / f"{DATABASE}.db"


@pytest.fixture(scope="session")
def metadata(built_project):
    return json.loads((built_project / "build" / "metadata.json").read_text())
