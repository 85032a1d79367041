"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

# Property tests and fuzzing draw the same examples on every run, so CI cannot
# flake; HYPOTHESIS_PROFILE=explore draws new ones (to hunt for bugs).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
#: The section index of the three source articles and the excerpts the book
#: quotes (written by scripts/source_index.py; the full articles are not kept).
SECTION_INDEX = ROOT / "sources" / "section_index.json"
EXCERPTS = ROOT / "sources" / "excerpts"
BUILD = ROOT / "_build"
HTML = BUILD / "html"
NOTEBOOK_TIMES = BUILD / "notebook_times.txt"


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    """Report each notebook's execution time, read from the execution cache."""
    if NOTEBOOK_TIMES.exists():
        terminalreporter.section("notebook execution times (from the book's cache)")
        terminalreporter.write(NOTEBOOK_TIMES.read_text(encoding="utf-8"))
    _differential_summary(terminalreporter, config)
    fuzz = BUILD / "fuzz_counts.txt"
    if fuzz.exists():
        terminalreporter.section("fuzzing: inputs tried per function")
        terminalreporter.write(fuzz.read_text(encoding="utf-8"))


def pytest_configure(config):
    # Counts files older than this run are not summed (they are a past run's).
    config._differential_start = time.time()


#: Test files that build or drive the book, run notebooks or install things:
#: not part of `make test-fast`.
NOT_FAST_FILES = {
    "test_book.py", "test_book_rebuild.py", "test_browser.py", "test_browser_zh.py", "test_classroom.py",
    "test_grading.py", "test_notebooks.py", "test_packaging.py", "test_pdf.py", "test_release.py",
    "test_site.py", "test_student_book.py", "test_translation.py", "test_workflows.py", "test_security.py",
}
BOOK_FIXTURES = {"built_book", "zh_book", "built_student_book"}


def pytest_collection_modifyitems(config, items):  # noqa: ARG001
    """Mark `fast` what `make test-fast` runs: lib's doctests and the tests of
    lib and the exercise checks, nothing that builds the book or installs."""
    for item in items:
        if (item.path.name not in NOT_FAST_FILES and not BOOK_FIXTURES & set(item.fixturenames)
                and item.get_closest_marker("network") is None):  # fmt: skip
            item.add_marker(pytest.mark.fast)


def _differential_summary(terminalreporter, config) -> None:
    """Sum the valid inputs compared per function over every differential file
    (each writes ``_build/differential_counts*.txt``: one "name count" line per
    function, then a "total" line)."""
    counts: dict[str, int] = {}
    for path in sorted(BUILD.glob("differential_counts*.txt")):
        if path.stat().st_mtime < getattr(config, "_differential_start", 0.0):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] != "total" and parts[1].isdigit():
                counts[parts[0]] = counts.get(parts[0], 0) + int(parts[1])
    if not counts:
        return
    lines = [f"{name:50s} {n:6d}" for name, n in sorted(counts.items())]
    lines.append(f"{'total':50s} {sum(counts.values()):6d}")
    lines.append(f"functions below 200 inputs: {sum(n < 200 for n in counts.values())}")
    terminalreporter.section("differential tests: valid inputs compared per function")
    terminalreporter.write("\n".join(lines) + "\n")


def copy_package(target: Path) -> Path:
    """The files pip gets from the repository's archive (lib, pyproject.toml,
    README.md, LICENSE), copied into ``target``: a build there leaves no
    build/ folder in the checkout."""
    import shutil

    shutil.copytree(ROOT / "lib", target / "lib", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, target / name)
    return target


#: A run of the suite: one id shared by every pytest process of `make test`
#: (scripts/run_tests.sh sets it; xdist's workers share their own).
RUN_ID = (os.environ.get("COURSE_TEST_RUN") or os.environ.get("PYTEST_XDIST_TESTRUNUID")
          or f"{os.getpid()}-{time.time_ns()}")  # fmt: skip


def make_once(target: str, *args: str) -> str:
    """Run ``make <target>`` once per test run, whichever process asks first.

    The tests build what the README and the publishing workflow build, with
    the same commands (`make book`, `make book-zh`, `make pdf`, ...). Several
    pytest processes share ``_build/``: a lock makes the builds take turns
    (two Sphinx builds must not write one folder at once), and a marker per
    target records that this run built it, so the others reuse it. Returns the
    build's log (empty when another process built it); fails on a failed build.
    """
    import fcntl

    BUILD.mkdir(exist_ok=True)
    marker = BUILD / f".made-{target}"
    # The kernels must use matplotlib's inline backend: with MPLBACKEND=Agg
    # (set for the doctests) plt.show() would draw nothing into the book.
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    with open(BUILD / ".builds.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists() and marker.read_text(encoding="utf-8") == RUN_ID:
            return ""
        proc = subprocess.run(["make", "--no-print-directory", target, *args],
                              capture_output=True, text=True, env=env, cwd=ROOT)  # fmt: skip
        log = proc.stdout + proc.stderr
        (BUILD / f"make-{target}.log").write_text(log, encoding="utf-8")
        assert proc.returncode == 0, f"make {target} failed; see _build/make-{target}.log\n{log[-4000:]}"
        marker.write_text(RUN_ID, encoding="utf-8")
        return log


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The book, built once per test run by `make book` (cached execution:
    only changed notebooks are re-executed)."""
    log = make_once("book")
    if log:
        (BUILD / "build.log").write_text(log, encoding="utf-8")
        assert "build succeeded" in log
    return HTML


@pytest.fixture(scope="session")
def zh_book(request) -> Path:
    """The Chinese edition's HTML folder, built once per run by `make book-zh`
    after the English book."""
    if os.environ.get("BOOK_HTML"):
        html = (Path(os.environ["BOOK_HTML"]).resolve().parent / "zh" / "html").resolve()
        assert (html / "index.html").exists(), f"no Chinese edition next to BOOK_HTML: {html}"
        return html
    request.getfixturevalue("built_book")  # the English book first: its cache serves both
    log = make_once("book-zh")
    if log:
        (BUILD / "zh" / "build.log").write_text(log, encoding="utf-8")
    return BUILD / "zh" / "html"
