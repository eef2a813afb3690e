"""Load the published CSVs into SQLite, with the tables created from datapackage.json:
declared types, primary and foreign keys, NOT NULL, indexes, full-text search, views."""
import csv
import sqlite3

import sqlite_utils

SQL_TYPES = {"string": str, "integer": int, "number": float, "boolean": int, "array": str}
# Full-text search: what a reader types into the search box.
FTS = {"statements": ["quote", "speaker", "organization"], "exercises": ["name", "aliases", "description"]}


def _foreign_keys(package, name):
    return [(fk["fields"][0], fk["reference"].get("resource") or name, fk["reference"]["fields"][0])
            for fk in package.foreign_keys(name)]


def create_tables(db, package):
    for name in package.resources:
        fields = package.fields(name)
        db[name].create(
            {f["name"]: SQL_TYPES[f["type"]] for f in fields},
            pk=tuple(package.primary_key(name)) if len(package.primary_key(name)) > 1 else package.primary_key(name)[0],
            not_null={f["name"] for f in fields if f.get("constraints", {}).get("required")},
            foreign_keys=_foreign_keys(package, name),
        )


def create_indexes(db, package, index_columns):
    """Foreign keys and facet columns get an index: facets, joins and row pages use them."""
    for name in package.resources:
        indexed = {fk[0] for fk in _foreign_keys(package, name)} | set(index_columns.get(name, ()))
        for column in sorted(indexed - {package.primary_key(name)[0]}):
            db[name].create_index([column], if_not_exists=True)


def _placeholder(field):
    """Empty cells become NULL; text in an INTEGER or FLOAT column becomes a number by the column's
    type affinity (as int() or float() would: the CSVs passed frictionless first), in SQLite's C code
    rather than one Python call per cell (the load step took 2.5 s at 5,000 articles, half of it there)."""
    if field["type"] == "boolean":
        return "CASE ? WHEN '' THEN NULL WHEN 'true' THEN 1 ELSE 0 END"
    return "nullif(?, '')"


def insert_rows(conn, package, package_dir):
    counts = {}
    for name, resource in package.resources.items():
        fields = package.fields(name)
        with open(package_dir / resource["path"], newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            if header != [f["name"] for f in fields]:
                raise ValueError(f"{resource['path']}: header {header} differs from datapackage.json")
            placeholders = ", ".join(_placeholder(f) for f in fields)
            cur = conn.executemany(f"INSERT INTO [{name}] VALUES ({placeholders})", reader)
            counts[name] = cur.rowcount
    return counts


def conflicts_view(package):
    """Every version of every scalar field that articles state differently. Values that differ
    only in date precision are compatible and not listed; array columns hold several values by design."""
    arrays = ", ".join(f"'{f['name']}'" for t in ("exercises", "participants") for f in package.fields(t) if f["type"] == "array")
    return f"""
CREATE VIEW conflicts AS
SELECT e.table_name, e.record_id, e.field, e.value, e.in_table, s.title AS source_title, e.source_id,
       e.quote, e.inference, e.note, e.evidence_id
FROM evidence e JOIN sources s ON s.source_id = e.source_id
WHERE e.field NOT IN ({arrays})
  AND EXISTS (
    SELECT 1 FROM evidence o
    WHERE o.table_name = e.table_name AND o.record_id = e.record_id AND o.field = e.field
      AND o.value <> e.value
      AND NOT (e.field LIKE '%date' AND (substr(o.value, 1, length(e.value)) = e.value
                                         OR substr(e.value, 1, length(o.value)) = o.value)))
ORDER BY e.table_name, e.record_id, e.field, e.value, e.source_id
"""


def load(package, package_dir, db_path, index_columns):
    """Build the database at db_path (a new file). Returns row counts per table."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=OFF")  # a fresh file written once, renamed into place when complete
    conn.execute("PRAGMA synchronous=OFF")
    db = sqlite_utils.Database(conn)
    create_tables(db, package)
    with conn:
        counts = insert_rows(conn, package, package_dir)
        create_indexes(db, package, index_columns)  # after the rows: one sort per index, not a b-tree update per row
    conn.execute("PRAGMA foreign_keys=ON")
    bad = conn.execute("PRAGMA foreign_key_check").fetchall()
    if bad:
        raise ValueError(f"foreign key violations: {bad[:5]}")
    for table, columns in FTS.items():
        db[table].enable_fts(columns, tokenize="porter", create_triggers=False, replace=True)
    conn.execute(conflicts_view(package))
    conn.execute("ANALYZE")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return counts
