"""The graded-assignment machinery (grading/): synthetic submissions of one
chapter, graded with a fixed test secret, checked cell by cell.

The submissions are written into tests/grading_submissions/ from the
chapter's assignment notebook (the student edition plus its hand-in cell) by
filling its answer cells, as a student would; the cheating ones tamper with
lib.checks, wrap lib's function, or use expected(). Nothing they print counts.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grading import assign, grade, isolation, secret  # noqa: E402

CHAPTER = "chapters/part2_matching/01_matching_lp.ipynb"
SUBMISSIONS = ROOT / "tests" / "grading_submissions"
SECRET = b"test-secret-not-for-a-course"
LABELS = ["ex-auction-bid", "ex-match-double-capacity", "ex-match-why-integral",
          "ex-match-without-worker", "ex-source-lp-value"]

IMPORTS = ("from lib.matching import ARTICLE_SCORES, solve_matching\n"
           "import numpy as np\n")
RIGHT = {
    "ex-match-without-worker": IMPORTS + "answer = solve_matching(ARTICLE_SCORES, capacity=[1, 1, 1, 0]).objective",
    "ex-match-double-capacity": IMPORTS + "answer = solve_matching(ARTICLE_SCORES, capacity=[2, 1, 1, 1]).pairs",
    "ex-source-lp-value": IMPORTS + "answer = float((ARTICLE_SCORES * np.array([2, 1, 1, 1])).sum())",
    "ex-auction-bid": (
        "import numpy as np\n\n"
        "def net_values(scores, prices, task):\n"
        "    return np.asarray(scores, dtype=float)[task] - np.asarray(prices, dtype=float)\n\n"
        "def auction_bid(scores, prices, task, epsilon):\n"
        "    value = net_values(scores, prices, task)\n"
        "    best, second = np.argsort(-value)[:2]\n"
        "    return int(best), float(prices[best] + value[best] - value[second] + epsilon)\n\n"
        "answer = auction_bid"),
}
WRITTEN = ("At (0.5, 0.5) only x_00 + x_01 <= 1 is tight, so it is the midpoint of the segment "
           "from (1, 0) to (0, 1); with the right-hand side 0.5 the vertices become fractional.")

NO_EPSILON = RIGHT["ex-auction-bid"].replace(" + epsilon)", ")")
WRAPS_LIB = ("from lib.assignment_algorithms import auction_bid as lib_bid\n\n"
             "def auction_bid(scores, prices, task, epsilon):\n"
             "    return lib_bid(scores, prices, task, epsilon)\n\n"
             "answer = auction_bid")
TAMPER_MARK = "TAMPERED-BY-" + "SUBMISSION"
TAMPER = '''import lib.checks, lib.checks._core as core
from lib.checks import CheckResult
core.math.isclose = lambda *a, **k: True
core.Precision.accepts = lambda self, a, v: True
always = lambda *a, **k: CheckResult("correct", "Right.")
lib.checks.check = core.REGISTRY.check = always
check = always
# and on disk: the kernel's lib copy now says "correct" to everything
path = core.__file__
with open(path, "a") as handle:
    handle.write("\\nRegistry.check = lambda self, *a, **k: CheckResult('correct', 'Right.')  # TAMPERED-BY-SUBMISSION\\n")
print("correct: Right. " * 3)
'''


def _sources(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells]


def assignment() -> nbformat.NotebookNode:
    return assign.assignment_notebook(CHAPTER)


def short(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The assignment without the chapter's teaching cells (a faster run):
    the hand-in cell, the title, the setup and import cells, and the exercises."""
    start = next(k for k, c in enumerate(nb.cells) if c.source.startswith("## Exercises"))
    code = [k for k, c in enumerate(nb.cells) if c.cell_type == "code"][:2]
    nb.cells = [nb.cells[0], nb.cells[1]] + [nb.cells[k] for k in code] + nb.cells[start:]
    return nb


