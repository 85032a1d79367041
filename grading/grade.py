"""Grade submissions: ``python -m grading.grade SUBMISSIONS [--out OUT]``.

Each ``.ipynb`` in SUBMISSIONS (the student id is its file stem) runs in its
own fresh, isolated kernel (:mod:`grading.kernel`); the grader then judges
the captured answers in its own process with the ``lib.checks`` it imported
before any submission ran. Number, expression and custom answers go through
``lib.checks.check`` (the public check); an implement answer is re-created
from its source in a fresh isolated process with lib's versions hidden
(:mod:`grading.sandbox`) and run on hidden instances whose seeds come from
the grading secret (:mod:`grading.secret`). Nothing a kernel prints is taken
as a verdict.

Writes OUT/gradebook.csv and OUT/feedback/<student>.md.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import pkgutil
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np

# The grader's own lib, imported (every module of it) before any submission
# runs: later edits on disk cannot reach it.
import lib  # noqa: F401
import lib.checks
from grading import isolation
from grading.kernel import Run, check_call, run_submission
from grading.sandbox import run_function
from grading.secret import hidden_seed, load_secret
from grading.values import BadValue, decode
from lib.checks._core import Exercise, _copy, _default_compare, _show

for _module in pkgutil.walk_packages(lib.__path__, "lib."):
    try:
        importlib.import_module(_module.name)
    except ImportError:  # an optional library is missing: that module stays unimported
        pass

#: Hidden rounds per implement exercise: each runs every size of the exercise
#: on instances drawn from one hidden seed.
HIDDEN_ROUNDS = 2
COLUMNS = ["student", "chapter", "exercise", "kind", "points", "max_points", "status", "check"]
WRITTEN_PLACEHOLDER = "*Write your answer here.*"
#: Words in a function's source that may reach lib's hidden code another way
#: (reloading a module, reading a file): the feedback asks for a look.
SUSPICIOUS = ("importlib", "reload", "sys.modules", "__import__", "exec(", "eval(", "open(",
              "inspect", "getsource", "__code__", "subprocess")


#: The rule :func:`points` applies, in words (the assignments and the
#: instructors' assessment plan quote it).
POINT_RULE = ("1 point per number, expression or choice exercise with an automatic check; 2 per "
              "implement exercise (checked on hidden instances); one point per rubric item for a "
              "written exercise (graded by hand)")  # fmt: skip


def points(exercise: Exercise) -> int:
    """Points of an exercise: 2 for implement, one per rubric item for written, else 1.

    Examples
    --------
    >>> by_label = {e.label: points(e) for e in lib.checks.exercises()}
    >>> by_label["ex-match-why-integral"], by_label["ex-auction-bid"], by_label["ex-source-lp-value"]
    (4, 2, 1)
    """
    if exercise.answer_type == "function":
        return 2
    if exercise.answer_type == "text":
        return len(exercise.rubric)
    return 1


def check_kind(exercise: Exercise) -> str:
    """How it is checked: hidden instances, the public check, or by hand."""
    return {"function": "hidden", "text": "manual"}.get(exercise.answer_type, "public")


def chapter_exercises(chapter: str) -> list[Exercise]:
    return [e for e in lib.checks.exercises() if e.chapter == chapter]


def chapters() -> list[str]:
    return sorted({e.chapter for e in lib.checks.exercises()})


def detect_chapter(nb: nbformat.NotebookNode) -> str | None:
    """The chapter a submission answers: its assignment metadata, else the
    chapter whose exercise labels its code cells check most often."""
    meta = nb.get("metadata", {}).get("course_assignment", {})
    if isinstance(meta, dict) and meta.get("chapter") in chapters():
        return meta["chapter"]
    code = "\n".join(c.get("source", "") for c in nb.cells if c.get("cell_type") == "code")
    counts = {ch: sum(bool(check_call(e.label).search(code)) for e in chapter_exercises(ch))
              for ch in chapters()}
    best = max(counts, key=counts.get)
    return best if counts[best] else None


@dataclass
class Verdict:
    exercise: Exercise
    status: str
    message: str
    points: int | str
    answer_text: str = ""


def _status(result: lib.checks.CheckResult) -> str:
    return {"correct": "correct", "not answered": "not answered"}.get(result.status, "incorrect")


def grade_value(exercise: Exercise, data: dict) -> tuple[str, str]:
    """Status and message of a number, boolean, expression or custom answer."""
    try:
        value = decode(data)
    except (BadValue, ValueError, TypeError, OverflowError) as exc:
        return "incorrect", f"Your answer could not be read: {exc}."
    try:
        result = lib.checks.check(exercise.label, value)
    except Exception as exc:  # noqa: BLE001 - a check must not stop the gradebook
        return "error", f"The check could not judge this answer ({type(exc).__name__}: {exc})."
    return _status(result), result.message


def grade_function(exercise: Exercise, data: dict, student: str, secret: bytes,
                   timeout: float) -> tuple[str, str]:
    """Status and message of an implement answer, on hidden instances."""
    if data.get("type") != "function":
        return "incorrect", ("Expected a function: write it with def, then assign the function "
                             "itself (answer = my_function, without parentheses).")
    spec = exercise.implementation
    compare = spec.compare or _default_compare
    # Every round's instances and lib's results, drawn in the grader; the
    # student's function runs on them in one fresh isolated process.
    cases = []
    for k in range(HIDDEN_ROUNDS):
        rng = np.random.default_rng(hidden_seed(secret, student, exercise.label, k))
        for size in spec.sizes:
            for _ in range(spec.per_size):
                instance = spec.instances(rng, size)
                cases.append((size, instance, spec.reference(**_copy(instance))))
    result = run_function(data, [c[1] for c in cases], spec.hide, timeout)
    tried = 0
    for (size, instance, reference), encoded in zip(cases, result.get("outputs", [])):
        try:
            output = decode(encoded)
        except (BadValue, ValueError, TypeError):
            return "incorrect", f"Your function returned a value that cannot be read, on {_show(instance)}."
        if output is None:
            return "incorrect", f"Your function returned None: finish it so that it returns {spec.returns}."
        try:
            agrees = bool(compare(output, reference))
        except Exception:  # noqa: BLE001 - a wrongly shaped output
            agrees = False
        if not agrees:
            return "incorrect", (
                f"Differs on the hidden instance {_show(instance)} (size {size}): your function "
                f"returns {_show(output)}; the right result is {_show(reference)}.")
        tried += 1
    failure = result.get("failure")
    if failure:
        kind = failure.get("kind")
        if kind == "hidden":
            name = str(failure.get("name", "")).rpartition(".")[2]
            return "incorrect", (f"Your function calls lib's {name}, which is unavailable while "
                                 "your own version is checked: write its steps yourself.")
        if kind == "raised":
            instance = cases[min(int(failure.get("index", 0)), len(cases) - 1)][1]
            return "incorrect", (f"On the hidden instance {_show(instance)}, your function raised "
                                 f"{failure.get('type')}: {failure.get('message')}")
        if kind == "timeout":
            return "incorrect", (f"Your function did not finish within {timeout:.0f} s on the "
                                 "hidden instances.")
        return "error", (f"Your function could not be re-created and run on its own "
                         f"({failure.get('type', '')}: {failure.get('message', '')}). Define it "
                         "with def in the answer cell, with its imports in the notebook.")
    if tried < len(cases):
        return "error", "Your function's run ended early."
    return "correct", f"Right on {tried} hidden random instances."


def written_answer(nb: nbformat.NotebookNode, label: str) -> str:
    head = f"**Your answer to `{label}`**"
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown" and cell.get("source", "").startswith(head):
            return cell.source.split("\n", 1)[1].strip() if "\n" in cell.source else ""
    return ""


def grade_submission(path: Path, secret: bytes, *, cell_timeout: int, total_timeout: int,
                     function_timeout: float) -> tuple[str | None, list[Verdict], Run, list[str]]:
    """Run and judge one submission."""
    notes: list[str] = []
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001
        run = Run(problem=f"not a readable notebook ({type(exc).__name__})")
        return None, [], run, notes
    chapter = detect_chapter(nb)
    if chapter is None:
        return None, [], Run(problem="no exercise of this course was found in it"), notes
    exercises = chapter_exercises(chapter)
    auto = [e.label for e in exercises if e.answer_type != "text"]
    run = run_submission(path, auto, cell_timeout=cell_timeout, total_timeout=total_timeout)
    verdicts = []
    for e in exercises:
        if e.answer_type == "text":
            text = written_answer(nb, e.label)
            if not text or text == WRITTEN_PLACEHOLDER:
                verdicts.append(Verdict(e, "not answered", "No answer written.", 0))
            else:
                verdicts.append(Verdict(e, "needs manual grading", "Graded by hand against the rubric.",
                                        "", text))
            continue
        data = run.answers.get(e.label)
        if data is None or (isinstance(data, dict) and data.get("type") in ("ellipsis", "none")):
            if e.label in run.errors:
                status, message = "error", f"The answer cell raised {run.errors[e.label]}"
            elif run.timed_out and e.label not in run.reached:
                status, message = "error", (f"The notebook reached its time limit ({total_timeout} s) "
                                            "before this answer cell ran.")
            elif run.problem:
                status, message = "error", f"The notebook could not be run: {run.problem}."
            elif e.label not in run.reached and not any(check_call(e.label).search(c.source)
                                                          for c in nb.cells if c.cell_type == "code"):
                status, message = "not answered", "The answer cell (with its check call) is missing."
            else:
                status, message = "not answered", "Not answered: answer is still ...."
        elif e.answer_type == "function":
            status, message = grade_function(e, data, path.stem, secret, function_timeout)
            source = "\n".join(str(f.get("source") or "") for f in [data, *data.get("helpers", [])])
            found = [w for w in SUSPICIOUS if w in source]
            if found:
                notes.append(f"{e.label}: the function's source uses {', '.join(found)}; "
                             "an instructor should read it.")
        else:
            status, message = grade_value(e, data)
        verdicts.append(Verdict(e, status, message, points(e) if status == "correct" else 0))
    return chapter, verdicts, run, notes


def feedback_markdown(student: str, chapter: str | None, verdicts: list[Verdict], run: Run,
                      notes: list[str]) -> str:
    lines = [f"# Feedback for {student}", ""]
    if chapter is None:
        lines += [f"This file could not be graded: {run.problem}.", ""]
        return "\n".join(lines)
    auto = sum(v.points for v in verdicts if isinstance(v.points, int))
    auto_max = sum(points(v.exercise) for v in verdicts if v.exercise.answer_type != "text")
    manual = sum(points(v.exercise) for v in verdicts if v.status == "needs manual grading")
    lines += [f"Chapter: `{chapter}`.", "",
              f"Automatic points: {auto} / {auto_max}"
              + (f"; {manual} more points of written answers are graded by hand." if manual else "."), ""]
    if run.timed_out:
        lines += ["Your notebook was stopped at its time limit: the answers after that point "
                  "could not be graded.", ""]
    for v in verdicts:
        e = v.exercise
        lines += [f"## `{e.label}` ({e.kind}, {check_kind(e)} check)", "",
                  f"- Status: **{v.status}**",
                  f"- Points: {v.points if v.points != '' else '(by hand)'} / {points(e)}",
                  f"- {v.message}", ""]
        if e.answer_type == "text":
            lines += ["Rubric (one point each):", ""] + [f"- {r}" for r in e.rubric] + [""]
            if v.answer_text:
                lines += ["Your answer:", ""] + [f"> {ln}" for ln in v.answer_text.splitlines()] + [""]
    if notes:
        lines += ["## Notes for the instructor", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(lines)


def grade_directory(submissions: Path, out: Path, secret: bytes, *, cell_timeout: int = 60,
                    total_timeout: int = 600, function_timeout: float = 60.0, jobs: int = 1) -> list[dict]:
    """Grade every .ipynb in ``submissions``; write the gradebook and feedback."""
    paths = sorted(p for p in Path(submissions).glob("*.ipynb") if p.is_file())
    if not paths:
        raise FileNotFoundError(f"no .ipynb file in {submissions}")
    prefix, warning = isolation.wrapper()
    warnings = [f"isolation: {warning}"] if warning else []
    for w in warnings:
        print(f"WARNING: {w}", file=sys.stderr)

    def one(path: Path):
        return grade_submission(path, secret, cell_timeout=cell_timeout, total_timeout=total_timeout,
                                function_timeout=function_timeout)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(one, paths))
    if isolation.lib_digest() != isolation.SNAPSHOT_DIGEST:
        warnings.append("the repository's lib/ changed on disk during grading (a submission, or "
                        "someone editing it); grading used the copy read at the start")
        print(f"WARNING: {warnings[-1]}", file=sys.stderr)
    rows = []
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    for path, (chapter, verdicts, run, notes) in zip(paths, results):
        student = path.stem
        stem = Path(chapter).stem if chapter else ""
        if chapter is None:
            rows.append({"student": student, "chapter": "", "exercise": "", "kind": "", "points": 0,
                         "max_points": 0, "status": "error", "check": ""})
        for v in verdicts:
            rows.append({"student": student, "chapter": stem, "exercise": v.exercise.label,
                         "kind": v.exercise.kind, "points": v.points, "max_points": points(v.exercise),
                         "status": v.status, "check": check_kind(v.exercise)})
        text = feedback_markdown(student, chapter, verdicts, run, notes + warnings)
        (out / "feedback" / f"{student}.md").write_text(text + "\n", encoding="utf-8")
    with open(out / "gradebook.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    if warnings:
        (out / "warnings.txt").write_text("\n".join(warnings) + "\n", encoding="utf-8")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grade the course's assignment submissions.")
    parser.add_argument("submissions", type=Path, help="directory of .ipynb submissions")
    parser.add_argument("--out", type=Path, default=Path("_build/grades"))
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell")
    parser.add_argument("--time-limit", type=int, default=600, help="seconds per submission")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once")
    args = parser.parse_args(argv)
    try:
        secret = load_secret()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.submissions.is_dir():
        print(f"error: {args.submissions} is not a directory", file=sys.stderr)
        return 2
    rows = grade_directory(args.submissions, args.out, secret, cell_timeout=args.cell_timeout,
                           total_timeout=args.time_limit, jobs=args.jobs)
    students = len({r["student"] for r in rows})
    print(f"graded {students} submission(s): {args.out / 'gradebook.csv'}, "
          f"feedback in {args.out / 'feedback'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
