"""Releases of the published set (build/site), one subcommand per job:

    python -m scripts.publish.release check             the version agrees in package.yaml, CITATION.cff, CHANGELOG.md
    python -m scripts.publish.release changes OLD.zip   ids added, changed, withdrawn since OLD (`none`: a first one)
    python -m scripts.publish.release zip [--out DIR]   DIR/<name>-<version>.zip: the published set's download files
                                                        (package, seeds, annotations, codebook, GeoJSON, docs and the
                                                        README's images), the database and SHA256SUMS
    python -m scripts.publish.release publish-command   the `datasette publish cloudrun` command for this same site

The version's one home is schema/package.yaml (datapackage.json and CITATION.cff are written from it).
A version is released once: the zip is reproducible (fixed times, sorted names, fixed modes), so writing
it again from the same data gives the same bytes, and `zip` refuses a version whose zip exists with other
content (bump the version). The zip is also put beside the published set (<set>/release/), where the
site's /download/ page lists and serves it.

Exit status (as every command line here): 0 done; 1 bad input, each problem as file:line: message; 2 a bug.
"""

import csv
import hashlib
import io
import json
import re
import shlex
import zipfile
from pathlib import Path

import click

from ..errors import Command, PipelineError, PipelineErrors, exit_bad_input, exit_bug
from ..read.schema import SCHEMA_DIR, Schema
from ..site import citation
from .switch import published

# Tables whose ids the changelog lists (the ids promised stable across releases).
ID_TABLES = {"exercises": "exercise_id", "sources": "source_id", "statements": "statement_id"}
CHANGELOG_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?", re.M)
PUBLISHED_WITH = "requirements/build.in"  # its datasette lines are what the published site installs
RELEASES = "release"  # beside the published set: the site lists and serves its zip


# --- versions ----------------------------------------------------------------------------------


def changelog_versions(text):
    """The versions in CHANGELOG.md, newest first (headings `## [x.y.z] - YYYY-MM-DD`)."""
    return [m["version"] for m in CHANGELOG_HEADING.finditer(text) if m["version"].lower() != "unreleased"]


