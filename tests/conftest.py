import pytest
from datasette.app import Datasette
from support import MINI, make_project, site_of

from scripts.build import build


@pytest.fixture
def mini_project(tmp_path):
    """A fresh, unbuilt project on the machinery's corpus (tests/fixtures/mini), to break."""
    return make_project(tmp_path / "project", MINI)


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory):
    """A project on the machinery's corpus, built once: its data/, datapackage.json and site. Never
    changed: tests break copies of it (support.link_project)."""
    root = make_project(tmp_path_factory.mktemp("mini") / "project", MINI)
    build(root, quiet=True)
    return root


@pytest.fixture(scope="session")
def built_project(tmp_path_factory):
    """A project on the frozen copy of the live articles (tests/fixtures/corpus), built once: the site's tests."""
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
