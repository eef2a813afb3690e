"""The list of every downloadable file of a set, with its size, SHA-256 and what it is: <set>/downloads.json,
written once the set's files are all written. The site's /download/ pages show it, and serve only the
files it lists (the release zip, added by `make release`, is listed beside it: see release.py)."""

import hashlib
import json
from pathlib import Path

from .annotations import ANNOTATIONS_DIR
from .codebook import CODEBOOK_FILE
from .geo import GEOJSON_FILE

MANIFEST_FILE = "downloads.json"
GROUPS = ("The data package", "The database", "The articles", "Provenance", "Formats for other tools", "Documentation")
DOCS = {
    "README.md": "What the dataset is, how to query, download and cite it",
    "CITATION.cff": "How to cite this version (Citation File Format 1.2.0)",
    "CHANGELOG.md": "The ids added, changed and withdrawn in each version",
    CODEBOOK_FILE: "The codebook: every table and column, the kinds of field, the derivation rules and checks",
}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def describe(rel, resources, labels):
    """(group, what it is) of a file of download/."""
    parts = rel.split("/")
    if rel == "datapackage.json":
        return GROUPS[0], "The Frictionless descriptor: every table, column, type and constraint, and each file's hash"
    if parts[0] == "data" and rel in resources:
        return GROUPS[0], resources[rel]
    if parts[0] == "seeds":
        if parts[-1] == "SHA256SUMS":
            return GROUPS[2], "SHA-256 of every article's text (check with sha256sum -c)"
        label = labels.get(Path(rel).stem, Path(rel).stem)
        return GROUPS[2], f"The article “{label}”, verbatim (quote offsets index into it)"
    if parts[0] == ANNOTATIONS_DIR:
        return GROUPS[3], (
            f"W3C Web Annotations of “{labels.get(Path(rel).stem, Path(rel).stem)}”: every quoted "
            "span, with the value it supports"
        )
    if parts[0] == "docs":
        return GROUPS[5], "An image the README shows"
    if rel == GEOJSON_FILE:
        return GROUPS[4], "The exercises with a point, as GeoJSON"
    return GROUPS[5], DOCS.get(rel, "")


def write_manifest(set_dir, download, descriptor, sources, db_path):
    resources = {r["path"]: r["description"] for r in descriptor["resources"]}
    labels = {s["source_id"]: s["label"] for s in sources}
    files = []
    for path in sorted(p for p in download.rglob("*") if p.is_file()):
        rel = path.relative_to(download).as_posix()
        group, about = describe(rel, resources, labels)
        files.append({"path": rel, "size": path.stat().st_size, "sha256": sha256(path), "group": group, "about": about})
    db = Path(db_path)
    files.append(
        {
            "path": db.name,
            "url": f"/{db.name}",
            "size": db.stat().st_size,
            "sha256": sha256(db),
            "group": GROUPS[1],
            "about": "The SQLite database behind this site: every table, with search",
        }
    )
    manifest = {"version": descriptor["version"], "name": descriptor["name"], "groups": list(GROUPS), "files": files}
    (Path(set_dir) / MANIFEST_FILE).write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest
