"""Creator relationship health (re-book / renegotiate / drop) and team operations metrics.

A deliverable is posted on time when ``posted_date <= due_date``; one still unposted after its due date is
*missed*. We paid on time when ``paid_date <= invoiced_date + payment_terms_days`` (the payment due date); an
unpaid invoice past that date is *overdue*. Late payments damage the relationship (reference §2.7: Tipalti,
``late_payment_share_tipalti``), so punctuality is part of the health score even though it is our fault.

Performance compares a creator's sponsored posts with their tier's published ER band on the basis the band
uses: Instagram engagements / followers (Untapper 2026), TikTok engagements / views (Untapper 2026), YouTube
engagements / views (Modash subscriber buckets). Engagements = likes + comments + shares + saves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from playbook.analytics.undefined import ratio, reasons
from playbook.data.loading import empty_table
from playbook.data.registry import DEFAULT_TIER_PRESET, TIER_ORDER, Benchmark, assign_tier
from playbook.data.registry import benchmark as _lookup

__all__ = [
    "DECISIONS",
    "DEFAULT_HEALTH_RULES",
    "DEFAULT_HEALTH_WEIGHTS",
    "HealthRules",
    "account_er_benchmark_id",
    "as_of_date",
    "decision_counts",
    "deliverable_status",
    "relationship_health",
    "sponsored_post_er",
    "team_ops_metrics",
]

ENGAGEMENTS = ("likes", "comments", "shares", "saves")
YOUTUBE_BUCKETS = tuple(
    f"er_views_youtube_modash_{b}"
    for b in ("1k_5k", "5k_10k", "10k_50k", "50k_100k", "100k_500k", "500k_1m", "1m_plus")
)
ACTUAL_DATES = (
    "product_shipped_date",
    "draft_submitted_date",
    "approved_date",
    "posted_date",
    "invoiced_date",
    "paid_date",
)
DEFAULT_HEALTH_WEIGHTS: Mapping[str, float] = {
    "posting": 0.25,
    "revisions": 0.15,
    "performance": 0.30,
    "cost": 0.20,
    "payment": 0.10,
}
"""Our choice of weights for the health score (not an industry standard); they need not sum to 1."""


@dataclass(frozen=True)
class HealthRules:
    """The thresholds of `relationship_health`'s re-book / renegotiate / drop call (our defaults, not
    industry figures): drop when performance_ratio < min_performance, late + missed posts >= max_late_posts
    or missed posts >= max_missed_posts; renegotiate when cost_ratio (on `cost_metric`) > max_cost_ratio."""

    min_performance: float = 0.5
    max_late_posts: int = 2
    max_missed_posts: int = 1
    max_cost_ratio: float = 2.0
    cost_metric: str = "cpe"

    def describe(self) -> str:
        """The rules in words, from these thresholds (the report's definition reads it)."""
        return (
            f"drop when the median ER is under {self.min_performance:g}x the typical of the creator's tier "
            f"band, {self.max_late_posts}+ posts are late or missed, or {self.max_missed_posts}+ is missed; "
            f"renegotiate when {self.cost_metric.upper()} is over {self.max_cost_ratio:g}x the campaign "
            "median; otherwise re-book"
        )


DEFAULT_HEALTH_RULES = HealthRules()
"""The default thresholds of `relationship_health` (its keyword parameters default to these)."""
DECISIONS: tuple[str, ...] = ("re-book", "renegotiate", "drop")
"""The calls of `relationship_health`, best first."""


@cache
def _benchmark(benchmark_id: str) -> Benchmark:
    """Cached registry lookup (`data.registry.benchmark`): planning asks for the same ids many times."""
    return _lookup(benchmark_id)


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    found = tables.get(name)
    return empty_table(name) if found is None else found


def _days(delta: pd.Series) -> pd.Series:
    return delta.dt.total_seconds() / 86_400


def as_of_date(tables: Mapping[str, pd.DataFrame]) -> pd.Timestamp:
    """The data's "today": the latest actual event date in deliverables (shipping ... payment) or outreach.

    Due dates are plans and may lie in the future, so they are not used. NaT when there is no event.
    """
    deliverables = _table(tables, "deliverables")
    outreach = _table(tables, "outreach")
    dates = [deliverables[c].max() for c in ACTUAL_DATES]
    dates += [outreach[c].max() for c in ("sent_at", "replied_at", "negotiation_started_at", "agreed_at")]
    found = [d for d in dates if pd.notna(d)]
    return pd.Timestamp(max(found)).normalize() if found else pd.NaT


def deliverable_status(
    tables: Mapping[str, pd.DataFrame], as_of: pd.Timestamp | str | None = None
) -> pd.DataFrame:
    """One row per deliverable with its posting and payment status as of ``as_of`` (default `as_of_date`).

    post_status: on_time (posted <= due), late (posted > due), missed (unposted, due < as_of), open.
    payment_due_date = invoiced_date + payment_terms_days. payment_status: on_time (paid <= payment due),
    late (paid after it), overdue (unpaid, payment due < as_of), open (unpaid, not due yet), not_invoiced.
    days_late_posting and days_late_payment are actual - planned in days (negative = early).
    """
    as_of = as_of_date(tables) if as_of is None else pd.Timestamp(as_of)
    contracts = _table(tables, "contracts")[
        ["contract_id", "campaign_id", "creator_id", "account_id", "payment_terms_days"]
    ]
    d = _table(tables, "deliverables").merge(contracts, on="contract_id", how="left")
    posted, due = d["posted_date"], d["due_date"]
    d["post_status"] = np.select(
        [posted.notna() & (posted <= due), posted.notna(), due < as_of],
        ["on_time", "late", "missed"],
        "open",
    )
    d["days_late_posting"] = _days(posted - due)
    d["payment_due_date"] = d["invoiced_date"] + pd.to_timedelta(d["payment_terms_days"].astype(float), "D")
    paid, pay_due = d["paid_date"], d["payment_due_date"]
    d["payment_status"] = np.select(
        [d["invoiced_date"].isna(), paid.notna() & (paid <= pay_due), paid.notna(), pay_due < as_of],
        ["not_invoiced", "on_time", "late", "overdue"],
        "open",
    )
    d["days_late_payment"] = _days(paid - pay_due)
    return d


def _posting_counts(status: pd.DataFrame, by: str) -> pd.DataFrame:
    """Posting and payment counts and on-time rates per value of ``by``."""
    flags = pd.DataFrame(
        {
            "on_time_posts": status["post_status"] == "on_time",
            "late_posts": status["post_status"] == "late",
            "missed_posts": status["post_status"] == "missed",
            "on_time_payments": status["payment_status"] == "on_time",
            "late_payments": status["payment_status"].isin(["late", "overdue"]),
        }
    ).astype("int64")
    counts = flags.groupby(status[by]).sum()
    counts["posts_due"] = counts[["on_time_posts", "late_posts", "missed_posts"]].sum(axis=1)
    counts["payments_due"] = counts["on_time_payments"] + counts["late_payments"]
    counts["on_time_posting_rate"] = ratio(
        counts["on_time_posts"], counts["posts_due"], "on-time posting rate"
    )
    counts["on_time_payment_rate"] = ratio(
        counts["on_time_payments"], counts["payments_due"], "on-time payment rate"
    )
    return counts


# --------------------------------------------------------------------------- performance vs benchmark
def account_er_benchmark_id(platform: str, followers: float, preset: str = DEFAULT_TIER_PRESET) -> str | None:
    """Benchmark id of the ER band an account is judged against, or None when no band covers it.

    Instagram: ``er_followers_instagram_<tier>_untapper_2026``; TikTok:
    ``er_views_tiktok_<tier>_untapper_2026`` (tier from ``assign_tier(followers, preset)``); YouTube: the
    Modash subscriber bucket containing followers (``er_views_youtube_modash_*``; buckets are follower
    ranges, so the preset does not apply).
    """
    if pd.isna(followers):
        return None
    if platform == "youtube":
        for bid in YOUTUBE_BUCKETS:
            b = _benchmark(bid)
            low = b.followers_min or 0
            high = b.followers_max if b.followers_max is not None else np.inf
            if low <= followers < high:
                return bid
        return None
    tier = str(assign_tier(int(followers), preset))
    if tier not in TIER_ORDER:
        return None
    if platform == "instagram":
        return f"er_followers_instagram_{tier}_untapper_2026"
    if platform == "tiktok":
        return f"er_views_tiktok_{tier}_untapper_2026"
    return None


def sponsored_post_er(tables: Mapping[str, pd.DataFrame], preset: str = DEFAULT_TIER_PRESET) -> pd.DataFrame:
    """ER of every contracted post (deliverables.post_id) on its benchmark's basis, with that band.

    er = engagements / account followers (Instagram, followers at the account snapshot) or engagements / views
    (TikTok, YouTube); performance_ratio = er / band typical. Columns: deliverable_id, contract_id,
    campaign_id, creator_id, post_id, platform, engagements, impressions, er, er_basis, benchmark_id,
    band_low, band_typical, band_high, performance_ratio and undefined_reason (why performance_ratio is NaN).
    """
    contracts = _table(tables, "contracts")[["contract_id", "campaign_id", "creator_id"]]
    deliverables = _table(tables, "deliverables")
    links = deliverables.loc[deliverables["post_id"].notna(), ["deliverable_id", "contract_id", "post_id"]]
    links = links.merge(contracts, on="contract_id", how="left")
    posts = _table(tables, "posts").drop(columns=["campaign_id"])
    accounts = _table(tables, "accounts")[["account_id", "followers"]]
    p = links.merge(posts, on="post_id", how="inner").merge(accounts, on="account_id", how="left")
    p["engagements"] = p[list(ENGAGEMENTS)].sum(axis=1).astype("float64")
    on_followers = p["platform"] == "instagram"
    p["er_basis"] = np.where(on_followers, "followers", "views")
    er = ratio(p["engagements"], p["followers"].where(on_followers, p["views"]), "ER")
    p["er"] = er
    p["benchmark_id"] = [
        account_er_benchmark_id(plat, f, preset)
        for plat, f in zip(p["platform"], p["followers"], strict=True)
    ]
    bands = {i: _benchmark(i) for i in p["benchmark_id"].dropna().unique()}
    for column, field in (("band_low", "low"), ("band_typical", "value"), ("band_high", "high")):
        values = [getattr(bands[i], field) if i in bands else np.nan for i in p["benchmark_id"]]
        p[column] = pd.Series(values, index=p.index, dtype="float64")
    perf = ratio(p["er"], p["band_typical"], "performance vs benchmark")
    no_band = reasons(perf).where(p["benchmark_id"].notna(), "no ER benchmark covers this account size")
    p["performance_ratio"] = perf
    p["undefined_reason"] = reasons(er).fillna(no_band)
    columns = [
        "deliverable_id",
        "contract_id",
        "campaign_id",
        "creator_id",
        "post_id",
        "platform",
        "engagements",
        "impressions",
        "er",
        "er_basis",
        "benchmark_id",
        "band_low",
        "band_typical",
        "band_high",
        "performance_ratio",
        "undefined_reason",
    ]
    return p[columns]


def _contract_cost_ratio(
    tables: Mapping[str, pd.DataFrame], posts: pd.DataFrame, metric: str
) -> pd.DataFrame:
    """Per contract: full creator cost (fee + product + shipping) per engagement (CPE) or per 1,000
    impressions (CPM), and its ratio to the median of the same campaign's contracts."""
    contracts = _table(tables, "contracts")
    totals = posts.groupby("contract_id")[["engagements", "impressions"]].sum()
    c = contracts.set_index("contract_id").join(totals, how="left")
    cost = c["fee"] + c["product_value"] + c["shipping_cost"]
    if metric == "cpe":
        c["cost_per"] = ratio(cost, c["engagements"], "CPE")
    elif metric == "cpm":
        c["cost_per"] = ratio(cost, c["impressions"] / 1000, "CPM")
    else:
        raise ValueError(f"cost_metric must be 'cpe' or 'cpm', got {metric!r}")
    peers = c.groupby("campaign_id")["cost_per"].transform("median")
    c["cost_ratio"] = ratio(c["cost_per"], peers, f"{metric.upper()} vs campaign median")
    return c.reset_index()[["contract_id", "campaign_id", "creator_id", "cost_per", "cost_ratio"]]


# --------------------------------------------------------------------------- relationship health
def _scores(h: pd.DataFrame, revision_cap: float, performance_cap: float) -> pd.DataFrame:
    """Component scores in [0, 1]; NaN where the component cannot be measured."""
    with np.errstate(divide="ignore"):
        cheapness = 1.0 / h["cost_ratio"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "posting": h["on_time_posting_rate"],
            "revisions": 1.0 - (h["mean_revision_rounds"] / revision_cap).clip(upper=1.0),
            "performance": h["performance_ratio"].clip(upper=performance_cap) / performance_cap,
            "cost": pd.Series(np.minimum(cheapness, 2.0) / 2.0, index=h.index),
            "payment": h["on_time_payment_rate"],
        },
        index=h.index,
    )


