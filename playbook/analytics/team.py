"""The team itself (module 01): who does what, a RACI matrix and its rules, team size for a programme's volume
from measured hours per task category, and the team's operations KPIs.

Every number comes from the `team` and `tasks` tables (and `relationships.team_ops_metrics`); the few
modelling choices (what each task category grows with, working weeks, the share of a week spent on logged
tasks) are named constants or keyword parameters, described as our choices.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from playbook.analytics.capacity import estimate_accuracy
from playbook.analytics.relationships import team_ops_metrics
from playbook.analytics.undefined import ratio, reasons
from playbook.data.schemas import ROLES, TASK_CATEGORIES

__all__ = [
    "ACTIVITIES",
    "CATEGORY_DRIVERS",
    "DEFAULT_FOCUS_SHARE",
    "DEFAULT_RACI",
    "DEFAULT_WORKING_WEEKS",
    "RACI_OPTIONS",
    "ROLE_AREAS",
    "hours_per_unit",
    "ops_overview",
    "programme_pace",
    "raci_frame",
    "raci_load",
    "raci_problems",
    "role_profile",
    "role_shares",
    "team_size",
]

Tables = Mapping[str, pd.DataFrame]

# =========================================================================== module 01: roles
ROLE_AREAS: Mapping[str, str] = {
    "head_of_influencer": "strategy",
    "creator_partnerships": "creator management",
    "analyst": "analytics",
    "campaign_manager": "operations",
    "content_coordinator": "operations",
}
"""Which of the four areas (strategy, creator management, analytics, operations) each sample role leads."""
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


def ops_overview(tables: Tables) -> pd.DataFrame:
    """The team's operations KPIs (`relationships.team_ops_metrics`) with unit and definition, one row
    each."""
    values = team_ops_metrics(tables)
    return pd.DataFrame(
        [{"metric": m, "value": values.get(m), "unit": u, "definition": d} for m, u, d in _OPS_DEFINITIONS]
    )
