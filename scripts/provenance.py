"""Check the published package against the articles, independently of how it was built:
every quote verbatim at its offsets, every seed hashed and listed, every value evidenced."""
import csv
import hashlib
import json
from collections import defaultdict
from pathlib import Path

from .errors import PipelineError, PipelineErrors

EVIDENCED_TABLES = ("sources", "exercises", "participants", "statements")


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_provenance(package, package_dir, seeds_dir):
    """Raise PipelineErrors listing every problem; return counts checked on success."""
    package_dir, seeds_dir = Path(package_dir), Path(seeds_dir)
    tables = {name: read_rows(package_dir / r["path"]) for name, r in package.resources.items()}
    problems = []

    def problem(table, rownum, field, message):
        problems.append(PipelineError(message, file=package.resources[table]["path"], record=f"row {rownum}", field=field))

    # Seeds <-> sources, and their hashes.
    texts = {}
    listed = {}
    for i, row in enumerate(tables["sources"], start=2):
        seed = seeds_dir / row["seed_file"]
        listed[row["seed_file"]] = row["source_id"]
        try:
            raw = seed.read_bytes()
        except OSError:
            problem("sources", i, "seed_file", f"no such seed file: seeds/{row['seed_file']}")
            continue
        if hashlib.sha256(raw).hexdigest() != row["sha256"]:
            problem("sources", i, "sha256", f"seeds/{row['seed_file']} does not have the recorded sha256 (edited after curation?)")
        texts[row["source_id"]] = raw.decode("utf-8", errors="replace")
    for seed in sorted(seeds_dir.glob("*.txt")):
        if seed.name not in listed:
            problems.append(PipelineError("seed has no row in sources", file=seed))

    # Quotes at their offsets.
    quotes = 0
    for table in ("statements", "evidence"):
        for i, row in enumerate(tables[table], start=2):
            text = texts.get(row["source_id"])
            if text is None:
                problem(table, i, "source_id", f"unknown source {row['source_id']!r}")
                continue
            try:
                start, end = int(row["quote_start"]), int(row["quote_end"])
            except ValueError:
                problem(table, i, "quote_start", "offsets are not whole numbers")
                continue
            if text[start:end] != row["quote"]:
                problem(table, i, "quote", f"text[{start}:{end}] of {row['source_id']} is {text[start:end]!r}, not the quote {row['quote']!r}")
            quotes += 1

    # Every value has evidence, and evidence points at real records and columns.
    evidenced = defaultdict(set)  # (table, record, field) -> {values}
    keys = {t: {_record_id(package, t, r) for r in tables[t]} for t in EVIDENCED_TABLES}
    for i, row in enumerate(tables["evidence"], start=2):
        t = row["table_name"]
        if t not in keys or row["record_id"] not in keys[t]:
            problem("evidence", i, "record_id", f"no {t} record {row['record_id']!r}")
        elif row["field"] not in package.field_names(t):
            problem("evidence", i, "field", f"{t} has no column {row['field']!r}")
        if row["in_table"] == "true":
            evidenced[(t, row["record_id"], row["field"])].add(row["value"])
    values = 0
    for t in EVIDENCED_TABLES:
        fields = [f for f in package.fields(t) if f.get("x-provenance") in ("curated", "derived")
                  and f["name"] not in _reference_fields(package, t)]
        for i, row in enumerate(tables[t], start=2):
            record = _record_id(package, t, row)
            for f in fields:
                raw = row[f["name"]]
                if raw == "":
                    continue
                items = json.loads(raw) if f["type"] == "array" else [raw]
                for item in items:
                    values += 1
                    if item not in evidenced.get((t, record, f["name"]), ()):
                        problem(t, i, f["name"], f"value {item!r} of {record} has no evidence")
    if problems:
        raise PipelineErrors(problems)
    return {"quotes": quotes, "values": values, "seeds": len(texts)}


def _record_id(package, table, row):
    return "/".join(row[k] for k in package.primary_key(table))


def _reference_fields(package, table):
    """Links between rows (exercise_id, same_as...) rest on their row's evidence, not their own."""
    return {f for fk in package.foreign_keys(table) for f in fk["fields"]} | set(package.primary_key(table))