def _weighted_score(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    unknown = set(weights) - set(scores.columns)
    if unknown or any(w < 0 for w in weights.values()):
        raise ValueError(f"weights must be >= 0 and keyed by {sorted(scores.columns)}; got {dict(weights)}")
    w = pd.Series(weights, dtype=float).reindex(scores.columns, fill_value=0.0)
    present = scores.notna().astype(float) * w
    total = (scores.fillna(0.0) * w).sum(axis=1)
    return 100 * ratio(total, present.sum(axis=1), "health score")


def _decide(
    row: pd.Series, min_performance: float, max_late_posts: int, max_missed_posts: int, max_cost_ratio: float
) -> tuple[str, str]:
    drop, renegotiate, notes = [], [], []
    if row["performance_ratio"] < min_performance:
        drop.append(
            f"performance far below benchmark: median ER is {row['performance_ratio']:.2f}x the tier typical "
            f"(rule: < {min_performance:g}x)"
        )
    late = row["late_posts"] + row["missed_posts"]
    if late >= max_late_posts:
        drop.append(
            f"repeated late posting: {late} of {row['posts_due']} due posts late (rule: >= {max_late_posts})"
        )
    if row["missed_posts"] >= max_missed_posts:
        drop.append(f"missed posts: {row['missed_posts']} never posted (rule: >= {max_missed_posts})")
    if row["cost_ratio"] > max_cost_ratio:
        renegotiate.append(
            f"cost far above peers: {row['cost_metric'].upper()} is {row['cost_ratio']:.2f}x the campaign "
            f"median (rule: > {max_cost_ratio:g}x)"
        )
    if pd.isna(row["performance_ratio"]):
        notes.append("performance not measurable (no sponsored post with an ER benchmark)")
    if row["late_payments"] > 0:
        notes.append(
            f"we paid {row['late_payments']} of {row['payments_due']} invoices late: "
            "pay on time before re-booking"
        )
    if drop:
        return "drop", "; ".join(drop + renegotiate + notes)
    if renegotiate:
        return "renegotiate", "; ".join(renegotiate + notes)
    return "re-book", "; ".join(["no rule fired", *notes])


def relationship_health(
    tables: Mapping[str, pd.DataFrame],
    preset: str = DEFAULT_TIER_PRESET,
    weights: Mapping[str, float] | None = None,
    *,
    cost_metric: str = DEFAULT_HEALTH_RULES.cost_metric,
    min_performance: float = DEFAULT_HEALTH_RULES.min_performance,
    max_late_posts: int = DEFAULT_HEALTH_RULES.max_late_posts,
    max_missed_posts: int = DEFAULT_HEALTH_RULES.max_missed_posts,
    max_cost_ratio: float = DEFAULT_HEALTH_RULES.max_cost_ratio,
    performance_cap: float = 2.0,
    revision_cap: float | None = None,
    as_of: pd.Timestamp | str | None = None,
) -> pd.DataFrame:
    """One row per contracted creator: delivery, performance, cost, payment, a 0-100 score and a decision.

    Components (each scored 0-1, our choices): posting = on-time posting rate (missed posts count as late);
    revisions = 1 - mean rounds / revision_cap (default: high end of ``revision_rounds_model``, 3);
    performance = min(performance_ratio, performance_cap) / performance_cap where performance_ratio is the
    median over the creator's sponsored posts of ER / tier band typical (a ratio of 1 scores 0.5);
    cost = min(1 / cost_ratio, 2) / 2 where cost_ratio is the median over contracts of the contract's CPE
    (or CPM, ``cost_metric``) / the campaign's median (peers at the median score 0.5); payment = our on-time
    payment rate. health_score = 100 x weighted mean of the measurable components (weights default to
    ``DEFAULT_HEALTH_WEIGHTS``).

    Rules (thresholds are keyword parameters, our defaults in `DEFAULT_HEALTH_RULES`): **drop** when
    performance_ratio < min_performance (0.5: under half the tier typical, below the band), late + missed
    posts >= max_late_posts (2: repeated), or missed posts >= max_missed_posts (1); otherwise **renegotiate**
    when cost_ratio > max_cost_ratio (2: twice the campaign median); otherwise **re-book**. ``reasons`` lists
    the rules that fired, plus notes (late payments by us, performance not measurable). Unmeasurable
    components never fire a rule.
    """
    weights = DEFAULT_HEALTH_WEIGHTS if weights is None else weights
    revision_cap = _benchmark("revision_rounds_model").high if revision_cap is None else revision_cap
    status = deliverable_status(tables, as_of)
    contracts = _table(tables, "contracts")
    creators = _table(tables, "creators")[["creator_id", "handle"]]
    h = contracts.groupby("creator_id").agg(
        contracts=("contract_id", "size"), campaigns=("campaign_id", "nunique")
    )
    h = h.join(_posting_counts(status, "creator_id"), how="left")
    h["mean_revision_rounds"] = status.groupby("creator_id")["revision_rounds"].mean().astype(float)
    posts = sponsored_post_er(tables, preset)
    by_creator = posts.groupby("creator_id")
    h["sponsored_posts"] = by_creator.size()
    h["er_median"] = by_creator["er"].median()
    h["er_basis"] = by_creator["er_basis"].agg(lambda s: "|".join(sorted(set(s))))
    h["er_benchmark_ids"] = by_creator["benchmark_id"].agg(lambda s: "|".join(sorted(set(s.dropna()))))
    h["performance_ratio"] = by_creator["performance_ratio"].median()
    h["cost_metric"] = cost_metric
    h["cost_ratio"] = (
        _contract_cost_ratio(tables, posts, cost_metric).groupby("creator_id")["cost_ratio"].median()
    )
    count_columns = [
        "on_time_posts",
        "late_posts",
        "missed_posts",
        "posts_due",
        "late_payments",
        "payments_due",
    ]
    h[count_columns] = h[count_columns].fillna(0).astype("int64")
    h["sponsored_posts"] = h["sponsored_posts"].fillna(0).astype("int64")
    h["health_score"] = _weighted_score(_scores(h, revision_cap, performance_cap), weights)
    decided = h.apply(
        _decide,
        axis=1,
        args=(min_performance, max_late_posts, max_missed_posts, max_cost_ratio),
        result_type="expand",
    )
    h["recommendation"] = decided[0] if len(h) else pd.Series(dtype=str)
    h["reasons"] = decided[1] if len(h) else pd.Series(dtype=str)
    out = creators.merge(h.reset_index(), on="creator_id", how="right")
    columns = [
        "creator_id",
        "handle",
        "contracts",
        "campaigns",
        "posts_due",
        "on_time_posts",
        "late_posts",
        "missed_posts",
        "on_time_posting_rate",
        "mean_revision_rounds",
        "sponsored_posts",
        "er_median",
        "er_basis",
        "er_benchmark_ids",
        "performance_ratio",
        "cost_metric",
        "cost_ratio",
        "payments_due",
        "late_payments",
        "on_time_payment_rate",
        "health_score",
        "recommendation",
        "reasons",
    ]
    return out[columns].sort_values("health_score", ascending=False, ignore_index=True)


# --------------------------------------------------------------------------- team operations
def decision_counts(health: pd.DataFrame) -> pd.Series:
    """Creators per call of `relationship_health` (its ``recommendation`` column) in `DECISIONS` order; 0 for
    a call no creator got."""
    return health["recommendation"].value_counts().reindex(list(DECISIONS), fill_value=0)


def team_ops_metrics(
    tables: Mapping[str, pd.DataFrame], by: str | None = None, as_of: pd.Timestamp | str | None = None
) -> pd.Series | pd.DataFrame:
    """Team operations KPIs (reference §7 item 19): a Series, or one row per campaign (``by="campaign_id"``).

    time_to_contract_days: median of signed_date - first outreach sent_at (days); approval_cycle_days: median
    of approved_date - draft_submitted_date; revisions_per_deliverable: mean revision_rounds;
    on_time_posting_rate and on_time_payment_rate as in `deliverable_status` (missed posts and overdue
    invoices count as late); rebook_rate: creators contracted in more than one campaign / creators contracted
    (per campaign: share of its creators also contracted in another campaign); reply_rate: replied / sent.
    """
    if by not in (None, "campaign_id"):
        raise ValueError(f"by must be None or 'campaign_id', got {by!r}")
    key = "_all" if by is None else by
    contracts = _table(tables, "contracts").assign(_all="all")
    outreach = _table(tables, "outreach").assign(_all="all")
    status = deliverable_status(tables, as_of).assign(_all="all")

    sent = outreach.groupby(["campaign_id", "creator_id"])["sent_at"].min().rename("first_sent")
    signed = contracts.join(sent, on=["campaign_id", "creator_id"])
    signed["days"] = _days(signed["signed_date"] - signed["first_sent"])
    status["approval_days"] = _days(status["approved_date"] - status["draft_submitted_date"])
    campaigns_per_creator = contracts.groupby("creator_id")["campaign_id"].nunique()
    contracts["rebooked"] = contracts["creator_id"].map(campaigns_per_creator) > 1
    creators = contracts.drop_duplicates([key, "creator_id"]).groupby(key)
    replies = outreach.groupby(key)

    counts = _posting_counts(status, key)
    out = pd.DataFrame(
        {
            "time_to_contract_days": signed.groupby(key)["days"].median(),
            "approval_cycle_days": status.groupby(key)["approval_days"].median(),
            "revisions_per_deliverable": status.groupby(key)["revision_rounds"].mean().astype(float),
            "on_time_posting_rate": counts["on_time_posting_rate"],
            "on_time_payment_rate": counts["on_time_payment_rate"],
            "rebook_rate": ratio(creators["rebooked"].sum(), creators.size(), "re-book rate"),
            "reply_rate": ratio(replies["replied_at"].count(), replies.size(), "reply rate"),
        }
    )
    if by is None:
        return out.reindex(["all"]).iloc[0].rename(None)
    return out.rename_axis(by)
