"""Load the published CSVs into SQLite, with tables created from the schema: declared types,
primary and foreign keys (for Datasette's links; frictionless has already checked them),
NOT NULL, indexes, full-text search and the conflicts view."""
import csv
import json
import sqlite3

import sqlite_utils

from ..package.assemble import best_basis

SQL_TYPES = {"string": str, "integer": int, "number": float, "boolean": int, "array": str}
# Full-text search: what a reader types into the search box.
FTS = {"statements": ["quote", "speaker", "organization"], "exercises": ["name", "aliases", "description"]}
# The conflicts view: every version of every field the articles state differently, real
# disagreements first. Its order is total (evidence_id last), so paging through it loses no row.
CONFLICTS_VIEW = """
CREATE VIEW conflicts AS
SELECT d.difference, e.exercise_id, e.table_name, e.record_id, e.field, e.value, e.in_table, e.basis,
       s.label AS source, e.source_id, e.quote, e.inference, d.because, e.evidence_id
FROM differences d
JOIN evidence e ON e.table_name = d.table_name AND e.record_id = d.record_id AND e.field = d.field
JOIN sources s ON s.source_id = e.source_id
ORDER BY CASE d.difference WHEN 'disagreement' THEN 0 WHEN 'change over time' THEN 1 WHEN 'precision' THEN 2 ELSE 3 END,
         e.record_id, e.field, e.in_table DESC, e.value, e.source_id, e.evidence_id
"""


EVIDENCED = ("sources", "exercises", "participants", "people", "statements")


def _read(package_dir, name):
    with open(package_dir / "data" / f"{name}.csv", newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def published_values(schema, package_dir):
    """One row per published value (an array's items one by one), with the basis of its best
    evidence: the long form of the tables, for the checks, the home page and the fact sheets."""
    bases = {}
    for e in _read(package_dir, "evidence"):
        if e["in_table"] == "1":
            bases.setdefault((e["table_name"], e["record_id"], e["field"], e["value"]), []).append(e["basis"])
    for table in EVIDENCED:
        links = {f for fk in schema.foreign_keys(table) for f in fk["fields"]}
        fields = [f for f in schema.fields(table) if f["x-provenance"] != "computed" and f["name"] not in links]
        pk = schema.primary_key(table)
        for row in _read(package_dir, table):
            record = "/".join(row[k] for k in pk)
            for f in fields:
                raw = row[f["name"]]
                for value in (json.loads(raw) if f["type"] == "array" else [raw]) if raw else ():
                    found = bases.get((table, record, f["name"], value), [])
                    yield (table, record, row.get("exercise_id") or None, f["name"], value,
                           best_basis(found) if found else None, len(found))


def _foreign_keys(schema, name):
    return [(fk["fields"][0], fk["reference"].get("resource") or name, fk["reference"]["fields"][0])
            for fk in schema.foreign_keys(name)]


def create_tables(db, schema):
    for name in schema.tables:
        fields, pk = schema.fields(name), schema.primary_key(name)
        db[name].create({f["name"]: SQL_TYPES[f["type"]] for f in fields}, pk=tuple(pk) if len(pk) > 1 else pk[0],
                        not_null={f["name"] for f in fields if f.get("constraints", {}).get("required")},
                        foreign_keys=_foreign_keys(schema, name))


def create_indexes(db, schema, index_columns):
    """Foreign keys and facet and sort columns get an index: facets, joins and row pages use them."""
    for name in schema.tables:
        indexed = {fk[0] for fk in _foreign_keys(schema, name)} | set(index_columns.get(name, ()))
        for column in sorted(indexed - {schema.primary_key(name)[0]}):
            db[name].create_index([column], if_not_exists=True)


def load(schema, package_dir, db_path, index_columns):
    """Build the database at db_path (a new file). Returns row counts per table."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=OFF")  # a fresh file, written once, published only when complete
    conn.execute("PRAGMA synchronous=OFF")
    db = sqlite_utils.Database(conn)
    create_tables(db, schema)
    counts = {}
    with conn:
        for name in schema.tables:
            with open(package_dir / "data" / f"{name}.csv", newline="", encoding="utf-8") as f:
                reader = csv.reader(f)
                next(reader)
                # Empty cells become NULL; numbers in text become numbers by the column's affinity, in
                # SQLite's C code rather than a Python call per cell.
                placeholders = ", ".join("nullif(?, '')" for _ in schema.fields(name))
                counts[name] = conn.executemany(f"INSERT INTO [{name}] VALUES ({placeholders})", reader).rowcount
        create_indexes(db, schema, index_columns)  # after the rows: one sort per index, not a b-tree update per row
        for name in schema.tables:
            for key in schema.unique_keys(name):
                db[name].create_index(key, unique=True, if_not_exists=True)
        db["published_values"].create({"table_name": str, "record_id": str, "exercise_id": str, "field": str,
                                       "value": str, "basis": str, "evidence": int},
                                      pk=("table_name", "record_id", "field", "value"))
        conn.executemany("INSERT INTO published_values VALUES (?, ?, ?, ?, ?, ?, ?)", published_values(schema, package_dir))
        db["published_values"].create_index(["exercise_id"])
        db["published_values"].create_index(["table_name", "record_id", "field"])
    for table, columns in FTS.items():
        db[table].enable_fts(columns, tokenize="porter", create_triggers=False, replace=True)
    conn.execute(CONFLICTS_VIEW)
    conn.execute("ANALYZE")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return counts
