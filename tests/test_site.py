"""The published site and release, without a browser, on the fixture corpus: Datasette started from
the built configuration directory exactly as `make serve` does. Expected values are read from the
fixture's own data/, seeds/ and schema, never written here."""

import base64
import datetime
import hashlib
import html
import json
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from support import ROOT, rows, site_of

from scripts.errors import PipelineError
from scripts.publish import release
from scripts.read.schema import Schema
from scripts.site import citation
from scripts.site.config import DOWNLOAD_MOUNT, database_name, figures, read_metadata
from scripts.site.search import sentences

DB = database_name(read_metadata(ROOT))


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.scripts, self._in_script = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "script" and "src" not in attrs:
            self._in_script = []

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append("".join(self._in_script))
            self._in_script = None


def parsed(page):
    p = Links()
    p.feed(page)
    return p


# --- versions and citation ------------------------------------------------------------------


def test_version_agrees_everywhere():
    assert release.version_problems(ROOT) == []


def test_version_mismatch_is_named_with_file_and_line(mini_project):
    changelog = mini_project / "CHANGELOG.md"
    changelog.write_text(re.sub(r"^## \[[^\]]+\]", "## [99.0.0]", changelog.read_text(), count=1, flags=re.M))
    problems = release.version_problems(mini_project)
    assert problems and problems[0].file == changelog and problems[0].line
    assert str(problems[0]).startswith(f"{changelog}:{problems[0].line}: ")


