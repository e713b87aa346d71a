"""Figures of the campaign report computed from the tables alone, as plain data (dicts and frames).

These know nothing of a report: they take tables and frames, so a test calls them on a hand-made dataset.
Every number comes from the analytics library; a figure the data cannot support is NaN with its reason, or
the function returns `Missing(what, input)` naming the input that would add it. Amounts are in the
campaign's currency unless the name says otherwise (EMV is in index points).
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from playbook.analytics.attribution import campaign_orders
from playbook.analytics.emv import EMV_LABEL, emv_impressions, platform_cpm
from playbook.analytics.metrics import INTERACTIONS_ALL, ERBasis, profile_engagement_rate
from playbook.analytics.planning import cpm_band
from playbook.analytics.summary import campaign_figures
from playbook.analytics.undefined import Undefined, ratio
from playbook.analytics.verdicts import CampaignEvidence, CreatorCost, KpiResult, margin_roi

__all__ = [
    "CAPTION_EXCERPT",
    "EMV_LABEL",
    "Missing",
    "audience_credibility",
    "audience_vs_target",
    "campaign_evidence",
    "comment_quality",
    "creator_costs",
    "daily_performance",
    "earlier_campaigns",
    "emv_index",
    "er_on_basis",
    "missing_inputs",
    "money_figures",
    "paid_vs_organic",
    "post_ranking",
]

CAPTION_EXCERPT = 80  # characters of a caption shown next to a post (our layout choice)


@dataclass(frozen=True)
class Missing:
    """A section the data cannot support: what is missing and which input would add it."""

    what: str
    add: str

    def sentence(self) -> str:
        return f"Not in the data: {self.what}. To add it: {self.add}."


def missing_inputs(tables: dict[str, pd.DataFrame], campaign_id: str) -> list[Missing]:
    """What this campaign's data lacks that a report statement needs, each with the input that adds it:
    costs (fees, product, shipping, agency fees, amplification, staff), the budget, KPI targets,
    deliverables (on-time statements) and captions (disclosure)."""
    c = tables["campaigns"].set_index("campaign_id").loc[campaign_id]
    contracts = tables["contracts"][tables["contracts"]["campaign_id"] == campaign_id]
    out = []
    cost_columns = [
        f"contracts.{k}" for k in ("fee", "product_value", "shipping_cost") if contracts[k].isna().any()
    ]
    cost_columns += [
        f"campaigns.{k}"
        for k in ("agency_fees", "paid_amplification", "staff_hours", "staff_hour_cost")
        if pd.isna(c[k])
    ]
    if cost_columns:
        out.append(Missing("part of the cost, so cost per result, ROAS and profit", ", ".join(cost_columns)))
    if pd.isna(c["budget"]):
        out.append(Missing("the budget", "campaigns.budget"))
    targets = ["target_reach", "target_engagement_rate", "target_clicks", "target_conversions", "target_roas"]
    unset = [t for t in targets if pd.isna(c[t]) or c[t] == 0]
    if len(unset) == len(targets):
        out.append(
            Missing(
                "KPI targets, so no verdict against targets", ", ".join(f"campaigns.{t}" for t in targets)
            )
        )
    deliverables = tables["deliverables"]["contract_id"].isin(contracts["contract_id"])
    if len(contracts) and not deliverables.any():
        out.append(Missing("deliverables, so nothing about posting on time", "deliverables.csv"))
    posts = tables["posts"][(tables["posts"]["campaign_id"] == campaign_id) & tables["posts"]["sponsored"]]
    if len(posts) and (posts["caption"].fillna("").astype("str").str.strip() == "").all():
        out.append(Missing("captions, so no disclosure check", "posts.caption"))
    return out


def money_figures(credited: pd.DataFrame, full_cost: float) -> dict[str, float]:
    """Profit and customers of the attributed orders.

    revenue, margin (sums over credited orders); profit = margin - full cost; margin ROI = profit / full cost;
    new-customer share = orders by first-time customers / orders; AOV = revenue / orders (average order
    value). Ratios over no orders are undefined with their reason.
    """
    orders = float(credited["orders"].sum())
    revenue, margin = float(credited["revenue"].sum()), float(credited["margin"].sum())
    new = float(credited["new_customers"].sum())
    profit = margin - full_cost if not math.isnan(full_cost) else Undefined("profit: full cost unknown")
    return {
        "orders": orders,
        "revenue": revenue,
        "margin": margin,
        "profit": profit,
        "margin_roi": margin_roi(margin, full_cost)
        if not math.isnan(full_cost)
        else Undefined("margin ROI: full cost unknown"),
        "new_customers": new,
        "new_customer_share": ratio(new, orders, "new-customer share"),
        "aov": ratio(revenue, orders, "average order value"),
    }


def creator_costs(creators: pd.DataFrame, currency: str) -> tuple[CreatorCost, ...]:
    """Each creator's cost and fee CPM (fee / impressions x 1,000) against the published band of the
    platform (`planning.cpm_band`, USD per 1,000 impressions: compared only when the campaign is in USD)."""
    out = []
    for r in creators.itertuples():
        fee_cpm = float(ratio(float(r.fee), float(r.impressions), "fee CPM")) * 1000
        low = high = math.nan
        if currency == "USD" and isinstance(r.platform, str):
            with contextlib.suppress(KeyError):  # a platform without a published band
                (low, _, high), _ids = cpm_band(r.platform)
        out.append(CreatorCost(str(r.handle), float(r.creator_cost), fee_cpm, low, high))
    return tuple(out)


def campaign_evidence(
    figures: dict[str, float | str],
    kpis: list[KpiResult],
    cost: pd.DataFrame,
    money: dict[str, float],
    creators: pd.DataFrame,
    disclosure: dict[str, int],
    holdout: pd.Series | None,
) -> CampaignEvidence:
    """What `verdicts.campaign_verdict` reads, from the report's figures.

    cost: `metrics.campaign_cost(...).as_frame()` (component, amount); spend in the budget's scope = full
    cost - staff hours (the budget excludes staff: data dictionary, campaigns.budget). disclosure: counts
    sponsored, with_caption, undisclosed (late + weak + missing). holdout: the first row of
    `incrementality.naive_vs_incremental`, None without a test.
    """
    staff = cost.loc[cost["component"].str.startswith("staff"), "amount"].sum()
    full = float(figures["full_cost"])
    currency = str(figures["currency"])
    inc = (
        {} if holdout is None else {k: float(holdout[k]) for k in ("iroas", "iroas_ci_low", "iroas_ci_high")}
    )
    return CampaignEvidence(
        objective=str(figures["objective"]),
        kpis=tuple(kpis),
        full_cost=full,
        cost_in_budget=full - float(staff),
        budget=float(figures["budget"]),
        revenue=float(money["revenue"]),
        margin=float(money["margin"]),
        sponsored_posts=int(disclosure.get("sponsored", 0)),
        posts_with_caption=int(disclosure.get("with_caption", 0)),
        undisclosed_posts=int(disclosure.get("undisclosed", 0)),
        creators=creator_costs(creators, currency),
        late_payments=int(pd.to_numeric(creators.get("late_payments"), errors="coerce").fillna(0).sum())
        if len(creators)
        else 0,
        currency=currency,
        **inc,
    )


def post_ranking(posts: pd.DataFrame, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame] | Missing:
    """The `n` posts with the most and the fewest engagements (likes + comments + shares + saves).

    Columns: post_id, handle, platform, format, posted (date), caption (first `CAPTION_EXCERPT` characters),
    engagements, reach, link_clicks. Fewer than 2n posts: the bottom list
    holds the posts not in the top list.
    """
    if posts.empty:
        return Missing("posts for this campaign", "posts.csv rows with this campaign_id")
    ranked = posts.sort_values(["engagements", "post_id"], ascending=[False, True], kind="stable")
    caption = ranked["caption"].fillna("").astype("str").str.replace(r"\s+", " ", regex=True).str.strip()
    short = caption.where(caption.str.len() <= CAPTION_EXCERPT, caption.str[: CAPTION_EXCERPT - 1] + "…")
    shown = pd.DataFrame(
        {
            "post_id": ranked["post_id"].astype("str"),
            "handle": ranked["handle"],
            "platform": ranked["platform"].astype("str"),
            "format": ranked["format"].astype("str"),
            "posted": pd.to_datetime(ranked["posted_at"]).dt.date.astype("str"),
            "caption": short,
            "engagements": ranked["engagements"].astype("float64"),
            "reach": ranked["reach"].astype("float64"),
            "link_clicks": ranked["link_clicks"].astype("float64"),
        }
    ).reset_index(drop=True)
    top = shown.head(n)
    bottom = shown.iloc[len(top) :].tail(n).iloc[::-1].reset_index(drop=True)
    return top, bottom


def daily_performance(
    tables: dict[str, pd.DataFrame], campaign_id: str, posts: pd.DataFrame
) -> pd.DataFrame | Missing:
    """Cumulative views, engagements (of posts, on their posting day) and attributed orders by day.

    Columns: date, views, engagements, orders (each cumulative). Post counts are the totals at snapshot
    dated on the post's day: the data has no daily post metrics, so the curve shows when results were
    posted, not when people watched.
    """
    if posts.empty:
        return Missing("posts for this campaign", "posts.csv rows with this campaign_id")
    day = pd.to_datetime(posts["posted_at"]).dt.normalize()
    counts = posts[["views", "engagements"]].astype("float64")  # nullable counts: unknown stays NaN, not 0
    by_post = counts.assign(date=day).groupby("date")[["views", "engagements"]].sum(min_count=1)
    credited = campaign_orders(tables, campaign_id)
    credited = credited[credited["rule"] != "none"]
    orders = credited.groupby(pd.to_datetime(credited["ordered_at"]).dt.normalize()).size().rename("orders")
    start, end = (
        min(day.min(), orders.index.min() if len(orders) else day.min()),
        max(day.max(), orders.index.max() if len(orders) else day.max()),
    )
    days = pd.date_range(start, end, freq="D", name="date")
    out = pd.concat([by_post.reindex(days, fill_value=0), orders.reindex(days, fill_value=0)], axis=1)
    unknown = [c for c in ("views", "engagements") if counts[c].isna().any()]
    out = out.fillna(0).cumsum().astype("float64")
    out[unknown] = np.nan  # a running total with an unknown part is unknown (never a partial sum as a total)
    return out.reset_index()


def comment_quality(comments: pd.DataFrame, post_ids: pd.Series) -> pd.DataFrame | Missing:
    """Comments on the campaign's posts by kind (comments.kind): count and share of all of them.

    Kinds as the data dictionary defines them (specific, generic, emoji, pod); the share of `specific`
    comments is the quality signal, `pod` comments are engagement-pod activity.
    """
    mine = comments[comments["post_id"].isin(post_ids)]
    if mine.empty:
        return Missing("comments on this campaign's posts", "comments.csv with post_id and kind")
    kinds = mine["kind"].astype("str").value_counts().rename_axis("kind").rename("comments").reset_index()
    kinds["share"] = kinds["comments"] / kinds["comments"].sum()
    return kinds.astype({"comments": "float64"})


def audience_credibility(accounts: pd.DataFrame, posts: pd.DataFrame) -> float:
    """Reach-weighted share of real followers behind the campaign's posts: sum over posts of reach x the
    posting account's audience_credibility / sum of reach of the posts whose account has one."""
    reach = posts.groupby("account_id")["reach"].sum().astype("float64")
    cred = accounts.set_index("account_id")["audience_credibility"].reindex(reach.index).astype("float64")
    known = cred.notna()
    return ratio(float((reach[known] * cred[known]).sum()), float(reach[known].sum()), "audience credibility")


