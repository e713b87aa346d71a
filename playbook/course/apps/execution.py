"""Course apps for module 07 (campaign execution and time management): campaign timeline, team capacity
planner, approval and payment cycle times, late payments and their terms, causes of late posting.

    app = CapacityApp(tables)
    app.task.value = "TK0000091"; app.member.value = "TM00001"; app.shift.value = 1
    app.move_button.click()
    app.summary.value      # over-allocated member-weeks and excess hours, before -> after
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

import playbook.viz.charts as charts
from playbook.analytics.capacity import over_allocation, task_week_hours, weekly_load
from playbook.analytics.delivery import (
    CYCLE_STEPS,
    deliverable_spans,
    stage_summary,
)
from playbook.analytics.planning import campaign_timeline, late_reasons
from playbook.analytics.relationships import as_of_date
from playbook.course.base import LABEL_STYLE, WidgetApp
from playbook.course.base import show as render
from playbook.data.registry import benchmark

__all__ = [
    "CapacityApp",
    "TimelineApp",
    "capacity_chart",
    "cycle_time_chart",
    "late_reasons_chart",
    "payment_terms_chart",
]

BLUE, ORANGE, VERMILLION = (charts.OKABE_ITO[i] for i in (4, 0, 5))


# --------------------------------------------------------------------------- campaign timeline


def late_reasons_chart(reasons: pd.DataFrame) -> alt.Chart:
    """Share of late and of on-time posts showing each cause (`planning.late_reasons`), side by side."""
    long = reasons.melt(
        id_vars=["cause", "late_posts", "on_time_posts"],
        value_vars=["share_of_late", "share_of_on_time"],
        var_name="posts",
        value_name="share",
    )
    long["posts"] = long["posts"].map({"share_of_late": "late posts", "share_of_on_time": "on-time posts"})
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("cause:N", title=None, sort=list(reasons["cause"])),
            yOffset=alt.YOffset("posts:N"),
            x=alt.X(
                "share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Share of posts"
            ),
            color=alt.Color(
                "posts:N", scale=alt.Scale(domain=["late posts", "on-time posts"], range=[VERMILLION, BLUE])
            ),
            tooltip=[
                "cause:N",
                "posts:N",
                alt.Tooltip("share:Q", format=".0%"),
                "late_posts:Q",
                "on_time_posts:Q",
            ],
        )
        .properties(
            title=alt.TitleParams(
                "What late posts have in common",
                subtitle="A cause far more common among late posts than on-time ones is worth fixing",
            )
        )
    )


class TimelineApp(WidgetApp):
    """Pick a campaign: planned vs actual dates per deliverable, on-time rate per stage, causes of lateness.

    `.result` is `planning.campaign_timeline`, `.spans` the per-deliverable view, `.stages` `stage_summary`,
    `.reasons` `planning.late_reasons` for the campaign; `.chart` and `.reasons_chart` the two charts.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame], campaign_id: str | None = None) -> None:
        self.tables = tables
        self.as_of = as_of_date(tables)
        self.handles = dict(zip(tables["creators"]["creator_id"], tables["creators"]["handle"], strict=True))
        c = tables["campaigns"].sort_values("start_date")
        options = [(f"{n} ({i})", i) for i, n in zip(c["campaign_id"], c["name"], strict=True)]
        self.campaign = widgets.Dropdown(
            options=options,
            value=campaign_id or options[0][1],
            description="Campaign",
            style=LABEL_STYLE,
        )
        self.summary = widgets.HTML()
        self.chart_out = widgets.Output()
        self.reasons_out = widgets.Output()
        self.campaign.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([self.campaign, self.summary, self.chart_out, self.reasons_out])
        self.update()

    def update(self) -> None:
        """Recompute every view for the selected campaign."""
        cid = self.campaign.value
        self.result = campaign_timeline(self.tables, cid, as_of=self.as_of)
        self.spans = deliverable_spans(self.result, self.handles)
        self.stages = stage_summary(self.result)
        self.reasons = late_reasons(self.tables, cid)
        self.chart = (
            charts.timeline(self.spans, as_of=self.as_of, title=f"Deliverables of {cid}: plan vs actual")
            if len(self.spans)
            else None
        )
        self.reasons_chart = late_reasons_chart(self.reasons)
        stages = self.stages.set_index("stage")
        rate = stages.loc["posted", "on_time_rate"]
        on_time, late, overdue = (int(stages.loc["posted", c]) for c in ("on_time", "late", "overdue"))
        shown = "undefined (nothing posted yet)" if np.isnan(rate) else f"{rate:.0%}"
        as_of = "unknown (no events yet)" if pd.isna(self.as_of) else f"{self.as_of:%Y-%m-%d}"
        self.summary.value = (
            f"<p>{len(self.spans)} deliverables. Posted on time: <b>{shown}</b> "
            f"({on_time} on time, {late} late, {overdue} overdue). "
            f"Data as of {as_of}.</p>"
        )
        if self.chart is None:
            self.chart_out.outputs = ()
        else:
            render(self.chart_out, self.chart)
        render(self.reasons_out, self.reasons_chart)


