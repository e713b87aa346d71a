"""Apps and charts for the course's first two modules: 00 Start here and 01 The team itself.

Module 00 (onboarding a new team member): `TierCheckApp` proves widgets work,
`playbook.doctor.checks_table` runs the `playbook doctor` checks, `data.dictionary.table_overview` lists the
sample tables and `course_map` the modules.

Module 01: who does what (`analytics.team.role_profile`, from the `team` and `tasks` tables), a RACI builder
with its validation (`RaciApp`, `analytics.team.raci_problems`), team size for a programme's volume from
measured hours per task category (`analytics.team.team_size`, `TeamSizeApp`) and the team's operations KPIs
(`analytics.team.ops_overview`). This module only arranges and displays; the numbers and the modelling
choices (named constants, described as our choices) live in `playbook.analytics.team`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path

import altair as alt
import ipywidgets as widgets
import pandas as pd

from playbook.analytics.relationships import team_ops_metrics
from playbook.analytics.team import (
    _OPS_DEFINITIONS,
    ACTIVITIES,
    DEFAULT_FOCUS_SHARE,
    DEFAULT_RACI,
    DEFAULT_WORKING_WEEKS,
    RACI_OPTIONS,
    programme_pace,
    raci_frame,
    raci_load,
    raci_problems,
    team_size,
)
from playbook.course.base import LABEL_STYLE
from playbook.course.base import show_chart as _show
from playbook.course.base import table_html as _table_html
from playbook.course.catalogue import modules
from playbook.data.registry import assign_tier, load_tier_presets
from playbook.data.schemas import ROLES

__all__ = [
    "RaciApp",
    "TeamSizeApp",
    "TierCheckApp",
    "course_map",
    "course_map_chart",
    "ops_by_campaign_chart",
    "role_hours_chart",
]

Tables = Mapping[str, pd.DataFrame]


# =========================================================================== module 00: start here
class TierCheckApp:
    """Widget check: a follower slider and the creator tier it falls in under every tier preset.

    If moving the slider changes the table, widgets work in this JupyterLab. `result` maps preset -> tier
    (`playbook.data.registry.assign_tier`); tier boundaries differ by source, which is the lesson.
    """

    def __init__(self, followers: int = 25_000) -> None:
        self.presets = tuple(load_tier_presets()["preset"].unique())
        self.followers = widgets.IntSlider(
            value=followers,
            min=0,
            max=2_000_000,
            step=500,
            description="Followers",
            continuous_update=False,
            style=LABEL_STYLE,
            layout={"width": "480px"},
        )
        self.summary = widgets.HTML()
        self.result: dict[str, str] = {}
        self.followers.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([self.followers, self.summary])
        self.update()

    def update(self) -> None:
        """Recompute the tier under each preset for the slider's value."""
        self.result = {p: str(assign_tier(self.followers.value, p)) for p in self.presets}
        frame = pd.DataFrame({"tier preset": list(self.result), "tier": list(self.result.values())})
        self.summary.value = f"<p><b>{self.followers.value:,} followers</b> is:</p>" + _table_html(frame)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def course_map(directory: Path | None = None) -> pd.DataFrame:
    """The course modules in order: module stem, title, teaching / practice / total minutes, prerequisites."""
    found = modules() if directory is None else modules(directory)
    return pd.DataFrame(
        [
            {
                "order": m.order,
                "module": m.stem,
                "title": m.title,
                "teaching_minutes": m.teaching_minutes,
                "practice_minutes": m.practice_minutes,
                "total_minutes": m.minutes,
                "prerequisites": ", ".join(m.prerequisites),
            }
            for m in found
        ]
    )


def course_map_chart(course: pd.DataFrame) -> alt.Chart:
    """Stacked bars of teaching and practice minutes per module (input: `course_map()`)."""
    long = course.melt(
        id_vars=["order", "title"],
        value_vars=["teaching_minutes", "practice_minutes"],
        var_name="part",
        value_name="minutes",
    )
    long["part"] = long["part"].str.replace("_minutes", "")
    long["stack"] = (long["part"] == "practice").astype(int)  # teaching first
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("sum(minutes):Q", title="Minutes"),
            y=alt.Y("title:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color("part:N", title="Part", sort=["teaching", "practice"]),
            order=alt.Order("stack:Q"),
            tooltip=["title:N", "part:N", "minutes:Q"],
        )
        .properties(title="Course map: minutes per module", width=420)
    )


