"""The PDF editions, printed from the built book by scripts/build_pdf.py:
every page is there, the mathematics is typeset, the Chinese headings are
rendered, and the student edition holds no solution."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from conftest import BUILD, ROOT, make_once

sys.path.insert(0, str(ROOT / "scripts"))
import build_pdf  # noqa: E402
from setup_cell import toc_files  # noqa: E402

RAW_TEX = re.compile(r"\\(frac|sum|begin|mathbf|left|right|partial)\b|\$\$")


@pytest.fixture(scope="module")
def editions(built_book) -> dict[str, Path]:
    """Both PDFs, printed by `make pdf` as the publishing workflow prints them."""
    del built_book  # `make pdf` prints the built book
    make_once("pdf")
    out = BUILD / "pdf"
    return {"full": out / "ai-and-work.pdf", "student": out / "ai-and-work-student.pdf"}


@pytest.fixture(scope="module")
def zh_pdf(zh_book) -> Path:
    """The Chinese edition's full PDF, printed by `make pdf-zh` as the
    publishing workflow prints it."""
    del zh_book  # `make pdf-zh` prints the built Chinese edition
    make_once("pdf-zh")
    _, out, stem, _ = build_pdf.EDITIONS["zh"]
    return ROOT / out / f"{stem}.pdf"


@functools.cache  # extracting 150 pages takes seconds
def _text(path: Path) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    # Chromium embeds some CJK characters as their Kangxi-radical forms.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def _page_titles(html: Path) -> list[str]:
    titles = []
    for name in toc_files():
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
        heading = re.sub(r"<[^>]+>|#", "", heading)
        titles.append(re.sub(r"\s+", " ", unicodedata.normalize("NFKC", heading)).strip())
    return titles


def test_both_editions_hold_every_page(editions, built_book):
    from pypdf import PdfReader

    for path in editions.values():
        text = _text(path)
        for title in _page_titles(built_book):
            assert title in text, f"{path.name}: page {title!r} missing"
        outline = [item.title for item in PdfReader(path).outline]
        assert len(outline) == len(toc_files())


def test_mathematics_is_typeset_and_chinese_rendered(editions):
    for path in editions.values():
        text = _text(path)
        assert not RAW_TEX.search(text), RAW_TEX.search(text)
        for heading in ("数学模型构建", "众包用工"):
            assert heading in text, f"{path.name}: {heading} not rendered"


def test_student_edition_holds_no_solution(editions):
    full, student = _text(editions["full"]), _text(editions["student"])
    assert full.count("Solution to") >= 20
    assert "Solution to" not in student
    assert len(student) < len(full)


def _dark_pixels(pdf: Path, tmp_path: Path) -> int:
    """How many pixels of the PDF's first page, drawn at 40 dpi, are dark."""
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils (pdftoppm) is installed by scripts/ensure_system_packages.sh"
    subprocess.run([pdftoppm, "-r", "40", "-png", "-f", "1", "-l", "1",
                    str(pdf), str(tmp_path / "p")], check=True)  # fmt: skip
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    return int((np.asarray(image) < 128).sum())


def test_first_page_is_drawn(editions, tmp_path):
    """The title page rendered to an image is not blank."""
    assert _dark_pixels(editions["full"], tmp_path) > 500, "the first page looks blank"


def _embedded_fonts(pdf: Path) -> set[tuple[str, str]]:
    """The (subtype, name) of each font the PDF's pages use."""
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(pdf).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts.add((str(font.get("/Subtype", "")), str(font.get("/BaseFont", ""))))
    return fonts


def _fonts_drawing_chinese(pdf: Path) -> int:
    """How many embedded fonts hold glyphs (with outlines) for CJK characters."""
    from pypdf import PdfReader

    han = re.compile(r"<(?:[0-9a-fA-F]{2,4})>\s*<(4[eE]|[5-8][0-9a-fA-F]|9[0-9a-fA-F])[0-9a-fA-F]{2}>")
    count, seen = 0, set()
    for page in PdfReader(pdf).pages:
        for ref in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            font = ref.get_object()
            if id(font) in seen or "/ToUnicode" not in font:
                continue
            seen.add(id(font))
            drawn = font.get("/CharProcs") or font.get("/DescendantFonts")
            if drawn and han.search(font["/ToUnicode"].get_object().get_data().decode("latin-1")):
                count += 1
    return count


def test_chinese_edition_is_printed_in_chinese(zh_pdf, zh_book, tmp_path):
    """The Chinese PDF holds the pages' translated headings, drawn with the
    CJK font (embedded), with the title in Chinese, and a drawn first page."""
    from pypdf import PdfReader

    text = _text(zh_pdf)
    titles = _page_titles(zh_book)
    assert len(titles) == len(toc_files())
    for title in titles:
        assert title in text, f"page {title!r} missing"
    assert "众包" in text and "对偶" in text  # the glossary's Chinese terms, as text
    assert not RAW_TEX.search(text), RAW_TEX.search(text)
    # The browser embeds the CJK font's (CFF) outlines as Type 3 glyphs, and
    # the Latin text in DejaVu: a PDF without them would have drawn no Chinese.
    fonts = _embedded_fonts(zh_pdf)
    assert any(subtype == "/Type3" or "CJK" in name for subtype, name in fonts), fonts
    assert _fonts_drawing_chinese(zh_pdf) > 0, "no embedded font maps its glyphs to Chinese characters"
    reader = PdfReader(zh_pdf)
    outline = [unicodedata.normalize("NFKC", item.title).strip() for item in reader.outline]
    assert outline == titles
    assert re.search(r"[\u4e00-\u9fff]", reader.metadata.title), reader.metadata.title
    assert _dark_pixels(zh_pdf, tmp_path) > 500, "the first page looks blank"
