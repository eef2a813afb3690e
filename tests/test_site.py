"""The published site and release, without a browser, on the fixture corpus: Datasette started from
the built configuration directory exactly as `make serve` does. Expected values are read from the
fixture's own data/, never written here."""
import datetime
import hashlib
import html
import json
import shlex
import sqlite3
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from support import ROOT, rows
from scripts.publish import release
from scripts.read.schema import Schema
from scripts.site.config import DOWNLOAD_MOUNT, citation, database_name, figures, read_metadata

DB = database_name(read_metadata(ROOT))




# --- versions and citation ------------------------------------------------------------------

def test_version_agrees_everywhere():
    assert release.version_problems(ROOT) == []


def test_version_mismatch_is_caught(tmp_path):
    for name in ("schema", "CITATION.cff", "CHANGELOG.md"):
        src = ROOT / name
        (tmp_path / name).mkdir() if src.is_dir() else None
        for f in ([src] if src.is_file() else src.iterdir()):
            (tmp_path / (name if src.is_file() else f"{name}/{f.name}")).write_bytes(f.read_bytes())
    (tmp_path / "CITATION.cff").write_text((ROOT / "CITATION.cff").read_text().replace("version: ", "version: 9"))
    assert any("CITATION.cff version" in p for p in release.version_problems(tmp_path))


