"""Apps and tables for module 02 Strategy: business goals -> objectives -> KPIs, budget allocation, and how
influencer work fits with paid ads and PR.

- The KPI tree by objective follows industry-facts section 7 item 14: awareness (reach, CPM, view rate),
  consideration (ER by reach, CTR, CPE), conversion (CPA, ROAS, iROAS). `campaign_kpis` computes all nine
  for every sample campaign; `KpiPickerApp` goes from a business goal to its objective, KPIs and values.
- `BudgetAllocatorApp` drives `analytics.planning.allocate_budget` / `expected_results` (benchmark ranges).
- `emv_vs_roas` sets EMV per unit of cost beside ROAS: EMV is a relative index, never a return
  (`playbook.analytics.emv`); `amplification_table` shows how much of each campaign went to partnership ads.

Cost KPIs use the full cost (`analytics.metrics.campaign_cost`: fees, product, shipping, agency fees, paid
amplification and staff time) in the campaign's currency, so campaigns in different currencies are compared
only by ratios that do not mix them.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import ipywidgets as widgets
import pandas as pd

from playbook.analytics.attribution import campaign_attribution
from playbook.analytics.emv import emv_impressions, platform_cpm
from playbook.analytics.incrementality import naive_vs_incremental
from playbook.analytics.metrics import INTERACTIONS_ALL, campaign_cost
from playbook.analytics.planning import OBJECTIVES, allocate_budget, expected_results
from playbook.analytics.undefined import Undefined, ratio, reason
from playbook.course.base import show_chart as _show
from playbook.course.base import table_html as _table_html
from playbook.data.registry import DEFAULT_TIER_PRESET, load_tier_presets
from playbook.data.schemas import PLATFORMS, VIDEO_FORMATS

__all__ = [
    "EMV_SOURCES",
    "GOALS",
    "KPI_TREE",
    "BudgetAllocatorApp",
    "Kpi",
    "KpiPickerApp",
    "amplification_table",
    "campaign_kpis",
    "emv_vs_roas",
    "emv_vs_roas_chart",
    "kpi_tree",
]

Tables = Mapping[str, pd.DataFrame]


# --------------------------------------------------------------------------- goals -> objectives -> KPIs
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

GOALS: Mapping[str, tuple[str, str]] = {
    "Launch a new product": ("awareness", "people must first know it exists: buy attention at a good price"),
    "Enter a new market": ("awareness", "a new audience has never heard of the brand: reach it efficiently"),
    "Build trust before a considered purchase": (
        "consideration",
        "buyers research first: creators' audiences must engage and click to learn more",
    ),
    "Drive traffic to the site or app": ("consideration", "the job is qualified visits: clicks per cost"),
    "Grow online sales": ("conversion", "sales are the goal: count orders and revenue against full cost"),
    "Win new customers at a target cost": (
        "conversion",
        "acquisition at a cost the business can afford: CPA, and proof the sales are incremental",
    ),
}
"""Our mapping of common business goals to a funnel objective, with the reason (a teaching choice)."""


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
    engagements = float(posts[list(INTERACTIONS_ALL)].to_numpy().sum())
    impressions, orders = float(posts["impressions"].sum()), float(credited["orders"].sum())
    revenue = float(credited["revenue"].sum())
    values = {
        "reach": float(posts["reach"].sum()),
        "cpm": ratio(cost * 1000, impressions, "CPM"),
        "view_rate": ratio(float(video["views"].sum()), float(video["impressions"].sum()), "view rate"),
        "er_by_reach": ratio(engagements, float(posts["reach"].sum()), "ER by reach"),
        "ctr": ratio(float(posts["link_clicks"].sum()), impressions, "CTR"),
        "cpe": ratio(cost, engagements, "CPE"),
        "cpa": ratio(cost, orders, "CPA"),
        "roas": ratio(revenue, cost, "ROAS"),
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


def _kpi_chart(values: pd.DataFrame, kpis: tuple[Kpi, ...]) -> alt.FacetChart:
    data = values.assign(campaign=values["campaign_id"] + " (" + values["currency"] + ")")
    long = data.melt(id_vars="campaign", value_vars=[k.column for k in kpis], var_name="kpi")
    labels = {k.column: f"{k.label} ({'higher' if k.higher_is_better else 'lower'} is better)" for k in kpis}
    long["kpi"] = long["kpi"].map(labels)
    bars = (
        alt.Chart(long.dropna(subset=["value"]))
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=None),
            y=alt.Y("campaign:N", title=None),
            tooltip=["campaign:N", "kpi:N", alt.Tooltip("value:Q", format=",.4g")],
        )
        .properties(width=190)
    )
    return bars.facet(column=alt.Column("kpi:N", title=None)).resolve_scale(x="independent")


class KpiPickerApp:
    """From a business goal to its objective and KPIs, with the KPI values of the sample campaigns that share
    that objective. Control: `goal` (Dropdown of `GOALS`). Results: `objective`, `kpis` (the tree rows),
    `result` (campaign x KPI values), `chart`, `summary` (HTML)."""

    def __init__(self, tables: Tables, kpis: pd.DataFrame | None = None) -> None:
        self.all_kpis = campaign_kpis(tables) if kpis is None else kpis
        self.goal = widgets.Dropdown(
            options=list(GOALS), description="Business goal", style={"description_width": "initial"}
        )
        self.goal.layout = widgets.Layout(width="480px")
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        self.goal.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([self.goal, self.summary, self.out])
        self.update()

    def update(self) -> None:
        """Refresh objective, KPIs, campaign values, chart and summary for the chosen goal."""
        self.objective, why = GOALS[self.goal.value]
        tree = kpi_tree()
        self.kpis = tree[tree["objective"] == self.objective].reset_index(drop=True)
        chosen = KPI_TREE[self.objective]
        columns = ["campaign_id", "name", "currency", *[k.column for k in chosen], "note"]
        mine = self.all_kpis[self.all_kpis["objective"] == self.objective]
        self.result = mine[columns].reset_index(drop=True)
        shown = self.result.rename(columns={k.column: k.label for k in chosen})
        self.summary.value = (
            f"<p><b>Objective: {html.escape(self.objective)}</b> ({html.escape(why)}).</p>"
            + _table_html(self.kpis[["kpi", "formula", "unit", "higher_is_better"]])
            + f"<p><b>{len(self.result)} sample campaign(s) with this objective</b> "
            "(amounts in each campaign's currency):</p>" + _table_html(shown)
        )
        self.chart = _kpi_chart(self.result, chosen)
        _show(self.out, self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


# --------------------------------------------------------------------------- budget allocation
def _allocation_chart(allocation: pd.DataFrame, expected: pd.DataFrame) -> alt.HConcatChart:
    amounts = (
        alt.Chart(allocation[["platform", "tier", "amount"]])
        .mark_bar()
        .encode(
            x=alt.X("amount:Q", title="Budget (USD)"),
            y=alt.Y("platform:N", title=None),
            color=alt.Color("tier:N", sort=list(allocation["tier"].unique()), title="Tier"),
            tooltip=["platform:N", "tier:N", alt.Tooltip("amount:Q", format=",.0f")],
        )
        .properties(title="Where the budget goes", width=300)
    )
    results = expected.loc[["impressions", "engagements", "clicks", "conversions"]].reset_index()
    base = alt.Chart(results).encode(y=alt.Y("metric:N", title=None, sort=None))
    span = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("low:Q", title="Expected results, low to high (log scale)", scale=alt.Scale(type="log")),
        x2="high:Q",
        tooltip=[
            "metric:N",
            alt.Tooltip("low:Q", format=",.0f"),
            alt.Tooltip("typical:Q", format=",.0f"),
            alt.Tooltip("high:Q", format=",.0f"),
        ],
    )
    dot = base.mark_point(filled=True, size=80, color="black").encode(x="typical:Q")
    ranges = alt.layer(span, dot).properties(title="Expected results (dot = typical)", width=300)
    return alt.hconcat(amounts, ranges)


class BudgetAllocatorApp:
    """Budget allocator over `planning.allocate_budget` and `planning.expected_results`.

    Controls: `budget` (USD slider), `objective`, `platforms` (SelectMultiple) and `preset` (tier preset).
    Results: `allocation` (platform x tier cells), `expected` (totals and cost per result, low / typical /
    high), `chart` and `summary` (HTML). With no platform selected the results are empty and the summary
    says why.
    """

    def __init__(self, budget: int = 20_000, objective: str = "awareness") -> None:
        style = {"description_width": "initial"}
        self.budget = widgets.IntSlider(
            value=budget,
            min=1_000,
            max=500_000,
            step=1_000,
            description="Budget (USD)",
            continuous_update=False,
            style=style,
            layout={"width": "520px"},
        )
        self.objective = widgets.ToggleButtons(options=OBJECTIVES, value=objective, description="Objective")
        self.platforms = widgets.SelectMultiple(options=PLATFORMS, value=PLATFORMS, description="Platforms")
        presets = tuple(load_tier_presets()["preset"].unique())
        self.preset = widgets.Dropdown(options=presets, value=DEFAULT_TIER_PRESET, description="Tier preset")
        for control in (self.budget, self.objective, self.platforms, self.preset):
            control.observe(lambda _: self.update(), names="value")
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        controls = widgets.VBox([self.budget, self.objective, widgets.HBox([self.platforms, self.preset])])
        self.widget = widgets.VBox([controls, self.summary, self.out])
        self.update()

    def update(self) -> None:
        """Re-run the allocation for the controls and refresh the tables, chart and summary."""
        if not self.platforms.value:
            self.allocation, self.expected, self.chart = pd.DataFrame(), pd.DataFrame(), None
            self.summary.value = "<p style='color:#c62828'>Pick at least one platform.</p>"
            self.out.outputs = ()
            return
        self.allocation = allocate_budget(
            float(self.budget.value), self.objective.value, list(self.platforms.value), self.preset.value
        )
        self.expected = expected_results(self.allocation)
        cells = self.allocation[["platform", "tier", "share", "amount", "impressions_typical"]].copy()
        cells["share"] = cells["share"].map("{:.1%}".format)
        self.summary.value = (
            f"<p><b>{self.budget.value:,} USD</b> for <b>{html.escape(self.objective.value)}</b> on "
            f"{html.escape(', '.join(self.platforms.value))} (tiers: {html.escape(self.preset.value)}).</p>"
            + _table_html(cells)
            + "<p><b>Expected totals and cost per result</b> (all cells at their low, typical or high end "
            "together: the widest honest range, not a confidence interval)</p>"
            + _table_html(self.expected.drop(columns="budget").reset_index())
        )
        self.chart = _allocation_chart(self.allocation, self.expected)
        _show(self.out, self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


# --------------------------------------------------------------------------- paid ads, PR and EMV
EMV_SOURCES: tuple[str, ...] = ("wordontheblock_2023", "inzpire")
"""Two CPM rate cards of the registry (``cpm_<platform>_<source>``), far apart, to show how EMV moves."""


def emv_vs_roas(
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


def emv_vs_roas_chart(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars per campaign: EMV per unit of cost (one bar per CPM source) vs ROAS (input:
    `emv_vs_roas`)."""
    measures = [c for c in frame.columns if c.startswith("emv_per_cost_")] + ["roas"]
    long = frame.melt(id_vars="campaign_id", value_vars=measures, var_name="measure")
    names = {c: f"EMV / cost, {c.removeprefix('emv_per_cost_')} CPMs" for c in measures}
    long["measure"] = long["measure"].map(names | {"roas": "ROAS = attributed revenue / full cost"})
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title="Per unit of full cost"),
            y=alt.Y("campaign_id:N", title=None),
            yOffset="measure:N",
            color=alt.Color(
                "measure:N",
                title=None,
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
            ),
            tooltip=["campaign_id:N", "measure:N", alt.Tooltip("value:Q", format=".2f")],
        )
        .properties(title="EMV moves with the rate card; ROAS does not", width=420)
    )


def amplification_table(tables: Tables, kpis: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per campaign: paid amplification (partnership ads) spend, its share of full cost, CTR and CPA.

    share = campaigns.paid_amplification / full cost. Descriptive only: the campaigns differ in much more
    than amplification, so this does not measure its effect (use a split test for that).
    """
    kpis = campaign_kpis(tables) if kpis is None else kpis
    paid = tables["campaigns"].set_index("campaign_id")["paid_amplification"]
    out = kpis[["campaign_id", "objective", "currency", "full_cost", "ctr", "cpa"]].copy()
    out.insert(4, "paid_amplification", out["campaign_id"].map(paid))
    out.insert(5, "amplification_share", ratio(out["paid_amplification"], out["full_cost"], "share"))
    return out.sort_values("amplification_share", ascending=False, ignore_index=True)
