"""The served site in a real browser: the pages a first-time researcher opens, rendered with their
JavaScript (map, search, fact sheets), with no console errors but failed map-tile loads; a
Content-Security-Policy that runs no script a query can hand the map; and the articles' Web
Annotations anchored by a library nobody here wrote."""

import json
import re
import urllib.parse
import urllib.request

DB = "china_russia_exercises"
EXERCISE = "zapad-interaction-2021"


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def test_home_page(page, base_url, screenshot):
    page.goto(base_url + "/")
    version = get_json(base_url + "/download/datapackage.json")["version"]
    body = page.locator("body").inner_text()
    assert f"Version {version}" in body and f"version {version}" in body  # home text and citation
    assert "Nothing invented" in body and "what the articles say, not what happened" in body
    assert "@misc{" in page.locator("pre.bibtex").inner_text()
    assert page.locator("#search-all-q").is_visible()
    for href in [
        "/download/",
        "/download/datapackage.json",
        "/download/data/exercises.csv",
        f"/{DB}.db",
        "/download/CITATION.cff",
        "/timeline",
        "/codebook",
    ]:
        link = page.locator(f'a[href="{href}"]').first
        assert link.is_visible(), href
        with urllib.request.urlopen(base_url + href, timeout=10) as r:
            assert r.status == 200 and r.read(1), href
    screenshot(page, "home", full_page=True)
    page.console.assert_clean()


def test_exercises_table_with_map(page, base_url, screenshot):
    located = get_json(f"{base_url}/{DB}/exercises.json?_shape=array&_where=latitude+is+not+null")
    assert located, "no exercise has coordinates: the map would be empty"
    page.goto(f"{base_url}/{DB}/exercises")
    page.wait_for_selector(".leaflet-container")
    markers = page.locator(".leaflet-marker-icon")
    markers.first.wait_for(state="visible", timeout=15000)
    # One marker (or cluster) for the located exercises: clusters show their count.
    shown = sum(int(m.inner_text()) if m.inner_text().strip().isdigit() else 1 for m in markers.all())
    assert shown == len(located)
    assert "exercises with a known place" in page.locator("body").inner_text()
    markers.first.click()
    page.wait_for_selector(".leaflet-popup-content")
    assert located[0]["exercise_id"] in page.locator(".leaflet-popup-content").inner_text()
    page.console.assert_clean()


# The offset of an element in #article-text's text, and the text from there on.
TEXT_AT = """(id) => {
    const root = document.getElementById('article-text'), el = document.getElementById(id);
    if (!el || !root.contains(el)) return null;
    const r = document.createRange(); r.setStart(root, 0); r.setEndBefore(el);
    const offset = r.toString().length;
    return {offset: offset, rest: root.textContent.slice(offset)};
}"""


