"""Let the reader see the sentence (this folder is the site's plugins directory):

- /articles/ lists the articles, newest first, a page at a time, from articles.json (counted by the build:
  no query over every source per request); /articles/<source_id> shows one as kept in seeds/, every span
  that evidence or a statement quotes highlighted: a <mark> carries the id of each evidence row (`ev-…`)
  or statement starting there, so `/articles/<source_id>#<evidence_id>` lands on it; hovering or focusing
  a span shows the fields and values it supports, and it links to the row. Its W3C Web Annotations are at
  /download/annotations/<source_id>.jsonld (written by the build);
- in evidence, statements and the conflicts view (and in query results that carry the ids), the quote
  links to its span on the article page;
- an exercise's row page is its fact sheet (templates/row-<db>-exercises.html): a summary card of its
  published values, then each value with its evidence, collapsible, and one line to cite it.

What the schema says (array columns, source_id's limits, column titles) is read from the set's own
download/datapackage.json. The database is immutable while the site runs: an article's rendered text is
kept in memory (ARTICLES_KEPT at most)."""

import calendar
import json
import re
from collections import OrderedDict, defaultdict
from pathlib import Path
from urllib.parse import quote as url_quote

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

ARTICLES_KEPT = 64  # rendered article pages kept in memory
INDEX_PAGE = 100  # articles per page of the index
TIP_ROWS = 12  # rows listed in a span's tooltip; the list under the article has them all
QUOTE_TABLES = {"evidence", "statements", "conflicts"}
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")  # evidence and statement ids in links
BASIS_ORDER = {"stated": 0, "derived": 1, "outside": 2}
ROW_TABLES = ("participants", "counts", "reactions", "people")  # an exercise's own rows, on its fact sheet


def _state(datasette):
    if not hasattr(datasette, "_reader"):
        datasette._reader = {"articles": OrderedDict()}
    return datasette._reader


def _set_file(datasette, *parts):
    return Path(datasette.config_dir, *parts) if datasette.config_dir else None


