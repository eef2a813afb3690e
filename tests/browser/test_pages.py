"""The served site in a real browser: the pages a first-time researcher opens, rendered with
their JavaScript (map, chart, search), with no console errors but failed map-tile loads."""
import json
import re
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
    assert page.locator("#search-all-q").is_visible()
    for href in ["/download/datapackage.json", "/download/data/exercises.csv", f"/{DB}.db", "/download/CITATION.cff"]:
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
    page.locator(".leaflet-container").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    screenshot(page, "map", full_page=False)
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


def test_fact_sheet_value_leads_to_its_sentence(page, base_url, screenshot):
    evidence = get_json(f"{base_url}/{DB}/evidence.json?_shape=array&_size=max&exercise_id={EXERCISE}"
                        "&table_name=exercises&in_table=1")
    assert evidence
    page.goto(f"{base_url}/{DB}/exercises/{EXERCISE}")
    assert EXERCISE in page.locator("h1").inner_text()
    for e in evidence:  # every quote of the table's values is on the sheet, linked to its span
        link = page.locator(f'#value-{e["field"]} a.quote-link[href="/articles/{e["source_id"]}#{e["evidence_id"]}"]')
        assert link.count() == 1, e["evidence_id"]
    screenshot(page, "factsheet", full_page=False)
    e = next(e for e in evidence if e["field"] == "location")
    page.locator(f'#value-location a.quote-link[href$="#{e["evidence_id"]}"]').click()
    page.wait_for_url(re.compile(rf"/articles/{e['source_id']}#{e['evidence_id']}$"))
    at = page.evaluate(TEXT_AT, e["evidence_id"])
    assert at["offset"] == e["quote_start"] and at["rest"].startswith(e["quote"])
    assert page.locator(f'[id="{e["evidence_id"]}"]').is_visible()
    assert page.evaluate(f"document.querySelector(':target').id") == e["evidence_id"]
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


def test_search_from_home_page(page, base_url, screenshot):
    page.goto(base_url + "/")
    page.fill("#search-all-q", "anti-terrorism")
    page.locator("#search-all-q").press("Enter")
    page.wait_for_url(re.compile(r"/-/search\?q=anti-terrorism"))
    result = page.locator("#search-all-results table.rows-and-columns")
    result.first.wait_for(timeout=15000)
    assert "anti-terrorism" in result.first.inner_text()
    screenshot(page, "search", full_page=True)
    page.console.assert_clean()


def test_timeline_chart(page, base_url, screenshot):
    page.goto(base_url + "/")
    page.get_by_role("link", name="Timeline").click()
    page.wait_for_url(re.compile(r"/exercises_by_year"))
    chart = page.locator(".vega-embed canvas, .vega-embed svg.marks")
    chart.first.wait_for(state="visible", timeout=15000)
    box = chart.first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    # The chart has drawn something: its canvas is not blank.
    drawn = page.evaluate("""() => {
        const c = document.querySelector('.vega-embed canvas');
        if (!c) return document.querySelectorAll('.vega-embed svg.marks path, .vega-embed svg.marks rect').length;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
    }""")
    assert drawn > 1000
    years = {r["year"] for r in get_json(f"{base_url}/{DB}/exercises.json?_shape=array&_col=year")}
    assert all(str(y) in page.locator("table.rows-and-columns").inner_text() for y in years)
    page.wait_for_timeout(300)
    screenshot(page, "timeline", full_page=True)
    page.console.assert_clean()
