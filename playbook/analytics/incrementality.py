"""Incrementality: geo-holdout lift with a bootstrap CI, power analysis, and naive ROAS next to iROAS.

Formulas (industry-facts §1.6): lift = (treated - counterfactual) / counterfactual; incremental conversions
= treated conversions - counterfactual; iROAS = incremental revenue / spend. Design defaults come from the
registry: ``holdout_share_influencers_time`` (10-20% held out), ``holdout_min_days_influencers_time``
(at least 28 days) and ``geo_count_per_arm_girardmedia`` (20+ geos per arm).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

from playbook.analytics.attribution import Tables, campaign_attribution
from playbook.analytics.metrics import campaign_cost, iroas, roas
from playbook.analytics.undefined import Undefined, ratio, reason
from playbook.data.registry import benchmark

__all__ = [
    "SMOOTH_DAYS",
    "DesignInputs",
    "LiftResult",
    "PowerResult",
    "answer_key",
    "arm_series",
    "design_inputs",
    "geo_lift",
    "holdout_summary",
    "naive_vs_incremental",
    "power_analysis",
    "registry_design",
]


TREATMENT, CONTROL = "treatment", "control"


SMOOTH_DAYS = 7  # our choice: rolling window of the treated/control chart, one week of weekdays


@dataclass(frozen=True)
class LiftResult:
    """Geo-holdout estimate. Lift is relative (0.10 = +10%); amounts in the campaign's currency."""

    experiment_id: str
    lift: float
    ci_low: float
    ci_high: float
    incremental_conversions: float
    incremental_conversions_ci: tuple[float, float]
    incremental_revenue: float
    incremental_revenue_ci: tuple[float, float]
    n_treatment_geos: int
    n_control_geos: int
    days: int
    pre_days: int
    alpha: float
    method: str


