"""A page whose notebook failed, or that warned, is never served as built,
and an unchanged book re-executes nothing.

A small book in a temporary folder, built with the book's own configuration
and Sphinx extensions (``_config.yml``, ``scripts/``) by the same command as
`make book`: its notebook imports a module that does not exist yet, as the
chapters once imported a package the book's environment lacked. The first
build must fail; once the module exists (the environment fixed, the notebook
unchanged), the next build must succeed with no traceback on the page; and a
build after that must execute no notebook. The same holds for a page whose
cell writes to stderr and a page that links to a missing label (warnings,
which `-W` makes errors): they fail every build until they are fixed.
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
    _notebook(book / "page.ipynb", "# A page that needs a module",
              "import probe_helper\nprint('value', probe_helper.VALUE)")  # fmt: skip
    return book


def _notebook(path: Path, *sources: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(sources[0]), *map(nbformat.v4.new_code_cell, sources[1:])]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


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


def test_pages_that_warned_fail_every_build_until_fixed(small_book):
    """A cell writing to stderr and a link to a missing label: warnings, so
    errors under -W, on every build until fixed; then nothing runs again."""
    (small_book / "probe_helper.py").write_text("VALUE = 1\n", encoding="utf-8")
    _notebook(small_book / "page.ipynb", "# A page with output",
              "import sys\nprint('stray line', file=sys.stderr)")  # fmt: skip
    (small_book / "intro.md").write_text("# A small book\n\nSee {ref}`no-such-label`.\n", encoding="utf-8")
    for attempt in (1, 2):
        code, log = _build(small_book)
        assert code != 0, f"build {attempt} with the faults passed:\n{log[-3000:]}"
        assert "stderr" in log and "no-such-label" in log, log[-3000:]

    _notebook(small_book / "page.ipynb", "# A page with output", "print('clean line')")
    (small_book / "intro.md").write_text("# A small book\n\nOne page.\n", encoding="utf-8")
    code, log = _build(small_book)
    assert code == 0, log[-3000:]
    assert "stray line" not in (small_book / "_build" / "html" / "page.html").read_text(encoding="utf-8")
    code, log = _build(small_book)
    assert code == 0 and "Executing notebook" not in log, log[-3000:]


def test_a_change_to_lib_or_the_lock_clears_every_editions_saved_state(tmp_path):
    """scripts/cache_guard.py (run by `make book`, `make book-zh` and
    `make book-student`): after lib or the book lock changes, the execution
    cache and the saved state of all three editions go, so none serves
    outputs of the old lib."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from cache_guard import _paths, guard

    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "m.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "requirements-book.lock").write_text("numpy==2.0\n", encoding="utf-8")
    cache, doctrees, _ = _paths(tmp_path)

    def fill() -> None:
        (cache).mkdir(parents=True, exist_ok=True)
        (cache / "global.db").write_text("", encoding="utf-8")
        for folder in doctrees:
            folder.mkdir(parents=True, exist_ok=True)

    guard(tmp_path)  # the first build records what it was built from
    fill()
    assert guard(tmp_path) is False and all(f.exists() for f in doctrees)
    for change in (lambda: (tmp_path / "lib" / "m.py").write_text("x = 2\n", encoding="utf-8"),
                   lambda: (tmp_path / "requirements-book.lock").write_text("numpy==2.1\n", encoding="utf-8")):  # fmt: skip
        fill()
        change()
        assert guard(tmp_path) is True
        assert not cache.exists() and not any(f.exists() for f in doctrees)
    assert "book-zh: $(BOOK_STAMP)\n\t$(BIN)/python scripts/cache_guard.py" in (ROOT / "Makefile").read_text()


def test_labels_across_pages_are_checked_on_every_build(small_book):
    """A label that another page links to is removed, and later a label is
    defined twice: each fails every build until fixed, and fixing it leaves
    no false error behind (Sphinx alone would pass the second build)."""
    (small_book / "probe_helper.py").write_text("VALUE = 1\n", encoding="utf-8")
    (small_book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: page\n  - file: other\n", encoding="utf-8")
    labelled = "# A small book\n\n(the-target)=\n## A section\n\nText.\n"
    (small_book / "intro.md").write_text(labelled, encoding="utf-8")
    (small_book / "other.md").write_text("# Another page\n\nSee {ref}`the-target`.\n", encoding="utf-8")
    assert _build(small_book)[0] == 0

    (small_book / "intro.md").write_text("# A small book\n\n## A section\n\nText.\n", encoding="utf-8")
    for attempt in (1, 2):
        code, log = _build(small_book)
        assert code != 0 and "the-target" in log, f"build {attempt} without the label passed:\n{log[-2000:]}"
    (small_book / "intro.md").write_text(labelled, encoding="utf-8")
    assert _build(small_book)[0] == 0

    (small_book / "other.md").write_text("# Another page\n\n(the-target)=\n## Again\n\nSee {ref}`the-target`.\n",
                                         encoding="utf-8")  # fmt: skip
    for attempt in (1, 2):
        code, log = _build(small_book)
        assert code != 0 and "duplicate label" in log, f"build {attempt} with two labels passed:\n{log[-2000:]}"
    (small_book / "other.md").write_text("# Another page\n\nSee {ref}`the-target`.\n", encoding="utf-8")
    code, log = _build(small_book)
    assert code == 0, f"a false error after the fix:\n{log[-2000:]}"
    code, log = _build(small_book)
    assert code == 0 and "Executing notebook" not in log