def changelog_entry(text, version):
    heads = list(CHANGELOG_HEADING.finditer(text))
    for i, m in enumerate(heads):
        if m["version"] == version:
            return text[m.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
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
    """PipelineErrors (file:line) where the version disagrees: CITATION.cff is written by the build from
    schema/package.yaml, and CHANGELOG.md's newest entry must be this version."""
    root = Path(root)
    package = Schema(root).package
    version = package["version"]
    problems = []
    cff = root / citation.CFF_FILE
    written = citation.cff(package, citation.repository_url(root, package))
    if not cff.exists() or cff.read_text(encoding="utf-8") != written:
        problems.append(
            PipelineError(
                f"{citation.CFF_FILE} is not what the build writes from this package.yaml "
                "(version, date, authors): run `make build`",
                file=cff,
            )
        )
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    heads = list(CHANGELOG_HEADING.finditer(text))
    newest = next((m for m in heads if m["version"].lower() != "unreleased"), None)
    if newest is None or newest["version"] != version:
        line = text.count("\n", 0, newest.start()) + 1 if newest else None
        problems.append(
            PipelineError(
                f"the newest entry is {newest['version'] if newest else None!r}, not version "
                f"{version!r} of schema/package.yaml: add its entry (`release changes`)",
                file=root / "CHANGELOG.md",
                line=line,
            )
        )
    return problems


# --- ids and changes ---------------------------------------------------------------------------


def _read_tables(files):
    """{table: {id: row}} from a mapping of table name -> CSV text."""
    return {
        table: {r[key]: r for r in csv.DictReader(io.StringIO(files[table]))} if table in files else {}
        for table, key in ID_TABLES.items()
    }


def package_tables(root):
    return _read_tables({t: (Path(root) / "data" / f"{t}.csv").read_text(encoding="utf-8") for t in ID_TABLES})


def zip_tables(path):
    with zipfile.ZipFile(path) as z:
        files = {
            m.group(1): z.read(name).decode("utf-8")
            for name in z.namelist()
            if (m := re.search(r"(?:^|/)data/(\w+)\.csv$", name)) and m.group(1) in ID_TABLES
        }
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
        lines += [
            f"- {t}: " + (", ".join(f"`{i}`" for i in ids) if ids else "none") for t, ids in diff[section].items()
        ]
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
        raise PipelineError("nothing is published yet: run `make build` first", file=Path(root) / "build" / "site")
    return site


def release_files(site):
    """(name in the zip, path) of every file a release holds: the set's download files and its database."""
    download = site / "download"
    return sorted(
        [(p.relative_to(download).as_posix(), p) for p in download.rglob("*") if p.is_file()]
        + [(p.name, p) for p in site.glob("*.db")]
    )


def zip_bytes(stem, files, stamp):
    """The release zip, reproducibly: sorted names, one fixed time and mode, deflated; SHA256SUMS last."""
    sums = "".join(f"{hashlib.sha256(src.read_bytes()).hexdigest()}  {rel}\n" for rel, src in files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for rel, data in [(rel, src.read_bytes()) for rel, src in files] + [("SHA256SUMS", sums.encode())]:
            info = zipfile.ZipInfo(f"{stem}/{rel}", date_time=stamp)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            z.writestr(info, data)
    return out.getvalue()


def _write(path, data):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def write_release(root, out_dir):
    """<out_dir>/<name>-<version>.zip of the published set, refused when that version's zip exists with
    other content; then put beside the set, with its SHA-256, for the site's /download/ page."""
    problems = version_problems(root)
    if problems:
        raise PipelineErrors(problems)
    site = site_dir(root)
    package = Schema(root).package
    d = json.loads((site / "download" / "datapackage.json").read_text(encoding="utf-8"))
    if d["version"] != package["version"]:
        raise PipelineError(
            f"the published set is version {d['version']}, package.yaml says {package['version']}: run `make build`",
            file=Path(root) / SCHEMA_DIR / "package.yaml",
            line=package.line_of("version"),
        )
    stem = f"{d['name']}-{d['version']}"
    stamp = tuple(int(x) for x in re.findall(r"\d+", d.get("created", "1980-01-01"))[:3]) + (0, 0, 0)
    data = zip_bytes(stem, release_files(site), stamp)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.zip"
    if target.exists() and target.read_bytes() != data:
        raise PipelineError(
            f"version {d['version']} was released with other content ({target}): a release never "
            "changes; bump the version (and add its CHANGELOG entry)",
            file=Path(root) / SCHEMA_DIR / "package.yaml",
            line=package.line_of("version"),
        )
    _write(target, data)
    beside = site / RELEASES
    beside.mkdir(exist_ok=True)
    _write(beside / target.name, data)
    (beside / f"{target.name}.sha256").write_text(f"{hashlib.sha256(data).hexdigest()}  {target.name}\n")
    return target


def publish_plugins(root):
    """Datasette and its plugins as requirements/build.in pins them (the one list of what the site runs)."""
    path = Path(root) / PUBLISHED_WITH
    pins = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [p for p in pins if re.match(r"^datasette(-[\w-]+)?==", p)]


def publish_command(root, service):
    """`datasette publish cloudrun` with the published set's database, metadata, templates, plugins,
    static files, settings and download files, and Datasette and its plugins pinned as in build.in."""
    site = site_dir(root)
    settings = json.loads((site / "settings.json").read_text())
    extra = " ".join(
        f"--setting {k} {('on' if v else 'off') if isinstance(v, bool) else v}" for k, v in settings.items()
    )
    args = [
        "datasette",
        "publish",
        "cloudrun",
        str(next(site.glob("*.db"))),
        "-m",
        str(site / "metadata.json"),
        "--template-dir",
        str(site / "templates"),
        "--plugins-dir",
        str(site / "plugins"),
        "--static",
        f"download:{site / 'download'}",
    ]
    if (site / "static").is_dir():
        args += ["--static", f"static:{site / 'static'}"]
    for pin in publish_plugins(root):
        args += ["--install", pin]
    args += ["--extra-options", extra, "--service", service]
    return shlex.join(args)


class Group(Command, click.Group):
    """The release commands, with the build's exit contract for usage errors too (exit 1)."""


@click.group(cls=Group)
@click.option("--root", default=".", type=click.Path(file_okay=False), help="Project folder.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
@click.pass_context
def main(ctx, root, debug):
    """Version checks, changelog drafts, the release zip and the publish command."""
    ctx.obj = (Path(root), debug)


def _run(obj, fn):
    """fn() under the contract: bad input (PipelineError, with its file and line) exits 1; anything else is a
    bug, exit 2 (a KeyError or ValueError here is the code's mistake, not the curator's)."""
    root, debug = obj
    try:
        return fn()
    except (PipelineError, PipelineErrors) as e:
        exit_bad_input(e, root, "release failed")
    except Exception as e:
        exit_bug(e, "release failed", debug)


@main.command()
@click.pass_obj
def check(obj):
    """Check that the version agrees everywhere."""

    def checked():
        problems = version_problems(obj[0])
        if problems:
            raise PipelineErrors(problems)

    _run(obj, checked)
    click.echo(f"release: version {Schema(obj[0]).version} agrees in schema/package.yaml, CITATION.cff, CHANGELOG.md")


@main.command(name="changes")
@click.argument("since", metavar="OLD.zip|none")
@click.pass_obj
def changes_cmd(obj, since):
    """Print the CHANGELOG entry (ids added, changed, withdrawn) since a previous release zip."""

    def draft():
        root = obj[0]
        package = Schema(root).package
        if since == "none":
            old = {}
        elif not zipfile.is_zipfile(since):
            raise PipelineError("not a release zip", file=since)
        else:
            old = zip_tables(since)
        return changelog_draft(
            package["version"], package.get("created", "")[:10], changes(old, package_tables(root)), row_counts(root)
        )

    click.echo(_run(obj, draft), nl=False)


@main.command(name="zip")
@click.option("--out", default="build/release", type=click.Path(file_okay=False), show_default=True)
@click.pass_obj
def zip_cmd(obj, out):
    """Write the versioned release zip of the published set (refused if that version exists with other content)."""
    root = obj[0]
    target = _run(obj, lambda: write_release(root, Path(root) / out if not Path(out).is_absolute() else out))
    click.echo(f"release: wrote {target} ({target.stat().st_size:,} bytes)")


@main.command(name="publish-command")
@click.option("--service", default="china-russia-exercises", show_default=True)
@click.pass_obj
def publish_command_cmd(obj, service):
    """Print the command that publishes this site to Google Cloud Run (runs nothing)."""
    click.echo(_run(obj, lambda: publish_command(obj[0], service)))


if __name__ == "__main__":
    main()