def audience_vs_target(
    audience: pd.DataFrame, posts: pd.DataFrame, target_country: object, target_age: object
) -> pd.DataFrame | Missing:
    """Share of the reached audience in the target market, reach-weighted over the campaign's posts.

    For each dimension with a target (country, age): sum over posts of reach x the posting account's
    audience share in the target bucket / sum of reach of the posts whose account has that dimension.
    Columns: dimension, target, share, accounts (with audience data), accounts_total.
    """
    rows = []
    for dimension, target in (("country", target_country), ("age", target_age)):
        if not isinstance(target, str) or not target:
            continue
        mine = audience[
            (audience["dimension"] == dimension) & audience["account_id"].isin(posts["account_id"])
        ]
        known = mine["account_id"].unique()
        share = mine[mine["bucket"] == target].set_index("account_id")["share"]
        reach = posts.groupby("account_id")["reach"].sum().astype("float64")
        covered = reach[reach.index.isin(known)]
        in_target = (covered * share.reindex(covered.index, fill_value=0.0)).sum()
        rows.append(
            {
                "dimension": dimension,
                "target": target,
                "share": ratio(float(in_target), float(covered.sum()), f"audience in {target}"),
                "accounts": float(len(covered)),
                "accounts_total": float(posts["account_id"].nunique()),
            }
        )
    if not rows:
        return Missing("a target market", "campaigns.target_country and campaigns.target_age")
    return pd.DataFrame(rows)


