"""Full-cost returns of a campaign, attribution windows and rules, and EMV set beside ROAS (module 08).

Every figure comes from `metrics` (full cost, ROAS, ROI, CPA, CAC: reference sections 1.3-1.4),
`attribution` (the Modash rules: code beats link, last touch in the window, section 1.5) and `emv` (a relative
index in USD-equivalent points, never a return, section 1.2). Amounts are in the campaign's currency.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from playbook.analytics import attribution, emv, metrics
from playbook.analytics.emv import emv_impressions, platform_cpm
from playbook.analytics.kpis import campaign_kpis, campaign_row
from playbook.analytics.undefined import ratio, reason

__all__ = [
    "DEFAULT_WINDOWS",
    "EMV_SOURCES",
    "emv_rate_cards_vs_roas",
    "emv_vs_roas",
    "leak_check",
    "returns_table",
    "rule_mix",
    "toy_ledger",
    "window_sweep",
]

Tables = Mapping[str, pd.DataFrame]

DEFAULT_WINDOWS: tuple[int, ...] = (1, 3, 7, 14, 30, 60, 90)  # our choice of click windows to compare, days

_EMV_FAMILIES = ("emv_impressions", "emv_actions", "emv_engagement_baseline")


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


def rule_mix(tables: Tables, campaign_id: str, window_days: float | None = None) -> pd.DataFrame:
    """How the brand's orders relate to this campaign under the Modash rules: outcome, orders, revenue.

    Outcomes: credited by the creator's code with no click in the window; by the code although a tracked
    link was also clicked in the window (the code wins); by a link click in the window; the campaign's link
    clicked outside the window (not credited); only a site-wide code (credits nobody).
    """
    c = campaign_row(tables, campaign_id)
    window = attribution.campaign_window_days(c) if window_days is None else window_days
    orders = tables["orders"][tables["orders"]["brand_id"] == c["brand_id"]]
    a = attribution.attribute_orders(
        orders, tables["promo_codes"], tables["tracking_links"], window, campaigns=tables["campaigns"]
    )
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


EMV_SOURCES: tuple[str, ...] = ("wordontheblock_2023", "inzpire")
"""Two CPM rate cards of the registry (``cpm_<platform>_<source>``), far apart, to show how EMV moves."""


def emv_rate_cards_vs_roas(
    tables: Tables, kpis: pd.DataFrame | None = None, sources: tuple[str, ...] = EMV_SOURCES
) -> pd.DataFrame:
    """Per USD campaign: impression EMV per unit of full cost under each CPM source, next to ROAS.

    EMV = sum over the campaign's posts of impressions / 1000 x the registry CPM of the post's platform
    (`emv.emv_impressions`, `emv.platform_cpm`, ids ``cpm_<platform>_<source>``; USD, so only USD campaigns
    are kept). emv_per_cost_<source> = EMV / full cost; roas = attributed revenue / full cost. EMV prices
    exposure at a rate card nobody paid: change the card and it moves, while ROAS does not. It is not
    revenue and never enters ROI.
    """
    kpis = campaign_kpis(tables) if kpis is None else kpis
    posts = tables["posts"][tables["posts"]["campaign_id"].notna()]
    usd = kpis[kpis["currency"] == "USD"].copy()
    columns = ["campaign_id", "name", "objective", "full_cost"]
    for source in sources:
        emv = emv_impressions(posts["impressions"], platform_cpm(posts["platform"], source))
        total = usd["campaign_id"].map(emv.groupby(posts["campaign_id"]).sum()).fillna(0.0)
        usd[f"emv_per_cost_{source}"] = ratio(total, usd["full_cost"], "EMV per unit of cost")
        columns.append(f"emv_per_cost_{source}")
    return usd[[*columns, "roas"]].reset_index(drop=True)
