"""The reader sees the sentence: the article pages (/articles/<source_id>) and the exercise fact sheets,
on the fixture corpus. Expected values come from the fixture's own data/ and seeds/, never from here."""

import calendar
import html
import json
import re
import shutil
from html.parser import HTMLParser

from support import ROOT, rows, site_of

from scripts.build import build
from scripts.read.schema import Schema
from scripts.site.config import database_name, read_metadata

DB = database_name(read_metadata(ROOT))


class ArticleText(HTMLParser):
    """The text of <div id="article-text"> and, for every element carrying an id inside it, the offset
    in that text where the element starts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.text, self.starts = 0, [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += tag not in ("br",)
            if "id" in attrs:
                self.starts[attrs["id"]] = len("".join(self.text))
        elif attrs.get("id") == "article-text":
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def parse_article(page):
    parser = ArticleText()
    parser.feed(page)
    return "".join(parser.text), parser.starts


async def test_articles_index_lists_every_article_newest_first(site, built_project):
    r = await site.client.get("/articles/")
    assert r.status_code == 200
    sources = rows(built_project, "sources")
    dated = sorted((s for s in sources if s["published_date"]), key=lambda s: s["published_date"], reverse=True)
    expected = [s["source_id"] for s in dated] + sorted(s["source_id"] for s in sources if not s["published_date"])
    assert re.findall(r'class="article-link" href="/articles/([^"]+)"', r.text) == expected
    assert 'href="/articles/"' in (await site.client.get("/")).text  # the home page leads to them


def plugin(site, name):
    """A site plugin as Datasette loaded it from the plugins directory."""
    from datasette.plugins import pm

    return next(p for p in pm.get_plugins() if getattr(p, "__file__", "").endswith(f"/plugins/{name}.py"))


async def test_articles_index_pages(site, built_project, monkeypatch):
    monkeypatch.setattr(plugin(site, "articles"), "INDEX_PAGE", 2)
    sources = rows(built_project, "sources")
    seen = []
    for page in range(1, 4):
        text = (await site.client.get(f"/articles/?page={page}")).text
        seen += re.findall(r'class="article-link" href="/articles/([^"]+)"', text)
        assert ('rel="next"' in text) == (page * 2 < len(sources)) and ('rel="prev"' in text) == (page > 1)
    assert sorted(seen) == sorted(s["source_id"] for s in sources) and len(seen) == len(sources)
    for odd in ("0", "-1", "x", "999999999999999999999"):
        assert (await site.client.get(f"/articles/?page={odd}")).status_code == 200


async def test_every_quote_is_a_marked_span_at_its_offset(site, built_project):
    """Each evidence row and statement of an article is one element, id'd by its own id, starting at its
    quote's offset in the text shown, and the text shown is the seed, character for character."""
    evidence, statements = rows(built_project, "evidence"), rows(built_project, "statements")
    for source in rows(built_project, "sources"):
        sid = source["source_id"]
        r = await site.client.get(f"/articles/{sid}")
        assert r.status_code == 200, sid
        text, starts = parse_article(r.text)
        seed = (built_project / "seeds" / source["seed_file"]).read_text(encoding="utf-8")
        assert text == seed, sid
        expected = {e["evidence_id"]: int(e["quote_start"]) for e in evidence if e["source_id"] == sid}
        expected |= {s["statement_id"]: int(s["quote_start"]) for s in statements if s["source_id"] == sid}
        assert expected, sid
        assert starts == expected, sid


async def test_a_span_says_what_it_supports_and_links_to_it(site, built_project):
    e = next(e for e in rows(built_project, "evidence") if e["table_name"] == "exercises")
    page = (await site.client.get(f"/articles/{e['source_id']}")).text
    tag = re.search(
        rf'<mark[^>]*id="{e["evidence_id"]}"[^>]*>(?:<mark[^>]*>)*<a class="ql" href="([^"]+)" '
        rf'data-tip="([^"]*)"',
        page,
    )
    assert tag, e["evidence_id"]
    href, tip = html.unescape(tag.group(1)), html.unescape(tag.group(2))
    assert f"{e['field']} = {e['value']}" in tip
    assert href == f"/{DB}/evidence/{e['evidence_id']}" or href.startswith("#span-")