def package(datasette):
    """The set's datapackage.json, read once: {"version", "fields": {table: {name: field}}, "source_id": re}."""
    state = _state(datasette)
    if "package" not in state:
        path = _set_file(datasette, "download", "datapackage.json")
        d = json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else {"resources": []}
        fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in d["resources"]}
        limits = fields.get("sources", {}).get("source_id", {}).get("constraints", {})
        # An article's address accepts exactly the ids the schema accepts (its pattern and length).
        pattern = re.compile(limits.get("pattern") or r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
        state["package"] = {
            "version": d.get("version"),
            "fields": fields,
            "source_id": pattern,
            "source_id_length": limits.get("maxLength", 64),
        }
    return state["package"]


def valid_source_id(datasette, source_id):
    p = package(datasette)
    return len(source_id) <= p["source_id_length"] and bool(p["source_id"].fullmatch(source_id))


def is_array(datasette, table, field):
    return package(datasette)["fields"].get(table, {}).get(field, {}).get("type") == "array"


def title_of(datasette, table, field):
    return package(datasette)["fields"].get(table, {}).get(field, {}).get("title") or field


def fragment(value):
    """A URL fragment for an id (ids are plain, but nothing is assumed)."""
    return url_quote(str(value), safe="-_.~")


def article_url(source_id, anchor=None):
    return f"/articles/{url_quote(str(source_id), safe='-_.~')}" + (f"#{fragment(anchor)}" if anchor else "")


def row_url(datasette, db, table, record_id):
    """A row page from a record_id (its primary key values joined by /)."""
    return datasette.urls.row(db, table, ",".join(tilde_encode(p) for p in str(record_id).split("/")))


def value_anchor(table, record_id, field):
    """The id of a value's block on its exercise's fact sheet."""
    if table == "exercises":
        return f"value-{field}"
    rest = str(record_id).split("/", 1)[-1]
    return "value-" + re.sub(r"[^A-Za-z0-9_-]", "-", f"{table}-{rest}-{field}")


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


def base_context(datasette):
    return {
        "database": datasette.get_database().name,
        "title": datasette.metadata("title"),
        "version": package(datasette)["version"],
        "metadata": datasette.metadata(),
    }


# --- the article page ---------------------------------------------------------------------------


async def quoted_rows(db, source_id):
    """Evidence and statements of one article, each with its span: (start, end, id, kind, row)."""
    evidence = (
        await db.execute(
            "select evidence_id, table_name, record_id, exercise_id, field, value, basis, rule, inference, in_table, "
            "quote, quote_start, quote_end from evidence where source_id = ? order by quote_start, evidence_id",
            [source_id],
        )
    ).rows
    statements = (
        await db.execute(
            "select statement_id, exercise_id, speaker, organization, statement_date, quote, quote_start, quote_end "
            "from statements where source_id = ? order by quote_start, statement_id",
            [source_id],
        )
    ).rows
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
        if (
            not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text))
            or text[start:end] != row["quote"]
        ):
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
                for rid, _, _ in groups[k]:
                    parts.append(f'<mark class="q empty" id="{escape(rid)}" data-span="{number[k]}"></mark>')
        new = [k for k in starting[pos] if k[1] > k[0]]
        active += new
        if i + 1 == len(bounds):
            break
        piece = str(escape(text[pos : bounds[i + 1]])).replace("\r", "&#13;")
        if not active:
            parts.append(piece)
            continue
        rows = [(rid, kind, row) for k in active for rid, kind, row in groups[k]]
        innermost = min(active, key=lambda k: (k[1] - k[0], -k[0]))
        href = link_of(rows[0][1], rows[0][2]) if len(rows) == 1 else f"#span-{number[innermost]}"
        tip = [tip_line(kind, row) for _, kind, row in rows[:TIP_ROWS]]
        if len(rows) > TIP_ROWS:
            tip.append(f"… and {len(rows) - TIP_ROWS} more (listed below the article)")
        g = " ".join(str(number[k]) for k in active)
        ids = [(rid, number[k]) for k in new for rid, _, _ in groups[k]]
        depth = min(len(active), 3)
        opening = [
            f'<mark class="q d{depth}" data-g="{g}"'
            + (f' id="{escape(ids[0][0])}" data-span="{ids[0][1]}"' if ids else "")
            + ">"
        ]
        opening += [f'<mark class="q n" id="{escape(rid)}" data-span="{n}">' for rid, n in ids[1:]]
        parts.append(
            "".join(opening) + f'<a class="ql" href="{escape(href)}" data-tip="{escape(chr(10).join(tip))}" '
            f'aria-describedby="span-{number[innermost]}">{piece}</a>' + "</mark>" * (1 + max(len(ids) - 1, 0))
        )
    return Markup("".join(parts)), [(k[0], k[1], groups[k]) for k in order], skipped


def record_link(datasette, db, row):
    """Where an evidence row's value is shown: its block on the exercise's fact sheet, or the row page."""
    if row["exercise_id"] and row["table_name"] in ("exercises",) + ROW_TABLES:
        return (
            row_url(datasette, db, "exercises", row["exercise_id"])
            + "#"
            + fragment(value_anchor(row["table_name"], row["record_id"], row["field"]))
        )
    return row_url(datasette, db, row["table_name"], row["record_id"])


