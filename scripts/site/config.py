"""Write the site: a Datasette configuration directory, served with `datasette serve build/site`.

<set>/<database>.db       the database (scripts/load), with the search index (search.py)
<set>/metadata.json       metadata.yml (written by a person: facets, queries, the home page),
                          completed from the schema (table and column descriptions, license,
                          source) and the data (version, citation, figures)
<set>/settings.json       site/settings.json
<set>/inspect-data.json   row counts: the database is served immutable
<set>/templates, plugins, static    copies of site/
<set>/articles.json, timeline.svg, codebook.fragment.html    pages made at build time
<set>/downloads.json      every downloadable file with its size, sha256 and what it is
<set>/.serving            a server holds a shared lock on it while it serves this set (publish/switch.py)
<set>/download/           datapackage.json and data/ (package/write.py), seeds/ with SHA256SUMS,
                          annotations/ (W3C Web Annotations), exercises.geojson, codebook.html,
                          README.md (with the figures below), CITATION.cff, CHANGELOG.md
"""

import hashlib
import html
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import PipelineError
from ..read.files import read_input
from ..read.yaml_safe import LineDict, load_yaml
from . import citation
from .annotations import write_annotations
from .codebook import write_codebook
from .content import counts_by_source, read_content
from .downloads import write_manifest
from .geo import GEOJSON_FILE, write_geojson
from .search import write_search_index
from .timeline import write_timeline

METADATA_FILE = "metadata.yml"
SITE_DIR = "site"
SITE_PARTS = ("settings.json", "templates", "plugins", "static")
DOCS = ("README.md", "CHANGELOG.md")
DOWNLOAD_MOUNT = "/download/"
SERVING_FILE = ".serving"
ARTICLE_INDEX_FILE = "articles.json"
FIGURES = re.compile(r"(<!-- figures:start -->\n).*?(<!-- figures:end -->)", re.S)
README_IMAGES = re.compile(r"!\[[^\]]*\]\((docs/[A-Za-z0-9_.-]+\.png)\)")  # shipped beside the README


def read_metadata(root):
    metadata = load_yaml(Path(root) / METADATA_FILE, root=root)
    if not isinstance(metadata, LineDict) or len(metadata.get("databases") or {}) != 1:
        raise PipelineError(
            "metadata.yml must be a mapping with exactly one database under `databases:`",
            file=Path(root) / METADATA_FILE,
        )
    return json.loads(json.dumps(metadata))  # plain dicts


def database_name(metadata):
    """The database's name: the one key under metadata.yml's `databases:` (its one home)."""
    return next(iter(metadata["databases"]))


def index_columns(metadata):
    """Columns Datasette facets or sorts on, per table: the load step indexes them."""
    out = {}
    for name, spec in metadata["databases"][database_name(metadata)].get("tables", {}).items():
        cols = {f for f in spec.get("facets", []) if isinstance(f, str)}  # array facets gain nothing from an index
        cols |= {spec[k] for k in ("sort", "sort_desc") if k in spec}
        out[name] = sorted(cols)
    return out


