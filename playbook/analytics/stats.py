"""Small statistics the course and the reports share: proportion intervals, detectable effects and power of a
holdout design, and the simulation of many holdouts. Formulas and sources in each docstring.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from playbook.analytics.incrementality import (
    power_analysis,
)
from playbook.analytics.undefined import Undefined

__all__ = [
    "DEFAULT_CONFIDENCE",
    "DEFAULT_GEO_CV",
    "DEFAULT_N_BOOT",
    "DEFAULT_N_SIMS",
    "ExtremeGroups",
    "SimulationSummary",
    "extreme_groups",
    "mde_curve",
    "simulate_holdouts",
    "summarise_simulation",
    "wilson_interval",
]

DEFAULT_CONFIDENCE = 0.95  # our choice: the conventional 95% interval


DEFAULT_GEO_CV = 0.1  # our assumption: between-geo variation left after the pre-period adjustment
DEFAULT_N_SIMS = 100  # our choice: enough runs to read a coverage rate, fast enough to click
DEFAULT_N_BOOT = 500  # our choice: bootstrap resamples per simulated experiment (geo_lift uses 2000)


def wilson_interval(
    successes: float, trials: float, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[float, float]:
    """Wilson score interval for a proportion successes / trials.

    With p = successes / trials, n = trials and z the two-sided normal quantile of ``confidence``:
    centre = (p + z²/2n) / (1 + z²/n), half-width = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n); the interval is
    centre ± half-width (Wilson 1927; it stays inside [0, 1] and behaves for small n, unlike p ± z·se).
    Undefined (NaN with a reason) when trials is 0.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1); got {confidence!r}")
    if trials <= 0:
        why = "confidence interval: no trials (denominator is 0)"
        return Undefined(why), Undefined(why)
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must be in [0, trials]; got {successes!r} of {trials!r}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p, n = successes / trials, trials
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)  # exact ends: rounding leaves 1e-17 there
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class ExtremeGroups:
    """The groups with the highest and lowest rate, and whether their confidence intervals overlap."""

    best: str
    worst: str
    overlap: bool


def extreme_groups(frame: pd.DataFrame) -> ExtremeGroups | None:
    """Best and worst group by ``rate`` (columns group, rate, ci_low, ci_high, as `planning.funnel_by_group`
    gives) and whether their intervals overlap: best ci_low <= worst ci_high. Overlapping intervals mean the
    gap may be noise; separate ones that it is unlikely to be noise alone (a rough reading, not a test).
    Groups with an undefined rate are left out; None when fewer than two remain (nothing to compare)."""
    known = frame.dropna(subset=["rate"])
    if len(known) < 2:
        return None
    best, worst = known.loc[known["rate"].idxmax()], known.loc[known["rate"].idxmin()]
    return ExtremeGroups(str(best["group"]), str(worst["group"]), bool(best["ci_low"] <= worst["ci_high"]))


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