def role_hours_chart(tables: Tables) -> alt.Chart:
    """Stacked bars: actual hours of done tasks per role, split by task category (aggregated first)."""
    tasks = tables["tasks"].merge(tables["team"][["member_id", "role"]], on="member_id", how="left")
    data = (
        tasks[tasks["done_date"].notna()].groupby(["role", "category"], as_index=False)["actual_hours"].sum()
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("actual_hours:Q", title="Actual hours of done tasks"),
            y=alt.Y("role:N", sort="-x", title=None),
            color=alt.Color("category:N", title="Task category"),
            tooltip=["role:N", "category:N", alt.Tooltip("actual_hours:Q", format=",.1f")],
        )
        .properties(title="Who does which work (logged task hours)", width=420)
    )


class RaciApp:
    """RACI builder: one dropdown per activity x role, re-validated on every change.

    `matrix` is the current matrix, `problems` its rule breaks (`raci_problems`), `load` the count of A/R/C/I
    per role; `summary` (HTML) shows both. `reset_button` restores the starting matrix, `clear_button`
    empties every cell. Tests set `dropdowns[(activity, role)].value`.
    """

    def __init__(
        self,
        start: Mapping[str, Mapping[str, str]] | None = None,
        activities: Sequence[str] | None = None,
        roles: Sequence[str] = ROLES,
    ) -> None:
        self.start = DEFAULT_RACI if start is None else start
        self.activities = [a for a, _ in ACTIVITIES] if activities is None else list(activities)
        self.roles = list(roles)
        initial = raci_frame(self.start, self.activities, self.roles)
        self._filling = False  # True while `fill` sets many dropdowns: validate once at the end
        self.dropdowns: dict[tuple[str, str], widgets.Dropdown] = {}
        cells: list[widgets.Widget] = [widgets.HTML("<b>Activity</b>")]
        cells += [widgets.HTML(f"<b>{html.escape(r.replace('_', ' '))}</b>") for r in self.roles]
        for activity in self.activities:
            cells.append(widgets.HTML(html.escape(activity)))
            for role in self.roles:
                box = widgets.Dropdown(options=RACI_OPTIONS, value=initial.loc[activity, role])
                box.layout = widgets.Layout(width="72px")
                box.observe(lambda _: self.update(), names="value")
                self.dropdowns[(activity, role)] = box
                cells.append(box)
        columns = "minmax(220px, 2fr) " + " ".join(["minmax(90px, 1fr)"] * len(self.roles))
        grid = widgets.GridBox(cells, layout=widgets.Layout(grid_template_columns=columns))
        self.reset_button = widgets.Button(description="Reset to template")
        self.clear_button = widgets.Button(description="Clear all")
        self.reset_button.on_click(lambda _: self.fill(initial))
        self.clear_button.on_click(lambda _: self.fill(initial.map(lambda _: "")))
        self.summary = widgets.HTML()
        buttons = widgets.HBox([self.reset_button, self.clear_button])
        self.widget = widgets.VBox([grid, buttons, self.summary])
        self.update()

    @property
    def matrix(self) -> pd.DataFrame:
        """The current matrix (activity x role)."""
        values = {a: {r: self.dropdowns[(a, r)].value for r in self.roles} for a in self.activities}
        return raci_frame(values, self.activities, self.roles)

    def fill(self, matrix: pd.DataFrame) -> None:
        """Set every dropdown from a matrix (validation runs once at the end)."""
        self._filling = True
        for (activity, role), box in self.dropdowns.items():
            box.value = matrix.loc[activity, role]
        self._filling = False
        self.update()

    def update(self) -> None:
        """Re-validate the matrix and refresh `problems`, `load` and `summary`."""
        if self._filling:
            return
        self.problems = raci_problems(self.matrix)
        self.load = raci_load(self.matrix)
        if self.problems.empty:
            verdict = "<p style='color:#2e7d32'><b>Valid:</b> one A and at least one R on every activity.</p>"
        else:
            verdict = f"<p style='color:#c62828'><b>{len(self.problems)} problem(s):</b></p>"
            verdict += _table_html(self.problems)
        self.summary.value = verdict + "<p><b>Load per role</b></p>" + _table_html(self.load)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def _fte_chart(result: pd.DataFrame) -> alt.Chart:
    data = result.melt(
        id_vars="role", value_vars=["fte_needed", "headcount_today"], var_name="measure", value_name="people"
    )
    data["measure"] = data["measure"].map({"fte_needed": "FTE needed", "headcount_today": "headcount today"})
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("people:Q", title="People (FTE)"),
            y=alt.Y("role:N", title=None, sort=list(ROLES)),
            color=alt.Color("measure:N", title=None),
            yOffset="measure:N",
            tooltip=["role:N", "measure:N", alt.Tooltip("people:Q", format=".2f")],
        )
        .properties(title="FTE needed for this volume vs headcount today", width=420)
    )