# --------------------------------------------------------------------------- team capacity
def capacity_chart(
    load: pd.DataFrame, title: str = "Planned hours / capacity per member and week"
) -> alt.Chart:
    """Heat map of `capacity.weekly_load` utilisation (member x ISO week); over-allocated cells are outlined
    and labelled with their planned hours."""
    data = load.assign(
        label=np.where(load["over_allocated"], load["planned_hours"].round().astype(int).astype(str), ""),
        over=np.where(load["over_allocated"], "over capacity", "within capacity"),
    )
    base = alt.Chart(data).encode(
        x=alt.X("iso_week:N", title="ISO week", sort=sorted(data["iso_week"].unique())),
        y=alt.Y("name:N", title=None),
    )
    tooltip = ["name:N", "iso_week:N", alt.Tooltip("planned_hours:Q", format=".1f"), "capacity_hours:Q"]
    tooltip.append(alt.Tooltip("utilisation:Q", format=".0%"))
    cells = base.mark_rect().encode(
        color=alt.Color(
            "utilisation:Q",
            scale=alt.Scale(scheme="viridis", domain=[0, 2], clamp=True),
            title="Planned / capacity",
            legend=alt.Legend(format="%"),
        ),
        stroke=alt.Stroke(
            "over:N",
            scale=alt.Scale(domain=["over capacity", "within capacity"], range=[VERMILLION, "white"]),
            title=None,
        ),
        strokeWidth=alt.value(2),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=9, color="white").encode(text="label:N")
    return alt.layer(cells, text).properties(
        title=alt.TitleParams(title, subtitle="Outlined: over capacity (number: planned hours)"),
        width=alt.Step(26),
    )


def _task_label(task: pd.Series, names: Mapping[str, str]) -> str:
    return (
        f"{task['task_id']} {task['category']} ({names.get(task['member_id'], task['member_id'])}, "
        f"due {task['due_date']:%Y-%m-%d}, {task['estimate_hours']:.1f} h)"
    )


