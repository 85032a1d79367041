"""Print the built HTML book to two PDF editions with Debian's chromium.

``make pdf`` runs this after ``make book``. Every page of ``_toc.yml`` is
opened from a loopback server (so MathJax, the diagrams and the figures are
drawn exactly as a reader sees them), printed with print styles that wrap
long code lines instead of cutting them, and the pages are joined into one
PDF with a bookmark per page:

* ``_build/pdf/ai-and-work.pdf``: the whole book, every solution shown;
* ``_build/pdf/ai-and-work-student.pdf``: the same without any solution.

``--edition zh`` prints the Chinese edition (``make book-zh``) the same way,
into ``_build/zh/pdf/ai-and-work-zh.pdf`` and ``ai-and-work-zh-student.pdf``;
its text is drawn with the CJK font of ``fonts-noto-cjk``.

Jupyter Book's own ``pdfhtml`` builder downloads a browser of its own; this
script uses the chromium the browser tests drive (``$CHROMIUM`` or ``PATH``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import mimetypes
import os
import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from setup_cell import toc_files  # noqa: E402

mimetypes.add_type("text/javascript", ".mjs")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Print styles: wrap code and outputs instead of cutting them at the margin,
# keep figures whole, drop the page chrome (sidebars, buttons, launch menus).
PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
pre, pre code, .highlight pre, .output pre, div.cell_output pre {
  white-space: pre-wrap !important; word-break: break-word !important;
  overflow-wrap: anywhere !important; overflow: visible !important;
  max-height: none !important; font-size: 8.5pt !important;
}
.bd-sidebar-primary, .bd-sidebar-secondary, .bd-header, .bd-header-article,
.header-article-items, .bd-footer, .bd-footer-article, .prev-next-area,
.prev-next-footer, .toggle-button, button.toggle-button, .copybtn,
.headerlink, .search-button, .sidebar-toggle, #pst-back-to-top,
.widget-area .widget-subarea { display: none !important; }
.bd-main, .bd-content, .bd-article-container, .bd-container__inner {
  max-width: 100% !important; width: 100% !important; margin: 0 !important;
}
img, svg, figure, .cell_output img { max-width: 100% !important; break-inside: avoid; }
h1, h2, h3 { break-after: avoid; }
.toggle-hidden { display: block !important; visibility: visible !important; }
details > *, details { display: block !important; }
"""

