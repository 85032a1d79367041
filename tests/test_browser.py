"""The built book in a real browser (Debian's chromium, driven by Playwright),
page by page, served on 127.0.0.1 with no other network.

For every page: no request leaves loopback, every resource loads, no console
error beyond a short allow-list, all math is typeset, every image and diagram
is rendered and has alt text; a full-page screenshot is kept in
test-artifacts/screenshots/. Notebook pages also have their launch buttons and
solution dropdowns checked, and the search page must find a chapter word.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import HTML, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from setup_cell import chapter_notebooks, repository_reference, toc_files  # noqa: E402

from playwright import sync_api as playwright_sync

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

#: Console messages that are known, harmless, and not ours to fix:
ALLOWED_CONSOLE_ERRORS = [
    # sphinx-book-theme reads a theme mode that jupyter-book does not set.
    re.compile(r"Got invalid theme mode"),
    # sphinx-thebe declares THEBE_JS_URL in an inline script on every page.
    re.compile(r"THEBE_JS_URL.*already been declared"),
]


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def server(built_book):
    handler = functools.partial(_Handler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium).")
    with playwright_sync.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _pages() -> list[str]:
    """Every page of the book, from _toc.yml (known before the book is built,
    so a fresh checkout collects the same tests), plus Sphinx's own pages."""
    return sorted(f + ".html" for f in toc_files()) + ["genindex.html", "search.html"]


PAGES = _pages()


def test_every_built_page_is_tested(built_book):
    built = {p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")}
    built = {p for p in built if not p.startswith(("_static/", "_sources/", "_images/")) and p != "index.html"}
    assert built == set(PAGES), f"pages not covered: {built ^ set(PAGES)}"


@pytest.fixture(scope="module", autouse=True)
def fresh_screenshots():
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)


def _open(browser, server, page_path):
    """Open a page, recording requests that leave loopback (then aborting
    them), failed responses and console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    record = {"external": [], "failed": [], "console": []}

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith("data:") or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            record["external"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda resp: record["failed"].append(f"{resp.status} {resp.url}") if resp.status >= 400 else None)
    page.on("requestfailed", lambda req: record["failed"].append(f"failed {req.url}") if "127.0.0.1" in req.url else None)
    page.on("console", lambda msg: record["console"].append(msg.text) if msg.type == "error" else None)
    page.goto(f"{server}/{page_path}", wait_until="load")
    page.wait_for_load_state("networkidle")
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
            "() => [...document.querySelectorAll('pre.mermaid')].every(e => e.querySelector('svg'))",
            timeout=20_000,
        )


@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_offline(browser, server, page_path):
    context, page, record = _open(browser, server, page_path)
    try:
        _wait_for_math(page)
        _wait_for_diagrams(page)
        page.screenshot(path=str(SCREENSHOTS / (page_path.replace("/", "__") + ".png")), full_page=True)

        assert not record["external"], f"requests left the machine: {record['external']}"
        assert not record["failed"], f"resources failed to load: {record['failed']}"
        errors = [m for m in record["console"] if not any(a.search(m) for a in ALLOWED_CONSOLE_ERRORS)]
        assert not errors, f"console errors: {errors}"

        # No raw TeX left in what a reader sees (code and outputs excluded).
        visible = page.evaluate(
            """() => { const main = document.querySelector('main') || document.body;
                       const copy = main.cloneNode(true);
                       copy.querySelectorAll('pre, code, .highlight, .cell_output, script, style, mjx-container, .mermaid')
                           .forEach(e => e.remove());
                       return copy.innerText; }"""
        )
        for raw in ("$$", "\\frac", "\\sum", "\\begin{", "\\quad", "\\mathcal"):
            assert raw not in visible, f"raw TeX {raw!r} is visible on {page_path}"

        # Images: loaded, non-empty, described.
        images = page.evaluate(
            """() => [...document.querySelectorAll('main img')].map(i => ({
                   src: i.currentSrc || i.src, w: i.naturalWidth, h: i.naturalHeight, alt: i.getAttribute('alt') || ''}))"""
        )
        for image in images:
            assert image["w"] > 0 and image["h"] > 0, f"image not rendered: {image['src'][:80]}"
            alt = image["alt"].strip()
            assert alt and not re.search(r"\.(png|svg|jpe?g)$", alt), f"image without alt text: {image['src'][:80]}"
        # Diagrams: drawn, with a size, and described.
        diagrams = page.evaluate(
            """() => [...document.querySelectorAll('pre.mermaid')].map(d => {
                   const svg = d.querySelector('svg'); const box = svg ? svg.getBoundingClientRect() : null;
                   const desc = svg ? svg.querySelector('desc') : null;
                   return {w: box ? box.width : 0, h: box ? box.height : 0,
                           alt: desc ? desc.textContent : ''}; })"""
        )
        for diagram in diagrams:
            assert diagram["w"] > 0 and diagram["h"] > 0, "a mermaid diagram was not drawn"
            assert diagram["alt"].strip(), "a mermaid diagram has no description (accDescr)"
    finally:
        context.close()


NOTEBOOK_PAGES = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in chapter_notebooks()]


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


def test_search_finds_a_chapter_word(browser, server):
    context, page, record = _open(browser, server, "search.html?q=unimodular")
    try:
        page.wait_for_selector("#search-results li a", timeout=20_000)
        links = page.evaluate("() => [...document.querySelectorAll('#search-results li a')].map(a => a.href)")
        assert any("02_duality_integrality" in link for link in links), links
        assert not record["external"]
    finally:
        context.close()
