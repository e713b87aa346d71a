"""Apps and tables for the course's first two modules: 00 Start here and 01 The team itself.

Module 00 (onboarding a new team member): `TierCheckApp` proves widgets work,
`playbook.doctor.checks_table` runs the `playbook doctor` checks, `table_overview` lists the sample tables
and `course_map` the modules.

Module 01: who does what (`role_profile`, from the `team` and `tasks` tables), a RACI builder with its
validation (`RaciApp`, `raci_problems`), team size for a programme's volume from measured hours per task
category (`team_size`, `TeamSizeApp`) and the team's operations KPIs (`ops_overview`, from
`playbook.analytics.relationships.team_ops_metrics`).

Every number shown is computed from the data; the few modelling choices (which task categories scale with
campaigns and which with creators, working weeks per year, the share of a week spent on logged tasks) are
named constants or keyword parameters, described as our choices.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import altair as alt
import ipywidgets as widgets
import pandas as pd

from playbook.analytics.capacity import estimate_accuracy
from playbook.analytics.relationships import team_ops_metrics
from playbook.analytics.undefined import ratio, reasons
from playbook.course.base import show_chart as _show
from playbook.course.base import table_html as _table_html
from playbook.course.catalogue import modules
from playbook.data.registry import assign_tier, load_tier_presets
from playbook.data.schemas import ROLES, TABLES, TASK_CATEGORIES

__all__ = [
    "ACTIVITIES",
    "CATEGORY_DRIVERS",
    "DEFAULT_FOCUS_SHARE",
    "DEFAULT_RACI",
    "DEFAULT_WORKING_WEEKS",
    "GROUND_TRUTH",
    "RACI_OPTIONS",
    "ROLE_AREAS",
    "RaciApp",
    "TeamSizeApp",
    "TierCheckApp",
    "course_map",
    "course_map_chart",
    "hours_per_unit",
    "ops_by_campaign_chart",
    "ops_overview",
    "programme_pace",
    "raci_frame",
    "raci_load",
    "raci_problems",
    "role_hours_chart",
    "role_profile",
    "role_shares",
    "table_overview",
    "team_size",
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
            style={"description_width": "initial"},
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


GROUND_TRUTH: Mapping[str, str] = {
    "fraud_labels": "the whole table",
    "trend_labels": "the whole table",
    "experiments": "true_lift",
    "orders": "leaked_code",
    "comments": "kind",
}
"""What the synthetic generator planted as ground truth: for checking detectors, never as their input."""


def table_overview(tables: Tables) -> pd.DataFrame:
    """One row per loaded table: rows, columns, what a row is (from the data contracts) and which part, if
    any, is ground truth (`GROUND_TRUTH`)."""
    rows = [
        {
            "table": name,
            "rows": len(frame),
            "columns": frame.shape[1],
            "a row is": TABLES[name].description if name in TABLES else "",
            "ground truth (evaluation only)": GROUND_TRUTH.get(name, ""),
        }
        for name, frame in tables.items()
    ]
    return pd.DataFrame(rows)


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


# =========================================================================== module 01: roles
ROLE_AREAS: Mapping[str, str] = {
    "head_of_influencer": "strategy",
    "creator_partnerships": "creator management",
    "analyst": "analytics",
    "campaign_manager": "operations",
    "content_coordinator": "operations",
}
"""Which of the four areas (strategy, creator management, analytics, operations) each sample role leads."""


def role_profile(tables: Tables) -> pd.DataFrame:
    """Per team member: role, area, weekly capacity, logged tasks, actual hours, share of the team's hours
    and the task categories they spent most hours on (largest first). Hours are `tasks.actual_hours` of done
    tasks; share = member hours / team hours."""
    team, tasks = tables["team"], tables["tasks"]
    done = tasks[tasks["done_date"].notna()]
    hours = done.groupby("member_id")["actual_hours"].sum()
    by_cat = done.groupby(["member_id", "category"])["actual_hours"].sum().sort_values(ascending=False)
    top = by_cat.reset_index().groupby("member_id")["category"].agg(lambda s: ", ".join(s))
    out = team[["member_id", "name", "role", "weekly_capacity_hours"]].copy()
    out.insert(3, "area", out["role"].map(ROLE_AREAS).fillna("other"))
    out["tasks"] = out["member_id"].map(done.groupby("member_id").size()).fillna(0).astype("int64")
    out["actual_hours"] = out["member_id"].map(hours).fillna(0.0)
    out["share_of_team_hours"] = ratio(out["actual_hours"], out["actual_hours"].sum(), "share of hours")
    out["main_categories"] = out["member_id"].map(top).fillna("")
    return out


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


# =========================================================================== module 01: RACI
ACTIVITIES: tuple[tuple[str, int], ...] = (
    ("Set strategy, goals and KPIs", 1),
    ("Plan budget and fit with paid ads and PR", 1),
    ("Write campaign proposal and brief", 2),
    ("Find and vet creators", 2),
    ("Outreach and negotiation", 2),
    ("Contracts, usage rights and disclosure", 2),
    ("Approve content", 2),
    ("Pay creators", 2),
    ("Creator network and re-booking", 3),
    ("Track KPIs, sales and ROI", 4),
    ("Post-campaign review", 4),
    ("Watch trends and the market", 5),
)
"""Activities of the team's five jobs (activity, job number): 1 strategy, 2 campaigns, 3 relationships,
4 performance, 5 trends."""

RACI_OPTIONS: tuple[str, ...] = ("", "R", "A", "A/R", "C", "I")
"""R responsible (does the work), A accountable (owns the outcome, signs off), A/R both, C consulted
(asked before), I informed (told after); empty = not involved."""

_H, _CM, _CP, _AN, _CC = ROLES
DEFAULT_RACI: Mapping[str, Mapping[str, str]] = {
    "Set strategy, goals and KPIs": {_H: "A/R", _CM: "C", _AN: "C", _CP: "I", _CC: "I"},
    "Plan budget and fit with paid ads and PR": {_H: "A", _CM: "R", _AN: "C", _CP: "I"},
    "Write campaign proposal and brief": {_CM: "A/R", _H: "C", _CP: "C", _AN: "C", _CC: "I"},
    "Find and vet creators": {_CP: "A/R", _AN: "C", _CM: "C"},
    "Outreach and negotiation": {_CP: "A/R", _CM: "C", _H: "I"},
    "Contracts, usage rights and disclosure": {_CM: "A", _CP: "R", _H: "C", _CC: "I"},
    "Approve content": {_CM: "A", _CC: "R", _CP: "I"},
    "Pay creators": {_CM: "A", _CC: "R", _CP: "I"},
    "Creator network and re-booking": {_CP: "A/R", _CM: "C", _AN: "C"},
    "Track KPIs, sales and ROI": {_AN: "A/R", _CM: "C", _H: "I"},
    "Post-campaign review": {_H: "A", _AN: "R", _CM: "R", _CP: "C", _CC: "C"},
    "Watch trends and the market": {_H: "A", _AN: "R", _CP: "R", _CM: "I"},
}
"""Our suggested starting template for the sample team's roles; a starting point to argue with."""


