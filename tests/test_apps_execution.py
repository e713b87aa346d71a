"""Module 07 apps: campaign timeline views, capacity planner, cycle times, payment punctuality and terms.

Hand-made frames (the minimal dataset, or a two-person team) give the expected numbers, worked out in
comments from the rules of `analytics.planning`, `analytics.capacity` and `analytics.relationships`.
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_planning import frame  # shared fixtures and helpers

from playbook.analytics.capacity import weekly_load
from playbook.analytics.delivery import (
    cycle_times,
    payment_terms_table,
)
from playbook.analytics.planning import late_reasons
from playbook.course.apps.execution import (
    CapacityApp,
    TimelineApp,
    capacity_chart,
    cycle_time_chart,
    late_reasons_chart,
    payment_terms_chart,
)
from playbook.data.loading import load
from playbook.data.registry import benchmark
from playbook.data.synth.generate import SAMPLE_DIR


@pytest.fixture(scope="module")
def minimal_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The conftest minimal dataset, loaded once per module (tests copy before changing a table)."""
    from conftest import write_minimal_dataset

    return load(write_minimal_dataset(tmp_path_factory.mktemp("minimal")))


def chart_rows(spec: dict, layer: int | None = None) -> list[dict]:
    """The data rows a chart spec embeds (of one layer, or of the top-level chart)."""
    part = spec if layer is None else spec["layer"][layer]
    return spec["datasets"][part.get("data", spec.get("data", {})).get("name")]


# --------------------------------------------------------------------------- timeline


def test_timeline_app_follows_the_campaign(late_tables: dict) -> None:
    app = TimelineApp(late_tables)
    assert app.campaign.value == "CP001"  # campaigns in start order
    assert "Posted on time: <b>50%</b>" in app.summary.value and "1 late" in app.summary.value
    assert len(app.spans) == 2 and len(app.chart_out.outputs) == 1 and len(app.reasons_out.outputs) == 1
    late = app.reasons.set_index("cause")
    assert late.loc["late_approval", "late_posts"] == 1
    app.campaign.value = "CP002"
    assert app.spans["deliverable_id"].tolist() == ["DL0003"]
    assert "Posted on time: <b>100%</b>" in app.summary.value


def test_timeline_app_for_a_campaign_without_deliverables(minimal_tables: dict) -> None:
    d = minimal_tables["deliverables"]
    tables = {**minimal_tables, "deliverables": d[d["contract_id"] != "CT0002"]}  # CP002 has none left
    app = TimelineApp(tables, campaign_id="CP002")
    assert app.spans.empty and app.chart is None and app.chart_out.outputs == ()
    assert "undefined (nothing posted yet)" in app.summary.value
    # every stage still has a row, with zero counts and no rate
    assert app.stages["stage"].tolist() == ["shipped", "draft", "approved", "posted", "invoiced", "paid"]
    assert app.stages["measured"].sum() == 0 and app.stages["on_time_rate"].isna().all()


def test_late_reasons_chart_has_two_bars_per_cause(late_tables: dict) -> None:
    reasons = late_reasons(late_tables)
    spec = late_reasons_chart(reasons).to_dict()
    assert len(spec["datasets"][spec["data"]["name"]]) == 2 * len(reasons)


# --------------------------------------------------------------------------- capacity
@pytest.fixture
def team_tables() -> dict[str, pd.DataFrame]:
    team = frame(
        "team",
        [
            {
                "member_id": "A",
                "name": "Ana",
                "role": "campaign_manager",
                "weekly_capacity_hours": 10.0,
                "start_date": pd.Timestamp("2023-01-02"),
            },
            {
                "member_id": "B",
                "name": "Ben",
                "role": "campaign_manager",
                "weekly_capacity_hours": 40.0,
                "start_date": pd.Timestamp("2023-01-02"),
            },
        ],
    )
    week = {"created_date": pd.Timestamp("2024-01-01"), "due_date": pd.Timestamp("2024-01-05")}  # Mon-Fri
    tasks = frame(
        "tasks",
        [
            {"task_id": "T1", "member_id": "A", "category": "approvals", "title": "Review drafts"}
            | week
            | {"estimate_hours": 20.0},
            {"task_id": "T2", "member_id": "B", "category": "payments", "title": "Payment run"}
            | week
            | {"estimate_hours": 5.0},
        ],
    )
    return {"team": team, "tasks": tasks}


