"""The checker: graded questions with learntools' conventions (`q1.check()`, `q1.hint()`, `q1.solution()`).

A `Question` names the learner's variable, how to compute the expected answer from the sample data
(through the public `playbook.data` / `playbook.analytics` API), and the known `Mistake`s: each one computes
the value a likely mistake produces and says what went wrong. `judge` turns an answer into a `Result`:

- "not attempted": the variable is missing or still holds the stub `...` (learntools' NotAttempted);
- "passed": equal to the expected answer (numbers within `rel_tol`), or the question's rule accepts it;
- "wrong": with the message of the first matching mistake, else a generic message naming the type or
  direction of the miss.

`check()` displays a result and never raises, so "Run All" on a learner's notebook never stops at a check.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from playbook.data.cache import load_tables
from playbook.data.layout import SAMPLE_DIR

__all__ = [
    "REL_TOL",
    "SETUP_IMPORTS",
    "STATUSES",
    "Exercise",
    "Mistake",
    "NotAttempted",
    "OpenQuestion",
    "Question",
    "Result",
    "Tables",
    "judge",
    "result_html",
    "same",
    "sample_tables",
    "solution_answers",
]


Tables = Mapping[str, pd.DataFrame]
STATUSES: tuple[str, ...] = ("passed", "wrong", "not attempted")
REL_TOL = 1e-4  # our choice: 4 significant figures agree; learners round nothing, rounding to 2 dp fails


@cache
def sample_tables() -> dict[str, pd.DataFrame]:
    """The sample data every check compares with: the validated tables of SAMPLE_DIR (`data.cache`, the same
    contracts as `load(SAMPLE_DIR)`; milliseconds when cached), read once per process and never the
    learner's own (possibly modified) copy."""
    return load_tables(SAMPLE_DIR)


@dataclass(frozen=True)
class Result:
    """Outcome of one check: `status` (one of STATUSES) and the message shown to the learner."""

    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass(frozen=True)
class Mistake:
    """A likely mistake: `value(tables)` is the answer it produces; `message` (text, or a function of the
    tables giving text with figures from the data) says what went wrong; `{answer}` in it becomes the
    learner's value formatted by the question's `fmt`."""

    value: Callable[[Tables], Any]
    message: str | Callable[[Tables], str]

    def text(self, tables: Tables, answer: str) -> str:
        """The message for this data, with the learner's (formatted) answer in place of `{answer}`."""
        template = self.message(tables) if callable(self.message) else self.message
        return template.replace("{answer}", answer)


@dataclass(frozen=True)
class Question:
    """One graded question of an exercise.

    var: the learner's variable; title: a few words for gradebooks; expected(tables): the right answer, unless
    `rule(answer, tables)` is given, which returns None when the answer passes, else the wrong-answer message
    (decisions checked against the analytics rules, e.g. a caption against `compliance.check_disclosure`).
    fmt: format spec of numbers in messages; hints: graded, vaguest first; solution: the worked code;
    wrong_examples: answers that must fail (for rule questions, whose mistakes have no single value), each
    with a fragment of the message it must produce; practises: the guide points it trains ("Job 4").
    Numbers compare with `rel_tol`, strings ignoring case and
    surrounding spaces, lists and sets as sets of strings.
    """

    var: str
    title: str
    hints: Sequence[str]
    solution: str
    expected: Callable[[Tables], Any] | None = None
    rule: Callable[[Any, Tables], str | None] | None = None
    mistakes: Sequence[Mistake] = ()
    fmt: str = ",.4g"
    rel_tol: float = REL_TOL
    wrong_examples: Sequence[tuple[Any, str]] = ()
    points: int = 1
    practises: tuple[str, ...] = ()  # the guide's jobs and skills ("Job 4", "Skill 6"), notebooks/README.md

    def __post_init__(self) -> None:
        if (self.expected is None) == (self.rule is None):
            raise ValueError(f"question {self.var!r}: give exactly one of expected or rule")

    def example_answer(self, tables: Tables) -> Any:
        """An answer that passes: the expected value (rule questions keep theirs in `solution_value`)."""
        if self.expected is not None:
            return self.expected(tables)
        raise ValueError(f"question {self.var!r} is judged by a rule; see its solution")


@dataclass(frozen=True)
class OpenQuestion:
    """An open question: no check; `solution()` shows the model answer."""

    title: str
    model_answer: str


@dataclass(frozen=True)
class Exercise:
    """The graded questions of one module's exercise notebook (`stem`, e.g. "03_platforms_and_niches");
    `minutes`: the time we plan for it, within the module's practice minutes (the trainer guide shows it)."""

    stem: str
    module: str
    minutes: int
    questions: tuple[Question, ...]
    open_question: OpenQuestion

    def question(self, name: str) -> Question:
        """The question called `name` ("q1", "q2", ...)."""
        index = int(name.removeprefix("q")) - 1
        if not 0 <= index < len(self.questions):
            raise KeyError(f"{self.stem} has questions q1 to q{len(self.questions)}; no {name!r}")
        return self.questions[index]


class _NotAttempted:
    def __repr__(self) -> str:
        return "<not attempted>"


NotAttempted = _NotAttempted()  # what a missing variable reads as


def _as_number(value: object) -> float | None:
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | float) or (hasattr(value, "dtype") and getattr(value, "ndim", 1) == 0):
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
    return None


