"""Sphinx extension for the book's HTML: pages that work wherever they are opened.

- Mermaid diagrams drawn by a classic script. sphinxcontrib-mermaid parses the
  ``{mermaid}`` directive, but its page script is an ES module, and browsers
  refuse a module's imports on a page opened from ``file://``. This extension
  keeps the directive and replaces that script with mermaid's classic build
  (``_static/mermaid/mermaid.min.js``, vendored in ``_vendor/``) and a small
  script that draws the diagrams (``_static/mermaid/render.js``).
- Launch buttons (Colab, Binder) only on pages that run there: pages whose
  name starts with a prefix in ``launch_buttons_exclude`` (the appendix, which
  reads the repository's stored benchmark results) get none.
- Accessible names the theme and docutils leave out, written into the pages
  after the build: each sidebar toggle (a ``<summary>`` holding only an icon)
  is named after its section, and the reference list loses a ``role="list"``
  whose children are not list items. ``_static/a11y/labels.js`` names the
  handles of widget sliders, which are drawn in the browser.
- Two editions (English and Simplified Chinese, ``scripts/book_edition.py``):
  every page starts with a link to the same page in the other edition; in the
  Chinese edition, a page not in ``translated_pages`` says in one line that it
  shows the English text, labelled ``lang="en"``. In the English edition (and
  on such a page), each run of Chinese text is wrapped in ``<span lang="zh">``
  so that it is read and rendered as Chinese.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinxcontrib.mermaid import install_js, mermaid

DIAGRAM_SCRIPTS = ("mermaid/mermaid.min.js", "mermaid/render.js")
DIAGRAM_STYLE = "mermaid/mermaid.css"
LABELS_SCRIPT = "a11y/labels.js"

_TOGGLE = re.compile(
    r'(<a class="(?:current )?reference internal" href="[^"]*">([^<]*)</a>'
    r'<details(?: open="open")?>)<summary>'
)
_CITATION_LIST = '<div role="list" class="citation-list">'


def add_diagram_scripts(app: Sphinx, pagename: str, templatename: str,
                        context: dict, doctree: Any) -> None:  # fmt: skip
    """Add the classic mermaid scripts to the pages that have a diagram."""
    if doctree is None or doctree.next_node(mermaid) is None:
        return
    for script in DIAGRAM_SCRIPTS:
        app.add_js_file(script)
    app.add_css_file(DIAGRAM_STYLE)


def drop_launch_buttons(app: Sphinx, pagename: str, templatename: str,
                        context: dict, doctree: Any) -> None:  # fmt: skip
    """Remove the theme's launch buttons from the excluded pages."""
    if not pagename.startswith(tuple(app.config.launch_buttons_exclude)):
        return
    buttons = context.get("header_buttons")
    if buttons:
        context["header_buttons"] = [b for b in buttons if b.get("label") != "launch-buttons"]


def name_unnamed_controls(html: str) -> str:
    """Give sidebar toggles an accessible name and drop a misused list role.

    >>> name_unnamed_controls('<a class="reference internal" href="p.html">Part I</a><details><summary>')
    '<a class="reference internal" href="p.html">Part I</a><details><summary aria-label="Sections of Part I">'
    """
    html = _TOGGLE.sub(lambda m: f'{m[1]}<summary aria-label="Sections of {m[2]}">', html)
    return html.replace(_CITATION_LIST, '<div class="citation-list">')


