"""The map page in Debian's Chromium, driven by Playwright, against a real `frontlines serve`
over the ingested sample corpus. Each browser test saves a screenshot (its path is printed).

The built page must match its sources in web/ (checked without a browser): `make web`
rebuilds it.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

from api_support import ROOT, corpus_db, get, serving

CHROMIUM = Path("/usr/bin/chromium")
STATIC = ROOT / "src" / "frontlines" / "web" / "static"
WEB = ROOT / "web"
# As the machine notes say for a root user on a closed network: no sandbox, no GPU, and no
# background connections (they would be refused, many at a time).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is absent: `apt-get install chromium` (.ci/run installs it)")


# -- the built page (no browser) ------------------------------------------------------------------


def test_the_built_page_matches_its_sources():
    assert (STATIC / "index.html").is_file(), "the page is not built: run `make web`"
    for src in (WEB / "src").iterdir():
        built = STATIC / src.name
        assert built.is_file() and built.read_bytes() == src.read_bytes(), (
            f"{built} differs from {src}: run `make web`")


def test_the_built_libraries_are_the_locked_versions():
    lock = json.loads((WEB / "package-lock.json").read_text())["packages"]
    notice = (STATIC / "NOTICE.txt").read_text()
    for name in ("maplibre-gl", "swagger-ui-dist", "world-atlas", "topojson-client"):
        assert f"{name} {lock['node_modules/' + name]['version']}" in notice, name


# -- in the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    with serving(corpus_db(tmp_path_factory)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


class Visit:
    """A page with every request, failure, bad response and script error recorded."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.page = browser.new_page(viewport={"width": 1366, "height": 768})
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.bad: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.bad.append(f"{r.status} {r.url}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str = "/") -> "Visit":
        self.page.goto(self.base + path)
        if path == "/":
            self.wait_ready()
        return self

    def wait_ready(self) -> None:
        self.page.wait_for_selector("body[data-state=ready]", state="attached", timeout=30000)

    def dots(self) -> int:
        return self.page.evaluate("window.frontlines.renderedDots()")

    def shot(self, shots: Path, name: str) -> Path:
        path = shots / f"{name}.png"
        self.page.screenshot(path=str(path))
        print(f"screenshot: {path}")
        return path

    def outside(self) -> list[str]:
        return [u for u in self.requests
                if not (u.startswith(self.base + "/") or u.startswith(("data:", "blob:")))]


@pytest.fixture
def visit(browser, base):
    v = Visit(browser, base)
    yield v
    v.page.close()


@needs_chromium
def test_the_page_loads_with_no_failed_or_outside_request(visit, shots):
    visit.open()
    assert visit.dots() > 0
    visit.shot(shots, "map")
    assert visit.outside() == []
    assert visit.failed == [] and visit.bad == [] and visit.errors == []
    loaded = {u.split("?")[0].removeprefix(visit.base) for u in visit.requests}
    assert {"/static/vendor/maplibre-gl.mjs", "/static/basemap/countries.geojson",
            "/api/events", "/api/userplaces"} <= loaded
    # The siege panel is shown when the API has sieges.
    assert get(visit.base + "/api/sieges")[1]["sieges"]
    assert visit.page.is_visible("#sieges")


@needs_chromium
def test_the_slider_changes_the_number_of_dots(visit, shots, base):
    visit.open()
    before = visit.dots()
    shown_before = int(visit.page.get_attribute("#count", "data-shown"))
    visit.page.focus("#from")
    for _ in range(25):  # keyboard only: a day per key
        visit.page.keyboard.press("ArrowRight")
    visit.page.wait_for_function(
        f"document.querySelector('#count').dataset.shown != '{shown_before}'"
        " && document.body.dataset.state === 'ready'", timeout=30000)
    after = visit.dots()
    assert after < before
    visit.shot(shots, "slider")
    # The dots drawn are the events the API gives for that range and the map's view.
    since = visit.page.input_value("#from")
    days = visit.page.evaluate("window.frontlines.state.days")
    west, south, east, north = visit.page.evaluate("window.frontlines.map.getBounds().toArray().flat()")
    query = urlencode({"since": days[int(since)], "until": days[-1], "limit": 5000,
                       "bbox": f"{west},{south},{east},{north}"})
    expected = get(f"{base}/api/events?{query}")[1]["total"]
    assert after == expected
    assert visit.page.input_value("#from") != "0"
    assert visit.failed == [] and visit.errors == []


@needs_chromium
def test_clicking_an_event_shows_its_evidence(visit, shots, base):
    visit.open()
    # An event told by several sources, so the other reports are shown too.
    event_id = get(f"{base}/api/events?min_sources=2&limit=1")[1]["events"][0]["id"]
    button = visit.page.locator(f'.event-button[data-id="{event_id}"]')
    button.scroll_into_view_if_needed()
    button.click()
    visit.page.wait_for_selector("#detail:not([hidden]) blockquote.evidence mark")
    event = get(f"{base}/api/events/{event_id}")[1]
    m = event["mentions"][0]
    quote = visit.page.locator("#detail blockquote.evidence").first
    assert quote.inner_text().strip() == m["sentence"]["text"].strip()
    marks = [m["sentence"]["text"][s:e] for s, e in m["marks"]]
    assert visit.page.locator("#detail blockquote.evidence").first.locator("mark").all_inner_texts() == marks
    source = visit.page.locator("#detail .source").first.inner_text()
    assert (m["outlet"] or "unknown outlet") in source
    link = visit.page.locator("#detail a", has_text="Read the document")
    assert link.get_attribute("href") == f"/api/documents/{m['document_id']}"
    others = visit.page.locator("#detail h3", has_text="Other reports").inner_text()
    assert len(event["mentions"]) >= 2
    assert f"({len(event['mentions']) - 1})" in others
    quotes = visit.page.locator("#detail blockquote.evidence").all_inner_texts()
    assert [q.strip() for q in quotes] == [x["sentence"]["text"].strip() for x in event["mentions"]]
    assert "[object" not in visit.page.inner_text("#detail")
    visit.shot(shots, "evidence")
    link.click()
    visit.page.wait_for_selector("#detail .doc-text mark")
    assert m["evidence"][0]["text"] in visit.page.locator("#detail .doc-text").inner_text()
    # Escape goes back to the list, with the focus on the event.
    visit.page.keyboard.press("Escape")
    assert visit.page.is_visible("#list")
    assert visit.page.evaluate("document.activeElement.dataset.id") == event_id
    assert visit.errors == [] and visit.failed == []


@needs_chromium
def test_clicking_a_dot_opens_an_event(visit, shots):
    visit.open()
    # The dot nearest the middle of the map: clear of the controls and the legend.
    point = visit.page.evaluate("""() => {
        const map = window.frontlines.map, canvas = map.getCanvas();
        const mid = [canvas.clientWidth / 2, canvas.clientHeight / 2];
        const pts = map.queryRenderedFeatures({layers: ['events']})
            .map((f) => map.project(f.geometry.coordinates))
            .sort((a, b) => Math.hypot(a.x - mid[0], a.y - mid[1]) - Math.hypot(b.x - mid[0], b.y - mid[1]));
        const box = canvas.getBoundingClientRect();
        return [box.left + pts[0].x, box.top + pts[0].y];
    }""")
    visit.page.mouse.click(*point)
    chooser = visit.page.locator(".maplibregl-popup .chooser button")
    visit.page.wait_for_function(
        "!document.querySelector('#detail').hidden || document.querySelector('.chooser')")
    if chooser.count():  # several events on that point: pick one
        chooser.first.click()
    visit.page.wait_for_selector("#detail:not([hidden]) blockquote.evidence mark")
    visit.shot(shots, "dot")
    assert visit.errors == []


@needs_chromium
def test_the_api_docs_page_loads_nothing_from_outside(visit, shots):
    visit.open("/docs")
    visit.page.wait_for_selector(".opblock", timeout=30000)
    visit.shot(shots, "docs")
    assert visit.outside() == []
    assert visit.failed == [] and visit.bad == []


@needs_chromium
def test_roads_with_a_line_are_drawn_as_lines(visit, shots):
    visit.open()
    # The Castello road's row gives a WKT line: the line layer draws it where it runs.
    roads = visit.page.evaluate("""() => new Promise((resolve) => {
        const map = window.frontlines.map;
        map.once('idle', () => resolve(map.queryRenderedFeatures({layers: ['user-roads']})
            .map((f) => [f.properties.name, f.geometry.type])));
        map.jumpTo({center: [37.1668, 36.2567], zoom: 12});
    })""")
    assert ["Castello road", "LineString"] in roads
    visit.shot(shots, "road")
    assert visit.errors == []


@needs_chromium
def test_the_siege_panel_shows_the_periods_as_of_the_slider(visit, shots):
    visit.open()
    first = visit.page.locator("#siege-list .siege").first
    assert "besieged 2016-07-17" in first.locator("ol.periods").inner_text()
    # Move the end of the range back to 30 July: the panel tells the siege as of that day.
    index = visit.page.evaluate("window.frontlines.state.days.indexOf('2016-07-30')")
    assert index >= 0
    visit.page.evaluate(f"""() => {{ const to = document.querySelector('#to');
        to.value = {index}; to.dispatchEvent(new Event('input')); }}""")
    visit.page.wait_for_function(
        "document.querySelector('#sieges-h').textContent.includes('2016-07-30')", timeout=30000)
    visit.wait_ready()
    text = visit.page.inner_text("#siege-list")
    assert "eastern Aleppo · besieged since 2016-07-17" in text
    assert "still on" in text
    visit.shot(shots, "sieges")
    assert visit.errors == [] and visit.failed == []
