"""Module 09, incrementality: the holdout lab. Naive ROAS against the geo-holdout estimate, treated and
control series, a power calculator and a seeded simulation of holdout designs, with the widget apps.

Estimates come from `playbook.analytics.incrementality` (difference-in-differences ratio estimator with a geo
bootstrap). The simulation plants a known lift in synthetic equal-sized geos and re-estimates it with the
same estimator, vectorised so a run of a hundred experiments takes well under a second. Formulas
(industry-facts §1.6): lift = treated / counterfactual - 1, counterfactual = treated pre x control test /
control pre; iROAS = incremental revenue / spend. Design defaults come from the registry:
``holdout_share_influencers_time``, ``holdout_min_days_influencers_time``, ``geo_count_per_arm_girardmedia``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

from playbook.analytics.incrementality import (
    CONTROL,
    SMOOTH_DAYS,
    TREATMENT,
    PowerResult,
    design_inputs,
    power_analysis,
    registry_design,
)
from playbook.analytics.stats import (
    DEFAULT_GEO_CV,
    DEFAULT_N_SIMS,
    mde_curve,
    simulate_holdouts,
    summarise_simulation,
)
from playbook.analytics.undefined import Undefined
from playbook.viz import charts  # also registers the playbook chart theme

__all__ = [
    "DEFAULT_LIFT",
    "PowerApp",
    "SimulationApp",
    "roas_chart",
    "series_chart",
    "simulation_chart",
]

Tables = Mapping[str, pd.DataFrame]

DEFAULT_LIFT = 0.2  # our choice: starting value of the "lift you hope for" and "planted lift" sliders


# --------------------------------------------------------------------------- naive vs incremental


def roas_chart(summary: pd.DataFrame) -> alt.LayerChart:
    """Naive ROAS (a dot) against iROAS with its confidence interval (a bar), one row per campaign."""
    data = summary[["campaign_id", "naive_roas", "iroas", "iroas_ci_low", "iroas_ci_high"]].copy()
    y = alt.Y("campaign_id:N", title=None)
    x_title = "Return per unit of full cost"
    ci = (
        alt.Chart(data)
        .mark_rule(strokeWidth=3, color=charts.GOOD)
        .encode(x=alt.X("iroas_ci_low:Q", title=x_title), x2="iroas_ci_high:Q", y=y)
    )
    incremental = (
        alt.Chart(data)
        .mark_point(filled=True, size=90, color=charts.GOOD)
        .encode(x="iroas:Q", y=y, tooltip=["campaign_id:N", "iroas:Q", "iroas_ci_low:Q", "iroas_ci_high:Q"])
    )
    naive = (
        alt.Chart(data)
        .mark_point(shape="diamond", filled=True, size=110, color=charts.BAD)
        .encode(x="naive_roas:Q", y=y, tooltip=["campaign_id:N", "naive_roas:Q"])
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3], color="#888").encode(x="x:Q")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#bbb").encode(x="x:Q")
    title = alt.TitleParams(
        "Naive ROAS (red diamond) vs iROAS (blue, with CI)",
        subtitle="Dashed line: break-even on revenue (1); grey: zero",
    )
    return alt.layer(zero, one, ci, incremental, naive).properties(title=title, height=90)


# --------------------------------------------------------------------------- treated vs control over time


def series_chart(series: pd.DataFrame, title: str = "Treated and control geos") -> alt.LayerChart:
    """Smoothed index of each arm (1 = its pre-period level); the shaded band is the test period."""
    test = series[series["period"] == "test"]["date"]
    band = pd.DataFrame({"start": [test.min()], "end": [test.max()]})
    shade = alt.Chart(band).mark_rect(color="#eeeeee").encode(x="start:T", x2="end:T")
    lines = (
        alt.Chart(series)
        .mark_line()
        .encode(
            x=alt.X("date:T", title="Date"),
            y=alt.Y("index_smoothed:Q", title="Conversions vs own pre-period (1 = unchanged)"),
            color=alt.Color("arm:N", sort=[TREATMENT, CONTROL], title="Arm"),
            tooltip=["date:T", "arm:N", "conversions:Q", alt.Tooltip("index_smoothed:Q", format=".2f")],
        )
    )
    one = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(strokeDash=[4, 3], color="#888").encode(y="y:Q")
    subtitle = f"Trailing {SMOOTH_DAYS}-day mean; grey band: test period"
    return alt.layer(shade, one, lines).properties(title=alt.TitleParams(title, subtitle=subtitle))


# --------------------------------------------------------------------------- power calculator


def _fmt_lift(value: float) -> str:
    return f"undefined ({value.reason})" if isinstance(value, Undefined) else f"{value:.1%}"


_STYLE = {"description_width": "190px"}
_LAYOUT = {"width": "520px"}


def _slider(kind: type, **kw: object) -> widgets.Widget:
    return kind(style=_STYLE, layout=_LAYOUT, continuous_update=False, **kw)


def _lift_slider(description: str, low: float) -> widgets.FloatSlider:
    return _slider(
        widgets.FloatSlider,
        value=DEFAULT_LIFT,
        min=low,
        max=1.0,
        step=0.01,
        description=description,
        readout_format=".0%",
    )


@dataclass(frozen=True)
class _DesignControls:
    """The sliders of a geo-holdout design shared by the power calculator and the simulation lab."""

    conversions: widgets.FloatLogSlider
    geo_cv: widgets.FloatSlider
    n_geos: widgets.IntSlider
    holdout_share: widgets.FloatSlider
    days: widgets.IntSlider


def _design_controls(daily_conversions_per_geo: float) -> _DesignControls:
    """Sliders starting at the registry design (`registry_design`) and the given conversions per geo."""
    share, days, n_geos = registry_design()
    return _DesignControls(
        conversions=_slider(
            widgets.FloatLogSlider,
            value=daily_conversions_per_geo,
            base=10,
            min=-2,
            max=2,
            step=0.05,
            description="Daily conversions/geo",
        ),
        geo_cv=_slider(
            widgets.FloatSlider,
            value=DEFAULT_GEO_CV,
            min=0,
            max=0.5,
            step=0.01,
            description="Geo variation (cv)",
        ),
        n_geos=_slider(widgets.IntSlider, value=n_geos, min=4, max=400, description="Geos (both arms)"),
        holdout_share=_slider(
            widgets.FloatSlider,
            value=share,
            min=0.05,
            max=0.5,
            step=0.01,
            description="Holdout share",
            readout_format=".0%",
        ),
        days=_slider(widgets.IntSlider, value=days, min=7, max=120, description="Test days"),
    )


class PowerApp:
    """Power calculator: design sliders -> minimum detectable lift (`.result`), the test days and total geos
    needed for a target lift (`.days_needed`, `.geos_needed`), a summary (`.summary`) and an MDE-by-days
    chart (`.chart`). Buttons reset the design to the registry defaults or to a sample experiment's design."""

    def __init__(self, tables: Tables | None = None, experiment_id: str | None = None) -> None:
        self._hold = False
        self.sample = design_inputs(tables, experiment_id) if tables is not None and experiment_id else None
        d = _design_controls(self.sample.daily_conversions_per_geo if self.sample else 1.0)
        self.conversions, self.geo_cv, self.n_geos = d.conversions, d.geo_cv, d.n_geos
        self.holdout_share, self.days = d.holdout_share, d.days
        self.target_lift = _lift_slider("Lift you hope for", 0.02)
        self.registry_button = widgets.Button(description="Registry defaults")
        self.sample_button = widgets.Button(
            description="Sample experiment design", disabled=self.sample is None
        )
        share, days, n_geos = registry_design()
        self.registry_button.on_click(lambda _: self.set_design(share, days, n_geos))
        if self.sample is not None:
            s = self.sample
            self.sample_button.on_click(lambda _: self.set_design(s.holdout_share, s.days, s.n_geos))
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        controls = (
            self.conversions,
            self.geo_cv,
            self.n_geos,
            self.holdout_share,
            self.days,
            self.target_lift,
        )
        for control in controls:
            control.observe(lambda _: self.update(), names="value")
        buttons = widgets.HBox([self.registry_button, self.sample_button])
        self.widget = widgets.VBox([*controls, buttons, self.summary, self.out])
        self.update()

    def set_design(self, holdout_share: float, days: int, n_geos: int) -> None:
        """Set share, days and geos at once, recomputing once."""
        self._hold = True
        try:
            self.holdout_share.value, self.days.value, self.n_geos.value = holdout_share, days, n_geos
        finally:
            self._hold = False
        self.update()

    def update(self) -> None:
        """Recompute the MDE, the days and geos needed for the target lift, and redraw."""
        if self._hold:
            return
        mu, cv, target = self.conversions.value, self.geo_cv.value, self.target_lift.value
        design = {"n_geos": self.n_geos.value, "holdout_share": self.holdout_share.value}
        self.result: PowerResult = power_analysis(mu, cv, days=self.days.value, **design)
        self.days_needed = power_analysis(mu, cv, **design, target_lift=target, solve_for="days")
        geos_design = {"holdout_share": self.holdout_share.value, "days": self.days.value}
        self.geos_needed = power_analysis(mu, cv, **geos_design, target_lift=target, solve_for="geos")
        r = self.result
        days = "undefined" if math.isnan(self.days_needed.days) else f"{self.days_needed.days:.0f} days"
        geos = "undefined" if math.isnan(self.geos_needed.n_geos) else f"{self.geos_needed.n_geos:.0f} geos"
        verdict = "can" if r.mde <= target else "cannot"
        self.summary.value = (
            f"<b>{r.n_treatment:.0f} treated and {r.n_control:.0f} control geos for {r.days:.0f} days</b>: "
            f"minimum detectable lift {_fmt_lift(r.mde)} "
            f"(at {r.power:.0%} power, {1 - r.alpha:.0%} confidence). "
            f"This design {verdict} detect a lift of {target:.0%}. To detect it you need {days} "
            f"with these geos, or {geos} in total for this test length."
        )
        curve = mde_curve(mu, cv, n_geos=self.n_geos.value, holdout_share=self.holdout_share.value)
        self.chart = _mde_chart(curve, self.days.value, r.mde, target)
        self.out.outputs = ()
        self.out.append_display_data(self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def _mde_chart(curve: pd.DataFrame, days: int, mde: float, target: float) -> alt.LayerChart:
    """MDE by test length (`mde_curve`), the current design as a red dot and the hoped-for lift dashed."""
    line = (
        alt.Chart(curve.dropna())
        .mark_line(point=True)
        .encode(
            x=alt.X("days:Q", title="Test days (pre-period as long)"),
            y=alt.Y("mde:Q", title="Minimum detectable lift", axis=alt.Axis(format="%")),
            tooltip=["days:Q", alt.Tooltip("mde:Q", format=".1%")],
        )
    )
    here = pd.DataFrame({"days": [days], "mde": [mde]}).dropna()
    dot = alt.Chart(here).mark_point(size=140, color=charts.BAD, filled=True).encode(x="days:Q", y="mde:Q")
    goal = alt.Chart(pd.DataFrame({"y": [target]})).mark_rule(strokeDash=[4, 3], color="#333").encode(y="y:Q")
    title = alt.TitleParams(
        "Longer tests detect smaller lifts", subtitle="Red: your design; dashed: the lift you hope for"
    )
    return alt.layer(line, goal, dot).properties(title=title)


# --------------------------------------------------------------------------- simulation


def simulation_chart(runs: pd.DataFrame) -> alt.LayerChart:
    """One horizontal CI per simulated run, sorted by estimate, coloured by whether it caught the planted
    lift; a dashed line marks the planted lift and a grey line zero."""
    data = runs.sort_values("lift").assign(rank=np.arange(len(runs)))
    data["caught"] = np.where(data["covers"], "CI caught the planted lift", "CI missed it")
    bars = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X(
                "ci_low:Q", title="Estimated lift and its confidence interval", axis=alt.Axis(format="%")
            ),
            x2="ci_high:Q",
            y=alt.Y("rank:Q", axis=None, title=None),
            color=alt.Color(
                "caught:N",
                scale=alt.Scale(
                    domain=["CI caught the planted lift", "CI missed it"],
                    range=[charts.GOOD, charts.BAD],
                ),
                title=None,
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=["sim:Q", alt.Tooltip("lift:Q", format=".1%"), "ci_low:Q", "ci_high:Q"],
        )
    )
    truth = pd.DataFrame({"x": [runs.attrs["true_lift"]]})
    planted = alt.Chart(truth).mark_rule(strokeDash=[4, 3], color="#333").encode(x="x:Q")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#aaa").encode(x="x:Q")
    title = alt.TitleParams(
        "Simulated holdouts, one interval per run", subtitle="Dashed: the planted lift; grey: zero"
    )
    return alt.layer(zero, bars, planted).properties(title=title, height=300)


