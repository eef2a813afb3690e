"""Every validation rule shown failing on bad data, on the machinery's corpus: the schema layer
(frictionless, and the uniqueKeys it does not enforce, checked on the rows in memory), provenance
(quotes against the seeds, from the rows in memory), and each rule in checks/ (with sqlite3, as
`make build` runs them, and through great-expectations, as `make test` and `make validate` do)."""

import copy
import csv
import hashlib
import io
import json
import re
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from support import ROOT, line_in, link_project, put, site_of

from scripts.check import rules as check_rules
from scripts.check.frictionless import validate_package
from scripts.check.provenance import check_provenance
from scripts.check.rules import read_checks, run_great_expectations, run_sqlite
from scripts.errors import PipelineError, PipelineErrors, error_list
from scripts.package.assemble import assemble
from scripts.read.curation import read_curation
from scripts.read.schema import Schema

A = "curation/100_joint_sea_2019_begins.yaml"
SEED = "100_joint_sea_2019_begins.txt"
# Tests that import great-expectations (~3.5 s) share one xdist worker (make test runs --dist loadgroup).
GREAT_EXPECTATIONS = pytest.mark.xdist_group("great-expectations")


@pytest.fixture(scope="module")
def tables(built_mini):
    """The assembled tables of the built mini project, as the build holds them in memory."""
    schema = Schema(built_mini)
    articles, register = read_curation(built_mini, schema)
    return assemble(schema, articles, register, built_mini / "curation" / "exercises.yaml")


@pytest.fixture
def pkg(built_mini, tmp_path):
    """A copy of the built package (datapackage.json, data/) and the seeds, to tamper with."""
    root = tmp_path / "pkg"
    shutil.copytree(site_of(built_mini) / "download", root)
    return root


