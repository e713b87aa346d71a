"""The KPI specification: every campaign KPI with its key, label, formula, unit, direction and the campaign's
target field, the tree of KPIs by objective, and the one computation of a campaign's KPIs.

The tree by objective follows industry-facts section 7 item 14: awareness (reach, CPM, view rate),
consideration (ER by reach, CTR, CPE), conversion (CPA, ROAS, iROAS); formulas of sections 1.1, 1.3, 1.4
and 1.6. Three volume KPIs with a campaign target (impressions, link clicks, attributed orders) sit outside
the tree. Cost KPIs use the full cost (`metrics.campaign_cost`) in the campaign's currency.

Every consumer reads this module: the course apps (strategy, measurement, channels), `playbook summary`
(`analytics.summary`) and the campaign report (`reports.sections`). `creator_scorecard` scores each creator
of a campaign on the objective's primary KPI against the campaign's target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from playbook.analytics import attribution, metrics
from playbook.analytics.attribution import campaign_attribution
from playbook.analytics.incrementality import naive_vs_incremental
from playbook.analytics.metrics import INTERACTIONS_ALL, campaign_cost, cpa, cpe, cpm, ctr, roas, view_rate
from playbook.analytics.undefined import Undefined, known_sum, ratio, reason, reasons
from playbook.data.schemas import VIDEO_FORMATS

__all__ = [
    "KPIS",
    "KPI_TREE",
    "OBJECTIVE_KPIS",
    "RENEGOTIATE_FLOOR",
    "Kpi",
    "campaign_kpi_table",
    "campaign_kpi_values",
    "campaign_kpis",
    "campaign_posts",
    "campaign_row",
    "campaign_totals",
    "creator_scorecard",
    "holdout_iroas",
    "kpi_tree",
    "kpi_values",
    "targets_met",
]

Tables = Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class Kpi:
    """One campaign KPI: `key` (its column in `campaign_kpis`, its key everywhere), label, formula, unit
    (``{cur}``: the campaign's currency), whether higher is better, the `campaigns` column holding its target
    (None: campaigns set none) and `kind`, the display format (count, price, rate, ratio)."""

    key: str
    label: str
    formula: str
    unit: str
    higher_is_better: bool
    target: str | None
    kind: str

    @property
    def column(self) -> str:
        """The column of `campaign_kpis` holding this KPI (its key)."""
        return self.key

    def unit_in(self, currency: str) -> str:
        """The unit with the campaign's currency filled in."""
        return self.unit.format(cur=currency)


_ENGAGEMENTS = "(likes + comments + shares + saves)"
KPIS: Mapping[str, Kpi] = MappingProxyType(
    {
        k.key: k
        for k in (
            Kpi(
                "reach",
                "Reach",
                "sum of the reach of the campaign's posts (a person reached by two posts counts twice: not "
                "unique accounts)",
                "post reach, summed",
                True,
                "target_reach",
                "count",
            ),
            Kpi(
                "impressions",
                "Impressions",
                "sum of the impressions of the campaign's posts",
                "impressions",
                True,
                None,
                "count",
            ),
            Kpi(
                "cpm",
                "CPM",
                "full cost / impressions x 1,000",
                "{cur} per 1,000 impressions",
                False,
                None,
                "price",
            ),
            Kpi(
                "view_rate",
                "View rate",
                "video views / impressions of video posts",
                "fraction",
                True,
                None,
                "rate",
            ),
            Kpi(
                "er_by_reach",
                "ER by reach",
                f"sum of {_ENGAGEMENTS} / sum of reach, over all posts",
                "fraction",
                True,
                "target_engagement_rate",
                "rate",
            ),
            Kpi(
                "link_clicks",
                "Link clicks",
                "sum of the link clicks of the campaign's posts",
                "clicks",
                True,
                "target_clicks",
                "count",
            ),
            Kpi("ctr", "CTR", "link clicks / impressions", "fraction", True, None, "rate"),
            Kpi("cpe", "CPE", f"full cost / {_ENGAGEMENTS}", "{cur} per engagement", False, None, "price"),
            Kpi(
                "attributed_orders",
                "Attributed orders",
                "orders credited to the campaign (creator code, else last click in the window)",
                "orders",
                True,
                "target_conversions",
                "count",
            ),
            Kpi("cpa", "CPA", "full cost / attributed orders", "{cur} per order", False, None, "price"),
            Kpi("roas", "ROAS", "attributed revenue / full cost", "multiplier", True, "target_roas", "ratio"),
            Kpi(
                "iroas",
                "iROAS",
                "incremental revenue of the geo holdout / full cost",
                "multiplier",
                True,
                None,
                "ratio",
            ),
        )
    }
)
"""Every campaign KPI by key (formulas: industry-facts sections 1.1, 1.3, 1.4, 1.6)."""

KPI_TREE: Mapping[str, tuple[Kpi, ...]] = MappingProxyType(
    {
        "awareness": (KPIS["reach"], KPIS["cpm"], KPIS["view_rate"]),
        "consideration": (KPIS["er_by_reach"], KPIS["ctr"], KPIS["cpe"]),
        "conversion": (KPIS["cpa"], KPIS["roas"], KPIS["iroas"]),
    }
)
"""The KPI tree by objective (industry-facts section 7 item 14)."""

OBJECTIVE_KPIS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "awareness": ("reach", "CPM", "view rate"),
        "consideration": ("ER by reach", "CTR", "CPE"),
        "conversion": ("CPA", "ROAS", "iROAS"),
    }
)
"""The capstone's KPI picker labels of `KPI_TREE` (same KPIs, same order; tests/test_kpis.py checks)."""


