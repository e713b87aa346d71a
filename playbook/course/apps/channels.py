"""Apps and tables for module 11 Traditional plus digital: the channel mix, and marketing, sales and customer
service working from one plan.

- `analytics.channels.channel_mix` / `ChannelMixApp`: split a budget across influencer, paid social, search,
  email and PR with the learner's own cost assumptions. Influencer defaults are measured on the sample; the
  registry's CPM bands and Meta's partnership-ads figures (``partnership_ads_*_meta_2022``) are shown beside
  them.
- `analytics.channels`: `customer_mix`, `campaign_customers`, `code_use_by_customer`: who buys through
  influencer work (new or returning customers), CPA next to CAC, and creator codes used by customers the brand
  already had.

Amounts are in each campaign's (brand's) currency; functions that compare campaigns keep a currency column
and never add amounts across currencies.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import altair as alt
import ipywidgets as widgets
import pandas as pd

from playbook.analytics.channels import (
    CHANNELS,
    PARTNERSHIP_CPA_ID,
    PARTNERSHIP_CTR_ID,
    ROUTES,
    _usd,
    channel_mix,
    influencer_cpm_reference,
    starting_channel_costs,
)
from playbook.analytics.kpis import campaign_kpis
from playbook.course.base import LABEL_STYLE
from playbook.course.base import show_chart as _show
from playbook.course.base import table_html as _table_html
from playbook.data.registry import benchmark

__all__ = [
    "ChannelMixApp",
    "channel_mix_chart",
    "customer_mix_chart",
]

Tables = Mapping[str, pd.DataFrame]


def _fmt(value: float, spec: str = ",.0f") -> str:
    """A number for the summary, or "n/a" when it is undefined."""
    return "n/a" if pd.isna(value) else format(value, spec)


# --------------------------------------------------------------------------- what influencer reach costs


# --------------------------------------------------------------------------- the channel mix


def channel_mix_chart(mix: pd.DataFrame) -> alt.HConcatChart:
    """Two bar panels per channel: budget and expected conversions (input: `channel_mix`; its total row is
    left out)."""
    data = mix[mix["channel"] != "total"]
    base = alt.Chart(data).encode(y=alt.Y("channel:N", title=None, sort=list(CHANNELS)))
    amount = base.mark_bar().encode(
        x=alt.X("amount:Q", title="Budget"), tooltip=["channel:N", alt.Tooltip("amount:Q", format=",.0f")]
    )
    conversions = base.mark_bar(color="#009E73").encode(
        x=alt.X("conversions:Q", title="Expected conversions (your assumptions)"),
        tooltip=["channel:N", alt.Tooltip("conversions:Q", format=",.0f")],
    )
    return alt.hconcat(
        amount.properties(title="Budget by channel", width=240),
        conversions.properties(title="Conversions by channel", width=240),
    )


class ChannelMixApp:
    """Channel-mix planner: budget, a weight, a CPM and a CPA per channel, and a partnership-ads switch.
    Costs start at `analytics.channels.starting_channel_costs` (influencer: the sample's medians; paid
    social and search: the registry's published averages); email and PR have no published figure and
    start with no budget until the learner types their own costs.

    Controls: `budget`, `weights[channel]`, `cpm[channel]`, `cpa[channel]`, `partnership_ads`. Results:
    `result` (`channel_mix`), `chart`, `summary` (HTML with the registry's view beside your assumptions).
    """

    def __init__(self, tables: Tables, kpis: pd.DataFrame | None = None, budget: int | None = None) -> None:
        kpis = campaign_kpis(tables) if kpis is None else kpis
        self.starting = starting_channel_costs(tables, kpis).set_index("channel")
        self.reference = influencer_cpm_reference(tables, kpis)
        if budget is None:
            budget = max(1_000, round(float(_usd(kpis)["full_cost"].sum()), -3))
        self.budget = widgets.IntSlider(
            value=int(budget),
            min=1_000,
            max=max(1_000_000, int(budget)),
            step=1_000,
            description="Budget (USD)",
            continuous_update=False,
            style=LABEL_STYLE,
            layout={"width": "520px"},
        )
        self.weights: dict[str, widgets.FloatSlider] = {}
        self.cpm: dict[str, widgets.BoundedFloatText] = {}
        self.cpa: dict[str, widgets.BoundedFloatText] = {}
        rows = [widgets.HTML("<b>Channel</b>"), widgets.HTML("<b>Weight</b>")]
        rows += [widgets.HTML("<b>CPM (USD)</b>"), widgets.HTML("<b>CPA (USD)</b>")]
        for channel in CHANNELS:
            cpm, cpa = self.starting.loc[channel, ["cpm", "cpa"]]
            known = not (pd.isna(cpm) or pd.isna(cpa))
            self.weights[channel] = widgets.FloatSlider(
                value=1.0 if known else 0.0, min=0.0, max=1.0, step=0.05, continuous_update=False
            )
            self.cpm[channel] = widgets.BoundedFloatText(value=round(cpm, 2) if known else 0, min=0, max=1e6)
            self.cpa[channel] = widgets.BoundedFloatText(value=round(cpa, 2) if known else 0, min=0, max=1e6)
            rows += [widgets.HTML(channel.replace("_", " ")), self.weights[channel]]
            rows += [self.cpm[channel], self.cpa[channel]]
        grid = widgets.GridBox(rows, layout=widgets.Layout(grid_template_columns="120px 260px 130px 130px"))
        self.partnership_ads = widgets.Checkbox(
            value=False,
            description="Run partnership ads alongside brand ads in paid social",
            style=LABEL_STYLE,
            indent=False,
        )
        controls = [self.budget, *self.weights.values(), *self.cpm.values(), *self.cpa.values()]
        for control in [*controls, self.partnership_ads]:
            control.observe(lambda _: self.update(), names="value")
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        self.widget = widgets.VBox([self.budget, grid, self.partnership_ads, self.summary, self.out])
        self.update()

    def update(self) -> None:
        """Recompute the mix, chart and summary from the controls."""
        self.result = channel_mix(
            float(self.budget.value),
            {c: w.value for c, w in self.weights.items()},
            {c: w.value for c, w in self.cpm.items()},
            {c: w.value for c, w in self.cpa.items()},
            self.partnership_ads.value,
        )
        total = self.result.iloc[-1]
        shown = self.result.copy()
        shown["share"] = shown["share"].map(lambda v: "n/a" if pd.isna(v) else f"{v:.0%}")
        ctr, cpa_change = benchmark(PARTNERSHIP_CTR_ID), benchmark(PARTNERSHIP_CPA_ID)
        self.summary.value = (
            f"<p><b>Blended CPA {_fmt(total['cpa'], ',.2f')} USD</b>, {_fmt(total['conversions'])} "
            f"conversions and {_fmt(total['impressions'])} impressions from {_fmt(total['amount'])} USD.</p>"
            + _table_html(shown)
            + "<p><b>Where the starting costs come from</b> (USD; email and PR start with no budget):</p>"
            + _table_html(self.starting.reset_index())
            + "<p><b>What the registry and the sample say about influencer CPM</b> (USD per 1,000 "
            "impressions):</p>"
            + _table_html(self.reference)
            + f"<p>Partnership ads alongside brand-handle ads: CTR x{ctr.value:g} and CPA "
            + f"x{cpa_change.value:g} vs brand-handle ads alone ({html.escape(ctr.source_name)}, "
            + f"{ctr.year}, grade {ctr.grade}).</p>"
        )
        self.chart = channel_mix_chart(self.result)
        _show(self.out, self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


# --------------------------------------------------------------------------- marketing + sales + service


def customer_mix_chart(mix: pd.DataFrame) -> alt.Chart:
    """Stacked bars: new vs returning orders per route (input: `customer_mix`)."""
    long = mix[["route", "new", "returning"]].melt(id_vars="route", var_name="customer", value_name="orders")
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                "orders:Q", stack="normalize", title="Share of the route's orders", axis=alt.Axis(format="%")
            ),
            y=alt.Y("route:N", title=None, sort=list(ROUTES.values())),
            color=alt.Color("customer:N", title="Customer"),
            tooltip=["route:N", "customer:N", "orders:Q"],
        )
        .properties(title="Who buys through influencer routes", width=420)
    )
