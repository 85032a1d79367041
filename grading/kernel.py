"""Execute one submission in its own fresh, isolated kernel (nbclient).

The submission's cells run as they are (errors do not stop execution), with
two kinds of grader cells added: before each answer cell ``answer = ...``
(so an answer cell that fails, or that a student emptied, cannot leave an
earlier exercise's value behind), and after it a capture cell that prints the
value of ``answer`` as data (:mod:`grading.capture`). The grader reads only
the outputs of its own capture cells, and only as data.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from grading import isolation
from grading.capture import MARKER

DONE = "@@course-grading-done@@"


def check_call(label: str) -> re.Pattern:
    """The ``check("label", ...)`` call of an answer cell."""
    return re.compile(r"\bcheck\(\s*['\"]" + re.escape(label) + r"['\"]")


class _IsolatedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel command runs under the isolation prefix."""

    prefix: tuple[str, ...] = ()

    def format_kernel_cmd(self, extra_arguments=None):
        return list(self.prefix) + super().format_kernel_cmd(extra_arguments)


@dataclass
class Run:
    """What a graded run left: captured answers, answer-cell errors, limits hit."""

    answers: dict[str, dict] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    reached: set[str] = field(default_factory=set)
    timed_out: bool = False
    completed: bool = False
    seconds: float = 0.0
    problem: str = ""


def graded_notebook(nb: nbformat.NotebookNode, labels: list[str]) -> tuple[nbformat.NotebookNode, dict]:
    """The submission with its outputs removed and the grader's cells added.

    Returns the notebook and, per label, the indices of (answer cell, capture cell).
    """
    cells, where = [], {}
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell.outputs, cell.execution_count = [], None  # a submission's outputs are ignored
        hits = [lb for lb in labels if cell.get("cell_type") == "code" and check_call(lb).search(cell.source)]
        if hits:
            cells.append(nbformat.v4.new_code_cell("answer = ...  # reset by the grader"))
        cells.append(cell)
        answer_index = len(cells) - 1
        for label in hits:
            cells.append(nbformat.v4.new_code_cell(
                "import _course_capture as __course_capture\n"
                f"__course_capture.capture({label!r}, globals().get('answer', ...))"))
            where[label] = (answer_index, len(cells) - 1)
    cells.append(nbformat.v4.new_code_cell(f"print({DONE!r})"))
    for k, cell in enumerate(cells):
        cell["id"] = f"g{k:04d}"
    out = nbformat.v4.new_notebook(cells=cells, metadata=nb.get("metadata", {}))
    return out, where


def _stream_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def _error_text(cell) -> str | None:
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            return f"{o.get('ename', 'Error')}: {o.get('evalue', '')}"[:500]
    return None


async def _stop(km: AsyncKernelManager) -> None:
    try:
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001 - the kernel may be gone already
        pass


def run_submission(path: Path, labels: list[str], *, cell_timeout: int, total_timeout: int) -> Run:
    """Execute the submission at ``path`` and collect its answers to ``labels``."""
    run = Run()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported
        run.problem = f"not a readable notebook ({type(exc).__name__}: {str(exc)[:200]})"
        return run
    graded, where = graded_notebook(nb, labels)
    work = isolation.temp_dir("course-kernel-")
    try:
        isolation.write_copy(work / "site", graded_kernel=True)
        (work / "home").mkdir()
        (work / "cwd").mkdir()
        km = _IsolatedKernelManager(kernel_name="python3", transport="ipc",
                                    connection_file=str(work / "kernel.json"))
        km.ip = str(work / "ipc")
        km.prefix = isolation.wrapper()[0]
        # Interrupt by message: a signal would reach the unshare wrapper, not the kernel.
        km.kernel_spec.interrupt_mode = "message"
        client = NotebookClient(graded, km=km, timeout=cell_timeout, allow_errors=True,
                                interrupt_on_timeout=True, startup_timeout=60,
                                resources={"metadata": {"path": str(work / "cwd")}})
        env = isolation.clean_env(work / "site", work / "home")
        start = time.monotonic()

        async def execute() -> None:
            task = asyncio.ensure_future(client.async_execute(env=env))
            try:
                done, _ = await asyncio.wait({task}, timeout=total_timeout)
                if not done:  # the total limit: stop the kernel, then the client
                    run.timed_out = True
                    await _stop(km)
                    task.cancel()
                    try:
                        await task
                    except BaseException:  # noqa: BLE001 - whatever a killed run raises
                        pass
                else:
                    task.result()
            finally:
                await _stop(km)

        try:
            asyncio.run(execute())
        except Exception as exc:  # noqa: BLE001 - a kernel that died is the submission's doing
            run.problem = f"the kernel stopped ({type(exc).__name__}: {str(exc)[:200]})"
        run.seconds = time.monotonic() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run.completed = DONE in _stream_text(graded.cells[-1])
    for label, (answer_index, capture_index) in where.items():
        capture_cell = graded.cells[capture_index]
        if capture_cell.get("execution_count") is not None or capture_cell.get("outputs"):
            run.reached.add(label)
        error = _error_text(graded.cells[answer_index])
        if error:
            run.errors[label] = error
        for line in _stream_text(capture_cell).splitlines():
            if line.startswith(MARKER):
                try:
                    record = json.loads(line[len(MARKER):])
                except ValueError:
                    continue
                if isinstance(record, dict) and record.get("label") == label:
                    run.answers[label] = record.get("answer")
    return run
