"""Module 08, measuring performance: KPI tree, full-cost returns, attribution window, EMV against ROAS and
the post-campaign scorecard, with the widget apps the notebook drives.

Everything is computed from the validated tables through the analytics library (`playbook.analytics.metrics`,
`analytics.attribution`, `analytics.emv`, `analytics.incrementality`). Amounts are in the campaign's currency;
EMV is in USD-equivalent index points and never enters a cost or a return. Undefined values are NaN with a
reason (`playbook.analytics.undefined`).

Apps hold their widgets (`.widget`), their controls as attributes and their computed results (`.result`,
`.summary`, `.chart`), so tests set `.value` on a control and assert on the results without a browser.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

from playbook.analytics import attribution, emv, metrics
from playbook.analytics.incrementality import naive_vs_incremental
from playbook.analytics.kpis import OBJECTIVE_KPIS
from playbook.analytics.undefined import Undefined, ratio, reason, reasons
from playbook.course.base import fmt as _fmt
from playbook.course.base import show as _show
from playbook.data.registry import benchmark
from playbook.data.schemas import VIDEO_FORMATS
from playbook.viz import charts

__all__ = [
    "DEFAULT_WINDOWS",
    "EMV_CLAIM_IDS",
    "OBJECTIVE_KPIS",
    "RENEGOTIATE_FLOOR",
    "AttributionWindowApp",
    "KpiTreeApp",
    "ScorecardApp",
    "campaign_posts",
    "cost_chart",
    "creator_scorecard",
    "emv_chart",
    "emv_vs_roas",
    "kpi_tree",
    "leak_check",
    "reconciliation_chart",
    "returns_table",
    "rule_mix",
    "scorecard_chart",
    "toy_ledger",
    "window_chart",
    "window_sweep",
]

Tables = Mapping[str, pd.DataFrame]

DEFAULT_WINDOWS: tuple[int, ...] = (1, 3, 7, 14, 30, 60, 90)  # our choice of click windows to compare, days
# EMV-per-dollar claims that are widely re-quoted as "ROI" (reference §1.2).
EMV_CLAIM_IDS: tuple[str, ...] = (
    "emv_per_dollar_imh_2020",
    "emv_per_dollar_tomoson_2015",
    "emv_per_dollar_imh_2017",
    "emv_per_dollar_rhythmone_2016",
)
RENEGOTIATE_FLOOR = 0.5  # our choice: at least half of the target is "renegotiate", below it "drop"
_EMV_FAMILIES = ("emv_impressions", "emv_actions", "emv_engagement_baseline")


# --------------------------------------------------------------------------- shared helpers
def _campaign_row(tables: Tables, campaign_id: str) -> pd.Series:
    campaigns = tables["campaigns"].set_index("campaign_id")
    if campaign_id not in campaigns.index:
        raise ValueError(f"unknown campaign_id {campaign_id!r}; known: {', '.join(sorted(campaigns.index))}")
    return campaigns.loc[campaign_id]


def _campaign_options(tables: Tables) -> list[tuple[str, str]]:
    """Dropdown options: ("CP000007 · Nook Conversion May 2025 (conversion)", "CP000007")."""
    c = tables["campaigns"].sort_values("campaign_id")
    labels = c["campaign_id"] + " · " + c["name"] + " (" + c["objective"] + ")"
    return list(zip(labels, c["campaign_id"], strict=True))


def campaign_posts(tables: Tables, campaign_id: str) -> pd.DataFrame:
    """The campaign's sponsored posts with the posting creator's `creator_id` added."""
    posts = tables["posts"]
    mine = posts[posts["campaign_id"] == campaign_id]
    creator = mine["account_id"].map(tables["accounts"].set_index("account_id")["creator_id"])
    return mine.assign(creator_id=creator.astype("str"))


def _totals(posts: pd.DataFrame) -> pd.DataFrame:
    """Per creator sums of reach, impressions, engagements, clicks, and video views and impressions."""
    video = posts["format"].isin(VIDEO_FORMATS)
    frame = pd.DataFrame(
        {
            "creator_id": posts["creator_id"],
            "posts": 1,
            "reach": posts["reach"],
            "impressions": posts["impressions"],
            "engagements": posts[list(metrics.INTERACTIONS_ALL)].sum(axis=1),
            "link_clicks": posts["link_clicks"],
            "video_views": posts["views"].where(video, 0),
            "video_impressions": posts["impressions"].where(video, 0),
        }
    )
    return frame.groupby("creator_id").sum().astype("float64")


def _iroas(tables: Tables, campaign_id: str, n_boot: int, seed: int) -> float:
    """iROAS of the campaign's first geo holdout, or undefined with the reason."""
    experiments = tables["experiments"]
    if not (experiments["campaign_id"] == campaign_id).any():
        return Undefined(f"iROAS: no holdout experiment for {campaign_id}")
    return naive_vs_incremental(tables, campaign_id, n_boot=n_boot, seed=seed)["iroas"].iloc[0]


