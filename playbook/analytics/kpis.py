"""The KPI specification: for each objective, its KPIs with formula, unit and direction, and the values of
every KPI for every campaign.

The tree by objective follows industry-facts section 7 item 14: awareness (reach, CPM, view rate),
consideration (ER by reach, CTR, CPE), conversion (CPA, ROAS, iROAS); formulas of sections 1.1, 1.3, 1.4
and 1.6. Cost KPIs use the full cost (`metrics.campaign_cost`) in the campaign's currency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from playbook.analytics.attribution import campaign_attribution
from playbook.analytics.incrementality import naive_vs_incremental
from playbook.analytics.metrics import INTERACTIONS_ALL, campaign_cost, cpa, cpe, cpm, roas
from playbook.analytics.undefined import Undefined, known_sum, ratio, reason
from playbook.data.schemas import VIDEO_FORMATS

__all__ = ["KPI_TREE", "OBJECTIVE_KPIS", "Kpi", "campaign_kpis", "kpi_tree"]

Tables = Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class Kpi:
    """One KPI of the tree: its column in `campaign_kpis`, formula, unit and whether higher is better."""

    column: str
    label: str
    formula: str
    unit: str
    higher_is_better: bool


KPI_TREE: Mapping[str, tuple[Kpi, ...]] = {
    "awareness": (
        Kpi("reach", "Reach", "sum of post reach (unique accounts per post)", "accounts", True),
        Kpi("cpm", "CPM", "full cost / impressions x 1000", "currency per 1,000 impressions", False),
        Kpi("view_rate", "View rate", "video views / impressions of video posts", "share", True),
    ),
    "consideration": (
        Kpi("er_by_reach", "ER by reach", "(likes + comments + shares + saves) / reach", "share", True),
        Kpi("ctr", "CTR", "link clicks / impressions", "share", True),
        Kpi("cpe", "CPE", "full cost / engagements", "currency per engagement", False),
    ),
    "conversion": (
        Kpi("cpa", "CPA", "full cost / attributed orders (creator code, else last click)", "currency", False),
        Kpi("roas", "ROAS", "attributed revenue / full cost", "multiple", True),
        Kpi("iroas", "iROAS", "incremental revenue from a geo holdout / full cost", "multiple", True),
    ),
}
"""The KPI tree by objective (industry-facts section 7 item 14; formulas of sections 1.1, 1.3, 1.4, 1.6)."""


def kpi_tree() -> pd.DataFrame:
    """The KPI tree as a table: objective, kpi, formula, unit, higher_is_better."""
    rows = [
        {
            "objective": objective,
            "kpi": k.label,
            "formula": k.formula,
            "unit": k.unit,
            "higher_is_better": k.higher_is_better,
        }
        for objective, kpis in KPI_TREE.items()
        for k in kpis
    ]
    return pd.DataFrame(rows)


def _iroas(tables: Tables, campaign_id: str) -> float:
    """iROAS of the campaign's first geo holdout (`naive_vs_incremental`), Undefined when it has none."""
    found = naive_vs_incremental(tables, campaign_id)
    value = found["iroas"].iloc[0]
    if pd.isna(value):
        return Undefined(str(found["note"].iloc[0]))
    return float(value)


def _campaign_row(tables: Tables, campaign: pd.Series) -> dict[str, object]:
    cid = str(campaign["campaign_id"])
    posts = tables["posts"][tables["posts"]["campaign_id"] == cid]
    video = posts[posts["format"].isin(VIDEO_FORMATS)]
    cost = campaign_cost(tables, cid).total
    credited = campaign_attribution(tables, cid)
    engagements = known_sum(posts[list(INTERACTIONS_ALL)], "engagements")
    impressions, orders = known_sum(posts["impressions"], "impressions"), float(credited["orders"].sum())
    revenue = float(credited["revenue"].sum())
    reach = known_sum(posts["reach"], "reach")
    values = {
        "reach": reach,
        "cpm": cpm(cost, impressions),
        "view_rate": ratio(
            known_sum(video["views"], "video views"),
            known_sum(video["impressions"], "video impressions"),
            "view rate",
        ),
        "er_by_reach": ratio(engagements, reach, "ER by reach"),
        "ctr": ratio(known_sum(posts["link_clicks"], "link clicks"), impressions, "CTR"),
        "cpe": cpe(cost, engagements),
        "cpa": cpa(cost, orders),
        "roas": roas(revenue, cost),
        "iroas": _iroas(tables, cid),
    }
    notes = [reason(v) for v in values.values() if reason(v)]
    return {
        "campaign_id": cid,
        "name": str(campaign["name"]),
        "objective": str(campaign["objective"]),
        "currency": str(campaign["currency"]),
        "full_cost": cost,
        "impressions": impressions,
        "engagements": engagements,
        "attributed_orders": orders,
        "attributed_revenue": revenue,
        **{k: float(v) for k, v in values.items()},
        "note": "; ".join(notes),
    }


def campaign_kpis(tables: Tables) -> pd.DataFrame:
    """All nine KPIs of the tree for every campaign, whatever its objective, with `note` for undefined ones.

    Formulas: see `KPI_TREE`. Full cost from `metrics.campaign_cost`; attributed orders and revenue from
    `attribution.campaign_attribution` (creator code beats link, the campaign's window); iROAS from
    `incrementality.naive_vs_incremental` (only campaigns with a geo holdout). Amounts in campaign currency.
    """
    rows = [_campaign_row(tables, c) for _, c in tables["campaigns"].iterrows()]
    return pd.DataFrame(rows)


OBJECTIVE_KPIS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "awareness": ("reach", "CPM", "view rate"),
        "consideration": ("ER by reach", "CTR", "CPE"),
        "conversion": ("CPA", "ROAS", "iROAS"),
    }
)
"""The scorecard's spelling of each objective's KPIs (module 08, the capstone)."""
