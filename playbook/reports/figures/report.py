"""Figures of one report, kept in its context's memo so the sections share one computation.

Each takes the `ReportContext` that `build_context` made: the campaign's posts, the creator table with the
re-book / renegotiate / drop call, tier and platform groups, profit (`money`), the funnel, and the library
results several sections read (attribution, holdout, late causes, outreach). A section renders them; it
never computes a figure itself. Costs per creator divide the creator cost (fee + product + shipping).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

from playbook.analytics.attribution import (
    campaign_attribution,
    detect_leaked_codes,
    orders_before_start,
    reconcile,
)
from playbook.analytics.compliance import check_captions
from playbook.analytics.incrementality import naive_vs_incremental
from playbook.analytics.metrics import (
    INTERACTIONS_ALL,
    campaign_cost,
    conversion_rate,
    cpe,
    cpm,
    profile_engagement_rate,
    roas,
)
from playbook.analytics.planning import late_reasons, outreach_funnel
from playbook.analytics.relationships import as_of_date, deliverable_status, relationship_health
from playbook.analytics.undefined import ratio, reasons
from playbook.analytics.verdicts import RULES, creator_call
from playbook.data.registry import assign_tier
from playbook.reports.context import ReportContext
from playbook.reports.figures.evidence import money_figures

__all__ = [
    "as_of",
    "attribution_totals",
    "campaign_posts",
    "cost_frame",
    "creator_table",
    "credited_by_creator",
    "disclosure_counts",
    "er_by",
    "funnel_stages",
    "group_table",
    "holdout_results",
    "late_causes",
    "leaked_codes",
    "money",
    "once",
    "outreach_by_campaign",
    "paid_late_share",
    "per_data",
    "reconciliation",
    "scoped_tables",
    "spend_in_budget",
]

T = TypeVar("T")
_data_memo: dict[str, Any] = {}  # see `per_data`


def once(ctx: ReportContext, key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per report: several sections share the result."""
    if key not in ctx.memo:
        ctx.memo[key] = compute()
    return ctx.memo[key]


def campaign_posts(ctx: ReportContext) -> pd.DataFrame:
    """The campaign's posts with creator_id, handle (the creator's main handle) and engagements added."""

    def build() -> pd.DataFrame:
        posts = ctx.tables["posts"]
        mine = posts[posts["campaign_id"] == ctx.campaign_id]
        creator = mine["account_id"].map(ctx.tables["accounts"].set_index("account_id")["creator_id"])
        handles = ctx.tables["creators"].set_index("creator_id")["handle"]
        return mine.assign(
            creator_id=creator.astype("str"),
            handle=creator.map(handles).astype("str"),
            engagements=mine[list(INTERACTIONS_ALL)].sum(axis=1).astype("float64"),
        )

    return once(ctx, "posts", build)


def scoped_tables(ctx: ReportContext) -> dict[str, pd.DataFrame]:
    """The tables with the contracts and deliverables of this campaign only."""
    contracts = ctx.tables["contracts"]
    mine = contracts[contracts["campaign_id"] == ctx.campaign_id]
    deliverables = ctx.tables["deliverables"]
    in_campaign = deliverables["contract_id"].isin(mine["contract_id"])
    return {**ctx.tables, "contracts": mine, "deliverables": deliverables[in_campaign]}


def as_of(ctx: ReportContext) -> pd.Timestamp | None:
    """The data's "today" (`relationships.as_of_date` over all campaigns); None when there is no event."""
    day = as_of_date(ctx.tables)
    return None if pd.isna(day) else day


def _health(ctx: ReportContext) -> pd.DataFrame:
    """`relationships.relationship_health` on this campaign's contracts and deliverables, tiers of the
    report's preset: the re-book / renegotiate / drop call for what the creator did in this campaign."""
    return once(
        ctx, "health", lambda: relationship_health(scoped_tables(ctx), ctx.tier_preset, as_of=as_of(ctx))
    )


def credited_by_creator(ctx: ReportContext) -> pd.DataFrame:
    """`attribution.campaign_attribution` per creator, with the report's window (build_context sets it)."""
    return once(ctx, "attribution", lambda: campaign_attribution(ctx.tables, ctx.campaign_id))


