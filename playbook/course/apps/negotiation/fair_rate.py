"""Module 06 app: the fair-rate calculator, a creator's ask against the fair range of the fee model and the
published rate tables (`analytics.pricing`)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import altair as alt
import ipywidgets as widgets
import pandas as pd

import playbook.viz.charts as charts
from playbook.analytics.pricing import (
    FairRate,
    ask_position,
    band_text,
    contract_scenarios,
    fair_rate,
    rate_tables,
    usage_uplifts,
    width_reasons,
    width_sentence,
)
from playbook.course.base import LABEL_STYLE, WidgetApp
from playbook.course.base import show as render
from playbook.data.registry import DEFAULT_TIER_PRESET, cite
from playbook.data.schemas import PLATFORM_FORMATS

__all__ = ["FairRateApp", "fair_rate_chart"]

BLUE, ORANGE = charts.OKABE_ITO[4], charts.OKABE_ITO[0]


def fair_rate_chart(
    fair: FairRate, tables: pd.DataFrame, ask_per_deliverable: float | None = None
) -> alt.LayerChart:
    """Per-deliverable ranges on a log scale: the fair range and the widest range of the fee model (blue),
    each published rate table (grey, by benchmark id), and the ask (orange rule). Open-ended published rates
    ("10,000+") show their low end."""
    model_rows = [
        {
            "range": name,
            "low": band[0],
            "typical": band[1],
            "high": band[2],
            "kind": "fair model",
            "source": "; ".join(fair.benchmark_ids),
        }
        for name, band in (
            ("fair range (sources' typical CPMs)", fair.fair_per_deliverable),
            ("widest range (every extreme at once)", fair.per_deliverable),
        )
    ]
    published = tables.assign(
        range=tables["benchmark_id"],
        high=tables["high"].fillna(tables["low"]),
        typical=tables["typical"].fillna(tables["low"]),
        kind="published",
    )[["range", "low", "typical", "high", "kind", "source"]]
    data = pd.concat([pd.DataFrame(model_rows), published], ignore_index=True)
    y = alt.Y("range:N", title=None, sort=list(data["range"]), axis=alt.Axis(labelLimit=360))
    colour = alt.Color(
        "kind:N", scale=alt.Scale(domain=["fair model", "published"], range=[BLUE, "#999999"]), title=None
    )
    tooltip = ["range:N", "source:N", alt.Tooltip("low:Q", format=",.0f")]
    tooltip.append(alt.Tooltip("typical:Q", format=",.0f"))
    tooltip.append(alt.Tooltip("high:Q", format=",.0f"))
    x = alt.X("low:Q", title="USD per deliverable", scale=alt.Scale(type="log"))
    bars = (
        alt.Chart(data).mark_rule(strokeWidth=6).encode(x=x, x2="high:Q", y=y, color=colour, tooltip=tooltip)
    )
    ticks = alt.Chart(data).mark_tick(color="black", thickness=2).encode(x="typical:Q", y=y, tooltip=tooltip)
    layers: list[alt.Chart] = [bars, ticks]
    subtitle = "Bar: low to high; tick: typical"
    if ask_per_deliverable is not None and not math.isnan(ask_per_deliverable):
        ask = pd.DataFrame({"ask": [ask_per_deliverable]})
        layers.append(
            alt.Chart(ask)
            .mark_rule(color=ORANGE, strokeDash=[5, 3], strokeWidth=2)
            .encode(x="ask:Q", tooltip=["ask:Q"])
        )
        subtitle += "; dashed orange: the creator's ask"
    title = f"Fair rate for a {fair.tier} {fair.platform} {fair.format.replace('_', ' ')}"
    return alt.layer(*layers).properties(title=alt.TitleParams(title, subtitle=subtitle), height=alt.Step(28))


# --------------------------------------------------------------------------- fair-rate calculator app
class FairRateApp(WidgetApp):
    """Fair-rate calculator: pick a past deal (or set platform, followers, format, usage and deliverables by
    hand) and compare the creator's ask with the fair range and the published rate tables."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], preset: str = DEFAULT_TIER_PRESET) -> None:
        self.tables = tables
        self.preset = preset
        self.scenarios = contract_scenarios(tables, preset)
        usd = self.scenarios[self.scenarios["currency"] == "USD"].sort_values(
            "ask_vs_typical", ascending=False
        )
        options = [("(set by hand)", "")] + [
            (f"{r.contract_id} @{r.handle} ({r.platform}, {r.followers:,} followers)", r.contract_id)
            for r in usd.itertuples()
        ]
        self.deal = widgets.Dropdown(options=options, value="", description="Past deal", style=LABEL_STYLE)
        self.platform = widgets.Dropdown(
            options=["instagram", "tiktok", "youtube"],
            description="Platform",
            style=LABEL_STYLE,
        )
        self.followers = widgets.BoundedIntText(
            value=25_000,
            min=0,
            max=50_000_000,
            description="Followers",
            style=LABEL_STYLE,
        )
        self.format = widgets.Dropdown(
            options=list(PLATFORM_FORMATS["instagram"]),
            description="Format",
            style=LABEL_STYLE,
        )
        usage = sorted(set(usage_uplifts(tables["contracts"])) | {"none"})
        self.usage = widgets.Dropdown(options=usage, value="none", description="Usage", style=LABEL_STYLE)
        self.deliverables = widgets.BoundedIntText(
            value=1, min=1, max=20, description="Pieces", style=LABEL_STYLE
        )
        self.ask = widgets.BoundedFloatText(
            value=500.0,
            min=0,
            max=10_000_000,
            description="Ask (USD)",
            style=LABEL_STYLE,
        )
        self.summary = widgets.HTML()
        self.chart_out = widgets.Output()
        self._hold = 0
        self.deal.observe(lambda _: self._load_deal(), names="value")
        self.platform.observe(lambda _: self._formats(), names="value")
        for control in (self.followers, self.format, self.usage, self.deliverables, self.ask):
            control.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox(
            [
                self.deal,
                widgets.HBox([self.platform, self.followers, self.format]),
                widgets.HBox([self.usage, self.deliverables, self.ask]),
                self.summary,
                self.chart_out,
            ]
        )
        self.update()

    @contextmanager
    def _batch(self) -> Iterator[None]:
        """Change several controls with one recompute at the end instead of one per control."""
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1
        if not self._hold:
            self.update()

    def _formats(self) -> None:
        with self._batch():
            self.format.options = list(PLATFORM_FORMATS[self.platform.value])
            self.format.value = self.format.options[0]

    def _load_deal(self) -> None:
        if not self.deal.value:
            return
        row = self.scenarios.set_index("contract_id").loc[self.deal.value]
        with self._batch():
            self.platform.value = row["platform"]
            self.format.value = row["format"] if pd.notna(row["format"]) else self.format.options[0]
            self.followers.value = int(row["followers"])
            self.usage.value = row["usage_rights"]
            self.deliverables.value = int(row["deliverables"])
            self.ask.value = float(row["ask"])

    def update(self) -> None:
        """Recompute the fair range, the ask's position, the published rates and the chart."""
        if self._hold:
            return
        self.result = fair_rate(
            self.platform.value,
            int(self.followers.value),
            self.format.value,
            self.usage.value,
            int(self.deliverables.value),
            contracts=self.tables["contracts"],
            preset=self.preset,
        )
        f = self.result
        self.position, self.times_typical = ask_position(float(self.ask.value), f)
        self.rates = rate_tables(f.platform, f.followers, f.format)
        per_ask = float(self.ask.value) / f.deliverables
        self.chart = fair_rate_chart(f, self.rates, per_ask)
        times = "undefined" if math.isnan(self.times_typical) else f"{self.times_typical:.2f}x typical"
        factors = (
            f"CPM {f.cpm[0]:,.2f}-{f.cpm[2]:,.2f} USD; expected views {f.views[0]:,.0f}-{f.views[2]:,.0f} "
            f"(reach rate {f.reach_rate[0]:.0%}-{f.reach_rate[2]:.0%}); format uplift "
            f"x{f.format_uplift[0]:.2f}-{f.format_uplift[2]:.2f}; usage uplift x{f.usage_uplift:.2f} "
            f"({html.escape(f.usage_source)})"
        )
        sources = "; ".join(f"{i}: {html.escape(cite(i))}" for i in f.benchmark_ids)
        self.widths = width_reasons(f)
        self.summary.value = (
            f"<p>Fair fee for {f.deliverables} piece(s): <b>{band_text(f.fair_total)}</b> "
            f"(low - typical - high; widest range {band_text(f.total)}). "
            f"The ask of {self.ask.value:,.0f} USD is "
            f"<b>{self.position}</b> ({times}).</p>"
            f"<p><b>Why this wide:</b> {html.escape(width_sentence(f))}</p>"
            f"<p>{factors}. Tier: {html.escape(f.tier)} ({html.escape(self.preset)}).</p>"
            f"<p style='font-size:smaller'>Sources: {sources}</p>"
        )
        render(self.chart_out, self.chart)
