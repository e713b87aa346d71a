"""Quizzes as data: every module's file loads, its notebook loads it, answers are not guessable by length,
choices are shuffled per learner and scores are saved in the documented format."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest

from playbook.analytics.compliance import compliance_summary
from playbook.course.quiz import (
    QUIZ_DIR,
    SCORE_COLUMNS,
    SCORES_FILE,
    load_questions,
    load_quiz,
    question,
    quiz,
    shuffle_seed,
)
from playbook.data.layout import NOTEBOOKS_DIR, SAMPLE_DIR
from playbook.data.loading import load
from playbook.data.registry import benchmark

MODULES = sorted(p.stem for p in NOTEBOOKS_DIR.glob("[01][0-9]_*.ipynb"))
MAX_LONGEST_CORRECT = 0.40  # issue 13: a test fails when the longest option is correct in > 40%


@pytest.fixture(scope="module")
def tables() -> dict:
    return load(SAMPLE_DIR)


@pytest.fixture(scope="module")
def questions(tables: dict) -> dict:
    return {m: load_questions(m, tables) for m in MODULES}


def test_every_module_has_a_quiz_file_and_its_notebook_loads_it() -> None:
    assert len(MODULES) == 14
    assert sorted(p.stem for p in QUIZ_DIR.glob("*.yaml")) == MODULES
    for module in MODULES:
        nb = nbformat.read(NOTEBOOKS_DIR / f"{module}.ipynb", as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert f'load_quiz("{module}"' in code, module
        assert "question(" not in code, f"{module}: questions belong in {QUIZ_DIR.name}/{module}.yaml"


@pytest.mark.parametrize("module", MODULES)
def test_the_longest_choice_is_not_a_reliable_guess(module: str, questions: dict) -> None:
    qs = questions[module]
    assert len(qs) >= 5
    # ties count against us: a correct choice as long as the longest is "the longest"
    longest = [
        q.id
        for q in qs
        if len(next(c.text for c in q.choices if c.correct)) >= max(map(len, (c.text for c in q.choices)))
    ]
    assert len(longest) / len(qs) <= MAX_LONGEST_CORRECT, f"{module}: longest is correct in {longest}"


def test_every_choice_has_feedback_and_ids_are_unique(questions: dict) -> None:
    for module, qs in questions.items():
        assert len({q.id for q in qs}) == len(qs), module
        for q in qs:
            assert len({c.id for c in q.choices}) == len(q.choices) >= 3, (module, q.id)
            assert all(c.feedback.strip() for c in q.choices), (module, q.id)


def test_values_come_from_the_registry_and_the_data(questions: dict, tables: dict) -> None:
    emv = benchmark("emv_per_dollar_imh_2020").value
    assert f"returns {emv:g} dollars" in questions["02_strategy"][1].prompt
    scenario = next(q for q in questions["05_outreach_and_communication"] if "sample's sponsored" in q.prompt)
    us = compliance_summary(tables["posts"], by=None, jurisdiction="US")["share_compliant"].iloc[0]
    assert next(c for c in scenario.choices if c.correct).text == f"{us:.1%}"


def test_choices_are_shuffled_per_learner_and_stable() -> None:
    module = "09_incrementality"
    orders = {
        who: [
            [c.id for c in q.choices] for q in load_quiz(module, learner=who, scores_dir=Path(".")).questions
        ]
        for who in ("ana", "ben", "chen")
    }
    again = [
        [c.id for c in q.choices] for q in load_quiz(module, learner="ana", scores_dir=Path(".")).questions
    ]
    assert again == orders["ana"]  # the same learner sees the same order every time
    assert orders["ana"] != orders["ben"] or orders["ana"] != orders["chen"]
    assert shuffle_seed("ana", module) != shuffle_seed("ana", "08_measuring_performance")
    # the correct choice does not sit in one position for every question
    app = load_quiz(module, learner="ana", scores_dir=Path("."))
    positions = {[c.correct for c in q.choices].index(True) for q in app.questions}
    assert len(positions) > 1


def test_scores_are_saved_per_attempt(tmp_path: Path) -> None:
    module = "00_start_here"
    app = load_quiz(module, learner="ana", scores_dir=tmp_path)
    correct = [next(c.id for c in q.choices if c.correct) for q in app.questions]
    wrong = next(c.id for c in app.questions[1].choices if not c.correct)
    app.choose(0, correct[0])
    app.choose(1, wrong)  # question 3 onwards left unanswered
    assert app.check() == 1
    assert "1 of 5 right" in app.result.value and SCORES_FILE in app.result.value
    for i, choice in enumerate(correct):
        app.choose(i, choice)
    assert app.check() == 5
    with (tmp_path / SCORES_FILE).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == SCORE_COLUMNS and len(rows) == 10
    first, second = rows[:5], rows[5:]
    assert [r["attempt"] for r in first] == ["1"] * 5 and [r["attempt"] for r in second] == ["2"] * 5
    assert [r["correct"] for r in first] == ["1", "0", "0", "0", "0"]
    assert first[1]["choice_id"] == wrong and first[2]["choice_id"] == ""
    assert {r["learner"] for r in rows} == {"ana"} and {r["module"] for r in rows} == {module}
    assert all(r["checked_at"].endswith("Z") for r in rows)


def test_a_foreign_scores_file_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / SCORES_FILE).write_text("name,score\nx,1\n", encoding="utf-8")
    app = load_quiz("00_start_here", learner="ana", scores_dir=tmp_path)
    with pytest.raises(ValueError, match="columns"):
        app.check()
    assert (tmp_path / SCORES_FILE).read_text(encoding="utf-8") == "name,score\nx,1\n"


def test_bad_quiz_file_names_file_and_question(tmp_path: Path) -> None:
    bad = tmp_path / "99_bad.yaml"
    two_right = (
        "module: 99_bad\nquestions:\n- id: q1\n  prompt: Why\n  choices:\n"
        "  - {id: a, text: x, correct: true, feedback: f}\n"
        "  - {id: b, text: y, correct: true, feedback: f}\n"
    )
    bad.write_text(two_right, encoding="utf-8")
    with pytest.raises(ValueError, match=r"99_bad.yaml: question 1 \(q1\)"):
        load_questions("99_bad", path=bad)
    bad.write_text("module: 99_bad\nvalues: {x: {sample: nope}}\nquestions: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"values.x"):
        load_questions("99_bad", path=bad)
    bad.write_text("module: 99_bad\nquestions:\n- id: q1\n  prompt: ?\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"99_bad.yaml: line 4, column 11: expected valid YAML"):
        load_questions("99_bad", path=bad)


def test_plain_quiz_keeps_the_given_order_and_saves_nothing(tmp_path: Path) -> None:
    app = quiz([question("?", ("a", False, "no"), ("b", True, "yes"))])
    assert [c.text for c in app.questions[0].choices] == ["a", "b"]
    app.choose(0, 1)
    assert app.check() == 1 and "Saved" not in app.result.value
