"""Check the written package against the articles, independently of how it was built: every seed
listed once with its sha256, and every quote (evidence and statements) verbatim at its offsets.
What SQL can check on the database (every value evidenced, ...) lives in checks/ instead."""
import hashlib
from pathlib import Path

from ..errors import PipelineError, PipelineErrors
from .frictionless import read_rows


def check_provenance(package_dir, seeds_dir):
    """Raise PipelineErrors listing every problem; return what was checked."""
    package_dir, seeds_dir = Path(package_dir), Path(seeds_dir)
    problems = []

    def problem(table, rownum, field, message):
        problems.append(PipelineError(message, file=f"data/{table}.csv", record=f"row {rownum}", field=field))

    texts, listed = {}, set()
    for i, row in enumerate(read_rows(package_dir / "data" / "sources.csv"), start=2):
        listed.add(row["seed_file"])
        try:
            raw = (seeds_dir / row["seed_file"]).read_bytes()
        except OSError:
            problem("sources", i, "seed_file", f"no such seed file: seeds/{row['seed_file']}")
            continue
        if hashlib.sha256(raw).hexdigest() != row["sha256"]:
            problem("sources", i, "sha256", f"seeds/{row['seed_file']} does not have the recorded sha256 (edited after curation?)")
        texts[row["source_id"]] = raw.decode("utf-8", errors="replace")
    for seed in sorted(seeds_dir.glob("*.txt")):
        if seed.name not in listed:
            problems.append(PipelineError("seed has no row in sources", file=seed))

    quotes = 0
    for table in ("statements", "evidence"):
        for i, row in enumerate(read_rows(package_dir / "data" / f"{table}.csv"), start=2):
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
                problem(table, i, "quote", f"text[{start}:{end}] of {row['source_id']} is {text[start:end][:80]!r}, "
                        f"not the quote {row['quote'][:80]!r}")
            quotes += 1
    if problems:
        raise PipelineErrors(problems)
    return {"quotes": quotes, "seeds": len(texts)}
