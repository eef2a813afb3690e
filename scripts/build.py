"""make build: seeds + curation + schema -> data package -> checks -> SQLite -> site, published at once.

Exit status: 0 built; 1 bad input (the message names the file, line, record and field to fix;
nothing published changed); 2 a bug in the pipeline (please report it; nothing published changed).
"""
import sys
import time
from pathlib import Path

import click

from .package.assemble import assemble, cell
from .check.rules import read_checks, run_great_expectations, run_sqlite
from .read.curation import CURATION_DIR, REGISTER_FILE, read_curation
from .errors import PipelineError, PipelineErrors, error_list
from .load.sqlite import load
from .check.provenance import check_provenance
from .publish.switch import NewSet, lock
from .read.schema import Schema
from .site.config import database_name, index_columns, read_metadata, write_site
from .check.frictionless import validate_package
from .package.write import write_package


class Steps:
    """Runs each step, printing one plain line per step (readable in CI logs and terminals)."""

    def __init__(self, quiet=False):
        self.quiet, self.t0, self.current = quiet, time.perf_counter(), None

    def say(self, message):
        if not self.quiet:
            click.echo(message, err=True)

    def run(self, name, fn, *args):
        self.current, t = name, time.perf_counter()
        result = fn(*args)
        self.done(name, time.perf_counter() - t)
        return result

    def done(self, name, seconds):
        self.say(f"build: {name:<34} ok  {seconds:6.2f} s")


def build(root, quiet=False, expectations=False, steps=None):
    """Build and publish. expectations: run checks/ through great-expectations (make test) rather
    than sqlite3 (make build: the same rules, without its ~3 s of imports)."""
    root = Path(root).resolve()
    steps = steps or Steps(quiet)
    try:
        with lock(root, steps.say):
            schema = steps.run("read the schema", Schema, root)
            metadata = steps.run("read the site's metadata", read_metadata, root)
            articles, register = steps.run("read the curated facts", read_curation, root, schema)
            tables = steps.run("assemble the tables", assemble, schema, articles, register,
                               root / CURATION_DIR / REGISTER_FILE)
            with NewSet(root) as out:
                db = out.dir / f"{database_name(metadata)}.db"
                steps.run("write CSVs and datapackage.json", write_package, schema, tables, out.download)
                try:
                    steps.run("check the schema (frictionless)", validate_package, out.download, tables)
                except PipelineErrors as e:
                    raise PipelineErrors(explain(by_row(e.errors, schema, tables), articles, schema, tables)) from None
                steps.run("check quotes against seeds", check_provenance, tables, root)
                steps.run("load SQLite", load, schema, tables, db, index_columns(metadata), root)
                runner = run_great_expectations if expectations else run_sqlite
                failures = steps.run(f"run checks/ ({'great-expectations' if expectations else 'sqlite3'})",
                                     runner, db, read_checks(root))
                if failures:
                    raise PipelineErrors(explain(failures, articles, schema, tables))
                steps.run("write the site", write_site, root, out.dir, schema, metadata, db)
                changed = steps.run("publish (switch build/site)", out.publish)
        steps.say(f"build: done in {time.perf_counter() - steps.t0:.2f} s; "
                  + (f"changed: {', '.join(changed)}" if changed else "data/ and datapackage.json unchanged"))
        return tables
    except (PipelineError, PipelineErrors) as e:
        e.step = steps.current
        raise


def by_row(errors, schema, tables):
    """frictionless errors as {check: [(table, record_id, field, problem)]}: the row number of a
    CSV becomes the record it holds."""
    out = {}
    for err in errors:
        table = Path(str(err.file or "")).stem
        row = int(err.record.split()[-1]) if err.record and err.record.startswith("row ") else None
        record = ""
        if table in tables and row and 0 <= row - 2 < len(tables[table]):
            record = "/".join(str(tables[table][row - 2][k]) for k in schema.primary_key(table))
        out.setdefault("frictionless", []).append((table, record, err.field or "", err.message))
    return out


def explain(failures, articles, schema, tables):
    """Check failures as curator-facing errors: each with the file and line of the curated value
    behind the row and field it names (the published one where several articles give one)."""
    claims, records = {}, {}
    for c in (c for a in articles for c in a.claims):
        claims.setdefault((c.table, c.record_id, c.field), []).append(c)
        records.setdefault((c.table, c.record_id), []).append(c)
    rows_by_id = {(t, "/".join(str(r[k]) for k in schema.primary_key(t))): r for t, rows in tables.items() for r in rows}
    errors = []
    for check, rows in failures.items():
        for table, record, field, problem in rows:
            given = claims.get((table, record, field), [])
            published = cell(rows_by_id.get((table, record), {}).get(field))
            behind = [c for c in given if cell(c.value) == published] or given or records.get((table, record)) or []
            where = behind[0].where() if behind else dict(record=record or None, field=field or None)
            rule = "the schema (frictionless)" if check == "frictionless" else f"checks/{check}.sql"
            errors.append(PipelineError(f"{problem} ({rule})", **dict(where, field=field or None)))
    return errors


@click.command()
@click.option("--root", default=".", type=click.Path(file_okay=False), help="Project folder.")
@click.option("--quiet", is_flag=True, help="Print only errors.")
@click.option("--expectations", is_flag=True, help="Run checks/ through great-expectations (as make test does).")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def main(root, quiet, expectations, debug):
    """Build the data package, database and site from the curated facts, and publish them."""
    try:
        build(root, quiet=quiet, expectations=expectations)
    except (PipelineError, PipelineErrors) as e:
        errors = error_list(e)
        for err in errors:
            try:
                err.file = Path(err.file).resolve().relative_to(Path(root).resolve()) if err.file else None
            except ValueError:
                pass
        click.echo(f"build failed while {getattr(e, 'step', None) or 'building'}: {len(errors)} problem(s) in the "
                   "input; nothing published changed", err=True)
        for err in errors:
            click.echo(f"  {err}", err=True)
        sys.exit(1)
    except Exception as e:  # a bug, not bad input: say so plainly
        if debug:
            raise
        click.echo(f"build failed: internal error (a bug in the pipeline, not in your files; please report it): "
                   f"{type(e).__name__}: {str(e)[:300]}; rerun with --debug for a traceback. The published set is whole: the previous one, or the new one if the failure came after it was switched in.",
                   err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
