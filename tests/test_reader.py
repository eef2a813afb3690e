"""The reader sees the sentence: the article pages (/articles/<source_id>) and the exercise fact sheets,
on the fixture corpus. Expected values come from the fixture's own data/ and seeds/, never from here."""
import html
import re
from html.parser import HTMLParser

import pytest

from support import ROOT, rows
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


async def test_articles_index_lists_every_article(site, built_project):
    r = await site.client.get("/articles/")
    assert r.status_code == 200
    for source in rows(built_project, "sources"):
        assert f'href="/articles/{source["source_id"]}"' in r.text, source["source_id"]
    assert 'href="/articles/"' in (await site.client.get("/")).text  # the home page leads to them


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
    tag = re.search(rf'<mark[^>]*id="{e["evidence_id"]}"[^>]*>(?:<mark[^>]*>)*<a class="ql" href="([^"]+)" '
                    rf'data-tip="([^"]*)"', page)
    assert tag, e["evidence_id"]
    href, tip = html.unescape(tag.group(1)), html.unescape(tag.group(2))
    assert f"{e['field']} = {e['value']}" in tip
    assert href == f"/{DB}/evidence/{e['evidence_id']}" or href.startswith("#span-")


async def test_unknown_or_hostile_article_ids_are_404(site):
    for path in ("/articles/nope", "/articles/..%2f..%2fsettings.json", "/articles/%00", "/articles/" + "a" * 300):
        r = await site.client.get(path)
        assert r.status_code == 404, path


async def test_quotes_in_tables_link_to_their_span(site, built_project):
    e = rows(built_project, "evidence")[0]
    page = (await site.client.get(f"/{DB}/evidence/{e['evidence_id']}")).text
    assert f'href="/articles/{e["source_id"]}#{e["evidence_id"]}"' in page
    s = rows(built_project, "statements")[0]
    page = (await site.client.get(f"/{DB}/statements/{s['statement_id']}")).text
    assert f'href="/articles/{s["source_id"]}#{s["statement_id"]}"' in page


async def test_fact_sheet_shows_each_value_with_its_quotes_basis_and_citation(site, built_project):
    evidence = rows(built_project, "evidence")
    version = __import__("json").loads((built_project / "datapackage.json").read_text())["version"]
    for exercise in rows(built_project, "exercises"):
        eid = exercise["exercise_id"]
        page = (await site.client.get(f"/{DB}/exercises/{eid}")).text
        text = html.unescape(page)
        mine = [e for e in evidence if e["exercise_id"] == eid]
        assert mine, eid
        for e in mine:
            # every quote, its own version or another article's, links to its span in the article
            assert f'href="/articles/{e["source_id"]}#{e["evidence_id"]}"' in page, (eid, e["evidence_id"])
            assert e["quote"] in text, (eid, e["evidence_id"])
        for e in (e for e in mine if e["in_table"] == "1" and e["table_name"] == "exercises"):
            assert f'id="value-{e["field"]}"' in page, (eid, e["field"])
            assert f"evidence {e['evidence_id']}, from" in text and f"version {version}" in text
        for basis in {e["basis"] for e in mine}:
            assert f'class="basis {basis}"' in page


async def test_fact_sheet_shows_every_version_where_articles_differ(site, built_project):
    differences = rows(built_project, "differences")
    assert differences, "the fixture corpus has differences"
    evidence = rows(built_project, "evidence")
    for d in differences:
        page = html.unescape((await site.client.get(f"/{DB}/exercises/{d['exercise_id']}")).text)
        assert d["because"] in page
        others = [e for e in evidence if (e["table_name"], e["record_id"], e["field"]) ==
                  (d["table_name"], d["record_id"], d["field"]) and e["in_table"] == "0"]
        assert others, d
        for e in others:
            assert e["value"] in page and e["quote"] in page
