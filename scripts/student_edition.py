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
* gives each written exercise (registered with ``kind="written"`` in
  :mod:`lib.checks`) an answer cell to write in, right after the exercise;
* says at the top that this is the exercise copy, with no link to the
  solutions (the student book, ``make book-student``, has none either).

It also writes three blocks of the instructors' page (``chapters/instructors.md``,
between their markers): each chapter's exercises by kind, the assessment plan
(each chapter's exercises with their points, due in the chapter's last week
of the page's syllabus table), and the rubrics of the written exercises.

tests/test_classroom.py checks that student/ is in sync and that the student
notebooks run.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

if TYPE_CHECKING:
    from lib.checks import Exercise

sys.path.insert(0, str(Path(__file__).resolve().parent))
from setup_cell import ROOT, chapter_notebooks, repository_reference

# The assessment plan takes its points from the grader (grading/, beside lib/).
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

STUDENT = ROOT / "student"
SOLUTION_START = re.compile(r"```\{solution-start\}")
SOLUTION_END = re.compile(r"```\{solution-end\}\s*```")
SOLUTION_BLOCK = re.compile(r"```\{solution\}[^\n]*\n.*?\n```[ \t]*\n?", re.DOTALL)
EXERCISE_BLOCK = re.compile(r"```\{exercise\}[^\n]*\n:label:\s*(\S+)\s*\n(.*?)\n```", re.DOTALL)
STUDENT_LINK_RE = re.compile(r"\n*\*\*Exercises in Colab:\*\* .*$", re.DOTALL)
INSTRUCTORS = ROOT / "chapters" / "instructors.md"

def _markers(name: str) -> tuple[str, str]:
    """The comments around a generated block of the instructors' page."""
    return f"<!-- {name}: start (written by scripts/student_edition.py) -->", f"<!-- {name}: end -->"


def written_exercises() -> dict[str, tuple[str, ...]]:
    """Label -> rubric of every written exercise registered in lib.checks."""
    from lib.checks import exercises

    return {e.label: e.rubric for e in exercises() if e.kind == "written"}


def answer_cell(label: str) -> nbformat.NotebookNode:
    """The cell a student writes a written exercise's answer in."""
    return nbformat.v4.new_markdown_cell(
        f"**Your answer to `{label}`** (double-click this cell to write in it):\n\n"
        "*Write your answer here.*"
    )


def colab_url(path: Path) -> str:
    """Colab address of a notebook of the repository at the pinned reference."""
    url, branch = repository_reference()
    return f"https://colab.research.google.com/github/{url.split('github.com/')[1]}/blob/{branch}/{path.relative_to(ROOT).as_posix()}"


def student_path(chapter: Path) -> Path:
    return STUDENT / chapter.relative_to(ROOT)


def student_link_line(chapter: Path) -> str:
    """The line each chapter's first cell ends with: the exercise copy in Colab."""
    return (
        "**Exercises in Colab:** [open the exercise copy of this chapter]"
        f"({colab_url(student_path(chapter))}) "
        "(the same notebook without the solutions)."
    )


def _exercise_to_markdown(match: re.Match) -> str:
    label, body = match.group(1), match.group(2).strip()
    return f"**Exercise `{label}`.** {body}"


def _student_markdown(text: str) -> str:
    text = SOLUTION_BLOCK.sub("", text)
    return EXERCISE_BLOCK.sub(_exercise_to_markdown, text).strip()


def _student_markdown_cells(text: str, written: set[str]) -> list[nbformat.NotebookNode]:
    """The student cells of one markdown text: split after each written
    exercise, which gets its answer cell there."""
    cells, start = [], 0
    for match in EXERCISE_BLOCK.finditer(text):
        if match.group(1) in written:
            piece = _student_markdown(text[start:match.end()])
            if piece:
                cells.append(nbformat.v4.new_markdown_cell(piece))
            cells.append(answer_cell(match.group(1)))
            start = match.end()
    rest = _student_markdown(text[start:])
    if rest:
        cells.append(nbformat.v4.new_markdown_cell(rest))
    return cells


def student_notebook(chapter: Path) -> nbformat.NotebookNode:
    """The student copy of one chapter notebook."""
    nb = nbformat.read(chapter, as_version=4)
    written = set(written_exercises())
    cells, skipping = [], False
    for cell in nb.cells:
        text = cell.source
        if cell.cell_type == "markdown" and SOLUTION_START.search(text):
            cells += _student_markdown_cells(text[: SOLUTION_START.search(text).start()], written)
            skipping = True
            continue
        if skipping:
            if cell.cell_type == "markdown" and SOLUTION_END.search(text):
                skipping = False
                cells += _student_markdown_cells(text[SOLUTION_END.search(text).end():], written)
            continue
        if cell.cell_type == "markdown":
            pieces = _student_markdown_cells(text, written)
            if pieces and pieces[0].source and not pieces[0].source.startswith("**Your answer to"):
                kept = nbformat.NotebookNode(dict(cell))  # keeps the cell's metadata
                kept.source = pieces[0].source
                pieces[0] = kept
            cells += pieces
            continue
        new = nbformat.NotebookNode(dict(cell))
        new.source = text
        cells.append(new)
    if skipping:
        raise ValueError(f"{chapter}: a solution-start has no solution-end")
    # Rewrite the first cell's closing line: this *is* the exercise copy, and
    # it links to no copy with the solutions (a graded course hands this out).
    first = cells[0]
    first.source = STUDENT_LINK_RE.sub("", first.source) + (
        "\n\n**This is the exercise copy** (solutions removed)."
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


def rubrics_markdown() -> str:
    """The rubric list of the instructors' page: one entry per written exercise."""
    from lib.checks import exercises

    lines = []
    for e in exercises():
        if e.kind != "written":
            continue
        chapter = Path(e.chapter).relative_to("chapters").with_suffix("").as_posix()
        lines.append(f"**`{e.label}`** ({{doc}}`{chapter}`). A full answer:\n")
        lines += [f"- {item}" for item in e.rubric]
        lines.append("")
    return "\n".join(lines).strip()


def overview_markdown() -> str:
    """The table of the instructors' page: each chapter's exercises by kind."""
    from lib.checks import exercises

    kinds = ("derive", "implement", "model", "number", "written")
    by_chapter: dict[str, dict[str, list[str]]] = {}
    for e in exercises():
        by_chapter.setdefault(e.chapter, {k: [] for k in kinds})[e.kind].append(f"`{e.label}`")
    lines = ["| Chapter | " + " | ".join(k.capitalize() for k in kinds) + " |",
             "|---" * (len(kinds) + 1) + "|"]  # fmt: skip
    for chapter in sorted(by_chapter):
        page = Path(chapter).relative_to("chapters").with_suffix("").as_posix()
        cells = [", ".join(by_chapter[chapter][k]) or "" for k in kinds]
        lines.append(f"| {{doc}}`{page}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: The assessment plan's rule, as the instructors' page states it.
SYLLABUS_HEADING = "## Syllabus and prerequisites"
DOC_ROLE = re.compile(r"\{doc\}`([^`]+)`")


def _point_rule() -> str:
    from grading.grade import POINT_RULE

    return POINT_RULE


def exercise_points(e: Exercise) -> int:
    """The points an exercise is worth: the grader's own rule (``grading.grade.points``).

    Examples
    --------
    >>> from lib.checks import exercises
    >>> {e.label: exercise_points(e) for e in exercises()}["ex-match-why-integral"]
    4
    """
    from grading.grade import points

    if e.answer_type == "text" and not e.rubric:
        raise ValueError(f"{e.label}: a written exercise needs a rubric to have points")
    return points(e)


def syllabus_weeks(page: str) -> dict[str, list[int]]:
    """Page (relative to chapters/, no suffix) -> the weeks of the syllabus
    table (the first table after ``SYLLABUS_HEADING``) whose row names it."""
    start = page.find(SYLLABUS_HEADING)
    if start < 0:
        raise ValueError(f"the instructors' page needs the heading {SYLLABUS_HEADING!r}")
    section = page[start + len(SYLLABUS_HEADING):].split("\n## ", 1)[0]
    weeks: dict[str, list[int]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].isdigit():
            for doc in DOC_ROLE.findall(line):
                weeks.setdefault(doc, []).append(int(cells[0]))
    return weeks


def assessment_markdown(page: str) -> str:
    """The assessment plan of the instructors' page: each chapter's exercises
    and points, due in the last week the syllabus table gives the chapter."""
    from lib.checks import exercises

    weeks = syllabus_weeks(page)
    by_chapter: dict[str, list] = {}
    for e in exercises():
        by_chapter.setdefault(e.chapter, []).append(e)
    rows = []
    for chapter, items in by_chapter.items():
        doc = Path(chapter).relative_to("chapters").with_suffix("").as_posix()
        if doc not in weeks:
            raise ValueError(f"the syllabus table has no week for {doc}")
        listed = ", ".join(f"`{e.label}` ({exercise_points(e)})" for e in items)
        rows.append((max(weeks[doc]), doc, len(items), listed, sum(exercise_points(e) for e in items)))
    rows.sort()
    total = sum(r[4] for r in rows)
    lines = [f"Points: {_point_rule()}. Each chapter's exercises are due in the last week the "
             "syllabus gives it.", "",
             "| Due in week | Chapter | Exercises | Each exercise (its points) | Points |",
             "|---|---|---|---|---|"]  # fmt: skip
    lines += [f"| {week} | {{doc}}`{doc}` | {n} | {listed} | {points} |"
              for week, doc, n, listed, points in rows]  # fmt: skip
    lines.append(f"| | **Total** | {sum(r[2] for r in rows)} | | **{total}** |")
    return "\n".join(lines)


GENERATED = {
    "exercises": lambda page: overview_markdown(),
    "assessment": assessment_markdown,
    "rubrics": lambda page: rubrics_markdown(),
}


def instructors_page() -> str:
    """chapters/instructors.md with its generated blocks brought up to date."""
    text = INSTRUCTORS.read_text(encoding="utf-8")
    for name, generate in GENERATED.items():
        start_marker, end_marker = _markers(name)
        start, end = text.find(start_marker), text.find(end_marker)
        if start < 0 or end < start:
            raise ValueError(f"{INSTRUCTORS} needs the markers {start_marker!r} and {end_marker!r}.")
        text = text[: start + len(start_marker)] + "\n\n" + generate(text) + "\n\n" + text[end:]
    return text


def write_student_edition() -> list[Path]:
    sync_student_links()
    page = instructors_page()
    if page != INSTRUCTORS.read_text(encoding="utf-8"):
        INSTRUCTORS.write_text(page, encoding="utf-8")
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
    if instructors_page() != INSTRUCTORS.read_text(encoding="utf-8"):
        stale.append(INSTRUCTORS)
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