def earlier_campaigns(tables: dict[str, pd.DataFrame], campaign_id: str) -> pd.DataFrame | Missing:
    """The brand's campaigns that started before this one, and this one, oldest first (an earlier campaign
    may still have been running: its figures are as the data has them).

    Columns: campaign_id, name, objective, start, currency, full_cost, reach, attributed_orders, cpa = full
    cost / attributed orders, roas (`summary.campaign_figures`, each on its own attribution window).
    """
    campaigns = tables["campaigns"]
    me = campaigns.set_index("campaign_id").loc[campaign_id]
    same = campaigns[(campaigns["brand_id"] == me["brand_id"]) & (campaigns["start_date"] < me["start_date"])]
    if same.empty:
        return Missing("an earlier campaign of this brand", "earlier campaigns of the same brand_id")
    ids = [*same.sort_values("start_date")["campaign_id"], campaign_id]
    rows = []
    for cid in ids:
        f = campaign_figures(tables, cid)
        cpa = ratio(float(f["full_cost"]), float(f["attributed_orders"]), "CPA")
        rows.append(
            {k: f[k] for k in ("campaign_id", "name", "objective", "start", "currency")}
            | {
                "full_cost": f["full_cost"],
                "reach": f["reach"],
                "attributed_orders": f["attributed_orders"],
                "cpa": cpa,
                "roas": f["roas"],
            }
        )
    return pd.DataFrame(rows)