def fill(nb: nbformat.NotebookNode, answers: dict[str, str], written: str = "") -> nbformat.NotebookNode:
    for cell in nb.cells:
        for label, code in answers.items():
            if cell.cell_type == "code" and f'check("{label}"' in cell.source:
                cell.source = f'{code}\ncheck("{label}", answer)'
        if cell.cell_type == "markdown" and written and cell.source.startswith(
                "**Your answer to `ex-match-why-integral`**"):
            cell.source = cell.source.replace("*Write your answer here.*", written)
    return nb


def insert_after(nb: nbformat.NotebookNode, label: str, code: str) -> nbformat.NotebookNode:
    """A new code cell right after the answer cell of ``label``."""
    k = next(k for k, c in enumerate(nb.cells) if f'check("{label}"' in c.source)
    nb.cells.insert(k + 1, nbformat.v4.new_code_cell(code))
    return nb


def submissions() -> dict[str, nbformat.NotebookNode]:
    subs = {}
    subs["all_correct"] = fill(short(assignment()), RIGHT, WRITTEN)
    subs["partly_wrong"] = fill(short(assignment()), {
        **RIGHT,
        "ex-match-without-worker": IMPORTS + "answer = solve_matching(ARTICLE_SCORES, capacity=[1, 1, 1, 1]).objective",
        "ex-match-double-capacity": "answer = [(0, 0), (1, 1), (2, 2), (3, 3)]",
        "ex-auction-bid": NO_EPSILON,
    })
    subs["blank"] = assignment()  # untouched, every teaching cell included
    raises = fill(short(assignment()), {**RIGHT, "ex-source-lp-value": "answer = 1 / 0"}, WRITTEN)
    raises.cells.insert(4, nbformat.v4.new_code_cell('raise RuntimeError("a bug in the middle")'))
    subs["raises"] = raises
    subs["loops_forever"] = insert_after(
        fill(short(assignment()), RIGHT), "ex-match-without-worker",
        "import time\nwhile True:  # interrupts are swallowed: only the total limit stops it\n"
        "    try:\n        time.sleep(0.5)\n    except KeyboardInterrupt:\n        pass")
    tamper = fill(short(assignment()), {
        "ex-match-without-worker": "answer = 0.0",
        "ex-match-double-capacity": "answer = [(0, 0)]",
        "ex-source-lp-value": "answer = 1.0",
        "ex-auction-bid": "def auction_bid(scores, prices, task, epsilon):\n    return 0, 0.0\n\nanswer = auction_bid",
    })
    tamper.cells.insert(4, nbformat.v4.new_code_cell(TAMPER))
    subs["tampers"] = tamper
    subs["wraps_lib"] = fill(short(assignment()), {**RIGHT, "ex-auction-bid": WRAPS_LIB})
    subs["uses_expected"] = fill(short(assignment()), {
        **RIGHT,
        "ex-match-without-worker": 'import lib.checks\nanswer = lib.checks.expected("ex-match-without-worker")\nprint(answer)',
        "ex-source-lp-value": 'from lib.checks._core import REGISTRY\nanswer = REGISTRY.expected("ex-source-lp-value")',
        "ex-auction-bid": ('from lib.checks._core import REGISTRY\n'
                           'reference = REGISTRY.get("ex-auction-bid").implementation.reference\n'
                           'answer = lambda scores, prices, task, epsilon: reference(scores, prices, task, epsilon)'),
    })
    return subs


