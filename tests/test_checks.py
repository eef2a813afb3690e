"""Every validation rule shown failing on bad data, on the fixture corpus: the schema layer
(frictionless, and the uniqueKeys it does not enforce), provenance (quotes against the seeds),
and each rule in checks/ (with sqlite3, as `make build` runs them, and through great-expectations,
as `make test` does)."""
import csv
import hashlib
import io
import json
import shutil
import sqlite3

import pytest

from support import ROOT, site_of
from scripts.check.rules import read_checks, run_great_expectations, run_sqlite
from scripts.errors import PipelineError, PipelineErrors, error_list
from scripts.check.provenance import check_provenance
from scripts.check.frictionless import validate_package


@pytest.fixture
def pkg(built_project, tmp_path):
    """A copy of the built package (datapackage.json, data/) and the seeds, to tamper with."""
    root = tmp_path / "pkg"
    shutil.copytree(site_of(built_project) / "download", root)
    shutil.copytree(built_project / "seeds", root / "seeds", dirs_exist_ok=True)
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


def test_the_untampered_package_passes(pkg):
    validate_package(pkg)
    check_provenance(pkg, pkg / "seeds")


SCHEMA_CASES = [
    ("type", "exercises", set_value("year", "20x1"), "type-error"),
    ("required", "exercises", set_value("date_precision", ""), "constraint-error"),
    ("enum", "participants", set_value("role", "leader"), "constraint-error"),
    ("array-item-enum", "exercises", set_value("domains", '["space"]', lambda r: r["domains"]), "constraint-error"),
    ("id-pattern", "exercises", set_value("exercise_id", "Bad Id"), "constraint-error"),
    ("text-pattern-formula", "statements", set_value("speaker", "=1+1", lambda r: r["speaker"]), "constraint-error"),
    ("text-pattern-bidi", "sources", set_value("title", "a\u202eb", lambda r: r["title"]), "constraint-error"),
    ("text-max-length", "exercises", set_value("description", "x" * 2001, lambda r: r["description"]), "constraint-error"),
    ("date-pattern", "sources", set_value("published_date", "10 August 2021", lambda r: r["published_date"]), "constraint-error"),
    ("minimum", "exercises", set_value("troops", "0", lambda r: r["troops"]), "constraint-error"),
    ("maximum", "exercises", set_value("latitude", "123", lambda r: r["latitude"]), "constraint-error"),
    ("country-code", "participants", set_value("country_code", "XXX"), "constraint-error"),
    ("primary-key", "sources", lambda rows: rows + [dict(rows[0], sha256="0" * 64)], "primary-key"),
    ("unique", "sources", set_value("seed_file", "001_2c30a861351b1e2d.txt", lambda r: r["source_id"].startswith("000")), "unique-error"),
    ("foreign-key", "participants", set_value("exercise_id", "no-such-exercise"), "foreign-key"),
    ("self-foreign-key", "statements", set_value("same_as", "no-such-statement"), "foreign-key"),
    ("boolean", "evidence", set_value("in_table", "yes"), "type-error"),
    ("basis", "evidence", set_value("basis", "hearsay"), "constraint-error"),
]


