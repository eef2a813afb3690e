"""Let the reader see the sentence (this folder is the site's plugins directory):

- /articles/ lists the articles; /articles/<source_id> shows one as kept in seeds/ (served from the
  configuration directory's download/seeds/), every span that evidence or a statement quotes
  highlighted: a <mark> carries the id of each evidence row (`ev-…`) or statement starting there, so
  `/articles/<source_id>#<evidence_id>` lands on it; hovering or focusing a span shows the fields and
  values it supports, and it links to the row (or to the list of rows, when several rest on it);
- in evidence, statements and the conflicts view (and in query results that carry the ids), the quote
  links to its span on the article page;
- an exercise's row page is its fact sheet: the data for templates/row-<db>-exercises.html.

The database is immutable while the site runs: an article's rendered text is kept in memory.
"""
import json
import re
from collections import OrderedDict, defaultdict
from pathlib import Path
from urllib.parse import quote as url_quote

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")
SEED_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}\.txt$")
ARTICLES_KEPT = 64  # rendered article pages kept in memory
TIP_ROWS = 12  # rows listed in a span's tooltip; the list under the article has them all
QUOTE_TABLES = {"evidence", "statements", "conflicts"}


def database_name(datasette):
    """The site's one database (the one key under metadata.yml's `databases:`)."""
    return next(name for name, db in datasette.databases.items() if name != "_internal" and not db.is_memory)


def _cache(datasette):
    if not hasattr(datasette, "_articles_cache"):
        datasette._articles_cache = {}
    return datasette._articles_cache


def _remember(cache, key, value):
    """Keep at most ARTICLES_KEPT rendered articles (least recently used out): memory stays bounded
    however many articles the dataset has."""
    kept = cache.setdefault("articles", OrderedDict())
    kept[key] = value
    kept.move_to_end(key)
    while len(kept) > ARTICLES_KEPT:
        kept.popitem(last=False)


def package_version(datasette):
    """The data package's version (download/datapackage.json), read once."""
    cache = _cache(datasette)
    if "version" not in cache:
        version = None
        if datasette.config_dir:
            try:
                path = Path(datasette.config_dir) / "download" / "datapackage.json"
                version = json.loads(path.read_text(encoding="utf-8")).get("version")
            except (OSError, ValueError):
                version = None
        cache["version"] = version
    return cache["version"]


def fragment(value):
    """A URL fragment for an id (ids are plain, but nothing is assumed)."""
    return url_quote(str(value), safe="-_.~")


def article_url(source_id, anchor=None):
    return f"/articles/{url_quote(str(source_id), safe='-_.~')}" + (f"#{fragment(anchor)}" if anchor else "")


def row_url(datasette, db, table, record_id):
    """A row page from a record_id (its primary key values joined by /)."""
    return datasette.urls.row(db, table, ",".join(tilde_encode(p) for p in str(record_id).split("/")))


def text_fragment_url(url, quote):
    """The original page at the quote: a `#:~:text=` fragment (start and end words of a long quote)."""
    if not url or not re.match(r"^https?://", url, re.I):
        return None

    def enc(s):
        return url_quote(s, safe="").replace("-", "%2D")

    words = quote.split()
    if not words:
        return None
    text = enc(" ".join(words)) if len(words) <= 8 else enc(" ".join(words[:4])) + "," + enc(" ".join(words[-4:]))
    return url.split("#", 1)[0] + "#:~:text=" + text


def shorten(text, n=90):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --- the article page ---------------------------------------------------------------------------

async def source_row(db, source_id):
    rows = (await db.execute("select * from sources where source_id = ?", [source_id])).rows
    return dict(rows[0]) if rows else None


