"""Module 13, the capstone: plan a campaign, shortlist creators, compare the plan with the closest sample
campaign, render its report, and write a one-page team playbook.

The steps call the analytics library: `planning.allocate_budget` / `expected_results` (budget split and
forecast ranges from the benchmark registry), `vetting.audience_quality` and `brand_fit.brand_fit` (the
shortlist), `planning.outreach_needed` (messages to send), `summary.campaign_figures` and `metrics`
(what happened), `report.render_report` (the campaign report). Plans are in USD, because the published CPMs
behind the forecast are in USD; sample campaigns are in their own currency.

Apps hold their widgets (`.widget`), their controls as attributes and their results (`.result`, `.summary`,
`.chart`, `.document_html`), so tests set `.value` on a control, click a button and assert on the results
without a browser.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import HTML

from playbook.analytics import metrics
from playbook.analytics.brand_fit import DEFAULT_FIT_WEIGHTS, FIT_COMPONENTS, brand_fit
from playbook.analytics.kpis import OBJECTIVE_KPIS
from playbook.analytics.planning import OBJECTIVES, allocate_budget, expected_results, outreach_needed
from playbook.analytics.summary import campaign_figures
from playbook.analytics.trends import detect_rising
from playbook.analytics.undefined import reason
from playbook.analytics.vetting import SUSPECTED_BELOW, audience_quality
from playbook.course.base import fmt as _fmt
from playbook.course.base import show as _show
from playbook.course.base import table_html
from playbook.data.io import atomic_write_text
from playbook.data.registry import DEFAULT_TIER_PRESET, assign_tier, benchmark, cite, load_tier_presets
from playbook.viz import charts

__all__ = [
    "ACTIVITIES",
    "DEFAULT_BUDGET",
    "DEFAULT_TARGET_CREATORS",
    "PLATFORMS",
    "REPORT_DIR",
    "CampaignPlan",
    "PlanApp",
    "PlaybookBuilder",
    "PlaybookChoices",
    "ShortlistApp",
    "allocation_chart",
    "closest_campaign",
    "comparison_chart",
    "plan_budget",
    "plan_figures",
    "plan_vs_actual",
    "playbook_warnings",
    "render_playbook",
    "report_headlines",
    "rising_topics",
    "save_text_atomically",
    "shortlist",
]

Tables = Mapping[str, pd.DataFrame]
Sections = list[tuple[str, list[tuple[str, str]]]]  # (heading, [(label, text)]) of the playbook page
PLATFORMS: tuple[str, ...] = ("instagram", "tiktok", "youtube")
REPORT_DIR: Path = Path.cwd() / "reports" / "capstone"  # beside the notebook JupyterLab runs; git-ignored
DEFAULT_BUDGET = 20_000.0  # our choice of a starting budget for the exercise, USD
DEFAULT_TARGET_CREATORS = 8  # our choice of a starting roster size for the exercise
DEFAULT_FOLLOW_UPS = 1  # our starting choice for the playbook's outreach cadence
DEFAULT_FOLLOW_UP_DAYS = 4  # our starting choice: days between a message and its follow-up
MIN_FIT_ID = "brand_fit_band_good_cloutaura"  # the shortlist's default fit floor: Cloutaura's "good" band
ACTIVITIES: tuple[str, ...] = (
    "strategy and budget",
    "creator selection and vetting",
    "outreach and negotiation",
    "briefs and content approval",
    "payment",
    "measurement and review",
    "trend watch",
)
ROLES: tuple[str, ...] = (
    "head of influencer",
    "campaign manager",
    "creator partnerships",
    "content coordinator",
    "analyst",
)
_DEFAULT_ACCOUNTABLE = ("head of influencer",) * 2 + ("campaign manager",) * 3 + ("analyst",) * 2
_WIDE = {"width": "600px"}  # layout of text fields
HOLDOUT_PLANS: tuple[str, ...] = ("no holdout", "geo holdout", "audience holdout")
REVIEW_CADENCES: tuple[str, ...] = ("weekly", "every two weeks", "monthly")
_MAIN_RESULT = {"awareness": "impressions", "consideration": "engagements", "conversion": "conversions"}
_COST_KPIS: tuple[tuple[str, str, str], ...] = (  # (kpi, row of expected_results, what it divides)
    ("CPM", "cpm", "full cost per 1,000 impressions"),
    ("CPE", "cpe", "full cost per engagement"),
    ("CPC", "cpc", "full cost per link click"),
    ("CPA", "cpa", "full cost per attributed order"),
)


# --------------------------------------------------------------------------- 1. the plan
@dataclass(frozen=True)
class CampaignPlan:
    """The learner's brief: brand, objective, budget (USD), platforms and creator-tier preset."""

    brand_id: str
    objective: str
    budget: float
    platforms: tuple[str, ...] = PLATFORMS
    preset: str = DEFAULT_TIER_PRESET

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}; got {self.objective!r}")
        if not self.platforms:
            raise ValueError("pick at least one platform")


