"""make build: curated facts -> data/*.csv + datapackage.json -> validation -> SQLite.

Everything is written under build/.staging first and moved into place only when every step
has passed, one os.replace per file: a failed or killed build leaves the previous outputs
exactly as they were. Unchanged files are not rewritten.
"""
import concurrent.futures
import io
import json
import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path

import click

from .assemble import assemble
from .curation import read_curation
from .errors import PipelineError, PipelineErrors
from .load import load
from .metadata import DATABASE, full_metadata, index_columns, read_metadata
from .provenance import check_provenance
from .schema import Package
from .unique_keys import check_unique_keys
from .write_package import write_package

BUILD_DIR = "build"


class Steps:
    """Prints one plain line per step (readable in CI logs and terminals alike)."""

    def __init__(self, quiet):
        self.quiet = quiet
        self.current = None
        self.t0 = time.perf_counter()

    def start(self, name):
        self.current = name
        self.t = time.perf_counter()

    def done(self, detail=""):
        if not self.quiet:
            click.echo(f"build: {self.current:<32} ok  {time.perf_counter() - self.t:6.2f} s  {detail}", err=True)

    def report(self, name, seconds, detail=""):
        """A step that ran alongside others (in another process): report it once it is over."""
        current = self.current
        self.start(name)
        self.t -= seconds
        self.done(detail)
        self.current = current


def validate_schema(package_dir):
    """frictionless: types, constraints, primary and foreign keys, file hashes."""
    from frictionless import Package as FrictionlessPackage, system

    with system.use_context(trusted=False):
        report = FrictionlessPackage(str(package_dir / "datapackage.json")).validate()
    if report.valid:
        return
    errors = []
    for task in report.tasks:
        for err in task.errors:
            errors.append(PipelineError(f"{err.type}: {err.message}", file=task.place,
                                        record=f"row {getattr(err, 'row_number', '')}" if getattr(err, "row_number", None) else None,
                                        field=getattr(err, "field_name", None)))
    for err in report.errors:
        errors.append(PipelineError(f"{err.type}: {err.message}", file="datapackage.json"))
    raise PipelineErrors(errors)


def _validate_schema_timed(package_dir):
    """frictionless and uniqueKeys, here or in a worker process: returns (seconds, error or None)."""
    t = time.perf_counter()
    try:
        validate_schema(package_dir)
        check_unique_keys(Package(package_dir), package_dir)
    except (PipelineError, PipelineErrors) as e:
        return time.perf_counter() - t, e
    return time.perf_counter() - t, None


def _import_expectations():
    """Run first in the great-expectations worker: its ~3 s of imports overlap assembling the tables."""
    from . import expectations  # noqa: F401
    import great_expectations  # noqa: F401


def _run_expectations(db_path, package_dir):
    from .expectations import run

    return run(db_path, Package(package_dir), out=io.StringIO())


# Above this many rows, frictionless (single-threaded, the slowest check) runs in a second process
# while provenance, the SQLite load and great-expectations run in this one.
PARALLEL_ROWS = 20_000


def promote(staging, root, relpaths):
    """Move each staged file into place; skip files whose bytes are unchanged."""
    changed = []
    for rel in relpaths:
        src, dst = staging / rel, root / rel
        if dst.exists() and dst.read_bytes() == src.read_bytes():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
        changed.append(rel)
    return changed


