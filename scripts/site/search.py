"""One full-text index of everything a reader may look for, written into the built database as
`search_fts` (FTS5, stemmed): a row per record of every table with searchable columns (the schema's
x-search), and a row per sentence of every article, each with the link a result leads to (the row's
page, or the sentence in its article: /articles/<source_id>#char=<start>,<end>, RFC 5147 offsets).
The site's search page (site/plugins/search.py) queries it; nothing is searched per request but this."""

import json
import re
import sqlite3

from datasette.utils import tilde_encode

TITLE_COLUMNS = ("label", "name", "country_name", "speaker", "organization", "statement_id")
# A sentence ends at . ! ? (and a closing quote or bracket) before white space; a line break ends one too.
SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*(?=\s)|\n")
MARKERS = re.compile("[\x01\x02]")  # the search page's match markers: never in the indexed text


def sentences(text):
    """(start, end) of each sentence of an article, without surrounding white space."""
    out, start = [], 0
    for m in list(SENTENCE_END.finditer(text)) + [None]:
        end = m.end() if m else len(text)
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        s, e = start + lead, start + len(piece.rstrip())
        if e > s:
            out.append((s, e))
        start = end
    return out


def _items(value):
    if isinstance(value, str) and value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            return [value]
        return [str(i) for i in items] if isinstance(items, list) else [value]
    return [] if value is None else [str(value)]


def record_rows(schema, db_name, tables, exercise_labels):
    """(kind, title, url, text) for each record with something searchable."""
    columns = {t: schema.searchable(t) for t in schema.tables}
    for table, cols in columns.items():
        if not cols:
            continue
        pk = schema.primary_key(table)
        for row in tables[table]:
            text = " · ".join(i for c in cols for i in _items(row.get(c)))
            if not text:
                continue
            title = next((str(row[c]) for c in TITLE_COLUMNS if row.get(c)), "/".join(str(row[k]) for k in pk))
            if row.get("exercise_id") and table != "exercises":
                title += f" · {exercise_labels.get(row['exercise_id'], row['exercise_id'])}"
            if table == "sources":
                url = f"/articles/{row['source_id']}"
            else:
                url = f"/{db_name}/{table}/" + ",".join(tilde_encode(str(row[k])) for k in pk)
            yield table, title, url, text


def sentence_rows(sources, seeds):
    for s in sources:
        text = seeds[s["source_id"]]
        for start, end in sentences(text):
            yield "articles", s["label"], f"/articles/{s['source_id']}#char={start},{end}", text[start:end]


def write_search_index(db_path, schema, db_name, content, seeds):
    labels = {e["exercise_id"]: e["label"] for e in content.exercises}
    rows = list(record_rows(schema, db_name, content.tables, labels)) + list(sentence_rows(content.sources, seeds))
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute(
                "CREATE VIRTUAL TABLE search_fts USING fts5(text, kind UNINDEXED, title UNINDEXED, "
                "url UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')"
            )
            conn.executemany(
                "INSERT INTO search_fts (text, kind, title, url) VALUES (?, ?, ?, ?)",
                ((MARKERS.sub(" ", text), kind, title, url) for kind, title, url, text in rows),
            )
            conn.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
    finally:
        conn.close()
    return len(rows)
