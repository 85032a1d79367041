"""Sphinx extension: a page whose notebook failed to execute is read again.

Sphinx re-reads only the pages whose source changed. A notebook whose
execution failed (a missing package, say) leaves its traceback in the saved
environment (``_build/.doctrees``), and myst-nb caches only successful
executions. Without this extension, fixing the environment and building
again would report success and serve the page with the old traceback. With
it, every build re-reads (and so re-executes) each page whose last execution
failed, until it succeeds; an unchanged, successful book re-executes nothing.
``tests/test_book_rebuild.py`` builds a small book both ways.
"""

from __future__ import annotations

from typing import Any

from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def failed_pages(app: Sphinx, env: BuildEnvironment, added: set[str],
                 changed: set[str], removed: set[str]) -> list[str]:  # fmt: skip
    """The pages whose notebook's last execution did not succeed (to read again)."""
    del app, added, changed  # the event's signature; only the environment matters here
    failed = []
    for docname in sorted(env.found_docs - removed):
        data = NbMetadataCollector.get_exec_data(env, docname) if docname in env.all_docs else None
        if data is not None and data.get("succeeded") is False:
            failed.append(docname)
    return failed


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-get-outdated", failed_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