def _as_set(value: object) -> frozenset[str] | None:
    if isinstance(value, str | bytes) or not isinstance(
        value, list | tuple | set | frozenset | pd.Series | pd.Index
    ):
        return None
    return frozenset(str(v).strip().lower() for v in value)


def same(answer: object, expected: object, rel_tol: float = REL_TOL) -> bool:
    """Whether `answer` matches `expected`: numbers within rel_tol, strings ignoring case and outer spaces,
    booleans exactly, collections as sets of strings."""
    if isinstance(expected, bool | np.bool_):
        return isinstance(answer, bool | np.bool_) and bool(answer) == bool(expected)
    number = _as_number(expected)
    if number is not None:
        mine = _as_number(answer)
        return mine is not None and math.isclose(mine, number, rel_tol=rel_tol, abs_tol=1e-12)
    if isinstance(expected, str):
        return isinstance(answer, str) and answer.strip().lower() == expected.strip().lower()
    wanted = _as_set(expected)
    if wanted is not None:
        return _as_set(answer) == wanted
    raise TypeError(f"cannot compare answers of type {type(expected).__name__}")


def _kind(value: object) -> str:
    if isinstance(value, bool | np.bool_):
        return "True or False"
    if _as_number(value) is not None:
        return "a number"
    if isinstance(value, str):
        return "a text (str)"
    return "a list of ids"


def _shown(value: object, spec: str) -> str:
    number = _as_number(value)
    if number is not None:
        return format(number, spec)
    if isinstance(value, str):
        return repr(value)
    members = _as_set(value)
    if members is not None:
        return ", ".join(sorted(members)) or "nothing"
    return type(value).__name__


def _generic(answer: object, expected: object, spec: str) -> str:
    if _kind(answer) != _kind(expected):
        return f"Expected {_kind(expected)}, got {type(answer).__name__} ({_shown(answer, spec)})."
    mine, right = _as_number(answer), _as_number(expected)
    if mine is not None and right is not None and right != 0:
        if math.isclose(mine, 100 * right, rel_tol=1e-4):
            return f"{_shown(answer, spec)} looks like a percentage; give the fraction (0.05, not 5)."
        if math.isclose(mine, right, rel_tol=0.01):
            return f"{_shown(answer, spec)} is close but not exact: do not round before checking."
        return f"{_shown(answer, spec)} is too {'high' if mine > right else 'low'}; try q.hint()."
    if isinstance(expected, str):
        return f"{_shown(answer, spec)} is not the answer; try q.hint()."
    wanted, given = _as_set(expected) or frozenset(), _as_set(answer) or frozenset()
    parts = []
    if given - wanted:
        parts.append(f"{len(given - wanted)} of yours should not be there")
    if wanted - given:
        parts.append(f"{len(wanted - given)} are missing")
    return "Not the right set: " + " and ".join(parts) + "; try q.hint()."


def judge(question: Question, answer: object, tables: Tables | None = None) -> Result:
    """Grade one answer (never raises: a checker error is reported as a wrong answer with its text)."""
    if answer is NotAttempted:
        return Result("not attempted", f"`{question.var}` is not defined: run its cell (did it raise?).")
    if answer is Ellipsis:
        return Result("not attempted", f"Give `{question.var}` a value (it still holds the stub `...`).")
    tables = sample_tables() if tables is None else tables
    try:
        if question.rule is not None:
            problem = question.rule(answer, tables)
            return Result("passed", "Correct.") if problem is None else Result("wrong", problem)
        expected = question.expected(tables)  # type: ignore[misc]
        if same(answer, expected, question.rel_tol):
            return Result("passed", "Correct.")
        for mistake in question.mistakes:
            if same(answer, mistake.value(tables), question.rel_tol):
                return Result("wrong", mistake.text(tables, _shown(answer, question.fmt)))
        return Result("wrong", _generic(answer, expected, question.fmt))
    except Exception as err:  # a learner's odd value must never stop "Run All"
        return Result("wrong", f"Could not check `{question.var}`: {type(err).__name__}: {err}")


_COLOURS = {"passed": "#1a7f37", "wrong": "#b42318", "not attempted": "#8a6d00"}


def result_html(name: str, question: Question, result: Result) -> str:
    """The result as a coloured HTML line, e.g. "q1 (engagement rate by reach): passed. Correct."."""
    colour = _COLOURS[result.status]
    return (
        f'<p style="color:{colour}"><b>{html.escape(name)} ({html.escape(question.title)}): '
        f"{result.status}.</b> {html.escape(result.message)}</p>"
    )


SETUP_IMPORTS = (
    "import pandas as pd\n"
    "from playbook.analytics import (\n"
    "    attribution, capacity, compliance, incrementality, kpis, metrics, planning, relationships, trends,\n"
    "    vetting,\n"
    ")\n"
    "from playbook.data import cleaning, registry\n"
    "from playbook.data.layout import SAMPLE_DIR\n"
    "from playbook.data.loading import load"
)  # the names every exercise notebook's setup cell imports; solutions may use them


def solution_answers(exercise: Exercise, tables: Tables | None = None) -> dict[str, Any]:
    """Run every question's worked solution in one namespace (as the notebook does, in order) and return the
    answers by variable name: how the tests prove each solution passes its own check."""
    namespace: dict[str, Any] = {"tables": sample_tables() if tables is None else tables}
    exec(SETUP_IMPORTS, namespace)
    for question in exercise.questions:
        exec(question.solution, namespace)
    return {q.var: namespace.get(q.var, NotAttempted) for q in exercise.questions}
