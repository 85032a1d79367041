"""Graded assignments for the course: assignment notebooks and a grader.

* :mod:`grading.assign` writes ``_build/assignments/<chapter-stem>/`` (``make
  assignments``): the student notebook with a hand-in cell, and
  ``grading.json`` (labels, kinds, points, rubrics).
* :mod:`grading.grade` grades a directory of submissions (``make grade``):
  each runs in its own isolated kernel (:mod:`grading.kernel`,
  :mod:`grading.isolation`); the answers come back as data
  (:mod:`grading.capture`, :mod:`grading.values`) and are judged in the
  grader's own process, implement answers on hidden instances from the
  grading secret (:mod:`grading.secret`, :mod:`grading.sandbox`).

CONTRIBUTING.md ("Graded assignments") gives the rules: points, secret,
what is trusted.
"""