@pytest.mark.parametrize("case,table,change,error", SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_frictionless_rejects(pkg, case, table, change, error):
    tamper(pkg, table, change)
    with pytest.raises(PipelineErrors) as exc:
        validate_package(pkg)
    assert any(error in m for m in messages(exc.value)), messages(exc.value)


def test_frictionless_rejects_a_file_that_does_not_match_its_hash(pkg):
    tamper(pkg, "sources", set_value("title", "Edited"), rehash=False)
    with pytest.raises(PipelineErrors) as exc:
        validate_package(pkg)
    assert any("hash-count" in m for m in messages(exc.value))


def test_unique_keys_are_enforced(pkg):
    # frictionless accepts but ignores uniqueKeys: the same evidence twice under another id.
    tamper(pkg, "evidence", lambda rows: rows + [dict(rows[0], evidence_id="ev-000000000000")])
    with pytest.raises(PipelineErrors) as exc:
        validate_package(pkg)
    assert any("unique key (table_name, record_id, field, value, source_id, quote_start, quote_end)" in m
               for m in messages(exc.value))


PROVENANCE_CASES = [
    ("quote-offset", lambda p: tamper(p, "evidence", lambda rows: [dict(rows[0], quote_start=str(int(rows[0]["quote_start"]) + 1))] + rows[1:]),
     "not the quote"),
    ("statement-offset", lambda p: tamper(p, "statements", lambda rows: [dict(rows[0], quote_end=str(int(rows[0]["quote_end"]) - 1))] + rows[1:]),
     "not the quote"),
    ("seed-edited", lambda p: (p / "seeds" / "003_8aed447154efcc44.txt").write_bytes(
        (p / "seeds" / "003_8aed447154efcc44.txt").read_bytes() + b"\n"), "does not have the recorded sha256"),
    ("seed-missing", lambda p: (p / "seeds" / "003_8aed447154efcc44.txt").unlink(), "no such seed file"),
    ("seed-unlisted", lambda p: (p / "seeds" / "009_extra.txt").write_text("x"), "seed has no row in sources"),
    ("unknown-source", lambda p: tamper(p, "evidence", set_value("source_id", "009_extra")), "unknown source"),
]


@pytest.mark.parametrize("case,tamper_with,message", PROVENANCE_CASES, ids=[c[0] for c in PROVENANCE_CASES])
def test_provenance_rejects(pkg, case, tamper_with, message):
    tamper_with(pkg)
    with pytest.raises((PipelineError, PipelineErrors)) as exc:
        check_provenance(pkg, pkg / "seeds")
    assert any(message in m for m in messages(exc.value)), messages(exc.value)


# Each rule in checks/, and a corruption of the database that breaks it (the tables' own constraints
# are dropped first, so that the rule, not SQLite, is what catches it).
CHECK_CASES = {
    "dates_in_order": "update exercises set end_date = '2021-08-01' where exercise_id = 'zapad-interaction-2021'",
    "year_matches_dates": "update exercises set year = 2019 where exercise_id = 'vostok-2022'",
    "date_precision": "update exercises set date_precision = 'day' where exercise_id = 'kavkaz-2020'",
    "coordinates_in_pairs": "update exercises set longitude = null where latitude is not null",
    "one_place": "update exercises set location_precision = 'site' where latitude is not null",
    "one_host": "update participants set role = 'participant' where exercise_id = 'kavkaz-2020'",
    "two_participants": "delete from participants where exercise_id = 'joint-sea-2016' and country_code = 'CHN'",
    "every_value_evidenced": "update published_values set basis = null where field = 'troops'",
    "evidence_of_a_value": "update evidence set in_table = 0 where table_name = 'sources' and field = 'title'",
    "basis_and_inference": "update evidence set inference = null where basis = 'outside'",
    "outside_knowledge": "update exercises set outside_knowledge = null where exercise_id = 'vostok-2022'",
    "differences_recorded": "delete from differences where field = 'status'",
    "same_as": "update statements set same_as = (select statement_id from statements t where t.source_id = statements.source_id "
               "and t.statement_id <> statements.statement_id limit 1) where same_as is not null",
    "labels": "update exercises set label = 'None' where name is null",
    "seed_files": "update sources set seed_file = 'other.txt' where rowid = 1",
}


def test_every_rule_in_checks_has_a_case(built_project):
    assert {c.name for c in read_checks(built_project)} == set(CHECK_CASES)


def test_the_readme_lists_every_rule_as_its_file_states_it(built_project):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for check in read_checks(built_project):
        assert f"| `{check.name}.sql` | {check.description} |" in readme, check.name


@pytest.fixture(scope="module")
def corrupt(site_dir, tmp_path_factory):
    """A database for each rule, broken for that rule only; and one carrying every corruption."""
    def make(path, statements):
        shutil.copy2(next(site_dir.glob("*.db")), path)
        conn = sqlite3.connect(path)
        conn.execute("drop view conflicts")
        for (table,) in conn.execute("select name from sqlite_master where type = 'table' and name not like '%fts%' "
                                     "and name not like 'sqlite%'").fetchall():
            conn.executescript(f"create table t_copy as select * from [{table}]; drop table [{table}]; "
                               f"alter table t_copy rename to [{table}];")
        for sql in statements:
            assert conn.execute(sql).rowcount > 0, f"corruption changed nothing: {sql}"
        conn.commit()
        conn.close()
        return path

    folder = tmp_path_factory.mktemp("corrupt")
    return lambda name: make(folder / f"{name}.db", list(CHECK_CASES.values()) if name == "all" else [CHECK_CASES[name]])


def test_the_clean_database_meets_every_rule(site_dir, built_project):
    assert run_sqlite(next(site_dir.glob("*.db")), read_checks(built_project)) == {}


@pytest.mark.parametrize("rule", sorted(CHECK_CASES))
def test_each_rule_catches_its_corruption(corrupt, built_project, rule):
    failures = run_sqlite(corrupt(rule), read_checks(built_project))
    assert rule in failures, failures
    assert all(len(row) == 4 and row[3] for row in failures[rule])


def test_great_expectations_runs_the_same_rules(corrupt, built_project, site_dir):
    checks = read_checks(built_project)
    assert run_great_expectations(next(site_dir.glob("*.db")), checks) == {}
    failures = run_great_expectations(corrupt("all"), checks)
    assert set(failures) == set(CHECK_CASES), set(CHECK_CASES) ^ set(failures)
    assert failures["dates_in_order"][0][:3] == ("exercises", "zapad-interaction-2021", "end_date")