def test_citation_cff_is_valid_cff_1_2():
    import jsonschema

    schema = json.loads((ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json").read_text())
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cff = json.loads(json.dumps(cff, default=lambda v: v.isoformat() if isinstance(v, datetime.date) else v))
    jsonschema.validate(cff, schema, format_checker=jsonschema.FormatChecker())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["license"] == Schema(ROOT).package["licenses"][0]["name"]


def test_changelog_entry_round_trips(built_project):
    """What `release changes` drafts, the changelog parser reads back: ids added since nothing are every id."""
    now = release.package_tables(built_project)
    draft = release.changelog_draft("9.9.9", "2026-01-01", release.changes({}, now), release.row_counts(built_project))
    ids = release.changelog_ids(release.changelog_entry(draft, "9.9.9"))
    for table in release.ID_TABLES:
        assert set(ids["added"][table]) == set(now[table]) and ids["withdrawn"][table] == []


# --- the site -------------------------------------------------------------------------------

async def test_home_page_scope_version_citation_figures_downloads(site, built_project, site_dir):
    r = await site.client.get("/")
    assert r.status_code == 200
    d = Schema(built_project).descriptor()
    assert f"Version <strong>{d['version']}</strong>" in r.text
    assert "Nothing invented" in r.text and "not what happened" in r.text
    assert html.escape(citation(d)) in r.text
    facts = figures(next(site_dir.glob("*.db")))
    assert html.escape(facts["values"]) in r.text and html.escape(facts["differences"]) in r.text
    assert 'href="/articles/"' in r.text
    hrefs = [f"{DOWNLOAD_MOUNT}datapackage.json", f"/{DB}.db", f"{DOWNLOAD_MOUNT}CITATION.cff",
             f"{DOWNLOAD_MOUNT}seeds/SHA256SUMS"] + [DOWNLOAD_MOUNT + r["path"] for r in d["resources"]]
    for href in hrefs:
        assert f'href="{href}"' in r.text, href
        got = await site.client.get(href)
        assert got.status_code == 200 and got.content, href
    for res in d["resources"]:  # the downloads are the package's files, byte for byte
        assert (await site.client.get(DOWNLOAD_MOUNT + res["path"])).content == (built_project / res["path"]).read_bytes()
    sums = (await site.client.get(f"{DOWNLOAD_MOUNT}seeds/SHA256SUMS")).text.splitlines()
    assert len(sums) == len(list((built_project / "seeds").glob("*.txt")))
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((await site.client.get(f"{DOWNLOAD_MOUNT}seeds/{name}")).content).hexdigest() == digest


async def test_every_page_shows_version_license_and_source(site, built_project):
    schema = Schema(built_project)
    some = rows(built_project, "exercises")[0]["exercise_id"]
    pages = ["/", f"/{DB}"] + [f"/{DB}/{t}" for t in list(schema.tables) + ["conflicts", "published_values"]]
    pages += [f"/{DB}/exercises/{some}", f"/{DB}/search?q=exercise", f"/{DB}/exercises_by_year"]
    for page in pages:
        r = await site.client.get(page)
        assert r.status_code == 200, page
        assert f"version {schema.version}" in r.text and "CC-BY-4.0" in r.text and "Data source" in r.text, page


async def test_serving_settings_and_cors(site, site_dir):
    settings = (await site.client.get("/-/settings.json")).json()
    assert settings == {**settings, **json.loads((ROOT / "site" / "settings.json").read_text())}
    r = await site.client.get(f"/{DB}/exercises.json")
    assert r.headers["access-control-allow-origin"] == "*"
    r = await site.client.get(f"/{DB}.db")  # immutable: the database is downloadable
    assert r.status_code == 200 and r.content[:16] == b"SQLite format 3\x00"


async def test_robots_keep_off_query_urls(site):
    r = await site.client.get("/robots.txt")
    assert r.status_code == 200
    rules = [line.split(":", 1)[1].strip() for line in r.text.splitlines() if line.startswith("Disallow:")]
    assert "/*?" in rules and f"/{DB}.json" in rules and f"/{DB}.csv" in rules


async def test_every_exercise_has_a_page_and_its_evidence(site, built_project):
    evidence = rows(built_project, "evidence")
    for row in rows(built_project, "exercises"):
        eid = row["exercise_id"]
        assert (await site.client.get(f"/{DB}/exercises/{eid}")).status_code == 200, eid
        got = (await site.client.get(f"/{DB}/exercise_evidence.json", params={"exercise_id": eid, "_shape": "array"})).json()
        assert sorted(g["evidence_id"] for g in got) == sorted(
            e["evidence_id"] for e in evidence if e["exercise_id"] == eid and e["table_name"] != "statements")


async def test_search_finds_a_word_of_each_exercise_name(site, built_project):
    for row in rows(built_project, "exercises"):
        word = max(row["name"].replace("/", " ").replace("-", " ").split(), key=len) if row["name"] else None
        if not word:
            continue
        found = (await site.client.get(f"/{DB}/search.json", params={"q": f'"{word}"', "_shape": "array"})).json()
        assert any(f["exercise_id"] == row["exercise_id"] for f in found), word  # quotes in the input are harmless


async def test_timeline_has_every_exercise(site, built_project):
    got = (await site.client.get(f"/{DB}/exercises_by_year.json?_shape=array&_size=max")).json()
    exercises = rows(built_project, "exercises")
    assert sorted(g["exercise_id"] for g in got) == sorted(e["exercise_id"] for e in exercises)
    years = [g["year"] for g in got if g["year"] is not None]
    assert years == sorted(years)


async def test_map_shows_the_exercises_with_a_place(site, built_project):
    r = await site.client.get(f"/{DB}/exercises")
    assert "datasette-cluster-map.js" in r.text and 'id="exercise-map"' in r.text
    located = (await site.client.get(f"/{DB}/exercises.json?_shape=array&_size=max&_where=latitude+is+not+null")).json()
    assert {e["exercise_id"] for e in located} == {e["exercise_id"] for e in rows(built_project, "exercises") if e["latitude"]}


async def test_facets_and_labels(site):
    facets = (await site.client.get(f"/{DB}/exercises.json?_extra=facet_results")).json()["facet_results"]
    assert {"year", "host_country", "domains"} <= set(facets)
    facets = (await site.client.get(f"/{DB}/evidence.json?_extra=facet_results")).json()["facet_results"]
    assert {"basis", "table_name", "field"} <= set(facets)
    got = (await site.client.get(f"/{DB}/participants.json?_labels=on&_shape=array&_size=max")).json()
    assert all(isinstance(r["exercise_id"], dict) and r["exercise_id"]["label"] not in (None, "None") for r in got)


async def test_basis_counts_on_the_site_equal_the_database(site, site_dir):
    conn = sqlite3.connect(next(site_dir.glob("*.db")))
    expected = dict(conn.execute("select basis, count(*) from published_values group by basis"))
    got = (await site.client.get(f"/{DB}/published_values.json?_extra=facet_results&_facet=basis")).json()
    counted = {f["value"]: f["count"] for f in got["facet_results"]["basis"]["results"]}
    assert counted == expected and set(expected) <= {"stated", "derived", "outside", None}


# --- publishing and releases ----------------------------------------------------------------

def test_publish_command_is_well_formed(built_project):
    """What `make publish-command` prints parses as `datasette publish cloudrun`, with the serving
    settings as valid `datasette serve` options and the plugins pinned as in requirements/build.txt."""
    from datasette.cli import cli

    (built_project / "requirements").mkdir(exist_ok=True)
    (built_project / "requirements" / "build.txt").write_bytes((ROOT / "requirements" / "build.txt").read_bytes())
    argv = shlex.split(release.publish_command(built_project, "svc"))
    assert argv[:3] == ["datasette", "publish", "cloudrun"]
    ctx = cli.commands["publish"].commands["cloudrun"].make_context("cloudrun", argv[3:])  # checks paths exist
    p = ctx.params
    assert [Path(f).name for f in p["files"]] == [f"{DB}.db"]
    assert p["template_dir"] and p["plugins_dir"] and p["static"] and p["service"] == "svc" and p["metadata"]
    pins = {line.strip() for line in (ROOT / "requirements" / "build.txt").read_text().splitlines()}
    assert set(p["install"]) <= pins
    assert {i.split("==")[0] for i in p["install"]} >= {"datasette", *release.PUBLISH_PLUGINS}
    cli.commands["serve"].make_context("serve", shlex.split(p["extra_options"]) + ["x.db"])  # valid serve options


def test_release_zip_holds_the_package_seeds_and_sums(built_project, tmp_path):
    target = release.write_release(built_project, tmp_path)
    d = Schema(built_project).descriptor()
    stem = f"{d['name']}-{d['version']}"
    assert target.name == f"{stem}.zip"
    with zipfile.ZipFile(target) as z:
        names = {n.split("/", 1)[1] for n in z.namelist()}
        expected = {"datapackage.json", f"{DB}.db", "README.md", "CITATION.cff", "CHANGELOG.md", "SHA256SUMS",
                    "seeds/SHA256SUMS"} | {r["path"] for r in d["resources"]}
        expected |= {f"seeds/{p.name}" for p in (built_project / "seeds").glob("*.txt")}
        assert names == expected
        for line in z.read(f"{stem}/SHA256SUMS").decode().splitlines():
            digest, name = line.split("  ")
            assert hashlib.sha256(z.read(f"{stem}/{name}")).hexdigest() == digest
        for p in (built_project / "seeds").glob("*.txt"):
            assert z.read(f"{stem}/seeds/{p.name}") == p.read_bytes()
    assert release.write_release(built_project, tmp_path).read_bytes() == target.read_bytes()  # reproducible


def test_release_check_cli():
    r = CliRunner().invoke(release.main, ["--root", str(ROOT), "check"])
    assert r.exit_code == 0, r.output
