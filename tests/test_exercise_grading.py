"""Workshop grading over five made-up submissions of exercise 00: all correct, all stubs, wrong in known
places, one that raises, one that loops forever. The gradebook is asserted cell by cell."""

from __future__ import annotations

import shutil

import nbformat
import pandas as pd
import pytest

from playbook.course.exercises.bank import get_exercise
from playbook.course.exercises.grading import GRADEBOOK_COLUMNS, find_submissions, grade, learner_progress
from playbook.data.layout import EXERCISES_DIR, SOLUTIONS_DIR
from playbook.viz.charts import room_progress

STEM = "00_start_here"
RIGHT_Q1 = 'n_sponsored = int(tables["posts"]["sponsored"].sum())'
TIMEOUT = 20  # seconds per notebook: the looping one spends all of it; the others need a few


def _with_answers(answers: dict[int, str]) -> nbformat.NotebookNode:
    """The learner notebook with the code cell of question i replaced by answers[i]."""
    nb = nbformat.read(EXERCISES_DIR / f"{STEM}.ipynb", as_version=4)
    for cell in nb.cells:
        for i, code in answers.items():
            if cell.cell_type == "code" and f"q{i}.check()" in cell.source:
                cell.source = f"{code}\nq{i}.check()"
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("submissions")
    for learner in ("ada", "ben", "cem", "dee", "eli"):
        (root / learner).mkdir()
    shutil.copy(SOLUTIONS_DIR / f"{STEM}.ipynb", root / "ada")
    shutil.copy(EXERCISES_DIR / f"{STEM}.ipynb", root / "ben")
    wrong = _with_answers(
        {
            1: 'n_sponsored = len(tables["posts"])',  # counted every post
            2: 'c = tables["campaigns"]\nusd_budget = c.loc[c["currency"] == "USD", "budget"].sum()',
            3: 'multi_platform_creators = tables["accounts"]["creator_id"].nunique()',  # every creator
        }
    )
    nbformat.write(wrong, root / "cem" / f"{STEM}.ipynb")
    raises = _with_answers(
        {1: 'n_sponsored = int(tables["posts"]["sponsored"].sum())', 2: "usd_budget = 1 / 0"}
    )
    nbformat.write(raises, root / "dee" / f"{STEM}.ipynb")
    loops = _with_answers(
        {1: 'n_sponsored = int(tables["posts"]["sponsored"].sum())', 2: "while True:\n    pass"}
    )
    nbformat.write(loops, root / "eli" / f"{STEM}.ipynb")
    (root / "ada" / "notes.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    quiz = [  # the module quizzes' format: one row per question and attempt
        ("ada", "00_start_here", 1, "2026-12-06T09:00:00Z", f"q{i}", "a", int(i <= 2)) for i in range(1, 6)
    ]
    quiz += [("ada", "00_start_here", 2, "2026-12-06T09:05:00Z", f"q{i}", "a", 1) for i in range(1, 6)]
    quiz += [
        ("ada", "02_strategy", 1, "2026-12-06T10:00:00Z", f"q{i}", "b", int(i == 1)) for i in range(1, 5)
    ]
    columns = ["learner", "module", "attempt", "checked_at", "question_id", "choice_id", "correct"]
    pd.DataFrame(quiz, columns=columns).to_csv(root / "ada" / "quiz_scores.csv", index=False)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    out = tmp_path_factory.mktemp("out") / "gradebook.csv"
    book, page = grade(root, out, timeout=TIMEOUT, jobs=2)
    return root, before, out, page, book


