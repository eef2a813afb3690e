"""Datasette metadata: metadata.yml (written by a person: facets, sorts, canned queries,
plugins) completed with what datapackage.json already says (table and column descriptions,
license, source), so nothing is written twice."""
import json

import yaml

METADATA_FILE = "metadata.yml"
DATABASE = "china_russia_exercises"


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


def full_metadata(package, metadata):
    """metadata.yml plus, for every table, its description, license, source and column descriptions."""
    meta = json.loads(json.dumps(metadata))  # deep copy
    d = package.descriptor
    lic = d["licenses"][0]
    meta.setdefault("license", lic["name"])
    meta.setdefault("license_url", lic["path"])
    tables = meta["databases"][DATABASE].setdefault("tables", {})
    for name, resource in package.resources.items():
        t = tables.setdefault(name, {})
        t.setdefault("title", resource.get("title", name))
        t.setdefault("description", resource["description"])
        t.setdefault("license", lic["name"])
        t.setdefault("license_url", lic["path"])
        t.setdefault("source", meta.get("source"))
        t.setdefault("source_url", meta.get("source_url"))
        t["columns"] = {f["name"]: f["description"] for f in package.fields(name)}
    return meta