class TeamSizeApp:
    """Team size for a programme's volume: sliders in, FTE per role out (`team_size`).

    Controls: `campaigns` and `creators` (defaults from `programme_pace`), `basis` (actual or estimate
    hours), `focus` (share of a week on logged tasks) and `weeks` (working weeks a year). Results: `result`
    (DataFrame per role), `chart` and `summary` (HTML).
    """

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        pace, creators = programme_pace(tables)
        style = {"description_width": "200px"}
        layout = {"width": "520px"}
        self.campaigns = widgets.IntSlider(
            value=pace, min=1, max=150, description="Campaigns per year", style=style, layout=layout
        )
        self.creators = widgets.IntSlider(
            value=creators, min=1, max=60, description="Creators per campaign", style=style, layout=layout
        )
        self.basis = widgets.ToggleButtons(options=["actual", "estimate"], description="Hours", style=style)
        self.focus = widgets.FloatSlider(
            value=DEFAULT_FOCUS_SHARE,
            min=0.3,
            max=1.0,
            step=0.05,
            description="Share of week on tasks",
            style=style,
            layout=layout,
        )
        self.weeks = widgets.IntSlider(
            value=DEFAULT_WORKING_WEEKS,
            min=30,
            max=52,
            description="Working weeks a year",
            style=style,
            layout=layout,
        )
        for control in (self.campaigns, self.creators, self.basis, self.focus, self.weeks):
            control.continuous_update = False
            control.observe(lambda _: self.update(), names="value")
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        controls = [self.campaigns, self.creators, self.basis, self.focus, self.weeks]
        self.widget = widgets.VBox([*controls, self.summary, self.out])
        self.update()

    def update(self) -> None:
        """Recompute `result`, `chart` and `summary` from the controls."""
        self.result = team_size(
            self.tables,
            self.campaigns.value,
            self.creators.value,
            basis=self.basis.value,
            working_weeks=self.weeks.value,
            focus_share=self.focus.value,
        )
        total = float(self.result["fte_needed"].sum())
        busiest = self.result.sort_values("fte_needed", ascending=False).iloc[0]
        shown = self.result[["role", "annual_hours", "fte_needed", "headcount_today", "gap"]]
        self.summary.value = (
            f"<p><b>{total:.1f} FTE</b> of logged task work for {self.campaigns.value} campaigns x "
            f"{self.creators.value} creators a year ({self.basis.value} hours); most needed: "
            f"<b>{html.escape(busiest['role'])}</b> ({busiest['fte_needed']:.2f} FTE). "
            f"One FTE = {self.result['hours_per_fte'].iloc[0]:,.0f} task hours a year.</p>"
            + _table_html(shown)
        )
        self.chart = _fte_chart(self.result)
        _show(self.out, self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def ops_by_campaign_chart(tables: Tables) -> alt.Chart:
    """Dot plot of the rate KPIs of `team_ops_metrics(by="campaign_id")`, one row per metric and campaign."""
    per = team_ops_metrics(tables, by="campaign_id")
    rates = [m for m, unit, _ in _OPS_DEFINITIONS if unit == "share"]
    data = per[rates].reset_index().melt(id_vars="campaign_id", var_name="metric", value_name="rate")
    return (
        alt.Chart(data.dropna(subset=["rate"]))
        .mark_circle(size=80)
        .encode(
            x=alt.X(
                "rate:Q", title="Rate (share)", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
            ),
            y=alt.Y("metric:N", title=None, sort=rates),
            color=alt.Color("metric:N", legend=None),
            tooltip=["campaign_id:N", "metric:N", alt.Tooltip("rate:Q", format=".0%")],
        )
        .properties(title="Operations KPIs: one dot per campaign", width=420)
    )