def test_fact_sheet_on_a_phone(page, base_url, screenshot):
    """At 390 px: no horizontal scroll, the summary card first and whole on the first screen, every value
    folded; a line of the card opens its value; its one cite button copies a line with permalinks."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base_url}/{DB}/exercises/{EXERCISE}")
    sizes = page.evaluate(
        "() => ({width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight})"
    )
    assert sizes["width"] <= 390, sizes
    card = page.locator("#summary").bounding_box()
    assert card["y"] + card["height"] <= 844 and card["width"] <= 390
    values = page.locator("details.value")
    assert values.count() > 20 and page.locator("details.value[open]").count() == 0
    per_value = page.eval_on_selector_all(
        "details.value",
        "ds => ds.map(d => [d.querySelectorAll('button.cite').length, d.querySelectorAll('.evidence-list').length])",
    )
    assert all(cites == (1 if quoted else 0) for cites, quoted in per_value)  # one cite control per quoted value
    page.locator("#summary a", has_text="more than 10,000 troops").click()
    number = page.locator("details.value[open]")
    assert number.count() == 1 and number.get_attribute("id").startswith("value-counts-all-troops")
    assert number.locator("blockquote.quote").first.is_visible()
    number.locator("button.cite").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == number.locator("button.cite").get_attribute("data-cite")
    assert f"/{DB}/exercises/{EXERCISE}#value-counts-all-troops-number" in copied
    assert re.search(r"the sentence: http://127\.0\.0\.1:\d+/articles/\w+#ev-[0-9a-f]{12}$", copied), copied
    print(f"\nfact sheet {EXERCISE}: {sizes['height']} px tall at 390 px")
    page.console.assert_clean()


def test_fact_sheet_summary_at_desktop_width(page, base_url, screenshot):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{base_url}/{DB}/exercises/{EXERCISE}")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert page.locator("#summary").bounding_box()["y"] < 300
    print(f"\nfact sheet {EXERCISE}: {height} px tall at 1400 px")
    screenshot(page, "factsheet", full_page=False)
    page.console.assert_clean()


def test_fact_sheet_value_leads_to_its_sentence(page, base_url):
    evidence = get_json(
        f"{base_url}/{DB}/evidence.json?_shape=array&_size=max&exercise_id={EXERCISE}&table_name=exercises&in_table=1"
    )
    assert evidence
    page.goto(f"{base_url}/{DB}/exercises/{EXERCISE}")
    for e in evidence:  # every quote of the table's values is on the sheet, linked to its span
        link = page.locator(f'#value-{e["field"]} a.quote-link[href="/articles/{e["source_id"]}#{e["evidence_id"]}"]')
        assert link.count() == 1, e["evidence_id"]
    e = next(e for e in evidence if e["field"] == "location")
    page.locator("#summary a[href='#value-location']").click()  # the card opens the value
    page.locator(f'#value-location a.quote-link[href$="#{e["evidence_id"]}"]').click()
    page.wait_for_url(re.compile(rf"/articles/{e['source_id']}#{e['evidence_id']}$"))
    at = page.evaluate(TEXT_AT, e["evidence_id"])
    assert at["offset"] == e["quote_start"] and at["rest"].startswith(e["quote"])
    span = page.locator(f'[id="{e["evidence_id"]}"]')
    assert span.is_visible() and span.bounding_box()["y"] > 50  # its sentence's start is not cut off
    assert page.evaluate("document.querySelector(':target').id") == e["evidence_id"]
    page.console.assert_clean()


def test_article_highlights_exactly_its_evidence(page, base_url, screenshot):
    sources = get_json(f"{base_url}/{DB}/sources.json?_shape=array&_size=max")
    for source in sources:
        sid = source["source_id"]
        rows = get_json(f"{base_url}/{DB}/evidence.json?_shape=array&_size=max&source_id={sid}")
        rows += get_json(f"{base_url}/{DB}/statements.json?_shape=array&_size=max&source_id={sid}")
        page.goto(f"{base_url}/articles/{sid}")
        ids = page.eval_on_selector_all("#article-text mark[id]", "els => els.map(e => e.id)")
        assert sorted(ids) == sorted(r.get("evidence_id") or r["statement_id"] for r in rows), sid
        for r in rows:
            at = page.evaluate(TEXT_AT, r.get("evidence_id") or r["statement_id"])
            assert at["offset"] == r["quote_start"] and at["rest"].startswith(r["quote"]), r
    page.goto(f"{base_url}/articles/{sources[1]['source_id']}")
    first = page.locator("#article-text a.ql").nth(3)
    first.hover()
    assert first.get_attribute("data-tip")
    screenshot(page, "article", full_page=False)
    page.console.assert_clean()


def test_search_from_home_page_leads_to_the_row_and_the_sentence(page, base_url, screenshot):
    page.goto(base_url + "/")
    page.fill("#search-all-q", "Lavrov")
    page.locator("#search-all-q").press("Enter")
    page.wait_for_url(re.compile(r"/-/search\?q=Lavrov"))
    people = page.locator("#kind-people")
    assert "Sergey Lavrov" in people.inner_text()
    sentences = page.locator("#kind-articles li")
    assert sentences.count() >= 1 and "Lavrov" in sentences.first.inner_text()
    assert page.locator("#search-all-results mark").first.inner_text() == "Lavrov"
    screenshot(page, "search", full_page=True)
    sentences.first.locator("a").click()
    page.wait_for_url(re.compile(r"/articles/\w+#char=\d+,\d+$"))
    start, end = map(int, re.search(r"#char=(\d+),(\d+)$", page.url).groups())
    mark = page.locator("#article-text mark.sentence")
    mark.first.wait_for()
    text = "".join(mark.all_inner_texts())
    assert "Lavrov" in text and len(text) == end - start
    assert mark.first.is_visible()
    page.goto(base_url + "/-/search?q=Lavrov")
    page.locator("#kind-people a").first.click()
    page.wait_for_url(re.compile(rf"/{DB}/people/"))
    page.console.assert_clean()


def test_timeline_draws_every_exercise(page, base_url, screenshot):
    exercises = get_json(f"{base_url}/{DB}/exercises.json?_shape=array&_size=max")
    page.goto(base_url + "/")
    page.get_by_role("link", name="Timeline").first.click()
    page.wait_for_url(re.compile(r"/timeline$"))
    svg = page.locator("svg.timeline")
    assert svg.bounding_box()["width"] > 600
    links = page.locator("svg.timeline a")
    assert links.count() == len(exercises)
    for link in links.all():
        box = link.locator("rect.band").bounding_box()
        assert box and box["width"] >= 2 and box["height"] > 5
    screenshot(page, "timeline", full_page=True)
    links.first.click()
    page.wait_for_url(re.compile(rf"/{DB}/exercises/"))
    page.console.assert_clean()


# --- no script but the site's own ------------------------------------------------------------

PAYLOADS = [
    ("link", "javascript:window.__ran=1"),
    ("link", "JaVaScRiPt:window.__ran=2"),
    ("link", " \tjavascript:window.__ran=3"),
    ("link", "java\nscript:window.__ran=4"),
    ("link", "javascript:%77indow.__ran=5"),
    ("title", "<img src=x onerror=window.__ran=6>"),
    ("description", "<svg onload=window.__ran=7>"),
]


def test_map_popup_payloads_run_nothing(page, base_url):
    """Arbitrary SQL returns latitude, longitude and a popup whose link is a `javascript:` URL (and variants):
    datasette-cluster-map makes it a link; clicking it runs nothing, and the browser reports the policy
    refusing it. The map itself (the site's and the plugin's own scripts) still works."""
    for field, payload in PAYLOADS:
        popup = (
            {"title": "an exercise", "link": "/", field: payload}
            if field != "link"
            else {"title": "an exercise", "link": payload}
        )
        sql = (
            f"select 38.47 as latitude, 106.27 as longitude, "
            f"'{json.dumps(popup).replace(chr(39), chr(39) * 2)}' as popup"
        )
        page.goto(f"{base_url}/{DB}?sql={urllib.parse.quote(sql)}")
        page.evaluate("""() => { window.__violations = [];
            document.addEventListener('securitypolicyviolation',
                e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI)); }""")
        marker = page.locator(".leaflet-marker-icon").first
        marker.wait_for(state="visible", timeout=15000)  # the page's own scripts ran
        marker.click()
        content = page.locator(".leaflet-popup-content")
        content.wait_for()
        if field == "link":
            content.locator("a").click()
            page.wait_for_timeout(300)
            assert len(page.evaluate("window.__violations")) >= 1, payload  # refused by the policy
        else:
            page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__ran") == "undefined", payload
        assert page.url.startswith(f"{base_url}/{DB}?sql="), payload  # still on the page


def test_an_injected_inline_script_would_not_run(page, base_url):
    """The policy itself: a script element put into the page (as an injection would) does not run."""
    page.goto(base_url + "/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
        document.body.appendChild(s);
        const a = document.createElement('a'); a.href = 'javascript:window.__ran = 2'; document.body.appendChild(a);
        a.click(); }""")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__ran") == "undefined"


