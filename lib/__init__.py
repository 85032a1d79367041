"""Companion package of the course "AI and Work: A Critical, Executable Edition".

Every function a chapter uses lives here and is tested:

* :mod:`lib.policy` -- the employment-policy model of seed 000, symbolic and numeric;
* :mod:`lib.coordination` -- a planner's model in which coordination is worth something:
  KKT, a decentralised benchmark, the value of coordination (Part I);
* :mod:`lib.policy_learning` -- the policy cycle as learning from noisy outcomes (Part I);
* :mod:`lib.listing` -- static reading of the articles' code listings;
* :mod:`lib.matching` -- task-worker matching, duals and online assignment (seed 001);
* :mod:`lib.network` -- capacities as a network: cloned workers, min-cost flow, prices
  from shortest paths (seed 001);
* :mod:`lib.floors` -- minimum-earnings floors, an integer program (seed 001);
* :mod:`lib.assignment_algorithms` -- how an assignment is found: vertices, augmenting
  paths and auctions (seed 001);
* :mod:`lib.wages` -- wages from duals: the core, its extreme points, stable matchings
  (seed 001);
* :mod:`lib.online` -- real-time policies: batching, bid prices, sample-then-match,
  adversaries (seed 001);
* :mod:`lib.regression` -- least-squares quality prediction (seed 002);
* :mod:`lib.inference` -- standard errors, intervals and omitted-variable bias of least squares;
* :mod:`lib.robust` -- Huber regression with a stated scale rule;
* :mod:`lib.ridge` -- ridge regression, its coefficient path and cross-validation;
* :mod:`lib.metrics` -- classification reports, token and entity level (seed 002);
* :mod:`lib.ner` -- a generated tagged corpus and a numpy token tagger (seed 002);
* :mod:`lib.checks` -- automatic checks for the exercises;
* :mod:`lib.plots` and :mod:`lib.widgets` -- figures and interactive controls;
* :mod:`lib.display` -- showing the library's own source in a chapter.

The modules are imported on demand (``import lib.matching``) so that
``import lib`` stays fast.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    # The one version is pyproject.toml's, read from the installed metadata.
    __version__ = version("ai-work-course-lib")
except PackageNotFoundError:  # imported from a checkout that was never installed
    __version__ = "0+unknown"
del PackageNotFoundError, version
