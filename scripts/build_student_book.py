"""Build the student book: the HTML book without its solutions.

    python scripts/build_student_book.py    # into _build/student/html (make book-student)

The public book (``make book``) shows every solution in a collapsed dropdown.
This script copies the book's sources into ``_build/student-src/``, removes
every solution there, and builds that copy with the same strict flags as
``make book`` (``-W -n --keep-going``). The HTML goes to ``_build/student/html``.

In the copy:

* a gated solution (``solution-start`` to ``solution-end``) loses its text;
  its code cells stay, tagged ``remove-cell``, so that they still run (a later
  cell may use what they define) but show nothing;
* a single-cell ``solution`` directive is removed;
* a ``{ref}`` or ``{numref}`` link to a solution's label keeps its text and
  loses its link;
* the instructors' page loses the rubrics of the written exercises (the block
  between its ``rubrics`` markers), which say what a full answer contains.

The built book differs from the public one in two more ways: its launch
buttons (Colab, Binder) open the student copies in ``student/`` rather than
the chapters (``repository.path_to_book: student``), and its downloadable
notebooks (``_sources/``) are those student copies, since the copy's own
notebooks still hold the solution code in their hidden cells.

The patterns that find solutions are those of the student notebooks
(``scripts/student_edition.py``), so both editions remove the same things.

The copy executes with the book's own execution cache
(``_build/.jupyter_cache``). A solution code cell tagged ``remove-cell`` has a
different cell metadata, so a chapter with solution code runs once more for
the student book; after that, both books' runs are in the one cache.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from student_edition import (  # noqa: E402
    SOLUTION_BLOCK,
    SOLUTION_END,
    SOLUTION_START,
    STUDENT,
    _markers,
)

ROOT = Path(__file__).resolve().parents[1]
#: What the build reads: _config.yml, _toc.yml, the pages, the bibliography,
#: the vendored scripts (html_extra_path), the local extension
#: (local_extensions: scripts/) and the stored benchmark results the
#: performance appendix reads.
SOURCES = ("_config.yml", "_toc.yml", "intro.md", "references.bib", "chapters", "_vendor",
           "scripts", "benchmarks/results")  # fmt: skip
REMOVE_TAG = "remove-cell"
#: The label of a solution directive (its option block comes right after it).
SOLUTION_LABEL = re.compile(r"```\{solution(?:-start)?\}[^\n]*\n(?::[^\n]*\n)*?:label:\s*(\S+)")
#: A role link: {ref}`text <label>` or {ref}`label` (and the same with numref).
REF_ROLE = re.compile(r"\{(?:ref|numref)\}`(?:([^`<]*?)\s*<([^`>]+)>|([^`<>]+))`")
#: What replaces the rubrics on the student book's instructors' page.
RUBRICS_WITHHELD = "The rubrics are in the instructors' edition of the book (`make book`)."


def solution_labels(texts: list[str]) -> set[str]:
    """The labels given to solutions in ``texts``."""
    return {m.group(1) for text in texts for m in SOLUTION_LABEL.finditer(text)}


def unlink_solution_refs(text: str, labels: set[str]) -> str:
    """Replace each link to one of ``labels`` by its text (nothing if it has none)."""

    def replace(match: re.Match) -> str:
        label = match.group(2) or match.group(3)
        if label.strip() not in labels:
            return match.group(0)
        return match.group(1) or ""

    return REF_ROLE.sub(replace, text)


def _strip_markdown(text: str, inside: bool) -> tuple[str, bool]:
    """Remove the solution text of one markdown text.

    ``inside`` says whether the text starts inside a gated solution; returns
    the kept text and whether it ends inside one.
    """
    kept = []
    while True:
        if inside:
            end = SOLUTION_END.search(text)
            if end is None:
                return "".join(kept), True
            text, inside = text[end.end():], False
        else:
            start = SOLUTION_START.search(text)
            if start is None:
                kept.append(SOLUTION_BLOCK.sub("", text))
                return "".join(kept), False
            kept.append(SOLUTION_BLOCK.sub("", text[: start.start()]))
            text, inside = text[start.start():], True


def student_book_notebook(
    nb: nbformat.NotebookNode, labels: set[str], name: str = ""
) -> nbformat.NotebookNode:
    """The student book's version of one notebook: no solution shown."""
    cells, inside = [], False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source, inside = _strip_markdown(cell.source, inside)
            source = unlink_solution_refs(source, labels).strip()
            if source:  # markdown cells are not part of the execution cache's key
                cell.source = source
                cells.append(cell)
            continue
        if inside:
            tags = cell.metadata.setdefault("tags", [])
            if REMOVE_TAG not in tags:
                tags.append(REMOVE_TAG)
        cells.append(cell)
    if inside:
        raise ValueError(f"{name}: a solution-start has no solution-end")
    nb.cells = cells
    return nb