async def quoted_rows(db, source_id):
    """Evidence and statements of one article, each with its span: (start, end, id, kind, row)."""
    evidence = (await db.execute(
        "select evidence_id, table_name, record_id, exercise_id, field, value, basis, inference, in_table, "
        "quote, quote_start, quote_end from evidence where source_id = ? order by quote_start, evidence_id",
        [source_id])).rows
    statements = (await db.execute(
        "select statement_id, exercise_id, speaker, organization, statement_date, quote, quote_start, quote_end "
        "from statements where source_id = ? order by quote_start, statement_id", [source_id])).rows
    out = [(r["quote_start"], r["quote_end"], r["evidence_id"], "evidence", dict(r)) for r in evidence]
    out += [(r["quote_start"], r["quote_end"], r["statement_id"], "statement", dict(r)) for r in statements]
    return out


def tip_line(kind, row):
    if kind == "statement":
        who = row["speaker"] or row["organization"] or "unattributed"
        return f"statement {row['statement_id']}: {who}"
    version = "" if row["in_table"] else ", another article's version"
    return f"{row['table_name']} {row['record_id']} · {row['field']} = {row['value']} ({row['basis']}{version})"


def render_text(text, spans, link_of):
    """The article's text, escaped, with every span highlighted.

    The text is cut at every span boundary; each piece covered by at least one span is a <mark class="q">
    (its shade deepens with the number of spans over it). Where spans start, that piece carries one
    <mark> per evidence row or statement starting there, with its id, nested, so every id is one element.
    Returns (html, groups, skipped): groups are the distinct spans (start, end, [(id, kind, row)]), in
    order; skipped are the rows whose offsets do not hold (the build prevents them)."""
    groups, skipped = {}, []
    for start, end, rid, kind, row in spans:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)) \
                or text[start:end] != row["quote"]:
            skipped.append((rid, kind, row))
            continue
        groups.setdefault((start, end), []).append((rid, kind, row))
    order = sorted(groups, key=lambda k: (k[0], -k[1]))
    number = {k: i + 1 for i, k in enumerate(order)}
    bounds = sorted({0, len(text)} | {b for k in order for b in k})
    starting = defaultdict(list)
    for k in order:
        starting[k[0]].append(k)
    parts, active = [], []
    for i, pos in enumerate(bounds):
        active = [k for k in active if k[1] > pos]
        # Empty spans (a quote of no characters) get an empty mark: their ids still exist.
        for k in starting[pos]:
            if k[0] == k[1]:
                for rid, kind, row in groups[k]:
                    parts.append(f'<mark class="q empty" id="{escape(rid)}" data-span="{number[k]}"></mark>')
        new = [k for k in starting[pos] if k[1] > k[0]]
        active += new
        if i + 1 == len(bounds):
            break
        piece = str(escape(text[pos:bounds[i + 1]])).replace("\r", "&#13;")
        if not active:
            parts.append(piece)
            continue
        rows = [(rid, kind, row) for k in active for rid, kind, row in groups[k]]
        innermost = min(active, key=lambda k: (k[1] - k[0], -k[0]))
        if len(rows) == 1:
            href = link_of(rows[0][1], rows[0][2])
        else:
            href = f"#span-{number[innermost]}"
        tip = [tip_line(kind, row) for _, kind, row in rows[:TIP_ROWS]]
        if len(rows) > TIP_ROWS:
            tip.append(f"… and {len(rows) - TIP_ROWS} more (listed below the article)")
        g = " ".join(str(number[k]) for k in active)
        ids = [(rid, number[k]) for k in new for rid, _, _ in groups[k]]
        depth = min(len(active), 3)
        opening = [f'<mark class="q d{depth}" data-g="{g}"'
                   + (f' id="{escape(ids[0][0])}" data-span="{ids[0][1]}"' if ids else "") + ">"]
        opening += [f'<mark class="q n" id="{escape(rid)}" data-span="{n}">' for rid, n in ids[1:]]
        parts.append("".join(opening)
                     + f'<a class="ql" href="{escape(href)}" data-tip="{escape(chr(10).join(tip))}" '
                       f'aria-describedby="span-{number[innermost]}">{piece}</a>'
                     + "</mark>" * (1 + max(len(ids) - 1, 0)))
    return Markup("".join(parts)), [(k[0], k[1], groups[k]) for k in order], skipped


