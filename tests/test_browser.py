"""The built book in a real browser (chromium, driven by Playwright), page by
page, served on 127.0.0.1 and opened from file://, with no other network.

For every page, both ways: no request leaves the machine, every resource
loads, no console error beyond a short allow-list, all math is typeset, every
image and diagram is rendered and has alt text, and every diagram is drawn at
a readable scale (or scrolls sideways). Over HTTP, a full-page screenshot is
kept in test-artifacts/screenshots/, diagrams also draw for print, and an
accessibility audit (axe-core) finds no serious or critical violation; its
counts by impact are written to test-artifacts/accessibility.json. Notebook
pages have their launch buttons and solution dropdowns checked, and the search
page must find a chapter word.

The book tested is the one `built_book` builds (``_build/html``), or an
already built HTML folder named by ``BOOK_HTML``.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import sys
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright import sync_api as playwright_sync  # noqa: E402

from setup_cell import all_notebooks, chapter_notebooks, repository_reference, toc_files  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
#: A diagram drawn smaller than this fraction of its natural size has labels
#: under about 10 px (mermaid draws them at 16 px).
MIN_DIAGRAM_SCALE = 0.6

#: Console messages that are known, harmless, and not ours to fix:
ALLOWED_CONSOLE_ERRORS = [
    # sphinx-book-theme reads a theme mode that jupyter-book does not set.
    re.compile(r"Got invalid theme mode"),
    # sphinx-thebe declares THEBE_JS_URL in an inline script on every page.
    re.compile(r"THEBE_JS_URL.*already been declared"),
]

#: Accessibility rules (axe-core ids) whose serious or critical findings are
#: accepted, each with the reason. Anything else serious or critical fails.
ACCEPTED_VIOLATIONS: dict[str, str] = {}


def chromium_path() -> Path | None:
    """Chromium from ``$CHROMIUM``, else the first of its usual names on PATH."""
    if os.environ.get("CHROMIUM"):
        return Path(os.environ["CHROMIUM"])
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


@pytest.fixture(scope="module")
def book(request) -> Path:
    """The HTML folder under test: ``BOOK_HTML`` if set, else the build."""
    if os.environ.get("BOOK_HTML"):
        html = Path(os.environ["BOOK_HTML"]).resolve()
        assert (html / "index.html").exists(), f"BOOK_HTML={html} holds no built book"
        return html
    return request.getfixturevalue("built_book")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def server(book):
    handler = functools.partial(_Handler, directory=str(book))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def base_urls(server, book) -> dict[str, str]:
    return {"http": server, "file": book.as_uri()}


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None or not executable.exists():
        pytest.fail(
            "No chromium found (set CHROMIUM=/path/to/chromium or put chromium on PATH; "
            "Debian/Ubuntu: sudo apt-get install chromium)."
        )
    with playwright_sync.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _pages() -> list[str]:
    """Every page of the book, from _toc.yml (known before the book is built,
    so a fresh checkout collects the same tests), plus Sphinx's own pages."""
    return sorted(f + ".html" for f in toc_files()) + ["genindex.html", "search.html"]


PAGES = _pages()


def test_every_built_page_is_tested(book):
    built = {p.relative_to(book).as_posix() for p in book.rglob("*.html")}
    built = {p for p in built if not p.startswith(("_static/", "_sources/", "_images/", "reports/"))
             and p != "index.html"}  # fmt: skip
    assert built == set(PAGES), f"pages not covered: {built ^ set(PAGES)}"


@pytest.fixture(scope="module", autouse=True)
def fresh_artifacts():
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)