def holdout_results(ctx: ReportContext) -> pd.DataFrame | None:
    """`incrementality.naive_vs_incremental` (one row per geo holdout), None without a holdout: iROAS is then
    undefined and the naive ROAS is the KPI ROAS (attributed revenue / full cost)."""
    experiments = ctx.tables["experiments"]
    if not (experiments["campaign_id"] == ctx.campaign_id).any():
        return None
    return once(ctx, "incrementality", lambda: naive_vs_incremental(ctx.tables, ctx.campaign_id))


def per_data(ctx: ReportContext, key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per kernel and data (directory and file fingerprint), for results that depend on the
    data only, not on the campaign or the report's parameters (e.g. leak scores pooled over every code)."""
    identity = (ctx.data_dir, ctx.fingerprint)
    if _data_memo.get("identity") != identity:
        _data_memo.clear()
        _data_memo["identity"] = identity
    if key not in _data_memo:
        _data_memo[key] = compute()
    return _data_memo[key]


def late_causes(ctx: ReportContext) -> pd.DataFrame:
    """`planning.late_reasons` of the campaign: per cause, its share of late and of on-time posts."""
    return once(ctx, "late", lambda: late_reasons(ctx.tables, ctx.campaign_id))


def outreach_by_campaign(ctx: ReportContext) -> pd.DataFrame:
    """`planning.outreach_funnel` by campaign, indexed by campaign_id."""
    return once(
        ctx, "outreach", lambda: outreach_funnel(ctx.tables, by="campaign_id").set_index("campaign_id")
    )


def _put(frame: pd.DataFrame, name: str, values: pd.Series) -> None:
    """Set column `name` and `<name>_reason` (why a value is undefined) from a library result."""
    frame[name] = values.to_numpy()
    frame[f"{name}_reason"] = reasons(values).to_numpy()


def er_by(ctx: ReportContext, posts: pd.DataFrame, by: str) -> pd.DataFrame:
    """ER on the report's basis per value of `by` (a column of `posts`): columns er, reason, n_posts."""
    found = profile_engagement_rate(posts, ctx.tables["accounts"], ctx.basis, by=by)
    return found.set_index(by)[["er", "reason", "n_posts"]]


def creator_table(ctx: ReportContext) -> pd.DataFrame:
    """One row per contracted creator: cost, delivery, results and the call, all from the library.

    creator_cost = fee + product_value + shipping_cost of the contract; tier from the contract account's
    followers (report preset); reach, impressions, engagements summed over the creator's campaign posts;
    er on the report's basis (`metrics.profile_engagement_rate`, pooled); cpe = creator cost / engagements
    (`metrics.cpe`); orders and revenue from `attribution.campaign_attribution` (report window);
    roas = revenue / creator cost (`metrics.roas`); delivery, performance_ratio, health_score,
    recommendation and reasons from `_health`; call and call_reasons: that call after the objective's rule
    (`verdicts.creator_call`). `<x>_reason` says why `<x>` is undefined.
    """

    def build() -> pd.DataFrame:
        contracts = ctx.tables["contracts"]
        mine = contracts[contracts["campaign_id"] == ctx.campaign_id].reset_index(drop=True)
        accounts = ctx.tables["accounts"].set_index("account_id")
        out = pd.DataFrame(
            {
                "creator_id": mine["creator_id"],
                "handle": mine["creator_id"].map(ctx.tables["creators"].set_index("creator_id")["handle"]),
                "platform": mine["account_id"].map(accounts["platform"]),
                "followers": mine["account_id"].map(accounts["followers"]).astype("float64"),
                "fee": mine["fee"],
                "creator_cost": mine["fee"] + mine["product_value"] + mine["shipping_cost"],
            }
        )
        out["tier"] = assign_tier(out["followers"], ctx.tier_preset)
        posts = campaign_posts(ctx)
        sums = ["reach", "impressions", "engagements", "link_clicks"]
        out = out.join(posts.groupby("creator_id")[sums].sum().astype("float64"), on="creator_id")
        out[sums] = out[sums].fillna(0.0)
        out["posts"] = out["creator_id"].map(posts.groupby("creator_id").size()).fillna(0).astype("int64")
        er = er_by(ctx, posts, "creator_id")
        out["er"] = out["creator_id"].map(er["er"]).astype("float64")
        why = out["creator_id"].map(er["reason"]).fillna(f"{ctx.er_label}: no posts")
        out["er_reason"] = why.where(out["er"].isna(), None)
        credited = credited_by_creator(ctx).set_index("creator_id")
        for column in ("orders_code", "orders_link", "orders", "revenue_code", "revenue_link", "revenue"):
            out[column] = out["creator_id"].map(credited[column]).fillna(0).astype("float64")
        _put(out, "cpe", cpe(out["creator_cost"], out["engagements"]))
        _put(out, "roas", roas(out["revenue"], out["creator_cost"]))
        health = _health(ctx).set_index("creator_id")
        delivery = ["posts_due", "late_posts", "missed_posts", "on_time_posting_rate", "late_payments"]
        call = ["performance_ratio", "er_benchmark_ids", "health_score", "recommendation", "reasons"]
        for column in delivery + call:
            out[column] = out["creator_id"].map(health[column])
        objective = str(ctx.figures["objective"])
        calls = [
            creator_call(objective, float(o), str(rec), str(why), RULES)
            for o, rec, why in zip(out["orders"], out["recommendation"], out["reasons"], strict=True)
        ]
        out["call"] = [c.call for c in calls]
        out["call_reasons"] = [c.reasons for c in calls]
        return out

    return once(ctx, "creators", build)


def group_table(ctx: ReportContext, by: str) -> pd.DataFrame:
    """Creators grouped by `tier` (the report's preset) or `platform`, one row per group.

    Sums of creator_cost, fee, reach, impressions, engagements, orders and revenue; er on the report's basis
    pooled over the group's posts; cpm = fees / impressions x 1000 (`metrics.cpm`, the basis of the
    published CPMs); cpe = creator cost / engagements; roas = revenue / creator cost.
    """
    creators = creator_table(ctx)
    grouped = creators.groupby(by, observed=True, sort=True)
    columns = ["creator_cost", "fee", "reach", "impressions", "engagements", "orders", "revenue"]
    out = grouped[columns].sum()
    out.insert(0, "creators", grouped.size())
    posts = campaign_posts(ctx)
    group_of = creators.set_index("creator_id")[by].astype("str")
    er = er_by(ctx, posts.assign(group=posts["creator_id"].map(group_of)), "group")
    out["er"] = out.index.astype("str").map(er["er"]).astype("float64")
    out = out.reset_index()
    _put(out, "cpm", cpm(out["fee"], out["impressions"]))
    _put(out, "cpe", cpe(out["creator_cost"], out["engagements"]))
    _put(out, "roas", roas(out["revenue"], out["creator_cost"]))
    return out


def spend_in_budget(ctx: ReportContext) -> float:
    """The campaign's spend in the budget's scope (`metrics.CostBreakdown.without_staff`: full cost - staff,
    known even when the staff hours are not)."""
    return once(ctx, "campaign_cost", lambda: campaign_cost(ctx.tables, ctx.campaign_id)).without_staff


def cost_frame(ctx: ReportContext) -> pd.DataFrame:
    """`metrics.campaign_cost` of the campaign as a frame: component, amount, share of the full cost."""
    cost = once(ctx, "campaign_cost", lambda: campaign_cost(ctx.tables, ctx.campaign_id))
    return once(ctx, "cost", cost.as_frame)


def money(ctx: ReportContext) -> dict[str, float]:
    """`tables.money_figures`: profit, margin ROI, new-customer share and AOV of the attributed orders."""
    full_cost = float(ctx.figures["full_cost"])
    return once(ctx, "money", lambda: money_figures(credited_by_creator(ctx), full_cost))


def disclosure_counts(ctx: ReportContext) -> dict[str, int]:
    """Sponsored posts, those with a caption to check, and those not properly disclosed (late, weak,
    missing: `compliance.check_captions`)."""

    def build() -> dict[str, int]:
        posts = campaign_posts(ctx)
        sponsored = posts[posts["sponsored"]]
        captioned = sponsored[sponsored["caption"].fillna("").astype("str").str.strip() != ""]
        checked = check_captions(captioned) if len(captioned) else pd.DataFrame({"status": []})
        undisclosed = int((checked["status"] != "compliant").sum())
        return {"sponsored": len(sponsored), "with_caption": len(captioned), "undisclosed": undisclosed}

    return once(ctx, "disclosure", build)


def funnel_stages(ctx: ReportContext) -> pd.DataFrame:
    """Creators reaching each stage, from the first message to the last payment: columns stage, count.

    contacted, replied, negotiating, agreed: `planning.outreach_funnel` by campaign; contracted: contracts;
    all content posted / invoiced / paid: contracted creators whose every deliverable has that date.
    """
    found = outreach_by_campaign(ctx)
    first = ("sent", "replied", "negotiating", "agreed")
    outreach = (
        found.loc[ctx.campaign_id, list(first)] if ctx.campaign_id in found.index else dict.fromkeys(first, 0)
    )
    scoped = scoped_tables(ctx)
    status = deliverable_status(scoped, as_of(ctx))
    done = status[["posted_date", "invoiced_date", "paid_date"]].notna().groupby(status["creator_id"]).all()
    counts = [*(int(outreach[s]) for s in first), int(scoped["contracts"]["creator_id"].nunique())]
    counts += [int(done[c].sum()) for c in ("posted_date", "invoiced_date", "paid_date")]
    names = [
        "contacted",
        "replied",
        "negotiating",
        "agreed",
        "contracted",
        "all content posted",
        "all invoiced",
        "all paid",
    ]
    return pd.DataFrame({"stage": names, "count": counts})


def paid_late_share(ctx: ReportContext) -> float:
    """Share of the contracted creators we paid late at least once = creators with late_payments > 0 /
    creators (`creator_table`); undefined without a creator."""
    creators = creator_table(ctx)
    return ratio(float((creators["late_payments"] > 0).sum()), float(len(creators)), "share paid late")


def attribution_totals(ctx: ReportContext) -> dict[str, float]:
    """Orders and revenue credited by promo code and by tracking link (sums over `creator_table`), the
    campaign's link clicks, and the click-based conversion rate = link orders / link clicks
    (`metrics.conversion_rate`): orders by code have no click and are left out; `before_start`: orders
    with the campaign's code or link from before its start, not credited
    (`attribution.orders_before_start`)."""
    creators = creator_table(ctx)
    code = creators[["orders_code", "revenue_code"]].sum()
    link = creators[["orders_link", "revenue_link"]].sum()
    clicks = float(ctx.figures["link_clicks"])
    return {
        "orders_code": code["orders_code"],
        "revenue_code": code["revenue_code"],
        "orders_link": link["orders_link"],
        "revenue_link": link["revenue_link"],
        "link_clicks": clicks,
        "conversion_rate": conversion_rate(float(link["orders_link"]), clicks),
        "before_start": float(
            orders_before_start(ctx.tables, ctx.campaign_id, ctx.memo.get("credited_orders"))
        ),
    }


def _handles(ctx: ReportContext) -> pd.Series:
    return ctx.tables["creators"].set_index("creator_id")["handle"]


def reconciliation(ctx: ReportContext) -> pd.DataFrame:
    """`attribution.reconcile` of the campaign (platform, screenshot, tracked and store revenue per creator,
    tracked with the report's window) with the creator's handle."""
    checked = reconcile(ctx.tables, ctx.campaign_id, tracked=credited_by_creator(ctx))
    return checked.assign(handle=lambda d: d["creator_id"].map(_handles(ctx)))


def leaked_codes(ctx: ReportContext) -> pd.DataFrame:
    """`attribution.detect_leaked_codes` rows of this campaign's codes, with the creator's handle; the scores
    pool every code of the data, so they are computed once per data (`per_data`)."""
    every_code = per_data(ctx, "leaks", lambda: detect_leaked_codes(ctx.tables))
    mine = every_code[every_code["campaign_id"] == ctx.campaign_id]
    return mine.assign(handle=lambda d: d["creator_id"].map(_handles(ctx)))