def figures(db_path):
    """What the published values rest on, and how the articles differ: counted in the database."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        basis = dict(conn.execute("select basis, count(*) from published_values group by basis").fetchall())
        kinds = dict(conn.execute("select difference, count(*) from differences group by difference").fetchall())
        disagreements = conn.execute(
            "select d.exercise_id, d.field, d.value, d.because from differences d "
            "where d.difference = 'disagreement' order by d.exercise_id, d.field"
        ).fetchall()
    finally:
        conn.close()
    n = sum(basis.values())
    values = (
        f"Of {n:,} published values, {basis.get('stated', 0):,} are stated outright by a quote, "
        f"{basis.get('derived', 0):,} are derived from an article's own words by a named rule, and "
        f"{basis.get('outside', 0):,} rest on knowledge from outside the articles (the evidence names the fact); "
        "each value is counted by its best evidence. Computed columns (labels, country names, date "
        "precision, the troop figures copied from counts) are made from these values and not counted."
    )
    diffs = (
        f"The articles differ on {sum(kinds.values()):,} fields. By kind: "
        f"real disagreement {kinds.get('disagreement', 0):,}; "
        f"change over time between articles of different dates {kinds.get('change over time', 0):,}; "
        f"difference of precision {kinds.get('precision', 0):,}; "
        f"rewording of the same fact {kinds.get('rewording', 0):,}."
    )
    return {"values": values, "differences": diffs, "disagreements": disagreements}


def _home_values(root, schema, metadata, facts):
    d, db = schema.descriptor(), database_name(metadata)
    e = html.escape
    url = citation.repository_url(root, schema.package)
    items = "".join(
        f'<li><a href="/{db}/exercises/{e(eid)}">{e(eid)}</a>, {e(field)}: published {e(value)} ({e(because)})</li>'
        for eid, field, value, because in facts["disagreements"]
    )
    m = DOWNLOAD_MOUNT
    tables = ", ".join(f'<a href="{m}{e(r["path"])}">{e(r["name"])}</a>' for r in d["resources"])
    downloads = (
        f'<a href="{m}">Every file</a>, with its size and SHA-256, and the release zip. '
        f'The package: <a href="{m}datapackage.json">datapackage.json</a> and its tables as CSV ({tables}); '
        f'the articles, verbatim: <a href="{m}seeds/">seeds/</a>; their quoted spans as W3C Web '
        f'Annotations: <a href="{m}annotations/">annotations/</a>; the exercises with a point as '
        f'<a href="{m}{GEOJSON_FILE}">GeoJSON</a>; the database: <a href="/{db}.db">{db}.db</a>.'
    )
    return {
        "downloads": downloads,
        "version": e(d["version"]),
        "created": e(d.get("created", "")[:10]),
        "citation": e(citation.plain(schema.package, url)),
        "bibtex": e(citation.bibtex(schema.package, url)),
        "repository": f'<a href="{e(url)}">{e(url)}</a>' if url else "(no repository address yet)",
        "figures": e(facts["values"]) + " " + e(facts["differences"]),
        "disagreements": f"<ul>{items}</ul>" if items else "<p>None.</p>",
    }


def full_metadata(root, schema, metadata, facts):
    """metadata.yml with its {placeholders} filled, and every table's description, license, source
    and column descriptions from the schema (so nothing is written twice)."""
    meta = json.loads(json.dumps(metadata))
    values = _home_values(root, schema, metadata, facts)
    for key in ("description_html", "about"):
        if key in meta:
            for name, value in values.items():
                meta[key] = meta[key].replace("{" + name + "}", value)
    lic = schema.package["licenses"][0]
    meta.setdefault("license", lic["name"])
    meta.setdefault("license_url", lic["path"])
    db = meta["databases"][database_name(metadata)]
    tables = db.setdefault("tables", {})
    for name, table in schema.tables.items():
        t = tables.setdefault(name, {})
        t.setdefault("title", table["title"])
        t.setdefault("description", table["description"])
        note = t.pop("note_html", None)
        if note:
            t.setdefault("description_html", f"<p>{html.escape(t['description'])}</p>\n{note}")
        for key, value in (
            ("license", lic["name"]),
            ("license_url", lic["path"]),
            ("source", meta.get("source")),
            ("source_url", meta.get("source_url")),
        ):
            t.setdefault(key, value)
        t["columns"] = {f["name"]: f["description"] for f in schema.fields(name)}
    # Datasette 0.65 orders a sorted table's first page by the sort column alone and the next pages by
    # (sort column, key): rows tied at the boundary are lost or repeated. So sorts are offered on unique
    # columns only; tables made on loading and views page in their own order.
    for name, t in tables.items():
        t.setdefault("sortable_columns", schema.unique_columns(name) if name in schema.tables else [])
    # Canned query pages inherit nothing in Datasette 0.65: give them the license, source and version too.
    for query in db.get("queries", {}).values():
        for key in ("license", "license_url", "source", "source_url", "about", "about_url"):
            if meta.get(key):
                query.setdefault(key, meta[key])
    return meta


def inspect_data(db_path, name, digest):
    """What `datasette inspect` writes: the database's hash, size and row counts."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]
        counts = {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in tables}
    finally:
        conn.close()
    return {
        name: {
            "hash": digest,
            "size": Path(db_path).stat().st_size,
            "file": Path(db_path).name,
            "tables": {t: {"count": n} for t, n in counts.items()},
        }
    }


