"""The published site and release, without a browser: home page, downloads, version agreement,
citation, serving settings, robots, row-page links, the publish command and the release zip."""
import csv
import datetime
import html
import io
import json
import shlex
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from datasette.app import Datasette

from scripts import release
from scripts.metadata import DATABASE, DOWNLOAD_MOUNT, citation
from scripts.schema import TABLES, Package

ROOT = Path(__file__).resolve().parent.parent
EXERCISE = "zapad-interaction-2021"


def makefile_value(target):
    return subprocess.run(["make", "-s", "--no-print-directory", target], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def site(built_project, tmp_path_factory):
    """Datasette as `make serve` runs it: immutable, inspect file, templates, plugins, settings,
    CORS and the download files."""
    site_dir = release.write_site(ROOT, tmp_path_factory.mktemp("site") / "site")
    db = built_project / "build" / f"{DATABASE}.db"
    metadata = json.loads((built_project / "build" / "metadata.json").read_text())
    inspect = {DATABASE: {"hash": "x", "size": db.stat().st_size, "file": db.name,
                          "tables": {t: {"count": n} for t, n in [("exercises", 8)]}}}
    return Datasette([], immutables=[str(db)], metadata=metadata, inspect_data=inspect, cors=True,
                     template_dir=str(ROOT / "templates"), plugins_dir=str(ROOT / "plugins"),
                     static_mounts=[("download", str(site_dir))],
                     settings={"sql_time_limit_ms": 1000, "max_returned_rows": 1000, "allow_download": True})


# --- versions and citation ------------------------------------------------------------------

def test_version_agrees_everywhere():
    assert release.version_problems(ROOT) == []


def test_citation_cff_is_valid_cff_1_2():
    import jsonschema

    schema = json.loads((ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json").read_text())
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cff = json.loads(json.dumps(cff, default=lambda v: v.isoformat() if isinstance(v, datetime.date) else v))
    jsonschema.validate(cff, schema, format_checker=jsonschema.FormatChecker())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["license"] == Package(ROOT).descriptor["licenses"][0]["name"]


def test_changelog_lists_every_published_id():
    """Ids added minus ids withdrawn, over every version, are exactly the published ids."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    current = release.package_tables(ROOT)
    for table in release.ID_TABLES:
        listed = set()
        for version in reversed(release.changelog_versions(text)):
            ids = release.changelog_ids(release.changelog_entry(text, version))
            assert {"added", "changed", "withdrawn"} <= set(ids), version
            listed |= set(ids["added"].get(table, []))
            listed -= set(ids["withdrawn"].get(table, []))
        assert listed == set(current[table]), table


def test_version_mismatch_is_caught(tmp_path):
    for name in ("datapackage.json", "CITATION.cff", "CHANGELOG.md"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    (tmp_path / "CITATION.cff").write_text((ROOT / "CITATION.cff").read_text().replace("version: ", "version: 9"))
    assert any("CITATION.cff version" in p for p in release.version_problems(tmp_path))


# --- the site -------------------------------------------------------------------------------

async def test_home_page_scope_version_citation_downloads(site):
    r = await site.client.get("/")
    assert r.status_code == 200
    d = Package(ROOT).descriptor
    assert f"Version <strong>{d['version']}</strong>" in r.text
    assert "Nothing invented" in r.text and "not what happened" in r.text
    assert html.escape(citation(d)) in r.text
    assert 'id="search-all-q"' in r.text  # datasette-search-all's box
    hrefs = [f"{DOWNLOAD_MOUNT}datapackage.json", f"/{DATABASE}.db", f"{DOWNLOAD_MOUNT}CITATION.cff"]
    hrefs += [DOWNLOAD_MOUNT + r["path"] for r in d["resources"]]
    for href in hrefs:
        assert f'href="{href}"' in r.text, href
        got = await site.client.get(href)
        assert got.status_code == 200 and got.content, href
    csv_served = (await site.client.get(f"{DOWNLOAD_MOUNT}data/exercises.csv")).content
    assert csv_served == (ROOT / "data" / "exercises.csv").read_bytes()


async def test_every_page_shows_version_license_and_source(site):
    version = Package(ROOT).version
    pages = ["/", f"/{DATABASE}"] + [f"/{DATABASE}/{t}" for t in TABLES + ("conflicts",)]
    pages += [f"/{DATABASE}/exercises/{EXERCISE}", f"/{DATABASE}/search?q=vostok", f"/{DATABASE}/exercises_by_year"]
    for page in pages:
        text = (await site.client.get(page)).text
        assert f"version {version}" in text and "CC-BY-4.0" in text and "Data source" in text, page


async def test_serving_settings(site):
    settings = (await site.client.get("/-/settings.json")).json()
    assert settings["sql_time_limit_ms"] == 1000 and settings["max_returned_rows"] == 1000
    r = await site.client.get(f"/{DATABASE}/exercises.json")
    assert r.headers["access-control-allow-origin"] == "*"
    r = await site.client.get(f"/{DATABASE}/exercises.csv?_stream=on")
    assert r.headers["access-control-allow-origin"] == "*"
    assert len(list(csv.reader(io.StringIO(r.text)))) == 9
    r = await site.client.get(f"/{DATABASE}.db")  # immutable: the database is downloadable
    assert r.status_code == 200 and r.content[:16] == b"SQLite format 3\x00"


def test_makefile_serves_immutable_with_the_settings():
    opts = shlex.split(makefile_value("serve-opts"))
    assert "-i" in opts and "--inspect-file" in opts and "--cors" in opts
    assert "download:build/site" in opts and "templates" in opts and "plugins" in opts
    for setting in ("sql_time_limit_ms", "max_returned_rows"):
        assert setting in opts
    assert set(shlex.split(makefile_value("datasette-opts"))) <= set(opts)


async def test_robots_keep_off_query_urls(site):
    r = await site.client.get("/robots.txt")
    assert r.status_code == 200
    rules = [line.split(":", 1)[1].strip() for line in r.text.splitlines() if line.startswith("Disallow:")]
    assert "/*?" in rules and f"/{DATABASE}.json" in rules and f"/{DATABASE}.csv" in rules


async def test_exercise_row_page_links_participants_statements_evidence_sources(site):
    r = await site.client.get(f"/{DATABASE}/exercises/{EXERCISE}")
    assert r.status_code == 200
    for href in (f"/{DATABASE}/participants?exercise_id={EXERCISE}", f"/{DATABASE}/statements?exercise_id={EXERCISE}",
                 f"/{DATABASE}/exercise_evidence?exercise_id={EXERCISE}", f"/{DATABASE}/sources/003_8aed447154efcc44"):
        assert f'href="{href}"' in r.text, href
        assert (await site.client.get(href)).status_code == 200


async def test_search_canned_query_finds_anti_terrorism(site):
    rows = (await site.client.get(f"/{DATABASE}/search.json?q=anti-terrorism&_shape=array")).json()
    assert rows and all("[anti-terrorism]" in row["match"].lower() for row in rows)
    rows = (await site.client.get(f"/{DATABASE}/search.json?q=%22vostok%22+exercises&_shape=array")).json()
    assert any(row["exercise_id"] == "vostok-2022" for row in rows)  # quotes in the input are harmless
    page = (await site.client.get(f"/{DATABASE}/search?q=anti-terrorism")).text
    assert f'href="/{DATABASE}/statements/s000-xinhua-joint-anti-terrorism"' in page  # ids link to rows


async def test_timeline_has_every_exercise_and_a_chart_link(site):
    rows = (await site.client.get(f"/{DATABASE}/exercises_by_year.json?_shape=array")).json()
    assert len(rows) == 8 and [r["year"] for r in rows] == sorted(r["year"] for r in rows)
    home = (await site.client.get("/")).text
    assert f"/{DATABASE}/exercises_by_year#g.mark=bar&amp;g.x_column=year" in home


async def test_map_is_configured_on_the_exercises_table(site):
    r = await site.client.get(f"/{DATABASE}/exercises")
    assert "datasette-cluster-map.js" in r.text and 'id="exercise-map"' in r.text
    assert "exercises with a known place" in r.text
    located = (await site.client.get(f"/{DATABASE}/exercises.json?_shape=array&_where=latitude+is+not+null")).json()
    assert [e["exercise_id"] for e in located] == [EXERCISE]


async def test_facets_and_labels(site):
    r = (await site.client.get(f"/{DATABASE}/exercises.json?_extra=facet_results")).json()
    facets = r["facet_results"]
    assert {"year", "host_country", "domains"} <= set(facets)
    r = (await site.client.get(f"/{DATABASE}/participants.json?_labels=on&_shape=array&_size=1")).json()
    assert isinstance(r[0]["exercise_id"], dict) and r[0]["exercise_id"]["label"]
    r = (await site.client.get(f"/{DATABASE}/statements.json?_extra=facet_results")).json()
    assert {"speaker", "organization"} <= set(r["facet_results"])


# --- publishing and releases ----------------------------------------------------------------

def test_publish_command_is_well_formed():
    """The command `make publish-command` prints parses as `datasette publish cloudrun`, with the
    serving settings as valid `datasette serve` options and the plugins pinned as in requirements.txt."""
    from datasette.cli import cli

    argv = shlex.split(makefile_value("publish-command"))
    assert Path(argv[0]).name == "datasette" and argv[1:3] == ["publish", "cloudrun"]
    publish = cli.commands["publish"].commands["cloudrun"]
    ctx = publish.make_context("cloudrun", argv[3:], resilient_parsing=False)  # checks paths exist
    p = ctx.params
    assert [Path(f).name for f in p["files"]] == [f"{DATABASE}.db"]
    assert p["template_dir"] and p["plugins_dir"] and p["static"] and p["service"]
    assert p["metadata"] is not None
    pins = {line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()}
    for package in p["install"]:
        assert package in pins, package
    assert {i.split("==")[0] for i in p["install"]} >= {"datasette", "datasette-cluster-map", "datasette-vega",
                                                         "datasette-search-all"}
    serve = cli.commands["serve"]
    serve.make_context("serve", shlex.split(p["extra_options"]) + ["x.db"])  # valid serve options
    assert set(shlex.split(p["extra_options"])) <= set(shlex.split(makefile_value("datasette-opts")))


def test_release_zip(built_project, tmp_path):
    for name in ("README.md", "CITATION.cff", "CHANGELOG.md"):
        (built_project / name).write_bytes((ROOT / name).read_bytes())
    target = release.write_release(built_project, tmp_path)
    d = Package(built_project).descriptor
    assert target.name == f"{d['name']}-{d['version']}.zip"
    with zipfile.ZipFile(target) as z:
        names = {n.split("/", 1)[1] for n in z.namelist()}
        expected = {"datapackage.json", f"{DATABASE}.db", "README.md", "CITATION.cff", "CHANGELOG.md", "SHA256SUMS"}
        expected |= {r["path"] for r in d["resources"]}
        assert names == expected
        import hashlib
        stem = f"{d['name']}-{d['version']}/"
        for line in z.read(stem + "SHA256SUMS").decode().splitlines():
            digest, name = line.split("  ")
            assert hashlib.sha256(z.read(stem + name)).hexdigest() == digest
    assert release.write_release(built_project, tmp_path).read_bytes() == target.read_bytes()  # reproducible


def test_release_cli_check():
    r = CliRunner().invoke(release.main, ["--root", str(ROOT), "--check"])
    assert r.exit_code == 0, r.output
