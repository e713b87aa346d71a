"""Graded exercises: every question's checker (solution passes, stub not attempted, each known mistake fails
with its own message), the generated learner notebooks, `start`, and the CLI's build check."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from test_kernel import notebook_problems

from playbook.cli import main
from playbook.course.exercises import exercise
from playbook.course.exercises.bank import exercises, get_exercise
from playbook.course.exercises.build import (
    BEGIN,
    END,
    MarkerError,
    build,
    learner_notebook,
    stale,
    start,
    strip_solutions,
)
from playbook.course.exercises.core import NotAttempted, judge, same, sample_tables, solution_answers
from playbook.data.layout import EXERCISES_DIR, NOTEBOOKS_DIR, SOLUTIONS_DIR

EXERCISES = exercises()
QUESTIONS = [(ex.stem, i) for ex in EXERCISES for i in range(len(ex.questions))]
QUESTION_IDS = [f"{stem[:2]}-{get_exercise(stem).questions[i].var}" for stem, i in QUESTIONS]
MISTAKES = [
    (stem, i, j) for stem, i in QUESTIONS for j in range(len(get_exercise(stem).questions[i].mistakes))
]
RULE_CASES = [
    (stem, i, j) for stem, i in QUESTIONS for j in range(len(get_exercise(stem).questions[i].wrong_examples))
]


@cache
def _solutions(stem: str) -> dict:
    return solution_answers(get_exercise(stem))


def test_one_exercise_per_module_in_course_order():
    modules = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))
    assert [ex.stem for ex in EXERCISES] == modules
    assert all(len(ex.questions) >= 3 and ex.open_question.model_answer for ex in EXERCISES)


@pytest.mark.parametrize(("stem", "index"), QUESTIONS, ids=QUESTION_IDS)
def test_question(stem, index):
    question = get_exercise(stem).questions[index]
    # the worked solution (run as the notebook runs it) passes its own check
    assert judge(question, _solutions(stem)[question.var]).status == "passed"
    # an untouched stub, or a variable never defined, is "not attempted", not "wrong"
    assert judge(question, ...).status == "not attempted"
    assert judge(question, NotAttempted).status == "not attempted"
    # every question knows at least one likely mistake with its own message
    assert question.mistakes or question.wrong_examples


@pytest.mark.parametrize(("stem", "index", "m"), MISTAKES)
def test_known_mistake_gets_its_message(stem, index, m):
    tables = sample_tables()
    question = get_exercise(stem).questions[index]
    mistake = question.mistakes[m]
    wrong = mistake.value(tables)
    result = judge(question, wrong)
    assert result.status == "wrong"
    # its own message, not an earlier mistake's or the generic one; figures come from the data
    assert result.message == mistake.text(tables, _shown(wrong, question.fmt))


def _shown(value, spec):
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return ", ".join(sorted(str(v).lower() for v in value))
    return format(float(value), spec)


@pytest.mark.parametrize(("stem", "index", "k"), RULE_CASES)
def test_rule_question_rejects_known_wrong_answers(stem, index, k):
    question = get_exercise(stem).questions[index]
    answer, fragment = question.wrong_examples[k]
    result = judge(question, answer)
    assert result.status == "wrong"
    assert fragment in result.message


def test_counts_for_the_report():
    graded = sum(len(ex.questions) for ex in EXERCISES)
    messages = sum(len(q.mistakes) + len(q.wrong_examples) for ex in EXERCISES for q in ex.questions)
    assert len(EXERCISES) == 14
    assert graded >= 42
    assert messages >= graded


# --- the comparison and the generic messages ------------------------------------------------------------


def test_same_compares_by_kind():
    assert same(0.1234567, 0.1234568)
    assert not same(0.12, 0.1234567)  # rounded by hand: not the same answer
    assert same(np.float64(3.0), 3)
    assert same(" Negotiation ", "negotiation")
    assert same(["CPA", "ROAS", "iROAS"], ("iroas", "cpa", "roas"))
    assert same(np.bool_(True), True)
    assert not same(1, True)  # a number is not an answer to a yes/no question
    assert not same("3", 3)


def test_generic_messages_name_the_likely_slip():
    question = get_exercise("03_platforms_and_niches").questions[1]  # reach rate, a fraction
    right = question.expected(sample_tables())
    assert "percentage" in judge(question, right * 100).message
    assert "do not round" in judge(question, round(right, 3)).message
    assert "too high" in judge(question, right * 3).message
    assert "Expected a number" in judge(question, "0.27").message


def test_check_never_raises_and_displays(monkeypatch):
    shown_objects: list = []
    monkeypatch.setattr("playbook.course.exercises.binding.display", shown_objects.append)
    ns: dict = {"reach_rate": pd.DataFrame({"x": [1]})}
    q1, q2, _q3, q4 = exercise("03_platforms_and_niches", ns)
    result = q2.check()
    assert result.status == "wrong" and "Expected a number" in result.message
    assert q1.check().status == "not attempted"  # er_reach never defined
    q2.hint()
    q2.hint()
    q2.hint()  # past the last hint: stays on the last
    q2.solution()
    q4.check()
    q4.solution()
    shown = "\n".join(getattr(obj, "data", "") for obj in shown_objects)
    assert "Hint 1 of 2" in shown and shown.count("Hint 2 of 2") == 2
    assert "reach_rate = " in shown and "Model answer" in shown


def test_a_checker_error_is_reported_not_raised():
    question = get_exercise("05_outreach_and_communication").questions[2]  # caption rule
    assert judge(question, None).status == "wrong"


# --- written once, generated twice ---------------------------------------------------------------------


def test_strip_solutions():
    source = (
        "a = 1\n# BEGIN SOLUTION\nb = a + 1\n# END SOLUTION\n"
        "answer = b * 2  # SOLUTION\nprint(a)  # SOLUTION\nq1.check()"
    )
    assert strip_solutions(source) == "a = 1\n# YOUR CODE HERE\nanswer = ...\nq1.check()"
    with pytest.raises(MarkerError, match=r"x\.ipynb cell 3"):
        strip_solutions(f"{BEGIN}\nb = 1", "x.ipynb cell 3")
    with pytest.raises(MarkerError):
        strip_solutions(f"b = 1\n{END}")


def test_committed_learner_notebooks_are_up_to_date():
    assert stale(SOLUTIONS_DIR, EXERCISES_DIR) == [], "run: playbook exercises build"
    assert main(["exercises", "build", "--check"]) == 0


@pytest.mark.parametrize("path", sorted([*SOLUTIONS_DIR.glob("*.ipynb"), *EXERCISES_DIR.glob("*.ipynb")]))
def test_exercise_notebooks_are_clean(path):
    assert notebook_problems(path) == []


@pytest.mark.parametrize("ex", EXERCISES, ids=[ex.stem for ex in EXERCISES])
def test_master_holds_the_bank_solutions_and_stubs_hold_none(ex):
    master = nbformat.read(SOLUTIONS_DIR / f"{ex.stem}.ipynb", as_version=4)
    code = "\n".join(c.source for c in master.cells if c.cell_type == "code")
    for question in ex.questions:
        marked = question.solution.rsplit("\n", 1)
        body = "" if len(marked) == 1 else f"{BEGIN}\n{marked[0]}\n{END}\n"
        assert f"{body}{marked[-1]}  # SOLUTION" in code, f"{ex.stem} {question.var}: master != bank solution"
    learner = learner_notebook(master, "x")
    stub = "\n".join(c.source for c in learner.cells if c.cell_type == "code")
    assert "SOLUTION" not in stub
    for question in ex.questions:
        assert f"{question.var} = ..." in stub
    assert [c.id for c in learner.cells] == [c.id for c in master.cells]


def test_stale_detects_a_hand_edit(tmp_path):
    out = tmp_path / "exercises"
    build(SOLUTIONS_DIR, out)
    assert stale(SOLUTIONS_DIR, out) == []
    edited = out / "00_start_here.ipynb"
    edited.write_text(edited.read_text().replace("...", "42", 1))
    (out / "99_extra.ipynb").write_text("{}")
    (out / "01_the_team.ipynb").unlink()
    assert stale(SOLUTIONS_DIR, out) == [
        "orphan 99_extra.ipynb",
        "stale 00_start_here.ipynb",
        "missing 01_the_team.ipynb",
    ]


def test_start_copies_and_never_overwrites(tmp_path):
    mine = tmp_path / "mine"
    copied = start(EXERCISES_DIR, mine)
    assert len(copied) == len(EXERCISES)
    work = mine / "02_strategy.ipynb"
    work.write_text("my work")
    (mine / "00_start_here.ipynb").unlink()
    with pytest.raises(FileExistsError, match="refusing to overwrite 13"):
        start(EXERCISES_DIR, mine)
    assert work.read_text() == "my work"
    assert not (mine / "00_start_here.ipynb").exists()  # all or nothing
    with pytest.raises(FileExistsError):
        start(EXERCISES_DIR, EXERCISES_DIR)
    # regenerating the learner notebooks never touches a learner's folder
    before = {p.name: p.read_bytes() for p in mine.iterdir()}
    build(SOLUTIONS_DIR, tmp_path / "exercises")
    assert {p.name: p.read_bytes() for p in mine.iterdir()} == before


def test_cli_start_refuses_an_existing_copy(tmp_path, capsys):
    assert main(["exercises", "start", "--dir", str(tmp_path / "me")]) == 0
    assert main(["exercises", "start", "--dir", str(tmp_path / "me")]) == 1
    assert "refusing to overwrite" in capsys.readouterr().err


def test_solution_answers_run_in_notebook_order():
    answers = _solutions("10_trends_and_market")  # q2 and q3 reuse q1's `rising`
    assert all(answer is not NotAttempted for answer in answers.values())


def test_unknown_exercise_lists_the_known_ones():
    with pytest.raises(KeyError, match="00_start_here"):
        get_exercise("99_nothing")
    assert Path(SOLUTIONS_DIR).is_dir()


# --- links between the course and the exercises ----------------------------------------------------------


def test_course_links_are_current():
    from playbook.course.exercises.links import stale_links

    assert stale_links() == [], "run: playbook exercises build"


def test_every_module_ends_with_its_exercise_and_guide_points_are_all_practised():
    from playbook.course.catalogue import module
    from playbook.course.exercises.links import LINK_TAG, module_link_markdown, practice_table

    for ex in EXERCISES:
        last = nbformat.read(NOTEBOOKS_DIR / f"{ex.stem}.ipynb", as_version=4).cells[-1]
        assert LINK_TAG in last.metadata.get("tags", []) and last.source == module_link_markdown(ex)
        assert f"../exercises/{ex.stem}.ipynb" in last.source
        assert ex.minutes <= module(ex.stem).practice_minutes  # done in the module's practice time
        master = nbformat.read(SOLUTIONS_DIR / f"{ex.stem}.ipynb", as_version=4)
        assert f"about {ex.minutes} minutes" in master.cells[0].source
    table = practice_table()
    for point in [f"Job {i}" for i in range(1, 6)] + [f"Skill {i}" for i in range(1, 7)]:
        assert f"| {point} |" in table, f"no exercise question practises {point}"
