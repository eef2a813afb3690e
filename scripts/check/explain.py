"""Check failures as a curator reads them: each with the file and line of the curated value behind the
row and field it names (the published one where several articles give one), for the build and for
`make validate` alike."""

from pathlib import Path

from ..errors import PipelineError
from ..package.assemble import cell


def by_row(errors, schema, tables):
    """frictionless errors as {check: [(table, record_id, field, problem)]}: the row number of a
    CSV becomes the record it holds."""
    out = {}
    for err in errors:
        table = Path(str(err.file or "")).stem
        row = int(err.record.split()[-1]) if err.record and err.record.startswith("row ") else None
        record = ""
        if table in tables and row and 0 <= row - 2 < len(tables[table]):
            record = "/".join(str(tables[table][row - 2][k]) for k in schema.primary_key(table))
        out.setdefault("frictionless", []).append((table, record, err.field or "", err.message))
    return out


def explain(failures, articles, schema, tables):
    """{check: [(table, record_id, field, problem)]} -> [PipelineError] at the curated lines."""
    claims, records = {}, {}
    for c in (c for a in articles for c in a.claims):
        claims.setdefault((c.table, c.record_id, c.field), []).append(c)
        records.setdefault((c.table, c.record_id), c.where())
    for s in (s for a in articles for s in a.statements):  # a statement's own line, where it has no claim
        records.setdefault(("statements", s.statement_id), dict(file=s.file, record=s.statement_id, line=s.line))
    rows_by_id = {
        (t, "/".join(str(r[k]) for k in schema.primary_key(t))): r
        for t, rows in tables.items()
        if t in schema.tables
        for r in rows
    }
    errors = []
    for check, rows in failures.items():
        for table, record, field, problem in rows:
            given = claims.get((table, record, field), [])
            published = cell(rows_by_id.get((table, record), {}).get(field))
            behind = [c for c in given if cell(c.value) == published] or given
            where = behind[0].where() if behind else records.get((table, record)) or dict(record=record or None)
            rule = "the schema (frictionless)" if check == "frictionless" else f"checks/{check}.sql"
            errors.append(PipelineError(f"{problem} ({rule})", **dict(where, field=field or None)))
    return errors
