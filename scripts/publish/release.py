"""Releases of the published set (build/site), one subcommand per job:

    python -m scripts.publish.release check               the version agrees in schema/package.yaml, CITATION.cff, CHANGELOG.md
    python -m scripts.publish.release changes OLD.zip     ids added, changed, withdrawn since OLD (`none`: a first release)
    python -m scripts.publish.release zip [--out DIR]     DIR/<name>-<version>.zip: the package, seeds, database, docs, SHA256SUMS
    python -m scripts.publish.release publish-command     the `datasette publish cloudrun` command for this same site

The version's one home is schema/package.yaml (datapackage.json is written from it).
"""
import csv
import hashlib
import io
import json
import re
import shlex
import sys
import zipfile
from pathlib import Path

import click

from ..errors import PipelineError
from .switch import published
from ..read.schema import Schema
from ..read.yaml_safe import load_yaml

# Tables whose ids the changelog lists (the ids promised stable across releases).
ID_TABLES = {"exercises": "exercise_id", "sources": "source_id", "statements": "statement_id"}
CHANGELOG_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?", re.M)
PUBLISH_PLUGINS = ("datasette-cluster-map", "datasette-vega", "datasette-search-all")


class ReleaseError(Exception):
    pass


# --- versions ----------------------------------------------------------------------------------

def changelog_versions(text):
    """The versions in CHANGELOG.md, newest first (headings `## [x.y.z] - YYYY-MM-DD`)."""
    return [m["version"] for m in CHANGELOG_HEADING.finditer(text) if m["version"].lower() != "unreleased"]


def changelog_entry(text, version):
    heads = list(CHANGELOG_HEADING.finditer(text))
    for i, m in enumerate(heads):
        if m["version"] == version:
            return text[m.end():heads[i + 1].start() if i + 1 < len(heads) else len(text)]
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
    """Where the version disagrees between schema/package.yaml, CITATION.cff and CHANGELOG.md."""
    root = Path(root)
    package = Schema(root).package
    version, created = package["version"], package.get("created", "")[:10]
    cff = load_yaml(root / "CITATION.cff")
    problems = []
    if str(cff.get("version")) != version:
        problems.append(f"CITATION.cff version {cff.get('version')!r} != schema/package.yaml version {version!r}")
    if str(cff.get("date-released")) != created:
        problems.append(f"CITATION.cff date-released {cff.get('date-released')!r} != schema/package.yaml created {created!r}")
    versions = changelog_versions((root / "CHANGELOG.md").read_text(encoding="utf-8"))
    if not versions or versions[0] != version:
        problems.append(f"CHANGELOG.md newest entry {versions[0] if versions else None!r} != schema/package.yaml "
                        f"version {version!r}")
    return problems


# --- ids and changes ---------------------------------------------------------------------------

def _read_tables(files):
    """{table: {id: row}} from a mapping of table name -> CSV text."""
    return {table: {r[key]: r for r in csv.DictReader(io.StringIO(files[table]))} if table in files else {}
            for table, key in ID_TABLES.items()}


def package_tables(root):
    return _read_tables({t: (Path(root) / "data" / f"{t}.csv").read_text(encoding="utf-8") for t in ID_TABLES})


def zip_tables(path):
    with zipfile.ZipFile(path) as z:
        files = {m.group(1): z.read(name).decode("utf-8") for name in z.namelist()
                 if (m := re.search(r"(?:^|/)data/(\w+)\.csv$", name)) and m.group(1) in ID_TABLES}
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


def changelog_draft(version, date, diff, counts):
    lines = [f"## [{version}] - {date}", ""]
    for section in ("added", "changed", "withdrawn"):
        lines.append(f"### {section.capitalize()}")
        lines += [f"- {t}: " + (", ".join(f"`{i}`" for i in ids) if ids else "none") for t, ids in diff[section].items()]
        lines.append("")
    lines += ["Rows in this version: " + ", ".join(f"{n} {t}" for t, n in counts.items()) + ".", ""]
    return "\n".join(lines)


def row_counts(root):
    out = {}
    for name in Schema(root).tables:
        with open(Path(root) / "data" / f"{name}.csv", newline="", encoding="utf-8") as f:
            out[name] = sum(1 for _ in csv.DictReader(f))
    return out


# --- the zip and the publish command -----------------------------------------------------------

def site_dir(root):
    site = published(root)
    if site is None:
        raise ReleaseError("nothing is published yet: run `make build` first")
    return site


