"""Load the published tables into SQLite, with tables created from the schema: declared types,
primary and foreign keys (for Datasette's links; frictionless has already checked them), NOT NULL,
indexes, full-text search on the schema's x-search columns, the published values and the views of
site/views/*.sql.

The rows come from memory, in the CSVs' one text form (assemble.cell), so the database holds exactly
what data/*.csv holds, without reading the files again."""

import sqlite3
from pathlib import Path

import sqlite_utils

from ..package.assemble import cell

SQL_TYPES = {"string": str, "integer": int, "number": float, "boolean": int, "array": str}
VIEWS_DIR = Path("site") / "views"
PUBLISHED_VALUES = {
    "table_name": str,
    "record_id": str,
    "exercise_id": str,
    "field": str,
    "value": str,
    "basis": str,
    "evidence": int,
}


def _foreign_keys(schema, name):
    return [
        (fk["fields"][0], fk["reference"].get("resource") or name, fk["reference"]["fields"][0])
        for fk in schema.foreign_keys(name)
    ]


def create_tables(db, schema):
    done = []
    while len(done) < len(schema.tables):  # a table after the tables its foreign keys reference
        done += [
            n
            for n in schema.tables
            if n not in done and all(ref in done or ref == n for _, ref, _ in _foreign_keys(schema, n))
        ]
    for name in done:
        fields, pk = schema.fields(name), schema.primary_key(name)
        db[name].create(
            {f["name"]: SQL_TYPES[f["type"]] for f in fields},
            pk=tuple(pk) if len(pk) > 1 else pk[0],
            not_null={f["name"] for f in fields if f.get("constraints", {}).get("required")},
            foreign_keys=_foreign_keys(schema, name),
        )


def create_indexes(db, schema, index_columns):
    """Foreign keys and facet and sort columns get an index: facets, joins and row pages use them."""
    for name in schema.tables:
        indexed = {fk[0] for fk in _foreign_keys(schema, name)} | set(index_columns.get(name, ()))
        for column in sorted(indexed - {schema.primary_key(name)[0]}):
            db[name].create_index([column], if_not_exists=True)
        for key in schema.unique_keys(name):
            db[name].create_index(key, unique=True, if_not_exists=True)


def load(schema, tables, texts, db_path, index_columns, root):
    """Build the database at db_path (a new file) from the tables' rows as the CSVs write them (texts, from
    write_package) and published_values (in tables). Returns row counts per table."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=OFF")  # a fresh file, written once, published only when complete
    conn.execute("PRAGMA synchronous=OFF")
    db = sqlite_utils.Database(conn)
    create_tables(db, schema)
    db["published_values"].create(PUBLISHED_VALUES, pk=("table_name", "record_id", "field", "value"))
    counts = {}
    with conn:
        for name in list(schema.tables) + ["published_values"]:
            columns = schema.field_names(name) if name in schema.tables else list(PUBLISHED_VALUES)
            # Empty cells become NULL; numbers in text become numbers by the column's affinity, in
            # SQLite's C code rather than a Python call per cell.
            placeholders = ", ".join("nullif(?, '')" for _ in columns)
            rows = texts[name] if name in texts else ([cell(row.get(c)) for c in columns] for row in tables[name])
            counts[name] = conn.executemany(f"INSERT INTO [{name}] VALUES ({placeholders})", rows).rowcount
        create_indexes(db, schema, index_columns)  # after the rows: one sort per index, not a b-tree update per row
        db["published_values"].create_index(["exercise_id"])
        db["published_values"].create_index(["table_name", "record_id", "field"])
    for table in schema.tables:
        if schema.searchable(table):
            db[table].enable_fts(schema.searchable(table), tokenize="porter", create_triggers=False, replace=True)
    for view in sorted((Path(root) / VIEWS_DIR).glob("*.sql")):
        conn.executescript(view.read_text(encoding="utf-8"))
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    return counts
