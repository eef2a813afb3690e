import pytest
from datasette.app import Datasette

from support import make_project, site_of
from scripts.build import build


@pytest.fixture
def project(tmp_path):
    """A fresh, unbuilt project on the fixture corpus, to break."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory):
    """A project on the fixture corpus, built once: its data/, datapackage.json and site."""
    root = make_project(tmp_path_factory.mktemp("built") / "project")
    build(root, quiet=True)
    return root


@pytest.fixture(scope="session")
def site_dir(built_project):
    """The built Datasette configuration directory (database, metadata, settings, templates, plugins)."""
    return site_of(built_project)


@pytest.fixture(scope="module")
def site(site_dir):
    """The built site in Datasette, started from its configuration directory as `make serve` does."""
    return Datasette(config_dir=site_dir)
