"""Figures of the campaign report computed from the tables alone, as plain data (dicts and frames).

These know nothing of a report: they take tables and frames, so a test calls them on a hand-made dataset.
Every number comes from the analytics library; a figure the data cannot support is NaN with its reason, or
the function returns `Missing(what, input)` naming the input that would add it. Amounts are in the
campaign's currency unless the name says otherwise (EMV is in index points).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from playbook.analytics.attribution import campaign_orders
from playbook.analytics.compliance import check_captions, compliance_summary
from playbook.analytics.emv import EMV_LABEL, emv_impressions, platform_cpm
from playbook.analytics.metrics import INTERACTIONS_ALL, ERBasis, profile_engagement_rate
from playbook.analytics.planning import cpm_band
from playbook.analytics.summary import campaign_figures
from playbook.analytics.undefined import Undefined, ratio
from playbook.data.registry import benchmark

__all__ = [
    "CAPTION_EXCERPT",
    "EMV_LABEL",
    "Missing",
    "audience_credibility",
    "audience_vs_target",
    "best_and_worst",
    "comment_quality",
    "cpm_positions",
    "daily_performance",
    "disclosure_check",
    "earlier_campaigns",
    "emv_index",
    "er_on_basis",
    "gantt_rows",
    "holdout_designs",
    "missing_inputs",
    "paid_vs_organic",
    "post_ranking",
    "stage_status",
    "typical_late_cause",
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
    tables: dict[str, pd.DataFrame],
    campaign_id: str,
    posts: pd.DataFrame,
    credited: pd.DataFrame | None = None,
) -> pd.DataFrame | Missing:
    """Cumulative views, engagements (of posts, on their posting day) and attributed orders by day.

    Columns: date, views, engagements, orders (each cumulative). Post counts are the totals at snapshot
    dated on the post's day: the data has no daily post metrics, so the curve shows when results were
    posted, not when people watched. ``credited``: `attribution.campaign_orders` when already computed.
    """
    if posts.empty:
        return Missing("posts for this campaign", "posts.csv rows with this campaign_id")
    day = pd.to_datetime(posts["posted_at"]).dt.normalize()
    counts = posts[["views", "engagements"]].astype("float64")  # nullable counts: unknown stays NaN, not 0
    by_post = counts.assign(date=day).groupby("date")[["views", "engagements"]].sum(min_count=1)
    credited = campaign_orders(tables, campaign_id) if credited is None else credited
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


def stage_status(plan: pd.DataFrame) -> pd.DataFrame:
    """Deliverables per stage of `planning.campaign_timeline` by status: columns stage, on_time, late,
    overdue, open, done (counts) and median_days_late (median of days_late over the stage's rows)."""
    stages = plan.groupby("stage", observed=True)
    summary = stages["status"].value_counts().unstack(fill_value=0)
    summary = summary.reindex(columns=["on_time", "late", "overdue", "open", "done"], fill_value=0)
    summary["median_days_late"] = stages["days_late"].median()
    return summary.rename_axis("stage").reset_index().astype({"stage": "str"})


def gantt_rows(plan: pd.DataFrame, creators: pd.DataFrame) -> pd.DataFrame:
    """One bar pair per deliverable ("@handle · format #n", n-th of the creator's deliverables): production
    (shipping, else draft) to posting, planned and actual."""
    wide = plan.pivot(index="deliverable_id", columns="stage", values=["planned_date", "actual_date"])
    first = [s for s in ("shipped", "draft") if s in set(plan["stage"].astype(str))]
    meta = plan.drop_duplicates("deliverable_id").set_index("deliverable_id").sort_index()
    handle = "@" + meta["creator_id"].map(creators.set_index("creator_id")["handle"])
    nth = meta.groupby("creator_id").cumcount().add(1).astype("str")  # short labels: axis labels are clipped
    return pd.DataFrame(
        {
            "item": handle + " · " + meta["format"] + " #" + nth,
            "group": handle,
            "planned_start": wide["planned_date"][first].min(axis=1),
            "planned_end": wide["planned_date"]["posted"],
            "actual_start": wide["actual_date"][first].min(axis=1),
            "actual_end": wide["actual_date"]["posted"],
        }
    ).reset_index(drop=True)


def typical_late_cause(causes: pd.DataFrame) -> pd.Series | None:
    """The recorded cause most typical of late posts (`planning.late_reasons` rows): the largest share of late
    posts with it minus its share of on-time posts (unknown on-time share: 0). None without a late post.

    Returns the cause's row: cause, late_posts (all late posts), share_of_late, share_of_on_time.
    """
    indexed = causes.set_index("cause")
    if not len(indexed) or not int(indexed["late_posts"].iloc[0]):
        return None
    known = indexed.drop(index="no_recorded_cause")
    top = (known["share_of_late"] - known["share_of_on_time"].fillna(0)).idxmax()
    shares = {k: known.loc[top, k] for k in ("share_of_late", "share_of_on_time")}
    return pd.Series({"cause": top, "late_posts": indexed["late_posts"].iloc[0], **shares})


def best_and_worst(frame: pd.DataFrame, column: str, ascending: bool) -> tuple[pd.Series, pd.Series] | None:
    """The first and last row of `frame` sorted on `column` (stable; `ascending` when lower is better), over
    the rows where it is defined; None with fewer than two such rows (nothing to compare)."""
    ranked = frame.dropna(subset=[column]).sort_values(column, ascending=ascending, kind="stable")
    if len(ranked) < 2:
        return None
    return ranked.iloc[0], ranked.iloc[-1]


def cpm_positions(platforms: pd.DataFrame, currency: str) -> pd.DataFrame:
    """CPM (fees) per platform against the published band of `planning.cpm_band`.

    platforms: rows with platform and cpm (`report.group_table(ctx, "platform")`). Columns: platform, cpm,
    low, typical, high (the band, NaN without one), ids (registry ids of the band), unit (its unit, e.g.
    usd_per_1000_impressions), position: "below", "within" or "above" the band [low, high]; "undefined"
    (no CPM); "other currency" (the band's unit is not in `currency`: the data has no exchange rates);
    "no band" (the registry has none for the platform).
    """
    rows = []
    for r in platforms.itertuples():
        try:
            (low, typical, high), ids = cpm_band(str(r.platform))
        except KeyError:
            rows.append({"platform": r.platform, "cpm": r.cpm, "ids": (), "unit": "", "position": "no band"})
            continue
        unit = benchmark(ids[0]).unit
        if not unit.startswith(currency.lower()):
            where = "other currency"
        elif math.isnan(r.cpm):
            where = "undefined"
        else:
            where = "below" if r.cpm < low else "above" if r.cpm > high else "within"
        band = {"low": low, "typical": typical, "high": high}
        rows.append(
            {"platform": r.platform, "cpm": r.cpm, **band, "ids": tuple(ids), "unit": unit, "position": where}
        )
    columns = ["platform", "cpm", "low", "typical", "high", "ids", "unit", "position"]
    return pd.DataFrame(rows, columns=columns)


def holdout_designs(results: pd.DataFrame, experiments: pd.DataFrame) -> pd.DataFrame:
    """The design of each geo holdout of `results` (`incrementality.naive_vs_incremental` rows).

    Columns: experiment_id, holdout_share, n_geos, control_geos = round(n_geos x holdout_share),
    test_days = end_date - start_date + 1 (both days count), note (the result's note).
    """
    e = experiments.set_index("experiment_id").loc[results["experiment_id"]]
    return pd.DataFrame(
        {
            "experiment_id": results["experiment_id"].to_numpy(),
            "holdout_share": e["holdout_share"].astype("float64").to_numpy(),
            "n_geos": [int(n) for n in e["n_geos"]],
            "control_geos": [
                round(int(n) * float(s)) for n, s in zip(e["n_geos"], e["holdout_share"], strict=True)
            ],
            "test_days": [int((b - a).days) + 1 for a, b in zip(e["start_date"], e["end_date"], strict=True)],
            "note": results["note"].to_numpy(),
        }
    )


def disclosure_check(posts: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame] | Missing:
    """Disclosure of the sponsored posts with a caption (`compliance`): the shares of
    `compliance_summary(..., by=None)` (share_compliant, share_late, ..., sponsored_posts) and the posts not
    compliant (`check_captions` rows with handle: status, reasons). Missing when no sponsored post has a
    caption."""
    sponsored = posts[posts["sponsored"]]
    captioned = sponsored["caption"].fillna("").astype("str").str.strip() != ""
    if not captioned.any():
        return Missing("the captions of the sponsored posts", "posts.caption")
    if not captioned.all():
        sponsored = sponsored[captioned]
    checked = check_captions(sponsored).join(sponsored[["handle"]])
    return compliance_summary(sponsored, by=None).iloc[0], checked[checked["status"] != "compliant"]
