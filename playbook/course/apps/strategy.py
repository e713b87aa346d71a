"""Apps and tables for module 02 Strategy: business goals -> objectives -> KPIs, budget allocation, and how
influencer work fits with paid ads and PR.

- The KPI tree by objective follows industry-facts section 7 item 14: awareness (reach, CPM, view rate),
  consideration (ER by reach, CTR, CPE), conversion (CPA, ROAS, iROAS). `analytics.kpis.campaign_kpis`
  computes all nine for every sample campaign; `KpiPickerApp` goes from a business goal to its objective, KPIs
  and values.
- `BudgetAllocatorApp` drives `analytics.planning.allocate_budget` / `expected_results` (benchmark ranges).
- `analytics.returns.emv_rate_cards_vs_roas` sets EMV per unit of cost beside ROAS: EMV is a relative index,
  never a return (`playbook.analytics.emv`); `analytics.channels.amplification_table` shows how much of each
  campaign went to partnership ads.

Cost KPIs use the full cost (`analytics.metrics.campaign_cost`: fees, product, shipping, agency fees, paid
amplification and staff time) in the campaign's currency, so campaigns in different currencies are compared
only by ratios that do not mix them.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import altair as alt
import ipywidgets as widgets
import pandas as pd

from playbook.analytics.kpis import KPI_TREE, Kpi, campaign_kpis, kpi_tree
from playbook.analytics.planning import OBJECTIVES, allocate_budget, expected_results
from playbook.course.base import LABEL_STYLE
from playbook.course.base import show_chart as _show
from playbook.course.base import table_html as _table_html
from playbook.data.registry import DEFAULT_TIER_PRESET, load_tier_presets
from playbook.data.schemas import PLATFORMS

__all__ = [
    "GOALS",
    "BudgetAllocatorApp",
    "KpiPickerApp",
    "emv_rate_cards_chart",
]

Tables = Mapping[str, pd.DataFrame]


# --------------------------------------------------------------------------- goals -> objectives -> KPIs
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
        self.goal = widgets.Dropdown(options=list(GOALS), description="Business goal", style=LABEL_STYLE)
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
        style = LABEL_STYLE
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
        self.objective = widgets.ToggleButtons(
            options=OBJECTIVES,
            value=objective,
            description="Objective",
            style=LABEL_STYLE,
        )
        self.platforms = widgets.SelectMultiple(
            options=PLATFORMS,
            value=PLATFORMS,
            description="Platforms",
            style=LABEL_STYLE,
        )
        presets = tuple(load_tier_presets()["preset"].unique())
        self.preset = widgets.Dropdown(
            options=presets,
            value=DEFAULT_TIER_PRESET,
            description="Tier preset",
            style=LABEL_STYLE,
        )
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


def emv_rate_cards_chart(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars per campaign: EMV per unit of cost (one bar per CPM source) vs ROAS (input:
    `emv_rate_cards_vs_roas`)."""
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