def tamper(root, table, change, rehash=True):
    """Rewrite data/<table>.csv through change(rows) and, unless told not to, re-record its hash,
    so that the rule under test, not the hash check, is what fails."""
    path = root / "data" / f"{table}.csv"
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(change(rows))
    data = buf.getvalue().encode()
    path.write_bytes(data)
    if rehash:
        d = json.loads((root / "datapackage.json").read_text())
        for r in d["resources"]:
            if r["name"] == table:
                r["bytes"], r["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
        (root / "datapackage.json").write_text(json.dumps(d, indent=2))


def set_value(column, value, where=lambda r: True):
    def change(rows):
        row = next(r for r in rows if where(r))
        row[column] = value
        return rows

    return change


def messages(exc):
    return [str(e) for e in error_list(exc)]


def test_the_untampered_package_passes(pkg, tables, built_mini):
    validate_package(pkg, tables)
    assert check_provenance(tables, built_mini) == {
        "quotes": len(tables["evidence"]) + len(tables["statements"]),
        "seeds": 2,
    }


SCHEMA_CASES = [
    ("type", "exercises", set_value("year", "20x1"), "type-error"),
    ("required", "exercises", set_value("date_precision", ""), "constraint-error"),
    ("enum", "participants", set_value("role", "leader"), "constraint-error"),
    ("array-item-enum", "exercises", set_value("domains", '["space"]'), "constraint-error"),
    ("id-pattern", "exercises", set_value("exercise_id", "Bad Id"), "constraint-error"),
    ("text-pattern-formula", "statements", set_value("speaker", "=1+1"), "constraint-error"),
    ("text-pattern-bidi", "sources", set_value("title", "a\u202eb"), "constraint-error"),
    ("text-pattern-line-separator", "sources", set_value("title", "a\u2028b"), "constraint-error"),
    ("text-max-length", "exercises", set_value("name", "x" * 2001), "constraint-error"),
    (
        "date-pattern",
        "sources",
        set_value("published_date", "29 April 2019", lambda r: r["published_date"]),
        "constraint-error",
    ),
    ("minimum", "counts", set_value("number", "0"), "constraint-error"),
    ("maximum", "exercises", set_value("latitude", "123"), "constraint-error"),
    ("country-code", "participants", set_value("country_code", "XXX"), "constraint-error"),
    ("primary-key", "sources", lambda rows: rows + [dict(rows[0], sha256="0" * 64)], "primary-key"),
    (
        "unique",
        "sources",
        set_value("seed_file", "101_joint_sea_2019_notes.txt", lambda r: r["source_id"].startswith("100")),
        "unique-error",
    ),
    ("foreign-key", "participants", set_value("exercise_id", "no-such-exercise"), "foreign-key"),
    ("self-foreign-key", "statements", set_value("same_as", "no-such-statement"), "foreign-key"),
    ("boolean", "evidence", set_value("in_table", "yes"), "type-error"),
    ("basis", "evidence", set_value("basis", "hearsay"), "constraint-error"),
    ("rule", "evidence", set_value("rule", "hearsay", lambda r: r["rule"]), "foreign-key"),
]


@pytest.mark.parametrize("case,table,change,error", SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_frictionless_rejects(pkg, tables, case, table, change, error):
    tamper(pkg, table, change)
    with pytest.raises(PipelineErrors) as exc:
        validate_package(pkg, tables)
    assert any(error in m for m in messages(exc.value)), messages(exc.value)


def test_frictionless_rejects_a_file_that_does_not_match_its_hash(pkg, tables):
    tamper(pkg, "sources", set_value("title", "Edited"), rehash=False)
    with pytest.raises(PipelineErrors) as exc:
        validate_package(pkg, tables)
    assert any("hash-count" in m for m in messages(exc.value))


def test_unique_keys_are_enforced_on_the_rows_in_memory(pkg, tables):
    # frictionless accepts but ignores uniqueKeys: the same evidence twice under another id.
    doubled = dict(tables, evidence=tables["evidence"] + [dict(tables["evidence"][0], evidence_id="ev-000000000000")])
    with pytest.raises(PipelineErrors) as exc:
        validate_package(pkg, doubled)
    assert any(
        "unique key (table_name, record_id, field, value, source_id, quote_start, quote_end)" in m
        for m in messages(exc.value)
    )


def shifted(table, key, by):
    """The tables with the first row of one table's offset moved."""

    def change(tables):
        out = copy.deepcopy(tables)
        out[table][0][key] += by
        return out

    return change


def unlisted(tables):
    out = copy.deepcopy(tables)
    out["evidence"][0]["source_id"] = "109_extra"
    return out


PROVENANCE_CASES = [  # (case, change of the tables in memory, change of the seeds, message)
    ("quote-offset", shifted("evidence", "quote_start", 1), None, "not the quote"),
    ("statement-offset", shifted("statements", "quote_end", -1), None, "not the quote"),
    (
        "seed-edited",
        None,
        lambda seeds: put(seeds / SEED, (seeds / SEED).read_bytes() + b"\n"),
        "does not have the recorded sha256",
    ),
    ("seed-missing", None, lambda seeds: (seeds / SEED).unlink(), "no such file"),
    ("seed-unlisted", None, lambda seeds: put(seeds / "109_extra.txt", "x"), "seed has no row in sources"),
    ("unknown-source", unlisted, None, "unknown source"),
]


@pytest.mark.parametrize("case,change,seeds,message", PROVENANCE_CASES, ids=[c[0] for c in PROVENANCE_CASES])
def test_provenance_rejects(built_mini, tmp_path, tables, case, change, seeds, message):
    root = link_project(built_mini, tmp_path / "p")
    if seeds:
        seeds(root / "seeds")
    with pytest.raises((PipelineError, PipelineErrors)) as exc:
        check_provenance(change(tables) if change else tables, root)
    assert any(message in m for m in messages(exc.value)), messages(exc.value)


# Each rule in checks/, and a corruption of the database that breaks it (the tables' own constraints
# are dropped first, so that the rule, not SQLite, is what catches it).
CHECK_CASES = {
    "dates_in_order": "update exercises set end_date = '2019-04-01' where exercise_id = 'joint-sea-2019'",
    "year_matches_dates": "update exercises set year = 2018",
    "date_precision": "update exercises set date_precision = 'month'",
    "coordinates_in_pairs": "update exercises set longitude = null where latitude is not null",
    "one_place": "update exercises set location_precision = 'site' where latitude is not null",
    "one_host": "update participants set role = 'host' where country_code = 'RUS'",
    "two_participants": "delete from participants where country_code = 'CHN'",
    "every_value_evidenced": "update published_values set basis = null where field = 'name'",
    "evidence_of_a_value": "update evidence set in_table = 1 where in_table = 0",
    "basis_and_inference": "update evidence set inference = null where basis = 'outside'",
    "differences_recorded": "update differences set value = 'planned' where field = 'status'",
    "same_as": "insert into statements (statement_id, source_id, exercise_id, quote, quote_start, quote_end, same_as) "
    "select statement_id || '-again', source_id, exercise_id, quote, quote_start, quote_end, statement_id "
    "from statements",
    "labels": "update exercises set label = 'None'",
    "seed_files": "update sources set seed_file = 'other.txt' where rowid = 1",
    "counts_of_participants": "update counts set party = 'IND' where unit = 'ships'",
}


def test_every_rule_in_checks_has_a_case():
    assert {c.name for c in read_checks(ROOT)} == set(CHECK_CASES)


def test_the_checks_readme_lists_every_rule_as_its_file_states_it():
    readme = (ROOT / "checks" / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `(\w+)\.sql` \|", readme, re.M)
    assert sorted(listed) == sorted(CHECK_CASES), "checks/README.md lists each rule once, in its table"
    for check in read_checks(ROOT):
        assert f"| `{check.name}.sql` | {check.description} |" in readme, check.name


@pytest.fixture(scope="module")
def corrupt(built_mini, tmp_path_factory):
    """A database for each rule, broken for that rule only; and one carrying every corruption."""

    def make(path, statements):
        shutil.copy2(next(site_of(built_mini).glob("*.db")), path)
        conn = sqlite3.connect(path)
        conn.execute("drop view conflicts")
        for (table,) in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like '%fts%' and name not like 'sqlite%'"
        ).fetchall():
            conn.executescript(
                f"create table t_copy as select * from [{table}]; drop table [{table}]; "
                f"alter table t_copy rename to [{table}];"
            )
        for sql in statements:
            assert conn.execute(sql).rowcount > 0, f"corruption changed nothing: {sql}"
        conn.commit()
        conn.close()
        return path

    folder = tmp_path_factory.mktemp("corrupt")
    return lambda name: make(
        folder / f"{name}.db", list(CHECK_CASES.values()) if name == "all" else [CHECK_CASES[name]]
    )


def test_the_clean_database_meets_every_rule(built_mini):
    assert run_sqlite(next(site_of(built_mini).glob("*.db")), read_checks(built_mini)) == {}


@pytest.mark.parametrize("rule", sorted(CHECK_CASES))
def test_each_rule_catches_its_corruption(corrupt, built_mini, rule):
    failures = run_sqlite(corrupt(rule), read_checks(built_mini))
    assert set(failures) == {rule}, failures
    assert all(len(row) == 4 and row[3] for row in failures[rule])


@GREAT_EXPECTATIONS
def test_great_expectations_runs_the_same_rules(corrupt, built_mini):
    checks = read_checks(built_mini)
    assert run_great_expectations(next(site_of(built_mini).glob("*.db")), checks) == {}
    failures = run_great_expectations(corrupt("all"), checks)
    assert set(failures) == set(CHECK_CASES), set(CHECK_CASES) ^ set(failures)
    assert failures["dates_in_order"][0][:3] == ("exercises", "joint-sea-2019", "end_date")


# -- make validate's command line keeps the error contract: 1 bad input (file:line), 2 a bug ---------
def validate(root, *args):
    return CliRunner().invoke(check_rules.main, ["--root", str(root), *args])


@GREAT_EXPECTATIONS
def test_validate_passes_on_the_published_set(built_mini, tmp_path):
    root = link_project(built_mini, tmp_path / "p")
    result = validate(root)
    assert result.exit_code == 0 and f"all {len(CHECK_CASES)} checks hold" in result.output, result.output


@GREAT_EXPECTATIONS
def test_validate_reports_a_new_rule_the_data_breaks_at_the_curated_line(built_mini, tmp_path):
    root = link_project(built_mini, tmp_path / "p")
    put(
        root / "checks" / "zz_no_joint_sea.sql",
        "-- No exercise is called Joint Sea-2019 (a rule the data breaks).\n"
        "-- table: exercises\nselect 'exercises' as table_name, exercise_id as record_id, 'name' as field, "
        "'named ' || name as problem from {batch} where name = 'Joint Sea-2019'\n",
    )
    result = validate(root)
    assert result.exit_code == 1, result.output
    assert (
        f"{A}:{line_in(A, '    name:')}: record joint-sea-2019 field name: named Joint Sea-2019 "
        "(checks/zz_no_joint_sea.sql)" in result.output
    )


BAD_DEFINITIONS = [
    (
        "a-check-that-cannot-run",
        lambda root: put(root / "checks" / "one_host.sql", "-- A rule.\n-- table: exercises\nselect * frm {batch}\n"),
        "checks/one_host.sql: record exercises: the check cannot run on the database",
    ),
    (
        "a-check-without-its-table",
        lambda root: put(root / "checks" / "one_host.sql", "-- A rule.\nselect 1\n"),
        "checks/one_host.sql: a check names the one table it reads",
    ),
    (
        "a-check-with-no-description",
        lambda root: put(root / "checks" / "one_host.sql", "select 1\n"),
        "checks/one_host.sql:1: a check's first line is a comment",
    ),
    ("nothing-published", lambda root: (root / "build" / "site").unlink(), "build/site: nothing is published yet"),
]


@GREAT_EXPECTATIONS
@pytest.mark.parametrize("case,change,expected", BAD_DEFINITIONS, ids=[c[0] for c in BAD_DEFINITIONS])
def test_validate_names_the_file_of_bad_input(built_mini, tmp_path, case, change, expected):
    root = link_project(built_mini, tmp_path / "p")
    change(root)
    result = validate(root)
    assert result.exit_code == 1 and expected in result.output and "Traceback" not in result.output, result.output


def test_validate_exits_1_for_a_bad_option_and_2_for_a_bug(built_mini, tmp_path, monkeypatch):
    assert validate(built_mini / "README.md").exit_code == 1
    monkeypatch.setattr(check_rules, "run_great_expectations", lambda *a: 1 / 0)
    result = validate(built_mini)
    assert result.exit_code == 2 and "internal error" in result.output and "ZeroDivisionError" in result.output
    assert "Traceback" not in result.output
