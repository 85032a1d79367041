"""The setup cell every chapter starts with, rendered from ``_config.yml``.

``repository.url`` and ``repository.branch`` in ``_config.yml`` are the one
pinned reference of the course (``main`` on a development version, the tag
``v<version>`` on a release: ``scripts/release.py``). This script renders the setup cell from them;
``tests/test_notebooks.py`` checks that the first code cell of every chapter
is exactly this text, and ``python scripts/setup_cell.py --write`` rewrites
the cell in every notebook after the reference changes.

The cell asks whether the course's distribution (``project.name`` in
``pyproject.toml``) is installed, not whether ``import lib`` works: any folder
named ``lib`` on the path would import. When it is missing (Colab, a
JupyterHub, a local Jupyter), the cell installs it with ``pip --no-deps`` from
the repository's archive at the pinned reference (no git needed), or from
``COURSE_LIB_SOURCE`` when that is set (a local path, for tests). Then it
checks that the installed version is the one the notebook was written for
(``project.version``, rendered into the cell); when it is not, it stops with
one sentence saying what to run.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent

TEMPLATE = '''\
# Setup: make sure the course's package `lib` is installed, at the version this
# notebook was written for, wherever it runs (Colab, a JupyterHub, a local
# Jupyter). If it is missing, it is installed from the course repository at
# the notebook's reference; --no-deps keeps the packages already installed.
import importlib
import importlib.metadata
import os
import site
import subprocess
import sys

_wanted = "{version}"  # the version of lib this notebook was written for
_source = os.environ.get("COURSE_LIB_SOURCE", "{archive}")
_fresh = False
try:
    _version = importlib.metadata.version("{distribution}")
    print(f"Setup: lib {{_version}} is already installed, so nothing was installed.")
except importlib.metadata.PackageNotFoundError:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", _source],
        check=True,
    )
    if site.ENABLE_USER_SITE:  # pip may fall back to a user install
        site.addsitedir(site.getusersitepackages())
    importlib.invalidate_caches()
    _version, _fresh = importlib.metadata.version("{distribution}"), True
    print(f"Setup: installed lib {{_version}} from {{_source}} without changing other packages.")
if _version != _wanted and _fresh:
    raise RuntimeError(
        f"This notebook needs lib {{_wanted}} but {{_source}} holds lib {{_version}}: the course has "
        "moved on since this notebook was saved, so open the chapter again from the book."
    )
if _version != _wanted:
    raise RuntimeError(
        f"This notebook needs lib {{_wanted}} but lib {{_version}} is installed: run "
        f"`pip install --force-reinstall --no-deps {{_source}}`, restart the kernel "
        "(Colab: Runtime > Restart session) and run this cell again{hint}"
    )
import lib  # noqa: E402  (fails here, clearly, if the install did not work)'''


def repository_reference(root: Path = ROOT) -> tuple[str, str]:
    """Return ``(url, branch)`` from ``_config.yml``."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]
    return str(repo["url"]).rstrip("/"), str(repo["branch"])


def distribution_name(root: Path = ROOT) -> str:
    """The installed name of the course's package (``project.name``)."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["name"])


def archive_url(root: Path = ROOT) -> str:
    """The repository's source archive at the pinned reference (pip installs it
    without git)."""
    url, branch = repository_reference(root)
    return f"{url}/archive/{branch}.tar.gz"


def package_version(root: Path = ROOT) -> str:
    """The course's version (``project.version``), which the setup cell requires."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["version"])


def setup_cell_source(root: Path = ROOT) -> str:
    """The exact source of the setup cell for the pinned reference and version."""
    version = package_version(root)
    # A notebook saved from main names a development version that main may
    # have left behind: reinstalling from main cannot give it back.
    hint = ('"\n        "; if the message comes back, the course has moved on since this notebook "\n'
            '        "was saved: open the chapter again from the book.') if ".dev" in version else "."
    return TEMPLATE.format(distribution=distribution_name(root), archive=archive_url(root),
                           version=version, hint=hint)  # fmt: skip


def toc_files(root: Path = ROOT) -> list[str]:
    """Every page listed in ``_toc.yml`` (paths without suffix), root first."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("parts", []))
    return files


def chapter_notebooks(root: Path = ROOT) -> list[Path]:
    """The course's chapters: the notebooks of the parts (``chapters/part*/``).

    They follow every chapter convention (setup cell, exercises, student
    edition, Colab). Appendix notebooks do not; see :func:`all_notebooks`.
    """
    return sorted(p for p in (root / "chapters").rglob("*.ipynb") if p.parent.name.startswith("part"))


def all_notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook of the book, chapters and appendix pages alike."""
    return sorted((root / "chapters").rglob("*.ipynb"))


def first_code_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    return next((c for c in nb.cells if c.cell_type == "code"), None)


def write_setup_cells(root: Path = ROOT) -> list[Path]:
    """Rewrite the setup cell of every notebook; return the notebooks changed."""
    source = setup_cell_source(root)
    changed = []
    for path in chapter_notebooks(root):
        nb = nbformat.read(path, as_version=4)
        cell = first_code_cell(nb)
        if cell is None or cell.source != source:
            if cell is None or "import lib" not in cell.source:
                cell = nbformat.v4.new_code_cell(source)
                index = next(i for i, c in enumerate(nb.cells) if c.cell_type != "markdown" or i > 0)
                nb.cells.insert(index, cell)
            cell.source = source
            cell.metadata["tags"] = ["setup"]
            nbformat.write(nb, path)
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite every notebook's setup cell")
    args = parser.parse_args(argv)
    if args.write:
        for path in write_setup_cells():
            print(f"updated {path.relative_to(ROOT)}")
    else:
        print(setup_cell_source())
    return 0


if __name__ == "__main__":
    sys.exit(main())
