"""Questions bound to a notebook's namespace: `q1.check()` reads the learner's variable from `globals()`."""

from __future__ import annotations

import html
import json
from collections.abc import MutableMapping
from typing import Any

from IPython.display import HTML, Markdown, display

from playbook.course.exercises.bank import get_exercise
from playbook.course.exercises.core import NotAttempted, OpenQuestion, Question, Result, judge, result_html

__all__ = [
    "RESULTS_MARKER",
    "BoundOpen",
    "BoundQuestion",
    "exercise",
    "print_results",
]


class BoundQuestion:
    """One graded question of a notebook: `check()`, `hint(n)`, `solution()` (learntools' names)."""

    def __init__(self, name: str, question: Question, namespace: MutableMapping[str, Any]) -> None:
        self.name, self.question, self._namespace = name, question, namespace
        self._hints_shown = 0

    def result(self) -> Result:
        """The learner's current result, without displaying it (used by `check` and by grading)."""
        return judge(self.question, self._namespace.get(self.question.var, NotAttempted))

    def check(self) -> Result:
        """Display whether the answer passes; never raises. Returns the `Result`."""
        result = self.result()
        display(HTML(result_html(self.name, self.question, result)))
        return result

    def hint(self, n: int | None = None) -> None:
        """Show hint `n` (1-based); without `n`, the next one (graded: vaguest first)."""
        hints = self.question.hints
        if n is None:
            self._hints_shown = min(self._hints_shown + 1, len(hints))
            n = self._hints_shown
        if not 1 <= n <= len(hints):
            display(HTML(f"<p>{self.name} has hints 1 to {len(hints)}.</p>"))
            return
        display(HTML(f"<p><b>Hint {n} of {len(hints)}:</b> {html.escape(hints[n - 1])}</p>"))

    def solution(self) -> None:
        """Show the worked answer as code."""
        display(Markdown(f"**Solution to {self.name}:**\n\n```python\n{self.question.solution}\n```"))


class BoundOpen:
    """The open question: no automatic check; `solution()` shows the model answer."""

    def __init__(self, name: str, question: OpenQuestion) -> None:
        self.name, self.question = name, question

    def check(self) -> None:
        """Open questions are not graded automatically: say so and point to the model answer."""
        display(
            HTML(f"<p>{self.name} is open: compare your answer with <code>{self.name}.solution()</code>.</p>")
        )

    def hint(self, n: int | None = None) -> None:
        """Open questions have no hints; the model answer is the guide."""
        self.check()

    def solution(self) -> None:
        """Show the model answer."""
        display(Markdown(f"**Model answer to {self.name}:**\n\n{self.question.model_answer}"))


def exercise(stem: str, namespace: MutableMapping[str, Any]) -> tuple[BoundQuestion | BoundOpen, ...]:
    """The questions of exercise `stem` bound to `namespace` (pass `globals()`): q1, q2, ..., then the open
    question last."""
    ex = get_exercise(stem)
    bound: list[BoundQuestion | BoundOpen] = [
        BoundQuestion(f"q{i}", q, namespace) for i, q in enumerate(ex.questions, start=1)
    ]
    bound.append(BoundOpen(f"q{len(ex.questions) + 1}", ex.open_question))
    return tuple(bound)


RESULTS_MARKER = "PLAYBOOK-EXERCISE-RESULTS "


def print_results(stem: str, namespace: MutableMapping[str, Any]) -> None:
    """Print the results of every graded question of `stem` against `namespace` as one JSON line (prefixed
    with RESULTS_MARKER): the cell the grader appends to a submitted notebook."""
    rows = []
    for i, question in enumerate(get_exercise(stem).questions, start=1):
        result = BoundQuestion(f"q{i}", question, namespace).result()
        rows.append({"question": f"q{i}", "status": result.status, "message": result.message})
    print(RESULTS_MARKER + json.dumps(rows))
