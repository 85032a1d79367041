"""A page whose notebook failed is never served as built, and an unchanged
book re-executes nothing.

A small book in a temporary folder, built with the book's own configuration
and Sphinx extensions (``_config.yml``, ``scripts/``) by the same command as
`make book`: its notebook imports a module that does not exist yet, as the
chapters once imported a package the book's environment lacked. The first
build must fail; once the module exists (the environment fixed, the notebook
unchanged), the next build must succeed with no traceback on the page; and a
build after that must execute no notebook.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import ROOT

JB = Path(sys.executable).with_name("jupyter-book")


@pytest.fixture
def small_book(tmp_path: Path) -> Path:
    book = tmp_path / "book"
    book.mkdir()
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    (book / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: page\n",
                                   encoding="utf-8")  # fmt: skip
    (book / "intro.md").write_text("# A small book\n\nOne page.\n", encoding="utf-8")
    for name in ("scripts", "_vendor"):
        (book / name).symlink_to(ROOT / name, target_is_directory=True)
    shutil.copy(ROOT / "references.bib", book / "references.bib")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A page that needs a module"),
                nbformat.v4.new_code_cell("import probe_helper\nprint('value', probe_helper.VALUE)")]  # fmt: skip
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, book / "page.ipynb")
    return book


def _build(book: Path) -> tuple[int, str]:
    """`make book`'s build command on ``book``: its exit code and log."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    proc = subprocess.run([str(JB), "build", str(book), "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, env=env, cwd=book)  # fmt: skip
    return proc.returncode, proc.stdout + proc.stderr


def test_failed_page_fails_every_build_until_fixed_then_nothing_reruns(small_book):
    page = small_book / "_build" / "html" / "page.html"

    code, log = _build(small_book)
    assert code != 0, "a failing notebook must fail the build"
    assert "ModuleNotFoundError" in log

    code, log = _build(small_book)
    assert code != 0, f"the second build, nothing fixed, passed:\n{log[-3000:]}"

    (small_book / "probe_helper.py").write_text("VALUE = 42\n", encoding="utf-8")
    code, log = _build(small_book)
    assert code == 0, log[-3000:]
    assert "Executing notebook" in log, "the failed page was not executed again"
    html = page.read_text(encoding="utf-8")
    assert "value 42" in html
    assert "ModuleNotFoundError" not in html and "Traceback" not in html

    code, log = _build(small_book)
    assert code == 0, log[-3000:]
    assert "Executing notebook" not in log, "an unchanged book re-executed a notebook"
    assert "value 42" in page.read_text(encoding="utf-8")