def plan_budget(plan: CampaignPlan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`planning.allocate_budget` and `planning.expected_results` for the plan (USD, benchmark ranges)."""
    allocation = allocate_budget(plan.budget, plan.objective, plan.platforms, plan.preset)
    return allocation, expected_results(allocation)


def allocation_chart(allocation: pd.DataFrame) -> alt.Chart:
    """Stacked bars of the planned amount per creator tier, one colour per platform (USD)."""
    data = allocation[["platform", "tier", "amount", "share"]]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("tier:N", sort=list(dict.fromkeys(data["tier"])), title="Creator tier"),
            y=alt.Y("amount:Q", title="Planned amount (USD)"),
            color=alt.Color("platform:N", title="Platform"),
            tooltip=[
                "platform:N",
                "tier:N",
                alt.Tooltip("amount:Q", format=",.0f"),
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(title="Budget by tier and platform (planning.allocate_budget)")
    )


def rising_topics(tables: Tables, top: int = 8) -> pd.DataFrame:
    """Topics `trends.detect_rising` flags in `topic_daily` (earliest detection first, `top` rows):
    topic, platform, first_detected, growth_per_day (fraction per day on the first day)."""
    found = detect_rising(tables["topic_daily"])
    columns = ["topic", "platform", "first_detected", "growth_per_day"]
    return found.sort_values("first_detected")[columns].head(top).reset_index(drop=True)


def _dropped_note(allocation: pd.DataFrame) -> str:
    """HTML naming the cells `planning.allocate_budget` emptied because their share could not book one
    creator (its ``dropped``, ``policy_amount`` and ``min_creator_fee`` columns); empty when none were."""
    dropped = allocation[allocation["dropped"]]
    if dropped.empty:
        return ""
    items = ", ".join(
        f"{html.escape(r.platform)} {html.escape(r.tier)} "
        f"({r.policy_amount:,.0f} &lt; {r.min_creator_fee:,.0f})"
        for r in dropped.itertuples()
    )
    return (
        "<br>Moved to the other cells, because their share could not book even one creator at the fair "
        f"typical fee (share USD &lt; one creator USD): {items}."
    )


class PlanApp:
    """Step 1: pick a brand, an objective, a budget, platforms and a tier preset; the allocation
    (`.allocation`), the forecast ranges (`.result`), a summary and a chart. `.plan` is the brief."""

    def __init__(self, tables: Tables, brand_id: str | None = None, objective: str = "conversion") -> None:
        brands = tables["brands"].sort_values("brand_id")
        options = list(zip(brands["name"] + " (" + brands["category"] + ")", brands["brand_id"], strict=True))
        self.brand = widgets.Dropdown(options=options, value=brand_id or options[0][1], description="Brand")
        self.objective = widgets.Dropdown(options=list(OBJECTIVES), value=objective, description="Objective")
        self.budget = widgets.BoundedFloatText(
            value=DEFAULT_BUDGET,
            min=0,
            max=10_000_000,
            step=1000,
            description="Budget (USD)",
            style={"description_width": "initial"},
        )
        self.platforms = widgets.SelectMultiple(
            options=list(PLATFORMS), value=PLATFORMS, description="Platforms"
        )
        presets = list(dict.fromkeys(load_tier_presets()["preset"]))
        self.preset = widgets.Dropdown(options=presets, value=DEFAULT_TIER_PRESET, description="Tier preset")
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        for control in (self.brand, self.objective, self.budget, self.platforms, self.preset):
            control.observe(lambda _: self.update(), names="value")
        controls = widgets.VBox([self.brand, self.objective, self.budget, self.platforms, self.preset])
        self.widget = widgets.VBox([controls, self.summary, self.out])
        self.update()

    def update(self) -> None:
        """Re-plan with the current choices and redraw (an empty platform choice is pointed out)."""
        if not self.platforms.value:
            self.summary.value = "<b>Pick at least one platform.</b>"
            return
        self.plan = CampaignPlan(
            self.brand.value,
            self.objective.value,
            float(self.budget.value),
            tuple(self.platforms.value),
            self.preset.value,
        )
        self.allocation, self.result = plan_budget(self.plan)
        r = self.result
        main = _MAIN_RESULT[self.plan.objective]
        low, typical, high = (r.loc[main, end] for end in ("low", "typical", "high"))
        self.summary.value = (
            f"<b>{self.plan.budget:,.0f} USD for {self.plan.objective}</b> across "
            f"{', '.join(self.plan.platforms)}: {main} {low:,.0f} to {high:,.0f} (typical {typical:,.0f}). "
            "The range is wide on purpose: published CPMs and rates disagree, and the low and high ends "
            "assume every cell lands at the same end." + _dropped_note(self.allocation)
        )
        self.chart = allocation_chart(self.allocation)
        funded = self.allocation[self.allocation["amount"] > 0]
        cells = funded[["platform", "tier", "amount", "min_creator_fee", "creators_affordable"]]
        results = self.result.drop(columns="note").reset_index()
        _show(self.out, self.chart, HTML(table_html(cells)), HTML(table_html(results)))

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


# --------------------------------------------------------------------------- 2. the shortlist
def _creator_quality(scores: pd.DataFrame, platforms: Sequence[str], preset: str) -> pd.DataFrame:
    """Per creator, over their accounts on `platforms`: worst audience-quality score, its red flags, total
    followers, the platforms and the tier of the largest account."""
    acc = scores[scores["platform"].isin(platforms)].reset_index()
    acc = acc.sort_values("score", kind="stable")
    g = acc.groupby("creator_id", sort=False)
    biggest = acc.loc[g["followers"].idxmax()].set_index("creator_id")["followers"]
    return pd.DataFrame(
        {
            "platforms": g["platform"].agg(lambda p: ", ".join(sorted(set(p)))),
            "followers": g["followers"].sum(),
            "tier": assign_tier(biggest, preset).astype(str),
            "quality": g["score"].first(),
            "quality_flags": g["red_flags"].first(),
        }
    )


def shortlist(
    tables: Tables,
    plan: CampaignPlan,
    *,
    min_quality: float = SUSPECTED_BELOW,
    min_fit: float | None = None,
    fit_weights: Mapping[str, float] | None = None,
    quality: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Creators with an account on the plan's platforms whose worst audience-quality score is at least
    `min_quality` (default `vetting.SUSPECTED_BELOW`, the score's own cut-off) and whose brand fit to the
    plan's brand is at least `min_fit` (default: the low end of Cloutaura's "good" band, `MIN_FIT_ID`),
    best fit first. `quality`: precomputed `audience_quality(tables)` to save time.

    Columns: creator_id, handle, niche, platforms, followers, tier, quality, quality_flags, fit, band,
    reasons. Remember the inverted U (Leung et al. 2022, see `analytics.brand_fit`): the top fit is not
    always the best choice; the floor screens out poor fits.
    """
    min_fit = benchmark(MIN_FIT_ID).low if min_fit is None else min_fit
    scores = audience_quality(dict(tables)) if quality is None else quality
    per_creator = _creator_quality(scores, plan.platforms, plan.preset)
    fit = brand_fit(dict(tables), brand_id=plan.brand_id, weights=dict(fit_weights or {})).set_index(
        "creator_id"
    )
    out = per_creator.join(fit[["handle", "niche", "score", "band", "reasons"]], how="inner")
    out = out.rename(columns={"score": "fit"})
    keep = (out["quality"] >= min_quality) & (out["fit"] >= min_fit)
    columns = [
        "handle",
        "niche",
        "platforms",
        "followers",
        "tier",
        "quality",
        "quality_flags",
        "fit",
        "band",
        "reasons",
    ]
    ranked = out.loc[keep, columns].sort_values(["fit", "quality"], ascending=False, kind="stable")
    ranked.attrs = {"candidates": len(out), "min_quality": min_quality, "min_fit": min_fit}
    return ranked.rename_axis("creator_id").reset_index()


def _shortlist_chart(candidates: pd.DataFrame, min_quality: float, min_fit: float) -> alt.LayerChart:
    """Every candidate's audience quality against brand fit, with the two floors as rules."""
    data = candidates[["handle", "quality", "fit", "tier"]].assign(
        shortlisted=(candidates["quality"] >= min_quality) & (candidates["fit"] >= min_fit)
    )
    points = (
        alt.Chart(data)
        .mark_circle(size=45, opacity=0.8)
        .encode(
            x=alt.X("fit:Q", title="Brand fit (0-100)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y(
                "quality:Q", title="Audience quality, worst account (0-100)", scale=alt.Scale(domain=[0, 100])
            ),
            color=alt.Color("shortlisted:N", title="Shortlisted"),
            tooltip=[
                "handle:N",
                "tier:N",
                alt.Tooltip("fit:Q", format=".0f"),
                alt.Tooltip("quality:Q", format=".0f"),
            ],
        )
    )
    rules = [
        alt.Chart(pd.DataFrame({"fit": [min_fit]})).mark_rule(strokeDash=[4, 3]).encode(x="fit:Q"),
        alt.Chart(pd.DataFrame({"quality": [min_quality]}))
        .mark_rule(strokeDash=[4, 3])
        .encode(y="quality:Q"),
    ]
    return alt.layer(points, *rules).properties(title="Shortlist: quality floor and fit floor")


class ShortlistApp:
    """Step 2: set the vetting rules (quality floor, fit floor, fit weights) and the roster size; the
    shortlist (`.result`), the messages to send (`.outreach`, `planning.outreach_needed`), a summary
    and a chart of every candidate."""

    def __init__(self, tables: Tables, plan: CampaignPlan) -> None:
        self.tables, self.plan = tables, plan
        self.quality_scores = audience_quality(dict(tables))
        self.candidates = shortlist(tables, plan, min_quality=0, min_fit=0, quality=self.quality_scores)
        self.min_quality = widgets.FloatSlider(
            value=SUSPECTED_BELOW,
            min=0,
            max=100,
            step=1,
            description="Quality floor",
            continuous_update=False,
        )
        self.min_fit = widgets.FloatSlider(
            value=benchmark(MIN_FIT_ID).low,
            min=0,
            max=100,
            step=1,
            description="Fit floor",
            continuous_update=False,
        )
        self.weights = {
            c: widgets.FloatSlider(
                value=DEFAULT_FIT_WEIGHTS[c],
                min=0,
                max=1,
                step=0.05,
                description=f"w {c}",
                continuous_update=False,
            )
            for c in FIT_COMPONENTS
        }
        self.target = widgets.IntSlider(
            value=DEFAULT_TARGET_CREATORS,
            min=1,
            max=40,
            description="Creators to sign",
            continuous_update=False,
        )
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        for control in (self.min_quality, self.min_fit, self.target, *self.weights.values()):
            control.observe(lambda _: self.update(), names="value")
        rules = widgets.VBox([self.min_quality, self.min_fit, self.target])
        self.widget = widgets.VBox(
            [widgets.HBox([rules, widgets.VBox(list(self.weights.values()))]), self.summary, self.out]
        )
        self.update()

    @property
    def fit_weights(self) -> dict[str, float]:
        return {c: float(w.value) for c, w in self.weights.items()}

    def update(self) -> None:
        """Re-score fit with the weights, apply the floors, size the outreach and redraw."""
        weights = self.fit_weights
        if sum(weights.values()) <= 0:
            self.summary.value = "<b>Give at least one fit component a weight above 0.</b>"
            return
        self.candidates = shortlist(
            self.tables, self.plan, min_quality=0, min_fit=0, fit_weights=weights, quality=self.quality_scores
        )
        q, f = float(self.min_quality.value), float(self.min_fit.value)
        keep = (self.candidates["quality"] >= q) & (self.candidates["fit"] >= f)
        self.result = self.candidates[keep].reset_index(drop=True)
        self.outreach = outreach_needed(int(self.target.value), tables=self.tables)
        messages = int(self.outreach["messages_to_send"])
        enough = len(self.result) >= messages
        verdict = (
            "enough to contact everyone you need"
            if enough
            else "too few: loosen a floor, add a platform, or plan a smaller roster"
        )
        o = self.outreach
        self.summary.value = (
            f"<b>{len(self.result)} of {len(self.candidates)} creators pass</b> (quality at least {q:.0f}, "
            f"fit at least {f:.0f}). To sign {self.target.value} you need about {messages} messages (reply "
            f"rate {o['reply_rate']:.0%} with follow-ups, agreed per reply {o['agree_rate']:.0%} measured in "
            f"the outreach table): {verdict}. Sending takes about {o['sending_days']} working days."
        )
        self.chart = _shortlist_chart(self.candidates, q, f)
        columns = ["handle", "niche", "platforms", "tier", "quality", "fit", "band", "quality_flags"]
        _show(self.out, self.chart, self.result[columns].head(15))

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


# --------------------------------------------------------------------------- 3. plan vs what happened
def closest_campaign(tables: Tables, plan: CampaignPlan) -> tuple[str, str]:
    """The sample campaign nearest the plan and why: same brand and objective; else same objective, then
    same brand; ties broken by the closest budget on a log scale. Returns (campaign_id, match)."""
    c = tables["campaigns"]
    same_brand, same_goal = c["brand_id"] == plan.brand_id, c["objective"] == plan.objective
    for mask, match in (
        (same_brand & same_goal, "same brand and objective"),
        (same_goal, "same objective, another brand"),
        (same_brand, "same brand, another objective"),
        (pd.Series(True, index=c.index), "closest budget"),
    ):
        if mask.any():
            pool = c[mask]
            gap = (np.log1p(pool["budget"]) - math.log1p(plan.budget)).abs()
            return str(pool.loc[gap.idxmin(), "campaign_id"]), match
    raise ValueError("the campaigns table is empty")


def plan_vs_actual(tables: Tables, expected: pd.DataFrame, campaign_id: str) -> pd.DataFrame:
    """The plan's cost per result (low / typical / high, USD, budget as full cost) against the campaign's
    actual on its full cost (`metrics.campaign_cost`, campaign currency).

    Actual: CPM = full cost / impressions x 1000, CPE = full cost / engagements (likes + comments + shares
    + saves), CPC = full cost / link clicks, CPA = full cost / attributed orders (`summary.campaign_figures`).
    verdict: "better than plan" below the plan's low, "inside the plan" up to its high, "worse than plan"
    above it, "undefined" when the actual is. Cost per result does not depend on the budget's size, so a
    plan and a campaign of different budgets can be compared; attrs carry the currencies.
    """
    figures = campaign_figures(dict(tables), campaign_id)
    posts = tables["posts"][tables["posts"]["campaign_id"] == campaign_id]
    cost = float(figures["full_cost"])
    actual = {
        "CPM": metrics.cpm(cost, float(posts["impressions"].sum())),
        "CPE": metrics.cpe(cost, float(figures["engagements"])),
        "CPC": metrics.cpc(cost, float(figures["link_clicks"])),
        "CPA": metrics.cpa(cost, float(figures["attributed_orders"])),
    }
    rows = []
    for kpi, row, what in _COST_KPIS:
        low, typical, high = (float(expected.loc[row, end]) for end in ("low", "typical", "high"))
        value = actual[kpi]
        verdict = (
            "undefined"
            if pd.isna(value)
            else "better than plan"
            if value < low
            else "inside the plan"
            if value <= high
            else "worse than plan"
        )
        rows.append((kpi, what, low, typical, high, float(value), verdict, reason(value) or ""))
    out = pd.DataFrame(
        rows,
        columns=["kpi", "formula", "plan_low", "plan_typical", "plan_high", "actual", "verdict", "reason"],
    )
    out.attrs = {"campaign_id": campaign_id, "plan_currency": "USD", "actual_currency": figures["currency"]}
    return out


def comparison_chart(comparison: pd.DataFrame) -> alt.LayerChart:
    """`charts.kpi_vs_target`: each actual cost per result as a share of the plan's typical value (lower is
    better; the currencies are in the title when they differ)."""
    frame = comparison.rename(columns={"plan_typical": "target"})[["kpi", "actual", "target"]]
    frame = frame.assign(higher_is_better=False)
    plan_cur, actual_cur = comparison.attrs.get("plan_currency"), comparison.attrs.get("actual_currency")
    note = "" if plan_cur == actual_cur else f" (plan in {plan_cur}, campaign in {actual_cur})"
    return charts.kpi_vs_target(frame, title=f"Actual cost per result vs the plan's typical{note}")


# --------------------------------------------------------------------------- 4. the report
def _headline(value: object) -> str:
    """A headline figure as text: thousands separators from 1 up, four significant digits below."""
    if isinstance(value, float):
        return _fmt(value, ",.2f" if abs(value) >= 1 or value == 0 else ".4g")
    return str(value)


def report_headlines(result: Any) -> pd.DataFrame:
    """Headline figures of a `report.ReportResult` as figure / value rows (the metrics JSON's `figures`
    and its verdict); a failed report gives one row with the error."""
    if not result.ok:
        return pd.DataFrame([{"figure": "error", "value": str(result.error)}])
    figures = dict(result.metrics.get("figures") or {})
    verdict = result.metrics.get("verdict") or {}
    rows = [{"figure": k, "value": _headline(v)} for k, v in figures.items()]
    rows.append({"figure": "verdict", "value": f"{verdict.get('label', '')}: {verdict.get('text', '')}"})
    rows.append({"figure": "report file", "value": str(result.html_path)})
    return pd.DataFrame(rows).astype({"value": str})


# --------------------------------------------------------------------------- 5. the one-page playbook
def _published(benchmark_id: str, end: str = "value", kind: type = float) -> Callable[[], Any]:
    """A dataclass default factory: one end (low, value = typical, high) of a registry figure."""
    return lambda: kind(getattr(benchmark(benchmark_id), end))


@dataclass(frozen=True)
class PlaybookChoices:
    """Everything the learner chose for the team playbook (text as typed; numbers in the units named).

    Numeric defaults are published figures read from the registry (`_published`), except the follow-up
    cadence, which is our starting choice (`DEFAULT_FOLLOW_UPS`, `DEFAULT_FOLLOW_UP_DAYS`).
    """

    team_name: str = "Our influencer team"
    goals: str = ""
    objective: str = "conversion"
    kpis: tuple[str, ...] = ()
    paid_and_pr: str = ""
    accountable: Mapping[str, str] = field(default_factory=dict)  # activity -> role
    responsible: Mapping[str, str] = field(default_factory=dict)
    min_quality: float = SUSPECTED_BELOW
    min_fit: float = field(default_factory=_published(MIN_FIT_ID, "low"))
    fit_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_FIT_WEIGHTS))
    follow_ups: int = DEFAULT_FOLLOW_UPS
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS
    new_messages_per_day: int = field(
        default_factory=_published("outreach_new_per_day_influencerhero", kind=int)
    )
    personalised: bool = True
    relationship_notes: str = ""
    approval_days: int = field(default_factory=_published("brand_reply_days_aspire", "high", int))
    max_revisions: int = field(default_factory=_published("revision_rounds_model", "high", int))
    payment_days: int = field(default_factory=_published("payment_terms_net30_usual", kind=int))
    upfront_share: float = field(default_factory=_published("fee_upfront_share_split_heepsy"))
    attribution_window_days: int = field(
        default_factory=_published("attribution_window_days_modash", kind=int)
    )
    holdout_plan: str = HOLDOUT_PLANS[0]
    holdout_share: float = field(default_factory=_published("holdout_share_influencers_time"))
    holdout_days: int = field(default_factory=_published("holdout_min_days_influencers_time", kind=int))
    trend_cadence: str = REVIEW_CADENCES[0]
    trend_to_test: str = ""
    trend_notes: str = ""