def _open(browser, base, page_path, media="screen"):
    """Open a page, recording requests that leave the machine (then aborting
    them), failed responses and console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.emulate_media(media=media)
    record = {"external": [], "failed": [], "console": []}

    def local(url: str) -> bool:
        return url.startswith(("data:", "file:", "blob:")) or urlparse(url).hostname in ("127.0.0.1", "localhost")

    def route(r):
        if local(r.request.url):
            r.continue_()
        else:
            record["external"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda resp: record["failed"].append(f"{resp.status} {resp.url}") if resp.status >= 400 else None)
    page.on("requestfailed", lambda req: record["failed"].append(f"failed {req.url}") if local(req.url) else None)
    page.on("console", lambda msg: record["console"].append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: record["console"].append(f"uncaught: {error}"))
    # One wait for both load and network idle: waiting for "load" first and
    # then for "networkidle" misses an idle period that begins before the
    # load event (a page whose scripts keep the main thread busy), and waits forever.
    page.goto(f"{base}/{page_path}", wait_until="networkidle")
    return context, page, record


def _wait_for_math(page) -> None:
    if page.locator(".math").count():
        page.wait_for_function(
            "() => [...document.querySelectorAll('.math')].every(e => e.querySelector('mjx-container'))",
            timeout=20_000,
        )


def _wait_for_diagrams(page) -> None:
    if page.locator("pre.mermaid").count():
        page.wait_for_function(
            "() => [...document.querySelectorAll('pre.mermaid')].every(e => e.dataset.drawn === 'true')",
            timeout=20_000,
        )


_DIAGRAMS_JS = """() => [...document.querySelectorAll('pre.mermaid')].map(d => {
    const svg = d.querySelector('svg'); const box = svg ? svg.getBoundingClientRect() : null;
    const desc = svg ? svg.querySelector('desc') : null;
    return {w: box ? box.width : 0, h: box ? box.height : 0,
            natural: svg && svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0,
            frame: d.clientWidth, scrolls: d.scrollWidth > d.clientWidth + 1,
            focusable: d.tabIndex >= 0, alt: desc ? desc.textContent : ''}; })"""


@pytest.mark.parametrize("scheme", ["http", "file"])
@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_offline(browser, base_urls, page_path, scheme):
    context, page, record = _open(browser, base_urls[scheme], page_path)
    try:
        _wait_for_math(page)
        _wait_for_diagrams(page)
        if scheme == "http":
            page.screenshot(path=str(SCREENSHOTS / (page_path.replace("/", "__") + ".png")), full_page=True)

        assert not record["external"], f"requests left the machine: {record['external']}"
        assert not record["failed"], f"resources failed to load: {record['failed']}"
        errors = [m for m in record["console"] if not any(a.search(m) for a in ALLOWED_CONSOLE_ERRORS)]
        assert not errors, f"console errors: {errors}"

        # No raw TeX or diagram source left in what a reader sees (code and outputs excluded).
        visible = page.evaluate(
            """() => { const main = document.querySelector('main') || document.body;
                       const copy = main.cloneNode(true);
                       copy.querySelectorAll('pre:not(.mermaid), code, .highlight, .cell_output, script, style, mjx-container, svg')
                           .forEach(e => e.remove());
                       return copy.innerText; }"""
        )
        for raw in ("$$", "\\frac", "\\sum", "\\begin{", "\\quad", "\\mathcal", "graph TB", "graph LR", "-->"):
            assert raw not in visible, f"raw source {raw!r} is visible on {page_path}"

        # Images: loaded, non-empty, described.
        images = page.evaluate(
            """() => [...document.querySelectorAll('main img')].map(i => ({
                   src: i.currentSrc || i.src, w: i.naturalWidth, h: i.naturalHeight, alt: i.getAttribute('alt') || ''}))"""
        )
        for image in images:
            assert image["w"] > 0 and image["h"] > 0, f"image not rendered: {image['src'][:80]}"
            alt = image["alt"].strip()
            assert alt and not re.search(r"\.(png|svg|jpe?g)$", alt), f"image without alt text: {image['src'][:80]}"
        # Diagrams: drawn, described, and readable at page width or scrollable.
        for k, diagram in enumerate(page.evaluate(_DIAGRAMS_JS)):
            assert diagram["w"] > 0 and diagram["h"] > 0, f"diagram {k} was not drawn"
            assert diagram["alt"].strip(), f"diagram {k} has no description (accDescr)"
            scale = diagram["w"] / diagram["natural"]
            assert scale >= MIN_DIAGRAM_SCALE, f"diagram {k} is drawn at {scale:.2f} of its size: too small to read"
            if diagram["scrolls"]:
                assert diagram["focusable"], f"diagram {k} scrolls but cannot be reached from the keyboard"
    finally:
        context.close()


DIAGRAM_PAGES = [p for p in PAGES if p.endswith("index.html") and p.startswith("chapters/part")]


@pytest.mark.parametrize("page_path", DIAGRAM_PAGES)
def test_diagrams_print(browser, server, page_path):
    """With print media, every diagram is an SVG that fits the printed width."""
    context, page, _ = _open(browser, server, page_path, media="print")
    try:
        _wait_for_diagrams(page)
        diagrams = page.evaluate(_DIAGRAMS_JS)
        assert diagrams, f"{page_path} has no diagram"
        for k, diagram in enumerate(diagrams):
            assert diagram["w"] > 0 and diagram["h"] > 0, f"diagram {k} is not drawn for print"
            assert diagram["w"] <= diagram["frame"] + 1, f"diagram {k} is cut off in print"
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    finally:
        context.close()


# ------------------------------------------------------------------ accessibility

_AXE = Axe()
_AUDIT: dict[str, dict[str, int]] = {}


@pytest.fixture(scope="module", autouse=True)
def accessibility_report():
    yield
    if _AUDIT:
        total = Counter()
        for counts in _AUDIT.values():
            total.update(counts)
        report = {"by_impact": dict(total), "pages": _AUDIT}
        (ARTIFACTS / "accessibility.json").write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")


@pytest.mark.parametrize("page_path", PAGES)
def test_page_is_accessible(browser, server, page_path):
    """axe-core's WCAG audit of the rendered page: no serious or critical
    violation beyond ACCEPTED_VIOLATIONS (counted by node, by impact)."""
    context, page, _ = _open(browser, server, page_path)
    try:
        _wait_for_math(page)
        _wait_for_diagrams(page)
        violations = _AXE.run(page).response["violations"]
        counts = Counter()
        for violation in violations:
            counts[violation["impact"]] += len(violation["nodes"])
        _AUDIT[page_path] = dict(counts)
        blocking = [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}; e.g. {v['nodes'][0]['target']}"
            for v in violations
            if v["impact"] in ("serious", "critical") and v["id"] not in ACCEPTED_VIOLATIONS
        ]
        assert not blocking, f"{page_path}: " + "; ".join(blocking)
    finally:
        context.close()


# ------------------------------------------------------------------ notebook pages

NOTEBOOK_PAGES = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in chapter_notebooks()]
APPENDIX_NOTEBOOK_PAGES = [
    p.relative_to(ROOT).with_suffix(".html").as_posix() for p in all_notebooks() if p not in chapter_notebooks()
]


@pytest.mark.parametrize("page_path", NOTEBOOK_PAGES)
def test_notebook_page_buttons_and_solutions(browser, server, page_path):
    url, branch = repository_reference()
    slug = url.split("github.com/")[1]
    notebook = page_path.replace(".html", ".ipynb")
    context, page, _ = _open(browser, server, page_path)
    try:
        hrefs = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)")
        assert f"https://colab.research.google.com/github/{slug}/blob/{branch}/{notebook}" in hrefs
        assert f"https://mybinder.org/v2/gh/{slug}/{branch}?urlpath=tree/{notebook}" in hrefs
        solutions = page.locator("div.solution.dropdown")
        assert solutions.count() >= 3
        first = solutions.first
        body = first.locator("section, .admonition-title ~ *").last
        first.scroll_into_view_if_needed()
        assert not body.is_visible(), "a solution is visible before it is clicked"
        first.locator(".admonition-title, button").first.click()
        body.wait_for(state="visible", timeout=5_000)
        assert body.is_visible(), "a solution stays hidden after it is clicked"
    finally:
        context.close()


@pytest.mark.parametrize("page_path", APPENDIX_NOTEBOOK_PAGES)
def test_appendix_notebook_has_no_launch_buttons(browser, server, page_path):
    """Appendix notebooks read files of the repository (benchmarks/results/):
    they are not offered in Colab or Binder, where they could not run."""
    context, page, _ = _open(browser, server, page_path)
    try:
        hrefs = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)")
        launch = [h for h in hrefs if "colab.research.google.com" in h or "mybinder.org" in h]
        assert not launch, f"{page_path} offers {launch}"
        # The page itself rendered (the buttons were removed, not the header).
        assert page.locator("main article h1").first.is_visible()
    finally:
        context.close()


def test_search_finds_a_chapter_word(browser, server):
    context, page, record = _open(browser, server, "search.html?q=unimodular")
    try:
        page.wait_for_selector("#search-results li a", timeout=20_000)
        links = page.evaluate("() => [...document.querySelectorAll('#search-results li a')].map(a => a.href)")
        assert any("02_duality_integrality" in link for link in links), links
        assert not record["external"]
    finally:
        context.close()