def write_release(root, out_dir):
    """<out_dir>/<name>-<version>.zip from the published set: datapackage.json, data/, seeds/ (with
    their SHA256SUMS), the database, README, CITATION.cff, CHANGELOG.md and SHA256SUMS of everything;
    deterministic (fixed timestamps, sorted names)."""
    problems = version_problems(root)
    if problems:
        raise ReleaseError("; ".join(problems))
    site = site_dir(root)
    d = json.loads((site / "download" / "datapackage.json").read_text(encoding="utf-8"))
    stem = f"{d['name']}-{d['version']}"
    files = sorted([(p.relative_to(site / "download").as_posix(), p) for p in (site / "download").rglob("*") if p.is_file()]
                   + [(p.name, p) for p in site.glob("*.db")])
    sums = "".join(f"{hashlib.sha256(src.read_bytes()).hexdigest()}  {rel}\n" for rel, src in files)
    stamp = tuple(int(x) for x in re.findall(r"\d+", d.get("created", "1980-01-01"))[:3]) + (0, 0, 0)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.zip"
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for rel, data in [(rel, src.read_bytes()) for rel, src in files] + [("SHA256SUMS", sums.encode())]:
            info = zipfile.ZipInfo(f"{stem}/{rel}", date_time=stamp)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            z.writestr(info, data)
    tmp.replace(target)
    return target


def publish_command(root, service):
    """`datasette publish cloudrun` with the published set's database, metadata, templates, plugins,
    settings and download files, and the plugins pinned as in requirements/build.txt."""
    site = site_dir(root)
    pins = {line.split("==")[0].lower(): line.strip() for line in
            (Path(root) / "requirements" / "build.txt").read_text().splitlines() if "==" in line}
    settings = json.loads((site / "settings.json").read_text())
    extra = " ".join(f"--setting {k} {('on' if v else 'off') if isinstance(v, bool) else v}" for k, v in settings.items())
    args = ["datasette", "publish", "cloudrun", str(next(site.glob("*.db"))), "-m", str(site / "metadata.json"),
            "--template-dir", str(site / "templates"), "--plugins-dir", str(site / "plugins"),
            "--static", f"download:{site / 'download'}"]
    if (site / "static").is_dir():
        args += ["--static", f"static:{site / 'static'}"]
    for name in ("datasette",) + PUBLISH_PLUGINS:
        args += ["--install", pins[name]]
    args += ["--extra-options", extra, "--service", service]
    return shlex.join(args)


@click.group()
@click.option("--root", default=".", type=click.Path(file_okay=False), help="Project folder.")
@click.pass_context
def main(ctx, root):
    """Version checks, changelog drafts, the release zip and the publish command."""
    ctx.obj = Path(root)


def _run(fn):
    try:
        return fn()
    except (ReleaseError, PipelineError, OSError, KeyError, ValueError) as e:
        click.echo(f"release failed: {e}", err=True)
        sys.exit(1)


@main.command()
@click.pass_obj
def check(root):
    """Check that the version agrees everywhere."""
    problems = _run(lambda: version_problems(root))
    for p in problems:
        click.echo(f"release: {p}", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"release: version {Schema(root).version} agrees in schema/package.yaml, CITATION.cff, CHANGELOG.md")


@main.command(name="changes")
@click.argument("since", metavar="OLD.zip|none")
@click.pass_obj
def changes_cmd(root, since):
    """Print the CHANGELOG entry (ids added, changed, withdrawn) since a previous release zip."""
    package = Schema(root).package
    old = {} if since == "none" else _run(lambda: zip_tables(since))
    click.echo(changelog_draft(package["version"], package.get("created", "")[:10],
                               changes(old, package_tables(root)), row_counts(root)), nl=False)


@main.command(name="zip")
@click.option("--out", default="build/release", type=click.Path(file_okay=False), show_default=True)
@click.pass_obj
def zip_cmd(root, out):
    """Write the versioned release zip of the published set."""
    target = _run(lambda: write_release(root, Path(root) / out if not Path(out).is_absolute() else out))
    click.echo(f"release: wrote {target} ({target.stat().st_size:,} bytes)")


@main.command(name="publish-command")
@click.option("--service", default="china-russia-exercises", show_default=True)
@click.pass_obj
def publish_command_cmd(root, service):
    """Print the command that publishes this site to Google Cloud Run (runs nothing)."""
    click.echo(_run(lambda: publish_command(root, service)))


if __name__ == "__main__":
    main()
