"""Self-check quizzes: questions as data, choices shuffled per learner, feedback per answer, scores kept.

Each module's questions live in ``playbook/resources/quizzes/<module>.yaml`` (format:
``playbook/resources/quizzes/README.md``); a notebook shows its quiz with one call::

    load_quiz("05_outreach_and_communication")

The order of the choices is shuffled with a seed derived from the learner's name and the module, so each
learner sees a stable order of their own and the answer is never "always the first". Numbers a question
needs come from the registry (``benchmark``) or are computed on the module's data (``sample``), so the text
never restates a figure by hand. Pressing **Check my answers** marks every question and appends one row per
question to ``quiz_scores.csv`` in the learner's folder (`learner_dir`); the format is documented in the
README above and read by the exercises gradebook.

Tests drive it without a browser: ``app.choose(0, 1)`` (question 0, its choice 1 in the file's order),
``app.check_button.click()``, then read ``app.feedback[0].value`` and ``app.result.value``.
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import html
import io
import os
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import yaml

from playbook.analytics.compliance import compliance_summary
from playbook.data.io import atomic_write_text
from playbook.data.layout import RESOURCES_DIR
from playbook.data.registry import benchmark

__all__ = [
    "DEFAULT_PASS_SHARE",
    "QUIZ_DIR",
    "SAMPLE_VALUES",
    "SCORES_FILE",
    "SCORE_COLUMNS",
    "Choice",
    "Question",
    "QuizApp",
    "learner_dir",
    "learner_name",
    "load_questions",
    "load_quiz",
    "question",
    "quiz",
    "shuffle_seed",
]

DEFAULT_PASS_SHARE = 0.8  # our choice: 4 of 5 right, as in the HubSpot/Meta-style certification quizzes
QUIZ_DIR: Path = RESOURCES_DIR / "quizzes"
SCORES_FILE = "quiz_scores.csv"
SCORE_COLUMNS: tuple[str, ...] = (
    "learner",
    "module",
    "attempt",
    "checked_at",
    "question_id",
    "choice_id",
    "correct",
)


def _disclosure_share(status: str | tuple[str, ...], jurisdiction: str) -> Callable[[Mapping], float]:
    statuses = (status,) if isinstance(status, str) else status

    def value(tables: Mapping[str, pd.DataFrame]) -> float:
        row = compliance_summary(tables["posts"], by=None, jurisdiction=jurisdiction).iloc[0]
        return float(sum(row[f"share_{s}"] for s in statuses))

    return value


# Numbers a question can ask about, computed on the module's data by the analytics functions.
SAMPLE_VALUES: dict[str, Callable[[Mapping[str, pd.DataFrame]], float]] = {
    "disclosure_share_compliant_us": _disclosure_share("compliant", "US"),
    "disclosure_share_compliant_uk": _disclosure_share("compliant", "UK"),
    "disclosure_share_compliant_or_late_us": _disclosure_share(("compliant", "late"), "US"),
}


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str
    id: str = ""


@dataclass(frozen=True)
class Question:
    prompt: str
    choices: tuple[Choice, ...]
    id: str = ""

    def __post_init__(self) -> None:
        if sum(c.correct for c in self.choices) != 1:
            raise ValueError(f"question {self.prompt!r} needs exactly one correct choice")
        if len({c.text for c in self.choices}) != len(self.choices):
            raise ValueError(f"question {self.prompt!r} has two choices with the same text")


def question(prompt: str, *choices: tuple[str, bool, str]) -> Question:
    """A question from (text, correct, feedback) triples; exactly one must be correct."""
    return Question(prompt, tuple(Choice(*c, id="abcdefgh"[i]) for i, c in enumerate(choices)))


# --------------------------------------------------------------------------- learner
def learner_name() -> str:
    """The learner's name: ``PLAYBOOK_LEARNER`` if set, else the login name."""
    return os.environ.get("PLAYBOOK_LEARNER") or getpass.getuser()


def learner_dir() -> Path:
    """The learner's folder for scores: ``PLAYBOOK_LEARNER_DIR`` if set (point it at the folder of
    `playbook exercises start`), else ``~/influencer-playbook``."""
    found = os.environ.get("PLAYBOOK_LEARNER_DIR")
    return Path(found).expanduser() if found else Path.home() / "influencer-playbook"