def record_link(datasette, db, row):
    """Where an evidence row's value is shown: the exercise's fact sheet at the field, or the row page."""
    if row["exercise_id"] and row["table_name"] == "exercises":
        return row_url(datasette, db, "exercises", row["exercise_id"]) + f"#value-{fragment(row['field'])}"
    if row["exercise_id"] and row["table_name"] in ("participants", "people"):
        return row_url(datasette, db, "exercises", row["exercise_id"]) + f"#{row['table_name']}"
    return row_url(datasette, db, row["table_name"], row["record_id"])


async def article_page(datasette, request):
    source_id = request.url_vars["source_id"]
    if not ID.match(source_id):
        return await not_found(datasette, request, "No such article.")
    db_name = database_name(datasette)
    cache = _cache(datasette)
    page = cache.get("articles", {}).get(source_id)
    if page is None:
        db = datasette.get_database(db_name)
        source = await source_row(db, source_id)
        seed = None
        if source and SEED_FILE.match(source.get("seed_file") or "") and datasette.config_dir:
            path = Path(datasette.config_dir) / "download" / "seeds" / source["seed_file"]
            if path.is_file():
                seed = path.read_bytes().decode("utf-8", errors="replace")
        if source is None or seed is None:
            return await not_found(datasette, request, "No such article.")
        spans = await quoted_rows(db, source_id)

        def link_of(kind, row):
            if kind == "statement":
                return datasette.urls.row(db_name, "statements", tilde_encode(row["statement_id"]))
            return datasette.urls.row(db_name, "evidence", tilde_encode(row["evidence_id"]))

        body, groups, skipped = render_text(seed, spans, link_of)
        used = {rid for _, _, rows in groups for rid, _, _ in rows}
        span_list = []
        for n, (start, end, rows) in enumerate(groups, 1):
            items = []
            for rid, kind, row in rows:
                item = {"id": rid, "kind": kind, "row": row}
                if kind == "statement":
                    item["url"] = link_of(kind, row)
                    item["exercise_url"] = (row_url(datasette, db_name, "exercises", row["exercise_id"])
                                            if row["exercise_id"] else None)
                else:
                    item["url"] = link_of(kind, row)
                    item["record_url"] = record_link(datasette, db_name, row)
                items.append(item)
            span_list.append({"n": n, "start": start, "end": end, "quote": seed[start:end], "rows": items,
                              "original": text_fragment_url(source.get("url"), seed[start:end])})
        exercises = sorted({r["exercise_id"] for _, _, _, _, r in spans if r.get("exercise_id")})
        page = {
            "source": source, "body": body, "spans": span_list, "skipped": skipped,
            "n_evidence": sum(1 for s in spans if s[3] == "evidence" and s[2] in used),
            "n_statements": sum(1 for s in spans if s[3] == "statement" and s[2] in used),
            "exercises": [{"id": e, "url": row_url(datasette, db_name, "exercises", e)} for e in exercises],
            "source_url": row_url(datasette, db_name, "sources", source_id),
            "seed_url": "/download/seeds/" + url_quote(source["seed_file"]),
            "characters": len(seed),
        }
        _remember(cache, source_id, page)
    else:
        cache["articles"].move_to_end(source_id)
    context = dict(page, database=db_name, title=datasette.metadata("title"),
                   version=package_version(datasette))
    return Response.html(await datasette.render_template("article.html", context, request=request))


async def articles_index(datasette, request):
    db_name = database_name(datasette)
    cache = _cache(datasette)
    if "index" not in cache:  # one pass over evidence and statements, once: the database never changes
        db = datasette.get_database(db_name)
        sources = [dict(r) for r in (await db.execute(
            "select s.*, coalesce(e.n_evidence, 0) as n_evidence, coalesce(t.n_statements, 0) as n_statements, "
            "coalesce(e.n_exercises, 0) as n_exercises from sources s "
            "left join (select source_id, count(*) as n_evidence, count(distinct exercise_id) as n_exercises "
            "from evidence group by source_id) e using (source_id) "
            "left join (select source_id, count(*) as n_statements from statements group by source_id) t "
            "using (source_id) order by coalesce(s.published_date, ''), s.source_id")).rows]
        for s in sources:
            s["article_url"] = article_url(s["source_id"])
            s["row_url"] = row_url(datasette, db_name, "sources", s["source_id"])
        cache["index"] = sources
    context = {"sources": cache["index"], "database": db_name, "title": datasette.metadata("title"),
               "version": package_version(datasette)}
    return Response.html(await datasette.render_template("articles.html", context, request=request))


