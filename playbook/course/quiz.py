"""Self-check quizzes: ipywidgets multiple choice with feedback per answer and a pass mark.

    app = quiz([
        question("What does ER by reach divide by?",
                 ("Followers", False, "That is ER by followers: a different basis."),
                 ("Accounts reached", True, "Right: engagements / reach.")),
    ])
    app            # displays the quiz in a notebook

Tests drive it without a browser: `app.choose(0, 1)`, `app.check_button.click()`, then read
`app.feedback[0].value` and `app.result.value`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets

DEFAULT_PASS_SHARE = 0.8  # our choice: 4 of 5 right, as in the HubSpot/Meta-style certification quizzes


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    prompt: str
    choices: tuple[Choice, ...]

    def __post_init__(self) -> None:
        if sum(c.correct for c in self.choices) != 1:
            raise ValueError(f"question {self.prompt!r} needs exactly one correct choice")


def question(prompt: str, *choices: tuple[str, bool, str]) -> Question:
    """A question from (text, correct, feedback) triples; exactly one must be correct."""
    return Question(prompt, tuple(Choice(*c) for c in choices))


class QuizApp:
    """A quiz's widget tree and the state tests drive (`choose`, `check_button`, `feedback`, `result`)."""

    def __init__(self, questions: list[Question], pass_share: float = DEFAULT_PASS_SHARE) -> None:
        self.questions = questions
        self.pass_share = pass_share
        self.answers = [
            widgets.RadioButtons(
                options=[c.text for c in q.choices], value=None, layout={"width": "max-content"}
            )
            for q in questions
        ]
        self.feedback = [widgets.HTML("") for _ in questions]
        self.check_button = widgets.Button(description="Check my answers", button_style="primary")
        self.result = widgets.HTML("")
        self.check_button.on_click(lambda _: self.check())
        rows = []
        for i, (q, answer, fb) in enumerate(zip(questions, self.answers, self.feedback, strict=True)):
            rows.append(widgets.HTML(f"<b>{i + 1}. {html.escape(q.prompt)}</b>"))
            rows += [answer, fb]
        self.widget = widgets.VBox([*rows, self.check_button, self.result])

    def choose(self, index: int, choice: int) -> None:
        """Select choice number `choice` of question `index` (what a learner's click does)."""
        self.answers[index].value = self.questions[index].choices[choice].text

    def check(self) -> int:
        """Mark every question, show feedback per answer and the score; returns the number right."""
        right = 0
        for q, answer, fb in zip(self.questions, self.answers, self.feedback, strict=True):
            chosen = next((c for c in q.choices if c.text == answer.value), None)
            if chosen is None:
                fb.value = "<span style='color:#8a6d3b'>Pick an answer.</span>"
                continue
            right += chosen.correct
            colour, mark = ("#2e7d32", "Correct") if chosen.correct else ("#c62828", "Not quite")
            fb.value = f"<span style='color:{colour}'>{mark}: {html.escape(chosen.feedback)}</span>"
        total = len(self.questions)
        passed = total > 0 and right / total >= self.pass_share
        verdict = "passed" if passed else f"try again (pass mark {self.pass_share:.0%})"
        self.result.value = f"<b>{right} of {total} right: {verdict}</b>"
        return right

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def quiz(questions: list[Question], pass_share: float = DEFAULT_PASS_SHARE) -> QuizApp:
    """Build a quiz app from questions made with `question(...)`."""
    return QuizApp(questions, pass_share)
