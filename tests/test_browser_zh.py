"""The Simplified Chinese edition (``_build/zh/html``) in chromium, page by page.

The same checks as the English book's (``test_browser.py``, whose helpers are
reused): over HTTP and from file://, no request leaves the machine, every
resource loads, no console error beyond the allow-list, all math is typeset;
over HTTP, axe-core finds no serious or critical violation. And what only the
Chinese edition has:

- each page links to the same page of the English edition, which links back;
- the pages are ``<html lang="zh-CN">``, Chinese text is never labelled as
  another language, and the English text of an untranslated page is
  labelled ``lang="en"``;
- Chinese is drawn with a real CJK font (the platform font chromium used for
  the heading's text, asked through the DevTools protocol), not boxes;
- the search page finds the glossary's Chinese terms.

Both editions are served from their common parent (``_build``), so that the
links between them resolve as they do when published. The edition tested is
the one next to ``BOOK_HTML`` (``<BOOK_HTML>/../zh/html``) if that is set,
else the one :func:`zh_book` builds after the English book.
"""

from __future__ import annotations

import functools
import http.server
import re
import sys
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import ROOT
from test_browser import (  # the English test's helpers; its tests are not imported
    _AXE,
    ACCEPTED_VIOLATIONS,
    ALLOWED_CONSOLE_ERRORS,
    PAGES,
    _Handler,
    _open,
    _wait_for_diagrams,
    _wait_for_math,
    browser,  # noqa: F401 (a fixture)
)

sys.path.insert(0, str(ROOT / "scripts"))
from book_edition import translated_pages  # noqa: E402

SCREENSHOT = ROOT / "_build" / "screenshots" / "zh_least_squares.png"
SCREENSHOT_PAGE = "chapters/part3_quality/01_least_squares.html"
TRANSLATED = {p + ".html" for p in translated_pages()}
#: Sphinx's generated pages have no page body for the edition link to start.
NO_SWITCH = {"genindex.html", "search.html"}
#: The fonts that draw Chinese on a Debian machine with fonts-noto-cjk (or
#: another CJK family, should the theme name one).
CJK_FONT = re.compile(r"CJK|Han Sans|Han Serif|WenQuanYi|Source Han", re.IGNORECASE)


@pytest.fixture(scope="module")
def editions(zh_book) -> dict[str, Path]:
    english = zh_book.parent.parent / "html"
    assert (english / "index.html").exists(), f"no English book next to the Chinese edition: {english}"
    return {"zh": zh_book, "en": english}