async def not_found(datasette, request, message):
    html = await datasette.render_template(
        "error.html", {"ok": False, "error": message, "status": 404, "title": None}, request=request)
    return Response.html(html, status=404)


async def articles_redirect(request):
    return Response.redirect("/articles/")


@hookimpl
def register_routes(datasette):
    return [
        (r"^/articles$", articles_redirect),
        (r"^/articles/$", articles_index),
        (r"^/articles/(?P<source_id>[^/]+)$", article_page),
    ]


# --- quotes link to their spans -----------------------------------------------------------------

def _plain(row, column):
    try:
        value = row[column]
    except (IndexError, KeyError):
        return None
    if isinstance(value, dict):  # an expanded foreign key (?_labels=on)
        value = value.get("value")
    return value if isinstance(value, str) and value else None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column != "quote" or not isinstance(value, str) or (table is not None and table not in QUOTE_TABLES):
        return None
    source_id = _plain(row, "source_id")
    anchor = _plain(row, "evidence_id") if table != "statements" else None
    anchor = anchor or _plain(row, "statement_id")
    if not source_id or not anchor or not ID.match(source_id):
        return None
    return Markup(f'<a class="quote-link" href="{escape(article_url(source_id, anchor))}" '
                  f'title="Read it in the article">{escape(value)}</a>')


# --- the exercise's fact sheet ------------------------------------------------------------------

ARRAY_FIELDS = {"aliases", "domains", "activities", "firsts", "outside_knowledge"}
NOT_VALUES = {"exercise_id", "label"}


def _items(value):
    """A published value as a list of items: JSON arrays are one item per element."""
    if value is None:
        return []
    if isinstance(value, str) and value.startswith("["):
        try:
            items = json.loads(value)
            if isinstance(items, list):
                return [str(i) for i in items]
        except ValueError:
            pass
    return [value]