def playbook_warnings(choices: PlaybookChoices) -> list[str]:
    """Choices that contradict published guidance (figures from the registry) or leave a gap."""
    out = []
    holdout_days = benchmark("holdout_min_days_influencers_time")
    share = benchmark("holdout_share_influencers_time")
    if choices.holdout_plan != "no holdout" and choices.holdout_days < holdout_days.low:
        out.append(
            f"The holdout runs {choices.holdout_days} days, shorter than {holdout_days.low:.0f} "
            f"({cite('holdout_min_days_influencers_time')})."
        )
    if choices.holdout_plan != "no holdout" and not share.low <= choices.holdout_share <= share.high:
        out.append(
            f"The holdout share {choices.holdout_share:.0%} is outside {share.low:.0%}-{share.high:.0%} "
            f"({cite('holdout_share_influencers_time')})."
        )
    asked = benchmark("creator_payment_terms_net_days")
    if choices.payment_days > asked.high:
        out.append(
            f"Paying {choices.payment_days} days after invoice is later than creators ask "
            f"({asked.low:.0f}-{asked.high:.0f} days, {cite('creator_payment_terms_net_days')})."
        )
    reply = benchmark("brand_reply_days_aspire")
    if choices.approval_days > reply.high:
        out.append(
            f"Reviewing drafts in {choices.approval_days} days is slower than the {reply.high:.0f} days "
            f"Aspire asks brands to reply in ({cite('brand_reply_days_aspire')})."
        )
    limit = benchmark("outreach_new_per_day_influencerhero")
    if choices.new_messages_per_day > limit.value:
        out.append(
            f"{choices.new_messages_per_day} new messages a day is above {limit.value:.0f} "
            f"({cite('outreach_new_per_day_influencerhero')})."
        )
    gaps = [a for a in ACTIVITIES if not choices.accountable.get(a)]
    if gaps:
        out.append(f"Nobody is accountable for: {', '.join(gaps)}.")
    return out


