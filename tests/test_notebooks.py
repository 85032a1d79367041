"""The chapter notebooks as committed: no outputs, one identical setup cell
consistent with _config.yml, an H1 title, unique exercise labels, and a
registered automatic check for every check() a notebook calls.

(The notebooks are *executed* by the book build; see test_book.py.)
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from lib.checks import exercise_labels

sys.path.insert(0, str(ROOT / "scripts"))
from setup_cell import (  # noqa: E402
    all_notebooks,
    archive_url,
    chapter_notebooks,
    distribution_name,
    first_code_cell,
    package_version,
    setup_cell_source,
    toc_files,
)

NOTEBOOKS = chapter_notebooks()
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
ALL = all_notebooks()
ALL_IDS = [str(p.relative_to(ROOT)) for p in ALL]
LABEL_RE = re.compile(r"```\{exercise\}[^\n]*\n:label:\s*(\S+)")
CHECK_RE = re.compile(r"""check\(\s*["']([\w-]+)["']""")


def test_there_are_notebooks():
    assert NOTEBOOKS, "no chapter notebooks found"


def test_every_notebook_is_in_the_toc():
    listed = set(toc_files())
    for path in ALL:
        assert str(path.relative_to(ROOT).with_suffix("")) in listed, f"{path} is not in _toc.yml"


@pytest.mark.parametrize("path", ALL, ids=ALL_IDS)
def test_no_outputs_committed(path: Path):
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {index} of {path.name} has outputs"
            assert cell.execution_count is None, f"cell {index} of {path.name} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_setup_cell_is_the_pinned_one(path: Path):
    nb = nbformat.read(path, as_version=4)
    cell = first_code_cell(nb)
    assert cell is not None
    assert cell.source == setup_cell_source(), (
        f"{path.name}: the setup cell differs from the one rendered from _config.yml; "
        "run `python scripts/setup_cell.py --write`"
    )


def test_setup_cell_uses_the_repository_reference():
    source = setup_cell_source()
    assert archive_url() in source
    assert "--no-deps" in source
    # It asks whether the course's distribution is installed, not whether some
    # folder named `lib` happens to be importable.
    assert f'importlib.metadata.version("{distribution_name()}")' in source
    # It must never (re)install or pin what Colab already ships.
    for package in ("numpy", "scipy", "sympy", "matplotlib", "ipywidgets"):
        assert f"install {package}" not in source and f"{package}==" not in source


def _run_setup(tmp_path, env, prelude):
    script = tmp_path / "setup.py"
    script.write_text(prelude + setup_cell_source() + "\nprint('ok', lib.__name__)\n", encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", **env})


def test_setup_cell_installs_nothing_where_lib_is_installed(tmp_path):
    """Where the course's distribution is installed (here), the cell calls no
    pip and says so in one sentence."""
    prelude = ("import subprocess\n"
               "def _no(*a, **k):\n    raise SystemExit('pip was called')\n"
               "subprocess.run = _no\n")
    out = _run_setup(tmp_path, {}, prelude)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Setup: lib ") and "nothing was installed" in out.stdout
    assert out.stdout.strip().endswith("ok lib")


def test_setup_cell_installs_where_lib_is_missing(tmp_path):
    """Where the distribution is missing (Colab, a JupyterHub, a local Jupyter),
    the cell calls pip with --no-deps on the pinned archive, or on
    COURSE_LIB_SOURCE when set, and says what it did."""
    # The distribution is missing until pip has run; then it has the
    # notebook's version.
    prelude = ("import importlib.metadata, json, subprocess, sys\ncalls = []\n"
               "def _missing(name):\n    if not calls:\n"
               "        raise importlib.metadata.PackageNotFoundError(name)\n"
               f"    return {package_version()!r}\n"
               "importlib.metadata.version = _missing\n"
               "subprocess.run = lambda args, check: calls.append(args)\n"
               "import atexit\natexit.register(lambda: print(json.dumps(calls)))\n")
    for env, source in (({}, archive_url()), ({"COURSE_LIB_SOURCE": "/tmp/wheel.whl"}, "/tmp/wheel.whl")):
        out = _run_setup(tmp_path, env, prelude)
        assert out.returncode == 0, out.stderr
        lines = out.stdout.strip().splitlines()
        (call,) = __import__("json").loads(lines[-1])
        assert call[1:4] == ["-m", "pip", "install"]
        assert "--no-deps" in call and call[-1] == source
        assert lines[0] == f"Setup: installed lib {package_version()} from {source} without changing other packages."


def test_setup_cell_says_the_course_moved_on_when_a_fresh_install_has_another_version(tmp_path):
    """Colab, a notebook saved from main: the archive now holds another
    version. Reinstalling cannot help, so the sentence says to reopen the
    chapter from the book."""
    prelude = ("import importlib.metadata, subprocess\ncalls = []\n"
               "def _version(name):\n    if not calls:\n"
               "        raise importlib.metadata.PackageNotFoundError(name)\n"
               "    return '99.0.0.dev0'\n"
               "importlib.metadata.version = _version\n"
               "subprocess.run = lambda args, check: calls.append(args)\n")
    out = _run_setup(tmp_path, {}, prelude)
    assert out.returncode != 0
    message = out.stderr.strip().splitlines()[-1]
    assert message == (f"RuntimeError: This notebook needs lib {package_version()} but {archive_url()} holds "
                       "lib 99.0.0.dev0: the course has moved on since this notebook was saved, so open the "
                       "chapter again from the book."), message  # fmt: skip


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_shape(path: Path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "no H1 title first"
    assert sum(1 for c in nb.cells if c.cell_type == "markdown" and c.source.lstrip().startswith("# ")) == 1
    assert ":::{admonition} Source" in first.source, "the first cell needs the Source box"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    text = "\n".join(c.source for c in nb.cells)
    assert "np.random.seed(" not in text, "use np.random.default_rng(seed) instead"
    assert not re.search(r"default_rng\(\s*\)", text), "every generator needs an explicit seed"


def _all_sources() -> dict[Path, str]:
    pages = list((ROOT / "chapters").rglob("*.md")) + [ROOT / "intro.md"]
    sources = {p: p.read_text(encoding="utf-8") for p in pages}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        sources[path] = "\n".join(c.source for c in nb.cells)
    return sources


def test_exercise_labels_unique_book_wide():
    seen: dict[str, Path] = {}
    for path, text in _all_sources().items():
        for label in LABEL_RE.findall(text):
            assert label not in seen, f"exercise label {label} used in {seen[label]} and {path}"
            seen[label] = path


def test_every_called_check_is_registered_and_is_an_exercise():
    labels = {label for text in _all_sources().values() for label in LABEL_RE.findall(text)}
    registered = set(exercise_labels())
    called = {label for text in _all_sources().values() for label in CHECK_RE.findall(text)}
    assert called <= registered, f"check() called with unregistered labels: {called - registered}"
    assert registered <= labels, f"checks without an exercise in the book: {registered - labels}"


@pytest.mark.parametrize("path", ALL, ids=ALL_IDS)
def test_figures_have_alt_text(path: Path):
    """A cell that shows a figure describes it for readers who cannot see it."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "plt.show()" in cell.source:
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 20, f"cell {index} of {path.name} shows a figure without alt text"
