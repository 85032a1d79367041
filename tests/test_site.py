"""The published site (scripts/assemble_site.py): both editions in one tree.

The English book is at the site's root and the Chinese edition in ``zh/``; each
page's edition switch must land on the same page of the other edition, and no
link of either edition may lead out of the site or to a file it lacks.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import make_once

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


assemble_site = _load("assemble_site")
SWITCH = re.compile(r'<p class="edition-switch"><a href="([^"]+)"')
LINK = re.compile(r'\s(?:href|src)="([^"]*)"')


@pytest.fixture(scope="module")
def site(built_book, zh_book) -> Path:
    """The site `make site` assembles, as the publishing workflow does."""
    build = built_book.parent
    assert zh_book == build / "zh" / "html", "the editions are built side by side"
    make_once("site")
    return build / "site"


def _pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.parts)


def _target(page: Path, href: str) -> Path:
    return (page.parent / unquote(urlsplit(href).path)).resolve()


def test_site_holds_both_editions(site, built_book, zh_book):
    english = {p.relative_to(built_book) for p in _pages(built_book)}
    chinese = {p.relative_to(zh_book) for p in _pages(zh_book)}
    assert english == {p.relative_to(site) for p in _pages(site) if p.relative_to(site).parts[0] != "zh"}
    assert chinese == {p.relative_to(site / "zh") for p in _pages(site / "zh")}
    assert (site / "index.html").exists() and (site / "zh" / "index.html").exists()


def test_every_switch_lands_on_the_same_page_and_back(site):
    chapters = 0
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        found = SWITCH.findall(text)
        if page.name in {"search.html", "genindex.html"} or 'http-equiv="Refresh"' in text:
            continue  # generated pages, and the root's redirect to intro.html
        assert len(found) == 1, f"{page.relative_to(site)}: {len(found)} edition switches"
        other = _target(page, found[0])
        in_zh = page.relative_to(site).parts[0] == "zh"
        expected = site / page.relative_to(site / "zh") if in_zh else site / "zh" / page.relative_to(site)
        assert other == expected.resolve(), f"{page.relative_to(site)} -> {found[0]}"
        back = SWITCH.findall(other.read_text(encoding="utf-8"))
        assert _target(other, back[0]) == page.resolve(), f"{other.relative_to(site)} does not link back"
        chapters += "chapters" in page.parts
    assert chapters >= 2 * 15


def test_no_link_leaves_the_site_or_misses_a_file(site):
    """Relative links (pages, stylesheets, scripts, images) resolve to files of the site."""
    root = site.resolve()
    broken = []
    for page in _pages(site):
        for href in LINK.findall(page.read_text(encoding="utf-8")):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path or href.startswith("#"):
                continue
            target = _target(page, href)
            if not target.is_relative_to(root) or not target.exists():
                broken.append((str(page.relative_to(site)), href))
    assert not broken, broken[:10]


def test_the_chinese_edition_names_its_own_address(site):
    """A Chinese page's canonical address is its own, in the site's zh/ folder."""
    baseurl = _load("book_edition").site_baseurl()
    page = (site / "zh" / "chapters" / "glossary.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{baseurl}zh/chapters/glossary.html"' in page
    english = (site / "chapters" / "glossary.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{baseurl}chapters/glossary.html"' in english


def test_student_site_is_the_student_book_alone(built_book, tmp_path):
    """With --student the site has no Chinese edition (it shows solutions) and no switch to it."""
    build = tmp_path / "_build"
    student = build / "student" / "html"
    student.mkdir(parents=True)
    for name in ("index.html", "intro.html", "chapters/glossary.html"):
        (student / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(built_book / name, student / name)
    assert SWITCH.search((student / "intro.html").read_text(encoding="utf-8"))
    out = assemble_site.assemble(tmp_path / "site", student=True, build=build)
    assert not (out / "zh").exists()
    for page in _pages(out):
        assert "edition-switch" not in page.read_text(encoding="utf-8"), page
    assert (out / "chapters" / "glossary.html").exists()


def test_site_switch_rejects_a_foreign_layout():
    with pytest.raises(ValueError, match="build layout"):
        assemble_site.site_switch('<p class="edition-switch"><a href="../elsewhere/a.html">', "en")


def test_the_examples_in_the_scripts_hold():
    """The scripts are not collected as doctests (testpaths): their examples are
    run here, in a fresh interpreter (other tests import the same modules)."""
    import subprocess
    import sys

    for script in ("assemble_site.py", "book_edition.py"):
        run = subprocess.run([sys.executable, "-m", "doctest", "-v", f"scripts/{script}"],
                             cwd=ROOT, capture_output=True, text=True)  # fmt: skip
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        passed = re.search(r"(\d+) passed and 0 failed", run.stdout)
        assert passed and int(passed[1]) >= 2, f"{script}: {run.stdout[-300:]}"
