"""Module 11 app: a channel mix across traditional channels and influencer work, read against the
registry's trust figures (`analytics.media_mix`); the app only arranges and displays."""

from __future__ import annotations

import ipywidgets as widgets

from playbook.analytics.media_mix import TRADITIONAL_CHANNELS, channel_table, mix_trust
from playbook.course.base import LABEL_STYLE, WidgetApp, fmt, table_html

__all__ = ["TraditionalMixApp"]


class TraditionalMixApp(WidgetApp):
    """One slider per channel (budget share, %); `.result` is `mix_trust` of the shares, `.table` the
    channel table with each channel's share."""

    def __init__(self, shares: dict[str, float] | None = None) -> None:
        start = shares or {"tv": 40, "pr_editorial": 10, "out_of_home": 10, "retail": 10, "influencer": 30}
        self.sliders = {
            c: widgets.FloatSlider(
                value=start.get(c, 0), min=0, max=100, step=5, description=c, style=LABEL_STYLE
            )
            for c in TRADITIONAL_CHANNELS
        }
        self.summary = widgets.HTML()
        self.table_out = widgets.HTML()
        for slider in self.sliders.values():
            slider.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox(
            [
                widgets.GridBox(
                    list(self.sliders.values()), layout={"grid_template_columns": "repeat(2, 1fr)"}
                ),
                self.summary,
                self.table_out,
            ]
        )
        self.update()

    def update(self) -> None:
        """Recompute the budget-weighted trust and the share the survey cannot speak for."""
        shares = {c: float(s.value) for c, s in self.sliders.items()}
        self.result = mix_trust(shares)
        total = sum(shares.values())
        self.table = channel_table().assign(
            share=[shares[c] / total if total else float("nan") for c in TRADITIONAL_CHANNELS]
        )
        self.summary.value = (
            "<p>Budget-weighted trust of the channels with a figure: "
            f"<b>{fmt(self.result['trust'], '.0%')}</b>."
            f" Share of the budget on channels the survey does not report (trust unknown, not zero): "
            f"<b>{fmt(self.result['share_without_figure'], '.0%')}</b>.</p>"
        )
        self.table_out.value = table_html(
            self.table[["channel", "share", "trust", "role", "influencer_link", "trust_source"]]
        )