def kpi_tree() -> pd.DataFrame:
    """The KPI tree as a table: objective, key, kpi (label), formula, unit, higher_is_better, target."""
    rows = [
        {
            "objective": objective,
            "key": k.key,
            "kpi": k.label,
            "formula": k.formula,
            "unit": k.unit_in("currency"),
            "higher_is_better": k.higher_is_better,
            "target": k.target,
        }
        for objective, kpis in KPI_TREE.items()
        for k in kpis
    ]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the one computation
def campaign_totals(
    tables: Tables,
    campaign_id: str,
    window_days: float | None = None,
    *,
    credited: pd.DataFrame | None = None,
) -> dict[str, float]:
    """The sums every campaign KPI divides: posts, reach, impressions, engagements (likes + comments + shares
    + saves), link clicks, video views and video impressions (video formats only) over the campaign's posts
    (`undefined.known_sum`: a sum with an unknown part is unknown, with the reason);
    full cost (`metrics.campaign_cost`); attributed orders and revenue (`attribution.campaign_attribution`,
    the campaign's window unless `window_days`; pass `credited` when you already have it)."""
    posts = tables["posts"][tables["posts"]["campaign_id"] == campaign_id]
    video = posts[posts["format"].isin(VIDEO_FORMATS)]
    if credited is None:
        credited = campaign_attribution(tables, campaign_id, window_days)
    return {
        "posts": float(len(posts)),
        "reach": known_sum(posts["reach"], "reach"),
        "impressions": known_sum(posts["impressions"], "impressions"),
        "engagements": known_sum(posts[list(INTERACTIONS_ALL)], "engagements"),
        "link_clicks": known_sum(posts["link_clicks"], "link clicks"),
        "video_views": known_sum(video["views"], "video views"),
        "video_impressions": known_sum(video["impressions"], "video impressions"),
        "full_cost": campaign_cost(tables, campaign_id).total,
        "attributed_orders": float(credited["orders"].sum()),
        "attributed_revenue": float(credited["revenue"].sum()),
    }


def kpi_values(totals: Mapping[str, float]) -> dict[str, float]:
    """Every KPI of `KPIS` but iROAS from `campaign_totals` (formulas in `KPIS`; undefined with a reason
    when a denominator is 0)."""
    t = totals
    cost = t["full_cost"]
    return {
        "reach": t["reach"],
        "impressions": t["impressions"],
        "cpm": cpm(cost, t["impressions"]),
        "view_rate": view_rate(t["video_views"], t["video_impressions"]),
        "er_by_reach": ratio(t["engagements"], t["reach"], "ER by reach"),
        "link_clicks": t["link_clicks"],
        "ctr": ctr(t["link_clicks"], t["impressions"]),
        "cpe": cpe(cost, t["engagements"]),
        "attributed_orders": t["attributed_orders"],
        "cpa": cpa(cost, t["attributed_orders"]),
        "roas": roas(t["attributed_revenue"], cost),
    }


def holdout_iroas(
    tables: Tables,
    campaign_id: str,
    holdouts: pd.DataFrame | None = None,
    *,
    n_boot: int = 2000,
    seed: int = 0,
) -> float:
    """iROAS of the campaign's first geo holdout (`incrementality.naive_vs_incremental`; pass its result as
    `holdouts` when you already have it), undefined with the reason without a holdout or a usable one."""
    if not (tables["experiments"]["campaign_id"] == campaign_id).any():
        return Undefined(f"iROAS: no holdout experiment for {campaign_id}")
    if holdouts is None:
        holdouts = naive_vs_incremental(tables, campaign_id, n_boot=n_boot, seed=seed)
    value = holdouts["iroas"].iloc[0]
    return Undefined(str(holdouts["note"].iloc[0])) if pd.isna(value) else float(value)


