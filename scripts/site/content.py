"""What the site's build-time pages and files are made of, read from the built database in one pass per
table (never per article): the article index, the annotations, the search index, the timeline and the map."""

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Content:
    sources: list
    exercises: list
    evidence: dict = field(default_factory=dict)  # source_id -> [evidence rows], in quote order
    statements: dict = field(default_factory=dict)  # source_id -> [statement rows], in quote order
    tables: dict = field(default_factory=dict)  # table -> [rows]: the other tables, for the search index


def read_content(db_path, table_names):
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:

        def rows(sql):
            return [dict(r) for r in conn.execute(sql)]

        content = Content(
            sources=rows("select * from sources order by published_date is null, published_date desc, source_id"),
            exercises=rows("select * from exercises order by chronology"),
        )
        for r in rows("select * from evidence order by source_id, quote_start, quote_end, evidence_id"):
            content.evidence.setdefault(r["source_id"], []).append(r)
        for r in rows("select * from statements order by source_id, quote_start, quote_end, statement_id"):
            content.statements.setdefault(r["source_id"], []).append(r)
        content.tables = {t: rows(f"select * from [{t}] order by rowid") for t in table_names}
    finally:
        conn.close()
    return content


def counts_by_source(content):
    """Per article: its evidence rows, statements and the exercises they speak of."""
    out = defaultdict(lambda: {"n_evidence": 0, "n_statements": 0, "exercises": set()})
    for sid, rows in content.evidence.items():
        out[sid]["n_evidence"] = len(rows)
        out[sid]["exercises"] |= {r["exercise_id"] for r in rows if r["exercise_id"]}
    for sid, rows in content.statements.items():
        out[sid]["n_statements"] = len(rows)
        out[sid]["exercises"] |= {r["exercise_id"] for r in rows if r["exercise_id"]}
    return out
