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
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

from playbook.analytics.incrementality import (
    CONTROL,
    TREATMENT,
    PowerResult,
    naive_vs_incremental,
    power_analysis,
)
from playbook.analytics.undefined import Undefined, ratio
from playbook.data.registry import benchmark
from playbook.viz import charts  # also registers the playbook chart theme

__all__ = [
    "DEFAULT_GEO_CV",
    "DEFAULT_LIFT",
    "DEFAULT_N_BOOT",
    "DEFAULT_N_SIMS",
    "DesignInputs",
    "PowerApp",
    "SimulationApp",
    "SimulationSummary",
    "answer_key",
    "arm_series",
    "design_inputs",
    "holdout_summary",
    "mde_curve",
    "roas_chart",
    "series_chart",
    "simulate_holdouts",
    "simulation_chart",
    "summarise_simulation",
]

Tables = Mapping[str, pd.DataFrame]

DEFAULT_GEO_CV = 0.1  # our assumption: between-geo variation left after the pre-period adjustment
DEFAULT_N_SIMS = 100  # our choice: enough runs to read a coverage rate, fast enough to click
DEFAULT_N_BOOT = 500  # our choice: bootstrap resamples per simulated experiment (geo_lift uses 2000)
DEFAULT_LIFT = 0.2  # our choice: starting value of the "lift you hope for" and "planted lift" sliders
SMOOTH_DAYS = 7  # our choice: rolling window of the treated/control chart, one week of weekdays


