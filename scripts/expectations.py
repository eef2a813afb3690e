"""Content expectations (great-expectations 1.x) on the built SQLite database.

One suite per table, derived from datapackage.json's constraints plus content rules the
schema cannot say (dates in order, year matching the dates, coordinates in pairs), and a
cross-table suite (no orphans, one host, two or more participants, every value evidenced).
great-expectations is slow to import (~3 s): it is used here only, never on the build or
serve path.
"""
import sys
from pathlib import Path

import click
import pycountry

from .metadata import DATABASE
from .schema import Package

EVIDENCED = ("sources", "exercises", "participants")


def table_rules(package, table):
    """(expectation class name, kwargs) pairs for one table."""
    rules = []
    pk = package.primary_key(table)
    rules.append(("ExpectColumnValuesToBeUnique", {"column": pk[0]}) if len(pk) == 1
                 else ("ExpectCompoundColumnsToBeUnique", {"column_list": pk}))
    for key in package.unique_keys(table):
        rules.append(("ExpectCompoundColumnsToBeUnique", {"column_list": key}))
    for f in package.fields(table):
        c, name = f.get("constraints", {}), f["name"]
        if c.get("required"):
            rules.append(("ExpectColumnValuesToNotBeNull", {"column": name}))
        if c.get("unique") and [name] != pk:
            rules.append(("ExpectColumnValuesToBeUnique", {"column": name}))
        if "enum" in c:
            rules.append(("ExpectColumnValuesToBeInSet", {"column": name, "value_set": c["enum"]}))
        if "pattern" in c:
            rules.append(("ExpectColumnValuesToMatchRegex", {"column": name, "regex": c["pattern"]}))
        if "minimum" in c or "maximum" in c:
            rules.append(("ExpectColumnValuesToBeBetween", {"column": name, "min_value": c.get("minimum"), "max_value": c.get("maximum")}))
        if name in ("country_code", "host_country"):
            rules.append(("ExpectColumnValuesToBeInSet", {"column": name, "value_set": sorted(c.alpha_3 for c in pycountry.countries)}))
        if f["type"] == "boolean":
            rules.append(("ExpectColumnValuesToBeInSet", {"column": name, "value_set": [0, 1]}))
    if "quote_start" in package.field_names(table):
        rules.append(("ExpectColumnPairValuesAToBeGreaterThanB", {"column_A": "quote_end", "column_B": "quote_start"}))
    if table == "exercises":
        rules += [
            ("ExpectColumnPairValuesAToBeGreaterThanB", {"column_A": "end_date", "column_B": "start_date", "or_equal": True,
                                                         "ignore_row_if": "either_value_is_missing"}),
            ("UnexpectedRowsExpectation", {"description": "year matches start_date and end_date",
                                           "unexpected_rows_query": "select exercise_id from {batch} where "
                                           "(start_date is not null and cast(substr(start_date, 1, 4) as integer) <> year) or "
                                           "(end_date is not null and cast(substr(end_date, 1, 4) as integer) <> year)"}),
            ("UnexpectedRowsExpectation", {"description": "latitude and longitude come in pairs",
                                           "unexpected_rows_query": "select exercise_id from {batch} where (latitude is null) <> (longitude is null)"}),
            ("UnexpectedRowsExpectation", {"description": "date_precision matches the form of start_date",
                                           "unexpected_rows_query": "select exercise_id from {batch} where date_precision <> case length(coalesce(start_date, '')) "
                                           "when 10 then 'day' when 7 then 'month' else 'year' end"}),
        ]
    return rules


def cross_table_rules(package):
    """Checks across tables: {table: [rule]}, each SQL returning the offending rows of {batch}."""
    q = [
        ("participants", "participants of unknown exercises",
         "select exercise_id from x where exercise_id not in (select exercise_id from exercises)"),
        ("statements", "statements of unknown sources or exercises", "select statement_id from x where source_id not in "
         "(select source_id from sources) or (exercise_id is not null and exercise_id not in (select exercise_id from exercises))"),
        ("statements", "same_as names a statement of another article", "select s.statement_id from x s left join statements t "
         "on t.statement_id = s.same_as where s.same_as is not null and (t.statement_id is null or t.source_id = s.source_id)"),
        ("evidence", "evidence from unknown sources", "select evidence_id from x where source_id not in (select source_id from sources)"),
        ("exercises", "exercises with a host_country have exactly one host, that country",
         "select exercise_id from x e where host_country is not null and "
         "((select count(*) from participants p where p.exercise_id = e.exercise_id and p.role = 'host') <> 1 or "
         "exists (select 1 from participants p where p.exercise_id = e.exercise_id and p.role = 'host' and p.country_code <> e.host_country))"),
        ("exercises", "exercises without a host_country have no host participant",
         "select exercise_id from x e where host_country is null and "
         "exists (select 1 from participants p where p.exercise_id = e.exercise_id and p.role = 'host')"),
        ("exercises", "every exercise has at least two participants",
         "select exercise_id from x e where (select count(*) from participants p where p.exercise_id = e.exercise_id) < 2"),
        ("sources", "every source's seed file is named after its id", "select source_id from x where seed_file <> source_id || '.txt'"),
    ]
    records = {t: " || '/' || ".join(f"x.{k}" for k in package.primary_key(t)) for t in package.resources}
    for t in ("sources", "exercises", "participants", "statements"):
        # NOT IN over the keys (one lookup structure) rather than a correlated NOT EXISTS: a composite
        # key (participants) cannot use an index there and made this quadratic (39 s at 5,000 articles).
        key = records[t].replace("x.", "r.")
        q.append(("evidence", f"evidence names an existing {t} record",
                  f"select evidence_id from x e where e.table_name = '{t}' and (e.record_id is null or "
                  f"e.record_id not in (select {key} from {t} r where {key} is not null))"))
    for t in EVIDENCED:
        refs = {f for fk in package.foreign_keys(t) for f in fk["fields"]} | set(package.primary_key(t))
        for f in package.fields(t):
            if f.get("x-provenance") not in ("curated", "derived") or f["name"] in refs:
                continue
            col = f["name"]
            value = "j.value" if f["type"] == "array" else f"cast(x.{col} as text)"
            source = f"x, json_each(x.{col}) j" if f["type"] == "array" else "x"
            q.append((t, f"every {t}.{col} value has evidence",
                      f"select {records[t]} from {source} where x.{col} is not null and not exists (select 1 from evidence e "
                      f"where e.table_name = '{t}' and e.record_id = {records[t]} and e.field = '{col}' and e.value = {value} and e.in_table = 1)"))
    rules = {}
    for table, description, sql in q:
        # {batch} becomes an aliased subquery: name it x through a CTE so queries can correlate on it.
        rules.setdefault(table, []).append(("UnexpectedRowsExpectation", {"description": f"cross-table: {description}",
                                                                           "unexpected_rows_query": "with x as (select * from {batch}) " + sql}))
    return rules


