"""Run the rules in checks/*.sql on the built database: each query returns the rows that break
its rule. `make build` runs them with sqlite3; `make test` and `make validate` run the same files
through great-expectations (UnexpectedRowsExpectation, with Data Docs)."""

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import click

from ..errors import Collector, Command, PipelineError, PipelineErrors, exit_bad_input, exit_bug
from ..read.files import read_input

CHECKS_DIR = "checks"
CHECK_MAX_BYTES = 100_000
COLUMNS = ("table_name", "record_id", "field", "problem")


@dataclass
class Check:
    name: str
    description: str
    table: str
    sql: str  # reads its table as {batch}
    path: Path = None


def read_checks(root):
    """Every checks/*.sql, read as an input (a regular file inside the project); a file that is not a rule
    (no description on its first line, no `-- table:`) is bad input, named with its line."""
    checks, errors = [], Collector()
    for path in sorted((Path(root) / CHECKS_DIR).glob("*.sql")):
        try:
            lines = read_input(path, root, CHECK_MAX_BYTES).decode("utf-8").splitlines()
        except PipelineError as e:
            errors.add(e)
            continue
        except UnicodeDecodeError as e:
            errors.add(f"not UTF-8 (byte {e.start})", file=path)
            continue
        if not lines or not lines[0].startswith("--") or not lines[0].removeprefix("--").strip():
            errors.add("a check's first line is a comment saying what the rule is (-- ...)", file=path, line=1)
            continue
        tables = [line.split(":", 1)[1].strip() for line in lines if line.startswith("-- table:")]
        if len(tables) != 1 or not tables[0]:
            errors.add("a check names the one table it reads as {batch} in a line `-- table: <name>`", file=path)
            continue
        sql = "\n".join(line for line in lines if not line.startswith("--"))
        checks.append(Check(path.stem, lines[0].removeprefix("--").strip(), tables[0], sql, path))
    errors.raise_if_any()
    return checks


def cannot_run(check, why):
    return PipelineError(f"the check cannot run on the database: {str(why)[:300]}", file=check.path, record=check.table)


def run_sqlite(db_path, checks):
    """{check name: [(table_name, record_id, field, problem)]} for the checks that fail; PipelineErrors
    naming the files of checks that cannot run (a typo in checks/ is bad input, not a bug)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        failures, broken = {}, []
        for check in checks:
            try:
                cursor = conn.execute(check.sql.replace("{batch}", f"[{check.table}]"))
                rows = cursor.fetchall()
            except sqlite3.Error as e:
                broken.append(cannot_run(check, e))
                continue
            names = tuple(d[0] for d in cursor.description)
            if names != COLUMNS:  # great-expectations reads the rows by these names
                broken.append(cannot_run(check, f"it returns the columns {', '.join(names)}, not {', '.join(COLUMNS)}"))
            elif rows:
                failures[check.name] = rows
        if broken:
            raise PipelineErrors(broken)
        return failures
    finally:
        conn.close()


def run_great_expectations(db_path, checks, data_docs=None):
    """The same, through great-expectations: one suite per table, one expectation per check."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = ctx.data_sources.add_sqlite("package", connection_string=f"sqlite:///{Path(db_path).resolve()}")
    by_table, names = {}, {}
    for check in checks:
        by_table.setdefault(check.table, []).append(check)
        names[check.description] = check.name
    definitions = []
    for table, table_checks in by_table.items():
        batch = source.add_table_asset(table, table_name=table).add_batch_definition_whole_table("whole table")
        suite = ctx.suites.add(
            gx.ExpectationSuite(
                table,
                expectations=[
                    gx.expectations.UnexpectedRowsExpectation(description=c.description, unexpected_rows_query=c.sql)
                    for c in table_checks
                ],
            )
        )
        definitions.append(ctx.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch, suite=suite)))
    actions = []
    if data_docs:
        ctx.add_data_docs_site(
            site_name="project",
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(Path(data_docs).resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        actions.append(gx.checkpoint.UpdateDataDocsAction(name="data docs", site_names=["project"]))
    checkpoint = ctx.checkpoints.add(
        gx.Checkpoint(name="checks", validation_definitions=definitions, actions=actions, result_format="COMPLETE")
    )
    failures, broken = {}, []
    for result in checkpoint.run().run_results.values():
        for r in result.results:
            if r.success:
                continue
            name = names.get(r.expectation_config.description, r.expectation_config.description)
            exc = r.exception_info or {}
            nested = (v for v in exc.values() if isinstance(v, dict))
            if exc.get("raised_exception") or any(v.get("raised_exception") for v in nested):
                why = exc.get("exception_message") or "; ".join(
                    v.get("exception_message", "") for v in exc.values() if isinstance(v, dict)
                )
                broken.append(cannot_run(next(c for c in checks if c.name == name), why))
                continue
            rows = (r.result or {}).get("details", {}).get("unexpected_rows") or []
            failures[name] = [
                tuple(row.get(c) for c in COLUMNS) if isinstance(row, dict) else tuple(row) for row in rows
            ] or [("", "", "", f"{(r.result or {}).get('observed_value')} unexpected row(s)")]
    if broken:
        raise PipelineErrors(broken)
    return failures


def validate(root, data_docs=None):
    """make validate: the checks through great-expectations on the published database; a failure is
    reported at the curated line behind it, as the build reports it. Returns how many checks hold."""
    from ..publish.switch import POINTER, build_dir, published

    site = published(root)
    if site is None:
        raise PipelineError("nothing is published yet: run `make build` first", file=build_dir(root) / POINTER)
    checks = read_checks(root)
    failures = run_great_expectations(next(site.glob("*.db")), checks, data_docs)
    if failures:
        from ..package.assemble import assemble
        from ..read.curation import CURATION_DIR, REGISTER_FILE, read_curation
        from ..read.schema import Schema
        from .explain import explain

        schema = Schema(root)
        articles, register = read_curation(root, schema)
        tables = assemble(schema, articles, register, Path(root) / CURATION_DIR / REGISTER_FILE)
        raise PipelineErrors(explain(failures, articles, schema, tables))
    return len(checks)


@click.command(cls=Command)
@click.option("--root", default=".", type=click.Path(file_okay=False), help="Project folder.")
@click.option("--data-docs", default=None, type=click.Path(file_okay=False), help="Write Data Docs (HTML) here.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def main(root, data_docs, debug):
    """Run checks/ through great-expectations on the published database (make validate)."""
    try:
        held = validate(root, data_docs)
    except (PipelineError, PipelineErrors) as e:
        exit_bad_input(e, root, "validate failed")
    except Exception as e:  # a bug, not bad input
        exit_bug(e, "validate failed", debug)
    click.echo(f"all {held} checks hold")
    if data_docs:
        click.echo(f"Data Docs: open {Path(data_docs).resolve() / 'index.html'}")


if __name__ == "__main__":
    main()