def raci_frame(
    assignments: Mapping[str, Mapping[str, str]],
    activities: Sequence[str] | None = None,
    roles: Sequence[str] = ROLES,
) -> pd.DataFrame:
    """A RACI matrix: one row per activity, one column per role, cells from RACI_OPTIONS ("" = none)."""
    activities = list(assignments) if activities is None else list(activities)
    rows = {a: {r: assignments.get(a, {}).get(r, "") for r in roles} for a in activities}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(roles)).rename_axis("activity")


def raci_problems(matrix: pd.DataFrame) -> pd.DataFrame:
    """Rule breaks of a RACI matrix, one row each (activity, problem); empty when the matrix is valid.

    Rules: exactly one accountable (a cell holding "A") per activity, and at least one responsible (a cell
    holding "R"); cells must be one of RACI_OPTIONS.
    """
    rows = []
    for activity, cells in matrix.iterrows():
        bad = {role: v for role, v in cells.items() if v not in RACI_OPTIONS}
        for role, value in bad.items():
            rows.append(
                (activity, f"{role}: {value!r} is not one of {', '.join(filter(None, RACI_OPTIONS))}")
            )
        accountable = [role for role, v in cells.items() if "A" in str(v) and role not in bad]
        responsible = [role for role, v in cells.items() if "R" in str(v) and role not in bad]
        if not accountable:
            rows.append((activity, "no one is accountable (A): give exactly one role the A"))
        elif len(accountable) > 1:
            rows.append(
                (activity, f"{len(accountable)} roles are accountable ({', '.join(accountable)}): keep one A")
            )
        if not responsible:
            rows.append((activity, "no one is responsible (R): someone must do the work"))
    return pd.DataFrame(rows, columns=["activity", "problem"])