def test_gradebook_cell_by_cell(graded):
    _root, _before, out, _page, book = graded
    written = pd.read_csv(out, keep_default_na=False)
    assert list(written.columns) == list(GRADEBOOK_COLUMNS)
    exercise_rows = written[written["question"] != "quiz"]
    table = {(r.learner, r.question): (r.status, r.message) for r in exercise_rows.itertuples()}
    questions = get_exercise(STEM).questions
    passed = ("passed", "Correct.")
    stub = {
        q: f"Give `{questions[int(q[1]) - 1].var}` a value (it still holds the stub `...`)."
        for q in ("q1", "q2", "q3")
    }
    undefined = {
        q: f"`{questions[int(q[1]) - 1].var}` is not defined: run its cell (did it raise?)."
        for q in ("q2", "q3")
    }
    assert table == {
        ("ada", "q1"): passed,
        ("ada", "q2"): passed,
        ("ada", "q3"): passed,
        ("ben", "q1"): ("not attempted", stub["q1"]),
        ("ben", "q2"): ("not attempted", stub["q2"]),
        ("ben", "q3"): ("not attempted", stub["q3"]),
        ("cem", "q1"): (
            "wrong",
            "7,074 is every post; the question asks for sponsored posts only (posts['sponsored']).",
        ),
        ("cem", "q2"): passed,
        ("cem", "q3"): ("wrong", "260 is every creator; keep those with more than one platform."),
        ("dee", "q1"): passed,
        ("dee", "q2"): ("not attempted", undefined["q2"]),
        ("dee", "q3"): ("not attempted", stub["q3"]),
        ("eli", "q1"): passed,
        ("eli", "q2"): ("not attempted", undefined["q2"]),
        ("eli", "q3"): ("not attempted", undefined["q3"]),
    }
    notes = dict(zip(exercise_rows["learner"], exercise_rows["notebook"], strict=False))
    assert notes["ada"] == notes["ben"] == notes["cem"] == "ran to the end"
    assert "ZeroDivisionError" in notes["dee"]
    assert notes["eli"] == f"stopped after {TIMEOUT} s in code cell 3 (an endless loop?)"
    assert exercise_rows.groupby("learner")["points"].sum().to_dict() == {
        "ada": 3,
        "ben": 0,
        "cem": 1,
        "dee": 1,
        "eli": 1,
    }
    quiz = written[written["question"] == "quiz"]
    # the latest attempt counts: 5 of 5 passes, 1 of 4 fails, whatever the pass mark
    assert quiz[["learner", "exercise", "status", "points"]].values.tolist() == [
        ["ada", "00_start_here", "passed", 5],
        ["ada", "02_strategy", "wrong", 1],
    ]
    assert quiz["message"].str.startswith("quiz: 5 of 5 right on attempt 2").tolist() == [True, False]
    assert len(book) == len(written)
    # the trainer's table: quiz answers are not exercise points (ada: 3 exercise points, quizzes apart)
    progress = learner_progress(written).set_index("learner")
    assert progress.loc["ada"].tolist() == ["3 of 3", 3, "1 of 2"]
    assert progress.loc["ben"].tolist() == ["0 of 3", 0, "none taken"]


def test_summary_page_and_inputs_untouched(graded):
    root, before, _out, page, _book = graded
    text = page.read_text()
    assert "<svg" in text and "Where the room is stuck" in text
    assert "7,074 is every post" in text  # the commonest wrong message of q1
    assert "notes.ipynb" in text  # listed as ignored, not graded
    assert "5 learners, 5 exercise notebooks graded" in text
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_find_submissions_by_folder_or_loose_file(tmp_path):
    shutil.copy(EXERCISES_DIR / f"{STEM}.ipynb", tmp_path / "zoe.ipynb")  # exercise known from metadata
    (tmp_path / "sam").mkdir()
    shutil.copy(EXERCISES_DIR / "02_strategy.ipynb", tmp_path / "sam")
    found, ignored = find_submissions(tmp_path)
    assert [(s.learner, s.exercise) for s in found] == [("zoe", STEM), ("sam", "02_strategy")]
    assert ignored == []


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        grade(tmp_path / "nope", tmp_path / "gb.csv")
    assert not (tmp_path / "gb.csv").exists()


def test_room_progress_chart_orders_questions():
    frame = pd.DataFrame(
        {
            "question": ["q1", "q1", "q2"],
            "status": ["passed", "wrong", "not attempted"],
            "learners": [3, 1, 4],
        }
    )
    spec = room_progress(frame).to_dict()
    assert spec["encoding"]["y"]["sort"] == ["q1", "q2"]
    with pytest.raises(ValueError, match="missing column"):
        room_progress(frame.drop(columns="learners"))
