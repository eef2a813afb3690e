"""Write the site: a Datasette configuration directory, served with `datasette serve build/site`.

    <set>/<database>.db       the database (scripts/load.py)
    <set>/metadata.json       metadata.yml (written by a person: facets, queries, the home page),
                              completed from the schema (table and column descriptions, license,
                              source) and the data (version, citation, figures)
    <set>/settings.json       site/settings.json
    <set>/inspect-data.json   row counts: the database is served immutable
    <set>/templates, plugins, static    copies of site/
    <set>/download/           datapackage.json and data/ (scripts/write_package.py), seeds/ with
                              SHA256SUMS, README.md (with the figures below), CITATION.cff, CHANGELOG.md
"""
import hashlib
import html
import json
import re
import shutil
import sqlite3
from pathlib import Path

from ..errors import PipelineError
from ..read.files import read_input
from ..read.yaml_safe import LineDict, load_yaml

METADATA_FILE = "metadata.yml"
SITE_DIR = "site"
SITE_PARTS = ("settings.json", "templates", "plugins", "static")
DOCS = ("README.md", "CITATION.cff", "CHANGELOG.md")
DOWNLOAD_MOUNT = "/download/"
FIGURES = re.compile(r"(<!-- figures:start -->\n).*?(<!-- figures:end -->)", re.S)


def read_metadata(root):
    metadata = load_yaml(Path(root) / METADATA_FILE)
    if not isinstance(metadata, LineDict) or len(metadata.get("databases") or {}) != 1:
        raise PipelineError("metadata.yml must be a mapping with exactly one database under `databases:`",
                            file=Path(root) / METADATA_FILE)
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


def citation(descriptor):
    """The plain-text citation of this version of the package (also in CITATION.cff)."""
    authors = "; ".join(c["title"] for c in descriptor.get("contributors", [])) or descriptor["title"]
    return (f"{authors} ({descriptor.get('created', '')[:4]}). {descriptor['title']} (version {descriptor['version']}) "
            f"[Data set]. Data package “{descriptor['name']}”. License: {descriptor['licenses'][0]['name']}.")


def figures(db_path):
    """What the published values rest on, and how the articles differ: counted in the database."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        basis = dict(conn.execute("select basis, count(*) from published_values group by basis").fetchall())
        kinds = dict(conn.execute("select difference, count(*) from differences group by difference").fetchall())
        disagreements = conn.execute(
            "select d.exercise_id, d.field, d.value, d.because from differences d "
            "where d.difference = 'disagreement' order by d.exercise_id, d.field").fetchall()
    finally:
        conn.close()
    n = sum(basis.values())
    values = (f"Of {n:,} published values, {basis.get('stated', 0):,} are stated outright by a quote, "
              f"{basis.get('derived', 0):,} are derived from an article's own words by a named rule, and "
              f"{basis.get('outside', 0):,} rest on knowledge from outside the articles (the evidence names the fact); "
              "each value is counted by its best evidence. Computed columns (labels, country names, date "
              "precision, the troop figures copied from counts) are made from these values and not counted.")
    diffs = (f"The articles differ on {sum(kinds.values()):,} fields: {kinds.get('disagreement', 0):,} real disagreements, "
             f"{kinds.get('change over time', 0):,} changes over time between articles of different dates, "
             f"{kinds.get('precision', 0):,} differences of precision and {kinds.get('rewording', 0):,} rewordings of the same fact.")
    return {"values": values, "differences": diffs, "disagreements": disagreements}


def _home_values(schema, metadata, facts):
    d, db = schema.descriptor(), database_name(metadata)
    e = html.escape
    downloads = [f'<li><a href="{DOWNLOAD_MOUNT}datapackage.json">datapackage.json</a>: the Frictionless descriptor '
                 f"(every table, column, type and constraint; version {e(d['version'])})</li>"]
    downloads += [f'<li><a href="{DOWNLOAD_MOUNT}{e(r["path"])}">{e(r["path"])}</a>: {e(r["description"])}</li>'
                  for r in d["resources"]]
    downloads += [f'<li><a href="{DOWNLOAD_MOUNT}seeds/">seeds/</a>: the articles, verbatim, with their '
                  '<a href="/download/seeds/SHA256SUMS">SHA-256 sums</a> (quote offsets index into them)</li>',
                  f'<li><a href="/{db}.db">{db}.db</a>: the SQLite database behind this site</li>']
    items = "".join(f'<li><a href="/{db}/exercises/{e(eid)}">{e(eid)}</a>, {e(field)}: published {e(value)} '
                    f"({e(because)})</li>" for eid, field, value, because in facts["disagreements"])
    return {"version": e(d["version"]), "created": e(d.get("created", "")[:10]), "citation": e(citation(d)),
            "downloads": "<ul>\n" + "\n".join(downloads) + "\n</ul>", "figures": e(facts["values"]) + " "
            + e(facts["differences"]), "disagreements": f"<ul>{items}</ul>" if items else "<p>None.</p>"}


def full_metadata(schema, metadata, facts):
    """metadata.yml with its {placeholders} filled, and every table's description, license, source
    and column descriptions from the schema (so nothing is written twice)."""
    meta = json.loads(json.dumps(metadata))
    values = _home_values(schema, metadata, facts)
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
        for key, value in (("license", lic["name"]), ("license_url", lic["path"]), ("source", meta.get("source")),
                           ("source_url", meta.get("source_url"))):
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


def inspect_data(db_path, name):
    """What `datasette inspect` writes: the database's hash, size and row counts."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]
        counts = {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in tables}
    finally:
        conn.close()
    digest = hashlib.sha256(Path(db_path).read_bytes()).hexdigest()
    return {name: {"hash": digest, "size": Path(db_path).stat().st_size, "file": Path(db_path).name,
                   "tables": {t: {"count": n} for t, n in counts.items()}}}


def write_site(root, set_dir, schema, metadata, db_path):
    root, set_dir = Path(root), Path(set_dir)
    for part in SITE_PARTS:
        src = root / SITE_DIR / part
        if src.is_dir():
            shutil.copytree(src, set_dir / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copyfile(src, set_dir / part)
    download = set_dir / "download"
    seeds = download / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    sums = []
    for seed in sorted((root / "seeds").glob("*.txt")):
        data = read_input(seed, root)
        (seeds / seed.name).write_bytes(data)
        sums.append(f"{hashlib.sha256(data).hexdigest()}  {seed.name}\n")
    (seeds / "SHA256SUMS").write_text("".join(sums))
    facts = figures(db_path)
    for doc in DOCS:
        if (root / doc).exists():
            text = (root / doc).read_text(encoding="utf-8")
            if doc == "README.md":
                text = FIGURES.sub(lambda m: m.group(1) + facts["values"] + "\n" + facts["differences"] + "\n" + m.group(2), text)
            (download / doc).write_text(text, encoding="utf-8")
    meta = full_metadata(schema, metadata, facts)
    (set_dir / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (set_dir / "inspect-data.json").write_text(json.dumps(inspect_data(db_path, database_name(metadata)), indent=2) + "\n")
