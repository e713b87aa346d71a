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

import altair as alt
import ipywidgets as widgets
import pandas as pd

from playbook.analytics import attribution, metrics
from playbook.analytics.kpis import (
    KPI_TREE,
    RENEGOTIATE_FLOOR,
    campaign_kpi_table,
    campaign_row,
    creator_scorecard,
    targets_met,
)
from playbook.analytics.returns import (
    DEFAULT_WINDOWS,
    rule_mix,
    window_sweep,
)
from playbook.course.base import LABEL_STYLE
from playbook.course.base import fmt as _fmt
from playbook.course.base import show as _show
from playbook.data.registry import benchmark
from playbook.viz import charts

__all__ = [
    "EMV_CLAIM_IDS",
    "AttributionWindowApp",
    "KpiTreeApp",
    "ScorecardApp",
    "cost_chart",
    "emv_chart",
    "reconciliation_chart",
    "scorecard_chart",
    "window_chart",
]

Tables = Mapping[str, pd.DataFrame]

# EMV-per-dollar claims that are widely re-quoted as "ROI" (reference §1.2). Tomoson's 2015 "$6.50 per $1" is
# not among them: it is a poll of what businesses said they earn (claimed_return_per_dollar_tomoson_2015).
EMV_CLAIM_IDS: tuple[str, ...] = (
    "emv_per_dollar_imh_2020",
    "emv_per_dollar_imh_2017",
    "emv_per_dollar_rhythmone_2015",
)


# --------------------------------------------------------------------------- shared helpers


def _campaign_options(tables: Tables) -> list[tuple[str, str]]:
    """Dropdown options: ("CP000007 · Nook Conversion May 2025 (conversion)", "CP000007")."""
    c = tables["campaigns"].sort_values("campaign_id")
    labels = c["campaign_id"] + " · " + c["name"] + " (" + c["objective"] + ")"
    return list(zip(labels, c["campaign_id"], strict=True))


def _campaign_dropdown(tables: Tables, campaign_id: str | None) -> widgets.Dropdown:
    """The campaign picker the measurement apps share (`_campaign_options`), on `campaign_id` or the first."""
    options = _campaign_options(tables)
    return widgets.Dropdown(
        options=options,
        value=campaign_id or options[0][1],
        description="Campaign",
        style=LABEL_STYLE,
        layout={"width": "520px"},
    )


# --------------------------------------------------------------------------- full-cost returns


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


# --------------------------------------------------------------------------- EMV against real returns


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
        self.campaign = _campaign_dropdown(tables, campaign_id)
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        self.campaign.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([self.campaign, self.summary, self.out])
        self.update()

    def update(self) -> None:
        """Recompute the KPI tree for the chosen campaign and redraw."""
        self.result = campaign_kpi_table(self.tables, self.campaign.value, n_boot=self.n_boot)
        with_target = self.result.dropna(subset=["target"])
        shown = with_target.assign(kpi=with_target["label"])
        self.chart = charts.kpi_vs_target(shown, title="KPIs with a target in the campaign plan")
        met = targets_met(self.result)
        objective = self.result.attrs["objective"]
        labels = ", ".join(k.label for k in KPI_TREE[objective])
        self.summary.value = (
            f"<b>Objective: {objective}.</b> Its KPIs: {labels}. "
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
        self.campaign = _campaign_dropdown(tables, campaign_id)
        self.window = widgets.IntSlider(
            min=1,
            max=max(DEFAULT_WINDOWS),
            value=1,
            description="Window (days)",
            style=LABEL_STYLE,
            continuous_update=False,
        )
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        self.campaign.observe(lambda _: self._on_campaign(), names="value")
        self.window.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([self.campaign, self.window, self.summary, self.out])
        self._on_campaign()

    def _on_campaign(self) -> None:
        self.sweep = window_sweep(self.tables, self.campaign.value)
        self._default = attribution.campaign_window_days(campaign_row(self.tables, self.campaign.value))
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
        self.campaign = _campaign_dropdown(tables, campaign_id)
        self.floor = widgets.FloatSlider(
            min=0.1,
            max=1.0,
            step=0.05,
            value=RENEGOTIATE_FLOOR,
            description="Renegotiate from",
            style=LABEL_STYLE,
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