async def render_article(datasette, source_id):
    """The article page's context, or None for an unknown article."""
    db = datasette.get_database()
    rows = (await db.execute("select * from sources where source_id = ?", [source_id])).rows
    source = dict(rows[0]) if rows else None
    path = _set_file(datasette, "download", "seeds", source["seed_file"]) if source else None
    if not path or not path.is_file():
        return None
    seed = path.read_bytes().decode("utf-8", errors="replace")
    spans = await quoted_rows(db, source_id)

    def link_of(kind, row):
        if kind == "statement":
            return datasette.urls.row(db.name, "statements", tilde_encode(row["statement_id"]))
        return datasette.urls.row(db.name, "evidence", tilde_encode(row["evidence_id"]))

    body, groups, skipped = render_text(seed, spans, link_of)
    used = {rid for _, _, rows in groups for rid, _, _ in rows}
    span_list = []
    for n, (start, end, rows) in enumerate(groups, 1):
        items = []
        for rid, kind, row in rows:
            item = {"id": rid, "kind": kind, "row": row, "url": link_of(kind, row)}
            if kind == "statement":
                item["exercise_url"] = (
                    row_url(datasette, db.name, "exercises", row["exercise_id"]) if row["exercise_id"] else None
                )
            else:
                item["record_url"] = record_link(datasette, db.name, row)
            items.append(item)
        span_list.append(
            {
                "n": n,
                "start": start,
                "end": end,
                "quote": seed[start:end],
                "rows": items,
                "original": text_fragment_url(source.get("url"), seed[start:end]),
            }
        )
    exercises = sorted({r["exercise_id"] for _, _, _, _, r in spans if r.get("exercise_id")})
    return {
        "source": source,
        "body": body,
        "spans": span_list,
        "skipped": skipped,
        "n_evidence": sum(1 for s in spans if s[3] == "evidence" and s[2] in used),
        "n_statements": sum(1 for s in spans if s[3] == "statement" and s[2] in used),
        "exercises": [{"id": e, "url": row_url(datasette, db.name, "exercises", e)} for e in exercises],
        "source_url": row_url(datasette, db.name, "sources", source_id),
        "seed_url": "/download/seeds/" + url_quote(source["seed_file"]),
        "annotations_url": f"/download/annotations/{url_quote(source_id)}.jsonld",
        "characters": len(seed),
    }


async def article_page(datasette, request):
    source_id = request.url_vars["source_id"]
    if not valid_source_id(datasette, source_id):
        return await not_found(datasette, request, "No such article.")
    kept = _state(datasette)["articles"]
    page = kept.get(source_id)
    if page is None:
        page = await render_article(datasette, source_id)
        if page is None:
            return await not_found(datasette, request, "No such article.")
        kept[source_id] = page
        while len(kept) > ARTICLES_KEPT:  # least recently used out: memory stays bounded
            kept.popitem(last=False)
    kept.move_to_end(source_id)
    return Response.html(
        await datasette.render_template("article.html", dict(page, **base_context(datasette)), request=request)
    )


def article_index(datasette):
    """articles.json (the build counted every article's rows), read once."""
    state = _state(datasette)
    if "index" not in state:
        path = _set_file(datasette, "articles.json")
        state["index"] = json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else []
    return state["index"]