# --------------------------------------------------------------------------- naive vs incremental
def holdout_summary(
    tables: Tables, *, alpha: float = 0.05, n_boot: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """`incrementality.naive_vs_incremental` for every campaign with a geo holdout, one row per experiment,
    plus nonincremental_share = 1 - incremental revenue / attributed revenue (the share of credited revenue
    the holdout says would have come anyway; undefined without attributed revenue)."""
    ids = tables["experiments"]["campaign_id"].drop_duplicates().sort_values()
    frames = [naive_vs_incremental(tables, cid, alpha=alpha, n_boot=n_boot, seed=seed) for cid in ids]
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    share = ratio(out["incremental_revenue"], out["attributed_revenue"], "non-incremental share")
    out["nonincremental_share"] = 1 - share
    return out


def answer_key(tables: Tables, summary: pd.DataFrame) -> pd.DataFrame:
    """The estimate next to the lift the generator planted (`experiments.true_lift`), for teaching only.

    The estimate never reads `true_lift`; it is joined here, after the fact, to show whether the confidence
    interval caught it. Real experiments have no answer key. Columns: experiment_id, campaign_id, lift,
    lift_ci_low, lift_ci_high, true_lift, ci_covers_truth, detected (CI above 0).
    """
    truth = tables["experiments"].set_index("experiment_id")["true_lift"]
    out = summary[["experiment_id", "campaign_id", "lift", "lift_ci_low", "lift_ci_high"]].copy()
    out["true_lift"] = out["experiment_id"].map(truth)
    out["ci_covers_truth"] = (out["lift_ci_low"] <= out["true_lift"]) & (
        out["true_lift"] <= out["lift_ci_high"]
    )
    out["detected"] = out["lift_ci_low"] > 0
    return out


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
def _experiment(tables: Tables, experiment_id: str) -> pd.Series:
    experiments = tables["experiments"].set_index("experiment_id")
    if experiment_id not in experiments.index:
        raise ValueError(f"unknown experiment_id {experiment_id!r}; known: {', '.join(experiments.index)}")
    return experiments.loc[experiment_id]


def arm_series(tables: Tables, experiment_id: str, smooth_days: int = SMOOTH_DAYS) -> pd.DataFrame:
    """Daily conversions per arm, indexed to the arm's own pre-period mean (1 = as before the test).

    index = arm's conversions per 100,000 people that day / the arm's mean daily rate before ``start_date``;
    ``index_smoothed`` is its trailing ``smooth_days`` rolling mean. Columns: date, arm, conversions,
    population, rate_per_100k, index, index_smoothed, period ("pre", "test" or "after"). Two rows per day.
    """
    e = _experiment(tables, experiment_id)
    rows = tables["experiment_geo_daily"]
    rows = rows[rows["experiment_id"] == experiment_id]
    daily = rows.groupby(["arm", "date"])[["conversions", "population"]].sum().reset_index()
    daily["rate_per_100k"] = ratio(daily["conversions"] * 1e5, daily["population"], "rate per 100k")
    pre = daily["date"] < e["start_date"]
    baseline = daily[pre].groupby("arm")["rate_per_100k"].mean()
    daily["index"] = ratio(daily["rate_per_100k"], daily["arm"].map(baseline), "index vs pre-period")
    daily["index_smoothed"] = daily.groupby("arm")["index"].transform(
        lambda s: s.rolling(smooth_days, min_periods=1).mean()
    )
    daily["period"] = np.select([pre, daily["date"] <= e["end_date"]], ["pre", "test"], "after")
    return daily


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
@dataclass(frozen=True)
class DesignInputs:
    """A holdout design read from an experiment: geos, control share, test and pre-period days, and the mean
    daily conversions per geo before the test (the power calculator's mu)."""

    experiment_id: str
    n_geos: int
    holdout_share: float
    days: int
    pre_days: int
    daily_conversions_per_geo: float


def design_inputs(tables: Tables, experiment_id: str) -> DesignInputs:
    """The design of one experiment from `experiment_geo_daily`: holdout share = control geos / all geos;
    mu = pre-period conversions / (geos x pre-period days)."""
    e = _experiment(tables, experiment_id)
    rows = tables["experiment_geo_daily"]
    rows = rows[rows["experiment_id"] == experiment_id]
    pre = rows[rows["date"] < e["start_date"]]
    test = rows[(rows["date"] >= e["start_date"]) & (rows["date"] <= e["end_date"])]
    n_geos = int(rows["geo_id"].nunique())
    n_control = int(rows.loc[rows["arm"] == CONTROL, "geo_id"].nunique())
    pre_days = int(pre["date"].nunique())
    mu = ratio(float(pre["conversions"].sum()), n_geos * pre_days, "daily conversions per geo")
    return DesignInputs(experiment_id, n_geos, n_control / n_geos, int(test["date"].nunique()), pre_days, mu)


def mde_curve(
    daily_conversions_per_geo: float,
    geo_cv: float,
    *,
    n_geos: int,
    holdout_share: float,
    days: range = range(7, 121, 7),
    alpha: float = 0.05,
    power: float = 0.8,
) -> pd.DataFrame:
    """Minimum detectable lift for each test length in ``days`` (pre-period as long as the test):
    columns days, mde. Uses `incrementality.power_analysis`."""
    mdes = [
        power_analysis(
            daily_conversions_per_geo,
            geo_cv,
            n_geos=n_geos,
            holdout_share=holdout_share,
            days=d,
            alpha=alpha,
            power=power,
        ).mde
        for d in days
    ]
    return pd.DataFrame({"days": list(days), "mde": mdes})


def _registry_design() -> tuple[float, int, int]:
    """(holdout share, test days, total geos) from the registry, as `power_analysis` defaults them."""
    share = benchmark("holdout_share_influencers_time").value
    days = int(benchmark("holdout_min_days_influencers_time").value)
    n_geos = math.ceil(benchmark("geo_count_per_arm_girardmedia").value / share - 1e-9)
    return share, days, n_geos


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
    """Sliders starting at the registry design (`_registry_design`) and the given conversions per geo."""
    share, days, n_geos = _registry_design()
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
        share, days, n_geos = _registry_design()
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
def _split(n_geos: int, holdout_share: float) -> tuple[int, int]:
    """(treatment, control) geos; control = n_geos x holdout_share rounded half up, as `power_analysis`."""
    control = math.floor(n_geos * holdout_share + 0.5)
    return n_geos - control, control


def _lift(treated: np.ndarray, control: np.ndarray) -> np.ndarray:
    """Ratio DiD on arm sums [..., (pre, test)]: treated test / (treated pre x control test / control pre)
    - 1, NaN where the counterfactual is 0 or undefined (the estimator of `incrementality.geo_lift`)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        counterfactual = np.where(
            control[..., 0] > 0, treated[..., 0] * control[..., 1] / control[..., 0], np.nan
        )
        return np.where(counterfactual > 0, treated[..., 1] / counterfactual - 1, np.nan)


def simulate_holdouts(
    true_lift: float,
    *,
    n_geos: int,
    holdout_share: float,
    days: int,
    daily_conversions_per_geo: float,
    geo_cv: float = DEFAULT_GEO_CV,
    pre_days: int | None = None,
    n_sims: int = DEFAULT_N_SIMS,
    n_boot: int = DEFAULT_N_BOOT,
    alpha: float = 0.05,
    seed: int = 0,
) -> pd.DataFrame:
    """Run ``n_sims`` synthetic geo holdouts with a planted ``true_lift`` and estimate each like `geo_lift`.

    Model (equal-sized geos, as `power_analysis` assumes): pre-period conversions ~ Poisson(mu x P); test
    conversions ~ Poisson(mu x D x e_g x (1 + true_lift if treated)), with e_g lognormal of mean 1 and
    coefficient of variation ``geo_cv`` (drift the pre-period cannot remove). Estimate: the same ratio DiD
    as `incrementality.geo_lift`; CI: percentile bootstrap of geos within arm, ``n_boot`` resamples.
    Columns: sim, lift, ci_low, ci_high, covers (the CI contains ``true_lift``), detects (ci_low > 0). A run
    whose lift is undefined (no control conversions before the test) has NaN and counts as a miss.
    """
    n_t, n_c = _split(n_geos, holdout_share)
    if n_t < 1 or n_c < 1:
        raise ValueError(
            f"both arms need a geo: {n_geos} geos at holdout share {holdout_share} give {n_t}/{n_c}"
        )
    pre = days if pre_days is None else pre_days
    rng = np.random.default_rng(seed)
    sigma = math.sqrt(math.log1p(geo_cv**2))
    drift = rng.lognormal(-(sigma**2) / 2, sigma, (n_geos, n_sims))
    uplift = np.where(np.arange(n_geos) < n_t, 1 + true_lift, 1.0)[:, None]
    counts = np.stack(
        [
            rng.poisson(daily_conversions_per_geo * pre, (n_geos, n_sims)),
            rng.poisson(daily_conversions_per_geo * days * drift * uplift),
        ],
        axis=-1,
    ).astype("float64")  # (geo, sim, [pre, test])
    treated, control = counts[:n_t], counts[n_t:]
    lift = _lift(treated.sum(0), control.sum(0))

    def boot(arm: np.ndarray) -> np.ndarray:
        weights = rng.multinomial(len(arm), np.full(len(arm), 1 / len(arm)), size=n_boot)
        return (weights @ arm.reshape(len(arm), -1)).reshape(n_boot, n_sims, 2)

    draws = _lift(boot(treated), boot(control))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns give NaN bounds, as intended
        low, high = np.nanpercentile(draws, (100 * alpha / 2, 100 * (1 - alpha / 2)), axis=0)
    out = pd.DataFrame({"sim": np.arange(n_sims), "lift": lift, "ci_low": low, "ci_high": high})
    out["covers"] = (out["ci_low"] <= true_lift) & (true_lift <= out["ci_high"])
    out["detects"] = out["ci_low"] > 0
    out.attrs = {"true_lift": true_lift, "alpha": alpha, "n_treatment": n_t, "n_control": n_c}
    return out


@dataclass(frozen=True)
class SimulationSummary:
    """How a holdout design did over simulated runs: shares of runs (0-1) and the mean estimate."""

    n_sims: int
    true_lift: float
    coverage: float
    detection_rate: float
    mean_estimate: float


def summarise_simulation(runs: pd.DataFrame) -> SimulationSummary:
    """coverage = share of runs whose CI contains the planted lift; detection rate = share whose CI is above
    0 (the power actually achieved, or the false-positive rate when the planted lift is 0)."""
    return SimulationSummary(
        n_sims=len(runs),
        true_lift=float(runs.attrs["true_lift"]),
        coverage=float(runs["covers"].mean()),
        detection_rate=float(runs["detects"].mean()),
        mean_estimate=float(runs["lift"].mean()),
    )


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