class CapacityApp(WidgetApp):
    """Move a task to another member or week and see the over-allocation change (`capacity.weekly_load`).

    `.tasks` holds the edited tasks, `.before` and `.load` the weekly load before and after all moves,
    `.changes` the member-weeks whose hours changed, `.moves` the moves made.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.team = tables["team"]
        self.original = tables["tasks"].copy()
        self.before = weekly_load(self.original, self.team)
        names = dict(zip(self.team["member_id"], self.team["name"], strict=True))
        over_tasks = over_allocation(self.before)["tasks"].str.split("|").explode().dropna()
        order = list(dict.fromkeys([*over_tasks, *self.original.sort_values("due_date")["task_id"]]))
        by_id = self.original.set_index("task_id", drop=False)
        self.task = widgets.Dropdown(
            options=[(_task_label(by_id.loc[i], names), i) for i in order if i in by_id.index],
            description="Task",
            style=LABEL_STYLE,
            layout={"width": "60%"},
        )
        self.member = widgets.Dropdown(
            options=[(n, m) for m, n in names.items()],
            description="Move to",
            style=LABEL_STYLE,
        )
        self.shift = widgets.IntSlider(value=0, min=-4, max=4, description="Weeks later", style=LABEL_STYLE)
        self.move_button = widgets.Button(description="Move task", button_style="primary")
        self.reset_button = widgets.Button(description="Reset")
        self.summary = widgets.HTML()
        self.chart_out = widgets.Output()
        self.task.observe(lambda _: self._select(), names="value")
        self.move_button.on_click(lambda _: self.move())
        self.reset_button.on_click(lambda _: self.reset())
        controls = widgets.HBox([self.member, self.shift, self.move_button, self.reset_button])
        self.widget = widgets.VBox([self.task, controls, self.summary, self.chart_out])
        self.reset()

    def _select(self) -> None:
        row = self.tasks.set_index("task_id").loc[self.task.value]
        self.member.value = row["member_id"]
        self.shift.value = 0

    def reset(self) -> None:
        """Undo every move."""
        self.tasks = self.original.copy()
        self.moves: list[tuple[str, str, int]] = []
        self._recompute()
        self._select()

    def move(self) -> pd.DataFrame:
        """Give the selected task to the selected member, `shift` weeks later; returns `.changes`."""
        i = self.tasks.index[self.tasks["task_id"] == self.task.value][0]
        weeks = pd.Timedelta(weeks=int(self.shift.value))
        self.tasks.loc[i, "member_id"] = self.member.value
        self.tasks.loc[i, ["created_date", "due_date"]] += weeks
        self.moves.append((self.task.value, self.member.value, int(self.shift.value)))
        self._recompute()
        self.shift.value = 0
        return self.changes

    def _recompute(self) -> None:
        self.load = weekly_load(self.tasks, self.team)
        keys = ["member_id", "name", "week_start", "iso_week", "capacity_hours"]
        both = self.before[[*keys, "planned_hours"]].merge(
            self.load[[*keys, "planned_hours"]], on=keys, how="outer", suffixes=("_before", "_after")
        )
        both[["planned_hours_before", "planned_hours_after"]] = both[
            ["planned_hours_before", "planned_hours_after"]
        ].fillna(0.0)
        changed = ~np.isclose(both["planned_hours_before"], both["planned_hours_after"])
        self.changes = both[changed].sort_values(["member_id", "week_start"], ignore_index=True)
        self.chart = capacity_chart(self.load)
        before, after = over_allocation(self.before), over_allocation(self.load)
        self.summary.value = (
            f"<p>Over-allocated member-weeks: <b>{len(before)} -> {len(after)}</b>; hours over capacity: "
            f"<b>{before['excess_hours'].sum():.0f} -> {after['excess_hours'].sum():.0f}</b> "
            f"({len(self.moves)} move(s)).</p>"
        )
        render(self.chart_out, self.chart)

    def task_hours(self, task_id: str) -> pd.DataFrame:
        """Planned hours of one task per week as it is now (`capacity.task_week_hours`)."""
        return task_week_hours(self.tasks[self.tasks["task_id"] == task_id])


# --------------------------------------------------------------------------- approvals and payments


def cycle_time_chart(cycle: pd.DataFrame) -> alt.Chart:
    """Median (bar) and 90th percentile (tick) days per step of `cycle_times` (overall)."""
    y = alt.Y("step:N", sort=[s for s, _, _ in CYCLE_STEPS], title=None)
    tooltip = ["step:N", "deliverables:Q", alt.Tooltip("median_days:Q", format=".1f")]
    tooltip.append(alt.Tooltip("p90_days:Q", format=".1f"))
    bars = (
        alt.Chart(cycle)
        .mark_bar(color=BLUE)
        .encode(x=alt.X("median_days:Q", title="Days"), y=y, tooltip=tooltip)
    )
    ticks = (
        alt.Chart(cycle).mark_tick(color="black", thickness=2).encode(x="p90_days:Q", y=y, tooltip=tooltip)
    )
    return alt.layer(bars, ticks).properties(
        title=alt.TitleParams("How long each step takes", subtitle="Bar: median; tick: 90th percentile")
    )


def payment_terms_chart(terms: pd.DataFrame) -> alt.LayerChart:
    """Share of invoices paid late per Net-N term (dots: actual; line: if every contract had that term), with
    the terms creators ask for (``creator_payment_terms_net_days``) and the usual target
    (``payment_terms_net30_usual``, low end) as dashed rules."""
    x = alt.X("payment_terms_days:Q", title="Payment terms (days after invoice)")
    line = (
        alt.Chart(terms)
        .mark_line(color=BLUE, point=True)
        .encode(x=x, y=alt.Y("late_if_all_on_term:Q", axis=alt.Axis(format="%"), title="Share paid late"))
    )
    dots = (
        alt.Chart(terms)
        .mark_circle(color=VERMILLION, size=90)
        .encode(
            x=x,
            y="share_late:Q",
            tooltip=["payment_terms_days:Q", "invoices_due:Q", alt.Tooltip("share_late:Q", format=".0%")],
        )
    )
    asked, usual = benchmark("creator_payment_terms_net_days"), benchmark("payment_terms_net30_usual")
    marks = pd.DataFrame(
        {
            "days": [asked.high, usual.low],
            "what": [f"creators ask (Net-{asked.low:.0f} to {asked.high:.0f})", "usual target"],
        }
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeDash=[4, 4], color="#555")
        .encode(x="days:Q", tooltip=["what:N", "days:Q"])
    )
    subtitle = (
        "Red: actual share late on each term; blue: share of all invoices late had every contract that term"
    )
    return alt.layer(rules, line, dots).properties(
        title=alt.TitleParams("Late payments by terms", subtitle=subtitle)
    )
