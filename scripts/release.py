"""Releases: the files the site serves for download, the versioned zip, and the version checks.

    python -m scripts.release --site build/site    # files served at /download/ by `make serve`
    python -m scripts.release --out build/release  # build/release/<name>-<version>.zip (make release)
    python -m scripts.release --check              # version agrees in datapackage.json, CITATION.cff, CHANGELOG.md
    python -m scripts.release --compare OLD.zip    # ids added, changed, withdrawn since OLD (for CHANGELOG.md)
    python -m scripts.release --compare none       # the same for a first release (every id added)

datapackage.json is the one source of the version: CITATION.cff and the newest CHANGELOG.md entry
must carry the same one, and a release is refused otherwise.
"""
import csv
import hashlib
import io
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

import click
import yaml

from .metadata import DATABASE
from .schema import Package

DOCS = ("README.md", "CITATION.cff", "CHANGELOG.md")
# Tables whose ids the changelog lists (the ids promised stable across releases).
ID_TABLES = {"exercises": "exercise_id", "sources": "source_id", "statements": "statement_id"}
CHANGELOG_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?", re.M)


class ReleaseError(Exception):
    pass


# --- versions ----------------------------------------------------------------------------------

def changelog_versions(text):
    """The versions in CHANGELOG.md, newest first (headings `## [x.y.z] - YYYY-MM-DD`)."""
    return [m["version"] for m in CHANGELOG_HEADING.finditer(text) if m["version"].lower() != "unreleased"]


def changelog_entry(text, version):
    """The body of one version's entry."""
    heads = list(CHANGELOG_HEADING.finditer(text))
    for i, m in enumerate(heads):
        if m["version"] == version:
            end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
            return text[m.end():end]
    raise KeyError(version)


def changelog_ids(entry):
    """{section: {table: [ids]}} from lines like `- exercises: \\`a\\`, \\`b\\`` under ### Added/Changed/Withdrawn."""
    out, section = {}, None
    for line in entry.splitlines():
        h = re.match(r"^### (\w+)", line)
        if h:
            section = h.group(1).lower()
            out.setdefault(section, {})
            continue
        m = re.match(r"^- (\w+): (.*)$", line)
        if section and m and m.group(1) in ID_TABLES:
            out[section][m.group(1)] = re.findall(r"`([^`]+)`", m.group(2))
    return out


def version_problems(root):
    """Where the version disagrees between datapackage.json, CITATION.cff and CHANGELOG.md."""
    root = Path(root)
    d = Package(root).descriptor
    version = d["version"]
    problems = []
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    if str(cff.get("version")) != version:
        problems.append(f"CITATION.cff version {cff.get('version')!r} != datapackage.json version {version!r}")
    if str(cff.get("date-released")) != d.get("created", "")[:10]:
        problems.append(f"CITATION.cff date-released {cff.get('date-released')!r} != datapackage.json created "
                        f"{d.get('created', '')[:10]!r}")
    versions = changelog_versions((root / "CHANGELOG.md").read_text(encoding="utf-8"))
    if not versions or versions[0] != version:
        problems.append(f"CHANGELOG.md newest entry {versions[0] if versions else None!r} != datapackage.json "
                        f"version {version!r}")
    return problems


# --- ids and changes ---------------------------------------------------------------------------

def _read_tables(files):
    """{table: {id: row}} from a mapping of table name -> CSV text."""
    out = {}
    for table, key in ID_TABLES.items():
        rows = csv.DictReader(io.StringIO(files.get(table, "")))
        out[table] = {r[key]: r for r in rows} if table in files else {}
    return out


def package_tables(root):
    root = Path(root)
    package = Package(root)
    return _read_tables({t: (root / package.resources[t]["path"]).read_text(encoding="utf-8")
                         for t in ID_TABLES})


def zip_tables(path):
    with zipfile.ZipFile(path) as z:
        files = {}
        for name in z.namelist():
            m = re.search(r"(?:^|/)data/(\w+)\.csv$", name)
            if m and m.group(1) in ID_TABLES:
                files[m.group(1)] = z.read(name).decode("utf-8")
    return _read_tables(files)


def changes(old, new):
    """{added|changed|withdrawn: {table: [ids]}} between two {table: {id: row}} mappings."""
    out = {"added": {}, "changed": {}, "withdrawn": {}}
    for table in ID_TABLES:
        o, n = old.get(table, {}), new.get(table, {})
        out["added"][table] = sorted(set(n) - set(o))
        out["withdrawn"][table] = sorted(set(o) - set(n))
        out["changed"][table] = sorted(k for k in set(o) & set(n) if o[k] != n[k])
    return out