def campaign_kpi_values(
    tables: Tables, campaign_id: str, window_days: float | None = None, *, n_boot: int = 2000, seed: int = 0
) -> dict[str, float]:
    """`campaign_totals` and every KPI of `KPIS` (iROAS from `holdout_iroas`) for one campaign."""
    totals = campaign_totals(tables, campaign_id, window_days)
    return (
        totals | kpi_values(totals) | {"iroas": holdout_iroas(tables, campaign_id, n_boot=n_boot, seed=seed)}
    )


def campaign_kpis(tables: Tables) -> pd.DataFrame:
    """The nine KPIs of the tree for every campaign, whatever its objective, with `note` for undefined ones.

    Columns: campaign_id, name, objective, currency, full_cost, impressions, engagements, attributed_orders,
    attributed_revenue, the tree's KPI keys, note. Values from `campaign_kpi_values`; amounts in the
    campaign's currency.
    """
    tree = [k.key for kpis in KPI_TREE.values() for k in kpis]
    rows = []
    for c in tables["campaigns"].itertuples(index=False):
        values = campaign_kpi_values(tables, str(c.campaign_id))
        notes = [why for k in tree if (why := reason(values[k]))]
        base = {"campaign_id": str(c.campaign_id), "name": str(c.name), "objective": str(c.objective)}
        totals = ("full_cost", "impressions", "engagements", "attributed_orders", "attributed_revenue")
        rows.append(
            base
            | {"currency": str(c.currency)}
            | {k: values[k] for k in totals}
            | {k: float(values[k]) for k in tree}
            | {"note": "; ".join(notes)}
        )
    return pd.DataFrame(rows)


def campaign_kpi_table(
    tables: Tables, campaign_id: str, window_days: float | None = None, *, n_boot: int = 1000, seed: int = 0
) -> pd.DataFrame:
    """Every KPI of `KPIS` for one campaign with its target, the campaign objective's KPIs first.

    Columns: kpi (key), label, objective_kpi (bool: in the objective's `KPI_TREE` branch), actual, target
    (NaN where `campaigns` sets none), unit, higher_is_better, formula, reason (why actual is undefined).
    Values from `campaign_kpi_values` (attribution window: the campaign's own unless `window_days`; iROAS
    with `n_boot` bootstrap resamples). Reach is summed over posts, so an account reached twice counts twice.
    `attrs`: campaign_id, objective, currency.
    """
    c = campaign_row(tables, campaign_id)
    values = campaign_kpi_values(tables, campaign_id, window_days, n_boot=n_boot, seed=seed)
    objective, currency = str(c["objective"]), str(c["currency"])
    tree = {k.key for k in KPI_TREE[objective]}
    rows = [
        {
            "kpi": k.key,
            "label": k.label,
            "objective_kpi": k.key in tree,
            "actual": float(values[k.key]),
            "target": float(c[k.target]) if k.target else np.nan,
            "unit": k.unit_in(currency),
            "higher_is_better": k.higher_is_better,
            "formula": k.formula,
            "reason": reason(values[k.key]),
        }
        for k in KPIS.values()
    ]
    out = pd.DataFrame(rows)
    out.attrs = {"campaign_id": campaign_id, "objective": objective, "currency": currency}
    return out.sort_values("objective_kpi", ascending=False, kind="stable").reset_index(drop=True)


def targets_met(kpis: pd.DataFrame) -> pd.Series:
    """Per KPI of `campaign_kpi_table` with an actual and a target: met (actual >= target, or actual <=
    target where lower is better), indexed by label."""
    rows = kpis.dropna(subset=["actual", "target"])
    met = np.where(
        rows["higher_is_better"], rows["actual"] >= rows["target"], rows["actual"] <= rows["target"]
    )
    return pd.Series(met, index=rows["label"].to_numpy())


RENEGOTIATE_FLOOR = 0.5  # our choice: at least half of the target is "renegotiate", below it "drop"


def campaign_row(tables: Tables, campaign_id: str) -> pd.Series:
    campaigns = tables["campaigns"].set_index("campaign_id")
    if campaign_id not in campaigns.index:
        raise ValueError(f"unknown campaign_id {campaign_id!r}; known: {', '.join(sorted(campaigns.index))}")
    return campaigns.loc[campaign_id]


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
    c = campaign_row(tables, campaign_id)
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
