"""Write the graded assignments: ``python -m grading.assign [--out DIR]``.

For every chapter with exercises, ``DIR/<chapter-stem>/`` (default
``_build/assignments``) receives

* ``<chapter-stem>.ipynb``: the chapter's student edition (``student/``),
  unchanged apart from a first cell saying how to hand it in, and the
  chapter recorded in the notebook's metadata; its public tests are the
  chapter's own ``check(...)`` cells, and nothing new is installed in Colab;
* ``grading.json``: each exercise's label, kind, how it is checked, its
  points (the rule of :func:`grading.grade.points`) and, for a written
  exercise, its rubric; and the chapter's total.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nbformat

from grading.grade import POINT_RULE, chapter_exercises, chapters, check_kind, points
from grading.isolation import ROOT

HAND_IN = (
    "## How to hand in this assignment\n\n"
    "Answer every exercise in its answer cell (replace `...`) and run the check cells: they "
    "are the public tests. When you are done: **File > Save a copy in Drive, then download the "
    ".ipynb and upload it to the course's shared folder.** Keep the file name the course gives "
    "you (it is your student id). Your notebook is graded by running it again from the top: "
    "implement exercises are checked on new hidden instances, and written answers by hand."
)


def grading_spec(chapter: str) -> dict:
    """The contents of one chapter's grading.json."""
    items = []
    for e in chapter_exercises(chapter):
        item = {"label": e.label, "kind": e.kind, "answer_type": e.answer_type,
                "check": check_kind(e), "points": points(e)}
        if e.stated_precision:
            item["precision"] = e.stated_precision
        if e.answer_type == "text":
            item["rubric"] = [{"criterion": r, "points": 1} for r in e.rubric]
        items.append(item)
    return {"chapter": chapter, "stem": Path(chapter).stem, "notebook": f"{Path(chapter).stem}.ipynb",
            "point_rule": POINT_RULE, "exercises": items, "total": sum(i["points"] for i in items)}


def assignment_notebook(chapter: str) -> nbformat.NotebookNode:
    """The student edition of ``chapter`` with the hand-in cell first."""
    nb = nbformat.read(ROOT / "student" / chapter, as_version=4)
    header = nbformat.v4.new_markdown_cell(HAND_IN)
    header["id"] = "assignment-hand-in"
    nb.cells.insert(0, header)
    nb.metadata["course_assignment"] = {"chapter": chapter, "stem": Path(chapter).stem}
    return nb


def write_assignments(out: Path) -> list[Path]:
    stems = [Path(c).stem for c in chapters()]
    if len(set(stems)) != len(stems):
        raise ValueError(f"two chapters share a file stem: {sorted(stems)}")
    written = []
    for chapter in chapters():
        target = out / Path(chapter).stem
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(assignment_notebook(chapter), target / f"{Path(chapter).stem}.ipynb")
        (target / "grading.json").write_text(json.dumps(grading_spec(chapter), indent=2) + "\n",
                                             encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the graded assignments.")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "assignments")
    args = parser.parse_args(argv)
    for target in write_assignments(args.out):
        spec = json.loads((target / "grading.json").read_text(encoding="utf-8"))
        print(f"wrote {target}: {len(spec['exercises'])} exercises, {spec['total']} points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