def emv_index(posts: pd.DataFrame) -> pd.DataFrame | Missing:
    """Impression EMV per platform (`emv.emv_impressions`: impressions / 1,000 x the platform's benchmark
    CPM), in index points: a relative index of exposure, not revenue, never part of ROI (`EMV_LABEL`).

    Columns: platform, impressions, cpm (benchmark, USD per 1,000), emv (index points), share of the total.
    """
    if posts.empty:
        return Missing("posts for this campaign", "posts.csv rows with this campaign_id")
    by = posts.groupby("platform", observed=True)["impressions"].sum().astype("float64").reset_index()
    by["platform"] = by["platform"].astype("str")
    try:
        by["cpm"] = platform_cpm(by["platform"])
    except KeyError:
        return Missing("a benchmark CPM for every platform", "a cpm_<platform> row in benchmarks.csv")
    by["emv"] = emv_impressions(by["impressions"], by["cpm"])
    by["share"] = by["emv"] / by["emv"].sum()
    return by


def paid_vs_organic(posts: pd.DataFrame, paid_amplification: float) -> pd.DataFrame | Missing:
    """Paid against organic results of amplified posts, when the posts carry a paid split.

    The contract's posts have no paid/organic split (no `paid_impressions` column): the campaign's paid
    amplification spend is known, what it bought per post is not.
    """
    if "paid_impressions" not in posts.columns:
        spend = "" if math.isnan(paid_amplification) else f" (the campaign spent {paid_amplification:,.0f})"
        return Missing(
            f"what paid amplification bought per post{spend}",
            "paid_impressions and paid_reach per post from the ads manager",
        )
    paid = posts["paid_impressions"].astype("float64").fillna(0.0)
    amplified = posts[paid > 0]
    if amplified.empty:
        return Missing("an amplified post", "paid_impressions on the posts that were boosted")
    organic = amplified["impressions"].astype("float64") - amplified["paid_impressions"].astype("float64")
    return pd.DataFrame(
        {
            "post_id": amplified["post_id"],
            "paid_impressions": amplified["paid_impressions"].astype("float64"),
            "organic_impressions": organic,
        }
    )


def er_on_basis(tables: dict[str, pd.DataFrame], campaign_id: str, basis: str) -> float:
    """Pooled ER of the campaign's posts on `basis`: sum(likes + comments + shares + saves) / sum(basis).

    `metrics.profile_engagement_rate` with `ERBasis(basis, INTERACTIONS_ALL, "total")`: followers are the
    posting account's followers at snapshot, once per post (Traackr's "ER by potential reach"); posts whose
    denominator is 0 (views of non-video formats) are left out. Undefined (NaN with a reason) without posts.
    """
    posts = tables["posts"][tables["posts"]["campaign_id"] == campaign_id]
    er_basis = ERBasis(basis, INTERACTIONS_ALL, "total", None)  # type: ignore[arg-type]
    found = profile_engagement_rate(posts, tables["accounts"], er_basis, by="campaign_id")
    found = found[found["campaign_id"] == campaign_id]
    if found.empty:
        return Undefined(f"ER by {basis}: no posts")
    value, why = found["er"].iloc[0], found["reason"].iloc[0]
    return Undefined(why) if pd.isna(value) else float(value)