# --------------------------------------------------------------------------- KPI tree
# kpi -> (target column of `campaigns` or None, unit ("{cur}": campaign currency), higher_is_better, formula)
_KPI_SPECS: Mapping[str, tuple[str | None, str, bool, str]] = MappingProxyType(
    {
        "reach": ("target_reach", "accounts", True, "sum of post reach"),
        "impressions": (None, "count", True, "sum of post impressions"),
        "CPM": (None, "{cur} per 1,000 impressions", False, "full cost / impressions x 1000"),
        "view rate": (None, "fraction", True, "video views / video impressions"),
        "ER by reach": ("target_engagement_rate", "fraction", True, "(likes+comments+shares+saves) / reach"),
        "link clicks": ("target_clicks", "clicks", True, "platform-reported link clicks"),
        "CTR": (None, "fraction", True, "link clicks / impressions"),
        "CPE": (None, "{cur} per engagement", False, "full cost / engagements"),
        "conversions": ("target_conversions", "orders", True, "attributed orders (code beats link)"),
        "CPA": (None, "{cur} per order", False, "full cost / attributed orders"),
        "ROAS": ("target_roas", "multiplier", True, "attributed revenue / full cost"),
        "iROAS": (None, "multiplier", True, "incremental revenue (geo holdout) / full cost"),
    }
)


def kpi_tree(
    tables: Tables, campaign_id: str, window_days: float | None = None, *, n_boot: int = 1000, seed: int = 0
) -> pd.DataFrame:
    """Every campaign KPI with its target, flagging the KPIs of the campaign's objective (`OBJECTIVE_KPIS`).

    Columns: kpi, objective_kpi (bool), actual, target (NaN where `campaigns` sets none), unit,
    higher_is_better, formula, reason (why actual is undefined); formulas in `_KPI_SPECS`. Cost KPIs divide
    the full cost (`metrics.campaign_cost`); conversions and revenue are attributed with
    `attribution.campaign_attribution` (window: the campaign's own unless `window_days`); iROAS comes from
    the campaign's geo holdout, if any (`incrementality.naive_vs_incremental`, `n_boot` resamples). Reach is
    summed over posts, so an account reached by two posts counts twice.
    """
    c = _campaign_row(tables, campaign_id)
    cost = metrics.campaign_cost(tables, campaign_id).total
    s = _totals(campaign_posts(tables, campaign_id)).sum()
    credited = attribution.campaign_attribution(tables, campaign_id, window_days)
    orders, revenue = float(credited["orders"].sum()), float(credited["revenue"].sum())
    actual = {
        "reach": s["reach"],
        "impressions": s["impressions"],
        "CPM": metrics.cpm(cost, s["impressions"]),
        "view rate": ratio(s["video_views"], s["video_impressions"], "view rate"),
        "ER by reach": ratio(s["engagements"], s["reach"], "ER by reach"),
        "link clicks": s["link_clicks"],
        "CTR": ratio(s["link_clicks"], s["impressions"], "CTR"),
        "CPE": metrics.cpe(cost, s["engagements"]),
        "conversions": orders,
        "CPA": metrics.cpa(cost, orders),
        "ROAS": metrics.roas(revenue, cost),
        "iROAS": _iroas(tables, campaign_id, n_boot, seed),
    }
    rows = [
        (
            kpi,
            float(actual[kpi]),
            float(c[col]) if col else np.nan,
            unit.format(cur=c["currency"]),
            up,
            formula,
        )
        for kpi, (col, unit, up, formula) in _KPI_SPECS.items()
    ]
    out = pd.DataFrame(rows, columns=["kpi", "actual", "target", "unit", "higher_is_better", "formula"])
    out["reason"] = [reason(actual[kpi]) for kpi in _KPI_SPECS]
    out.insert(1, "objective_kpi", out["kpi"].isin(OBJECTIVE_KPIS[str(c["objective"])]))
    out.attrs = {"campaign_id": campaign_id, "objective": str(c["objective"]), "currency": str(c["currency"])}
    return out.sort_values("objective_kpi", ascending=False, kind="stable").reset_index(drop=True)