@pytest.fixture(scope="module")
def zh_server(editions):
    """Both editions over HTTP, from their common parent; yields the Chinese root URL."""
    root = editions["en"].parent
    handler = functools.partial(_Handler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield {"zh": f"{base}/{editions['zh'].relative_to(root).as_posix()}",
           "en": f"{base}/{editions['en'].relative_to(root).as_posix()}"}  # fmt: skip
    httpd.shutdown()


def test_every_built_zh_page_is_tested(editions):
    book = editions["zh"]
    built = {p.relative_to(book).as_posix() for p in book.rglob("*.html")}
    built = {p for p in built if not p.startswith(("_static/", "_sources/", "_images/", "reports/"))
             and p != "index.html"}  # fmt: skip
    assert built == set(PAGES), f"pages not covered: {built ^ set(PAGES)}"
    assert TRANSLATED <= set(PAGES)


def _check_offline(page, record, page_path: str) -> None:
    """The English test's network, console and math checks, for an opened page
    (:func:`_wait_for_math` fails unless every formula is typeset)."""
    _wait_for_math(page)
    _wait_for_diagrams(page)
    assert not record["external"], f"requests left the machine: {record['external']}"
    assert not record["failed"], f"resources failed to load: {record['failed']}"
    errors = [m for m in record["console"] if not any(a.search(m) for a in ALLOWED_CONSOLE_ERRORS)]
    assert not errors, f"console errors on {page_path}: {errors}"


def _switch_href(page) -> str | None:
    link = page.locator("p.edition-switch a")
    return link.first.evaluate("a => a.href") if link.count() else None


# Every text node of the page's body (the article: not the theme's sidebars,
# page contents, footer) outside code, maths, outputs and diagrams, with the
# language it is labelled with (its closest lang attribute).
_LABELLED_TEXT_JS = r"""() => {
    const main = document.querySelector('main article') || document.body;
    const skip = 'pre, code, script, style, .math, mjx-container, .cell_output, .mermaid, svg, .highlight';
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    const runs = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const parent = n.parentElement;
        if (!parent || parent.closest(skip) || !n.textContent.trim()) continue;
        const labelled = parent.closest('[lang]');
        runs.push([n.textContent, labelled ? labelled.getAttribute('lang') : '']);
    }
    return runs;
}"""
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _check_languages(page, page_path: str) -> None:
    assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
    han = latin = latin_en = 0
    for text, lang in page.evaluate(_LABELLED_TEXT_JS):
        if _HAN.search(text):
            assert lang.lower().startswith("zh"), f"Chinese labelled {lang!r} on {page_path}: {text[:40]!r}"
            han += 1
        elif len(_LATIN_WORD.findall(text)) >= 3:  # a run of English words, not a symbol or a name
            latin += 1
            latin_en += lang.lower().startswith("en")
    if page_path in TRANSLATED:
        assert han, f"{page_path} is listed as translated but shows no Chinese"
    elif page_path not in NO_SWITCH:
        # The English text under the one-line Chinese note is labelled as English.
        assert latin and latin_en == latin, (
            f"{page_path}: {latin - latin_en} of {latin} English runs labelled Chinese"
        )


def _first_chinese_element(page) -> str | None:
    """A selector of the page's heading if it is Chinese, else of the untranslated-page note."""
    for selector in ("article h1", "article p.untranslated-note"):
        element = page.locator(selector)
        if element.count() and _HAN.search(element.first.inner_text()):
            return selector
    return None


def _platform_fonts(context, page, selector: str) -> list[str]:
    """The fonts chromium drew an element's text with (DevTools protocol: unlike
    ``document.fonts.check``, which is true even for a font the machine lacks)."""
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [f["familyName"] for f in fonts if f["glyphCount"] > 0]


@pytest.mark.parametrize("page_path", PAGES)
def test_zh_page(browser, zh_server, editions, page_path):  # noqa: F811
    """Over HTTP: the offline checks, languages, CJK font, the edition links, axe."""
    context, page, record = _open(browser, zh_server["zh"], page_path)
    try:
        _check_offline(page, record, page_path)
        _check_languages(page, page_path)
        if page_path == SCREENSHOT_PAGE:
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=False)

        chinese = _first_chinese_element(page)
        if chinese:
            fonts = _platform_fonts(context, page, chinese)
            cjk = [f for f in fonts if CJK_FONT.search(f)]
            assert cjk, f"Chinese drawn with {fonts} on {page_path}"
            # The Simplified Chinese forms (a lang-less page would get the Japanese ones).
            assert not [f for f in cjk if re.search(r"\b(JP|KR|TC|HK)\b", f)], f"{page_path}: {cjk}"
            # And at the size of real glyphs: neither boxes nor a zero-width fallback.
            width = page.evaluate(
                """sel => { const s = document.createElement('span'); s.textContent = '众包对偶全单模';
                           s.style.fontSize = '16px'; document.querySelector(sel).after(s);
                           const w = s.getBoundingClientRect().width; s.remove(); return w; }""",
                chinese,
            )
            assert 7 * 14 <= width <= 7 * 18, f"seven Chinese characters are {width:.0f} px wide at 16 px"

        if page_path not in NO_SWITCH:
            # The link leads to the same page of the English edition, which links back.
            href = _switch_href(page)
            assert href == f"{zh_server['en']}/{page_path}", f"edition link {href!r}"
            english = context.request.get(href)
            assert english.ok, f"{href}: {english.status}"
            back = re.search(r'<p class="edition-switch"><a href="([^"]+)"', english.text())
            assert back and urljoin(href, back[1]) == f"{zh_server['zh']}/{page_path}", back

        violations = _AXE.run(page).response["violations"]
        blocking = [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}; e.g. {v['nodes'][0]['target']}"
            for v in violations
            if v["impact"] in ("serious", "critical") and v["id"] not in ACCEPTED_VIOLATIONS
        ]
        assert not blocking, f"{page_path}: " + "; ".join(blocking)
        assert Counter(v["impact"] for v in violations)["critical"] == 0
    finally:
        context.close()


@pytest.mark.parametrize("page_path", PAGES)
def test_zh_page_offline_from_file(browser, editions, page_path):  # noqa: F811
    """Opened from file://: the offline checks, and the edition link reaches an English file."""
    context, page, record = _open(browser, editions["zh"].as_uri(), page_path)
    try:
        _check_offline(page, record, page_path)
        if page_path not in NO_SWITCH:
            href = _switch_href(page)
            assert href == (editions["en"] / page_path).as_uri(), f"edition link {href!r}"
    finally:
        context.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [("众包", {"chapters/glossary", "intro"}),
     ("对偶", {"chapters/glossary", "chapters/part2_matching/index"}),
     ("全单模", {"chapters/glossary", "chapters/part2_matching/index"})],
)  # fmt: skip
def test_zh_search_finds_glossary_terms(browser, zh_server, query, expected):  # noqa: F811
    context, page, record = _open(browser, zh_server["zh"], f"search.html?q={query}")
    try:
        page.wait_for_selector("#search-results li a", timeout=20_000)
        links = page.evaluate("() => [...document.querySelectorAll('#search-results li a')].map(a => a.href)")
        found = {link.split("/zh/html/", 1)[1].split(".html")[0] for link in links}
        assert expected <= found, f"{query}: {sorted(found)}"
        assert not record["external"]
    finally:
        context.close()
