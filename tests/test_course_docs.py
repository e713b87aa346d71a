"""The course as a whole: traceability table, trainer guide and module metadata stay true to the notebooks."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import notebook_headings

from playbook.course import catalogue as course

README = course.NOTEBOOKS_DIR / "README.md"
ROW = re.compile(
    r"^\|\s*(?P<point>[^|]+?)\s*\|\s*\[(?P<stem>[0-9]{2}_[a-z_]+)\]\([^)]*\)\s*\|\s*(?P<section>[^|]+?)\s*\|$"
)


def _headings(stem: str) -> set[str]:
    nb = nbformat.read(course.NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    return {h[3:] for h in notebook_headings(nb)}


def _trace_rows() -> list[dict[str, str]]:
    rows = [m.groupdict() for line in README.read_text().splitlines() if (m := ROW.match(line))]
    assert rows, f"no traceability rows found in {README}"
    return rows


def test_traceability_table_names_modules_and_sections_that_exist() -> None:
    stems = {m.stem for m in course.modules()}
    for row in _trace_rows():
        assert row["stem"] in stems, f"{row['point']}: module {row['stem']} does not exist"
        assert row["section"] in _headings(row["stem"]), (
            f"{row['point']}: {row['stem']} has no section '## {row['section']}'"
        )


@pytest.mark.parametrize("job", ["Job 1", "Job 2", "Job 3", "Job 4", "Job 5"])
def test_every_job_is_taught(job: str) -> None:
    assert any(r["point"].startswith(job) for r in _trace_rows())


@pytest.mark.parametrize("skill", [f"Skill {i}" for i in range(1, 7)])
def test_every_skill_is_taught(skill: str) -> None:
    assert any(r["point"].startswith(skill) for r in _trace_rows())


def test_every_module_is_complete() -> None:
    stems = {m.stem for m in course.modules()}
    assert len(stems) >= 14
    for m in course.modules():
        assert 3 <= len(m.objectives) <= 6 and 3 <= len(m.key_points) <= 7, m.stem
        assert m.teaching_minutes > 0 and m.practice_minutes > 0, m.stem
        assert set(m.prerequisites) <= stems, f"{m.stem}: unknown prerequisite"
        assert all(course.module(p).order < m.order for p in m.prerequisites), f"{m.stem}: prerequisite later"
        headings = _headings(m.stem)
        assert {"Key points", "Self-check quiz"} <= headings, f"{m.stem} lacks key points or quiz"
        nb = nbformat.read(course.NOTEBOOKS_DIR / f"{m.stem}.ipynb", as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert f'module_header("{m.stem}")' in code and "quiz(" in code, m.stem
        assert (course.NOTEBOOKS_DIR / "trainer" / f"{m.stem}.md").exists(), f"{m.stem}: no instructor notes"


def test_every_decision_has_a_rubric_and_a_model_answer() -> None:
    # every module with a "Your decision" cell has, in its trainer notes, a rubric (numbered criteria) and a
    # model answer under one heading
    for m in course.modules():
        if "Your decision" not in _headings(m.stem):
            continue
        notes = (course.NOTEBOOKS_DIR / "trainer" / f"{m.stem}.md").read_text()
        assert "## Your decision: rubric and model answer" in notes, f"{m.stem}: no rubric"
        section = notes.split("## Your decision: rubric and model answer", 1)[1]
        assert "| 1 |" in section and "**Model answer.**" in section, (
            f"{m.stem}: rubric or model answer missing"
        )


def test_trainer_guide_is_current() -> None:
    assert course.TRAINER_GUIDE.read_text() == course.render_trainer_guide(), (
        "notebooks/TRAINER.md is stale: run `python -m playbook.course.catalogue`"
    )


def test_workshop_plans_fit_their_formats() -> None:
    for fmt in course.FORMATS:
        items = course.agenda(fmt)
        assert sum(minutes for _, minutes in items) <= course.FORMATS[fmt]