# (student, exercise) -> (points, status); every row of the gradebook.
C, I, N, E, M = "correct", "incorrect", "not answered", "error", "needs manual grading"
EXPECTED = {
    "all_correct":   {"ex-auction-bid": (2, C), "ex-match-double-capacity": (1, C), "ex-match-why-integral": ("", M),
                      "ex-match-without-worker": (1, C), "ex-source-lp-value": (1, C)},
    "blank":         {"ex-auction-bid": (0, N), "ex-match-double-capacity": (0, N), "ex-match-why-integral": (0, N),
                      "ex-match-without-worker": (0, N), "ex-source-lp-value": (0, N)},
    "loops_forever": {"ex-auction-bid": (0, E), "ex-match-double-capacity": (0, E), "ex-match-why-integral": (0, N),
                      "ex-match-without-worker": (1, C), "ex-source-lp-value": (0, E)},
    "partly_wrong":  {"ex-auction-bid": (0, I), "ex-match-double-capacity": (0, I), "ex-match-why-integral": (0, N),
                      "ex-match-without-worker": (0, I), "ex-source-lp-value": (1, C)},
    "raises":        {"ex-auction-bid": (2, C), "ex-match-double-capacity": (1, C), "ex-match-why-integral": ("", M),
                      "ex-match-without-worker": (1, C), "ex-source-lp-value": (0, E)},
    "tampers":       {"ex-auction-bid": (0, I), "ex-match-double-capacity": (0, I), "ex-match-why-integral": (0, N),
                      "ex-match-without-worker": (0, I), "ex-source-lp-value": (0, I)},
    "uses_expected": {"ex-auction-bid": (0, I), "ex-match-double-capacity": (1, C), "ex-match-why-integral": (0, N),
                      "ex-match-without-worker": (0, E), "ex-source-lp-value": (1, C)},
    "wraps_lib":     {"ex-auction-bid": (0, I), "ex-match-double-capacity": (1, C), "ex-match-why-integral": (0, N),
                      "ex-match-without-worker": (1, C), "ex-source-lp-value": (1, C)},
}
KIND = {"ex-auction-bid": ("implement", 2, "hidden"), "ex-match-double-capacity": ("model", 1, "public"),
        "ex-match-why-integral": ("written", 4, "manual"), "ex-match-without-worker": ("model", 1, "public"),
        "ex-source-lp-value": ("derive", 1, "public")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    SUBMISSIONS.mkdir(exist_ok=True)
    for old in SUBMISSIONS.glob("*.ipynb"):
        old.unlink()
    for name, nb in submissions().items():
        for k, cell in enumerate(nb.cells):  # stable ids: the files are the same on every run
            cell["id"] = f"c{k:03d}"
        nbformat.write(nb, SUBMISSIONS / f"{name}.ipynb")
    out = tmp_path_factory.mktemp("grades")
    start = time.monotonic()
    rows = grade.grade_directory(SUBMISSIONS, out, SECRET, cell_timeout=15, total_timeout=30,
                                 function_timeout=30, jobs=3)
    seconds = time.monotonic() - start
    print(f"\ngraded {len(EXPECTED)} submissions in {seconds:.1f} s")
    # The tampering submission appended this line to its own copy of lib only.
    assert not any(TAMPER_MARK in p.read_text(encoding="utf-8") for p in (ROOT / "lib").rglob("*.py"))
    return out, rows


def test_gradebook_cell_by_cell(graded):
    out, _ = graded
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == grade.COLUMNS
    got = {(r["student"], r["exercise"]): r for r in rows}
    assert len(rows) == len(got) == sum(len(v) for v in EXPECTED.values())
    for student, table in EXPECTED.items():
        for label, (points, status) in table.items():
            row = got[(student, label)]
            kind, max_points, check = KIND[label]
            assert (row["chapter"], row["kind"], row["max_points"], row["check"]) == (
                "01_matching_lp", kind, str(max_points), check), (student, label, row)
            assert (row["points"], row["status"]) == (str(points), status), (student, label, row)


def test_feedback(graded):
    out, _ = graded
    for student in EXPECTED:
        assert (out / "feedback" / f"{student}.md").is_file()
    good = (out / "feedback" / "all_correct.md").read_text(encoding="utf-8")
    assert "Right on 40 hidden random instances." in good
    assert "Automatic points: 5 / 5; 4 more points" in good
    assert "Names the constraints of the region" in good  # the rubric
    assert "> At (0.5, 0.5) only" in good  # the student's written answer
    wraps = (out / "feedback" / "wraps_lib.md").read_text(encoding="utf-8")
    assert "calls lib's auction_bid" in wraps
    loops = (out / "feedback" / "loops_forever.md").read_text(encoding="utf-8")
    assert "time limit" in loops
    expected_used = (out / "feedback" / "uses_expected.md").read_text(encoding="utf-8")
    assert "expected() is not available in a graded run" in expected_used
    partly = (out / "feedback" / "partly_wrong.md").read_text(encoding="utf-8")
    assert "That is the optimum with all four workers" in partly  # lib's own hint


def test_hidden_seeds_are_secret_and_per_student():
    seeds = {secret.hidden_seed(SECRET, s, "ex-auction-bid", k) for s in ("a", "b") for k in (0, 1)}
    assert len(seeds) == 4
    assert secret.hidden_seed(b"other", "a", "ex-auction-bid", 0) not in seeds
    # The public check's seeds are not among them (it draws fresh ones or the notebook's).
    import hashlib
    import hmac
    digest = hmac.new(SECRET, b"a:ex-auction-bid:0", hashlib.sha256).digest()
    assert secret.hidden_seed(SECRET, "a", "ex-auction-bid", 0) == int.from_bytes(digest[:8], "big")


def test_grading_refuses_without_secret(tmp_path, monkeypatch, capsys):
    with pytest.raises(secret.MissingSecret, match="COURSE_GRADING_SECRET"):
        secret.load_secret({})
    monkeypatch.delenv("COURSE_GRADING_SECRET", raising=False)
    monkeypatch.delenv("COURSE_GRADING_SECRET_FILE", raising=False)
    nbformat.write(assignment(), tmp_path / "someone.ipynb")
    assert grade.main([str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "needs a secret" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # nothing was run
    (tmp_path / "key").write_text("file-secret\n")
    assert secret.load_secret({"COURSE_GRADING_SECRET_FILE": str(tmp_path / "key")}) == b"file-secret"


def test_assignments(tmp_path):
    assign.write_assignments(tmp_path)
    spec = json.loads((tmp_path / "01_matching_lp" / "grading.json").read_text())
    assert [e["label"] for e in spec["exercises"]] == LABELS
    assert spec["total"] == 9
    written = next(e for e in spec["exercises"] if e["kind"] == "written")
    assert sum(r["points"] for r in written["rubric"]) == written["points"] == 4
    nb = nbformat.read(tmp_path / "01_matching_lp" / "01_matching_lp.ipynb", as_version=4)
    student = nbformat.read(ROOT / "student" / CHAPTER, as_version=4)
    assert "Save a copy in Drive, then download the .ipynb" in nb.cells[0].source
    assert _sources(nb)[1:] == _sources(student)  # otherwise the student edition unchanged
    assert {p.name for p in tmp_path.iterdir()} == {Path(c).stem for c in grade.chapters()}


def test_srepr_is_parsed_not_evaluated():
    from grading.values import BadValue, parse_srepr

    for text in ("__import__('os').system('true')", "Symbol('x').__class__", "Add('1+1', Integer(1))",
                 "Integer(1).evalf.__globals__"):
        with pytest.raises(BadValue):
            parse_srepr(text)


def test_grading_doctests():
    import doctest

    from grading import values

    for module in (values, secret):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_untrusted_processes_get_no_secret_and_no_network(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_GRADING_SECRET", "do-not-leak")
    env = isolation.clean_env(tmp_path, tmp_path)
    assert not any("SECRET" in k or "do-not-leak" in v for k, v in env.items())
    prefix, warning = isolation.wrapper()
    if not prefix:
        pytest.skip(f"no isolation on this machine (the grader warns: {warning})")
    probe = ("import socket, pathlib\n"
             "print(sorted(n for _, n in socket.if_nameindex()))\n"
             f"p = pathlib.Path({str(ROOT / '.grading-write-probe')!r})\n"
             "try:\n    p.write_text('x')\n    print('writable')\n    p.unlink()\n"
             "except OSError:\n    print('read-only')\n")
    import subprocess

    done = subprocess.run([*prefix, sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, env=env)
    lines = done.stdout.split()
    assert lines[0] == "['lo']", done.stdout + done.stderr
    if not warning:  # the full isolation: the repository is mounted read-only
        assert lines[-1] == "read-only"
