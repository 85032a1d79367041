"""Calling HiGHS's integer solver quietly.

With presolve off (which lib needs: HiGHS's presolve can cut off the optimum
of an instance whose scores span many decades), HiGHS's MIP solver prints a
debugging line, ``HighsMipSolverData::transformNewIntegerFeasibleSolution
tmpSolver.run();``, straight to the process's standard output, where no
Python setting reaches it, and a notebook shows it under the cell. This
module runs ``scipy.optimize.milp`` with file descriptor 1 pointed at the
null device, so that a reader sees only lib's own results.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from scipy.optimize import milp

__all__: list[str] = []  # private to lib


@contextlib.contextmanager
def _c_stdout_silenced() -> Iterator[None]:
    """Point file descriptor 1 at the null device for the duration (a no-op
    where the process has no such descriptor)."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError, AttributeError):  # no fd 1 (an embedded interpreter)
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            try:
                yield
            finally:
                os.dup2(saved, 1)
    finally:
        os.close(saved)


def quiet_milp(*args: Any, **kwargs: Any) -> Any:
    """``scipy.optimize.milp``, without HiGHS's debugging line on stdout."""
    with _c_stdout_silenced():
        return milp(*args, **kwargs)
