"""Companion package of the course "AI and Work: A Critical, Executable Edition".

Every function a chapter uses lives here and is tested:

* :mod:`lib.policy` -- the employment-policy model of seed 000, symbolic and numeric;
* :mod:`lib.matching` -- task-worker matching, duals and online assignment (seed 001);
* :mod:`lib.regression` -- least-squares quality prediction (seed 002);
* :mod:`lib.metrics` -- classification reports, token and entity level (seed 002);
* :mod:`lib.ner` -- a generated tagged corpus and a numpy token tagger (seed 002);
* :mod:`lib.checks` -- automatic checks for the exercises;
* :mod:`lib.plots` and :mod:`lib.widgets` -- figures and interactive controls;
* :mod:`lib.display` -- showing the library's own source in a chapter.

The modules are imported on demand (``import lib.matching``) so that
``import lib`` stays fast.
"""

__version__ = "0.1.0"
