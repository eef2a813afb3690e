"""Check the package against the articles: every seed listed once with its sha256, and every quote
(evidence and statements) verbatim at its offsets in its seed. What SQL can check on the database
(every value evidenced, ...) lives in checks/ instead."""

import hashlib
from pathlib import Path

from ..errors import PipelineError, PipelineErrors
from ..package.assemble import cell
from ..read.files import read_input


def check_provenance(tables, root):
    """Raise PipelineErrors listing every problem; return what was checked."""
    seeds_dir = Path(root) / "seeds"
    problems = []

    def problem(table, rownum, field, message):
        problems.append(PipelineError(message, file=f"data/{table}.csv", record=f"row {rownum}", field=field))

    texts, listed = {}, set()
    for i, row in enumerate(tables["sources"], start=2):
        listed.add(row["seed_file"])
        try:
            raw = read_input(seeds_dir / row["seed_file"], root)
        except PipelineError as e:
            problem("sources", i, "seed_file", f"seeds/{row['seed_file']}: {e.message}")
            continue
        if hashlib.sha256(raw).hexdigest() != row["sha256"]:
            problem(
                "sources",
                i,
                "sha256",
                f"seeds/{row['seed_file']} does not have the recorded sha256 (edited after curation?)",
            )
        texts[row["source_id"]] = raw.decode("utf-8", errors="replace")
    for seed in sorted(seeds_dir.glob("*.txt")):
        if seed.name not in listed:
            problems.append(PipelineError("seed has no row in sources", file=seed))
    quotes = 0
    for table in ("statements", "evidence"):
        for i, row in enumerate(tables[table], start=2):
            text = texts.get(row["source_id"])
            if text is None:
                problem(table, i, "source_id", f"unknown source {row['source_id']!r}")
                continue
            start, end = row["quote_start"], row["quote_end"]
            if text[start:end] != row["quote"]:
                problem(
                    table,
                    i,
                    "quote",
                    f"text[{start}:{end}] of {row['source_id']} is {text[start:end][:80]!r}, "
                    f"not the quote {cell(row['quote'])[:80]!r}",
                )
            quotes += 1
    if problems:
        raise PipelineErrors(problems)
    return {"quotes": quotes, "seeds": len(texts)}
