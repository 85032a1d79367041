"""Companion package of the course "AI and Work: A Critical, Executable Edition".

Every function a chapter uses lives here and is tested:

* :mod:`lib.matching` -- task-worker matching (seed 001);
* :mod:`lib.checks` -- automatic checks for the exercises;
* :mod:`lib.plots` -- figures shared by the chapters;
* :mod:`lib.display` -- showing the library's own source in a chapter.

The modules are imported on demand (``import lib.matching``) so that
``import lib`` stays fast.
"""

__version__ = "0.1.0"
