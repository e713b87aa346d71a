"""Module 05 app: how many creators to contact, from the published or the measured reply rate
(`planning.outreach_needed`, `planning.planner_comparison`)."""

from __future__ import annotations

import html
from collections.abc import Mapping

import altair as alt
import ipywidgets as widgets
import pandas as pd

from playbook.analytics.planning import measured_reply_rate, outreach_needed, planner_comparison
from playbook.course.base import LABEL_STYLE, WidgetApp
from playbook.course.base import show as render
from playbook.data.registry import cite

__all__ = ["OutreachPlannerApp"]


class OutreachPlannerApp(WidgetApp):
    """How many creators to contact: target, reply-rate source and follow-ups in; messages and days out."""

    SOURCES = ("published (Heepsy)", "measured in the sample")

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = tables
        self.target = widgets.IntSlider(value=10, min=1, max=60, description="Creators", style=LABEL_STYLE)
        self.source = widgets.Dropdown(
            options=list(self.SOURCES), description="Reply rate", style=LABEL_STYLE
        )
        self.followups = widgets.Checkbox(value=True, description="Send follow-ups", style=LABEL_STYLE)
        self.summary = widgets.HTML()
        self.chart_out = widgets.Output()
        for control in (self.target, self.source, self.followups):
            control.observe(lambda _: self.update(), names="value")
        controls = widgets.HBox([self.target, self.source, self.followups])
        self.widget = widgets.VBox([controls, self.summary, self.chart_out])
        self.update()

    def update(self) -> None:
        """Recompute the plan (`planning.outreach_needed`) for the current controls."""
        measured = self.source.value == self.SOURCES[1]
        self.followups.disabled = measured  # a measured rate already includes the follow-ups sent
        reply = measured_reply_rate(self.tables) if measured else None
        self.result = outreach_needed(
            self.target.value,
            reply_rate=reply,
            followups=self.followups.value and not measured,
            tables=self.tables,
        )
        r = self.result
        self.comparison = planner_comparison(self.target.value, self.tables)
        sources = "; ".join(f"{i}: {html.escape(cite(i))}" for i in r["benchmark_ids"])
        self.summary.value = (
            f"<p>To sign <b>{r['target_creators']}</b> creators send <b>{r['messages_to_send']}</b> messages "
            f"(reply rate {r['reply_rate']:.0%} x agreed per reply {r['agree_rate']:.0%}, "
            f"{html.escape(str(r['agree_rate_source']))}): about {r['expected_replies']:.0f} replies, "
            f"{r['sending_days']} day(s) of sending. Heepsy's rule of thumb says {r['heepsy_rule_messages']}."
            f"</p><p style='font-size:smaller'>Sources: {sources}</p>"
        )
        self.chart = (
            alt.Chart(self.comparison)
            .mark_bar()
            .encode(
                x=alt.X("messages_to_send:Q", title="Messages to send"),
                y=alt.Y("assumption:N", title=None, sort=None),
                tooltip=["assumption:N", "messages_to_send:Q", "sending_days:Q"],
            )
            .properties(
                title=alt.TitleParams(f"Messages needed for {r['target_creators']} creators"),
                height=120,
            )
        )
        render(self.chart_out, self.chart)
