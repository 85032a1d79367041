"""Assemble the published site from the built editions.

The two editions are built side by side (``_build/html`` and
``_build/zh/html``), and each page's edition switch links to the same page in
the other folder. The site puts the English book at its root and the Chinese
edition under ``zh/``::

    _build/site/index.html ...        the English book (_build/html)
    _build/site/zh/index.html ...     the Chinese edition (_build/zh/html)
    _build/site/*.pdf, zh/*.pdf       the PDF editions, where they were printed

so the switch links are rewritten from the local layout to the site's
(``scripts/book_html.py`` holds both). With ``--student`` the site is the
student book alone: the Chinese edition shows solutions, so it is left out,
and so are the switches that would lead to it.

Usage (from the repository root, after ``make book book-zh``)::

    python scripts/assemble_site.py [--student] [--out _build/site]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
sys.path.insert(0, str(ROOT / "scripts"))

from book_html import EDITION_ROOTS, SITE_EDITION_ROOTS  # noqa: E402

_SWITCH = re.compile(r'(<p class="edition-switch"><a href=")((?:\.\./)*)([^"]*)(")')
_SWITCH_PARAGRAPH = re.compile(r'<p class="edition-switch">.*?</p>\n?', re.S)


def site_switch(page: str, edition: str) -> str:
    """Rewrite a page's edition switch from the build layout to the site's.

    ``edition`` is the page's own edition (``"en"`` or ``"zh_CN"``).

    >>> site_switch('<p class="edition-switch"><a href="../../zh/html/a/b.html">', "en")
    '<p class="edition-switch"><a href="../zh/a/b.html">'
    >>> site_switch('<p class="edition-switch"><a href="../../../html/a/b.html">', "zh_CN")
    '<p class="edition-switch"><a href="../../a/b.html">'
    """
    local, site = EDITION_ROOTS[edition], SITE_EDITION_ROOTS[edition]

    def replace(match: re.Match) -> str:
        href = match[2] + match[3]
        depth = match[2].count("../") - local.count("../")
        if depth < 0 or not href.startswith("../" * depth + local):
            raise ValueError(f"an edition switch not in the build layout: {href!r}")
        return match[1] + "../" * depth + site + href[len("../" * depth + local):] + match[4]

    return _SWITCH.sub(replace, page)


def _copy_edition(source: Path, target: Path, edition: str | None) -> None:
    """Copy a built edition; rewrite its switches (``edition``) or drop them (None)."""
    shutil.copytree(source, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))  # fmt: skip
    for page in target.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _SWITCH_PARAGRAPH.sub("", text) if edition is None else site_switch(text, edition)
        if new != text:
            page.write_text(new, encoding="utf-8")


def assemble(out: Path, *, student: bool = False, build: Path = BUILD) -> Path:
    """Write the site into ``out`` (emptied first) and return it."""
    if out.exists():
        shutil.rmtree(out)
    english = build / ("student/html" if student else "html")
    if not (english / "index.html").exists():
        raise SystemExit(f"No built book in {english}: run `make {'book-student' if student else 'book'}`.")
    if student:
        _copy_edition(english, out, None)
        return out
    chinese = build / "zh" / "html"
    if not (chinese / "index.html").exists():
        raise SystemExit(f"No Chinese edition in {chinese}: run `make book-zh`.")
    _copy_edition(english, out, "en")
    _copy_edition(chinese, out / "zh", "zh_CN")
    for pdf_dir, target in ((build / "pdf", out), (build / "zh" / "pdf", out / "zh")):
        for pdf in sorted(pdf_dir.glob("*.pdf")):
            shutil.copy2(pdf, target / pdf.name)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", action="store_true",
                        help="publish the student book alone")  # fmt: skip
    parser.add_argument("--out", default=str(BUILD / "site"))
    args = parser.parse_args()
    out = assemble(Path(args.out), student=args.student)
    print(f"Site assembled in {out}")


if __name__ == "__main__":
    main()
