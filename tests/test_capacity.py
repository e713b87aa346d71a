"""Team capacity: spreading estimates over working days, over-allocation and the planning fallacy.

Worked examples are computed by hand in the comments; the spreading rule is the module's documented one
(estimate / working days from created_date to due_date inclusive, Monday-Friday).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics.capacity import estimate_accuracy, over_allocation, task_week_hours, weekly_load
from playbook.data.loading import empty_table, load
from playbook.data.synth.generate import SAMPLE_DIR


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table with the schema's columns and dtypes from a few hand-written rows."""
    empty = empty_table(name)
    return pd.DataFrame(rows, columns=empty.columns).astype(empty.dtypes.to_dict())


def task(task_id: str, created: str, due: str, hours: float, member: str = "TM1", **extra: object) -> dict:
    row = {"task_id": task_id, "member_id": member, "category": "outreach", "title": task_id}
    return row | {"created_date": created, "due_date": due, "estimate_hours": hours} | extra


TEAM = frame(
    "team",
    [
        {
            "member_id": "TM1",
            "name": "Ana",
            "role": "analyst",
            "weekly_capacity_hours": 10,
            "start_date": "2024-01-01",
        },
        {
            "member_id": "TM2",
            "name": "Ben",
            "role": "analyst",
            "weekly_capacity_hours": 0,
            "start_date": "2024-01-01",
        },
    ],
)


def test_task_spread_evenly_over_the_working_days_of_one_week() -> None:
    # Mon 2025-03-03 .. Fri 2025-03-07 = 5 working days; 10 h / 5 = 2 h a day, all in ISO week 2025-W10
    hours = task_week_hours(frame("tasks", [task("TK1", "2025-03-03", "2025-03-07", 10)]))
    assert hours[["week_start", "hours"]].to_dict("records") == [
        {"week_start": pd.Timestamp("2025-03-03"), "hours": 10.0}
    ]


def test_task_over_a_weekend_skips_saturday_and_sunday() -> None:
    # Thu 03-06, Fri 03-07, (Sat, Sun skipped), Mon 03-10, Tue 03-11 = 4 working days: 8 h / 4 = 2 h a day
    # week of Mon 03-03 gets Thu + Fri = 4 h; week of Mon 03-10 gets Mon + Tue = 4 h
    hours = task_week_hours(frame("tasks", [task("TK1", "2025-03-06", "2025-03-11", 8)]))
    assert hours.set_index("week_start")["hours"].to_dict() == {
        pd.Timestamp("2025-03-03"): 4.0,
        pd.Timestamp("2025-03-10"): 4.0,
    }


def test_weekend_only_task_lands_on_its_due_date() -> None:
    # Sat 03-08 -> Sun 03-09 has no working day: all 3 h on Sunday 03-09, whose ISO week starts Mon 03-03
    hours = task_week_hours(frame("tasks", [task("TK1", "2025-03-08", "2025-03-09", 3)]))
    assert hours[["week_start", "hours"]].to_dict("records") == [
        {"week_start": pd.Timestamp("2025-03-03"), "hours": 3.0}
    ]


def test_member_over_capacity_is_flagged_with_the_tasks_causing_it() -> None:
    # TM1 has 10 h a week; in week 2025-W10 TK1 plans 8 h and TK2 6 h: 14 h, utilisation 1.4, excess 4 h.
    # The next week TK3 plans 5 h (0.5 utilisation), not over.
    tasks = frame(
        "tasks",
        [
            task("TK1", "2025-03-03", "2025-03-06", 8),
            task("TK2", "2025-03-05", "2025-03-07", 6),
            task("TK3", "2025-03-10", "2025-03-14", 5),
        ],
    )
    load_ = weekly_load(tasks, TEAM.iloc[:1])
    assert load_["iso_week"].tolist() == ["2025-W10", "2025-W11"]
    assert load_["planned_hours"].tolist() == [14.0, 5.0]
    assert load_["utilisation"].tolist() == pytest.approx([1.4, 0.5])
    assert load_["over_allocated"].tolist() == [True, False]
    over = over_allocation(load_)
    assert len(over) == 1
    row = over.iloc[0]
    assert (row["iso_week"], row["excess_hours"], row["tasks"]) == ("2025-W10", 4.0, "TK1|TK2")


def test_idle_weeks_and_members_appear_with_zero_hours() -> None:
    # start on Monday 2025-02-24 for 3 weeks: W09 (idle), W10 (TK1), W11 (idle); TM2 never has work
    tasks = frame("tasks", [task("TK1", "2025-03-03", "2025-03-07", 10)])
    load_ = weekly_load(tasks, TEAM, start="2025-02-26", weeks=3)
    assert len(load_) == 2 * 3
    ana = load_[load_["member_id"] == "TM1"]
    assert ana["week_start"].dt.strftime("%Y-%m-%d").tolist() == ["2025-02-24", "2025-03-03", "2025-03-10"]
    assert ana["planned_hours"].tolist() == [0.0, 10.0, 0.0]
    assert ana["tasks"].tolist() == ["", "TK1", ""]


def test_zero_capacity_gives_undefined_utilisation_but_still_flags_work() -> None:
    tasks = frame("tasks", [task("TK1", "2025-03-03", "2025-03-07", 5, member="TM2")])
    row = weekly_load(tasks, TEAM).set_index("member_id").loc["TM2"]
    assert math.isnan(row["utilisation"])
    assert bool(row["over_allocated"])
    idle = weekly_load(frame("tasks", []), TEAM)
    assert idle.empty and list(idle.columns)[:4] == ["member_id", "name", "week_start", "iso_week"]