def build(root, quiet=False, database=True, steps=None, expectations=False):
    """steps: a Steps (or subclass) that reports each step; bench/ passes one that records them.
    expectations: also run the great-expectations suites on the staged database, before anything
    is moved into place (make test; make build leaves them out: their imports take ~3 s)."""
    root = Path(root).resolve()
    steps = steps or Steps(quiet)
    for stale in (root / BUILD_DIR).glob(".staging-*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    staging = root / BUILD_DIR / f".staging-{os.getpid()}"
    staging.mkdir(parents=True)
    gx_pool = schema_pool = None
    try:
        steps.start("read schema and metadata")
        package = Package(root)
        metadata = read_metadata(root)
        steps.done(f"{len(package.resources)} tables")

        steps.start("read curated facts")
        articles, register = read_curation(root, package)
        steps.done(f"{len(articles)} articles, {len(register)} registered exercises")

        if expectations and database:
            gx_pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            gx_pool.submit(_import_expectations)

        steps.start("assemble tables")
        tables = assemble(package, articles, register, root)
        steps.done(", ".join(f"{n} {len(r)}" for n, r in tables.items()))

        steps.start("write CSVs and descriptor")
        written = write_package(package, tables, staging)
        steps.done(f"{len(written)} files")

        staged = Package(staging)
        schema_step = "validate schema (frictionless)"
        if sum(len(rows) for rows in tables.values()) >= PARALLEL_ROWS:
            schema_pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            schema_check = schema_pool.submit(_validate_schema_timed, staging)
        else:
            schema_check = concurrent.futures.Future()
            schema_check.set_result(_validate_schema_timed(staging))
        reported = False

        def schema_result():
            """The schema check's verdict: its errors come first, whether it ran here or alongside."""
            nonlocal reported
            if reported:
                return
            reported = True
            seconds, error = schema_check.result()
            if error is not None:
                steps.current = schema_step
                raise error
            steps.report(schema_step, seconds, "(in a second process)" if schema_pool else "")

        if schema_pool is None:
            schema_result()  # sequential: stop here on a schema error, before the later checks

        try:
            steps.start("check provenance")
            counts = check_provenance(staged, staging, root / "seeds")
            steps.done(f"{counts['quotes']} quotes at their offsets, {counts['values']} values evidenced")

            if database:
                steps.start("load SQLite")
                db_rel = f"{BUILD_DIR}/{DATABASE}.db"
                (staging / BUILD_DIR).mkdir()
                rows = load(staged, staging, staging / db_rel, index_columns(metadata))
                steps.done(f"{sum(rows.values())} rows")
                meta_rel = f"{BUILD_DIR}/metadata.json"
                (staging / meta_rel).write_text(json.dumps(full_metadata(package, metadata), indent=2, ensure_ascii=False) + "\n")
                written += [db_rel, meta_rel]

                if gx_pool is not None:
                    steps.start("check content (great-expectations)")
                    failures = gx_pool.submit(_run_expectations, staging / db_rel, staging).result()
                    if failures:
                        raise PipelineErrors([PipelineError(f) for f in failures])
                    steps.done("every expectation met")
        except Exception:
            schema_result()  # invalid CSVs explain later failures: report frictionless first
            raise
        schema_result()

        steps.start("move outputs into place")
        changed = promote(staging, root, written)
        steps.done(f"{len(changed)} changed" + (f": {', '.join(changed)}" if changed else ""))
        if not quiet:
            click.echo(f"build: done in {time.perf_counter() - steps.t0:.2f} s", err=True)
        return tables
    except (PipelineError, PipelineErrors) as e:
        e.step = steps.current
        raise
    finally:
        for pool in (gx_pool, schema_pool):
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        shutil.rmtree(staging, ignore_errors=True)


@click.command()
@click.option("--root", default=".", type=click.Path(file_okay=False), help="Project folder.")
@click.option("--quiet", is_flag=True, help="Print only errors.")
@click.option("--no-database", is_flag=True, help="Stop after the data package (no SQLite).")
@click.option("--expectations", is_flag=True, help="Also check content with great-expectations before moving outputs into place.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def main(root, quiet, no_database, expectations, debug):
    """Build the data package and database from the curated facts."""
    try:
        build(root, quiet=quiet, database=not no_database, expectations=expectations and not no_database)
    except (PipelineError, PipelineErrors) as e:
        errors = e.errors if isinstance(e, PipelineErrors) else [e]
        for err in errors:
            try:
                err.file = Path(err.file).resolve().relative_to(Path(root).resolve()) if err.file else None
            except ValueError:
                pass
        click.echo(f"build failed while {getattr(e, 'step', 'building')}: {len(errors)} problem(s); "
                   "previous outputs left unchanged", err=True)
        for err in errors:
            click.echo(f"  {err}", err=True)
        sys.exit(1)
    except Exception as e:  # a bug, not bad input: say so plainly
        if debug:
            raise
        click.echo(f"build failed: internal error {type(e).__name__}: {e} (rerun with --debug for a traceback); "
                   "previous outputs left unchanged", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
