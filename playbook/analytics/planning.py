"""Campaign planning: budget allocation from benchmarks, outreach volume, and campaign timelines.

Every industry figure comes from the benchmark registry by id (the ids used are returned with each result).
Budget amounts are treated as US dollars because the published CPMs are in USD.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from itertools import pairwise
from numbers import Real

import numpy as np
import pandas as pd

from playbook.analytics.pricing import cpm_band, min_creator_fee, source_band
from playbook.analytics.relationships import YOUTUBE_BUCKETS, as_of_date, deliverable_status
from playbook.analytics.stats import DEFAULT_CONFIDENCE, wilson_interval
from playbook.analytics.undefined import ratio, reasons
from playbook.data.loading import empty_table
from playbook.data.registry import DEFAULT_TIER_PRESET, TIER_ORDER, Benchmark, benchmark, tier_bounds
from playbook.data.registry import benchmark as _lookup

__all__ = [
    "DEFAULT_MIN_GROUP",
    "GROUPINGS",
    "OBJECTIVES",
    "POLICY_GROUPS",
    "RATES",
    "allocate_budget",
    "campaign_timeline",
    "cpm_band",
    "default_policy",
    "er_band",
    "expected_results",
    "funnel_by_group",
    "infeasible_cells",
    "late_reasons",
    "make_feasible",
    "measured_reply_rate",
    "outreach_funnel",
    "outreach_needed",
    "outreach_stage_counts",
    "planner_comparison",
]

OBJECTIVES: tuple[str, ...] = ("awareness", "consideration", "conversion")
POLICY_GROUPS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "nano_micro": ("budget_share_micro_nano_syncly", ("nano", "micro")),
    "macro": ("budget_share_macro_syncly", ("mid", "macro", "mega")),
    "experimental": ("budget_share_experimental_syncly", TIER_ORDER),
}
"""Syncly's three budget groups and the tiers each covers (our mapping: Syncly's "macro" takes every tier
above micro; the experimental share is spread evenly over every platform x tier cell)."""
# which end of Syncly's band each objective takes for (nano_micro, macro); experimental gets the rest
_BAND_END = {
    "awareness": ("low", "high"),
    "consideration": ("typical", "typical"),
    "conversion": ("high", "low"),
}
_ENDS = ("low", "typical", "high")
COST_PER_RESULT: Mapping[str, tuple[str, int]] = {
    "cpm": ("impressions", 1000),
    "cpe": ("engagements", 1),
    "cpc": ("clicks", 1),
    "cpa": ("conversions", 1),
}
OUTREACH_STAGES = (
    ("sent", "sent_at"),
    ("replied", "replied_at"),
    ("negotiating", "negotiation_started_at"),
    ("agreed", "agreed_at"),
)
OUTREACH_BY = ("template", "incentive", "follow_ups", "personalised", "channel", "campaign_id")


GROUPINGS: tuple[str, ...] = ("template", "incentive", "follow_ups", "personalised", "channel")
RATES: Mapping[str, tuple[str, str]] = {
    "reply_rate": ("replied", "sent"),
    "agreed_per_reply": ("agreed", "replied"),
    "agreed_per_sent": ("agreed", "sent"),
}
"""Rate name -> (numerator stage, denominator stage) of `planning.outreach_funnel`."""
DEFAULT_MIN_GROUP = 30  # our choice: groups with fewer messages are flagged "small"


@cache
def _benchmark(benchmark_id: str) -> Benchmark:
    """Cached registry lookup (`data.registry.benchmark`): planning asks for the same ids many times."""
    return _lookup(benchmark_id)


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    found = tables.get(name)
    return empty_table(name) if found is None else found


# --------------------------------------------------------------------------- bands from the registry
def er_band(
    platform: str, tier: str, preset: str = DEFAULT_TIER_PRESET
) -> tuple[tuple[float, float, float], tuple[str, ...], str]:
    """ER band of a tier on the platform's usual basis: ((low, typical, high), ids, basis).

    Instagram: ``er_followers_instagram_<tier>_untapper_2026`` (engagements / followers); TikTok:
    ``er_views_tiktok_<tier>_untapper_2026`` (engagements / views); YouTube: the Modash subscriber buckets
    overlapping the tier's follower range under ``preset`` (engagements / views), combined as in `_band`.
    """
    if platform == "instagram":
        ids: tuple[str, ...] = (f"er_followers_instagram_{tier}_untapper_2026",)
        return source_band(ids), ids, "followers"
    if platform == "tiktok":
        ids = (f"er_views_tiktok_{tier}_untapper_2026",)
        return source_band(ids), ids, "views"
    if platform == "youtube":
        bounds = {name: (low, high) for name, low, high in tier_bounds(preset)}
        low, high = bounds[tier]
        ids = tuple(i for i in YOUTUBE_BUCKETS if _overlaps(_benchmark(i), low, high))
        return source_band(ids), ids, "views"
    raise ValueError(f"unknown platform {platform!r}; expected instagram, tiktok or youtube")


def _overlaps(b: Benchmark, low: float, high: float) -> bool:
    """True when the benchmark's follower range [followers_min, followers_max) overlaps [low, high)."""
    b_high = b.followers_max if b.followers_max is not None else math.inf
    return (b.followers_min or 0) < high and b_high > low


