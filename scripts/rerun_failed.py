"""Sphinx extension: a page that failed or warned is read again at the next build.

Sphinx re-reads only the pages whose source changed, and repeats no warning
of a page it does not read again. So under ``-W`` a build fails once and the
next one passes with the same fault still on the page: a notebook whose
execution failed (a missing package, say) keeps its traceback in the saved
environment, and myst-nb caches only successful executions; a cell's stray
stderr, or a link to a missing label, stays on the page too. With this
extension, every build records the pages that warned (a failed execution is
a warning), and the next build reads (so re-executes) them again: each fails
until it is fixed, and an unchanged, clean book re-executes nothing. Every
edition loads it from ``_config.yml`` (``make book``, ``make book-zh``,
``make book-student``); ``tests/test_book_rebuild.py`` builds a small book.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

RECORD = "pages-to-read-again.json"


class WarnedPages(logging.Handler):
    """Collects the page each warning of the build is about."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__(logging.WARNING)
        self.app = app
        self.pages: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        page = page_of(self.app.env, getattr(record, "location", None))
        if page is not None:
            self.pages.add(page)


def page_of(env: BuildEnvironment | None, location: Any) -> str | None:
    """The page a warning is about: from its location (a page, ``(page, line)``,
    a node or ``path:line``), else the page being read when it was raised."""
    if env is None:
        return None
    if isinstance(location, tuple) and location:
        location = location[0]
    if isinstance(location, nodes.Node):
        node = location
        while node is not None and getattr(node, "source", None) is None:
            node = node.parent
        location = None if node is None else node.source
    if isinstance(location, str):
        if location in env.found_docs:
            return location
        page = env.path2doc(location.split(":")[0]) if location else None
        if page is not None:
            return page
    return env.temp_data.get("docname")


def _record(app: Sphinx) -> Path:
    return Path(app.doctreedir) / RECORD


def pages_to_read_again(app: Sphinx, env: BuildEnvironment, added: set[str],
                        changed: set[str], removed: set[str]) -> list[str]:  # fmt: skip
    """The pages that warned in the last build (that still exist): read them again."""
    del added, changed  # the event's signature
    try:
        pages = json.loads(_record(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return sorted(set(pages) & (env.found_docs - removed))


def start_recording(app: Sphinx) -> None:
    app._warned_pages = WarnedPages(app)  # type: ignore[attr-defined]
    logging.getLogger("sphinx").addHandler(app._warned_pages)  # type: ignore[attr-defined]


def save_record(app: Sphinx, exception: Exception | None) -> None:
    """Write the pages that warned (none after a clean build) for the next build."""
    handler: WarnedPages = app._warned_pages  # type: ignore[attr-defined]
    logging.getLogger("sphinx").removeHandler(handler)
    pages = sorted(handler.pages)
    if exception is not None and app.env is not None:
        pages = sorted(set(pages) | set(app.env.found_docs))  # a crash: read everything again
    _record(app).parent.mkdir(parents=True, exist_ok=True)
    _record(app).write_text(json.dumps(pages), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", start_recording)
    app.connect("env-get-outdated", pages_to_read_again)
    app.connect("build-finished", save_record)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
