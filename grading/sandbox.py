"""Run a captured student function on hidden instances in a fresh process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from grading import isolation
from grading.capture import encode

MARKER = "@@course-grading-sandbox@@"


def run_function(record: dict, instances: list[dict], hide: tuple[str, ...],
                 timeout: float) -> dict:
    """The student's outputs on ``instances`` (encoded), or a failure record.

    The process is isolated (:func:`grading.isolation.wrapper`), has a clean
    environment and a fresh copy of lib written from the grader's snapshot,
    and the lib functions ``hide`` names are replaced before the student's
    code runs (``lib.checks._core._Hidden``).
    """
    work = isolation.temp_dir("course-sandbox-")
    try:
        isolation.write_copy(work / "site", graded_kernel=True)
        (work / "home").mkdir()
        request = json.dumps({"function": record, "hide": list(hide),
                              "instances": [{k: encode(v) for k, v in inst.items()} for inst in instances]})
        command = [*isolation.wrapper()[0], sys.executable, "-I", "-c", isolation.SANDBOX_MAIN,
                   str(work / "site")]
        try:
            done = subprocess.run(command, input=request, capture_output=True, text=True,
                                  timeout=timeout, env=isolation.clean_env(work / "site", work / "home"),
                                  cwd=work / "home")
        except subprocess.TimeoutExpired:
            return {"outputs": [], "failure": {"kind": "timeout", "seconds": timeout}}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith(MARKER)]
    if not lines:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"outputs": [], "failure": {"kind": "crashed", "message": tail[0][:300]}}
    try:
        return json.loads(lines[-1][len(MARKER):])
    except ValueError:
        return {"outputs": [], "failure": {"kind": "crashed", "message": "unreadable output"}}