def test_iso_week_label_across_the_year_boundary() -> None:
    # Monday 2024-12-30 belongs to ISO week 1 of 2025
    tasks = frame("tasks", [task("TK1", "2024-12-30", "2025-01-03", 5)])
    assert weekly_load(tasks, TEAM.iloc[:1])["iso_week"].tolist() == ["2025-W01"]


def test_hours_before_start_are_not_counted() -> None:
    # TK1 spreads 2 h a day over Mon 03-03 .. Fri 03-07; starting the view at W11 leaves nothing from it
    tasks = frame("tasks", [task("TK1", "2025-03-03", "2025-03-07", 10)])
    load_ = weekly_load(tasks, TEAM.iloc[:1], start="2025-03-10", weeks=1)
    assert load_["planned_hours"].tolist() == [0.0]


def test_estimate_accuracy_by_category_and_member() -> None:
    # outreach: estimates 2 + 4 = 6 h, actuals 3 + 4 = 7 h -> overrun 7 / 6; per-task ratios 1.5 and 1.0 ->
    # median 1.25; done 03-06 <= due 03-07 and 03-12 > due 03-10 -> on-time rate 1/2.
    # reporting: 10 h estimated, 8 h actual -> 0.8 (faster than planned), on time.
    # TK4 is open (no done_date) and is left out.
    tasks = frame(
        "tasks",
        [
            task("TK1", "2025-03-03", "2025-03-07", 2, actual_hours=3, done_date="2025-03-06"),
            task("TK2", "2025-03-03", "2025-03-10", 4, actual_hours=4, done_date="2025-03-12"),
            task("TK3", "2025-03-03", "2025-03-10", 10, member="TM2", category="reporting")
            | {"actual_hours": 8, "done_date": "2025-03-10"},
            task("TK4", "2025-03-03", "2025-03-10", 50),
        ],
    )
    acc = estimate_accuracy(tasks).set_index(["dimension", "group"])
    outreach = acc.loc[("category", "outreach")]
    assert outreach["done_tasks"] == 2
    assert outreach["overrun_ratio"] == pytest.approx(7 / 6)
    assert outreach["median_ratio"] == pytest.approx(1.25)
    assert outreach["on_time_rate"] == pytest.approx(0.5)
    assert acc.loc[("category", "reporting"), "overrun_ratio"] == pytest.approx(0.8)
    # all three done tasks: (3 + 4 + 8) / (2 + 4 + 10) = 15 / 16; on time 2 of 3
    assert acc.loc[("category", "all"), "overrun_ratio"] == pytest.approx(15 / 16)
    assert acc.loc[("member_id", "TM1"), "on_time_rate"] == pytest.approx(0.5)
    assert acc.loc[("member_id", "all"), "on_time_rate"] == pytest.approx(2 / 3)


def test_zero_estimate_gives_undefined_ratio_not_infinity() -> None:
    tasks = frame(
        "tasks", [task("TK1", "2025-03-03", "2025-03-07", 0, actual_hours=2, done_date="2025-03-05")]
    )
    acc = estimate_accuracy(tasks).set_index(["dimension", "group"])
    assert math.isnan(acc.loc[("category", "outreach"), "overrun_ratio"])
    assert math.isnan(acc.loc[("category", "outreach"), "median_ratio"])


dates = st.dates(min_value=pd.Timestamp("2024-01-01").date(), max_value=pd.Timestamp("2024-12-31").date())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            dates, st.integers(0, 40), st.floats(0, 80, allow_nan=False), st.sampled_from(["TM1", "TM2"])
        ),
        min_size=1,
        max_size=8,
    )
)
def test_spreading_conserves_every_estimated_hour(rows: list[tuple]) -> None:
    tasks = frame(
        "tasks",
        [
            task(f"TK{i}", str(created), str(created + pd.Timedelta(days=span)), hours, member=member)
            for i, (created, span, hours, member) in enumerate(rows)
        ],
    )
    per_task = task_week_hours(tasks).groupby("task_id")["hours"].sum()
    expected = tasks.set_index("task_id")["estimate_hours"]
    assert per_task.reindex(expected.index).to_numpy() == pytest.approx(expected.to_numpy())
    assert (task_week_hours(tasks)["week_start"].dt.day_of_week == 0).all()
    load_ = weekly_load(tasks, TEAM)
    assert load_["planned_hours"].sum() == pytest.approx(expected.sum())
    assert (load_["over_allocated"] == (load_["planned_hours"] > load_["capacity_hours"])).all()


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    return load(SAMPLE_DIR, tables=["team", "tasks", "campaigns", "brands"])


def test_sample_load_and_planning_fallacy(sample: dict[str, pd.DataFrame]) -> None:
    load_ = weekly_load(sample["tasks"], sample["team"])
    assert load_["planned_hours"].sum() == pytest.approx(sample["tasks"]["estimate_hours"].sum())
    # measured on the committed sample: creator partnerships (outreach and negotiation) is over capacity
    over = over_allocation(load_)
    assert not over.empty
    assert set(over["name"]) == {"Lucia Romero"}
    # the generator makes actuals overrun estimates (lognormal around 1.15): overall 1,124.6 / 917.6 h
    acc = estimate_accuracy(sample["tasks"]).set_index(["dimension", "group"])
    assert acc.loc[("category", "all"), "overrun_ratio"] == pytest.approx(1124.6 / 917.6)