# Show every collapsed block for the full edition; remove the solutions for
# the student edition (sphinx-exercise renders each as ``div.solution``, gated
# solutions included, with their code cells inside).
SHOW_ALL_JS = """
() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
}
"""
REMOVE_SOLUTIONS_JS = """
() => {
  document.querySelectorAll('div.solution').forEach(e => e.remove());
  return document.querySelectorAll('div.solution').length;
}
"""
OVERFLOW_JS = """
() => Array.from(document.querySelectorAll('pre'))
    .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1).length
"""
READY_JS = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const pending = () => Array.from(document.querySelectorAll('.mermaid'))
      .filter(e => !e.querySelector('svg')).length;
  for (let i = 0; i < 100 && pending() > 0; i++) {
    await new Promise(r => setTimeout(r, 100));
  }
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
      new Promise(r => { img.onload = img.onerror = r; })));
  return pending();
}
"""


#: Each edition: its built HTML, its PDF folder, the PDFs' file stem, and what
#: the student edition's title adds.
EDITIONS = {
    "en": ("_build/html", "_build/pdf", "ai-and-work", " (student edition)"),
    "zh": ("_build/zh/html", "_build/zh/pdf", "ai-and-work-zh", "（学生版）"),
}


def edition_title(edition: str) -> str:
    """The book's title in ``edition`` (the Chinese one from ``intro.po``)."""
    import yaml

    if edition == "zh":
        from book_edition import translated_title

        return translated_title()
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def find_chromium() -> str:
    """The chromium to print with: ``$CHROMIUM``, else the first on ``PATH``."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit(
        "No chromium found: install Debian's chromium (apt-get install chromium) "
        "or set CHROMIUM to its path."
    )


def page_title(page) -> str:
    heading = page.query_selector("main h1") or page.query_selector("h1")
    text = heading.inner_text() if heading else page.title()
    return text.replace("#", "").strip()


def print_editions(html_dir: Path, outs: dict[bool, Path], *,
                   pages: list[str] | None = None, title: str | None = None,
                   student_suffix: str = EDITIONS["en"][3]) -> dict[bool, int]:  # fmt: skip
    """Print the TOC pages of ``html_dir`` into one PDF per edition.

    ``outs`` maps ``student`` (False: every solution shown; True: none) to the
    PDF to write. Each page is opened and typeset once, printed whole, and
    printed again without its solutions if the student edition is asked for.
    ``pages`` (document names) restricts the print to some pages; ``title``
    (default: the English book's) is the PDFs' title, followed by
    ``student_suffix`` in the student edition. Returns the number of PDF
    pages of each edition.
    """
    from playwright.sync_api import sync_playwright
    from pypdf import PdfWriter

    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    writers = {student: PdfWriter() for student in outs}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(),
                                        args=CHROMIUM_ARGS)
            # The printable width of A4 with these margins (182 mm at 96 dpi), so
            # that what overflows here is what would be cut on paper.
            page = browser.new_page(viewport={"width": 688, "height": 1000})
            for name in pages or toc_files():
                page.goto(base + name + ".html", wait_until="load")
                pending = page.evaluate(READY_JS)
                if pending:
                    raise SystemExit(f"{name}: {pending} diagram(s) were not drawn.")
                page.emulate_media(media="print")
                page.add_style_tag(content=PRINT_CSS)
                page.evaluate(SHOW_ALL_JS)
                cut = page.evaluate(OVERFLOW_JS)
                if cut:
                    raise SystemExit(f"{name}: {cut} code block(s) wider than the page.")
                heading = page_title(page)
                for student in sorted(outs):  # the full edition first: removing is for good
                    if student and page.evaluate(REMOVE_SOLUTIONS_JS):
                        raise SystemExit(f"{name}: a solution is still on the page.")
                    _append_page(writers[student], page, heading)
            browser.close()
    finally:
        server.shutdown()
    counts = {}
    for student, out in outs.items():
        name = (title or edition_title("en")) + (student_suffix if student else "")
        writers[student].add_metadata({"/Title": name})
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as handle:
            writers[student].write(handle)
        counts[student] = len(writers[student].pages)
    return counts


def _append_page(writer, page, heading: str) -> None:
    """Print the open page, with ``heading`` and the page number in the footer,
    and append it to ``writer`` with a bookmark."""
    from pypdf import PdfReader

    pdf = page.pdf(format="A4", print_background=True, display_header_footer=True,
                   header_template="<span></span>",
                   footer_template=('<div style="font-size:7pt;width:100%;'
                                    'text-align:center;color:#666">'
                                    f'{_escape(heading)} · <span class="pageNumber">'
                                    "</span></div>"))  # fmt: skip
    start = len(writer.pages)
    writer.append(PdfReader(io.BytesIO(pdf)))
    writer.add_outline_item(title=heading, page_number=start)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", choices=sorted(EDITIONS), default="en",
                        help="en: _build/html into _build/pdf; zh: _build/zh/html into _build/zh/pdf")
    parser.add_argument("--html", help="the built book (default: the edition's)")
    parser.add_argument("--out", help="the folder of the PDFs (default: the edition's)")
    args = parser.parse_args()
    html_default, out_default, stem, suffix = EDITIONS[args.edition]
    html_dir = Path(args.html or ROOT / html_default)
    if not (html_dir / "index.html").exists():
        target = "book-zh" if args.edition == "zh" else "book"
        raise SystemExit(f"No built book in {html_dir}: run `make {target}` first.")
    out = Path(args.out or ROOT / out_default)
    outs = {False: out / f"{stem}.pdf", True: out / f"{stem}-student.pdf"}
    counts = print_editions(html_dir, outs, title=edition_title(args.edition), student_suffix=suffix)
    for student, path in outs.items():
        print(f"{path}: {counts[student]} pages, {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