def _targets_met(kpis: pd.DataFrame) -> pd.Series:
    """Per KPI with a target: met (actual >= target, or <= for lower-is-better KPIs)."""
    rows = kpis.dropna(subset=["actual", "target"])
    met = np.where(
        rows["higher_is_better"], rows["actual"] >= rows["target"], rows["actual"] <= rows["target"]
    )
    return pd.Series(met, index=rows["kpi"].to_numpy())


# --------------------------------------------------------------------------- full-cost returns
def returns_table(tables: Tables, campaign_id: str, window_days: float | None = None) -> pd.DataFrame:
    """Full cost and every return metric of a campaign, one row each: metric, value, unit, formula, reason.

    ROAS = attributed revenue / full cost; revenue ROI = (revenue - cost) / cost = ROAS - 1; margin ROI =
    (gross margin - cost) / cost (the one to teach, reference §1.4); CPA = cost / attributed orders;
    CAC = cost / new customers among them. "ROAS (fees only)" divides by creator fees alone, to show how
    leaving costs out flatters the result. Sources: https://sproutsocial.com/insights/influencer-marketing-roi,
    https://help.modash.io/en/articles/13717414-tracking-sales-and-revenue-per-creator.
    """
    cost = metrics.campaign_cost(tables, campaign_id)
    cur = cost.currency
    credited = attribution.campaign_attribution(tables, campaign_id, window_days)
    revenue, margin = float(credited["revenue"].sum()), float(credited["margin"].sum())
    orders, new = float(credited["orders"].sum()), float(credited["new_customers"].sum())
    rows = [
        ("full cost", cost.total, cur, "fees + product + shipping + agency fees + amplification + staff"),
        ("attributed revenue", revenue, cur, "order value of credited orders"),
        ("gross margin", margin, cur, "margin (revenue - COGS) of credited orders"),
        (
            "ROAS (fees only)",
            metrics.roas(revenue, cost.creator_fees),
            "multiplier",
            "revenue / creator fees",
        ),
        ("ROAS", metrics.roas(revenue, cost.total), "multiplier", "revenue / full cost"),
        ("revenue ROI", metrics.roi_revenue(revenue, cost.total), "fraction", "(revenue - cost) / cost"),
        ("margin ROI", metrics.roi_margin(margin, cost.total), "fraction", "(gross margin - cost) / cost"),
        ("CPA", metrics.cpa(cost.total, orders), f"{cur} per order", "full cost / attributed orders"),
        ("CAC", metrics.cac(cost.total, new), f"{cur} per new customer", "full cost / new customers"),
    ]
    out = pd.DataFrame(rows, columns=["metric", "value", "unit", "formula"])
    out["value"] = out["value"].astype("float64")
    out["reason"] = [reason(r[1]) for r in rows]
    return out


def cost_chart(breakdown: metrics.CostBreakdown) -> alt.Chart:
    """Bars of the full-cost components (`CostBreakdown.as_frame()`), largest first, campaign currency."""
    data = breakdown.as_frame()
    data["component"] = data["component"].str.replace("_", " ")
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("amount:Q", title=f"Amount ({breakdown.currency})"),
            y=alt.Y("component:N", sort="-x", title=None),
            tooltip=[
                "component:N",
                alt.Tooltip("amount:Q", format=",.2f"),
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(title=f"Full cost: {breakdown.total:,.0f} {breakdown.currency}", height=160)
    )


