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
from .package.write import text_tables, write_package
from .parallel import Background
from .publish.lock import PATIENCE, lock
from .publish.switch import NewSet
from .read.curation import CURATION_DIR, REGISTER_FILE, read_curation
from .read.schema import Schema
from .site.config import database_name, index_columns, index_search, list_site, read_metadata, read_site, write_site


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
        self.say(f"build: {name:<50} ok  {seconds:6.2f} s")


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
                # a second process writes the package (data/*.csv, datapackage.json) and checks it with
                # frictionless, while this one loads SQLite from the same rows and writes the site
                # (scripts/parallel.py); the package's problems come first, as the file and row to fix
                texts = steps.run("the rows as the CSVs write them", text_tables, schema, tables)
                with Background(
                    write_and_check_package, schema=schema, tables=tables, texts=texts, package_dir=out.download
                ) as package:
                    try:
                        steps.run("check quotes against seeds", check_provenance, tables, root)
                        steps.run("load SQLite", load, schema, tables, texts, db, index_columns(metadata), root)
                        site = steps.run("read the site's content", read_site, root, out.dir, schema, metadata, db)
                        # a third runs the checks on the database, then writes the search index into it
                        runner = run_great_expectations if expectations else run_sqlite
                        with Background(
                            check_then_index, runner=runner, db=db, checks=checks, site=site, schema=schema
                        ) as database_work:
                            steps.run("write the site", write_site, site, schema)
                            failures = steps.run(
                                f"run checks/ ({'great-expectations' if expectations else 'sqlite3'}), index search",
                                database_work.result,
                            )
                        if failures:
                            raise PipelineErrors(explain(failures, articles, schema, tables))
                    finally:
                        try:
                            steps.run("write the package, check it (frictionless)", package.result)
                        except PipelineErrors as e:
                            found = by_row(e.errors, schema, tables)
                            raise PipelineErrors(explain(found, articles, schema, tables)) from None
                steps.run("list the downloads", list_site, site, schema, metadata, db)
                changed = steps.run("publish (switch build/site)", out.publish)
        steps.say(
            f"build: done in {time.perf_counter() - steps.t0:.2f} s; "
            + (f"changed: {', '.join(changed)}" if changed else "data/ and datapackage.json unchanged")
        )
        return tables
    except (PipelineError, PipelineErrors) as e:
        e.step = steps.current
        raise


def write_and_check_package(schema, tables, texts, package_dir):
    """data/*.csv and datapackage.json, then frictionless on them (types, constraints, keys, hashes)."""
    write_package(schema, texts, package_dir)
    validate_package(package_dir, tables)


def check_then_index(runner, db, checks, site, schema):
    """checks/ on the database; then, when every check holds, the search index written into it."""
    failures = runner(db, checks)
    if not failures:
        index_search(site, schema, db)
    return failures


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
