"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import os
import subprocess
import sys
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
SEEDS = ROOT / "sources" / "seeds"
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


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the book once per test run (cached execution: only changed
    notebooks are re-executed)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from cache_guard import guard

    guard()  # outputs computed by an older lib must not be reused
    jb = Path(sys.executable).with_name("jupyter-book")
    # The kernels must use matplotlib's inline backend: with MPLBACKEND=Agg
    # (set for the doctests) plt.show() would draw nothing into the book.
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    log = proc.stdout + proc.stderr
    (BUILD / "build.log").parent.mkdir(exist_ok=True)
    (BUILD / "build.log").write_text(log, encoding="utf-8")
    assert proc.returncode == 0, f"book build failed; see _build/build.log\n{log[-4000:]}"
    assert "build succeeded" in log
    return HTML


@pytest.fixture(scope="session")
def zh_book(request) -> Path:
    """The Chinese edition's HTML folder, built once per session after the English book."""
    if os.environ.get("BOOK_HTML"):
        html = (Path(os.environ["BOOK_HTML"]).resolve().parent / "zh" / "html").resolve()
        assert (html / "index.html").exists(), f"no Chinese edition next to BOOK_HTML: {html}"
        return html
    request.getfixturevalue("built_book")  # the English book first: its cache serves both
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    proc = subprocess.run([sys.executable, "scripts/book_edition.py", "zh"],
                          capture_output=True, text=True, env=env, cwd=ROOT)  # fmt: skip
    log = proc.stdout + proc.stderr
    (ROOT / "_build" / "zh" / "build.log").write_text(log, encoding="utf-8")
    assert proc.returncode == 0, f"Chinese edition build failed; see _build/zh/build.log\n{log[-4000:]}"
    return ROOT / "_build" / "zh" / "html"
