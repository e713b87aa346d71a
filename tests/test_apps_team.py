"""Apps of modules 00 (Start here) and 01 (The team itself), driven without a browser.

Formulas are checked on small hand-made frames with the arithmetic written out; the apps are then driven on
the committed sample by setting `.value` and clicking buttons.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from playbook import doctor
from playbook.analytics import team as ateam
from playbook.analytics.relationships import team_ops_metrics
from playbook.course import catalogue as course
from playbook.course.apps import team as at
from playbook.doctor import Check


def chart_rows(chart: object) -> list[dict]:
    """The rows a chart embeds (altair moves inline data into the spec's `datasets`)."""
    datasets = chart.to_dict()["datasets"]
    assert len(datasets) == 1
    return next(iter(datasets.values()))


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    from playbook.data.loading import load
    from playbook.data.synth.generate import SAMPLE_DIR

    return load(SAMPLE_DIR)


# --------------------------------------------------------------------------- module 00
def test_tier_check_updates_with_the_slider() -> None:
    app = at.TierCheckApp(followers=25_000)
    # reference section 1.9: Hootsuite micro is 10K-50K; old HypeAuditor mid is 20K-100K
    assert app.result["hootsuite_imh"] == "micro"
    assert app.result["hypeauditor_pre2021"] == "mid"
    app.followers.value = 999  # below Hootsuite's 1K nano floor; Later x Fohr nano starts at 0
    assert app.result["hootsuite_imh"] == "sub_nano"
    assert app.result["later_fohr_2021"] == "nano"
    assert "999 followers" in app.summary.value


def test_doctor_table_flattens_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = [
        lambda: Check("python", "OK", "3.11"),
        lambda: [Check("pandas", "FAIL", "too old", "pip install pandas"), Check("x", "WARN", "hm")],
    ]
    monkeypatch.setattr(doctor, "all_checks", lambda data_dir: fake)
    table = doctor.checks_table(Path("."))
    assert table["check"].tolist() == ["python", "pandas", "x"]
    assert table["status"].tolist() == ["OK", "FAIL", "WARN"]
    assert table.loc[1, "fix"] == "pip install pandas"


def _write_module(directory: Path, stem: str, order: int, teaching: int, practice: int) -> None:
    meta = {
        "title": f"Module {order}",
        "order": order,
        "teaching_minutes": teaching,
        "practice_minutes": practice,
        "prerequisites": [],
        "objectives": ["o"],
        "key_points": ["k"],
    }
    (directory / f"{stem}.ipynb").write_text(json.dumps({"cells": [], "metadata": {"playbook": meta}}))


def test_course_map_lists_modules_in_order(tmp_path: Path) -> None:
    _write_module(tmp_path, "02_b", 2, 20, 25)
    _write_module(tmp_path, "01_a", 1, 10, 15)
    course.modules.cache_clear()
    table = at.course_map(tmp_path)
    assert table["module"].tolist() == ["01_a", "02_b"]
    assert table["total_minutes"].tolist() == [25, 45]  # 10 + 15, 20 + 25
    assert len(chart_rows(at.course_map_chart(table))) == 4  # 2 modules x (teaching, practice)


# --------------------------------------------------------------------------- roles


def test_role_hours_chart_is_aggregated(sample: dict[str, pd.DataFrame]) -> None:
    assert len(chart_rows(at.role_hours_chart(sample))) <= 5 * 9  # roles x task categories


# --------------------------------------------------------------------------- RACI


def test_raci_app_revalidates_on_change_and_buttons() -> None:
    app = at.RaciApp()
    assert app.problems.empty and "Valid" in app.summary.value
    app.dropdowns[("Approve content", "analyst")].value = "A"
    assert len(app.problems) == 1
    assert "campaign_manager, analyst" in app.problems.loc[0, "problem"]
    app.clear_button.click()
    # every activity now lacks both an A and an R: 2 problems x 12 activities
    assert len(app.problems) == 2 * len(ateam.ACTIVITIES)
    app.reset_button.click()
    assert app.problems.empty
    expected_a = sum("A" in cells.get("head_of_influencer", "") for cells in ateam.DEFAULT_RACI.values())
    assert app.load.set_index("role").loc["head_of_influencer", "accountable"] == expected_a


# --------------------------------------------------------------------------- team size


def test_team_size_app_follows_its_sliders(sample: dict[str, pd.DataFrame]) -> None:
    app = at.TeamSizeApp(sample)
    assert (app.campaigns.value, app.creators.value) == ateam.programme_pace(sample)
    before = app.result["annual_hours"].sum()
    app.campaigns.value = app.campaigns.value * 2
    assert app.result["annual_hours"].sum() == pytest.approx(2 * before)
    expected = ateam.team_size(
        sample, app.campaigns.value, app.creators.value, working_weeks=40, focus_share=0.5, basis="estimate"
    )
    app.weeks.value, app.focus.value, app.basis.value = 40, 0.5, "estimate"
    pd.testing.assert_frame_equal(app.result, expected)
    assert f"{expected['fte_needed'].sum():.1f} FTE" in app.summary.value
    assert len(app.out.outputs) == 1 and "<svg" in app.out.outputs[0]["data"]["image/svg+xml"]


# --------------------------------------------------------------------------- operations
def test_ops_overview_matches_team_ops_metrics(sample: dict[str, pd.DataFrame]) -> None:
    overview = ateam.ops_overview(sample).set_index("metric")
    direct = team_ops_metrics(sample)
    for metric, value in direct.items():
        assert overview.loc[metric, "value"] == pytest.approx(value)
    assert (overview["definition"] != "").all()
    rows = chart_rows(at.ops_by_campaign_chart(sample))
    assert 0 < len(rows) <= 4 * len(sample["campaigns"])
    assert all(0 <= r["rate"] <= 1 for r in rows)
