"""Datasette metadata: metadata.yml (written by a person: facets, sorts, canned queries,
plugins) completed with what datapackage.json already says (table and column descriptions,
license, source, version), so nothing is written twice."""
import html
import json

import yaml

METADATA_FILE = "metadata.yml"
DATABASE = "china_russia_exercises"
# Where the site serves the package's files (datapackage.json, data/*.csv, CITATION.cff,
# CHANGELOG.md): `--static download:build/site`, written by `python -m scripts.release --site`.
DOWNLOAD_MOUNT = "/download/"


def read_metadata(root):
    return yaml.safe_load((root / METADATA_FILE).read_text(encoding="utf-8"))


def index_columns(metadata):
    """Columns Datasette facets or sorts on, per table: the load step indexes them."""
    tables = metadata["databases"][DATABASE]["tables"]
    out = {}
    for name, spec in tables.items():
        cols = {f for f in spec.get("facets", []) if isinstance(f, str)}  # array facets gain nothing from an index
        cols |= {spec[k] for k in ("sort", "sort_desc") if k in spec}
        out[name] = sorted(cols)
    return out


def citation(descriptor):
    """The plain-text citation of this version of the package (also in CITATION.cff)."""
    authors = "; ".join(c["title"] for c in descriptor.get("contributors", [])) or descriptor["title"]
    year = descriptor.get("created", "")[:4]
    return (f"{authors} ({year}). {descriptor['title']} (version {descriptor['version']}) [Data set]. "
            f"Data package “{descriptor['name']}”. License: {descriptor['licenses'][0]['name']}.")


def downloads_html(package):
    """The list of downloadable files, from the package's resources."""
    e = html.escape
    items = [f'<li><a href="{DOWNLOAD_MOUNT}datapackage.json">datapackage.json</a>: the Frictionless descriptor '
             f"(every table, column, type and constraint; version {e(package.descriptor['version'])})</li>"]
    for name, r in package.resources.items():
        items.append(f'<li><a href="{DOWNLOAD_MOUNT}{e(r["path"])}">{e(r["path"])}</a>: '
                     f'{e(r.get("description", name))}</li>')
    items.append(f'<li><a href="/{DATABASE}.db">{DATABASE}.db</a>: the SQLite database behind this site '
                 "(the tables above plus full-text indexes and the conflicts view)</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def _fill(text, values):
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def full_metadata(package, metadata):
    """metadata.yml plus, for every table, its description, license, source and column descriptions;
    the package's version, citation and downloads filled into the home page and footer."""
    meta = json.loads(json.dumps(metadata))  # deep copy
    d = package.descriptor
    lic = d["licenses"][0]
    values = {"version": html.escape(d["version"]), "created": html.escape(d.get("created", "")[:10]),
              "citation": html.escape(citation(d)), "downloads": downloads_html(package)}
    for key in ("description_html", "about"):
        if key in meta:
            meta[key] = _fill(meta[key], values)
    meta.setdefault("license", lic["name"])
    meta.setdefault("license_url", lic["path"])
    tables = meta["databases"][DATABASE].setdefault("tables", {})
    for name, resource in package.resources.items():
        t = tables.setdefault(name, {})
        t.setdefault("title", resource.get("title", name))
        t.setdefault("description", resource["description"])
        note = t.pop("note_html", None)
        if note:
            t.setdefault("description_html", f"<p>{html.escape(t['description'])}</p>\n{note}")
        t.setdefault("license", lic["name"])
        t.setdefault("license_url", lic["path"])
        t.setdefault("source", meta.get("source"))
        t.setdefault("source_url", meta.get("source_url"))
        t["columns"] = {f["name"]: f["description"] for f in package.fields(name)}
    # Canned query pages inherit nothing in Datasette 0.65: give them the license, source and version too.
    for query in meta["databases"][DATABASE].get("queries", {}).values():
        for key in ("license", "license_url", "source", "source_url", "about", "about_url"):
            if meta.get(key):
                query.setdefault(key, meta[key])
    return meta
