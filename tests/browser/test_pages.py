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


def test_exercise_row_page_links_everything(page, base_url, screenshot):
    page.goto(f"{base_url}/{DB}/exercises/{EXERCISE}")
    assert page.locator("h1").inner_text().endswith(EXERCISE)
    links = {
        "participants": page.locator(f'a[href="/{DB}/participants?exercise_id={EXERCISE}"]'),
        "statements": page.locator(f'a[href="/{DB}/statements?exercise_id={EXERCISE}"]'),
        "evidence": page.locator(f'a[href="/{DB}/exercise_evidence?exercise_id={EXERCISE}"]'),
        "sources": page.locator(f'ul.exercise-sources a[href^="/{DB}/sources/"]'),
    }
    for name, link in links.items():
        assert link.count() >= 1 and link.first.is_visible(), name
    screenshot(page, "exercise", full_page=True)
    links["evidence"].first.click()
    page.wait_for_load_state()
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() > 0
    assert EXERCISE in page.locator("table.rows-and-columns").inner_text()
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