def _conversion_rate_id(tier: str) -> str:
    """``conversion_rate_<tier>_lookfluence`` (grade D), or the all-tier figure for tiers it does not list."""
    tier_id = f"conversion_rate_{tier}_lookfluence"
    try:
        _benchmark(tier_id)
    except KeyError:
        return "conversion_rate_all_lookfluence"
    return tier_id


# --------------------------------------------------------------------------- budget allocation
def default_policy(objective: str) -> dict[str, float]:
    """Group shares from Syncly's allocation advice, moved along its bands by objective (our choice).

    nano_micro takes the low / typical / high end of ``budget_share_micro_nano_syncly`` for awareness /
    consideration / conversion, macro the opposite end of ``budget_share_macro_syncly``, and experimental the
    remainder (which stays inside ``budget_share_experimental_syncly``: 0.2 / 0.15 / 0.1).
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}; got {objective!r}")
    core_end, macro_end = _BAND_END[objective]
    core = getattr(_benchmark(POLICY_GROUPS["nano_micro"][0]), core_end)
    macro = getattr(_benchmark(POLICY_GROUPS["macro"][0]), macro_end)
    return {"nano_micro": core, "macro": macro, "experimental": 1.0 - core - macro}


def _check_policy(policy: Mapping[str, float]) -> None:
    unknown = set(policy) - set(POLICY_GROUPS)
    if unknown:
        raise ValueError(f"unknown policy group(s) {sorted(unknown)}; expected some of {list(POLICY_GROUPS)}")
    if any(not math.isfinite(v) or v < 0 for v in policy.values()):
        raise ValueError(f"policy shares must be finite and >= 0; got {dict(policy)}")
    if not math.isclose(sum(policy.values()), 1.0, abs_tol=1e-9):
        raise ValueError(f"policy shares must sum to 1; got {sum(policy.values())!r}")


@lru_cache(maxsize=64)
def _cells(platforms: tuple[str, ...], preset: str) -> pd.DataFrame:
    """One row per platform x tier with the benchmark bands used for planning (cached: copy before use)."""
    rows = []
    lower = {t: low for t, low, _ in tier_bounds(preset)}
    for tier in lower:
        ctr_id, cr_id = "ctr_views_rule_of_thumb", _conversion_rate_id(tier)
        for platform in platforms:
            cpm, cpm_ids = cpm_band(platform)
            er, er_ids, basis = er_band(platform, tier, preset)
            rows.append(
                {
                    "platform": platform,
                    "tier": tier,
                    **{f"cpm_{e}": v for e, v in zip(_ENDS, cpm, strict=True)},
                    "er_basis": basis,
                    **{f"er_{e}": v for e, v in zip(_ENDS, er, strict=True)},
                    "ctr": _benchmark(ctr_id).value,
                    "conversion_rate": _benchmark(cr_id).value,
                    "min_creator_fee": min_creator_fee(platform, max(int(lower[tier]), 1), preset),
                    "benchmark_ids": ";".join([*cpm_ids, *er_ids, ctr_id, cr_id]),
                }
            )
    return pd.DataFrame(rows)


def _efficiency(cells: pd.DataFrame, objective: str) -> pd.Series:
    """Results per dollar at typical values: impressions (awareness), engagements (consideration),
    conversions (conversion)."""
    per_dollar = 1000 / cells["cpm_typical"]
    if objective == "awareness":
        return per_dollar
    if objective == "consideration":
        return per_dollar * cells["er_typical"]
    return per_dollar * cells["ctr"] * cells["conversion_rate"]


def allocate_budget(
    budget: float,
    objective: str,
    platforms: Sequence[str] = ("instagram", "tiktok", "youtube"),
    preset: str = DEFAULT_TIER_PRESET,
    policy: Mapping[str, float] | None = None,
    *,
    feasible: bool = True,
) -> pd.DataFrame:
    """Split a budget across platform x tier cells and forecast results as low / typical / high ranges.

    Group shares come from ``policy`` (default `default_policy(objective)`, from Syncly's advice). Inside the
    nano_micro and macro groups a cell's share is proportional to its results per dollar for the objective at
    typical benchmark values (awareness: 1000 / CPM; consideration: 1000 / CPM x ER; conversion: 1000 / CPM
    x CTR x conversion rate); the experimental share is spread evenly over all cells. Per cell:
    impressions = amount / CPM x 1000 (low uses the high CPM); engagements = impressions x ER (Instagram's
    ER is by followers, so this undercounts when a post is seen by fewer accounts than follow the creator);
    clicks = impressions x ``ctr_views_rule_of_thumb``; conversions = clicks x ``conversion_rate_<tier>_
    lookfluence`` (grade D; the all-tier rate for tiers it does not list). Shares sum to 1, amounts to budget.

    ``feasible`` (default): no cell gets less than one of its creators costs, ``min_creator_fee`` =
    `pricing.min_creator_fee` (the fair typical fee of one piece by a creator at the tier's lower follower
    bound). `make_feasible` drops the cells below it one at a time and shares their money among the rest;
    ``creators_affordable`` = floor(amount / min_creator_fee), the most creators the cell could book;
    ``policy_amount`` is the cell's amount before that step and ``dropped`` marks the cells it emptied.
    """
    if not (isinstance(budget, Real) and math.isfinite(budget) and budget >= 0):
        raise ValueError(f"budget must be a finite number >= 0; got {budget!r}")
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}; got {objective!r}")
    policy = default_policy(objective) if policy is None else dict(policy)
    _check_policy(policy)
    if not platforms or len(set(platforms)) != len(platforms):
        raise ValueError(f"platforms must be a non-empty list without repeats; got {platforms!r}")
    cells = _cells(tuple(platforms), preset).copy()
    efficiency = _efficiency(cells, objective)
    cells["share"] = 0.0
    for group, share in policy.items():
        members = cells["tier"].isin(POLICY_GROUPS[group][1])
        weight = members.astype(float) if group == "experimental" else efficiency.where(members, 0.0)
        cells["share"] += share * weight / weight.sum() if share > 0 else 0.0
    cells["share"] /= cells["share"].sum()
    cells["policy_amount"] = budget * cells["share"]
    if feasible:
        cells["share"] = make_feasible(budget, cells["share"], cells["min_creator_fee"])
    cells["amount"] = budget * cells["share"]
    cells["dropped"] = (cells["policy_amount"] > 0) & (cells["amount"] == 0)
    cells["creators_affordable"] = np.floor(cells["amount"] / cells["min_creator_fee"]).astype("int64")
    for end, cpm_end in zip(_ENDS, reversed(_ENDS), strict=True):
        cells[f"impressions_{end}"] = cells["amount"] / cells[f"cpm_{cpm_end}"] * 1000
        cells[f"engagements_{end}"] = cells[f"impressions_{end}"] * cells[f"er_{end}"]
        cells[f"clicks_{end}"] = cells[f"impressions_{end}"] * cells["ctr"]
        cells[f"conversions_{end}"] = cells[f"clicks_{end}"] * cells["conversion_rate"]
    first = ["platform", "tier", "share", "amount"]
    return cells[
        first + [c for c in cells.columns if c not in first and c != "benchmark_ids"] + ["benchmark_ids"]
    ]


def make_feasible(budget: float, share: pd.Series, min_fee: pd.Series) -> pd.Series:
    """Shares with no cell funded below the cost of one creator: the funded cell furthest below its
    ``min_fee`` (smallest amount / min fee) is dropped and the shares renormalised, until every funded cell
    can book at least one creator. When even the last cell cannot, every share is 0 (nothing is booked)."""
    share = share.astype(float).copy()
    while share.sum() > 0:
        amount = budget * share / share.sum()
        short = (amount > 0) & (amount < min_fee)
        if not short.any():
            return share / share.sum()
        share[(amount / min_fee)[short].idxmin()] = 0.0
    return share


def infeasible_cells(allocation: pd.DataFrame) -> pd.DataFrame:
    """Cells of an allocation funded above 0 but below the cost of one creator (``min_creator_fee``)."""
    a = allocation
    return a[(a["amount"] > 0) & (a["amount"] < a["min_creator_fee"])]


def expected_results(allocation: pd.DataFrame) -> pd.DataFrame:
    """Total results of an allocation as low / typical / high, plus the cost per result over the same range.

    Summing every cell's low (or high) assumes all cells land at the same end together: the widest honest
    range, not a confidence interval. Cost rows: cpm = budget / impressions x 1000, cpe = budget /
    engagements, cpc = budget / clicks, cpa = budget / conversions; their low comes from the high results.
    ``note`` says why a cost is undefined (NaN, e.g. a zero budget gives zero results).
    """
    budget = float(allocation["amount"].sum())
    rows: dict[str, dict[str, float]] = {}
    for metric in ("impressions", "engagements", "clicks", "conversions"):
        rows[metric] = {end: float(allocation[f"{metric}_{end}"].sum()) for end in _ENDS}
    notes: dict[str, str] = {}
    for name, (metric, per) in COST_PER_RESULT.items():
        best_first = pd.Series([rows[metric][end] for end in reversed(_ENDS)], index=list(_ENDS))
        values = ratio(budget * per, best_first, name)
        rows[name] = values.to_dict()
        notes[name] = "; ".join(dict.fromkeys(reasons(values).dropna()))
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(_ENDS))
    out.insert(0, "budget", budget)
    out["note"] = pd.Series(notes, dtype=str).reindex(out.index).fillna("")
    return out.rename_axis("metric")


# --------------------------------------------------------------------------- outreach
def outreach_funnel(
    tables: Mapping[str, pd.DataFrame], by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """Stage counts sent -> replied -> negotiating -> agreed, conversion between stages and median days.

    reply_rate = replied / sent; negotiation_rate = negotiating / replied; agree_rate = agreed / negotiating;
    agreed_per_reply = agreed / replied (the rate `outreach_needed` uses); agreed_per_sent = agreed / sent.
    days_to_reply, days_to_negotiation, days_to_agree: medians of the time between consecutive stage
    timestamps. ``by``: one or more of template, incentive, follow_ups, personalised, channel, campaign_id.
    """
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    bad = [k for k in keys if k not in OUTREACH_BY]
    if bad:
        raise ValueError(f"cannot group outreach by {bad}; expected some of {', '.join(OUTREACH_BY)}")
    o = _table(tables, "outreach").copy()
    keys = keys or ["_all"]
    o["_all"] = "all"
    for (_, prev), (name, column) in pairwise(OUTREACH_STAGES):
        o[f"_{name}_days"] = (o[column] - o[prev]).dt.total_seconds() / 86_400
    g = o.groupby(keys, dropna=False)
    out = pd.DataFrame({name: g[column].count() for name, column in OUTREACH_STAGES})
    out["reply_rate"] = ratio(out["replied"], out["sent"], "reply rate")
    out["negotiation_rate"] = ratio(out["negotiating"], out["replied"], "negotiation rate")
    out["agree_rate"] = ratio(out["agreed"], out["negotiating"], "agree rate")
    out["agreed_per_reply"] = ratio(out["agreed"], out["replied"], "agreed per reply")
    out["agreed_per_sent"] = ratio(out["agreed"], out["sent"], "agreed per message")
    out["days_to_reply"] = g["_replied_days"].median()
    out["days_to_negotiation"] = g["_negotiating_days"].median()
    out["days_to_agree"] = g["_agreed_days"].median()
    out = out.reset_index()
    return out.drop(columns="_all") if by is None else out


def measured_reply_rate(tables: Mapping[str, pd.DataFrame]) -> float:
    """The team's own reply rate: replied / sent over every outreach message (`outreach_funnel`). Follow-ups
    are already inside it: pass it to `outreach_needed` with followups=False."""
    return float(outreach_funnel(tables)["reply_rate"].iloc[0])


def outreach_needed(
    target_creators: int,
    reply_rate: float | None = None,
    agree_rate: float | None = None,
    followups: bool = True,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, object]:
    """Messages to send to sign ``target_creators``: ceil(target / (reply rate x agreed-per-reply)).

    reply_rate defaults to ``reply_rate_creator_heepsy`` (40%), taken as the rate of a first message; with
    ``followups`` it is multiplied by ``followup_uplift_woodpecker`` (x1.4, capped at 1; pass followups=False
    for a rate that already includes follow-ups, e.g. one measured with `outreach_funnel`). agree_rate (agreed
    / replied) has no published figure: pass it, or pass ``tables`` to measure it with `outreach_funnel`.
    Also returns Heepsy's rule of thumb (contact ``outreach_contact_multiple_heepsy`` x the target) and the
    days of sending at ``outreach_new_per_day_influencerhero`` new messages per day.
    """
    if not (isinstance(target_creators, int | np.integer) and target_creators >= 0):
        raise ValueError(f"target_creators must be a whole number >= 0; got {target_creators!r}")
    ids = []
    if reply_rate is None:
        ids.append("reply_rate_creator_heepsy")
        reply_rate = _benchmark("reply_rate_creator_heepsy").value
    if followups:
        ids.append("followup_uplift_woodpecker")
        reply_rate = min(1.0, reply_rate * _benchmark("followup_uplift_woodpecker").value)
    source = "given"
    if agree_rate is None:
        if tables is None:
            raise ValueError(
                "no published agree rate: pass agree_rate (agreed / replied) or tables to measure it"
            )
        agree_rate = float(outreach_funnel(tables)["agreed_per_reply"].iloc[0])
        source = "measured in outreach (agreed / replied)"
    for name, rate in (("reply_rate", reply_rate), ("agree_rate", agree_rate)):
        if not (0 < rate <= 1):
            raise ValueError(f"{name} must be in (0, 1]; got {rate!r}")
    messages = math.ceil(target_creators / (reply_rate * agree_rate) - 1e-9)
    multiple = _benchmark("outreach_contact_multiple_heepsy").value
    per_day = _benchmark("outreach_new_per_day_influencerhero").value
    ids += ["outreach_contact_multiple_heepsy", "outreach_new_per_day_influencerhero"]
    return {
        "target_creators": target_creators,
        "messages_to_send": messages,
        "expected_replies": messages * reply_rate,
        "expected_agreed": messages * reply_rate * agree_rate,
        "reply_rate": reply_rate,
        "agree_rate": agree_rate,
        "agree_rate_source": source,
        "heepsy_rule_messages": math.ceil(target_creators * multiple),
        "sending_days": math.ceil(messages / per_day),
        "benchmark_ids": ids,
    }


# --------------------------------------------------------------------------- campaign timeline
def _planned(
    d: pd.DataFrame, shipping_lead_days: float, draft_lead_days: float, approval_lead_days: float
) -> dict[str, pd.Series]:
    """Planned date per stage: shipping, draft and approval lead the due date; payment is due after terms."""
    due = d["due_date"]
    no_product = d["product_value"].fillna(0) <= 0
    return {
        "shipped": (due - pd.Timedelta(days=shipping_lead_days)).mask(no_product),
        "draft": due - pd.Timedelta(days=draft_lead_days),
        "approved": due - pd.Timedelta(days=approval_lead_days),
        "posted": due,
        "invoiced": pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]"),
        "paid": d["payment_due_date"],
    }


_ACTUAL = {
    "shipped": "product_shipped_date",
    "draft": "draft_submitted_date",
    "approved": "approved_date",
    "posted": "posted_date",
    "invoiced": "invoiced_date",
    "paid": "paid_date",
}


def _leads(shipping_lead_days: float | None, draft_lead_days: float | None) -> tuple[float, float]:
    shipping = (
        _benchmark("shipping_lead_days_heepsy").low if shipping_lead_days is None else shipping_lead_days
    )
    draft = _benchmark("draft_lead_days_model").low if draft_lead_days is None else draft_lead_days
    return float(shipping), float(draft)


def _deliverables_with_plan(
    tables: Mapping[str, pd.DataFrame], campaign_id: str | None, as_of: pd.Timestamp | str | None
) -> pd.DataFrame:
    d = deliverable_status(tables, as_of)
    product = _table(tables, "contracts").set_index("contract_id")["product_value"]
    d["product_value"] = d["contract_id"].map(product)
    return d if campaign_id is None else d[d["campaign_id"] == campaign_id]


def campaign_timeline(
    tables: Mapping[str, pd.DataFrame],
    campaign_id: str,
    *,
    shipping_lead_days: float | None = None,
    draft_lead_days: float | None = None,
    approval_lead_days: float = 1,
    as_of: pd.Timestamp | str | None = None,
) -> pd.DataFrame:
    """Planned vs actual date per deliverable and stage, one row each (long format, ready for a Gantt chart).

    Planned dates: shipped = due - shipping lead (default: low end of ``shipping_lead_days_heepsy``, 7 days:
    the product should arrive a week or more before posting; transit is ignored; gifted product only);
    draft = due - draft lead (default: low end of ``draft_lead_days_model``, 3 days); approved = due -
    approval_lead_days (1 day to schedule the post: our choice); posted = due_date; invoiced has no
    contractual date; paid = invoiced + payment terms.
    days_late = actual - planned (days, negative = early). status: on_time, late, done (no plan), overdue
    (not done, plan before as_of), open.
    """
    as_of = as_of_date(tables) if as_of is None else pd.Timestamp(as_of)
    d = _deliverables_with_plan(tables, campaign_id, as_of)
    shipping, draft = _leads(shipping_lead_days, draft_lead_days)
    planned = _planned(d, shipping, draft, approval_lead_days)
    parts = []
    for stage, plan in planned.items():
        part = d[["campaign_id", "deliverable_id", "contract_id", "creator_id", "format"]].copy()
        part["stage"] = stage
        part["planned_date"] = plan
        part["actual_date"] = d[_ACTUAL[stage]]
        parts.append(part if stage != "shipped" else part[plan.notna() | part["actual_date"].notna()])
    t = pd.concat(parts, ignore_index=True)
    t["days_late"] = (t["actual_date"] - t["planned_date"]).dt.total_seconds() / 86_400
    done, planned_ = t["actual_date"].notna(), t["planned_date"].notna()
    t["status"] = np.select(
        [
            done & planned_ & (t["days_late"] > 0),
            done & planned_,
            done,
            planned_ & (t["planned_date"] < as_of),
        ],
        ["late", "on_time", "done", "overdue"],
        "open",
    )
    t["stage"] = pd.Categorical(t["stage"], categories=list(_ACTUAL), ordered=True)
    return t.sort_values(["deliverable_id", "stage"], ignore_index=True)


def late_reasons(
    tables: Mapping[str, pd.DataFrame],
    campaign_id: str | None = None,
    *,
    many_revisions: int = 2,
    shipping_lead_days: float | None = None,
    draft_lead_days: float | None = None,
    approval_lead_days: float = 1,
) -> pd.DataFrame:
    """What makes posting late: for each cause, its share among late posts and among on-time posts.

    A post is late when posted_date > due_date (unposted deliverables are left out: they have no cause data).
    Causes, judged against the plan of `campaign_timeline`: late_shipping, late_draft, many_revisions
    (revision_rounds >= many_revisions, our default 2), late_approval, and no_recorded_cause. Causes overlap
    (a late draft usually makes approval late too), so shares do not sum to 1; a cause far more common
    among late posts than on-time ones is the one to fix.
    """
    d = _deliverables_with_plan(tables, campaign_id, None)
    d = d[d["posted_date"].notna()]
    shipping, draft = _leads(shipping_lead_days, draft_lead_days)
    plan = _planned(d, shipping, draft, approval_lead_days)
    causes = pd.DataFrame(
        {
            "late_shipping": d["product_shipped_date"] > plan["shipped"],
            "late_draft": d["draft_submitted_date"] > plan["draft"],
            "many_revisions": d["revision_rounds"] >= many_revisions,
            "late_approval": d["approved_date"] > plan["approved"],
        }
    )
    causes["no_recorded_cause"] = ~causes.any(axis=1)
    late = d["posted_date"] > d["due_date"]
    out = pd.DataFrame(
        {
            "late_with_cause": causes[late].sum(),
            "late_posts": int(late.sum()),
            "on_time_with_cause": causes[~late].sum(),
            "on_time_posts": int((~late).sum()),
        }
    ).astype("int64")
    out["share_of_late"] = ratio(out["late_with_cause"], out["late_posts"], "share of late posts")
    out["share_of_on_time"] = ratio(out["on_time_with_cause"], out["on_time_posts"], "share of on-time posts")
    return out.rename_axis("cause").reset_index()


def outreach_stage_counts(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Messages reaching each stage (sent, replied, negotiating, agreed): the input of `charts.funnel`."""
    row = outreach_funnel(tables).iloc[0]
    stages = ["sent", "replied", "negotiating", "agreed"]
    return pd.DataFrame({"stage": stages, "count": [int(row[s]) for s in stages]})


def funnel_by_group(
    tables: Mapping[str, pd.DataFrame],
    by: str,
    rate: str = "reply_rate",
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    min_group: int = DEFAULT_MIN_GROUP,
) -> pd.DataFrame:
    """One outreach rate per group with its count base and Wilson interval (`wilson_interval`).

    ``by``: one of `GROUPINGS`; ``rate``: one of `RATES` (reply_rate = replied / sent, agreed_per_reply =
    agreed / replied, agreed_per_sent = agreed / sent, counts from `planning.outreach_funnel`). Columns:
    group (text), trials (the denominator count), successes, rate, ci_low, ci_high, small (trials <
    ``min_group``, our default 30: read such a group's rate as a rough hint only) and reason (why the rate
    is undefined, else None).
    """
    if rate not in RATES:
        raise ValueError(f"rate must be one of {', '.join(RATES)}; got {rate!r}")
    num, den = RATES[rate]
    f = outreach_funnel(tables, by)
    out = pd.DataFrame(
        {
            "group": f[by].astype(str),
            "trials": f[den].astype("int64"),
            "successes": f[num].astype("int64"),
        }
    )
    values = ratio(out["successes"], out["trials"], rate.replace("_", " "))
    out["rate"] = values
    bounds = [wilson_interval(s, n, confidence) for s, n in zip(out["successes"], out["trials"], strict=True)]
    out["ci_low"] = [b[0] for b in bounds]
    out["ci_high"] = [b[1] for b in bounds]
    out["small"] = out["trials"] < min_group
    out["reason"] = values.attrs["reasons"].astype(object)
    return out.reset_index(drop=True)


def planner_comparison(target_creators: int, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Messages needed to sign ``target_creators`` under three assumptions (`planning.outreach_needed`).

    published: ``reply_rate_creator_heepsy`` x ``followup_uplift_woodpecker`` and the measured agreed /
    replied; measured: the sample's reply rate (follow-ups already inside it) and agreed / replied;
    rule of thumb: Heepsy's ``outreach_contact_multiple_heepsy`` x target. Columns: assumption,
    messages_to_send, sending_days (at ``outreach_new_per_day_influencerhero`` new messages a day).
    """
    published = outreach_needed(target_creators, tables=tables)
    measured = outreach_needed(
        target_creators, reply_rate=measured_reply_rate(tables), followups=False, tables=tables
    )
    per_day = benchmark("outreach_new_per_day_influencerhero").value
    rows = [
        ("published reply rate + follow-ups", published["messages_to_send"]),
        ("measured in the sample", measured["messages_to_send"]),
        ("Heepsy rule of thumb", published["heepsy_rule_messages"]),
    ]
    out = pd.DataFrame(rows, columns=["assumption", "messages_to_send"])
    out["sending_days"] = [math.ceil(m / per_day) for m in out["messages_to_send"]]
    return out