def withhold_rubrics(text: str) -> str:
    """Replace the rubrics block of the instructors' page (if ``text`` has one)."""
    start_marker, end_marker = _markers("rubrics")
    start, end = text.find(start_marker), text.find(end_marker)
    if start < 0 or end < start:
        return text
    return text[: start + len(start_marker)] + "\n\n" + RUBRICS_WITHHELD + "\n\n" + text[end:]


def student_book_markdown(text: str, labels: set[str], name: str = "") -> str:
    """The student book's version of one Markdown page."""
    kept, inside = _strip_markdown(text, False)
    if inside:
        raise ValueError(f"{name}: a solution-start has no solution-end")
    return withhold_rubrics(unlink_solution_refs(kept, labels))


def copy_sources(root: Path, target: Path) -> None:
    """Copy what the book build reads from ``root`` into ``target`` (emptied first)."""
    if target.exists():
        shutil.rmtree(target)
    for name in SOURCES:
        source = root / name
        if source.is_dir():
            skip = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
            shutil.copytree(source, target / name, ignore=skip)
        elif source.exists():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def remove_solutions(src: Path) -> list[Path]:
    """Remove the solutions from every page under ``src``; return the pages changed."""
    pages = sorted(p for p in [*src.glob("*.md"), *(src / "chapters").rglob("*.md"),
                               *(src / "chapters").rglob("*.ipynb")])  # fmt: skip
    notebooks = {p: nbformat.read(p, as_version=4) for p in pages if p.suffix == ".ipynb"}
    texts = [c.source for nb in notebooks.values() for c in nb.cells if c.cell_type == "markdown"]
    texts += [p.read_text(encoding="utf-8") for p in pages if p.suffix == ".md"]
    labels = solution_labels(texts)
    changed = []
    for page in pages:
        if page in notebooks:
            before = nbformat.writes(notebooks[page])
            after = nbformat.writes(student_book_notebook(notebooks[page], labels, str(page)))
        else:
            before = page.read_text(encoding="utf-8")
            after = student_book_markdown(before, labels, str(page))
        if after != before:
            page.write_text(after, encoding="utf-8")
            changed.append(page)
    return changed


def write_config(src: Path, cache: Path) -> None:
    """Point the copy's execution cache at the book's own cache, and its
    launch buttons at the student copies (``student/<page>.ipynb``)."""
    path = src / "_config.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.setdefault("execute", {})["cache"] = str(cache)
    config.setdefault("repository", {})["path_to_book"] = STUDENT.name
    config["title"] = f"{config.get('title', '')} (student edition)".strip()
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def replace_downloads(html: Path, student: Path = STUDENT) -> list[Path]:
    """Make each downloadable notebook of the built book (``_sources/``) the
    student copy of that chapter; return the notebooks replaced.

    The copy's notebooks keep their solution code in hidden cells (later
    cells may need it), so they must not be handed out as they are.
    """
    replaced = []
    for notebook in sorted((html / "_sources").rglob("*.ipynb")):
        copy = student / notebook.relative_to(html / "_sources")
        if copy.exists():
            shutil.copy2(copy, notebook)
            replaced.append(notebook)
    return replaced


def build_student_book(root: Path = ROOT) -> int:
    """Build the student book of the repository at ``root``; return the exit status."""
    build = root / "_build"
    src, out = build / "student-src", build / "student" / "html"
    start = time.perf_counter()
    copy_sources(root, src)
    changed = remove_solutions(src)
    write_config(src, build / ".jupyter_cache")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    status = subprocess.call([str(jupyter_book), "build", str(src), "-W", "-n", "--keep-going"], cwd=src)
    if status == 0:
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(src / "_build" / "html", out)
        replace_downloads(out, root / STUDENT.name)
    print(f"Student book ({len(changed)} pages without their solutions) built in "
          f"{time.perf_counter() - start:.0f} s: {out / 'index.html'}")  # fmt: skip
    return status


if __name__ == "__main__":
    sys.exit(build_student_book())