async def articles_index(datasette, request):
    sources = article_index(datasette)
    pages = max(1, -(-len(sources) // INDEX_PAGE))
    try:
        page = min(max(int(request.args.get("page", "1")), 1), pages)
    except ValueError:
        page = 1
    db = datasette.get_database().name
    shown = [
        s | {"article_url": article_url(s["source_id"]), "row_url": row_url(datasette, db, "sources", s["source_id"])}
        for s in sources[(page - 1) * INDEX_PAGE : page * INDEX_PAGE]
    ]
    context = dict(
        base_context(datasette),
        sources=shown,
        page=page,
        pages=pages,
        total=len(sources),
        first=(page - 1) * INDEX_PAGE + 1,
    )
    return Response.html(await datasette.render_template("articles.html", context, request=request))


async def not_found(datasette, request, message):
    html = await datasette.render_template(
        "error.html", {"ok": False, "error": message, "status": 404, "title": None}, request=request
    )
    return Response.html(html, status=404)


async def articles_redirect():
    return Response.redirect("/articles/")


@hookimpl
def register_routes():
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
    if not source_id or not anchor or not ID.match(anchor) or not valid_source_id(datasette, source_id):
        return None
    return Markup(
        f'<a class="quote-link" href="{escape(article_url(source_id, anchor))}" '
        f'title="Read it in the article">{escape(value)}</a>'
    )


# --- the exercise's fact sheet ------------------------------------------------------------------


def items_of(value):
    """A published array value (JSON text) as its items."""
    try:
        items = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return [str(i) for i in items] if isinstance(items, list) else [value]


def in_words(value):
    """An ISO date at its precision, in words: 2021, August 2021, 9 August 2021."""
    parts = str(value).split("-")
    if len(parts) == 1:
        return parts[0]
    month = calendar.month_name[int(parts[1])]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def date_span(start, end, year):
    """The exercise's dates at their precision: 9–13 August 2021; May 2022; 2018 (year only)."""
    if not start:
        return f"{year} (the year only)" if year else None
    if not end or end == start:
        return in_words(start)
    s, e = start.split("-"), end.split("-")
    if len(s) == len(e) == 3 and s[:2] == e[:2]:
        return f"{int(s[2])}–{int(e[2])} {calendar.month_name[int(s[1])]} {s[0]}"
    return f"{in_words(start)} – {in_words(end)}"


def best_basis(evidence):
    return min((e["basis"] for e in evidence), key=lambda b: BASIS_ORDER.get(b, 9), default=None)


class Sheet:
    """The blocks of one exercise's fact sheet: every published value with the evidence it rests on."""

    def __init__(self, datasette, request, db, exercise_id, evidence, differences):
        self.datasette, self.request, self.db, self.exercise_id = datasette, request, db, exercise_id
        self.by_key = defaultdict(list)
        for e in evidence:
            self.by_key[(e["table_name"], e["record_id"], e["field"])].append(e)
        self.differences = {(d["table_name"], d["record_id"], d["field"]): d for d in differences}
        self.dataset = datasette.metadata("title") or db
        self.version = package(datasette)["version"]
        self.page_url = datasette.absolute_url(request, row_url(datasette, db, "exercises", exercise_id))
        for e in evidence:
            e["article_url"] = article_url(e["source_id"], e["evidence_id"])
            e["row_url"] = datasette.urls.row(db, "evidence", tilde_encode(e["evidence_id"]))
            e["original_url"] = text_fragment_url(e["source_url"], e["quote"])

    def differs(self, table, record_id, fields):
        return [self.differences[(table, record_id, f)] for f in fields if (table, record_id, f) in self.differences]

    def block(self, table, record_id, field, value):
        """One published value: its items (an array's elements), each with the evidence in the table that
        gives it; the other articles' versions; the difference; one citation line with permalinks."""
        rows = self.by_key.get((table, record_id, field), [])
        published = sorted((e for e in rows if e["in_table"]), key=lambda e: BASIS_ORDER.get(e["basis"], 9))
        values = items_of(value) if is_array(self.datasette, table, field) else [str(value)]
        items = [
            {"value": v, "evidence": [e for e in published if e["value"] == v] if len(values) > 1 else published}
            for v in values
        ]
        shown = {e["evidence_id"] for i in items for e in i["evidence"]}
        rest = [e for e in published if e["evidence_id"] not in shown]  # a number written otherwise
        if rest and items:
            items[0]["evidence"] = items[0]["evidence"] + rest
        anchor = value_anchor(table, record_id, field)
        cite = None
        if published:
            e = published[0]
            date = f", {e['source_date']}" if e["source_date"] else ""
            cite = (
                f"{self.dataset}, version {self.version}: {table} {record_id}, {field} = “{value}”; evidence "
                f"{e['evidence_id']} ({e['basis']}), “{e['source_label']}” ({e['source_id']}{date}): "
                f"“{e['quote']}”. "
                f"{self.page_url}#{anchor} · the sentence: "
                f"{self.datasette.absolute_url(self.request, e['article_url'])}"
            )
        sources = {e["source_id"] for e in rows}
        return {
            "field": field,
            "title": title_of(self.datasette, table, field),
            "anchor": anchor,
            "display": ", ".join(values),
            "items": items,
            "others": [e for e in rows if not e["in_table"]],
            "difference": self.differences.get((table, record_id, field)),
            "basis": best_basis(published),
            "n_quotes": len(rows),
            "n_sources": len(sources),
            "cite": cite,
            "description": package(self.datasette)["fields"].get(table, {}).get(field, {}).get("description"),
        }


def summary_card(ex, groups, sheet, sources):
    """The exercise at a glance: each line a published value in words, linking to its evidence, marked where
    the articles differ."""
    eid, card = ex["exercise_id"], []
    names = {p["country_code"]: p["country_name"] for p in groups["participants"]}

    def line(label, text, anchor, fields, table="exercises", record=eid):
        if text:
            kinds = sorted({d["difference"] for d in sheet.differs(table, record, fields)})
            card.append({"label": label, "text": text, "anchor": anchor, "differs": kinds})

    line(
        "When",
        date_span(ex["start_date"], ex["end_date"], ex["year"]),
        "value-start_date" if ex["start_date"] else "value-year",
        ["start_date", "end_date", "year"],
    )
    place = "; ".join(
        p
        for p in (
            ex["location"] and ex["location"] + (f" ({ex['location_precision']})" if ex["location_precision"] else ""),
            ex["site"] and f"site: {ex['site']}",
            ex["area"] and f"area: {ex['area']}",
        )
        if p
    )
    line("Where", place, "value-location" if ex["location"] else "value-site", ["location", "site", "area"])
    line("Host", names.get(ex["host_country"], ex["host_country"]), "value-host_country", ["host_country"])
    parts = [
        f"{p['country_name']}{'' if p['role'] == 'participant' else ' (' + p['role'] + ')'}"
        for p in groups["participants"]
    ]
    if ex["participant_list"] == "partial":
        parts.append("and others")
    line("Participants", ", ".join(parts), "participants", [])
    for c in groups["counts"]:
        whose = "" if c["party"] == "all" else f" ({names.get(c['party'], c['party'])})"
        text = f"{c['qualifier'] + ' ' if c['qualifier'] else ''}{c['number']:,} {c['unit']}{whose}"
        line(
            c["unit"].capitalize(),
            text,
            value_anchor("counts", c["record_id"], "number"),
            ["number", "qualifier"],
            "counts",
            c["record_id"],
        )
    line("Status", ex["status"] and f"{ex['status']} (as last reported)", "value-status", ["status"])
    series = ", ".join(
        p
        for p in (
            ex["series"],
            ex["frequency"],
            ex["level"],
            ex["ordinal_in_year"] and f"no. {ex['ordinal_in_year']} of its year",
        )
        if p
    )
    line("Series, level", series, "value-series" if ex["series"] else "value-level", ["series", "frequency", "level"])
    line("Framework", ex["framework"], "value-framework", ["framework"])
    line("Reactions", ", ".join(r["country_name"] for r in groups["reactions"]), "reactions", [])
    line("Articles", f"{len(sources)} article{'s' if len(sources) != 1 else ''}", "articles", [])
    return card


async def fact_sheet(datasette, request):
    db = datasette.get_database()
    try:
        exercise_id = tilde_decode(request.url_vars["pks"])
    except (KeyError, TypeError):
        return {}
    rows = (await db.execute("select * from exercises where exercise_id = ?", [exercise_id])).rows
    if not rows:
        return {}
    ex = dict(rows[0])
    # The evidence of one exercise: the canned query is its one home (also served as a page and JSON).
    query = await datasette.get_canned_query(db.name, "exercise_evidence", None)
    evidence = [dict(r) for r in (await db.execute(query["sql"], {"exercise_id": exercise_id})).rows]
    differences = [
        dict(r)
        for r in (
            await db.execute(
                "select * from differences where exercise_id = ? order by table_name, record_id, field", [exercise_id]
            )
        ).rows
    ]
    groups = {}
    order = {
        "participants": "role = 'host' desc, country_code",
        "counts": "party = 'all' desc, party, unit",
        "reactions": "country_code",
        "people": "person_id",
    }
    for table in ROW_TABLES:
        groups[table] = [
            dict(r)
            for r in (
                await db.execute(
                    f"select * from [{table}] where exercise_id = ? order by {order[table]}", [exercise_id]
                )
            ).rows
        ]
    statements = [
        dict(r)
        for r in (
            await db.execute(
                "select t.*, s.label as source_label from statements t join sources s on s.source_id = t.source_id "
                "where t.exercise_id = ? order by t.source_id, t.quote_start, t.statement_id",
                [exercise_id],
            )
        ).rows
    ]
    sheet = Sheet(datasette, request, db.name, exercise_id, evidence, differences)

    values, unstated = [], []
    for field, value in ex.items():
        if field in ("exercise_id", "label", "chronology"):
            continue
        if value in (None, "", "[]"):
            unstated.append(title_of(datasette, "exercises", field))
        else:
            values.append(sheet.block("exercises", exercise_id, field, value))
    pks = {
        "participants": ["country_code"],
        "counts": ["party", "unit"],
        "reactions": ["country_code"],
        "people": ["person_id"],
    }
    for table, records in groups.items():
        for r in records:
            r["record_id"] = "/".join([exercise_id] + [str(r[k]) for k in pks[table]])
            r["row_url"] = row_url(datasette, db.name, table, r["record_id"])
            # A key column is a value too where an article states it (a participant's country).
            shown = [
                f
                for f in r
                if f not in ("exercise_id", "record_id", "row_url")
                and r[f] not in (None, "", "[]")
                and (f not in pks[table] or sheet.by_key.get((table, r["record_id"], f)))
            ]
            r["values"] = [sheet.block(table, r["record_id"], f, r[f]) for f in shown]
    for s in statements:
        s["evidence"] = [e for e in evidence if e["table_name"] == "statements" and e["record_id"] == s["statement_id"]]
        s["article_url"] = article_url(s["source_id"], s["statement_id"])
        s["row_url"] = datasette.urls.row(db.name, "statements", tilde_encode(s["statement_id"]))
        s["cite"] = (
            f"{sheet.dataset}, version {sheet.version}: statement {s['statement_id']}, "
            f"“{s['source_label']}” ({s['source_id']}): “{s['quote']}”. "
            f"{datasette.absolute_url(request, s['article_url'])}"
        )
    sources = {}
    for e in evidence:
        s = sources.setdefault(
            e["source_id"],
            {
                "source_id": e["source_id"],
                "label": e["source_label"],
                "date": e["source_date"],
                "n": 0,
                "article_url": article_url(e["source_id"]),
            },
        )
        s["n"] += 1
    sources = sorted(sources.values(), key=lambda s: (s["date"] or "", s["source_id"]))
    return {
        "fact_sheet": {
            "exercise": ex,
            "card": summary_card(ex, groups, sheet, sources),
            "values": values,
            "unstated": unstated,
            "groups": groups,
            "statements": statements,
            "sources": sources,
            "differences": differences,
            "dataset": sheet.dataset,
            "version": sheet.version,
            "evidence_url": datasette.urls.table(db.name, "evidence") + f"?exercise_id={url_quote(exercise_id)}",
            "evidence_query_url": datasette.urls.query(db.name, "exercise_evidence")
            + f"?exercise_id={url_quote(exercise_id)}",
        }
    }


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "row" or table != "exercises" or request is None:
        return None

    async def inner():
        return await fact_sheet(datasette, request)

    return inner