# --------------------------------------------------------------------------- attribution
def window_sweep(
    tables: Tables, campaign_id: str, windows: Sequence[float] = DEFAULT_WINDOWS
) -> pd.DataFrame:
    """Credited orders and revenue by click window: window_days, orders, revenue_code, revenue_link, revenue,
    roas (revenue / full cost). Code revenue does not depend on the window; link revenue grows with it."""
    cost = metrics.campaign_cost(tables, campaign_id).total
    rows = []
    for w in windows:
        credited = attribution.campaign_attribution(tables, campaign_id, w)
        rows.append(
            {
                "window_days": w,
                "orders": int(credited["orders"].sum()),
                "revenue_code": float(credited["revenue_code"].sum()),
                "revenue_link": float(credited["revenue_link"].sum()),
                "revenue": float(credited["revenue"].sum()),
            }
        )
    out = pd.DataFrame(rows)
    out["roas"] = metrics.roas(out["revenue"], cost)
    return out


def window_chart(sweep: pd.DataFrame, window_days: float | None = None) -> alt.LayerChart:
    """Credited revenue by click window, split into code and link revenue; a rule marks `window_days`."""
    long = sweep.melt("window_days", ["revenue_code", "revenue_link", "revenue"], "credited by", "amount")
    long["credited by"] = long["credited by"].map(
        {"revenue_code": "creator code", "revenue_link": "tracking link", "revenue": "total"}
    )
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("window_days:Q", title="Click window (days before the order)"),
            y=alt.Y("amount:Q", title="Credited revenue (campaign currency)"),
            color=alt.Color("credited by:N", title="Credited by"),
            tooltip=["window_days:Q", "credited by:N", alt.Tooltip("amount:Q", format=",.2f")],
        )
    )
    layers = [lines]
    if window_days is not None:
        rule = pd.DataFrame({"window_days": [window_days]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[4, 3], color="#333").encode(x="window_days:Q"))
    return alt.layer(*layers).properties(title="How the click window changes credited revenue")


def rule_mix(tables: Tables, campaign_id: str, window_days: float | None = None) -> pd.DataFrame:
    """How the brand's orders relate to this campaign under the Modash rules: outcome, orders, revenue.

    Outcomes: credited by the creator's code with no click in the window; by the code although a tracked
    link was also clicked in the window (the code wins); by a link click in the window; the campaign's link
    clicked outside the window (not credited); only a site-wide code (credits nobody).
    """
    c = _campaign_row(tables, campaign_id)
    window = attribution.campaign_window_days(c) if window_days is None else window_days
    orders = tables["orders"][tables["orders"]["brand_id"] == c["brand_id"]]
    a = attribution.attribute_orders(orders, tables["promo_codes"], tables["tracking_links"], window)
    mine = a["credited_campaign_id"] == campaign_id
    clicked = (a["ordered_at"] - a["click_at"]) <= pd.Timedelta(days=window)
    own_links = tables["tracking_links"].loc[
        tables["tracking_links"]["campaign_id"] == campaign_id, "link_id"
    ]
    codes = tables["promo_codes"]
    sitewide = a["promo_code"].isin(
        codes.loc[codes["sitewide"] & (codes["campaign_id"] == campaign_id), "code"]
    )
    masks = {
        "creator code, no click in window": mine & (a["rule"] == attribution.CODE) & ~clicked,
        "creator code, link also clicked (code wins)": mine & (a["rule"] == attribution.CODE) & clicked,
        "tracking link clicked in window": mine & (a["rule"] == attribution.LINK),
        "campaign link clicked outside window (not credited)": (a["rule"] == attribution.NONE)
        & a["link_id"].isin(own_links),
        "site-wide code only (credits nobody)": (a["rule"] == attribution.NONE)
        & sitewide
        & a["link_id"].isna(),
    }
    rows = [(k, int(m.sum()), float(a.loc[m, "order_value"].sum())) for k, m in masks.items()]
    return pd.DataFrame(rows, columns=["outcome", "orders", "revenue"])


