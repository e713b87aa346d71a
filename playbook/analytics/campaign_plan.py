"""The capstone's plan and its judgements (module 13): the brief, its budget, the shortlist rules, the
sample campaign nearest the plan and how the plan compares with it, and the team-playbook choices with the
points where they contradict published guidance.

Plans are in USD, because the published CPMs behind the forecast are in USD; sample campaigns are in their
own currency. The course app (`course.apps.capstone`) arranges and displays these.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from playbook.analytics import metrics
from playbook.analytics.brand_fit import DEFAULT_FIT_WEIGHTS, brand_fit
from playbook.analytics.planning import OBJECTIVES, allocate_budget, expected_results
from playbook.analytics.summary import campaign_figures
from playbook.analytics.trends import detect_rising
from playbook.analytics.undefined import reason
from playbook.analytics.vetting import SUSPECTED_BELOW, audience_quality
from playbook.data.registry import DEFAULT_TIER_PRESET, assign_tier, benchmark, cite

__all__ = [
    "ACTIVITIES",
    "DEFAULT_FOLLOW_UPS",
    "DEFAULT_FOLLOW_UP_DAYS",
    "HOLDOUT_PLANS",
    "MIN_FIT_ID",
    "PLATFORMS",
    "REVIEW_CADENCES",
    "ROLES",
    "CampaignPlan",
    "PlaybookChoices",
    "closest_campaign",
    "creator_quality",
    "plan_budget",
    "plan_vs_actual",
    "playbook_warnings",
    "rising_topics",
    "shortlist",
]

Tables = Mapping[str, pd.DataFrame]
PLATFORMS: tuple[str, ...] = ("instagram", "tiktok", "youtube")
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
HOLDOUT_PLANS: tuple[str, ...] = ("no holdout", "geo holdout", "audience holdout")
REVIEW_CADENCES: tuple[str, ...] = ("weekly", "every two weeks", "monthly")
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


def rising_topics(tables: Tables, top: int = 8) -> pd.DataFrame:
    """Topics `trends.detect_rising` flags in `topic_daily` (earliest detection first, `top` rows):
    topic, platform, first_detected, growth_per_day (fraction per day on the first day)."""
    found = detect_rising(tables["topic_daily"])
    columns = ["topic", "platform", "first_detected", "growth_per_day"]
    return found.sort_values("first_detected")[columns].head(top).reset_index(drop=True)


# --------------------------------------------------------------------------- 2. the shortlist
def creator_quality(scores: pd.DataFrame, platforms: Sequence[str], preset: str) -> pd.DataFrame:
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
    per_creator = creator_quality(scores, plan.platforms, plan.preset)
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


# --------------------------------------------------------------------------- 5. the playbook's choices
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
