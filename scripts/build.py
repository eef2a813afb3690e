"""make build: seeds + curation + schema -> data package -> checks -> SQLite -> site, published at once.

Exit status: 0 built; 1 bad input (the message names the file, line, record and field to fix;
nothing published changed); 2 a bug in the pipeline (please report it; nothing published changed).
"""

import time
from pathlib import Path

import click

from .check.explain import by_row, explain
from .check.frictionless import validate_package
from .check.provenance import check_provenance
from .check.rules import read_checks, run_great_expectations, run_sqlite
from .errors import Command, PipelineError, PipelineErrors, exit_bad_input, exit_bug
from .load.sqlite import load
from .package.assemble import assemble
from .package.write import write_package
from .publish.lock import PATIENCE, lock
from .publish.switch import NewSet
from .read.curation import CURATION_DIR, REGISTER_FILE, read_curation
from .read.schema import Schema
from .site.config import database_name, index_columns, read_metadata, write_site


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


def build(root, quiet=False, expectations=False, steps=None, patience=PATIENCE):
    """Build and publish. expectations: run checks/ through great-expectations (make test) rather
    than sqlite3 (make build: the same rules, without its ~3 s of imports). patience: seconds to wait
    for another build in this folder to finish."""
    root = Path(root).resolve()
    steps = steps or Steps(quiet)
    try:
        with lock(root, steps.say, patience):
            schema = steps.run("read the schema", Schema, root)
            checks = steps.run("read checks/", read_checks, root)
            metadata = steps.run("read the site's metadata", read_metadata, root)
            articles, register = steps.run("read the curated facts", read_curation, root, schema)
            tables = steps.run(
                "assemble the tables", assemble, schema, articles, register, root / CURATION_DIR / REGISTER_FILE
            )
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
                failures = steps.run(
                    f"run checks/ ({'great-expectations' if expectations else 'sqlite3'})", runner, db, checks
                )
                if failures:
                    raise PipelineErrors(explain(failures, articles, schema, tables))
                steps.run("write the site", write_site, root, out.dir, schema, metadata, db)
                changed = steps.run("publish (switch build/site)", out.publish)
        steps.say(
            f"build: done in {time.perf_counter() - steps.t0:.2f} s; "
            + (f"changed: {', '.join(changed)}" if changed else "data/ and datapackage.json unchanged")
        )
        return tables
    except (PipelineError, PipelineErrors) as e:
        e.step = steps.current
        raise


@click.command(cls=Command)
@click.option("--root", default=".", type=click.Path(file_okay=False), help="Project folder.")
@click.option("--quiet", is_flag=True, help="Print only errors.")
@click.option("--expectations", is_flag=True, help="Run checks/ through great-expectations (as make test does).")
@click.option(
    "--wait",
    default=PATIENCE,
    type=click.FloatRange(min=0),
    show_default=True,
    help="Seconds to wait for another build in this folder before giving up.",
)
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def main(root, quiet, expectations, wait, debug):
    """Build the data package, database and site from the curated facts, and publish them."""
    try:
        build(root, quiet=quiet, expectations=expectations, patience=wait)
    except (PipelineError, PipelineErrors) as e:
        exit_bad_input(e, root, f"build failed while {getattr(e, 'step', None) or 'building'}")
    except Exception as e:  # a bug, not bad input: say so plainly
        exit_bug(
            e,
            "build failed",
            debug,
            " The published set is whole: the previous one, or the new one if the "
            "failure came after it was switched in.",
        )


if __name__ == "__main__":
    main()
