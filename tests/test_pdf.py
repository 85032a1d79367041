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

from conftest import BUILD, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import build_pdf  # noqa: E402
from setup_cell import toc_files  # noqa: E402

RAW_TEX = re.compile(r"\\(frac|sum|begin|mathbf|left|right|partial)\b|\$\$")


@pytest.fixture(scope="module")
def editions(built_book) -> dict[str, Path]:
    out = BUILD / "pdf"
    paths = {}
    for student, name in ((False, "full"), (True, "student")):
        paths[name] = out / f"ai-and-work{'-student' if student else ''}.pdf"
        build_pdf.print_edition(built_book, paths[name], student=student)
    return paths


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


def test_first_page_is_drawn(editions, tmp_path):
    """The title page rendered to an image is not blank."""
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils (pdftoppm) is installed by scripts/ensure_system_packages.sh"
    subprocess.run([pdftoppm, "-r", "40", "-png", "-f", "1", "-l", "1",
                    str(editions["full"]), str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    dark = int((np.asarray(image) < 128).sum())
    assert dark > 500, "the first page looks blank"