def _md(text: object) -> str:
    """Text safe to put in Markdown: HTML special characters as entities (so no tag survives), the
    characters that start emphasis, code, links, images, headings or tables backslash-escaped, and line
    breaks kept as Markdown hard breaks."""
    escaped = html.escape(str(text), quote=False)
    return re.sub(r"([\\`*_\[\]{}#|!~])", r"\\\1", escaped).replace("\n", "  \n")


def _sections(choices: PlaybookChoices, figures: Mapping[str, str]) -> Sections:
    """The document as (heading, [(label, text)]) in reading order; text is raw (escaped when rendered)."""
    c = choices
    roles = [
        (a, f"A: {c.accountable.get(a) or 'nobody'}; R: {c.responsible.get(a) or 'nobody'}")
        for a in ACTIVITIES
    ]
    weights = ", ".join(f"{k} {v:.2f}" for k, v in c.fit_weights.items()) or "default weights"
    holdout = (
        "no holdout: returns are attributed, not proven incremental"
        if c.holdout_plan == "no holdout"
        else f"{c.holdout_plan}, {c.holdout_share:.0%} held out for {c.holdout_days} days"
    )
    return [
        (
            "1. Strategy (job 1)",
            [
                ("Goals", c.goals or "(not written yet)"),
                ("Objective", c.objective),
                ("KPIs", ", ".join(c.kpis) or "(none chosen)"),
                ("With paid ads and PR", c.paid_and_pr or "(not written yet)"),
            ],
        ),
        ("2. Team and roles (RACI summary)", roles),
        (
            "3. Vetting rules (job 2)",
            [
                ("Audience quality", f"worst account scores at least {c.min_quality:.0f} of 100"),
                ("Brand fit", f"at least {c.min_fit:.0f} of 100; {weights}"),
            ],
        ),
        (
            "4. Outreach and relationships (job 3)",
            [
                (
                    "Cadence",
                    f"{c.follow_ups} follow-up(s), {c.follow_up_days} days apart; up to "
                    f"{c.new_messages_per_day} new creators a day; "
                    f"{'personalised' if c.personalised else 'template'} first message",
                ),
                ("Long-term relationships", c.relationship_notes or "(not written yet)"),
            ],
        ),
        (
            "5. Approval and payment (job 2)",
            [
                (
                    "Draft review",
                    f"within {c.approval_days} working days, at most {c.max_revisions} revision rounds",
                ),
                (
                    "Payment",
                    f"{c.upfront_share:.0%} on signing, the rest {c.payment_days} days after invoice",
                ),
            ],
        ),
        (
            "6. Measurement (job 4)",
            [
                (
                    "Attribution",
                    f"creator code first, else tracked link within {c.attribution_window_days} days",
                ),
                ("Incrementality", holdout),
            ],
        ),
        (
            "7. Trend watch (job 5)",
            [
                ("Review", c.trend_cadence),
                ("Trend to test next", c.trend_to_test or "(none chosen)"),
                ("Notes", c.trend_notes or "(not written yet)"),
            ],
        ),
        ("8. Figures from our plan", list(figures.items())),
    ]