def test_capacity_app_moves_a_task_and_recounts(team_tables: dict) -> None:
    app = CapacityApp(team_tables)
    # Ana: 20 h planned in week 2024-01-01 against 10 h capacity -> 1 over-allocated week, 10 h over
    assert app.task.value == "T1"  # tasks causing over-allocation come first
    assert "<b>1 -> 1</b>" in app.summary.value and "<b>10 -> 10</b>" in app.summary.value
    app.member.value = "B"
    changes = app.move()
    # Ben takes it: 5 + 20 = 25 h <= 40 h, Ana 0 h -> no over-allocation left
    assert "<b>1 -> 0</b>" in app.summary.value and "<b>10 -> 0</b>" in app.summary.value
    assert changes.set_index("member_id")[["planned_hours_before", "planned_hours_after"]].to_dict(
        "index"
    ) == {
        "A": {"planned_hours_before": 20.0, "planned_hours_after": 0.0},
        "B": {"planned_hours_before": 5.0, "planned_hours_after": 25.0},
    }
    assert app.moves == [("T1", "B", 0)]
    app.reset_button.click()
    assert app.moves == [] and app.member.value == "A" and "<b>1 -> 1</b>" in app.summary.value


def test_capacity_app_moves_a_task_later(team_tables: dict) -> None:
    app = CapacityApp(team_tables)
    app.shift.value = 1
    app.move_button.click()
    moved = app.tasks.set_index("task_id").loc["T1"]
    assert (moved["created_date"], moved["due_date"]) == (
        pd.Timestamp("2024-01-08"),
        pd.Timestamp("2024-01-12"),
    )
    assert app.shift.value == 0  # ready for the next move
    # still 20 h for Ana, now in the week of 2024-01-08: the over-allocation moved, it did not go away
    over = app.load[app.load["over_allocated"]]
    assert over[["member_id", "iso_week"]].values.tolist() == [["A", "2024-W02"]]
    assert app.task_hours("T1")["hours"].sum() == pytest.approx(20.0)


def test_capacity_chart_outlines_over_allocated_weeks(team_tables: dict) -> None:
    load = weekly_load(team_tables["tasks"], team_tables["team"])
    spec = capacity_chart(load).to_dict()
    rows = chart_rows(spec, 0)
    assert len(rows) == len(load) == 2
    assert {r["member_id"]: (r["over"], r["label"]) for r in rows} == {
        "A": ("over capacity", "20"),
        "B": ("within capacity", ""),
    }


def test_capacity_app_on_the_sample_reduces_over_allocation() -> None:
    tables = load(SAMPLE_DIR)
    app = CapacityApp(tables)
    before = app.load["over_allocated"].sum()
    worst = app.task.value
    owner = app.tasks.set_index("task_id").loc[worst, "member_id"]
    # give the first task to the least loaded colleague
    hours = app.load.groupby("member_id")["planned_hours"].sum().drop(owner)
    app.member.value = hours.idxmin()
    app.move_button.click()
    assert app.load["over_allocated"].sum() <= before
    excess = (app.load["planned_hours"] - app.load["capacity_hours"]).clip(lower=0).sum()
    excess_before = (app.before["planned_hours"] - app.before["capacity_hours"]).clip(lower=0).sum()
    assert excess < excess_before


# --------------------------------------------------------------------------- approvals and payments
def test_cycle_times_worked_example(minimal_tables: dict) -> None:
    c = cycle_times(minimal_tables).set_index("step")
    # shipping to draft: DL0001 02-22 -> 03-01 = 8, DL0002 02-22 -> 03-06 = 13, DL0003 03-22 -> 03-30 = 8:
    # median 8; 90th percentile of [8, 8, 13] (linear) = 8 + 0.8 x 5 = 12
    assert c.loc["shipping to draft", ["deliverables", "median_days", "p90_days"]].tolist() == [3, 8, 12]
    # draft to approval: 2, 1, 3 -> median 2; invoice to payment: only DL0001, 03-08 -> 04-05 = 28 days
    assert c.loc["draft to approval", "median_days"] == 2
    assert c.loc["invoice to payment", ["deliverables", "median_days"]].tolist() == [1, 28]
    # posting to invoice: DL0001 03-05 -> 03-08 = 3, DL0003 04-03 -> 04-04 = 1 -> median 2
    assert c.loc["posting to invoice", "median_days"] == 2
    by = cycle_times(minimal_tables, by="campaign_id")
    assert set(by["campaign_id"]) == {"CP001", "CP002"}
    spec = cycle_time_chart(c.reset_index()).to_dict()
    assert len(chart_rows(spec, 0)) == 5


def test_payment_terms_chart_marks_published_terms(minimal_tables: dict) -> None:
    spec = payment_terms_chart(payment_terms_table(minimal_tables)).to_dict()
    marks = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert [m["days"] for m in marks] == [
        benchmark("creator_payment_terms_net_days").high,
        benchmark("payment_terms_net30_usual").low,
    ]