async def test_unknown_or_hostile_article_ids_are_404(site):
    for path in (
        "/articles/nope",
        "/articles/..%2f..%2fsettings.json",
        "/articles/%00",
        "/articles/" + "a" * 300,
        "/articles/.hidden",
        "/articles/a.b",
    ):
        r = await site.client.get(path)
        assert r.status_code == 404, path


async def test_an_article_page_answers_for_every_id_the_schema_accepts(built_project, tmp_path):
    """The longest source id the schema allows builds, and its page answers; one character more is refused
    by the build (the schema), and the page refuses it too: one limit, read from datapackage.json."""
    from datasette.app import Datasette

    limits = next(f for f in Schema(built_project).fields("sources") if f["name"] == "source_id")["constraints"]
    root = tmp_path / "p"
    shutil.copytree(built_project, root, symlinks=True, ignore=shutil.ignore_patterns("build"))
    old = rows(built_project, "sources")[0]["source_id"]
    new = (old + "_" + "x" * 100)[: limits["maxLength"]]
    (root / "seeds" / f"{old}.txt").rename(root / "seeds" / f"{new}.txt")
    (root / "curation" / f"{old}.yaml").rename(root / "curation" / f"{new}.yaml")
    build(root, quiet=True)
    ds = Datasette(config_dir=site_of(root))
    assert (await ds.client.get(f"/articles/{new}")).status_code == 200
    assert (await ds.client.get(f"/articles/{new}x")).status_code == 404
    assert f'href="/articles/{new}#' in (await ds.client.get(f"/{DB}/evidence?source_id={new}")).text


async def test_quotes_in_tables_link_to_their_span(site, built_project):
    e = next(e for e in rows(built_project, "evidence") if e["exercise_id"])
    page = (await site.client.get(f"/{DB}/evidence/{e['evidence_id']}")).text
    assert f'href="/articles/{e["source_id"]}#{e["evidence_id"]}"' in page  # the quote, to its sentence
    assert f'href="/{DB}/exercises/{e["exercise_id"]}"' in page  # the evidence row, to its exercise
    s = rows(built_project, "statements")[0]
    page = (await site.client.get(f"/{DB}/statements/{s['statement_id']}")).text
    assert f'href="/articles/{s["source_id"]}#{s["statement_id"]}"' in page


class Sheet(HTMLParser):
    """The fact sheet's value blocks (<details class="value" id=…>) and each one's cite line."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.cites, self.card, self._block, self._in_card = [], {}, [], None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details" and "value" in (attrs.get("class") or "").split():
            self._block = attrs["id"]
            self.blocks.append(attrs["id"])
        if tag == "button" and attrs.get("class") == "cite" and self._block:
            self.cites.setdefault(self._block, []).append(attrs["data-cite"])
        if tag == "section" and attrs.get("id") == "summary":
            self._in_card = 1
        elif self._in_card and tag == "a":
            self.card.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "details":
            self._block = None
        if tag == "section":
            self._in_card = 0


def value_anchor(table, record_id, field):
    """Where a value is on its exercise's fact sheet: value-<field>, or value-<table>-<key>-<field> for its rows."""
    if table == "exercises":
        return f"value-{field}"
    return "value-" + re.sub(r"[^A-Za-z0-9_-]", "-", f"{table}-{record_id.split('/', 1)[1]}-{field}")


def sheet_of(page):
    parser = Sheet()
    parser.feed(page)
    return parser


