"""Module 06: relationship health (re-book / renegotiate / drop with the rules on sliders,
`relationships.relationship_health`) and the team's operations rates per campaign."""

from __future__ import annotations

import html
from collections.abc import Mapping

import altair as alt
import ipywidgets as widgets
import pandas as pd

import playbook.viz.charts as charts
from playbook.analytics.relationships import (
    DECISIONS,
    DEFAULT_HEALTH_RULES,
    decision_counts,
    relationship_health,
)
from playbook.course.base import LABEL_STYLE, WidgetApp
from playbook.course.base import show as render

__all__ = ["DECISION_COLOURS", "HealthApp", "health_chart", "team_ops_chart"]

GREEN, ORANGE, VERMILLION = (charts.OKABE_ITO[i] for i in (2, 0, 5))
# re-book green, renegotiate orange, drop vermillion
DECISION_COLOURS = dict(zip(DECISIONS, (GREEN, ORANGE, VERMILLION), strict=True))


def health_chart(health: pd.DataFrame, min_performance: float, max_cost_ratio: float) -> alt.LayerChart:
    """Each creator's performance vs benchmark (x) and cost vs campaign peers (y), coloured by the
    re-book / renegotiate / drop call, with the rule thresholds as dashed lines (log scales: ratios)."""
    data = health.dropna(subset=["performance_ratio", "cost_ratio"])
    data = data[(data["performance_ratio"] > 0) & (data["cost_ratio"] > 0)]
    points = (
        alt.Chart(data)
        .mark_circle(size=70, opacity=0.8)
        .encode(
            x=alt.X(
                "performance_ratio:Q", scale=alt.Scale(type="log"), title="Median ER / tier benchmark typical"
            ),
            y=alt.Y("cost_ratio:Q", scale=alt.Scale(type="log"), title="Cost per result / campaign median"),
            color=alt.Color(
                "recommendation:N",
                scale=alt.Scale(domain=list(DECISION_COLOURS), range=list(DECISION_COLOURS.values())),
                title="Call",
            ),
            tooltip=[
                "handle:N",
                "recommendation:N",
                "reasons:N",
                alt.Tooltip("health_score:Q", format=".0f"),
            ],
        )
    )
    vline = alt.Chart(pd.DataFrame({"x": [min_performance]})).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    hline = alt.Chart(pd.DataFrame({"y": [max_cost_ratio]})).mark_rule(strokeDash=[4, 4]).encode(y="y:Q")
    subtitle = "Dashed: the drop rule on performance and the renegotiate rule on cost (our thresholds)"
    return alt.layer(points, vline, hline).properties(
        title=alt.TitleParams("Relationship health of contracted creators", subtitle=subtitle)
    )


class HealthApp(WidgetApp):
    """Move the decision rules and see how many creators to re-book, renegotiate or drop, and why.

    Wraps `relationships.relationship_health`; `.result` is its frame, `.counts` the calls per decision.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = tables
        d = DEFAULT_HEALTH_RULES  # start from relationship_health's own defaults
        self.min_performance = widgets.FloatSlider(
            value=d.min_performance,
            min=0.1,
            max=1.5,
            step=0.05,
            description="Min perf.",
            style=LABEL_STYLE,
        )
        self.max_late_posts = widgets.IntSlider(
            value=d.max_late_posts,
            min=1,
            max=6,
            description="Max late",
            style=LABEL_STYLE,
        )
        self.max_cost_ratio = widgets.FloatSlider(
            value=d.max_cost_ratio,
            min=1.0,
            max=4.0,
            step=0.1,
            description="Max cost",
            style=LABEL_STYLE,
        )
        self.cost_metric = widgets.Dropdown(
            options=["cpe", "cpm"],
            value=d.cost_metric,
            description="Cost per",
            style=LABEL_STYLE,
        )
        self.creator = widgets.Dropdown(description="Creator", style=LABEL_STYLE)
        self.summary = widgets.HTML()
        self.detail = widgets.HTML()
        self.chart_out = widgets.Output()
        for control in (self.min_performance, self.max_late_posts, self.max_cost_ratio, self.cost_metric):
            control.observe(lambda _: self.update(), names="value")
        self.creator.observe(lambda _: self._detail(), names="value")
        rules = widgets.HBox(
            [self.min_performance, self.max_late_posts, self.max_cost_ratio, self.cost_metric]
        )
        self.widget = widgets.VBox([rules, self.summary, self.chart_out, self.creator, self.detail])
        self.update()

    def update(self) -> None:
        """Recompute health and calls with the current rules."""
        self.result = relationship_health(
            self.tables,
            cost_metric=self.cost_metric.value,
            min_performance=self.min_performance.value,
            max_late_posts=self.max_late_posts.value,
            max_cost_ratio=self.max_cost_ratio.value,
        )
        self.counts = decision_counts(self.result)
        self.summary.value = "<p>" + ", ".join(f"<b>{n}</b> {k}" for k, n in self.counts.items()) + "</p>"
        self.chart = health_chart(self.result, self.min_performance.value, self.max_cost_ratio.value)
        keep = self.creator.value
        self.creator.options = [
            (f"@{h} ({r})", c)
            for c, h, r in zip(
                self.result["creator_id"], self.result["handle"], self.result["recommendation"], strict=True
            )
        ]
        self.creator.value = (
            keep if keep in set(self.result["creator_id"]) else self.result["creator_id"].iloc[0]
        )
        self._detail()
        render(self.chart_out, self.chart)

    def _detail(self) -> None:
        if self.creator.value is None:
            self.detail.value = ""
            return
        row = self.result.set_index("creator_id").loc[self.creator.value]
        self.detail.value = (
            f"<p><b>{html.escape(row['recommendation'])}</b> (health {row['health_score']:.0f}/100): "
            f"{html.escape(row['reasons'])}</p>"
        )


def team_ops_chart(ops: pd.DataFrame) -> alt.Chart:
    """Rates per campaign from `relationships.team_ops_metrics(tables, by="campaign_id")`: re-book, on-time
    posting, on-time payment and reply rate, one dot each (all are shares of 0 to 1)."""
    rates = ["rebook_rate", "on_time_posting_rate", "on_time_payment_rate", "reply_rate"]
    long = (
        ops[rates].reset_index().melt(id_vars=ops.index.name or "index", var_name="metric", value_name="rate")
    )
    key = ops.index.name or "index"
    return (
        alt.Chart(long)
        .mark_point(filled=True, size=70)
        .encode(
            x=alt.X("rate:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Share"),
            y=alt.Y("metric:N", title=None, sort=rates),
            color=alt.Color("metric:N", legend=None),
            tooltip=[f"{key}:N", "metric:N", alt.Tooltip("rate:Q", format=".0%")],
        )
        .properties(title=alt.TitleParams("Team operations by campaign", subtitle="One dot per campaign"))
    )