def _geo_totals(rows: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Per geo and arm: pre/test sums of conversions and revenue (pre = every day before ``start``)."""
    pre, test = rows["date"] < start, (rows["date"] >= start) & (rows["date"] <= end)
    sums = {}
    for measure in ("conversions", "revenue"):
        sums[f"pre_{measure}"] = rows[measure].where(pre, 0).astype("float64")
        sums[f"test_{measure}"] = rows[measure].where(test, 0).astype("float64")
    keys = [rows["geo_id"], rows["arm"]]
    return pd.DataFrame(sums).groupby(keys).sum().reset_index()


def _did(treated: np.ndarray, control: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ratio DiD on arm sums [..., (pre, test)]: counterfactual = T_pre x C_test / C_pre.

    Returns (lift, incremental): lift is NaN where the counterfactual is 0 or undefined, incremental where
    the control pre-period is 0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        counterfactual = np.where(
            control[..., 0] > 0, treated[..., 0] * control[..., 1] / control[..., 0], np.nan
        )
        lift = np.where(counterfactual > 0, treated[..., 1] / counterfactual - 1, np.nan)
    return lift, treated[..., 1] - counterfactual


def _point(value: float, name: str) -> float:
    """A finite estimate as float, else undefined with the reason."""
    if np.isfinite(value):
        return float(value)
    return Undefined(f"{name}: the control pre-period or the counterfactual is 0")


def _percentile_ci(draws: np.ndarray, alpha: float, name: str) -> tuple[float, float]:
    """(alpha/2, 1 - alpha/2) percentiles of the bootstrap draws, ignoring undefined resamples."""
    if np.isnan(draws).all():
        why = Undefined(f"{name} CI: every resample has a zero control pre-period or counterfactual")
        return why, why
    low, high = np.nanpercentile(draws, (100 * alpha / 2, 100 * (1 - alpha / 2)))
    return float(low), float(high)


def _undefined_result(experiment_id: str, why: str, alpha: float, method: str) -> LiftResult:
    nan = Undefined(why)
    return LiftResult(
        experiment_id, nan, nan, nan, nan, (nan, nan), nan, (nan, nan), 0, 0, 0, 0, alpha, method
    )


def geo_lift(
    geo_daily: pd.DataFrame,
    experiment: Mapping | pd.Series,
    alpha: float = 0.05,
    n_boot: int = 2000,
    seed: int = 0,
) -> LiftResult:
    """Difference-in-differences lift of a geo holdout, with a geo bootstrap CI.

    Counterfactual treated conversions = treated pre x (control test / control pre), summed over the geos of
    each arm; lift = treated test / counterfactual - 1; incremental conversions = treated test -
    counterfactual (revenue likewise). Pre-period = every day before ``start_date`` (the sample has 28).
    CI: percentile bootstrap resampling geos within each arm, ``n_boot`` times with ``seed`` (resamples
    whose control pre-period sums to 0 are left out). Undefined values carry their reason.
    """
    eid = str(experiment["experiment_id"])
    start, end = pd.Timestamp(experiment["start_date"]), pd.Timestamp(experiment["end_date"])
    level = 100 * (1 - alpha)
    method = (
        "difference-in-differences ratio estimator: counterfactual = treated pre x control test / "
        "control pre; "
        f"{level:g}% percentile bootstrap CI, {n_boot} resamples of geos within arm (seed {seed})"
    )
    rows = geo_daily[geo_daily["experiment_id"] == eid]
    if rows.empty:
        return _undefined_result(eid, f"lift: no geo rows for experiment {eid}", alpha, method)
    geos = _geo_totals(rows, start, end)
    days = int(rows.loc[(rows["date"] >= start) & (rows["date"] <= end), "date"].nunique())
    pre_days = int(rows.loc[rows["date"] < start, "date"].nunique())
    arms = {arm: geos[geos["arm"] == arm] for arm in (TREATMENT, CONTROL)}
    if min(len(a) for a in arms.values()) == 0 or pre_days == 0 or days == 0:
        why = f"lift: experiment {eid} needs geos in both arms, pre-period days and test days"
        return _undefined_result(eid, why, alpha, method)

    def stack(arm: pd.DataFrame, measure: str) -> np.ndarray:
        return arm[[f"pre_{measure}", f"test_{measure}"]].to_numpy(dtype="float64")

    t_conv, c_conv = stack(arms[TREATMENT], "conversions"), stack(arms[CONTROL], "conversions")
    t_rev, c_rev = stack(arms[TREATMENT], "revenue"), stack(arms[CONTROL], "revenue")
    lift, incr = _did(t_conv.sum(0), c_conv.sum(0))
    _, incr_rev = _did(t_rev.sum(0), c_rev.sum(0))

    rng = np.random.default_rng(seed)
    ti = rng.integers(0, len(t_conv), (n_boot, len(t_conv)))
    ci = rng.integers(0, len(c_conv), (n_boot, len(c_conv)))
    boot_lift, boot_incr = _did(t_conv[ti].sum(1), c_conv[ci].sum(1))
    _, boot_rev = _did(t_rev[ti].sum(1), c_rev[ci].sum(1))
    lift_ci = _percentile_ci(boot_lift, alpha, "lift")
    return LiftResult(
        experiment_id=eid,
        lift=_point(lift, "lift"),
        ci_low=lift_ci[0],
        ci_high=lift_ci[1],
        incremental_conversions=_point(incr, "incremental conversions"),
        incremental_conversions_ci=_percentile_ci(boot_incr, alpha, "incremental conversions"),
        incremental_revenue=_point(incr_rev, "incremental revenue"),
        incremental_revenue_ci=_percentile_ci(boot_rev, alpha, "incremental revenue"),
        n_treatment_geos=len(t_conv),
        n_control_geos=len(c_conv),
        days=days,
        pre_days=pre_days,
        alpha=alpha,
        method=f"{method}; test {days} days vs pre {pre_days} days",
    )


# --------------------------------------------------------------------------- power analysis
@dataclass(frozen=True)
class PowerResult:
    """A geo-holdout design and its minimum detectable lift (relative, 0.10 = +10%)."""

    mde: float
    n_geos: float
    n_treatment: float
    n_control: float
    days: float
    pre_days: float
    holdout_share: float
    alpha: float
    power: float
    method: str


def _split(n_geos: float, holdout_share: float) -> tuple[int, int]:
    """(treatment, control) geos: control = n_geos x holdout_share, rounded half up."""
    control = math.floor(n_geos * holdout_share + 0.5)
    return int(n_geos) - control, control


def _per_geo_variance(mu: float, cv: float, days: float, pre_days: float) -> float:
    """Relative variance of one geo's test/pre rate: cv^2 + 1/(mu D) + 1/(mu P)."""
    return cv**2 + 1 / (mu * days) + 1 / (mu * pre_days)


def _mde(mu: float, cv: float, n_t: int, n_c: int, days: float, pre_days: float, z: float) -> float:
    """MDE = z x sqrt(v x (1/n_t + 1/n_c)); undefined without a geo in each arm or without conversions."""
    if n_t < 1 or n_c < 1:
        return Undefined(f"MDE: both arms need a geo (treatment {n_t}, control {n_c})")
    if mu <= 0 or days <= 0 or pre_days <= 0:
        return Undefined("MDE: daily conversions per geo, days and pre-period days must be > 0")
    return z * math.sqrt(_per_geo_variance(mu, cv, days, pre_days) * (1 / n_t + 1 / n_c))


def _required_days(
    mu: float, cv: float, n_t: int, n_c: int, pre_days: int | None, z: float, lift: float
) -> float:
    """Fewest whole test days with MDE <= lift; the pre-period has as many days when ``pre_days`` is None.

    Solves (lift / z)^2 / (1/n_t + 1/n_c) = cv^2 + 1/(mu D) + 1/(mu P) for D.
    """
    if n_t < 1 or n_c < 1 or mu <= 0:
        return Undefined("required days: needs a geo in each arm and daily conversions > 0")
    room = (lift / z) ** 2 / (1 / n_t + 1 / n_c) - cv**2  # what Poisson noise may still add, per geo
    if pre_days is not None:
        room -= 1 / (mu * pre_days)
    if room <= 0:
        return Undefined("required days: between-geo variation alone exceeds the target lift; add geos")
    return math.ceil((1 if pre_days is not None else 2) / (mu * room) - 1e-9)


def _required_geos(
    mu: float, cv: float, share: float, days: int, pre_days: int, z: float, lift: float
) -> float:
    """Fewest total geos with MDE <= lift: start below n = z^2 v / (lift^2 s (1 - s)) and step up."""
    if not 0 < share < 1 or mu <= 0 or days <= 0 or pre_days <= 0:
        return Undefined("required geos: needs a holdout share in (0, 1) and conversions, days > 0")
    v = _per_geo_variance(mu, cv, days, pre_days)
    n = max(2, math.floor(z**2 * v / (lift**2 * share * (1 - share))) - 2)
    while True:
        n_t, n_c = _split(n, share)
        if n_t >= 1 and n_c >= 1 and _mde(mu, cv, n_t, n_c, days, pre_days, z) <= lift:
            return n
        n += 1


def power_analysis(
    daily_conversions_per_geo: float,
    geo_cv: float,
    *,
    n_geos: int | None = None,
    holdout_share: float | None = None,
    days: int | None = None,
    pre_days: int | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    target_lift: float | None = None,
    solve_for: Literal["mde", "days", "geos"] = "mde",
) -> PowerResult:
    """Minimum detectable lift of a geo holdout, or the days (``solve_for="days"``) or total geos
    (``"geos"``) needed to detect ``target_lift``.

    Normal approximation for equal-sized geos: each geo's outcome is its test-period rate over its
    pre-period rate, with relative variance v = geo_cv^2 + 1/(mu D) + 1/(mu P): between-geo variation left
    after the pre-period adjustment plus Poisson noise of D test and P pre days at mu conversions per geo per
    day. MDE = (z_{1-alpha/2} + z_power) x sqrt(v x (1/n_treatment + 1/n_control)), control = n_geos x
    holdout_share rounded half up. Defaults: ``holdout_share`` = benchmark ``holdout_share_influencers_time``
    (0.15); ``days`` = benchmark ``holdout_min_days_influencers_time`` (28); ``pre_days`` = ``days``;
    ``n_geos`` = the fewest geos giving the control arm benchmark ``geo_count_per_arm_girardmedia`` (20)
    geos, i.e. ceil(20 / 0.15) = 134. ``alpha`` = 0.05 and ``power`` = 0.8 are conventions, not industry
    figures.
    """
    if solve_for not in ("mde", "days", "geos"):
        raise ValueError(f"solve_for must be 'mde', 'days' or 'geos', got {solve_for!r}")
    if solve_for != "mde" and (target_lift is None or target_lift <= 0):
        raise ValueError(f"solve_for={solve_for!r} needs a target_lift > 0")
    share = benchmark("holdout_share_influencers_time").value if holdout_share is None else holdout_share
    d: float = int(benchmark("holdout_min_days_influencers_time").value) if days is None else days
    n: float = (
        math.ceil(benchmark("geo_count_per_arm_girardmedia").value / share - 1e-9)
        if n_geos is None
        else n_geos
    )
    z = NormalDist().inv_cdf(1 - alpha / 2) + NormalDist().inv_cdf(power)
    mu, cv = daily_conversions_per_geo, geo_cv
    if solve_for == "days":
        d = _required_days(mu, cv, *_split(n, share), pre_days, z, float(target_lift))
    elif solve_for == "geos":
        n = _required_geos(mu, cv, share, d, pre_days if pre_days is not None else d, z, float(target_lift))
    pre = d if pre_days is None else pre_days
    method = (
        "normal approximation, equal-sized geos: MDE = (z_{1-alpha/2} + z_power) x "
        "sqrt((geo_cv^2 + 1/(mu D) + 1/(mu P)) x (1/n_treatment + 1/n_control))"
    )
    if math.isnan(d) or math.isnan(n):
        why = d if math.isnan(d) else n
        return PowerResult(why, n, why, why, d, pre, share, alpha, power, method)
    n_t, n_c = _split(n, share)
    return PowerResult(_mde(mu, cv, n_t, n_c, d, pre, z), n, n_t, n_c, d, pre, share, alpha, power, method)


# --------------------------------------------------------------------------- naive vs incremental
_INCREMENTAL_COLUMNS = (
    "lift",
    "lift_ci_low",
    "lift_ci_high",
    "incremental_conversions",
    "incremental_revenue",
    "iroas",
    "iroas_ci_low",
    "iroas_ci_high",
)


def _compare_note(naive: float, incremental: float, ci: tuple[float, float], alpha: float) -> str:
    """One sentence comparing naive ROAS with iROAS and its CI."""
    if math.isnan(naive) or math.isnan(incremental):
        return "naive ROAS or iROAS not measurable: " + "; ".join(
            r for r in (reason(naive), reason(incremental)) if r
        )
    level = f"{100 * (1 - alpha):g}%"
    head = f"naive ROAS {naive:.2f} vs iROAS {incremental:.2f} ({level} CI {ci[0]:.2f} to {ci[1]:.2f})"
    if ci[0] <= naive <= ci[1]:
        return f"{head}: the holdout cannot tell them apart"
    if naive > ci[1]:
        return f"{head}: attribution credits sales that would have happened anyway"
    return f"{head}: attribution misses incremental sales"


def naive_vs_incremental(
    tables: Tables, campaign_id: str, alpha: float = 0.05, n_boot: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """Naive attributed ROAS next to iROAS from the campaign's geo holdout, one row per experiment.

    naive ROAS = attributed revenue (`campaign_attribution`, the campaign's window) / full cost
    (`analytics.metrics.campaign_cost`: fees + product + shipping + agency fees + paid amplification + staff
    hours x hour cost); iROAS = incremental revenue (`geo_lift`) / the same cost, with the bootstrap CI.
    Without an experiment the incremental figures are NaN and ``note`` says why. Amounts in the campaign's
    currency.
    """
    cost = campaign_cost(tables, campaign_id)
    credited = campaign_attribution(tables, campaign_id)
    revenue = float(credited["revenue"].sum())
    base = {
        "campaign_id": campaign_id,
        "currency": cost.currency,
        "cost": cost.total,
        "attributed_orders": int(credited["orders"].sum()),
        "attributed_revenue": revenue,
        "naive_roas": roas(revenue, cost.total),
    }
    experiments = tables["experiments"]
    experiments = experiments[experiments["campaign_id"] == campaign_id]
    if experiments.empty:
        missing = f"no holdout experiment for {campaign_id}: incremental figures and iROAS undefined"
        undefined = dict.fromkeys(_INCREMENTAL_COLUMNS, Undefined(missing))
        return pd.DataFrame([base | undefined | {"experiment_id": None, "note": missing}])
    rows = []
    for experiment in experiments.to_dict("records"):
        result = geo_lift(tables["experiment_geo_daily"], experiment, alpha=alpha, n_boot=n_boot, seed=seed)
        incremental = iroas(result.incremental_revenue, cost.total)
        ci = tuple(iroas(bound, cost.total) for bound in result.incremental_revenue_ci)
        rows.append(
            base
            | {
                "experiment_id": result.experiment_id,
                "lift": result.lift,
                "lift_ci_low": result.ci_low,
                "lift_ci_high": result.ci_high,
                "incremental_conversions": result.incremental_conversions,
                "incremental_revenue": result.incremental_revenue,
                "iroas": incremental,
                "iroas_ci_low": ci[0],
                "iroas_ci_high": ci[1],
                "note": _compare_note(base["naive_roas"], incremental, ci, alpha),
            }
        )
    return pd.DataFrame(rows)


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


def registry_design() -> tuple[float, int, int]:
    """(holdout share, test days, total geos) from the registry, as `power_analysis` defaults them."""
    share = benchmark("holdout_share_influencers_time").value
    days = int(benchmark("holdout_min_days_influencers_time").value)
    n_geos = math.ceil(benchmark("geo_count_per_arm_girardmedia").value / share - 1e-9)
    return share, days, n_geos