async def test_fact_sheet_shows_each_value_with_its_quotes_basis_and_one_citation(site, built_project):
    evidence = rows(built_project, "evidence")
    version = json.loads((built_project / "datapackage.json").read_text())["version"]
    for exercise in rows(built_project, "exercises"):
        eid = exercise["exercise_id"]
        page = (await site.client.get(f"/{DB}/exercises/{eid}")).text
        text, sheet = html.unescape(page), sheet_of(page)
        mine = [e for e in evidence if e["exercise_id"] == eid]
        assert mine, eid
        for e in mine:
            # every quote, its own version or another article's, links to its span in the article
            assert f'href="/articles/{e["source_id"]}#{e["evidence_id"]}"' in page, (eid, e["evidence_id"])
            assert e["quote"] in text, (eid, e["evidence_id"])
        published = {
            (e["table_name"], e["record_id"], e["field"])
            for e in mine
            if e["in_table"] == "1" and e["table_name"] != "statements"
        }
        for table, record, field in published:
            anchor = value_anchor(table, record, field)
            assert anchor in sheet.blocks, (eid, anchor)
            [cite] = sheet.cites[anchor]  # one cite control per value
            assert f"version {version}: {table} {record}, {field} = " in cite
            assert re.search(rf"https?://[^ ]+/{DB}/exercises/{eid}#{anchor} ", cite), cite
            assert re.search(r"the sentence: https?://[^ ]+/articles/[^#]+#ev-[0-9a-f]{12}$", cite), cite
        assert set(sheet.cites) <= set(sheet.blocks)
        for basis in {e["basis"] for e in mine if e["table_name"] != "statements"}:
            assert f'class="basis {basis}"' in page


async def test_fact_sheet_summary_card_first(site, built_project):
    counts = rows(built_project, "counts")
    participants = rows(built_project, "participants")
    differences = rows(built_project, "differences")
    for exercise in rows(built_project, "exercises"):
        eid = exercise["exercise_id"]
        page = (await site.client.get(f"/{DB}/exercises/{eid}")).text
        card = html.unescape(page[page.index('id="summary"') : page.index("</section>")])
        assert page.index('id="summary"') < page.index('id="values"')
        for p in (p for p in participants if p["exercise_id"] == eid):
            assert p["country_name"] in card, (eid, p["country_code"])
        for c in (c for c in counts if c["exercise_id"] == eid):
            assert f"{int(c['number']):,} {c['unit']}" in card, (eid, c)
        if exercise["status"]:
            assert exercise["status"] in card
        if exercise["start_date"]:
            day = exercise["start_date"].split("-")
            assert day[0] in card and (len(day) < 2 or calendar.month_name[int(day[1])] in card), eid
        for d in (d for d in differences if d["exercise_id"] == eid and d["table_name"] == "exercises"):
            if d["field"] in ("start_date", "end_date", "location", "status", "area", "site"):
                assert f"≠ {d['difference']}" in card, (eid, d["field"])
        blocks = sheet_of(page).blocks
        for href in sheet_of(page).card:  # every line of the card leads to its evidence on the sheet
            assert href.startswith("#") and (href[1:] in blocks or f'id="{href[1:]}"' in page), (eid, href)


async def test_fact_sheet_shows_the_exercise_s_own_rows(site, built_project):
    for table in ("participants", "counts", "reactions", "people"):
        for row in rows(built_project, table):
            page = html.unescape((await site.client.get(f"/{DB}/exercises/{row['exercise_id']}")).text)
            for column in ("formation", "equipment", "action", "number", "title", "name"):
                if row.get(column):
                    value = f"{int(row[column]):,}" if column == "number" else row[column]
                    assert value in page or row[column] in page, (table, row, column)
            for item in json.loads(row.get("units") or "[]"):
                assert item in page, (table, row)


async def test_fact_sheet_shows_every_version_where_articles_differ(site, built_project):
    differences = rows(built_project, "differences")
    assert differences, "the fixture corpus has differences"
    evidence = rows(built_project, "evidence")
    for d in differences:
        page = html.unescape((await site.client.get(f"/{DB}/exercises/{d['exercise_id']}")).text)
        assert d["because"] in page
        others = [
            e
            for e in evidence
            if (e["table_name"], e["record_id"], e["field"]) == (d["table_name"], d["record_id"], d["field"])
            and e["in_table"] == "0"
        ]
        assert others, d
        for e in others:
            assert e["value"] in page and e["quote"] in page