class SimulationApp:
    """Plant a lift, choose a holdout design, click Run: seeded simulated experiments (`.result`), how often
    the CI caught the planted lift (`.summary`, `.stats`), the power calculator's MDE for the same design
    (`.power`) and a chart of every run's CI (`.chart`)."""

    def __init__(self, daily_conversions_per_geo: float = 1.0, *, n_sims: int = DEFAULT_N_SIMS) -> None:
        d = _design_controls(daily_conversions_per_geo)
        self.conversions, self.geo_cv, self.n_geos = d.conversions, d.geo_cv, d.n_geos
        self.holdout_share, self.days = d.holdout_share, d.days
        self.true_lift = _lift_slider("Planted lift", 0.0)
        self.n_sims = _slider(
            widgets.IntSlider, value=n_sims, min=20, max=300, step=10, description="Simulated experiments"
        )
        self.seed = widgets.IntText(value=0, description="Seed", style=_STYLE)
        self.run_button = widgets.Button(description="Run simulations", button_style="primary")
        self.run_button.on_click(lambda _: self.run())
        self.summary = widgets.HTML("Set the design, then click <b>Run simulations</b>.")
        self.out = widgets.Output()
        controls = [self.true_lift, self.n_geos, self.holdout_share, self.days, self.conversions, self.geo_cv]
        self.widget = widgets.VBox(
            [*controls, self.n_sims, self.seed, self.run_button, self.summary, self.out]
        )
        self.result: pd.DataFrame | None = None

    def run(self) -> None:
        """Simulate with the current settings, summarise and redraw."""
        design = {
            "n_geos": self.n_geos.value,
            "holdout_share": self.holdout_share.value,
            "days": self.days.value,
        }
        mu, cv = self.conversions.value, self.geo_cv.value
        try:
            self.result = simulate_holdouts(
                self.true_lift.value,
                **design,
                daily_conversions_per_geo=mu,
                geo_cv=cv,
                n_sims=self.n_sims.value,
                seed=self.seed.value,
            )
        except ValueError as err:
            self.result = None
            self.summary.value = f"<b>Cannot simulate this design:</b> {html.escape(str(err))}."
            self.out.outputs = ()
            return
        self.stats = summarise_simulation(self.result)
        self.power = power_analysis(mu, cv, **design)
        s = self.stats
        self.summary.value = (
            f"<b>Planted lift {s.true_lift:.0%}, {s.n_sims} runs:</b> the CI caught it in "
            f"{s.coverage:.0%} of runs; a lift above zero was detected in {s.detection_rate:.0%} of runs; "
            f"mean estimate {s.mean_estimate:.1%}. The power calculator's minimum detectable lift for this "
            f"design is {_fmt_lift(self.power.mde)} (detected in {self.power.power:.0%} of runs when the "
            "lift equals it)."
        )
        self.chart = simulation_chart(self.result)
        self.out.outputs = ()
        self.out.append_display_data(self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)
