import json

import pytest

from support import copy_project
from scripts.build import build
from scripts.metadata import DATABASE


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
