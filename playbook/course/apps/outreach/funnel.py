"""Module 05 app: the outreach funnel by group, each rate with its confidence interval and message count
(`planning.funnel_by_group`), against the published reply rate."""

from __future__ import annotations

import html
from collections.abc import Mapping

import altair as alt
import ipywidgets as widgets
import pandas as pd

import playbook.viz.charts as charts
from playbook.analytics.planning import DEFAULT_MIN_GROUP, GROUPINGS, RATES, funnel_by_group
from playbook.analytics.stats import DEFAULT_CONFIDENCE, extreme_groups
from playbook.course.base import LABEL_STYLE, WidgetApp
from playbook.course.base import show as render
from playbook.data.registry import benchmark, cite

__all__ = ["REPLY_BENCHMARK", "FunnelByGroupApp", "group_rate_chart"]

REPLY_BENCHMARK = "reply_rate_creator_heepsy"
BLUE, VERMILLION = charts.OKABE_ITO[4], charts.OKABE_ITO[5]


def group_rate_chart(frame: pd.DataFrame, rate: str, by: str, benchmark_id: str | None = None) -> alt.Chart:
    """Dot (rate) and line (confidence interval) per group of `funnel_by_group`; a dashed rule marks the
    benchmark's typical value when ``benchmark_id`` is given. Hollow dots are small groups."""
    data = frame.assign(size=lambda d: d["small"].map({True: "small group", False: "enough messages"}))
    y = alt.Y("group:N", title=by.replace("_", " "), sort=list(data["group"]))
    x_title = f"{rate.replace('_', ' ')} ({RATES[rate][0]} / {RATES[rate][1]})"
    tooltip = ["group:N", "trials:Q", "successes:Q", alt.Tooltip("rate:Q", format=".1%")]
    tooltip += [alt.Tooltip("ci_low:Q", format=".1%"), alt.Tooltip("ci_high:Q", format=".1%")]
    interval = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("ci_low:Q", title=x_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            x2="ci_high:Q",
            y=y,
            tooltip=tooltip,
        )
    )
    dots = (
        alt.Chart(data)
        .mark_point(size=90)
        .encode(
            x="rate:Q",
            y=y,
            fill=alt.Fill(
                "size:N",
                scale=alt.Scale(domain=["enough messages", "small group"], range=[BLUE, "white"]),
                title=None,
            ),
            tooltip=tooltip,
        )
    )
    labels = dots.mark_text(align="left", dx=8, dy=-10, fontSize=10).encode(
        text=alt.Text("trials:Q", format=",.0f")
    )
    layers: list[alt.Chart] = [interval, dots, labels]
    subtitle = "Dot: measured rate; line: confidence interval; number: messages in the denominator"
    if benchmark_id is not None:
        b = benchmark(benchmark_id)
        rule_data = pd.DataFrame({"value": [b.value], "source": [cite(benchmark_id)]})
        rule = (
            alt.Chart(rule_data)
            .mark_rule(strokeDash=[4, 4], color=VERMILLION)
            .encode(x="value:Q", tooltip=["source:N", alt.Tooltip("value:Q", format=".1%")])
        )
        layers.insert(0, rule)
        subtitle += f"; dashed: published rate ({benchmark_id}, grade {b.grade})"
    title = f"{rate.replace('_', ' ').capitalize()} by {by.replace('_', ' ')}"
    return alt.layer(*layers).properties(title=alt.TitleParams(title, subtitle=subtitle))


def _overlap_note(frame: pd.DataFrame) -> str:
    """A sentence saying whether the best and worst groups' intervals overlap (`stats.extreme_groups`)."""
    extremes = extreme_groups(frame)
    if extremes is None:
        return "Only one group has a defined rate: nothing to compare."
    pair = f"<b>{html.escape(extremes.best)}</b> and <b>{html.escape(extremes.worst)}</b>"
    if extremes.overlap:
        return f"The intervals of {pair} overlap: the gap between them may be noise. Collect more messages."
    return f"The intervals of {pair} do not overlap: the gap is unlikely to be noise alone."


class FunnelByGroupApp(WidgetApp):
    """Pick a grouping and a rate; see the rate per group with its confidence interval and message count."""

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        *,
        confidence: float = DEFAULT_CONFIDENCE,
        min_group: int = DEFAULT_MIN_GROUP,
    ) -> None:
        self.tables = tables
        self.confidence = confidence
        self.min_group = min_group
        self.by = widgets.Dropdown(
            options=list(GROUPINGS),
            value="template",
            description="Group by",
            style=LABEL_STYLE,
        )
        self.rate = widgets.Dropdown(
            options=list(RATES),
            value="reply_rate",
            description="Rate",
            style=LABEL_STYLE,
        )
        self.summary = widgets.HTML()
        self.chart_out = widgets.Output()
        self.by.observe(lambda _: self.update(), names="value")
        self.rate.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.by, self.rate]), self.summary, self.chart_out])
        self.update()

    def update(self) -> None:
        """Recompute the table, chart and summary for the current controls."""
        by, rate = self.by.value, self.rate.value
        self.result = funnel_by_group(
            self.tables, by, rate, confidence=self.confidence, min_group=self.min_group
        )
        self.chart = group_rate_chart(
            self.result, rate, by, REPLY_BENCHMARK if rate == "reply_rate" else None
        )
        small = self.result.loc[self.result["small"], "group"].tolist()
        small_note = (
            f" Small groups (fewer than {self.min_group} messages): {html.escape(', '.join(small))}."
            if small
            else ""
        )
        self.summary.value = (
            f"<p>{_overlap_note(self.result)}{small_note} Intervals: {self.confidence:.0%} Wilson.</p>"
        )
        render(self.chart_out, self.chart)