def raci_load(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per role: how many activities it is accountable for, responsible for, consulted and informed on."""
    cells = matrix.astype(str)
    counts = {
        "accountable": cells.apply(lambda c: c.str.contains("A")).sum(),
        "responsible": cells.apply(lambda c: c.str.contains("R")).sum(),
        "consulted": (cells == "C").sum(),
        "informed": (cells == "I").sum(),
    }
    return pd.DataFrame(counts).astype("int64").rename_axis("role").reset_index()


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


# =========================================================================== module 01: team size
CATEGORY_DRIVERS: Mapping[str, str] = {
    "strategy": "campaign",
    "discovery": "campaign",
    "reporting": "campaign",
    "outreach": "creator",
    "negotiation": "creator",
    "briefing": "creator",
    "approvals": "creator",
    "payments": "creator",
    "relationship": "creator",
}
"""Our modelling choice: what each task category's hours grow with. Per campaign: one strategy, one search
and one report per campaign. Per creator: messages, contracts, briefs, approvals and payments all grow with
the number of creators contracted (deliverables and messages per creator are kept as in the data)."""
DEFAULT_WORKING_WEEKS = 46
"""Our choice: working weeks in a year after leave and public holidays (a slider in `TeamSizeApp`)."""
DEFAULT_FOCUS_SHARE = 0.8
"""Our choice: share of a working week spent on logged campaign tasks; the rest goes to meetings, admin,
learning and work the task board does not record (a slider in `TeamSizeApp`)."""


def _contracts_per_campaign(tables: Tables) -> pd.Series:
    return tables["contracts"].groupby("campaign_id").size()


def hours_per_unit(tables: Tables, basis: str = "actual") -> pd.DataFrame:
    """Measured hours per unit of work for each task category, from the `tasks` board.

    unit = one campaign or one contracted creator (`CATEGORY_DRIVERS`); units = campaigns with tasks of the
    category, or the contracts of those campaigns. estimate_per_unit = estimate hours / units.
    overrun_ratio = actual / estimate hours of the category's done tasks (`capacity.estimate_accuracy`; a
    category without done tasks takes the ratio over all done tasks); with basis="actual" hours_per_unit =
    estimate_per_unit x overrun_ratio (estimates undershoot: the planning fallacy), with basis="estimate"
    hours_per_unit = estimate_per_unit. Programme tasks without a campaign are left out.
    """
    if basis not in ("actual", "estimate"):
        raise ValueError(f"basis must be 'actual' or 'estimate'; got {basis!r}")
    tasks = tables["tasks"]
    per_campaign = tasks.groupby(["category", "campaign_id"])["estimate_hours"].sum().reset_index()
    contracts = per_campaign["campaign_id"].map(_contracts_per_campaign(tables)).fillna(0)
    driver = per_campaign["category"].map(CATEGORY_DRIVERS).fillna("campaign")
    per_campaign["units"] = contracts.where(driver == "creator", 1.0)
    out = per_campaign.groupby("category").agg(
        estimate_hours=("estimate_hours", "sum"), campaigns=("campaign_id", "nunique"), units=("units", "sum")
    )
    out.insert(0, "driver", out.index.map(lambda c: CATEGORY_DRIVERS.get(c, "campaign")))
    out["estimate_per_unit"] = ratio(out["estimate_hours"], out["units"], "hours per unit")
    accuracy = estimate_accuracy(tasks)
    overrun = accuracy[accuracy["dimension"] == "category"].set_index("group")["overrun_ratio"]
    overall = overrun.get("all", float("nan"))
    out["overrun_ratio"] = overrun.reindex(out.index).fillna(overall)
    factor = out["overrun_ratio"] if basis == "actual" else 1.0
    out["hours_per_unit"] = out["estimate_per_unit"] * factor
    out["basis"] = basis
    order = [c for c in TASK_CATEGORIES if c in out.index]
    return out.reindex(order).rename_axis("category").reset_index()


def role_shares(tables: Tables) -> pd.DataFrame:
    """Share of each task category's estimate hours done by each role (rows sum to 1): `tasks` x `team`."""
    tasks = tables["tasks"].merge(tables["team"][["member_id", "role"]], on="member_id", how="left")
    hours = tasks.pivot_table(
        index="category", columns="role", values="estimate_hours", aggfunc="sum", fill_value=0.0
    )
    return hours.div(hours.sum(axis=1), axis=0).reindex(columns=list(ROLES), fill_value=0.0)