def _describe(result):
    cfg = result.expectation_config
    kw = {k: v for k, v in cfg.kwargs.items() if k in ("column", "column_list", "column_A", "column_B")}
    what = cfg.description or f"{cfg.type}({', '.join(', '.join(v) if isinstance(v, list) else str(v) for v in kw.values())})"
    r = result.result or {}
    sample = r.get("partial_unexpected_list") or r.get("details", {}).get("unexpected_rows") or r.get("observed_value")
    count = r.get("unexpected_count")
    if result.exception_info and any(v.get("raised_exception") for v in result.exception_info.values() if isinstance(v, dict)):
        messages = {v.get("exception_message", "") for v in result.exception_info.values() if isinstance(v, dict)}
        return f"{what}: could not run: {'; '.join(m.splitlines()[0] for m in messages if m)[:300]}"
    if count is None and isinstance(r.get("observed_value"), int):  # UnexpectedRowsExpectation
        return f"{what}: {r['observed_value']} unexpected row(s)"
    return f"{what}: {count} unexpected, e.g. {str(sample)[:200]}"


def run(db_path, package, data_docs=None, out=sys.stdout):
    """Validate every suite; return the list of failure lines (empty when all pass)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = ctx.data_sources.add_sqlite(DATABASE, connection_string=f"sqlite:///{Path(db_path).resolve()}")
    cross = cross_table_rules(package)
    suites = {t: table_rules(package, t) + cross.get(t, []) for t in package.resources}
    definitions = []
    for name, rules in suites.items():
        batch = source.add_table_asset(name, table_name=name).add_batch_definition_whole_table("whole table")
        # The suite is built whole, then stored once (add_expectation on a stored suite re-saves it each time).
        suite = ctx.suites.add(gx.ExpectationSuite(name, expectations=[getattr(gx.expectations, cls)(**kwargs)
                                                                        for cls, kwargs in rules]))
        definitions.append(ctx.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite)))
    actions = []
    if data_docs:
        ctx.add_data_docs_site(site_name="project", site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(Path(data_docs).resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
        actions.append(gx.checkpoint.UpdateDataDocsAction(name="data docs", site_names=["project"]))
    # BASIC: counts and a sample of unexpected values, without SUMMARY's extra value-count queries.
    checkpoint = ctx.checkpoints.add(gx.Checkpoint(name="all", validation_definitions=definitions, actions=actions,
                                                   result_format="BASIC"))
    result = checkpoint.run()
    failures, total = [], 0
    for vr in result.run_results.values():
        suite = vr.suite_name
        for r in vr.results:
            total += 1
            if not r.success:
                failures.append(f"content: {suite}: {_describe(r)}")
    print(f"great-expectations: {total - len(failures)} of {total} expectations met in {len(suites)} suites", file=out)
    return failures


@click.command()
@click.option("--root", default=".", type=click.Path(file_okay=False))
@click.option("--db", "db_path", default=None, help="Database to check (default: the built one).")
@click.option("--data-docs", default=None, type=click.Path(file_okay=False), help="Write Data Docs (HTML) here.")
def main(root, db_path, data_docs):
    """Run the great-expectations suites; exit 1 when an expectation fails."""
    root = Path(root)
    db_path = db_path or root / "build" / f"{DATABASE}.db"
    if not Path(db_path).exists():
        click.echo(f"content: no database at {db_path}: run `make build` first", err=True)
        sys.exit(1)
    failures = run(db_path, Package(root), data_docs)
    for line in failures:
        click.echo(line, err=True)
    if data_docs:
        click.echo(f"Data Docs: open {Path(data_docs).resolve() / 'index.html'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