_STYLE = (
    "body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.4}"
    "th{text-align:left;vertical-align:top;padding-right:1em;width:14em}h2{margin-top:1.2em}"
)
_NO_WARNINGS = ["No conflicts found."]


def _playbook_markdown(title: str, sections: Sections, warnings: list[str]) -> str:
    lines = [f"# {_md(title)}: team playbook", ""]
    for heading, items in sections:
        lines += [f"## {_md(heading)}", ""] + [f"- **{_md(k)}:** {_md(v)}" for k, v in items] + [""]
    lines += ["## Check before you adopt it", ""] + [f"- {_md(w)}" for w in warnings or _NO_WARNINGS]
    return "\n".join(lines) + "\n"


def _playbook_html(title: str, sections: Sections, warnings: list[str]) -> str:
    esc = html.escape
    body = [f"<h1>{esc(title)}: team playbook</h1>"]
    for heading, items in sections:
        rows = "".join(
            f"<tr><th>{esc(k)}</th><td>{esc(v).replace(chr(10), '<br>')}</td></tr>" for k, v in items
        )
        body.append(f"<h2>{esc(heading)}</h2><table>{rows}</table>")
    items = "".join(f"<li>{esc(w)}</li>" for w in warnings or _NO_WARNINGS)
    body.append(f"<h2>Check before you adopt it</h2><ul>{items}</ul>")
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{esc(title)}</title>"
        f"<style>{_STYLE}</style></head><body>{''.join(body)}</body></html>\n"
    )


