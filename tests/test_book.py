"""The book: builds cleanly with `-W -n --keep-going`, executes every chapter
(the build's cached execution is the notebook test), and its HTML holds what
the chapters promise and loads nothing from the network."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from conftest import BUILD, HTML, NOTEBOOK_TIMES, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from setup_cell import all_notebooks, chapter_notebooks  # noqa: E402


def test_every_notebook_executed_successfully(built_book):
    """Each chapter has a cache record matching its current content: it ran
    top to bottom without error (a failing cell is never cached)."""
    from jupyter_cache import get_cache

    cache = get_cache(BUILD / ".jupyter_cache")
    lines = []
    for path in all_notebooks():
        notebook = nbformat.read(path, as_version=4)
        record = cache.match_cache_notebook(notebook)  # KeyError: not executed successfully
        seconds = record.data.get("execution_seconds", float("nan"))
        lines.append(f"{seconds:7.2f} s  {path.relative_to(ROOT)}")
    NOTEBOOK_TIMES.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reports = HTML / "reports"
    assert not (reports.exists() and any(reports.iterdir())), "a notebook failed: see _build/html/reports/"


class _Resources(HTMLParser):
    """Collects the URLs a page loads (scripts, styles, images, frames)."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and attrs.get("src"):
            self.loaded.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") in ("stylesheet", "preload", "icon", "modulepreload"):
            self.loaded.append(attrs["href"])


def _pages():
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def test_no_page_loads_anything_from_the_network(built_book):
    external = re.compile(r"^(https?:)?//", re.I)
    for page in _pages():
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        remote = [url for url in parser.loaded if external.match(url)]
        assert not remote, f"{page.relative_to(HTML)} loads {remote}"
        # Every local resource exists in the build.
        for url in parser.loaded:
            if url.startswith("data:"):
                continue
            target = (page.parent / url.split("?")[0].split("#")[0]).resolve()
            assert target.exists(), f"{page.relative_to(HTML)} loads missing {url}"


def test_mathjax_mermaid_and_widgets_are_served_by_the_book(built_book):
    chapter = (HTML / "chapters/part2_matching/01_matching_lp.html").read_text(encoding="utf-8")
    assert "_static/mathjax/tex-chtml.js" in chapter
    assert "_static/widgets/embed-amd.js" in chapter
    assert (HTML / "_static/mathjax/output/chtml/fonts/woff-v2").is_dir()
    intro = (HTML / "chapters/part2_matching/index.html").read_text(encoding="utf-8")
    # A classic script (not a module), so diagrams also draw from file://.
    assert re.search(r"""<script src=["']\.\./\.\./_static/mermaid/mermaid\.min\.js""", intro)
    assert (HTML / "_static/mermaid/mermaid.min.js").is_file()


def test_first_chapter_shows_the_computed_optimum(built_book):
    html = (HTML / "chapters/part2_matching/01_matching_lp.html").read_text(encoding="utf-8")
    from lib.matching import ARTICLE_SCORES, brute_force_matching

    brute = brute_force_matching(ARTICLE_SCORES)
    for k, pairs in enumerate(brute.optimal_pairs):
        assert f"optimal assignment {k}: {pairs}" in html.replace("&#39;", "'")
    assert "in optimal set: True" in html and "in optimal set: False" not in html
    assert "Traceback (most recent call last)" not in html


def test_launch_buttons_point_at_each_notebook(built_book):
    """Every notebook page's Colab and Binder buttons open that notebook at the
    pinned reference, and its exercise link opens its student copy."""
    from setup_cell import repository_reference

    url, branch = repository_reference()
    slug = url.split("github.com/")[1]
    for notebook in chapter_notebooks():
        path = notebook.relative_to(ROOT).as_posix()
        html = (HTML / notebook.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
        assert f"https://colab.research.google.com/github/{slug}/blob/{branch}/{path}" in html, path
        assert f"https://mybinder.org/v2/gh/{slug}/{branch}?urlpath=tree/{path}" in html, path
        assert f"https://colab.research.google.com/github/{slug}/blob/{branch}/student/{path}" in html, path


def test_appendix_pages_exist(built_book):
    for name in ("source_map", "errata"):
        assert (HTML / f"chapters/appendix/{name}.html").exists()
    errata = (HTML / "chapters/appendix/errata.html").read_text(encoding="utf-8")
    # Every erratum row links to the place in the book that shows it.
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", errata, flags=re.S)[1:]
    body_rows = [r for r in rows if "<td" in r]
    assert len(body_rows) >= 15
    for row in body_rows:
        assert re.search(r'href="\.\./part\d_[a-z]+/[\w]+\.html#', row), row[:200]


def test_every_figure_is_in_the_html(built_book):
    """Each cell that shows a matplotlib figure produces an image in the page."""
    for path in all_notebooks():
        nb = nbformat.read(path, as_version=4)
        shown = sum(c.source.count("plt.show()") for c in nb.cells if c.cell_type == "code"
                    and "def " not in c.source)  # fmt: skip
        page = HTML / path.relative_to(ROOT).with_suffix(".html")
        images = re.findall(r'<img[^>]+src="[^"]*_images/[^"]+\.png"', page.read_text(encoding="utf-8"))
        assert len(images) >= shown, f"{page.name}: {shown} figures shown but {len(images)} images"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if attrs.get("id"):
            self.ids.add(attrs["id"])


def test_internal_links_resolve(built_book):
    """Every link that points inside the book reaches an existing page and anchor."""
    parsed: dict[Path, _Links] = {}

    def parse(page: Path) -> _Links:
        if page not in parsed:
            parser = _Links()
            parser.feed(page.read_text(encoding="utf-8"))
            parsed[page] = parser
        return parsed[page]

    checked = 0
    for page in _pages():
        for href in parse(page).hrefs:
            if re.match(r"^(https?:|mailto:|javascript:|data:)", href) or href.startswith("//"):
                continue
            target_part, _, fragment = href.partition("#")
            target = page if not target_part else (page.parent / target_part.split("?")[0]).resolve()
            if HTML.resolve() not in target.parents and target != HTML.resolve():
                # The edition switch: the same page in the Chinese edition, built separately.
                other = HTML.resolve().parent / "zh" / "html" / page.resolve().relative_to(HTML.resolve())
                assert target == other, f"{page.relative_to(HTML)} links outside the book: {href}"
                continue
            assert target.exists(), f"{page.relative_to(HTML)} links to missing {href}"
            if fragment and target.suffix == ".html":
                assert fragment in parse(target).ids, f"{page.relative_to(HTML)} links to missing anchor {href}"
            checked += 1
    assert checked > 200
