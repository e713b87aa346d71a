"""Capstone step 1: the brief and its budget (`analytics.campaign_plan.plan_budget`), as an app."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML

from playbook.analytics.campaign_plan import PLATFORMS, CampaignPlan, plan_budget
from playbook.analytics.planning import OBJECTIVES
from playbook.course.base import LABEL_STYLE, table_html
from playbook.course.base import show as _show
from playbook.data.registry import DEFAULT_TIER_PRESET, load_tier_presets

__all__ = ["DEFAULT_BUDGET", "PlanApp", "allocation_chart"]

Tables = dict[str, pd.DataFrame]
DEFAULT_BUDGET = 20_000.0  # our choice of a starting budget for the exercise, USD
_MAIN_RESULT = {"awareness": "impressions", "consideration": "engagements", "conversion": "conversions"}


def allocation_chart(allocation: pd.DataFrame) -> alt.Chart:
    """Stacked bars of the planned amount per creator tier, one colour per platform (USD)."""
    data = allocation[["platform", "tier", "amount", "share"]]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("tier:N", sort=list(dict.fromkeys(data["tier"])), title="Creator tier"),
            y=alt.Y("amount:Q", title="Planned amount (USD)"),
            color=alt.Color("platform:N", title="Platform"),
            tooltip=[
                "platform:N",
                "tier:N",
                alt.Tooltip("amount:Q", format=",.0f"),
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(title="Budget by tier and platform (planning.allocate_budget)")
    )


def _dropped_note(allocation: pd.DataFrame) -> str:
    """HTML naming the cells `planning.allocate_budget` emptied because their share could not book one
    creator (its ``dropped``, ``policy_amount`` and ``min_creator_fee`` columns); empty when none were."""
    dropped = allocation[allocation["dropped"]]
    if dropped.empty:
        return ""
    items = ", ".join(
        f"{html.escape(r.platform)} {html.escape(r.tier)} "
        f"({r.policy_amount:,.0f} &lt; {r.min_creator_fee:,.0f})"
        for r in dropped.itertuples()
    )
    return (
        "<br>Moved to the other cells, because their share could not book even one creator at the fair "
        f"typical fee (share USD &lt; one creator USD): {items}."
    )


class PlanApp:
    """Step 1: pick a brand, an objective, a budget, platforms and a tier preset; the allocation
    (`.allocation`), the forecast ranges (`.result`), a summary and a chart. `.plan` is the brief."""

    def __init__(self, tables: Tables, brand_id: str | None = None, objective: str = "conversion") -> None:
        brands = tables["brands"].sort_values("brand_id")
        options = list(zip(brands["name"] + " (" + brands["category"] + ")", brands["brand_id"], strict=True))
        self.brand = widgets.Dropdown(
            options=options,
            value=brand_id or options[0][1],
            description="Brand",
            style=LABEL_STYLE,
        )
        self.objective = widgets.Dropdown(
            options=list(OBJECTIVES),
            value=objective,
            description="Objective",
            style=LABEL_STYLE,
        )
        self.budget = widgets.BoundedFloatText(
            value=DEFAULT_BUDGET,
            min=0,
            max=10_000_000,
            step=1000,
            description="Budget (USD)",
            style=LABEL_STYLE,
        )
        self.platforms = widgets.SelectMultiple(
            options=list(PLATFORMS),
            value=PLATFORMS,
            description="Platforms",
            style=LABEL_STYLE,
        )
        presets = list(dict.fromkeys(load_tier_presets()["preset"]))
        self.preset = widgets.Dropdown(
            options=presets,
            value=DEFAULT_TIER_PRESET,
            description="Tier preset",
            style=LABEL_STYLE,
        )
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        for control in (self.brand, self.objective, self.budget, self.platforms, self.preset):
            control.observe(lambda _: self.update(), names="value")
        controls = widgets.VBox([self.brand, self.objective, self.budget, self.platforms, self.preset])
        self.widget = widgets.VBox([controls, self.summary, self.out])
        self.update()

    def update(self) -> None:
        """Re-plan with the current choices and redraw (an empty platform choice is pointed out)."""
        if not self.platforms.value:
            self.summary.value = "<b>Pick at least one platform.</b>"
            return
        self.plan = CampaignPlan(
            self.brand.value,
            self.objective.value,
            float(self.budget.value),
            tuple(self.platforms.value),
            self.preset.value,
        )
        self.allocation, self.result = plan_budget(self.plan)
        r = self.result
        main = _MAIN_RESULT[self.plan.objective]
        low, typical, high = (r.loc[main, end] for end in ("low", "typical", "high"))
        self.summary.value = (
            f"<b>{self.plan.budget:,.0f} USD for {self.plan.objective}</b> across "
            f"{', '.join(self.plan.platforms)}: {main} {low:,.0f} to {high:,.0f} (typical {typical:,.0f}). "
            "The range is wide on purpose: published CPMs and rates disagree, and the low and high ends "
            "assume every cell lands at the same end." + _dropped_note(self.allocation)
        )
        self.chart = allocation_chart(self.allocation)
        funded = self.allocation[self.allocation["amount"] > 0]
        cells = funded[["platform", "tier", "amount", "min_creator_fee", "creators_affordable"]]
        results = self.result.drop(columns="note").reset_index()
        _show(self.out, self.chart, HTML(table_html(cells)), HTML(table_html(results)))

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)
