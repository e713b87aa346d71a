"""Team capacity: planned hours per member and ISO week, over-allocation, and estimate accuracy.

Each task's estimate is spread evenly over the working days (Monday to Friday) from created_date to
due_date inclusive; a task whose window has no working day puts all its hours on its due date. Weeks are ISO
weeks, labelled by their Monday (``week_start``) and as ``2025-W14`` (``iso_week``).
"""

from __future__ import annotations

import pandas as pd

from playbook.analytics.undefined import ratio

__all__ = ["estimate_accuracy", "over_allocation", "task_week_hours", "weekly_load"]


def _monday(dates: pd.Series) -> pd.Series:
    return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()


def _iso_label(mondays: pd.Series) -> pd.Series:
    iso = mondays.dt.isocalendar()
    return iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)


def _week_range(
    task_weeks: pd.Series, start: pd.Timestamp | str | None, weeks: int | None
) -> pd.DatetimeIndex:
    """Mondays from ``start`` (default: first task week) for ``weeks`` weeks (default: to the last)."""
    first = task_weeks.min() if start is None else _monday(pd.Series([pd.Timestamp(start)])).iloc[0]
    last = task_weeks.max() if weeks is None else first + pd.Timedelta(weeks=weeks - 1)
    if pd.isna(first) or pd.isna(last) or last < first:
        return pd.DatetimeIndex([], dtype="datetime64[ns]")
    return pd.date_range(first, last, freq="7D")


def task_week_hours(tasks: pd.DataFrame) -> pd.DataFrame:
    """Planned hours of each task in each ISO week: estimate_hours / working days x working days that week.

    Columns: task_id, member_id, category, title, week_start, hours. Tasks with no estimate hours add none.
    """
    columns = ["task_id", "member_id", "category", "title", "created_date", "due_date", "estimate_hours"]
    t = tasks[columns].reset_index(drop=True)
    span = (t["due_date"] - t["created_date"]).dt.days.clip(lower=0) + 1
    days = t.loc[t.index.repeat(span)].copy()
    days["date"] = days["created_date"] + pd.to_timedelta(days.groupby(level=0).cumcount(), unit="D")
    working = days["date"].dt.day_of_week < 5
    no_working_day = ~working.groupby(level=0).transform("any")
    days = days[working | (no_working_day & (days["date"] == days["due_date"]))]
    days["hours"] = days["estimate_hours"] / days.groupby(level=0)["date"].transform("size")
    days["week_start"] = _monday(days["date"])
    keys = ["task_id", "member_id", "category", "title", "week_start"]
    return days.groupby(keys, as_index=False, sort=False)["hours"].sum()


def weekly_load(
    tasks: pd.DataFrame,
    team: pd.DataFrame,
    start: pd.Timestamp | str | None = None,
    weeks: int | None = None,
) -> pd.DataFrame:
    """Planned hours per member per ISO week against ``team.weekly_capacity_hours``.

    utilisation = planned_hours / capacity_hours (undefined when capacity is 0); over_allocated when planned
    hours exceed capacity. Every member gets every week from ``start`` (default: the Monday of the earliest
    created_date) for ``weeks`` weeks (default: through the latest due_date), with 0 hours when idle.
    ``tasks`` lists the task ids planned that week, largest share first, joined with "|".
    """
    per_task = task_week_hours(tasks)
    weeks_index = _week_range(per_task["week_start"], start, weeks)
    grid = pd.MultiIndex.from_product([team["member_id"], weeks_index], names=["member_id", "week_start"])
    per_task = per_task.sort_values("hours", ascending=False, kind="stable")
    by_week = per_task.groupby(["member_id", "week_start"])
    load = pd.DataFrame(
        {"planned_hours": by_week["hours"].sum(), "tasks": by_week["task_id"].agg("|".join)}
    ).reindex(grid)
    load["planned_hours"] = load["planned_hours"].fillna(0.0)
    load["tasks"] = load["tasks"].fillna("")
    load = load.reset_index().merge(
        team[["member_id", "name", "weekly_capacity_hours"]], on="member_id", how="left"
    )
    load = load.rename(columns={"weekly_capacity_hours": "capacity_hours"})
    load["iso_week"] = _iso_label(load["week_start"]) if len(load) else pd.Series(dtype=str)
    load["utilisation"] = ratio(load["planned_hours"], load["capacity_hours"], "utilisation")
    load["over_allocated"] = load["planned_hours"] > load["capacity_hours"]
    columns = [
        "member_id",
        "name",
        "week_start",
        "iso_week",
        "planned_hours",
        "capacity_hours",
        "utilisation",
        "over_allocated",
        "tasks",
    ]
    return load[columns]


def over_allocation(load: pd.DataFrame) -> pd.DataFrame:
    """The member-weeks of `weekly_load` over capacity, worst first, with excess_hours = planned - capacity
    and the tasks causing it (largest share first; `task_week_hours` gives each task's hours)."""
    over = load[load["over_allocated"]].copy()
    over["excess_hours"] = over["planned_hours"] - over["capacity_hours"]
    columns = ["member_id", "name", "week_start", "iso_week", "planned_hours", "capacity_hours"]
    columns += ["excess_hours", "utilisation", "tasks"]
    return over.sort_values("excess_hours", ascending=False, ignore_index=True)[columns]


def estimate_accuracy(tasks: pd.DataFrame) -> pd.DataFrame:
    """Estimate accuracy of completed tasks by category and by member, plus an ``all`` row per dimension.

    overrun_ratio = sum actual_hours / sum estimate_hours (above 1: the planning fallacy, work takes longer
    than planned); median_ratio = median of per-task actual / estimate; on_time_rate = share of completed
    tasks done on or before due_date. Open tasks (no done_date) are left out. Long format: dimension
    ("category" or "member_id"), group, done_tasks, estimate_hours, actual_hours and the three ratios.
    """
    done = tasks[tasks["done_date"].notna()].copy()
    done["task_ratio"] = ratio(done["actual_hours"], done["estimate_hours"], "actual / estimate")
    done["on_time"] = (done["done_date"] <= done["due_date"]).astype(float)
    done["_all"] = "all"
    parts = []
    for dimension in ("category", "member_id"):
        for key in (dimension, "_all"):
            g = done.groupby(key)
            part = pd.DataFrame(
                {
                    "done_tasks": g.size(),
                    "estimate_hours": g["estimate_hours"].sum(),
                    "actual_hours": g["actual_hours"].sum(),
                    "median_ratio": g["task_ratio"].median(),
                    "on_time_rate": g["on_time"].mean(),
                }
            )
            parts.append(part.rename_axis("group").reset_index().assign(dimension=dimension))
    out = pd.concat(parts, ignore_index=True)
    out["overrun_ratio"] = ratio(out["actual_hours"], out["estimate_hours"], "overrun ratio")
    columns = ["dimension", "group", "done_tasks", "estimate_hours", "actual_hours", "overrun_ratio"]
    return out[[*columns, "median_ratio", "on_time_rate"]].astype({"done_tasks": "int64"})
