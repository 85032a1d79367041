"""Write the student edition: every chapter notebook without its solutions.

    python scripts/student_edition.py           # (re)write student/
    python scripts/student_edition.py --check   # exit 1 if student/ is out of date

For each notebook in chapters/, the copy in student/ (same relative path):

* drops every gated solution (the cells from ``solution-start`` to
  ``solution-end``) and every single-cell ``solution`` directive;
* turns each ``exercise`` directive into plain Markdown ("Exercise
  ex-label."), which reads well in Colab, where directives show as raw text;
* keeps the placeholder cells (``answer = ...`` and the ``check`` call), which
  report "not answered yet" until the student fills them in;
* says at the top that this is the exercise copy, with a link back to the book.

tests/test_classroom.py checks that student/ is in sync and that the student
notebooks run.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from setup_cell import ROOT, chapter_notebooks, repository_reference  # noqa: E402

STUDENT = ROOT / "student"
SOLUTION_START = re.compile(r"```\{solution-start\}")
SOLUTION_END = re.compile(r"```\{solution-end\}\s*```")
SOLUTION_BLOCK = re.compile(r"```\{solution\}[^\n]*\n.*?\n```[ \t]*\n?", re.S)
EXERCISE_BLOCK = re.compile(r"```\{exercise\}[^\n]*\n:label:\s*(\S+)\s*\n(.*?)\n```", re.S)
STUDENT_LINK_RE = re.compile(r"\n*\*\*Exercises in Colab:\*\* .*$", re.S)


def colab_url(path: Path) -> str:
    """Colab address of a notebook of the repository at the pinned reference."""
    url, branch = repository_reference()
    return f"https://colab.research.google.com/github/{url.split('github.com/')[1]}/blob/{branch}/{path.relative_to(ROOT).as_posix()}"


def student_path(chapter: Path) -> Path:
    return STUDENT / chapter.relative_to(ROOT)


def student_link_line(chapter: Path) -> str:
    """The line each chapter's first cell ends with: the exercise copy in Colab."""
    return (
        f"**Exercises in Colab:** [open the exercise copy of this chapter]({colab_url(student_path(chapter))}) "
        "(the same notebook without the solutions)."
    )


def _exercise_to_markdown(match: re.Match) -> str:
    label, body = match.group(1), match.group(2).strip()
    return f"**Exercise `{label}`.** {body}"


def _student_markdown(text: str) -> str:
    text = SOLUTION_BLOCK.sub("", text)
    return EXERCISE_BLOCK.sub(_exercise_to_markdown, text).strip()


def student_notebook(chapter: Path) -> nbformat.NotebookNode:
    """The student copy of one chapter notebook."""
    nb = nbformat.read(chapter, as_version=4)
    cells, skipping = [], False
    for cell in nb.cells:
        text = cell.source
        if cell.cell_type == "markdown" and SOLUTION_START.search(text):
            before = _student_markdown(text[: SOLUTION_START.search(text).start()])
            if before:
                cells.append(nbformat.v4.new_markdown_cell(before))
            skipping = True
            continue
        if skipping:
            if cell.cell_type == "markdown" and SOLUTION_END.search(text):
                skipping = False
                after = _student_markdown(text[SOLUTION_END.search(text).end():])
                if after:
                    cells.append(nbformat.v4.new_markdown_cell(after))
            continue
        if cell.cell_type == "markdown":
            text = _student_markdown(text)
            if not text:
                continue
        new = nbformat.NotebookNode(dict(cell))
        new.source = text
        cells.append(new)
    if skipping:
        raise ValueError(f"{chapter}: a solution-start has no solution-end")
    # Rewrite the first cell's closing line: this *is* the exercise copy.
    book_url = colab_url(chapter)
    first = cells[0]
    first.source = STUDENT_LINK_RE.sub("", first.source) + (
        "\n\n**This is the exercise copy** (solutions removed). "
        f"The full chapter, with solutions: [open in Colab]({book_url})."
    )
    for k, cell in enumerate(cells):
        cell["id"] = f"s{k:03d}"
    nb.cells = cells
    return nb


def _with_student_link(source: str, chapter: Path) -> str:
    return STUDENT_LINK_RE.sub("", source).rstrip() + "\n\n" + student_link_line(chapter)


def sync_student_links() -> list[Path]:
    """Make each chapter's first cell end with the link to its exercise copy."""
    changed = []
    for chapter in chapter_notebooks():
        nb = nbformat.read(chapter, as_version=4)
        wanted = _with_student_link(nb.cells[0].source, chapter)
        if nb.cells[0].source != wanted:
            nb.cells[0].source = wanted
            nbformat.write(nb, chapter)
            changed.append(chapter)
    return changed


def _serialise(nb: nbformat.NotebookNode) -> str:
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def write_student_edition() -> list[Path]:
    sync_student_links()
    written = []
    for chapter in chapter_notebooks():
        target = student_path(chapter)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_serialise(student_notebook(chapter)), encoding="utf-8")
        written.append(target)
    return written


def out_of_date() -> list[Path]:
    stale = []
    for chapter in chapter_notebooks():
        first = nbformat.read(chapter, as_version=4).cells[0].source
        if first != _with_student_link(first, chapter):
            stale.append(chapter)
        target = student_path(chapter)
        expected = _serialise(student_notebook(chapter))
        if not target.exists() or target.read_text(encoding="utf-8") != expected:
            stale.append(target)
    expected_set = {student_path(c) for c in chapter_notebooks()}
    stale += [p for p in STUDENT.rglob("*.ipynb") if p not in expected_set]
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if student/ is out of date")
    args = parser.parse_args(argv)
    if args.check:
        stale = out_of_date()
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}")
        return 1 if stale else 0
    for path in write_student_edition():
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
