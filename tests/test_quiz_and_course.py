"""Quiz widget (driven by setting values and clicking, no browser) and course metadata helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playbook.course import catalogue as course
from playbook.course.quiz import question, quiz
from playbook.data import registry


def _two_questions() -> list:
    return [
        question(
            "What does ER by reach divide by?",
            ("Followers", False, "That is ER by followers."),
            ("Accounts reached", True, "Engagements / reach."),
        ),
        question(
            "Is EMV part of ROI?",
            ("Yes", False, "EMV is not revenue."),
            ("No", True, "It is a relative index."),
        ),
    ]


def test_quiz_gives_feedback_per_answer_and_a_score() -> None:
    app = quiz(_two_questions(), pass_share=1.0)
    app.choose(0, 1)
    app.choose(1, 0)
    app.check_button.click()
    assert "Correct" in app.feedback[0].value and "Engagements / reach." in app.feedback[0].value
    assert "Not quite" in app.feedback[1].value and "EMV is not revenue." in app.feedback[1].value
    assert "1 of 2 right" in app.result.value and "try again" in app.result.value
    app.choose(1, 1)
    assert app.check() == 2
    assert "passed" in app.result.value


def test_unanswered_question_is_pointed_out() -> None:
    app = quiz(_two_questions())
    app.check_button.click()
    assert all("Pick an answer" in f.value for f in app.feedback)
    assert "0 of 2 right" in app.result.value


def test_question_needs_exactly_one_correct_choice() -> None:
    with pytest.raises(ValueError, match="exactly one correct"):
        question("?", ("a", True, ""), ("b", True, ""))


def test_quiz_escapes_text() -> None:
    app = quiz([question("<script>x</script>?", ("a", True, "<b>fine</b>"), ("b", False, ""))])
    assert "<script>" not in app.widget.children[0].value
    app.choose(0, 0)
    app.check()
    assert "&lt;b&gt;fine" in app.feedback[0].value


def _write_module(directory: Path, stem: str, order: int, minutes: int, prereq: list[str]) -> None:
    meta = {
        "title": f"Module {order}",
        "order": order,
        "teaching_minutes": minutes // 2,
        "practice_minutes": minutes - minutes // 2,
        "prerequisites": prereq,
        "objectives": [f"Objective of {stem}"],
        "key_points": [f"Key point of {stem}"],
    }
    nb = {"cells": [], "metadata": {"playbook": meta}, "nbformat": 4, "nbformat_minor": 5}
    (directory / f"{stem}.ipynb").write_text(json.dumps(nb))


def test_module_metadata_header_and_agenda(tmp_path: Path) -> None:
    _write_module(tmp_path, "01_a", 1, 60, [])
    _write_module(tmp_path, "02_b", 2, 60, ["01_a"])
    _write_module(tmp_path, "03_c", 3, 120, ["02_b"])
    course.modules.cache_clear()
    assert [m.stem for m in course.modules(tmp_path)] == ["01_a", "02_b", "03_c"]
    assert course.module("02_b", tmp_path).minutes == 60
    # half day = 210 min: 01 (60), a break (15) before 02 since 60 + 60 > 90, then 02 (60)
    items = course.agenda("half_day", directory=tmp_path, plan=("01_a", "02_b"))
    assert items == [("Module 1", 60), ("Break", 15), ("Module 2", 60)]
    # all three (60 + 60 + 120 + two breaks = 270 min) do not fit a half day
    with pytest.raises(ValueError, match="needs 270 min"):
        course.agenda("half_day", directory=tmp_path, plan=("01_a", "02_b", "03_c"))
    assert len(course.agenda("one_day", directory=tmp_path, plan=("01_a", "02_b", "03_c"))) == 5
    with pytest.raises(KeyError, match="unknown module"):
        course.module("99_x", tmp_path)
    with pytest.raises(ValueError, match="unknown format"):
        course.agenda("week", directory=tmp_path, plan=())


def test_incomplete_metadata_is_reported(tmp_path: Path) -> None:
    (tmp_path / "01_a.ipynb").write_text(json.dumps({"cells": [], "metadata": {"playbook": {"title": "x"}}}))
    course.modules.cache_clear()
    with pytest.raises(ValueError, match="lacks order"):
        course.modules(tmp_path)


def test_benchmark_table_carries_sources() -> None:
    table = registry.benchmark_table(["reply_rate_creator_heepsy"])
    assert table.loc[0, "typical"] == 0.4
    assert table.loc[0, "source"].startswith("Heepsy")
    assert table.loc[0, "url"].startswith("https://")