def changelog_draft(version, date, diff, counts=None):
    lines = [f"## [{version}] - {date}", ""]
    for section in ("added", "changed", "withdrawn"):
        lines.append(f"### {section.capitalize()}")
        for table, ids in diff[section].items():
            lines.append(f"- {table}: " + (", ".join(f"`{i}`" for i in ids) if ids else "none"))
        lines.append("")
    if counts:
        lines.append("Rows in this version: " + ", ".join(f"{n} {t}" for t, n in counts.items()) + ".")
        lines.append("")
    return "\n".join(lines)


def row_counts(root):
    root = Path(root)
    package = Package(root)
    out = {}
    for name, r in package.resources.items():
        with open(root / r["path"], newline="", encoding="utf-8") as f:
            out[name] = sum(1 for _ in csv.DictReader(f))
    return out


# --- the files --------------------------------------------------------------------------------

def package_files(root):
    """(relative path in the release, source path): the package, its docs and the database."""
    root = Path(root)
    package = Package(root)
    files = [("datapackage.json", root / "datapackage.json")]
    files += [(r["path"], root / r["path"]) for r in package.resources.values()]
    files += [(name, root / name) for name in DOCS]
    return files


def write_site(root, dest):
    """The files the site serves at /download/: datapackage.json, data/*.csv, README, CITATION, CHANGELOG."""
    root, dest = Path(root), Path(dest)
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for rel, src in package_files(root):
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, tmp / rel)
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    return dest


def write_release(root, out_dir):
    """<out_dir>/<name>-<version>.zip: CSVs, datapackage.json, database, README, CITATION.cff,
    CHANGELOG.md and SHA256SUMS, under one folder; deterministic (fixed timestamps, sorted)."""
    root, out_dir = Path(root), Path(out_dir)
    problems = version_problems(root)
    if problems:
        raise ReleaseError("; ".join(problems))
    d = Package(root).descriptor
    db = root / "build" / f"{DATABASE}.db"
    if not db.exists():
        raise ReleaseError(f"{db} is missing: run `make build` first")
    stem = f"{d['name']}-{d['version']}"
    files = sorted(package_files(root) + [(f"{DATABASE}.db", db)])
    sums = "".join(f"{hashlib.sha256(src.read_bytes()).hexdigest()}  {rel}\n" for rel, src in files)
    stamp = tuple(int(x) for x in re.findall(r"\d+", d.get("created", "1980-01-01"))[:3]) + (0, 0, 0)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.zip"
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for rel, data in [(rel, src.read_bytes()) for rel, src in files] + [("SHA256SUMS", sums.encode())]:
            info = zipfile.ZipInfo(f"{stem}/{rel}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    tmp.replace(target)
    return target


@click.command()
@click.option("--root", default=".", type=click.Path(file_okay=False), help="Project folder.")
@click.option("--site", "site_dir", type=click.Path(file_okay=False), help="Write the download files here.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Write the versioned zip here.")
@click.option("--check", is_flag=True, help="Only check that the versions agree.")
@click.option("--compare", metavar="ZIP|none",
              help="A previous release zip (or `none` for a first release): print the CHANGELOG entry "
                   "(ids added, changed, withdrawn) since it.")
def main(root, site_dir, out_dir, check, compare):
    """Download files, versioned release zip, version checks."""
    try:
        if check or out_dir:
            problems = version_problems(root)
            for p in problems:
                click.echo(f"release: {p}", err=True)
            if problems:
                sys.exit(1)
            if check:
                click.echo(f"release: version {Package(root).version} agrees in datapackage.json, CITATION.cff, CHANGELOG.md")
        if site_dir:
            write_site(root, site_dir)
        if out_dir:
            target = write_release(root, out_dir)
            click.echo(f"release: wrote {target} ({target.stat().st_size:,} bytes)")
        if compare:
            d = Package(root).descriptor
            old = {} if compare == "none" else zip_tables(compare)
            click.echo(changelog_draft(d["version"], d.get("created", "")[:10],
                                       changes(old, package_tables(root)), row_counts(root)), nl=False)
    except (ReleaseError, OSError, KeyError, ValueError) as e:
        click.echo(f"release failed: {e}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
