"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

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
