"""Lint: ruff finds nothing in lib, tests and the scripts (the rules and the
line length are in pyproject.toml, [tool.ruff])."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from conftest import ROOT

LINTED = [name for name in ("lib", "tests", "scripts", "grading") if (ROOT / name).is_dir()]


def test_ruff_finds_nothing():
    if importlib.util.find_spec("ruff") is None:
        pytest.fail("ruff is not installed: install the test tools (pip install -r requirements.lock).")
    # --no-cache: the check leaves no .ruff_cache behind in the checkout.
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *LINTED],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, f"ruff check {' '.join(LINTED)} failed:\n{run.stdout}{run.stderr}"
