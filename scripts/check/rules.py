"""Run the rules in checks/*.sql on the built database: each query returns the rows that break
its rule. `make build` runs them with sqlite3; `make test` and `make validate` run the same files
through great-expectations (UnexpectedRowsExpectation, with Data Docs)."""
import sqlite3
from dataclasses import dataclass
from pathlib import Path

CHECKS_DIR = "checks"
COLUMNS = ("table_name", "record_id", "field", "problem")


@dataclass
class Check:
    name: str
    description: str
    table: str
    sql: str  # reads its table as {batch}


def read_checks(root):
    checks = []
    for path in sorted((Path(root) / CHECKS_DIR).glob("*.sql")):
        lines = path.read_text(encoding="utf-8").splitlines()
        description = lines[0].removeprefix("--").strip()
        table = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("-- table:"))
        checks.append(Check(path.stem, description, table, "\n".join(l for l in lines if not l.startswith("--"))))
    return checks


def run_sqlite(db_path, checks):
    """{check name: [(table_name, record_id, field, problem)]} for the checks that fail."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        failures = {}
        for check in checks:
            rows = conn.execute(check.sql.replace("{batch}", f"[{check.table}]")).fetchall()
            if rows:
                failures[check.name] = rows
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
        suite = ctx.suites.add(gx.ExpectationSuite(table, expectations=[
            gx.expectations.UnexpectedRowsExpectation(description=c.description, unexpected_rows_query=c.sql)
            for c in table_checks]))
        definitions.append(ctx.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch, suite=suite)))
    actions = []
    if data_docs:
        ctx.add_data_docs_site(site_name="project", site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(Path(data_docs).resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}})
        actions.append(gx.checkpoint.UpdateDataDocsAction(name="data docs", site_names=["project"]))
    checkpoint = ctx.checkpoints.add(gx.Checkpoint(name="checks", validation_definitions=definitions, actions=actions,
                                                   result_format="COMPLETE"))
    failures = {}
    for result in checkpoint.run().run_results.values():
        for r in result.results:
            if r.success:
                continue
            name = names.get(r.expectation_config.description, r.expectation_config.description)
            exc = r.exception_info or {}
            if exc.get("raised_exception") or any(isinstance(v, dict) and v.get("raised_exception") for v in exc.values()):
                failures[name] = [("", "", "", f"could not run: {str(exc)[:300]}")]
                continue
            rows = (r.result or {}).get("details", {}).get("unexpected_rows") or []
            failures[name] = [tuple(row.get(c) for c in COLUMNS) if isinstance(row, dict) else tuple(row) for row in rows] \
                or [("", "", "", f"{(r.result or {}).get('observed_value')} unexpected row(s)")]
    return failures


def main():
    """make validate: the checks through great-expectations on the published database, with Data Docs."""
    import click

    from ..publish.switch import published

    @click.command()
    @click.option("--root", default=".", type=click.Path(file_okay=False))
    @click.option("--data-docs", default=None, type=click.Path(file_okay=False), help="Write Data Docs (HTML) here.")
    def cli(root, data_docs):
        site = published(root)
        if site is None:
            raise click.ClickException("nothing is published yet: run `make build` first")
        failures = run_great_expectations(next(site.glob("*.db")), read_checks(root), data_docs)
        for name, rows in failures.items():
            for row in rows:
                click.echo(f"checks/{name}.sql: {' '.join(str(v) for v in row if v)}", err=True)
        click.echo(f"{len(read_checks(root)) - len(failures)} of {len(read_checks(root))} checks hold")
        if data_docs:
            click.echo(f"Data Docs: open {Path(data_docs).resolve() / 'index.html'}")
        raise SystemExit(1 if failures else 0)

    cli()


if __name__ == "__main__":
    main()