def programme_pace(tables: Tables) -> tuple[int, int]:
    """The sample's own pace: (campaigns per year, creators per campaign).

    campaigns per year = campaigns on the task board / years from the first task created to the last task
    due (rounded); creators per campaign = median contracts per campaign. Used as the sliders' defaults.
    """
    tasks = tables["tasks"]
    years = (tasks["due_date"].max() - tasks["created_date"].min()).days / 365.25
    pace = ratio(float(tasks["campaign_id"].nunique()), years, "campaigns per year")
    median = _contracts_per_campaign(tables).median()
    return (
        max(1, round(pace)) if not math.isnan(pace) else 1,
        max(1, round(median)) if pd.notna(median) else 1,
    )


def team_size(
    tables: Tables,
    campaigns_per_year: float,
    creators_per_campaign: float,
    *,
    basis: str = "actual",
    weekly_hours: float | None = None,
    working_weeks: float = DEFAULT_WORKING_WEEKS,
    focus_share: float = DEFAULT_FOCUS_SHARE,
) -> pd.DataFrame:
    """FTEs needed per role for a programme of `campaigns_per_year` x `creators_per_campaign`.

    annual hours of a category = campaigns_per_year x hours_per_unit x (creators_per_campaign when the
    category grows with creators, else 1); a role gets each category's hours times its `role_shares`.
    hours_per_fte = weekly_hours (default: median `team.weekly_capacity_hours`) x working_weeks x
    focus_share; fte_needed = annual_hours / hours_per_fte (undefined when hours_per_fte is 0, or when the
    role does work whose hours cannot be measured).
    headcount_today = members with that role in `team`; gap = fte_needed - headcount_today; note = why
    fte_needed is undefined (empty when it is defined).
    """
    per_unit = hours_per_unit(tables, basis).set_index("category")
    volume = per_unit["driver"].map({"campaign": 1.0, "creator": float(creators_per_campaign)})
    annual = per_unit["hours_per_unit"] * volume * float(campaigns_per_year)
    shares = role_shares(tables).reindex(per_unit.index, fill_value=0.0)
    # a role doing part of a category whose hours cannot be measured gets NaN, not a silent undercount
    by_role = shares.mul(annual, axis=0).where(shares > 0, 0.0).sum(skipna=False)
    team = tables["team"]
    weekly = float(team["weekly_capacity_hours"].median()) if weekly_hours is None else float(weekly_hours)
    hours_per_fte = weekly * float(working_weeks) * float(focus_share)
    out = pd.DataFrame({"role": list(ROLES)})
    out["area"] = out["role"].map(ROLE_AREAS)
    out["annual_hours"] = out["role"].map(by_role).where(out["role"].isin(by_role.index), 0.0)
    out["hours_per_fte"] = hours_per_fte
    fte = ratio(out["annual_hours"], out["hours_per_fte"], "FTE needed")
    out["fte_needed"] = fte
    out["headcount_today"] = out["role"].map(team["role"].value_counts()).fillna(0).astype("int64")
    out["gap"] = out["fte_needed"] - out["headcount_today"]
    out["note"] = reasons(fte).fillna("").astype(str)
    return out


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


# =========================================================================== module 01: operations
_OPS_DEFINITIONS: tuple[tuple[str, str, str], ...] = (
    ("time_to_contract_days", "days", "median of contract signed - first outreach message"),
    ("approval_cycle_days", "days", "median of approval - draft received"),
    ("revisions_per_deliverable", "rounds", "mean revision rounds per deliverable"),
    ("on_time_posting_rate", "share", "posts up by their due date / posts due (missed posts count as late)"),
    ("on_time_payment_rate", "share", "invoices paid within terms / invoices due (overdue counts as late)"),
    ("rebook_rate", "share", "creators contracted in more than one campaign / creators contracted"),
    ("reply_rate", "share", "outreach messages replied to / messages sent"),
)


def ops_overview(tables: Tables) -> pd.DataFrame:
    """The team's operations KPIs (`relationships.team_ops_metrics`) with unit and definition, one row
    each."""
    values = team_ops_metrics(tables)
    return pd.DataFrame(
        [{"metric": m, "value": values.get(m), "unit": u, "definition": d} for m, u, d in _OPS_DEFINITIONS]
    )


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