def test_citation_cff_is_valid_cff_1_2_and_written_from_package_yaml():
    import jsonschema

    schema = json.loads((ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json").read_text())
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cff = json.loads(json.dumps(cff, default=lambda v: v.isoformat() if isinstance(v, datetime.date) else v))
    jsonschema.validate(cff, schema, format_checker=jsonschema.FormatChecker())
    package = Schema(ROOT).package
    assert cff["type"] == "dataset" and cff["license"] == package["licenses"][0]["name"]
    assert cff["version"] == package["version"] and cff["repository-code"].startswith("https://")
    assert [a.get("name") for a in cff["authors"]] == [c["title"] for c in package["contributors"]]


def test_named_maintainers_come_from_package_yaml_alone():
    package = dict(
        Schema(ROOT).package,
        contributors=[
            {"title": "A. Curator", "givenName": "Ada", "familyName": "Curator", "roles": ["creator"]},
            {"title": "The Team", "roles": ["curator"]},
        ],
    )
    cff = yaml.safe_load(citation.cff(package, "https://example.org/r"))
    assert cff["authors"] == [{"family-names": "Curator", "given-names": "Ada"}, {"name": "The Team"}]
    bib = citation.bibtex(package, "https://example.org/r")
    assert "author = {Curator, Ada and {The Team}}" in bib and "url = {https://example.org/r}" in bib
    assert citation.plain(package).startswith("Ada Curator; The Team (")


def test_changelog_entry_round_trips(built_project):
    """What `release changes` drafts, the changelog parser reads back: ids added since nothing are every id."""
    now = release.package_tables(built_project)
    draft = release.changelog_draft("9.9.9", "2026-01-01", release.changes({}, now), release.row_counts(built_project))
    ids = release.changelog_ids(release.changelog_entry(draft, "9.9.9"))
    for table in release.ID_TABLES:
        assert set(ids["added"][table]) == set(now[table]) and ids["withdrawn"][table] == []


# --- the home page and downloads ------------------------------------------------------------


async def test_home_page_scope_version_citation_bibtex_figures(site, built_project, site_dir):
    r = await site.client.get("/")
    assert r.status_code == 200
    package = Schema(built_project).package
    url = citation.repository_url(built_project, package)
    assert f"Version <strong>{package['version']}</strong>" in r.text
    assert "Nothing invented" in r.text and "not what happened" in r.text
    assert html.escape(citation.plain(package, url)) in r.text
    assert html.escape(citation.bibtex(package, url)) in r.text and f'href="{url}"' in r.text
    facts = figures(next(site_dir.glob("*.db")))
    assert html.escape(facts["values"]) in r.text and html.escape(facts["differences"]) in r.text
    assert 'id="search-all-q"' in r.text and 'action="/-/search"' in r.text


async def test_every_link_on_the_home_page_answers(site):
    hrefs = {h.split("#")[0] for h in parsed((await site.client.get("/")).text).hrefs if h.startswith("/")}
    assert {"/download/", "/download/seeds/", "/articles/", "/timeline", "/codebook", f"/{DB}.db"} <= hrefs
    for href in sorted(hrefs):
        r = await site.client.get(href)
        assert r.status_code == 200, href


async def test_download_index_lists_every_file_with_its_size_and_hash(site, site_dir):
    page = (await site.client.get("/download/")).text
    files = [p for p in (site_dir / "download").rglob("*") if p.is_file()] + list(site_dir.glob("*.db"))
    assert len(files) > 10
    for path in files:
        rel = path.relative_to(site_dir / "download").as_posix() if "download" in path.parts else path.name
        data = path.read_bytes()
        href = f"/{rel}" if path.suffix == ".db" else DOWNLOAD_MOUNT + rel
        row = re.search(rf'<tr><td><a href="{re.escape(href)}">.*?</tr>', page, re.S)
        assert row, rel
        assert f"{len(data):,}" in row.group(0) and hashlib.sha256(data).hexdigest() in row.group(0), rel
        got = await site.client.get(href)
        assert got.status_code == 200 and got.content == data, rel
    redirect = await site.client.get("/download")
    assert redirect.status_code == 302 and redirect.headers["location"] == "/download/"
    seeds = (await site.client.get("/download/seeds/")).text
    assert all(f'href="/download/seeds/{p.name}"' in seeds for p in (site_dir / "download" / "seeds").iterdir())


async def test_downloads_are_sent_with_their_type_and_charset(site, built_project):
    seed = rows(built_project, "sources")[0]["seed_file"]
    for path, expected in [
        (f"seeds/{seed}", "text/plain; charset=utf-8"),
        ("seeds/SHA256SUMS", "text/plain; charset=utf-8"),
        ("data/exercises.csv", "text/csv; charset=utf-8"),
        ("datapackage.json", "application/json; charset=utf-8"),
        ("exercises.geojson", "application/geo+json; charset=utf-8"),
        ("CITATION.cff", "text/plain; charset=utf-8"),
    ]:
        r = await site.client.get(DOWNLOAD_MOUNT + path)
        assert r.status_code == 200 and r.headers["content-type"] == expected, path


async def test_only_listed_files_are_served(site):
    for path in (
        "../metadata.json",
        "..%2fmetadata.json",
        "nope.txt",
        "seeds/../../inspect-data.json",
        "downloads.json",
        "seeds/nope.txt",
        "nope/",
    ):
        r = await site.client.get(DOWNLOAD_MOUNT + path)
        assert r.status_code == 404, path


# --- a Content-Security-Policy on everything ------------------------------------------------


def policy_scripts(policy):
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    return directives["script-src"].split()


async def test_every_response_forbids_inline_and_foreign_script(site, built_project):
    eid = rows(built_project, "exercises")[0]["exercise_id"]
    sid = rows(built_project, "sources")[0]["source_id"]
    pages = [
        "/",
        f"/{DB}",
        f"/{DB}/exercises",
        f"/{DB}/exercises/{eid}",
        f"/articles/{sid}",
        "/articles/",
        "/-/search?q=drills",
        "/download/",
        "/timeline",
        "/codebook",
        f"/{DB}/exercise_evidence?exercise_id={eid}",
        f"/{DB}?sql=select+1.5+as+latitude,+2.5+as+longitude",
        "/nope",
    ]
    others = [
        f"/{DB}/exercises.json",
        f"/{DB}/exercises.csv",
        "/download/datapackage.json",
        "/static/reader.js",
        "/-/search.json?q=drills",
        "/robots.txt",
    ]
    for path in pages + others:
        r = await site.client.get(path)
        sources = policy_scripts(r.headers["content-security-policy"])
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources and "*" not in sources, path
        assert sources[0] == "'self'" and all(s.startswith("'sha256-") for s in sources[1:]), path
        assert r.headers["x-content-type-options"] == "nosniff", path
        if path in pages:  # every inline script a page carries is one the policy names by its hash
            for script in parsed(r.text).scripts:
                digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
                assert f"'sha256-{digest}'" in sources, (path, script[:80])


async def test_the_site_writes_no_inline_script_of_its_own(site, built_project):
    eid = rows(built_project, "exercises")[0]["exercise_id"]
    sid = rows(built_project, "sources")[0]["source_id"]
    for path in (f"/articles/{sid}", f"/{DB}/exercises/{eid}", "/-/search?q=drills", "/download/", "/timeline"):
        page = (await site.client.get(path)).text
        assert '<script src="/static/reader.js" defer>' in page, path
        assert " onclick=" not in page and "javascript:" not in page, path


# --- search everything ----------------------------------------------------------------------


async def search(site, q, kind=""):
    r = await site.client.get("/-/search.json", params={"q": q, "kind": kind})
    assert r.status_code == 200, q
    return {g["kind"]: g for g in r.json()["groups"]}


async def test_search_finds_each_kind_and_links_to_its_row(site, built_project):
    schema = Schema(built_project)
    for table in ("exercises", "participants", "statements", "reactions", "people"):
        columns = schema.searchable(table) or ["name"]
        for row in rows(built_project, table)[:3]:
            text = " ".join(str(row[c]) for c in columns if row.get(c))
            words = re.findall(r"[A-Za-z][A-Za-z-]{5,}", text)
            if not words:
                continue
            found = await search(site, words[0], table)
            key = [row[k] for k in schema.primary_key(table)]
            assert any(r["url"].endswith("/" + ",".join(key)) for r in found[table]["results"]), (table, words[0])


async def test_search_finds_the_sentence_in_its_article(site, built_project):
    """The words the issue named, found where they are: each sentence result links to offsets whose text holds
    the word, in the article the result names."""
    for word in ("Ningxia", "Lavrov", "Su-30SM", "Yinchuan", "Taliban"):
        found = await search(site, word, "articles")
        assert found, word
        for result in found["articles"]["results"]:
            sid, start, end = re.fullmatch(r"/articles/([^#]+)#char=(\d+),(\d+)", result["url"]).groups()
            seed = (built_project / "seeds" / f"{sid}.txt").read_text(encoding="utf-8")
            assert word.lower() in seed[int(start) : int(end)].lower(), (word, result)
            assert (int(start), int(end)) in sentences(seed)
    assert "people" in await search(site, "Lavrov") and "participants" in await search(site, "Su-30SM")
    assert "exercises" in await search(site, "Ningxia")


async def test_search_takes_any_input_safely(site):
    for q in ['"', "*", "NEAR(a b)", "-", "a OR b AND", "'; drop table x; --", "x" * 5000, "", "  "]:
        r = await site.client.get("/-/search", params={"q": q})
        assert r.status_code == 200, q
    page = (await site.client.get("/-/search", params={"q": "<script>alert(1)</script>"})).text
    assert "<script>alert(1)" not in page


# --- time, place and the codebook -----------------------------------------------------------


async def test_exercises_page_in_time_order_with_every_row(site, built_project):
    expected = sorted(r["chronology"] for r in rows(built_project, "exercises"))
    got, url = [], f"/{DB}/exercises.json?_sort=chronology&_size=2&_shape=objects"
    while url:
        r = (await site.client.get(url)).json()
        got += [row["chronology"] for row in r["rows"]]
        url = r["next_url"] and r["next_url"].split("localhost", 1)[-1]
    assert got == expected
    default = (await site.client.get(f"/{DB}/exercises.json?_shape=array&_size=max")).json()
    assert [r["chronology"] for r in default] == expected  # the table's own order is time
    assert (await site.client.get(f"/{DB}/exercises.json?_sort=year")).status_code == 400


def bars(svg):
    """{exercise_id: {"band": (x, width), "span": (x, width) or None}} from the timeline's SVG."""
    out = {}
    for m in re.finditer(r'<a href="/[^/]+/exercises/([^"]+)".*?</a>', svg, re.S):
        rects = {
            k: (float(x), float(w))
            for k, x, w in re.findall(r'<rect class="(band|span)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', m.group(0))
        }
        out[m.group(1)] = {"band": rects["band"], "span": rects.get("span")}
    return out


async def test_timeline_draws_each_exercise_at_its_precision(site, built_project):
    page = (await site.client.get("/timeline")).text
    drawn = bars(page)
    exercises = rows(built_project, "exercises")
    assert set(drawn) == {e["exercise_id"] for e in exercises}
    years = [int(e["year"]) for e in exercises]
    day = None
    for e in exercises:
        d = drawn[e["exercise_id"]]
        if len(e["start_date"]) == 10 and len(e["end_date"]) == 10:
            days = (datetime.date.fromisoformat(e["end_date"]) - datetime.date.fromisoformat(e["start_date"])).days + 1
            assert d["span"] and d["band"] == d["span"], e["exercise_id"]  # a known span: one solid bar
            day = d["span"][1] / days if d["span"][1] > 3 else day
        elif not e["start_date"]:
            assert d["span"] is None, e["exercise_id"]  # the year only: a band over the year, nothing solid
            year_width = d["band"][1]
    total_days = (datetime.date(max(years) + 1, 1, 1) - datetime.date(min(years), 1, 1)).days
    assert year_width == pytest.approx(365 * (960 - 230 - 10) / total_days, rel=0.01)
    month = next(e for e in exercises if len(e["start_date"]) == 7)  # a month: a band over that month
    assert drawn[month["exercise_id"]]["band"][1] == pytest.approx(year_width * 31 / 365, rel=0.1)


async def test_geojson_has_every_exercise_with_a_point(site, built_project):
    doc = (await site.client.get("/download/exercises.geojson")).json()
    located = {e["exercise_id"]: e for e in rows(built_project, "exercises") if e["latitude"]}
    assert located and doc["type"] == "FeatureCollection"
    assert {f["id"] for f in doc["features"]} == set(located)
    for f in doc["features"]:
        e = located[f["id"]]
        assert f["geometry"] == {"type": "Point", "coordinates": [float(e["longitude"]), float(e["latitude"])]}
        assert f["properties"]["start_date"] == (e["start_date"] or None) and f["properties"]["label"] == e["label"]


async def test_codebook_has_every_table_column_rule_and_check(site, built_project):
    page = html.unescape((await site.client.get("/codebook")).text)
    schema = Schema(built_project)
    for table in schema.tables:
        assert f'id="table-{table}"' in page, table
        for f in schema.fields(table):
            assert f'id="{table}.{f["name"]}"' in page and f["description"] in page, (table, f["name"])
    for rule in schema.rows("rules"):
        assert f'id="rule-{rule["rule_id"]}"' in page and rule["check"] in page
    for check in (built_project / "checks").glob("*.sql"):
        assert check.read_text().splitlines()[0].removeprefix("--").strip() in page, check.name
    for kind in schema.kinds:
        assert f'id="kind-{kind}"' in page
    standalone = (await site.client.get("/download/codebook.html")).text
    assert all(f'id="table-{t}"' in standalone for t in schema.tables)


# --- annotations ----------------------------------------------------------------------------


async def test_annotations_are_web_annotations_of_every_quote(site, built_project):
    evidence, statements = rows(built_project, "evidence"), rows(built_project, "statements")
    for source in rows(built_project, "sources"):
        sid = source["source_id"]
        r = await site.client.get(f"/download/annotations/{sid}.jsonld")
        assert r.headers["content-type"] == "application/ld+json; charset=utf-8"
        doc = r.json()
        assert doc["@context"][0] == "http://www.w3.org/ns/anno.jsonld" and doc["type"] == "AnnotationCollection"
        items = doc["first"]["items"]
        mine = {e["evidence_id"]: (e, e["record_id"], e["value"]) for e in evidence if e["source_id"] == sid}
        mine |= {s["statement_id"]: (s, s["statement_id"], s["quote"]) for s in statements if s["source_id"] == sid}
        assert doc["total"] == len(items) == len(mine) and {a["id"][1:] for a in items} == set(mine)
        seed = (built_project / "seeds" / source["seed_file"]).read_text(encoding="utf-8")
        for a in items:
            row, record, value = mine[a["id"][1:]]
            quote, position = a["target"]["selector"]
            start, end = int(row["quote_start"]), int(row["quote_end"])
            assert a["type"] == "Annotation" and a["target"]["source"] == f"../seeds/{source['seed_file']}"
            assert position == {"type": "TextPositionSelector", "start": start, "end": end}
            assert quote["exact"] == seed[start:end] == row["quote"]
            assert seed[:start].endswith(quote["prefix"]) and seed[end:].startswith(quote["suffix"])
            assert (a["body"]["record"], a["body"]["value"]) == (record, value)
        assert f'href="/download/annotations/{sid}.jsonld"' in (await site.client.get(f"/articles/{sid}")).text


# --- publishing and releases ----------------------------------------------------------------


def test_publish_command_is_well_formed(built_project):
    """What `make publish-command` prints parses as `datasette publish cloudrun`, with the serving
    settings as valid `datasette serve` options and Datasette and its plugins as requirements/build.in pins them."""
    from datasette.cli import cli

    (built_project / "requirements").mkdir(exist_ok=True)
    shutil.copy(ROOT / "requirements" / "build.in", built_project / "requirements" / "build.in")
    argv = shlex.split(release.publish_command(built_project, "svc"))
    assert argv[:3] == ["datasette", "publish", "cloudrun"]
    ctx = cli.commands["publish"].commands["cloudrun"].make_context("cloudrun", argv[3:])  # checks paths exist
    p = ctx.params
    assert [Path(f).name for f in p["files"]] == [f"{DB}.db"]
    assert p["template_dir"] and p["plugins_dir"] and p["static"] and p["service"] == "svc" and p["metadata"]
    pinned = [
        line.strip()
        for line in (ROOT / "requirements" / "build.in").read_text().splitlines()
        if line.startswith("datasette")
    ]
    assert list(p["install"]) == pinned and any(i.startswith("datasette==") for i in pinned)
    cli.commands["serve"].make_context("serve", shlex.split(p["extra_options"]) + ["x.db"])  # valid serve options


@pytest.fixture
def releasable(built_project, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(built_project, root, symlinks=True)
    return root


def test_release_zip_holds_the_set_and_is_reproducible(releasable, tmp_path):
    target = release.write_release(releasable, tmp_path / "out")
    d = Schema(releasable).descriptor()
    stem = f"{d['name']}-{d['version']}"
    site = site_of(releasable)
    with zipfile.ZipFile(target) as z:
        names = {n.split("/", 1)[1] for n in z.namelist()}
        download = {p.relative_to(site / "download").as_posix() for p in (site / "download").rglob("*") if p.is_file()}
        assert names == download | {f"{DB}.db", "SHA256SUMS"}
        assert {"datapackage.json", "codebook.html", "exercises.geojson", "CITATION.cff"} <= names
        assert any(n.startswith("annotations/") for n in names)
        for line in z.read(f"{stem}/SHA256SUMS").decode().splitlines():
            digest, name = line.split("  ")
            assert hashlib.sha256(z.read(f"{stem}/{name}")).hexdigest() == digest
    first = target.read_bytes()
    assert release.write_release(releasable, tmp_path / "out").read_bytes() == first  # the same again
    beside = site / "release" / target.name
    assert beside.read_bytes() == first
    assert (site / "release" / f"{target.name}.sha256").read_text().split()[0] == hashlib.sha256(first).hexdigest()


async def test_the_site_lists_and_serves_the_release_zip(releasable, tmp_path):
    from datasette.app import Datasette

    target = release.write_release(releasable, tmp_path / "out")
    ds = Datasette(config_dir=site_of(releasable))
    page = (await ds.client.get("/download/")).text
    assert f'href="/download/{target.name}"' in page and hashlib.sha256(target.read_bytes()).hexdigest() in page
    r = await ds.client.get(f"/download/{target.name}")
    assert r.status_code == 200 and r.content == target.read_bytes() and r.headers["content-type"] == "application/zip"


def test_a_released_version_is_never_overwritten(releasable, tmp_path):
    target = release.write_release(releasable, tmp_path / "out")
    before = target.read_bytes()
    csv = site_of(releasable) / "download" / "data" / "exercises.csv"
    csv.write_bytes(csv.read_bytes() + b"")  # the same content: allowed
    release.write_release(releasable, tmp_path / "out")
    csv.write_bytes(csv.read_bytes().replace(b"held", b"HELD", 1))  # other content under the same version
    with pytest.raises(PipelineError, match="released with other content") as e:
        release.write_release(releasable, tmp_path / "out")
    assert e.value.file == releasable / "schema" / "package.yaml" and e.value.line
    assert target.read_bytes() == before


def test_release_cli_exit_contract(releasable, monkeypatch):
    r = CliRunner().invoke(release.main, ["--root", str(ROOT), "check"])
    assert r.exit_code == 0, r.output
    changelog = releasable / "CHANGELOG.md"
    changelog.write_text(re.sub(r"^## \[[^\]]+\]", "## [99.0.0]", changelog.read_text(), count=1, flags=re.M))
    r = CliRunner().invoke(release.main, ["--root", str(releasable), "check"])
    assert r.exit_code == 1 and re.search(r"CHANGELOG\.md:\d+: the newest entry", r.output), r.output
    r = CliRunner().invoke(release.main, ["--root", str(releasable), "changes", str(releasable / "README.md")])
    assert r.exit_code == 1 and "README.md: not a release zip" in r.output, r.output
    r = CliRunner().invoke(release.main, ["--root", str(releasable), "--no-such-option"])
    assert r.exit_code == 1, r.output
    monkeypatch.setattr(release, "publish_command", lambda root, service: {}["a bug"])
    r = CliRunner().invoke(release.main, ["--root", str(releasable), "publish-command"])
    assert r.exit_code == 2 and "internal error" in r.output and "KeyError" in r.output, r.output


# --- a running server survives rebuilds ------------------------------------------------------


def build(root):
    subprocess.run([sys.executable, "-m", "scripts.build", "--root", str(root), "--quiet"], cwd=ROOT, check=True)


def get(url):
    """(status, body), the body without the footer's timing (it differs on every request)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            status, body = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    return status, re.sub(rb"Queries took [0-9.]+ms", b"", body)


def test_a_running_server_keeps_its_set_through_three_builds(built_project, tmp_path):
    """`datasette serve build/site` (the link, not its target), then three builds, the first changing the
    data: every kind of page answers, from the set the server started on, and that set stays on disk
    until the server stops."""
    root = tmp_path / "p"
    shutil.copytree(built_project, root, symlinks=True)
    started_on = site_of(root)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "datasette"), "serve", str(root / "build" / "site"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    statement = "s003-ru-mod-aims"
    sid, eid = rows(root, "sources")[0]["source_id"], rows(root, "exercises")[0]["exercise_id"]
    pages = [
        "/",
        "/articles/",
        f"/articles/{sid}",
        "/download/",
        f"/download/seeds/{sid}.txt",
        f"/{DB}.db",
        f"/{DB}/exercises/{eid}",
        f"/{DB}/statements/{statement}",
        "/timeline",
        "/-/search?q=drills",
        "/static/reader.js",
    ]
    try:
        for _ in range(150):
            try:
                get(base + "/-/versions.json")
                break
            except OSError:  # not listening yet
                time.sleep(0.2)
        before = {p: get(base + p) for p in pages}
        assert all(status == 200 for status, _ in before.values()), before
        curation = root / "curation" / "003_8aed447154efcc44.yaml"
        curation.write_text(curation.read_text().replace(f"statement_id: {statement}", f"statement_id: {statement}-x"))
        for n in range(3):
            build(root)
            assert site_of(root) != started_on and started_on.is_dir(), n
            for p in pages:
                assert get(base + p) == before[p], (n, p)  # the same answer, from the same set
        assert f"{statement}-x" in (site_of(root) / "download" / "data" / "statements.csv").read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)
    build(root)
    assert not started_on.exists()  # no server holds it any more: the next build removes it
    assert len(list((root / "build" / "sets").iterdir())) == 2  # the published set and the one before it