# --- provenance in an open standard ----------------------------------------------------------

ANCHOR = """async (doc) => {
    const {createTextQuoteSelectorMatcher, createTextPositionSelectorMatcher} = window.apacheAnnotator;
    const scope = document.getElementById('article-text');
    const offset = (range) => { const r = document.createRange(); r.setStart(scope, 0);
        r.setEnd(range.startContainer, range.startOffset); return r.toString().length; };
    const out = [];
    for (const a of doc.first.items) {
        const [quote, position] = a.target.selector;
        const byQuote = [], byPosition = [];
        for await (const r of createTextQuoteSelectorMatcher(quote)(scope)) byQuote.push(r);
        for await (const r of createTextPositionSelectorMatcher(position)(scope)) byPosition.push(r);
        out.push({id: a.id, exact: quote.exact, start: position.start,
                  quote: byQuote.map(r => [r.toString(), offset(r)]), position: byPosition.map(r => r.toString())});
    }
    return out;
}"""


def test_annotations_anchor_with_an_independent_library(page, base_url, anchoring_library):
    """Apache Annotator, run over each served article page, anchors every annotation's TextQuoteSelector to
    exactly one range, its quote, at its TextPositionSelector's offset, which anchors the same quote."""
    sources = get_json(f"{base_url}/{DB}/sources.json?_shape=array&_size=max")
    total = exact = 0
    for source in sources:
        sid = source["source_id"]
        page.goto(f"{base_url}/articles/{sid}")
        href = page.locator("a.annotations").get_attribute("href")
        doc = get_json(base_url + href)
        page.evaluate(anchoring_library + "\n;true")  # evaluated by the test harness, not as page script
        for a in page.evaluate(ANCHOR, doc):
            total += 1
            if a["quote"] == [[a["exact"], a["start"]]] and a["position"] == [a["exact"]]:
                exact += 1
            else:
                print("not anchored exactly:", sid, a)
    print(f"\nannotations anchored exactly by @apache-annotator/dom: {exact} / {total}")
    assert total > 100 and exact == total
    page.console.assert_clean()