def fix_pages(app: Sphinx, exception: Exception | None) -> None:
    """Rewrite every built HTML page with :func:`name_unnamed_controls`."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = name_unnamed_controls(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


# Chinese characters and CJK punctuation (a run may contain spaces between them).
_CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
                      r"(?:[\s\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]*"
                      r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef])?")
_TAG = re.compile(r"(<[^>]*>)")
# Elements whose text is code, maths or diagram source: a span there would change it.
_RAW = ("pre", "script", "style", "textarea", "code", "math")
_OPEN = re.compile(r"<([a-zA-Z][\w-]*)([^>]*)>")
_CLOSE = re.compile(r"</([a-zA-Z][\w-]*)\s*>")
# Where the other edition's root is, seen from each edition's root: as built
# (_build/html and _build/zh/html), and on the published site, which has the
# English book at its root and the Chinese edition in zh/
# (scripts/assemble_site.py rewrites the one into the other).
EDITION_ROOTS = {"en": "../zh/html/", "zh_CN": "../../html/"}
SITE_EDITION_ROOTS = {"en": "zh/", "zh_CN": "../"}
UNTRANSLATED_NOTE = "本页尚未译成中文，以下为英文原文。"


def mark_chinese(html: str) -> str:
    """Wrap each run of Chinese text in ``<span lang="zh">``, outside code and maths.

    >>> mark_chinese('<p>crowdsourcing (众包用工)</p><pre>x = "众包"</pre>')
    '<p>crowdsourcing (<span lang="zh">众包用工</span>)</p><pre>x = "众包"</pre>'
    >>> mark_chinese('<span class="math">成本</span> 成本')
    '<span class="math">成本</span> <span lang="zh">成本</span>'
    """
    out = []
    raw: list[str] = []  # the stack of open elements inside a raw element
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            opened, closed = _OPEN.match(piece), _CLOSE.match(piece)
            if opened and not piece.endswith("/>"):
                name, attrs = opened[1].lower(), opened[2]
                if raw or name in _RAW or re.search(r'class="[^"]*\bmath\b', attrs) or 'lang="' in attrs:
                    raw.append(name)
            elif closed and raw and closed[1].lower() == raw[-1]:
                raw.pop()
            out.append(piece)
        elif raw:
            out.append(piece)
        else:
            out.append(_CJK_RUN.sub(lambda m: f'<span lang="zh">{m[0]}</span>', piece))
    return "".join(out)


def edition_switch(app: Sphinx, pagename: str, templatename: str,
                   context: dict, doctree: Any) -> None:  # fmt: skip
    """Start the page with a link to the other edition and, if due, the note."""
    if app.builder.format != "html" or "body" not in context:
        return
    chinese = app.config.language == "zh_CN"
    up = "../" * pagename.count("/")
    target = up + EDITION_ROOTS["zh_CN" if chinese else "en"] + pagename + ".html"
    if chinese:
        link = f'<a href="{target}" hreflang="en" lang="en">English</a>'
    else:
        link = f'<a href="{target}" hreflang="zh-CN" lang="zh">中文</a>'
    head = f'<p class="edition-switch">{link}</p>\n'
    body = context["body"]
    if chinese and doctree is not None and pagename not in app.config.translated_pages:
        head += f'<p class="untranslated-note admonition note">{UNTRANSLATED_NOTE}</p>\n'
        # The page is <html lang="zh-CN">: its English text is labelled, so that
        # it is read (screen readers) and hyphenated as English.
        body = f'<div lang="en">\n{mark_chinese(body)}\n</div>'
    if not chinese:
        body = mark_chinese(body)
    context["body"] = head + body


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.mermaid")
    # Drop sphinxcontrib-mermaid's module script; ours draws the same nodes.
    listeners = app.events.listeners["html-page-context"]
    app.events.listeners["html-page-context"] = [
        listener for listener in listeners if listener.handler is not install_js
    ]
    app.connect("html-page-context", add_diagram_scripts)
    app.add_config_value("launch_buttons_exclude", [], "html")
    # After sphinx-book-theme adds its buttons (priority 501).
    app.connect("html-page-context", drop_launch_buttons, priority=502)
    app.add_js_file(LABELS_SCRIPT)
    app.add_css_file("a11y/contrast.css")
    app.connect("build-finished", fix_pages)
    app.add_config_value("translated_pages", [], "html")
    app.connect("html-page-context", edition_switch)
    app.add_css_file("edition/switch.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