def write_article_index(set_dir, content):
    """The article index's rows, newest first (undated last), counted once here: the page reads them."""
    counts = counts_by_source(content)
    rows = []
    for s in content.sources:
        n = counts[s["source_id"]]
        rows.append(
            {k: s[k] for k in ("source_id", "label", "publisher", "published_date", "url")}
            | {"n_evidence": n["n_evidence"], "n_statements": n["n_statements"], "n_exercises": len(n["exercises"])}
        )
    (set_dir / ARTICLE_INDEX_FILE).write_text(json.dumps(rows, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def _copy_site(root, set_dir):
    """site/'s templates, static files and plugins: regular files inside the project only (a link out of it is
    refused, never followed into the published site)."""
    for part in SITE_PARTS:
        src = root / SITE_DIR / part
        files = (
            [src]
            if src.is_file() or src.is_symlink()
            else sorted(p for p in src.rglob("*") if "__pycache__" not in p.parts and not p.is_dir())
            if src.is_dir()
            else []
        )
        for f in files:
            data = read_input(f, root)  # refuses links out of the project, FIFOs, devices
            dest = set_dir / part / f.relative_to(src) if f != src else set_dir / part
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)


def _write_seeds(root, download, sources):
    """download/seeds/: each article's bytes as read from seeds/ (regular files inside the project only),
    with SHA256SUMS; returns {source_id: text}."""
    seeds = download / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    sums, texts = [], {}
    by_file = {s["seed_file"]: s["source_id"] for s in sources}
    for seed in sorted((root / "seeds").glob("*.txt")):
        data = read_input(seed, root)
        (seeds / seed.name).write_bytes(data)
        sums.append(f"{hashlib.sha256(data).hexdigest()}  {seed.name}\n")
        if seed.name in by_file:
            texts[by_file[seed.name]] = data.decode("utf-8")
    (seeds / "SHA256SUMS").write_text("".join(sums))
    return texts


@dataclass
class Site:
    """What the site is written from: read once from the database and seeds/, before anything writes to
    the database again."""

    root: Path
    set_dir: Path
    download: Path
    db_name: str
    content: object  # content.Content
    texts: dict  # source_id -> the article's text
    facts: dict  # the figures of the README and the home page


def read_site(root, set_dir, schema, metadata, db_path):
    root, set_dir = Path(root), Path(set_dir)
    download = set_dir / "download"
    content = read_content(db_path, sorted(t for t in schema.tables if schema.searchable(t)))
    texts = _write_seeds(root, download, content.sources)
    return Site(root, set_dir, download, database_name(metadata), content, texts, figures(db_path))


def write_site(site, schema):
    """The site's pages and files (the database is not read: the checks may run on it meanwhile)."""
    root, set_dir, download, content = site.root, site.set_dir, site.download, site.content
    _copy_site(root, set_dir)
    for doc in DOCS:
        if (root / doc).exists():
            text = (root / doc).read_text(encoding="utf-8")
            if doc == "README.md":
                for image in sorted(set(README_IMAGES.findall(text))):
                    if (root / image).is_file():
                        (download / image).parent.mkdir(exist_ok=True)
                        (download / image).write_bytes(read_input(root / image, root, max_bytes=10_000_000))
                text = FIGURES.sub(
                    lambda m: m.group(1) + site.facts["values"] + "\n" + site.facts["differences"] + "\n" + m.group(2),
                    text,
                )
            (download / doc).write_text(text, encoding="utf-8")
    url = citation.repository_url(root, schema.package)
    (download / citation.CFF_FILE).write_text(citation.cff(schema.package, url), encoding="utf-8")
    vocabulary = (url or f"urn:{schema.package['name']}:").rstrip("/") + "/codebook#"
    write_annotations(download, content, site.texts, vocabulary)
    write_codebook(root, set_dir, download, schema)
    write_geojson(download, content.exercises, site.db_name)
    write_timeline(set_dir, content.exercises, site.db_name)
    write_article_index(set_dir, content)


def index_search(site, schema, db_path):
    """The search index, written into the database (once the checks have read it)."""
    write_search_index(db_path, schema, site.db_name, site.content, site.texts)


def list_site(site, schema, metadata, db_path):
    """The site's metadata, and the list of downloads with their hashes (the database's last)."""
    meta = full_metadata(site.root, schema, metadata, site.facts)
    (site.set_dir / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    manifest = write_manifest(
        site.set_dir, site.download, schema.descriptor() | {"version": schema.version}, site.content.sources, db_path
    )
    digest = next(f["sha256"] for f in manifest["files"] if f["path"] == Path(db_path).name)
    inspect = inspect_data(db_path, site.db_name, digest)
    (site.set_dir / "inspect-data.json").write_text(json.dumps(inspect, indent=2) + "\n")
    (site.set_dir / SERVING_FILE).touch()