def shuffle_seed(learner: str, module: str) -> int:
    """The seed of one learner's choice order in one module: the first 8 bytes of sha256("learner|module")."""
    return int.from_bytes(hashlib.sha256(f"{learner}|{module}".encode()).digest()[:8], "big")


# --------------------------------------------------------------------------- loading
def _problem(path: Path, where: str, expected: str) -> ValueError:
    return ValueError(f"{path.name}: {where}: expected {expected}")


def _values(path: Path, spec: object, tables: Mapping[str, pd.DataFrame] | None) -> dict[str, float]:
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise _problem(path, "values", "a mapping of name -> {benchmark: id} or {sample: name}")
    out: dict[str, float] = {}
    for name, source in spec.items():
        if not isinstance(source, dict) or len(source) != 1:
            raise _problem(path, f"values.{name}", "exactly one of benchmark or sample")
        ((kind, key),) = source.items()
        if kind == "benchmark":
            out[name] = benchmark(str(key)).value
        elif kind == "sample" and key in SAMPLE_VALUES:
            if tables is None:
                from playbook.data.layout import SAMPLE_DIR
                from playbook.data.loading import load

                tables = load(SAMPLE_DIR)
            out[name] = SAMPLE_VALUES[key](tables)
        else:
            known = ", ".join(sorted(SAMPLE_VALUES))
            raise _problem(path, f"values.{name}", f"benchmark: <id> or sample: one of {known}; got {source}")
    return out


def load_questions(
    module: str, tables: Mapping[str, pd.DataFrame] | None = None, path: Path | None = None
) -> list[Question]:
    """The questions of `module`'s quiz file, in the file's order, with ``{name:format}`` filled from its
    ``values``. ``tables``: the module's data for ``sample`` values (default: the bundled sample).
    ``ValueError`` names the file, the question and what was expected."""
    path = Path(path or QUIZ_DIR / f"{module}.yaml")
    if not path.is_file():
        raise FileNotFoundError(f"no quiz file for module {module!r}: {path}")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "the file"
        raise _problem(path, where, f"valid YAML ({getattr(exc, 'problem', exc)})") from exc
    if not isinstance(doc, dict) or doc.get("module") != module or not isinstance(doc.get("questions"), list):
        raise _problem(path, "top level", f"module: {module} and a list of questions")
    values = _values(path, doc.get("values"), tables)
    out: list[Question] = []
    for i, q in enumerate(doc["questions"]):
        where = f"question {i + 1} ({q.get('id', '?') if isinstance(q, dict) else '?'})"
        if not isinstance(q, dict) or not {"id", "prompt", "choices"} <= set(q):
            raise _problem(path, where, "id, prompt and choices")
        choices = []
        for c in q["choices"]:
            if not isinstance(c, dict) or set(c) != {"id", "text", "correct", "feedback"}:
                raise _problem(path, f"{where}, choice", "exactly id, text, correct and feedback")
            if not isinstance(c["correct"], bool):
                raise _problem(path, f"{where}, choice {c['id']}, correct", "true or false")
            try:
                text, feedback = str(c["text"]).format(**values), str(c["feedback"]).format(**values)
            except (KeyError, ValueError) as exc:
                raise _problem(path, f"{where}, choice {c['id']}", f"only names from values ({exc})") from exc
            choices.append(Choice(text, c["correct"], feedback, str(c["id"])))
        try:
            out.append(Question(str(q["prompt"]).format(**values), tuple(choices), str(q["id"])))
        except (KeyError, ValueError) as exc:
            raise _problem(path, where, f"one correct choice, distinct texts, known values ({exc})") from exc
    return out