def toy_ledger() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A hand-made ledger of five orders showing each attribution rule: (orders, promo_codes, tracking_links).

    O1 uses Ana's code; O2 uses Ana's code after clicking Ben's link (code beats link: Ana); O3 uses a
    site-wide code after clicking Ben's link (the site-wide code does not block the link: Ben); O4 clicked
    Ana's link 45 days before ordering (outside a 30-day window: nobody); O5 has neither (nobody).
    """
    t0 = pd.Timestamp("2025-05-01 12:00")
    day = pd.Timedelta(days=1)
    orders = pd.DataFrame(
        {
            "order_id": ["O1", "O2", "O3", "O4", "O5"],
            "ordered_at": [t0, t0, t0, t0, t0],
            "order_value": [50.0, 80.0, 40.0, 60.0, 30.0],
            "promo_code": pd.Series(["ANA10", "ANA10", "WELCOME", None, None], dtype="str"),
            "link_id": pd.Series([None, "L-BEN", "L-BEN", "L-ANA", None], dtype="str"),
            "click_at": [pd.NaT, t0 - 2 * day, t0 - 3 * day, t0 - 45 * day, pd.NaT],
        }
    )
    codes = pd.DataFrame(
        {
            "code": ["ANA10", "BEN10", "WELCOME"],
            "campaign_id": ["CP1", "CP1", "CP1"],
            "creator_id": pd.Series(["ana", "ben", None], dtype="str"),
            "discount_pct": [0.1, 0.1, 0.15],
            "sitewide": [False, False, True],
        }
    )
    links = pd.DataFrame(
        {"link_id": ["L-ANA", "L-BEN"], "campaign_id": ["CP1", "CP1"], "creator_id": ["ana", "ben"]}
    )
    return orders, codes, links


def reconciliation_chart(reconciled: pd.DataFrame) -> alt.Chart:
    """Revenue per creator as each source reports it (platform, screenshot, tracked, store), from
    `attribution.reconcile`; a missing bar means the source did not report."""
    sources = {
        "platform_revenue": "platform",
        "screenshot_revenue": "screenshot",
        "tracked_revenue": "tracked (ours)",
        "store_revenue": "store",
    }
    long = reconciled.melt("creator_id", list(sources), "source", "revenue").dropna(subset=["revenue"])
    long["source"] = long["source"].map(sources)
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("creator_id:N", title=None),
            yOffset=alt.YOffset("source:N", sort=list(sources.values())),
            x=alt.X("revenue:Q", title="Revenue (campaign currency)"),
            color=alt.Color("source:N", sort=list(sources.values()), title="Source"),
            tooltip=["creator_id:N", "source:N", alt.Tooltip("revenue:Q", format=",.2f")],
        )
        .properties(title="One campaign, four revenue figures per creator", height=alt.Step(7))
    )


def leak_check(tables: Tables, campaign_id: str) -> pd.DataFrame:
    """`attribution.detect_leaked_codes` for the campaign, plus the answer key for teaching.

    The detector reads order behaviour only. `leaked_share_truth` (share of the code's orders that the
    generator marked as coming from a coupon site, `orders.leaked_code`) is joined AFTER detection, to judge
    the detector; real ledgers have no such column.
    """
    found = attribution.detect_leaked_codes(tables, campaign_id)
    truth = tables["orders"].groupby("promo_code")["leaked_code"].mean().rename("leaked_share_truth")
    columns = ["code", "creator_id", "code_orders", "leak_score", "suspected_leak", "reasons"]
    return found[columns].join(truth, on="code")


# --------------------------------------------------------------------------- EMV against real returns
def emv_vs_roas(
    tables: Tables, currency: str = "USD", cpm_source: str = emv.DEFAULT_CPM_SOURCE
) -> pd.DataFrame:
    """Per campaign in `currency`: full cost, attributed revenue, ROAS and EMV per unit of cost per family.

    EMV per cost = sum of the campaign posts' EMV (`emv.emv_comparison`, USD-equivalent index points) / full
    cost. Only campaigns in `currency` (default USD, the currency of the registry's EMV values) are compared,
    so no exchange rate is needed. The families disagree with each other and none of them is revenue.
    """
    campaigns = tables["campaigns"]
    campaigns = campaigns[campaigns["currency"] == currency].sort_values("campaign_id")
    posts = tables["posts"][tables["posts"]["campaign_id"].isin(campaigns["campaign_id"])]
    comparison = emv.emv_comparison(posts, cpm_source=cpm_source)
    sums = comparison[list(_EMV_FAMILIES)].groupby(posts["campaign_id"].to_numpy()).sum()
    rows = []
    for cid, name, objective in campaigns[["campaign_id", "name", "objective"]].itertuples(index=False):
        cost = metrics.campaign_cost(tables, cid).total
        revenue = float(attribution.campaign_attribution(tables, cid)["revenue"].sum())
        row = {"campaign_id": cid, "name": name, "objective": objective, "cost": cost, "revenue": revenue}
        row["roas"] = metrics.roas(revenue, cost)
        for family in _EMV_FAMILIES:
            total = sums[family].get(cid, 0.0)
            row[f"{family}_per_cost"] = ratio(total, cost, f"{family} per cost")
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs = {"label": emv.EMV_LABEL, "currency": currency}
    return out


def emv_chart(frame: pd.DataFrame, claim_ids: Sequence[str] = EMV_CLAIM_IDS) -> alt.LayerChart:
    """Per campaign: ROAS and the three EMV-per-cost figures (log scale), with the registry's EMV-per-dollar
    claims as dashed reference lines (values from `benchmark(id)`, never typed in)."""
    names = {
        "roas": "ROAS (real revenue)",
        "emv_impressions_per_cost": "EMV per $: impressions x CPM",
        "emv_actions_per_cost": "EMV per $: action values",
        "emv_engagement_baseline_per_cost": "EMV per $: engagement + baseline",
    }
    long = frame.melt("campaign_id", list(names), "measure", "per_dollar").dropna(subset=["per_dollar"])
    long = long[long["per_dollar"] > 0].assign(measure=lambda d: d["measure"].map(names))
    points = (
        alt.Chart(long)
        .mark_point(filled=True, size=70)
        .encode(
            x=alt.X("per_dollar:Q", scale=alt.Scale(type="log"), title="Per unit of full cost (log scale)"),
            y=alt.Y("campaign_id:N", title=None),
            color=alt.Color(
                "measure:N", sort=list(names.values()), title=None, legend=alt.Legend(orient="bottom")
            ),
            shape=alt.Shape("measure:N", sort=list(names.values()), legend=None),
            tooltip=["campaign_id:N", "measure:N", alt.Tooltip("per_dollar:Q", format=",.3f")],
        )
    )
    claims = pd.DataFrame(
        [
            {"claim": f"{benchmark(b).source_name} ({benchmark(b).year})", "value": benchmark(b).value}
            for b in claim_ids
        ]
    )
    rules = (
        alt.Chart(claims)
        .mark_rule(strokeDash=[4, 3], color="#888")
        .encode(x="value:Q", tooltip=["claim:N", "value:Q"])
    )
    title = alt.TitleParams(
        "EMV per dollar is not ROAS",
        subtitle="Dashed: published 'per dollar' claims, which are EMV, not revenue",
    )
    return alt.layer(rules, points).properties(title=title)


# --------------------------------------------------------------------------- post-campaign scorecard
# objective -> (primary KPI name, scorecard column, higher_is_better)
_OBJECTIVE_METRIC: Mapping[str, tuple[str, str, bool]] = MappingProxyType(
    {
        "awareness": ("cost per 1,000 reached", "cost_per_1000_reached", False),
        "consideration": ("ER by reach", "er_by_reach", True),
        "conversion": ("ROAS", "roas", True),
    }
)


def _objective_target(objective: str, c: pd.Series) -> float:
    """The campaign target for the objective's primary KPI (awareness: budget x 1000 / target_reach)."""
    if objective == "awareness":
        return ratio(c["budget"] * 1000, c["target_reach"], "target cost per 1,000 reached")
    return float(c["target_engagement_rate"] if objective == "consideration" else c["target_roas"])


def creator_scorecard(
    tables: Tables,
    campaign_id: str,
    window_days: float | None = None,
    *,
    renegotiate_floor: float = RENEGOTIATE_FLOOR,
) -> pd.DataFrame:
    """Per creator of a campaign: allocated cost, delivery, attributed sales and a re-book verdict.

    cost = fee + product + shipping of the creator's contract + the campaign's overheads (agency fees, paid
    amplification, staff) shared in proportion to fees (our allocation choice, so creator costs add up to the
    full cost). The objective's primary KPI is scored against the campaign target: awareness, cost per 1,000
    reached vs budget x 1000 / target_reach; consideration, ER by reach vs target_engagement_rate;
    conversion, ROAS (revenue / allocated cost) vs target_roas. score = actual / target (target / actual where
    lower is better); verdict: "re-book" when score >= 1, "renegotiate" when score >= `renegotiate_floor`
    (our choice, 0.5), else "drop"; "review" when the score is undefined (`reason` says why).
    """
    c = _campaign_row(tables, campaign_id)
    cost = metrics.campaign_cost(tables, campaign_id)
    contracts = tables["contracts"][tables["contracts"]["campaign_id"] == campaign_id].set_index("creator_id")
    overhead = cost.platform_agency_fees + cost.paid_amplification + cost.staff_cost
    fee_share = ratio(contracts["fee"], contracts["fee"].sum(), "fee share")
    allocated = contracts[["fee", "product_value", "shipping_cost"]].sum(axis=1) + fee_share * overhead
    credited = attribution.campaign_attribution(tables, campaign_id, window_days).set_index("creator_id")
    creators = credited.index
    frame = _totals(campaign_posts(tables, campaign_id)).reindex(creators, fill_value=0.0)
    frame.insert(0, "cost", allocated.reindex(creators))
    frame[["orders", "revenue", "new_customers"]] = credited[["orders", "revenue", "new_customers"]]
    derived = {
        "er_by_reach": ratio(frame["engagements"], frame["reach"], "ER by reach"),
        "cpm": metrics.cpm(frame["cost"], frame["impressions"]),
        "cost_per_1000_reached": ratio(frame["cost"] * 1000, frame["reach"], "cost per 1,000 reached"),
        "roas": metrics.roas(frame["revenue"], frame["cost"]),
        "cpa": metrics.cpa(frame["cost"], frame["orders"]),
    }
    for column, values in derived.items():
        frame[column] = values
    objective = str(c["objective"])
    name, column, higher = _OBJECTIVE_METRIC[objective]
    value, target = derived[column], _objective_target(objective, c)
    score = ratio(value, target, "score") if higher else ratio(target, value, "score")
    frame["objective_metric"], frame["target"], frame["score"] = name, float(target), score
    verdict = np.select([score >= 1, score >= renegotiate_floor], ["re-book", "renegotiate"], "drop")
    frame["verdict"] = np.where(score.isna(), "review", verdict)
    frame["reason"] = reasons(value).where(value.isna(), reasons(score))
    handles = tables["creators"].set_index("creator_id")["handle"]
    frame.insert(0, "handle", handles.reindex(creators).astype("str"))
    out = frame.drop(columns=["video_views", "video_impressions"]).reset_index()
    return out.sort_values(["score", "revenue"], ascending=False, na_position="last", kind="stable")


def scorecard_chart(scorecard: pd.DataFrame) -> alt.LayerChart:
    """`charts.creator_scorecard` heatmap of the scorecard's key metrics (colour: percentile, 1 = best)."""
    metrics_shown = {
        "score": ("score vs target", True),
        "er_by_reach": ("ER by reach", True),
        "cpm": ("CPM", False),
        "orders": ("orders", True),
        "roas": ("ROAS", True),
        "cpa": ("CPA", False),
    }
    long = scorecard.assign(creator=scorecard["handle"] + " (" + scorecard["verdict"] + ")").melt(
        "creator", list(metrics_shown), "metric", "value"
    )
    long["higher_is_better"] = long["metric"].map({k: v[1] for k, v in metrics_shown.items()})
    long["metric"] = long["metric"].map({k: v[0] for k, v in metrics_shown.items()})
    return charts.creator_scorecard(long, title="Post-campaign scorecard")


# --------------------------------------------------------------------------- apps
class KpiTreeApp:
    """Pick a campaign: its KPI tree (`.result`), targets met (`.summary`) and a KPI-vs-target chart."""

    def __init__(self, tables: Tables, campaign_id: str | None = None, *, n_boot: int = 1000) -> None:
        self.tables, self.n_boot = tables, n_boot
        options = _campaign_options(tables)
        self.campaign = widgets.Dropdown(
            options=options,
            value=campaign_id or options[0][1],
            description="Campaign",
            layout={"width": "520px"},
        )
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        self.campaign.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([self.campaign, self.summary, self.out])
        self.update()

    def update(self) -> None:
        """Recompute the KPI tree for the chosen campaign and redraw."""
        self.result = kpi_tree(self.tables, self.campaign.value, n_boot=self.n_boot)
        with_target = self.result.dropna(subset=["target"])
        self.chart = charts.kpi_vs_target(with_target, title="KPIs with a target in the campaign plan")
        met = _targets_met(self.result)
        objective = self.result.attrs["objective"]
        self.summary.value = (
            f"<b>Objective: {objective}.</b> Its KPIs: {', '.join(OBJECTIVE_KPIS[objective])}. "
            f"Targets met: {int(met.sum())} of {len(with_target)}"
            + (f" (missed: {', '.join(met.index[~met])})" if (~met).any() else "")
            + "."
        )
        _show(self.out, self.chart, self.result)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


class AttributionWindowApp:
    """Pick a campaign and a click window: credited revenue (`.result`, per creator), the rule mix
    (`.rules`), the sweep over windows (`.sweep`) and a chart of revenue by window."""

    def __init__(self, tables: Tables, campaign_id: str | None = None) -> None:
        self.tables = tables
        options = _campaign_options(tables)
        self.campaign = widgets.Dropdown(
            options=options,
            value=campaign_id or options[0][1],
            description="Campaign",
            layout={"width": "520px"},
        )
        self.window = widgets.IntSlider(
            min=1, max=max(DEFAULT_WINDOWS), value=1, description="Window (days)", continuous_update=False
        )
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        self.campaign.observe(lambda _: self._on_campaign(), names="value")
        self.window.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([self.campaign, self.window, self.summary, self.out])
        self._on_campaign()

    def _on_campaign(self) -> None:
        self.sweep = window_sweep(self.tables, self.campaign.value)
        self._default = attribution.campaign_window_days(_campaign_row(self.tables, self.campaign.value))
        if self.window.value == self._default:
            self.update()
        else:
            self.window.value = self._default  # the observer calls update()

    def update(self) -> None:
        """Attribute the campaign's orders with the chosen window and redraw."""
        cid, w = self.campaign.value, self.window.value
        self.result = attribution.campaign_attribution(self.tables, cid, w)
        self.rules = rule_mix(self.tables, cid, w)
        cost = metrics.campaign_cost(self.tables, cid)
        revenue = float(self.result["revenue"].sum())
        code, link = float(self.result["revenue_code"].sum()), float(self.result["revenue_link"].sum())
        self.summary.value = (
            f"<b>{w}-day window</b> (campaign default {self._default}): {int(self.result['orders'].sum())} "
            f"orders, revenue {revenue:,.2f} {cost.currency} (codes {code:,.2f}, links {link:,.2f}); "
            f"ROAS {_fmt(metrics.roas(revenue, cost.total))}. Only link revenue moves with the window."
        )
        self.chart = window_chart(self.sweep, w)
        _show(self.out, self.chart, self.rules)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


class ScorecardApp:
    """Pick a campaign and the renegotiation floor: per-creator scorecard (`.result`), verdict counts
    (`.summary`) and a heatmap (`.chart`)."""

    def __init__(self, tables: Tables, campaign_id: str | None = None) -> None:
        self.tables = tables
        options = _campaign_options(tables)
        self.campaign = widgets.Dropdown(
            options=options,
            value=campaign_id or options[0][1],
            description="Campaign",
            layout={"width": "520px"},
        )
        self.floor = widgets.FloatSlider(
            min=0.1,
            max=1.0,
            step=0.05,
            value=RENEGOTIATE_FLOOR,
            description="Renegotiate from",
            readout_format=".0%",
        )
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        for control in (self.campaign, self.floor):
            control.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([self.campaign, self.floor, self.summary, self.out])
        self.update()

    def update(self) -> None:
        """Recompute the scorecard and verdicts and redraw."""
        self.result = creator_scorecard(self.tables, self.campaign.value, renegotiate_floor=self.floor.value)
        counts = self.result["verdict"].value_counts()
        metric = self.result["objective_metric"].iloc[0] if len(self.result) else "n/a"
        parts = ", ".join(f"{counts.get(v, 0)} {v}" for v in ("re-book", "renegotiate", "drop", "review"))
        self.summary.value = f"<b>Scored on {metric} against the campaign target:</b> {parts}."
        self.chart = scorecard_chart(self.result)
        columns = ["handle", "cost", "revenue", "objective_metric", "target", "score", "verdict", "reason"]
        _show(self.out, self.chart, self.result[columns])

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)
