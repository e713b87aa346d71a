"""Capstone step 2: the shortlist (`analytics.campaign_plan.shortlist`) and its outreach, as an app."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import ipywidgets as widgets
import pandas as pd

from playbook.analytics.brand_fit import DEFAULT_FIT_WEIGHTS, FIT_COMPONENTS
from playbook.analytics.campaign_plan import (
    MIN_FIT_ID,
    CampaignPlan,
    shortlist,
)
from playbook.analytics.planning import outreach_needed
from playbook.analytics.vetting import SUSPECTED_BELOW, audience_quality
from playbook.course.base import LABEL_STYLE
from playbook.course.base import show as _show
from playbook.data.registry import benchmark

Tables = Mapping[str, pd.DataFrame]

DEFAULT_TARGET_CREATORS = 8  # our choice of a starting roster size for the exercise

__all__ = ["DEFAULT_TARGET_CREATORS", "ShortlistApp"]


def _shortlist_chart(candidates: pd.DataFrame, min_quality: float, min_fit: float) -> alt.LayerChart:
    """Every candidate's audience quality against brand fit, with the two floors as rules."""
    data = candidates[["handle", "quality", "fit", "tier"]].assign(
        shortlisted=(candidates["quality"] >= min_quality) & (candidates["fit"] >= min_fit)
    )
    points = (
        alt.Chart(data)
        .mark_circle(size=45, opacity=0.8)
        .encode(
            x=alt.X("fit:Q", title="Brand fit (0-100)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y(
                "quality:Q", title="Audience quality, worst account (0-100)", scale=alt.Scale(domain=[0, 100])
            ),
            color=alt.Color("shortlisted:N", title="Shortlisted"),
            tooltip=[
                "handle:N",
                "tier:N",
                alt.Tooltip("fit:Q", format=".0f"),
                alt.Tooltip("quality:Q", format=".0f"),
            ],
        )
    )
    rules = [
        alt.Chart(pd.DataFrame({"fit": [min_fit]})).mark_rule(strokeDash=[4, 3]).encode(x="fit:Q"),
        alt.Chart(pd.DataFrame({"quality": [min_quality]}))
        .mark_rule(strokeDash=[4, 3])
        .encode(y="quality:Q"),
    ]
    return alt.layer(points, *rules).properties(title="Shortlist: quality floor and fit floor")


class ShortlistApp:
    """Step 2: set the vetting rules (quality floor, fit floor, fit weights) and the roster size; the
    shortlist (`.result`), the messages to send (`.outreach`, `planning.outreach_needed`), a summary
    and a chart of every candidate."""

    def __init__(self, tables: Tables, plan: CampaignPlan) -> None:
        self.tables, self.plan = tables, plan
        self.quality_scores = audience_quality(dict(tables))
        self.candidates = shortlist(tables, plan, min_quality=0, min_fit=0, quality=self.quality_scores)
        self.min_quality = widgets.FloatSlider(
            value=SUSPECTED_BELOW,
            min=0,
            max=100,
            step=1,
            description="Quality floor",
            style=LABEL_STYLE,
            continuous_update=False,
        )
        self.min_fit = widgets.FloatSlider(
            value=benchmark(MIN_FIT_ID).low,
            min=0,
            max=100,
            step=1,
            description="Fit floor",
            style=LABEL_STYLE,
            continuous_update=False,
        )
        self.weights = {
            c: widgets.FloatSlider(
                value=DEFAULT_FIT_WEIGHTS[c],
                min=0,
                max=1,
                step=0.05,
                description=f"w {c}",
                style=LABEL_STYLE,
                continuous_update=False,
            )
            for c in FIT_COMPONENTS
        }
        self.target = widgets.IntSlider(
            value=DEFAULT_TARGET_CREATORS,
            min=1,
            max=40,
            description="Creators to sign",
            style=LABEL_STYLE,
            continuous_update=False,
        )
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        for control in (self.min_quality, self.min_fit, self.target, *self.weights.values()):
            control.observe(lambda _: self.update(), names="value")
        rules = widgets.VBox([self.min_quality, self.min_fit, self.target])
        self.widget = widgets.VBox(
            [widgets.HBox([rules, widgets.VBox(list(self.weights.values()))]), self.summary, self.out]
        )
        self.update()

    @property
    def fit_weights(self) -> dict[str, float]:
        return {c: float(w.value) for c, w in self.weights.items()}

    def update(self) -> None:
        """Re-score fit with the weights, apply the floors, size the outreach and redraw."""
        weights = self.fit_weights
        if sum(weights.values()) <= 0:
            self.summary.value = "<b>Give at least one fit component a weight above 0.</b>"
            return
        self.candidates = shortlist(
            self.tables, self.plan, min_quality=0, min_fit=0, fit_weights=weights, quality=self.quality_scores
        )
        q, f = float(self.min_quality.value), float(self.min_fit.value)
        keep = (self.candidates["quality"] >= q) & (self.candidates["fit"] >= f)
        self.result = self.candidates[keep].reset_index(drop=True)
        self.outreach = outreach_needed(int(self.target.value), tables=self.tables)
        messages = int(self.outreach["messages_to_send"])
        enough = len(self.result) >= messages
        verdict = (
            "enough to contact everyone you need"
            if enough
            else "too few: loosen a floor, add a platform, or plan a smaller roster"
        )
        o = self.outreach
        self.summary.value = (
            f"<b>{len(self.result)} of {len(self.candidates)} creators pass</b> (quality at least {q:.0f}, "
            f"fit at least {f:.0f}). To sign {self.target.value} you need about {messages} messages (reply "
            f"rate {o['reply_rate']:.0%} with follow-ups, agreed per reply {o['agree_rate']:.0%} measured in "
            f"the outreach table): {verdict}. Sending takes about {o['sending_days']} working days."
        )
        self.chart = _shortlist_chart(self.candidates, q, f)
        columns = ["handle", "niche", "platforms", "tier", "quality", "fit", "band", "quality_flags"]
        _show(self.out, self.chart, self.result[columns].head(15))

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)