async def fact_sheet(datasette, request):
    db_name = database_name(datasette)
    db = datasette.get_database(db_name)
    try:
        exercise_id = tilde_decode(request.url_vars["pks"])
    except (KeyError, TypeError):
        return {}
    rows = (await db.execute("select * from exercises where exercise_id = ?", [exercise_id])).rows
    if not rows:
        return {}
    exercise = dict(rows[0])
    evidence = [dict(r) for r in (await db.execute(
        "select e.*, s.label as source_label, s.url as source_url, s.published_date as source_date "
        "from evidence e join sources s on s.source_id = e.source_id where e.exercise_id = ? "
        "order by e.table_name, e.record_id, e.field, e.in_table desc, e.source_id, e.quote_start, e.evidence_id",
        [exercise_id])).rows]
    differences = [dict(r) for r in (await db.execute(
        "select * from differences where exercise_id = ? order by table_name, record_id, field", [exercise_id])).rows]
    participants = [dict(r) for r in (await db.execute(
        "select * from participants where exercise_id = ? order by role = 'host' desc, country_code",
        [exercise_id])).rows]
    people = [dict(r) for r in (await db.execute(
        "select * from people where exercise_id = ? order by person_id", [exercise_id])).rows]
    statements = [dict(r) for r in (await db.execute(
        "select t.*, s.label as source_label from statements t join sources s on s.source_id = t.source_id "
        "where t.exercise_id = ? order by t.source_id, t.quote_start, t.statement_id", [exercise_id])).rows]
    title = datasette.metadata("title") or db_name
    version = package_version(datasette)
    columns = (datasette.table_metadata(db_name, "exercises") or {}).get("columns", {})

    for e in evidence:
        e["article_url"] = article_url(e["source_id"], e["evidence_id"])
        e["row_url"] = datasette.urls.row(db_name, "evidence", tilde_encode(e["evidence_id"]))
        e["original_url"] = text_fragment_url(e["source_url"], e["quote"])
        e["cite"] = (f"{title}, version {version}: {e['table_name']} {e['record_id']}, field {e['field']} = "
                     f"“{e['value']}”, evidence {e['evidence_id']}, from “{e['source_label']}” "
                     f"({e['source_id']}{', ' + e['source_date'] if e['source_date'] else ''}): “{e['quote']}”")
    by_key = defaultdict(list)
    for e in evidence:
        by_key[(e["table_name"], e["record_id"], e["field"])].append(e)
    diffs = {(d["table_name"], d["record_id"], d["field"]): d for d in differences}

    def value_block(table, record_id, field, value):
        """One published value: its items, each with the evidence in the table, and the other versions."""
        rows = by_key.get((table, record_id, field), [])
        published = [e for e in rows if e["in_table"]]
        values = _items(value) if field in ARRAY_FIELDS else [value]
        items = []
        for item in values:
            text = str(item)
            support = [e for e in published if e["value"] == text] if len(values) > 1 else published
            items.append({"value": text, "evidence": support})
        # Evidence in the table that matched no item (a number written differently): shown with the first.
        shown = {e["evidence_id"] for i in items for e in i["evidence"]}
        rest = [e for e in published if e["evidence_id"] not in shown]
        if rest and items:
            items[0]["evidence"] = items[0]["evidence"] + rest
        return {"field": field, "description": columns.get(field) if table == "exercises" else None,
                "items": items, "others": [e for e in rows if not e["in_table"]],
                "difference": diffs.get((table, record_id, field))}

    values, unstated = [], []
    for field, value in exercise.items():
        if field in NOT_VALUES:
            continue
        if value is None or value == "" or value == "[]":
            unstated.append(field)
            continue
        values.append(value_block("exercises", exercise_id, field, value))
    for group, key_of in (("participants", lambda p: f"{exercise_id}/{p['country_code']}"),
                          ("people", lambda p: f"{exercise_id}/{p['person_id']}")):
        for p in participants if group == "participants" else people:
            p["record_id"] = key_of(p)
            p["values"] = [value_block(group, p["record_id"], f, v) for f, v in p.items()
                           if f not in ("exercise_id", "record_id", "values") and v not in (None, "")]
            p["row_url"] = row_url(datasette, db_name, group, p["record_id"])
    for s in statements:
        # The statement's own fields (speaker, organization, country…) and the quotes they rest on.
        s["evidence"] = [e for e in evidence if e["table_name"] == "statements" and e["record_id"] == s["statement_id"]]
        s["article_url"] = article_url(s["source_id"], s["statement_id"])
        s["row_url"] = datasette.urls.row(db_name, "statements", tilde_encode(s["statement_id"]))
        s["cite"] = (f"{title}, version {version}: statement {s['statement_id']}, from “{s['source_label']}” "
                     f"({s['source_id']}): “{s['quote']}”")
    sources = {}
    for e in evidence:
        s = sources.setdefault(e["source_id"], {"source_id": e["source_id"], "label": e["source_label"],
                                                "date": e["source_date"], "n": 0,
                                                "article_url": article_url(e["source_id"])})
        s["n"] += 1
    return {
        "fact_sheet": {
            "exercise": exercise, "values": values, "unstated": unstated, "participants": participants,
            "people": people, "statements": statements, "sources": sorted(sources.values(), key=lambda s: s["source_id"]),
            "differences": differences, "dataset": title, "version": version,
            "evidence_url": datasette.urls.table(db_name, "evidence") + f"?exercise_id={url_quote(exercise_id)}",
        }
    }


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "row" or table != "exercises" or request is None:
        return None

    async def inner():
        return await fact_sheet(datasette, request)

    return inner
