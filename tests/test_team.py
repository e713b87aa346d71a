"""analytics.team: roles, RACI rules, team size from measured hours, operations KPIs.

Worked examples with the arithmetic next to each expected value (moved with the functions out of the
widget modules).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics import team as ateam


def small_team() -> dict[str, pd.DataFrame]:
    """Two campaigns: CP1 signs 2 creators, CP2 signs 4. Strategy (per campaign) is done by the head,
    outreach (per creator) by creator partnerships."""
    d = pd.Timestamp
    team = pd.DataFrame(
        {
            "member_id": ["M1", "M2", "M3"],
            "name": ["Head", "Partner", "Manager"],
            "role": ["head_of_influencer", "creator_partnerships", "campaign_manager"],
            "weekly_capacity_hours": [40.0, 30.0, 36.0],
            "start_date": [d("2024-01-01")] * 3,
        }
    )
    tasks = pd.DataFrame(
        {
            "task_id": ["T1", "T2", "T3", "T4"],
            "member_id": ["M1", "M1", "M2", "M2"],
            "campaign_id": ["CP1", "CP2", "CP1", "CP2"],
            "category": ["strategy", "strategy", "outreach", "outreach"],
            "title": ["s1", "s2", "o1", "o2"],
            "created_date": [d("2025-01-01"), d("2025-01-10"), d("2025-02-01"), d("2025-03-01")],
            "due_date": [d("2025-01-05"), d("2025-01-20"), d("2025-02-10"), d("2025-07-02")],
            "estimate_hours": [6.0, 4.0, 3.0, 9.0],
            "actual_hours": [9.0, 6.0, 3.0, 9.0],
            "done_date": [d("2025-01-05"), d("2025-01-20"), d("2025-02-10"), d("2025-07-02")],
        }
    )
    contracts = pd.DataFrame(
        {"contract_id": [f"K{i}" for i in range(6)], "campaign_id": ["CP1"] * 2 + ["CP2"] * 4}
    )
    return {"team": team, "tasks": tasks, "contracts": contracts}


def test_role_profile_hours_and_shares() -> None:
    profile = ateam.role_profile(small_team()).set_index("member_id")
    # head: 9 + 6 = 15 actual hours; partner: 3 + 9 = 12; manager: none; team 27
    assert profile.loc["M1", "actual_hours"] == 15.0
    assert profile.loc["M2", "actual_hours"] == 12.0
    assert profile.loc["M3", "tasks"] == 0
    assert profile.loc["M1", "share_of_team_hours"] == pytest.approx(15 / 27)
    assert profile.loc["M2", "area"] == "creator management"


def test_default_template_is_valid() -> None:
    matrix = ateam.raci_frame(ateam.DEFAULT_RACI)
    assert ateam.raci_problems(matrix).empty
    assert list(matrix.index) == [a for a, _ in ateam.ACTIVITIES]


def test_raci_problems_catch_each_rule() -> None:
    matrix = ateam.raci_frame(
        {
            "two owners": {"head_of_influencer": "A", "analyst": "A/R"},
            "no owner": {"analyst": "R"},
            "no doer": {"analyst": "A", "campaign_manager": "C"},
            "typo": {"analyst": "A/R", "campaign_manager": "X"},
            "fine": {"analyst": "A/R"},
        }
    )
    problems = ateam.raci_problems(matrix)
    by_activity = problems.groupby("activity")["problem"].apply(list)
    assert "2 roles are accountable (head_of_influencer, analyst)" in by_activity["two owners"][0]
    assert by_activity["no owner"] == ["no one is accountable (A): give exactly one role the A"]
    assert by_activity["no doer"] == ["no one is responsible (R): someone must do the work"]
    assert "'X' is not one of" in by_activity["typo"][0]
    assert "fine" not in by_activity.index


def test_raci_load_counts_combined_cells() -> None:
    matrix = ateam.raci_frame({"a": {"analyst": "A/R", "head_of_influencer": "C"}, "b": {"analyst": "I"}})
    load = ateam.raci_load(matrix).set_index("role")
    # analyst: A/R on a (1 accountable, 1 responsible), I on b
    assert load.loc["analyst"].tolist() == [1, 1, 0, 1]
    assert load.loc["head_of_influencer"].tolist() == [0, 0, 1, 0]


def test_hours_per_unit_by_hand() -> None:
    per = ateam.hours_per_unit(small_team()).set_index("category")
    # strategy is per campaign: estimates 6 + 4 = 10 over 2 campaigns = 5 h; done tasks overrun 15 / 10 = 1.5
    assert per.loc["strategy", "estimate_per_unit"] == 5.0
    assert per.loc["strategy", "overrun_ratio"] == 1.5
    assert per.loc["strategy", "hours_per_unit"] == 7.5
    # outreach is per creator: estimates 3 + 9 = 12 over 2 + 4 = 6 creators = 2 h; actual 12 / 12 = 1
    assert per.loc["outreach", "units"] == 6
    assert per.loc["outreach", "hours_per_unit"] == 2.0
    estimate = ateam.hours_per_unit(small_team(), basis="estimate").set_index("category")
    assert estimate.loc["strategy", "hours_per_unit"] == 5.0
    with pytest.raises(ValueError, match="basis"):
        ateam.hours_per_unit(small_team(), basis="guess")


def test_team_size_by_hand() -> None:
    size = ateam.team_size(small_team(), 10, 5, weekly_hours=40, working_weeks=50, focus_share=0.5).set_index(
        "role"
    )
    # strategy: 10 campaigns x 7.5 h = 75 h (head); outreach: 10 x 5 creators x 2 h = 100 h (partnerships)
    # one FTE = 40 h x 50 weeks x 0.5 = 1,000 task hours a year
    assert size.loc["head_of_influencer", "annual_hours"] == pytest.approx(75.0)
    assert size.loc["creator_partnerships", "fte_needed"] == pytest.approx(0.1)
    assert size.loc["head_of_influencer", "headcount_today"] == 1
    assert size.loc["analyst", "headcount_today"] == 0
    assert size.loc["creator_partnerships", "gap"] == pytest.approx(0.1 - 1)
    # default weekly hours: median capacity of the team = median(40, 30, 36) = 36
    default = ateam.team_size(small_team(), 10, 5, working_weeks=50, focus_share=0.5)
    assert default["hours_per_fte"].iloc[0] == 36 * 50 * 0.5


def test_category_without_done_tasks_uses_the_overall_overrun() -> None:
    tables = small_team()
    open_outreach = tables["tasks"]["category"] == "outreach"
    tables["tasks"].loc[open_outreach, ["actual_hours", "done_date"]] = [float("nan"), pd.NaT]
    per = ateam.hours_per_unit(tables).set_index("category")
    # only strategy is done: overall overrun 15 / 10 = 1.5, so outreach = 2 h x 1.5 = 3 h per creator
    assert per.loc["outreach", "overrun_ratio"] == 1.5
    assert per.loc["outreach", "hours_per_unit"] == 3.0


def test_unmeasurable_hours_make_fte_undefined_not_zero() -> None:
    tables = small_team()
    tables["tasks"][["actual_hours", "done_date"]] = [float("nan"), pd.NaT]  # nothing done yet
    size = ateam.team_size(tables, 10, 5).set_index("role")
    assert math.isnan(size.loc["creator_partnerships", "fte_needed"])
    assert size.loc["creator_partnerships", "note"] == "FTE needed: missing data"
    assert size.loc["analyst", "fte_needed"] == 0.0  # does no logged work at all
    assert ateam.team_size(tables, 10, 5, basis="estimate")["fte_needed"].notna().all()


def test_team_size_zero_focus_is_undefined_not_infinite() -> None:
    size = ateam.team_size(small_team(), 10, 5, focus_share=0.0)
    assert size["fte_needed"].isna().all()
    assert set(size["note"]) == {"FTE needed: denominator is 0"}


@settings(max_examples=10, deadline=None)
@given(campaigns=st.integers(1, 200), creators=st.integers(1, 80), factor=st.integers(2, 5))
def test_team_size_scales_linearly_with_campaigns(campaigns: int, creators: int, factor: int) -> None:
    one = ateam.team_size(small_team(), campaigns, creators)["annual_hours"]
    more = ateam.team_size(small_team(), campaigns * factor, creators)["annual_hours"]
    assert more.to_numpy() == pytest.approx(factor * one.to_numpy())


def test_programme_pace_by_hand() -> None:
    # 2 campaigns between 2025-01-01 and 2025-07-02 (182 days = 0.498 years) -> 4.0 a year;
    # contracts per campaign 2 and 4 -> median 3
    assert ateam.programme_pace(small_team()) == (4, 3)


def test_ops_overview_without_outreach_is_undefined(minimal_tables: dict[str, pd.DataFrame]) -> None:
    tables = dict(minimal_tables)
    tables["outreach"] = minimal_tables["outreach"].iloc[0:0]
    value = ateam.ops_overview(tables).set_index("metric").loc["reply_rate", "value"]
    assert math.isnan(value)