def render_playbook(
    choices: PlaybookChoices, figures: Mapping[str, str] | None = None, fmt: str = "html"
) -> str:
    """The one-page team playbook as a standalone HTML page (`fmt="html"`) or Markdown (`fmt="markdown"`).

    Every piece of text the learner typed is escaped (HTML entities; Markdown punctuation backslashed), so
    it is shown as written and can never add markup or scripts. Warnings from `playbook_warnings` close
    the page.
    """
    if fmt not in ("html", "markdown"):
        raise ValueError(f"fmt must be 'html' or 'markdown'; got {fmt!r}")
    sections, warnings = _sections(choices, dict(figures or {})), playbook_warnings(choices)
    write = _playbook_markdown if fmt == "markdown" else _playbook_html
    return write(choices.team_name, sections, warnings)


def save_text_atomically(path: str | Path, text: str) -> Path:
    """Write `text` (UTF-8) to `path` through a temporary file in the same directory, then rename: the file
    is either the old one or the complete new one, never half written. Creates missing directories."""
    return atomic_write_text(Path(path).expanduser().resolve(), text)


def plan_figures(
    plan: CampaignPlan,
    expected: pd.DataFrame,
    outreach: Mapping[str, Any] | None = None,
    shortlisted: int | None = None,
    comparison: pd.DataFrame | None = None,
    report: Any = None,
) -> dict[str, str]:
    """The figures of the learner's plan for the playbook, as label -> text (all computed, none typed)."""
    out = {
        "Brand / objective": f"{plan.brand_id} / {plan.objective}",
        "Budget": f"{plan.budget:,.0f} USD on {', '.join(plan.platforms)} (tiers: {plan.preset})",
    }
    for metric in ("impressions", "engagements", "clicks", "conversions"):
        r = expected.loc[metric]
        out[f"Forecast {metric}"] = f"{r['low']:,.0f} to {r['high']:,.0f} (typical {r['typical']:,.0f})"
    if outreach is not None:
        out["Outreach"] = (
            f"{outreach['messages_to_send']} messages to sign {outreach['target_creators']} creators "
            f"(about {outreach['sending_days']} working days of sending)"
        )
    if shortlisted is not None:
        out["Shortlist"] = f"{shortlisted} creators pass the vetting rules"
    if comparison is not None:
        cur = comparison.attrs.get("actual_currency", "")
        cid = comparison.attrs.get("campaign_id", "")
        for r in comparison.itertuples():
            out[f"{r.kpi}: plan vs {cid}"] = (
                f"plan {r.plan_low:,.2f}-{r.plan_high:,.2f} USD; actual {_fmt(r.actual)} {cur} ({r.verdict})"
            )
    if report is not None:
        out["Campaign report"] = str(report.html_path) if report.ok else f"failed: {report.error}"
    return out


