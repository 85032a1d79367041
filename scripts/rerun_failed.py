"""Sphinx extension: a book that warned is read again, whole, until it is clean.

Sphinx re-reads only the pages whose source changed and repeats no warning
of a page it does not read again, so under ``-W`` a build fails once and the
next one passes with the same fault still on the page: a notebook whose
execution failed (a missing package, say) keeps its traceback in the saved
environment (myst-nb caches only successful executions), a cell's stray
stderr stays, and a duplicate label, once read, belongs to one page and is
never reported again. And a page that links to a label on another page is
not written again when that other page loses the label.

So this extension, loaded by every edition from ``_config.yml``
(``make book``, ``make book-zh``, ``make book-student``):

* records, at the first warning of a build, that the build warned (a file
  beside the saved environment, written at once, so an interrupted build
  is remembered too); the next build then reads every page again (executed
  notebooks come from the cache; a failed one runs again), and fails again
  until the fault is fixed;
* writes every page whenever any page was read, so every cross-reference
  is resolved against the labels as they are now.

An unchanged, clean book reads, writes and executes nothing.
``tests/test_book_rebuild.py`` builds small books both ways.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

MARKER = "last-build-warned"


def _marker(app: Sphinx) -> Path:
    return Path(app.doctreedir) / MARKER


class WarningRecorder(logging.Handler):
    """Writes the marker at the first warning of the build."""

    def __init__(self, marker: Path) -> None:
        super().__init__(logging.WARNING)
        self.marker = marker

    def emit(self, record: logging.LogRecord) -> None:
        if not self.marker.exists():
            self.marker.parent.mkdir(parents=True, exist_ok=True)
            self.marker.write_text("a warning was raised; read every page again\n", encoding="utf-8")


def start(app: Sphinx) -> None:
    """Note whether the last build warned, then start recording this one's."""
    marker = _marker(app)
    app._read_everything = marker.exists()  # type: ignore[attr-defined]
    marker.unlink(missing_ok=True)
    app._warnings = WarningRecorder(marker)  # type: ignore[attr-defined]
    logging.getLogger("sphinx").addHandler(app._warnings)  # type: ignore[attr-defined]


def read_again(app: Sphinx, env: BuildEnvironment, added: set[str],
               changed: set[str], removed: set[str]) -> list[str]:  # fmt: skip
    """Every page, after a build that warned; none otherwise."""
    del added, changed  # the event's signature
    return sorted(env.found_docs - removed) if app._read_everything else []  # type: ignore[attr-defined]


def before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Forget what every page about to be read defined, before any is read.

    Sphinx forgets a page's labels just before reading it, so a page read
    early would see a label that a page read later is about to drop, and
    report it as a duplicate."""
    for docname in docnames:
        app.events.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)
    app._pages_read = len(docnames)  # type: ignore[attr-defined]


def write_everything(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every page, to be written, when any page was read."""
    return sorted(env.found_docs) if getattr(app, "_pages_read", 0) else []


def stop(app: Sphinx, exception: Exception | None) -> None:
    del exception
    logging.getLogger("sphinx").removeHandler(app._warnings)  # type: ignore[attr-defined]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", start)
    app.connect("env-get-outdated", read_again)
    app.connect("env-before-read-docs", before_reading)
    app.connect("env-updated", write_everything)
    app.connect("build-finished", stop)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
