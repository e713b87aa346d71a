"""Graded exercises: one notebook per course module, checked in the notebook with learntools' conventions.

In a learner's notebook::

    from playbook.course.exercises import exercise
    q1, q2, q3, q4 = exercise("03_platforms_and_niches", globals())
    er_reach = ...      # the learner's answer
    q1.check()          # passed / wrong (with the likely mistake) / not attempted; never raises
    q1.hint()           # the next hint; q1.hint(2) a given one
    q1.solution()       # the worked answer

The questions live in `playbook.course.exercises.bank`; masters in `solutions/`, learner copies generated into
`exercises/` by `playbook exercises build` (`build.py`); workshop grading in `grading.py`.
"""

from __future__ import annotations

from playbook.course.exercises.binding import BoundOpen, BoundQuestion, exercise
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Result, judge

__all__ = [
    "BoundOpen",
    "BoundQuestion",
    "Exercise",
    "Mistake",
    "OpenQuestion",
    "Question",
    "Result",
    "exercise",
    "judge",
]