class PlaybookBuilder:
    """Step 5: the one-page team playbook. Text areas and dropdowns for every choice; "Build" renders the
    document (`.document_html`, `.document_markdown`, previewed in `.preview`), "Save" writes it to the
    path in `.path` (`.html` or `.md`) atomically and reports in `.status`.

    Defaults are those of `PlaybookChoices` (published figures from the registry, and our starting
    follow-up cadence), with the fit weights and floors of the earlier steps; a geo holdout is proposed.
    """

    def __init__(
        self,
        figures: Mapping[str, str] | None = None,
        *,
        objective: str = "conversion",
        fit_weights: Mapping[str, float] | None = None,
        min_quality: float = SUSPECTED_BELOW,
        min_fit: float | None = None,
        trends: Sequence[str] = (),
        path: str | Path = REPORT_DIR / "team_playbook.html",
    ) -> None:
        defaults = PlaybookChoices()
        self.figures = dict(figures or {})
        self.fit_weights = dict(fit_weights or defaults.fit_weights)
        self._strategy_controls(objective)
        self._role_controls()
        floor = defaults.min_fit if min_fit is None else min_fit
        self.min_quality = widgets.FloatSlider(
            value=min_quality, min=0, max=100, step=1, description="Quality floor"
        )
        self.min_fit = widgets.FloatSlider(value=floor, min=0, max=100, step=1, description="Fit floor")
        self._outreach_controls(defaults)
        self._terms_controls(defaults)
        self._measurement_controls(defaults, trends)
        self.path = widgets.Text(value=str(path), description="Save to", layout=_WIDE)
        self.build_button = widgets.Button(description="Build", button_style="primary")
        self.save_button = widgets.Button(description="Save")
        self.status = widgets.HTML()
        self.preview = widgets.HTML()
        self.build_button.on_click(lambda _: self.build())
        self.save_button.on_click(lambda _: self._on_save())
        self.widget = self._layout()
        self.build()

    def _strategy_controls(self, objective: str) -> None:
        self.team_name = widgets.Text(value="Our influencer team", description="Team", layout=_WIDE)
        self.goals = widgets.Textarea(
            description="Goals", placeholder="Business goals this programme serves", layout=_WIDE
        )
        self.objective = widgets.Dropdown(options=list(OBJECTIVES), value=objective, description="Objective")
        all_kpis = list(dict.fromkeys(k for ks in OBJECTIVE_KPIS.values() for k in ks))
        self.kpis = widgets.SelectMultiple(
            options=all_kpis, value=OBJECTIVE_KPIS[objective], description="KPIs"
        )
        self.paid_and_pr = widgets.Textarea(
            description="Paid & PR", placeholder="How creator work feeds paid ads and PR", layout=_WIDE
        )

    def _role_controls(self) -> None:
        self.accountable = {
            a: widgets.Dropdown(
                options=["", *ROLES], value=r, description=a, style={"description_width": "14em"}
            )
            for a, r in zip(ACTIVITIES, _DEFAULT_ACCOUNTABLE, strict=True)
        }
        self.responsible = {
            a: widgets.Dropdown(options=["", *ROLES], value="", description="R") for a in ACTIVITIES
        }

    def _outreach_controls(self, d: PlaybookChoices) -> None:
        self.follow_ups = widgets.IntSlider(value=d.follow_ups, min=0, max=4, description="Follow-ups")
        self.follow_up_days = widgets.IntSlider(
            value=d.follow_up_days, min=1, max=14, description="Days apart"
        )
        self.new_per_day = widgets.IntSlider(
            value=d.new_messages_per_day, min=1, max=100, description="New per day"
        )
        self.personalised = widgets.Checkbox(value=d.personalised, description="Personalised first message")
        self.relationships = widgets.Textarea(
            description="Relationships", placeholder="How you keep creators for the long term", layout=_WIDE
        )

    def _terms_controls(self, d: PlaybookChoices) -> None:
        self.approval_days = widgets.IntSlider(
            value=d.approval_days, min=1, max=14, description="Review days"
        )
        self.max_revisions = widgets.IntSlider(
            value=d.max_revisions, min=0, max=6, description="Max revisions"
        )
        self.payment_days = widgets.IntSlider(value=d.payment_days, min=0, max=120, description="Pay (days)")
        self.upfront = widgets.FloatSlider(
            value=d.upfront_share, min=0, max=1, step=0.05, description="Upfront share", readout_format=".0%"
        )

    def _measurement_controls(self, d: PlaybookChoices, trends: Sequence[str]) -> None:
        self.window = widgets.IntSlider(
            value=d.attribution_window_days, min=1, max=90, description="Window (days)"
        )
        self.holdout_plan = widgets.Dropdown(
            options=list(HOLDOUT_PLANS), value="geo holdout", description="Holdout"
        )
        self.holdout_share = widgets.FloatSlider(
            value=d.holdout_share, min=0, max=0.5, step=0.01, description="Held out", readout_format=".0%"
        )
        self.holdout_days = widgets.IntSlider(value=d.holdout_days, min=7, max=90, description="Holdout days")
        self.trend_cadence = widgets.Dropdown(options=list(REVIEW_CADENCES), description="Trend review")
        self.trend_to_test = widgets.Dropdown(options=["", *trends], value="", description="Test next")
        self.trend_notes = widgets.Textarea(
            description="Trend notes", placeholder="Sources, who watches, how", layout=_WIDE
        )

    def _layout(self) -> widgets.Widget:
        roles = [widgets.HBox([self.accountable[a], self.responsible[a]]) for a in ACTIVITIES]
        sections = {
            "1. Strategy": [self.team_name, self.goals, self.objective, self.kpis, self.paid_and_pr],
            "2. Team and roles (A = accountable, R = responsible)": roles,
            "3. Vetting rules": [self.min_quality, self.min_fit],
            "4. Outreach and relationships": [
                self.follow_ups,
                self.follow_up_days,
                self.new_per_day,
                self.personalised,
                self.relationships,
            ],
            "5. Approval and payment": [
                self.approval_days,
                self.max_revisions,
                self.payment_days,
                self.upfront,
            ],
            "6. Measurement": [self.window, self.holdout_plan, self.holdout_share, self.holdout_days],
            "7. Trend watch": [self.trend_cadence, self.trend_to_test, self.trend_notes],
        }
        accordion = widgets.Accordion(
            children=[widgets.VBox(v) for v in sections.values()], titles=tuple(sections)
        )
        buttons = widgets.HBox([self.build_button, self.path, self.save_button])
        return widgets.VBox([accordion, buttons, self.status, self.preview])

    def choices(self) -> PlaybookChoices:
        """The current values of every control."""
        return PlaybookChoices(
            team_name=self.team_name.value,
            goals=self.goals.value,
            objective=self.objective.value,
            kpis=tuple(self.kpis.value),
            paid_and_pr=self.paid_and_pr.value,
            accountable={a: w.value for a, w in self.accountable.items()},
            responsible={a: w.value for a, w in self.responsible.items()},
            min_quality=float(self.min_quality.value),
            min_fit=float(self.min_fit.value),
            fit_weights=self.fit_weights,
            follow_ups=int(self.follow_ups.value),
            follow_up_days=int(self.follow_up_days.value),
            new_messages_per_day=int(self.new_per_day.value),
            personalised=bool(self.personalised.value),
            relationship_notes=self.relationships.value,
            approval_days=int(self.approval_days.value),
            max_revisions=int(self.max_revisions.value),
            payment_days=int(self.payment_days.value),
            upfront_share=float(self.upfront.value),
            attribution_window_days=int(self.window.value),
            holdout_plan=self.holdout_plan.value,
            holdout_share=float(self.holdout_share.value),
            holdout_days=int(self.holdout_days.value),
            trend_cadence=self.trend_cadence.value,
            trend_to_test=self.trend_to_test.value,
            trend_notes=self.trend_notes.value,
        )

    def build(self) -> None:
        """Render the document from the current choices and preview it."""
        chosen = self.choices()
        self.warnings = playbook_warnings(chosen)
        self.document_html = render_playbook(chosen, self.figures, "html")
        self.document_markdown = render_playbook(chosen, self.figures, "markdown")
        body = re.search(r"<body>(.*)</body>", self.document_html, re.S)
        self.preview.value = body.group(1) if body else ""
        self.status.value = f"Built: {len(self.warnings)} point(s) to check at the end of the page."

    def save(self, path: str | Path | None = None) -> Path:
        """Build, then write the page to `path` (default `.path`): `.md` as Markdown, else `.html`."""
        target = Path(path or self.path.value)
        if target.suffix.lower() not in (".html", ".htm", ".md"):
            raise ValueError(f"save as .html or .md; got {target.name!r}")
        self.build()
        text = self.document_markdown if target.suffix.lower() == ".md" else self.document_html
        return save_text_atomically(target, text)

    def _on_save(self) -> None:
        try:
            written = self.save()
        except (OSError, ValueError) as err:
            self.status.value = f"<b>Not saved:</b> {html.escape(str(err))}"
            return
        self.status.value = f"Saved to <code>{html.escape(str(written))}</code>."

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)
