"""Profit of the attributed orders and the evidence the verdict reads, as plain data from frames.

`money_figures`: revenue, margin, profit, margin ROI, new-customer share and AOV of the credited orders;
`campaign_evidence`: what `analytics.verdicts.campaign_verdict` reads (KPIs, costs, money, disclosure, the
creators' cost and fee CPM against the published band, the holdout), built from the report's figures.
"""

from __future__ import annotations

import contextlib
import math

import pandas as pd

from playbook.analytics.planning import cpm_band
from playbook.analytics.undefined import Undefined, ratio
from playbook.analytics.verdicts import CampaignEvidence, CreatorCost, KpiResult, margin_roi

__all__ = ["campaign_evidence", "creator_costs", "money_figures"]


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
    spend_in_budget: float,
    money: dict[str, float],
    creators: pd.DataFrame,
    disclosure: dict[str, int],
    holdout: pd.Series | None,
) -> CampaignEvidence:
    """What `verdicts.campaign_verdict` reads, from the report's figures.

    spend_in_budget: full cost without staff (`metrics.CostBreakdown.without_staff`; the budget excludes
    staff: data dictionary, campaigns.budget). disclosure: counts
    sponsored, with_caption, undisclosed (late + weak + missing). holdout: the first row of
    `incrementality.naive_vs_incremental`, None without a test.
    """
    full = float(figures["full_cost"])
    currency = str(figures["currency"])
    inc = (
        {} if holdout is None else {k: float(holdout[k]) for k in ("iroas", "iroas_ci_low", "iroas_ci_high")}
    )
    return CampaignEvidence(
        objective=str(figures["objective"]),
        kpis=tuple(kpis),
        full_cost=full,
        cost_in_budget=float(spend_in_budget),
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