# --------------------------------------------------------------------------- the widget
class QuizApp:
    """A quiz's widget tree and the state tests drive (`choose`, `check_button`, `feedback`, `result`).

    ``seed``: shuffles each question's choices (None keeps the file's order). ``module`` and
    ``scores_dir``: when both are given, every check appends the marks to ``scores_dir/quiz_scores.csv``.
    """

    def __init__(
        self,
        questions: list[Question],
        pass_share: float = DEFAULT_PASS_SHARE,
        *,
        seed: int | None = None,
        module: str = "",
        learner: str = "",
        scores_dir: Path | None = None,
    ) -> None:
        rng = random.Random(seed)
        if seed is not None:
            questions = [replace(q, choices=tuple(rng.sample(q.choices, len(q.choices)))) for q in questions]
        self.questions = questions
        self.pass_share = pass_share
        self.module, self.learner, self.scores_dir = module, learner, scores_dir
        self.answers = [
            widgets.RadioButtons(
                options=[c.text for c in q.choices],
                value=None,
                layout={"width": "max-content"},
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

    def choose(self, index: int, choice: int | str) -> None:
        """Select a choice of question `index` (what a learner's click does): by its id ("a") or by its
        number in the file's order (choices are shown shuffled, so the number is not the position)."""
        q = self.questions[index]
        if isinstance(choice, str):
            picked = next(c for c in q.choices if c.id == choice)
        else:
            picked = sorted(q.choices, key=lambda c: c.id)[choice]
        self.answers[index].value = picked.text

    def check(self) -> int:
        """Mark every question, show feedback per answer and the score, save it; returns the number right."""
        right = 0
        marks: list[tuple[str, str, int]] = []
        for q, answer, fb in zip(self.questions, self.answers, self.feedback, strict=True):
            chosen = next((c for c in q.choices if c.text == answer.value), None)
            if chosen is None:
                fb.value = "<span style='color:#8a6d3b'>Pick an answer.</span>"
                marks.append((q.id, "", 0))
                continue
            right += chosen.correct
            marks.append((q.id, chosen.id, int(chosen.correct)))
            colour, mark = ("#2e7d32", "Correct") if chosen.correct else ("#c62828", "Not quite")
            fb.value = f"<span style='color:{colour}'>{mark}: {html.escape(chosen.feedback)}</span>"
        total = len(self.questions)
        passed = total > 0 and right / total >= self.pass_share
        verdict = "passed" if passed else f"try again (pass mark {self.pass_share:.0%})"
        self.result.value = f"<b>{right} of {total} right: {verdict}</b>"
        if self.module and self.scores_dir is not None:
            path = _save_scores(Path(self.scores_dir), self.learner, self.module, marks)
            self.result.value += f"<br><small>Saved to {html.escape(str(path))}</small>"
        return right

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def _save_scores(folder: Path, learner: str, module: str, marks: list[tuple[str, str, int]]) -> Path:
    """Append one attempt (one row per question) to ``folder/quiz_scores.csv``, atomically."""
    path = folder / SCORES_FILE
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    rows = list(csv.DictReader(io.StringIO(old))) if old else []
    if rows and tuple(rows[0]) != SCORE_COLUMNS:
        raise ValueError(f"{path}: row 1, columns: expected {', '.join(SCORE_COLUMNS)}")
    attempt = 1 + max(
        (int(r["attempt"]) for r in rows if (r["learner"], r["module"]) == (learner, module)), default=0
    )
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not rows:
        writer.writerow(SCORE_COLUMNS)
    for question_id, choice_id, correct in marks:
        writer.writerow([learner, module, attempt, now, question_id, choice_id, correct])
    folder.mkdir(parents=True, exist_ok=True)
    return atomic_write_text(path, old + out.getvalue())


def quiz(questions: list[Question], pass_share: float = DEFAULT_PASS_SHARE) -> QuizApp:
    """Build a quiz app from questions made with `question(...)`, in the given order."""
    return QuizApp(questions, pass_share)


def load_quiz(
    module: str,
    *,
    learner: str | None = None,
    scores_dir: Path | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    pass_share: float = DEFAULT_PASS_SHARE,
) -> QuizApp:
    """The quiz of `module` from its file, choices shuffled for `learner` (default `learner_name()`), scores
    saved to `scores_dir` (default `learner_dir()`)."""
    who = learner or learner_name()
    return QuizApp(
        load_questions(module, tables),
        pass_share,
        seed=shuffle_seed(who, module),
        module=module,
        learner=who,
        scores_dir=scores_dir if scores_dir is not None else learner_dir(),
    )
