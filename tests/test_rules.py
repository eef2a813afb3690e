"""Every validation rule, shown failing on bad data: the schema layer (frictionless and the
uniqueKeys it does not enforce), provenance, and the great-expectations content suites."""
import csv
import hashlib
import io
import json
import shutil
import sqlite3

import pytest

from scripts.build import validate_schema
from scripts.errors import PipelineError, PipelineErrors
from scripts.expectations import run as run_expectations
from scripts.provenance import check_provenance
from scripts.schema import Package
from scripts.unique_keys import check_unique_keys


@pytest.fixture
def pkg(built_project, tmp_path):
    """A copy of the built package (data/, datapackage.json, seeds/) to tamper with."""
    root = tmp_path / "pkg"
    for name in ("data", "seeds"):
        shutil.copytree(built_project / name, root / name)
    shutil.copy2(built_project / "datapackage.json", root / "datapackage.json")
    return root


def tamper(root, table, change, rehash=True):
    """Rewrite data/<table>.csv through change(rows) and, unless told not to, re-record its hash
    so that the rule under test, not the hash check, is what fails."""
    path = root / "data" / f"{table}.csv"
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    rows = change(rows)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    data = buf.getvalue().encode()
    path.write_bytes(data)
    if rehash:
        d = json.loads((root / "datapackage.json").read_text())
        for r in d["resources"]:
            if r["name"] == table:
                r["bytes"], r["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
        (root / "datapackage.json").write_text(json.dumps(d, indent=2))


def set_value(column, value, where=lambda r: True, first_only=True):
    def change(rows):
        for r in rows:
            if where(r):
                r[column] = value
                if first_only:
                    break
        return rows
    return change


def errors_of(exc):
    return [str(e) for e in (exc.errors if isinstance(exc, PipelineErrors) else [exc])]


def test_untampered_package_passes_every_layer(pkg):
    validate_schema(pkg)
    check_unique_keys(Package(pkg), pkg)
    check_provenance(Package(pkg), pkg, pkg / "seeds")


SCHEMA_CASES = [
    ("type", "exercises", set_value("year", "20x1"), "type-error"),
    ("required", "exercises", set_value("date_precision", ""), "constraint-error"),
    ("enum", "participants", set_value("role", "leader"), "constraint-error"),
    ("pattern", "exercises", set_value("exercise_id", "Bad Id"), "constraint-error"),
    ("minimum", "exercises", set_value("troops", "0", where=lambda r: r["troops"]), "constraint-error"),
    ("maximum", "exercises", set_value("latitude", "123", where=lambda r: r["latitude"]), "constraint-error"),
    ("date-pattern", "sources", set_value("published_date", "10 August 2021", where=lambda r: r["published_date"]), "constraint-error"),
    ("primary-key", "sources", lambda rows: rows + [dict(rows[0], sha256="0" * 64)], "primary-key"),
    ("unique", "sources", set_value("seed_file", "001_2c30a861351b1e2d.txt", where=lambda r: r["source_id"].startswith("000")), "unique-error"),
    ("foreign-key", "participants", set_value("exercise_id", "no-such-exercise"), "foreign-key"),
    ("self-foreign-key", "statements", set_value("same_as", "no-such-statement"), "foreign-key"),
    ("boolean", "evidence", set_value("in_table", "yes"), "type-error"),
]


@pytest.mark.parametrize("case,table,change,error", SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_frictionless_rejects(pkg, case, table, change, error):
    tamper(pkg, table, change)
    with pytest.raises(PipelineErrors) as exc:
        validate_schema(pkg)
    assert any(error in e for e in errors_of(exc.value)), errors_of(exc.value)


def test_frictionless_rejects_a_file_that_does_not_match_its_hash(pkg):
    tamper(pkg, "sources", set_value("title", "Edited"), rehash=False)
    with pytest.raises(PipelineErrors) as exc:
        validate_schema(pkg)
    assert any("hash-count" in e for e in errors_of(exc.value))


def test_unique_keys_are_enforced(pkg):
    # frictionless accepts but ignores uniqueKeys: the same evidence twice under another id.
    tamper(pkg, "evidence", lambda rows: rows + [dict(rows[0], evidence_id="ev-000000000000")])
    validate_schema(pkg)  # passes: that is the gap
    with pytest.raises(PipelineErrors) as exc:
        check_unique_keys(Package(pkg), pkg)
    assert any("unique key (table_name, record_id, field, value, source_id, quote_start, quote_end)" in e for e in errors_of(exc.value))


def test_categories_must_be_repeated_as_enum(pkg):
    d = json.loads((pkg / "datapackage.json").read_text())
    d["resources"][2]["schema"]["fields"][3]["categories"] = ["host", "participant", "observer", "guest"]
    (pkg / "datapackage.json").write_text(json.dumps(d))
    with pytest.raises(PipelineErrors) as exc:
        check_unique_keys(Package(pkg), pkg)
    assert any("categories must be repeated as constraints.enum" in e and "role" in e for e in errors_of(exc.value))


PROVENANCE_CASES = [
    ("quote-offset", lambda p: tamper(p, "evidence", lambda rows: [dict(rows[0], quote_start=str(int(rows[0]["quote_start"]) + 1))] + rows[1:]),
     "not the quote"),
    ("statement-offset", lambda p: tamper(p, "statements", lambda rows: [dict(rows[0], quote_end=str(int(rows[0]["quote_end"]) - 1))] + rows[1:]),
     "not the quote"),
    ("seed-edited", lambda p: (p / "seeds" / "003_8aed447154efcc44.txt").write_bytes(
        (p / "seeds" / "003_8aed447154efcc44.txt").read_bytes() + b"\n"), "does not have the recorded sha256"),
    ("seed-missing", lambda p: (p / "seeds" / "003_8aed447154efcc44.txt").unlink(), "no such seed file"),
    ("seed-unlisted", lambda p: (p / "seeds" / "009_extra.txt").write_text("x"), "seed has no row in sources"),
    ("value-without-evidence", lambda p: tamper(p, "evidence", lambda rows: [r for r in rows if r["field"] != "troops"]),
     "value '10000' of zapad-interaction-2021 has no evidence"),
    ("evidence-for-no-record", lambda p: tamper(p, "evidence", set_value("record_id", "no-such-exercise", where=lambda r: r["table_name"] == "exercises")),
     "no exercises record 'no-such-exercise'"),
    ("evidence-unknown-column", lambda p: tamper(p, "evidence", set_value("field", "colour", where=lambda r: r["table_name"] == "exercises")),
     "exercises has no column 'colour'"),
]


@pytest.mark.parametrize("case,tamper_with,message", PROVENANCE_CASES, ids=[c[0] for c in PROVENANCE_CASES])
def test_provenance_rejects(pkg, case, tamper_with, message):
    tamper_with(pkg)
    with pytest.raises((PipelineError, PipelineErrors)) as exc:
        check_provenance(Package(pkg), pkg, pkg / "seeds")
    assert any(message in e for e in errors_of(exc.value)), errors_of(exc.value)


# Content rules: each corruption of the database, and the expectation that must catch it.
GX_CASES = [
    ("update exercises set end_date = '2021-08-01' where exercise_id = 'zapad-interaction-2021'", "expect_column_pair_values_a_to_be_greater_than_b(end_date, start_date)"),
    ("update exercises set year = 2019 where exercise_id = 'vostok-2022'", "year matches start_date and end_date"),
    ("update exercises set longitude = null where latitude is not null", "latitude and longitude come in pairs"),
    ("update exercises set date_precision = 'day' where exercise_id = 'kavkaz-2020'", "date_precision matches the form of start_date"),
    ("update exercises set troops = -3 where troops is not null", "expect_column_values_to_be_between(troops)"),
    ("update exercises set latitude = 123 where latitude is not null", "expect_column_values_to_be_between(latitude)"),
    ("update participants set country_code = 'XXX' where country_code = 'MNG'", "expect_column_values_to_be_in_set(country_code)"),
    ("update participants set role = 'guest' where country_code = 'IND'", "expect_column_values_to_be_in_set(role)"),
    ("update sources set url = 'ftp://example' where url is not null", "expect_column_values_to_match_regex(url)"),
    ("update sources set published_date = '2021-13-01' where published_date is not null", "expect_column_values_to_match_regex(published_date)"),
    ("update statements set statement_id = 'Bad Id' where rowid = 1", "expect_column_values_to_match_regex(statement_id)"),
    ("update statements set quote = null where rowid = 2", "expect_column_values_to_not_be_null(quote)"),
    ("insert into sources select * from sources limit 1", "expect_column_values_to_be_unique(source_id)"),
    ("insert into participants select * from participants where exercise_id = 'vostok-2022' and country_code = 'BLR'", "expect_compound_columns_to_be_unique(exercise_id, country_code)"),
    ("update statements set quote_end = quote_start where rowid = 3", "expect_column_pair_values_a_to_be_greater_than_b(quote_end, quote_start)"),
    ("update participants set exercise_id = 'ghost' where country_code = 'TJK'", "participants of unknown exercises"),
    ("update statements set exercise_id = 'ghost' where rowid = (select max(rowid) from statements where exercise_id is not null)", "statements of unknown sources or exercises"),
    ("update statements set same_as = statement_id where same_as is not null", "same_as names a statement of another article"),
    ("update participants set role = 'participant' where exercise_id = 'kavkaz-2020'", "exercises with a host_country have exactly one host"),
    ("update exercises set host_country = null where exercise_id = 'tsentr-2019'", "exercises without a host_country have no host participant"),
    ("delete from participants where exercise_id = 'joint-sea-2016' and country_code = 'CHN'", "every exercise has at least two participants"),
    ("update sources set seed_file = 'other.txt' where rowid = 1", "every source's seed file is named after its id"),
    ("update evidence set source_id = 'ghost' where rowid = 5", "evidence from unknown sources"),
    ("update evidence set record_id = 'ghost' where table_name = 'statements'", "evidence names an existing statements record"),
    ("update evidence set in_table = 0 where field = 'troops'", "every exercises.troops value has evidence"),
    ("update evidence set value = 'sky' where field = 'domains' and value = 'air'", "every exercises.domains value has evidence"),
    ("update evidence set in_table = 0 where table_name = 'participants' and field = 'forces'", "every participants.forces value has evidence"),
    ("update evidence set in_table = 0 where table_name = 'sources' and field = 'title'", "every sources.title value has evidence"),
]


@pytest.fixture(scope="module")
def gx_failures(db_path, built_project, tmp_path_factory):
    """Run the suites once on a database carrying every corruption above at the same time."""
    bad = tmp_path_factory.mktemp("gx") / "bad.db"
    shutil.copy2(db_path, bad)
    conn = sqlite3.connect(bad)
    conn.execute("drop view conflicts")
    # Drop the database's own constraints so the content layer, not SQLite, is what is tested.
    for (table,) in conn.execute("select name from sqlite_master where type = 'table' and name in "
                                 "('sources','exercises','participants','statements','evidence')").fetchall():
        conn.executescript(f"create table t_copy as select * from [{table}]; drop table [{table}]; "
                           f"alter table t_copy rename to [{table}];")
    for sql, _ in GX_CASES:
        assert conn.execute(sql).rowcount > 0, f"corruption changed nothing: {sql}"
    conn.commit()
    conn.close()
    return run_expectations(bad, Package(built_project), out=io.StringIO())


def test_clean_database_meets_every_expectation(db_path, built_project):
    assert run_expectations(db_path, Package(built_project), out=io.StringIO()) == []


@pytest.mark.parametrize("sql,expectation", GX_CASES, ids=[c[1][:60] for c in GX_CASES])
def test_expectation_catches(gx_failures, sql, expectation):
    assert any(expectation in f for f in gx_failures), "\n".join(gx_failures)
