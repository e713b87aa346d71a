"""Module 05: the disclosure checker (a caption under the US, UK and EU rules, `compliance.check_disclosure`)
and the chart of disclosure status per campaign (`compliance.compliance_summary`)."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as widgets
import pandas as pd

import playbook.viz.charts as charts
from playbook.analytics.compliance import JURISDICTIONS, STATUSES, check_disclosure
from playbook.course.base import LABEL_STYLE, WidgetApp
from playbook.data.registry import benchmark

__all__ = ["DisclosureApp", "compliance_chart"]

BLUE, ORANGE, VERMILLION, YELLOW, SKY = (charts.OKABE_ITO[i] for i in (4, 0, 5, 3, 1))
GREY = charts.NEUTRAL

_STATUS_COLOUR = {
    "compliant": "#2e7d32",
    "review": "#1f5fa8",
    "risky": "#b26a00",
    "late": "#b26a00",
    "weak": "#c62828",
    "missing": "#c62828",
}
_IN_VIDEO = {
    "not known / not a video": None,
    "yes, said or shown in the video": True,
    "no, description only": False,
}


class DisclosureApp(WidgetApp):
    """Type a caption; see its disclosure status under the US, UK and EU rules side by side, each with the
    reason and the rule's source (`compliance.check_disclosure`)."""

    def __init__(self, caption: str = "", platform: str = "instagram") -> None:
        self.caption = widgets.Textarea(
            value=caption,
            placeholder="Paste or type a caption",
            layout={"width": "100%", "height": "120px"},
        )
        style = LABEL_STYLE
        self.platform = widgets.Dropdown(
            options=["instagram", "tiktok", "youtube", "facebook"],
            value=platform,
            description="Platform",
            style=style,
        )
        self.platform_label = widgets.Checkbox(
            value=False,
            description="Platform's paid-partnership label is on",
            style=style,
            layout={"width": "auto"},
        )
        self.in_video = widgets.Dropdown(
            options=list(_IN_VIDEO),
            value="not known / not a video",
            description="Disclosed in the video?",
            style=style,
            layout={"width": "auto"},
        )
        self.summary = widgets.HTML()
        for control in (self.caption, self.platform, self.platform_label, self.in_video):
            control.observe(lambda _: self.update(), names="value")
        controls = widgets.HBox([self.platform, self.in_video], layout={"flex_flow": "row wrap"})
        self.widget = widgets.VBox([self.caption, controls, self.platform_label, self.summary])
        self.update()

    def update(self) -> None:
        """Check the current caption in every jurisdiction and show status, labels found and reasons."""
        self.results = {
            j: check_disclosure(
                self.caption.value,
                jurisdiction=j,
                platform=self.platform.value,
                platform_label=self.platform_label.value,
                in_video=_IN_VIDEO[self.in_video.value],
            )
            for j in JURISDICTIONS
        }
        self.result = self.results["US"]
        rows = "".join(
            f"<tr><td><strong>{j}</strong></td>"
            f"<td><strong style='color:{_STATUS_COLOUR.get(r.status, '#333')}'>"
            f"{html.escape(r.status)}</strong></td><td>{html.escape(r.reasons)}</td></tr>"
            for j, r in self.results.items()
        )
        tokens = ", ".join(self.result.tokens) or "none"
        self.summary.value = (
            "<table><tr><th>Rules</th><th>Status</th><th>Why (source)</th></tr>"
            f"{rows}</table><p>Labels found: {html.escape(tokens)}</p>"
        )


def compliance_chart(summary: pd.DataFrame) -> alt.LayerChart:
    """Stacked share of sponsored posts per disclosure status and campaign (`compliance.compliance_summary`
    with its default ``by="campaign_id"``), with the published share of fully compliant posts
    (``disclosure_full_compliance_imh_2020``) as a dashed rule."""
    statuses = list(STATUSES[:-1])
    long = summary.melt(
        id_vars=["campaign_id", "sponsored_posts"],
        value_vars=[f"share_{s}" for s in statuses],
        var_name="status",
        value_name="share",
    )
    long["status"] = long["status"].str.removeprefix("share_")
    long["order"] = long["status"].map({s: i for i, s in enumerate(statuses)})
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("campaign_id:N", title="Campaign"),
            x=alt.X("share:Q", stack="zero", title="Share of sponsored posts", axis=alt.Axis(format="%")),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=statuses, range=[BLUE, SKY, ORANGE, YELLOW, VERMILLION, GREY]),
                title="Disclosure",
            ),
            order="order:Q",
            tooltip=["campaign_id:N", "status:N", alt.Tooltip("share:Q", format=".0%"), "sponsored_posts:Q"],
        )
    )
    b = benchmark("disclosure_full_compliance_imh_2020")
    rule = (
        alt.Chart(pd.DataFrame({"published_share": [b.value]}))
        .mark_rule(strokeDash=[4, 4], color="black")
        .encode(x="published_share:Q", tooltip=[alt.Tooltip("published_share:Q", format=".0%")])
    )
    subtitle = f"Dashed line: published share of fully compliant posts ({b.source_name}, {b.year})"
    return alt.layer(bars, rule).properties(
        title=alt.TitleParams("Disclosure status of sponsored posts", subtitle=subtitle)
    )
