"""Geo-holdout lift (worked example, recovery of the planted lift, CI coverage), power analysis (worked
example, monotonicity, solving for days and geos) and naive ROAS next to iROAS."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics import incrementality as incr
from playbook.analytics import stats as pstats
from playbook.analytics.incrementality import _compare_note, geo_lift, naive_vs_incremental, power_analysis
from playbook.analytics.metrics import campaign_cost
from playbook.analytics.undefined import reason
from playbook.data.registry import benchmark

START = pd.Timestamp("2024-05-01")


def geo_frame(values: dict[tuple[str, str], list[int]], pre_days: int, revenue_per_conversion: float = 50.0):
    """Daily rows from {(geo_id, arm): conversions per day}; the first ``pre_days`` days precede START."""
    rows = []
    for (geo, arm), per_day in values.items():
        for i, conversions in enumerate(per_day):
            date = START + pd.Timedelta(days=i - pre_days)
            rows.append(("EX", geo, arm, date, 1000, conversions, conversions * revenue_per_conversion))
    columns = ["experiment_id", "geo_id", "arm", "date", "population", "conversions", "revenue"]
    return pd.DataFrame(rows, columns=columns)


def experiment(days: int) -> dict[str, object]:
    return {"experiment_id": "EX", "start_date": START, "end_date": START + pd.Timedelta(days=days - 1)}


def synthetic(
    rng: np.random.Generator, lift: float, n_t: int = 40, n_c: int = 20, days: int = 28
) -> pd.DataFrame:
    """Geo panel with a known lift: Poisson(mu x geo effect x day effect x (1 + lift in treated test days)),
    mu = 5 conversions per geo per day, geo effects log-normal (sigma 0.4), 28 pre days."""
    n, pre = n_t + n_c, 28
    geo_effect = np.exp(rng.normal(0, 0.4, n))
    day_effect = 1 + 0.15 * np.sin(2 * np.pi * np.arange(pre + days) / 7)
    treated = np.arange(n) < n_t
    uplift = np.where(treated[:, None] & (np.arange(pre + days) >= pre)[None, :], 1 + lift, 1.0)
    conversions = rng.poisson(5 * geo_effect[:, None] * day_effect[None, :] * uplift)
    dates = pd.date_range(START - pd.Timedelta(days=pre), periods=pre + days, freq="D")
    return pd.DataFrame(
        {
            "experiment_id": "EX",
            "geo_id": np.repeat([f"G{g:02d}" for g in range(n)], pre + days),
            "arm": np.repeat(np.where(treated, "treatment", "control"), pre + days),
            "date": np.tile(dates, n),
            "population": 1000,
            "conversions": conversions.ravel(),
            "revenue": 50.0 * conversions.ravel(),
        }
    )


# --------------------------------------------------------------------------- geo_lift
def test_geo_lift_worked_example() -> None:
    # 2 pre days + 2 test days. Treated pre = 20+30+25+25 = 100, treated test = 33+30+35+34 = 132;
    # control pre = 24+26+25+25 = 100, control test = 28+27+27+28 = 110.
    # counterfactual = 100 x 110 / 100 = 110; lift = 132 / 110 - 1 = 0.20; incremental = 132 - 110 = 22;
    # revenue is 50 per conversion, so incremental revenue = 22 x 50 = 1,100 (ratio DiD, reference §1.6).
    values = {
        ("T1", "treatment"): [20, 30, 33, 30],
        ("T2", "treatment"): [25, 25, 35, 34],
        ("C1", "control"): [24, 26, 28, 27],
        ("C2", "control"): [25, 25, 27, 28],
    }
    result = geo_lift(geo_frame(values, pre_days=2), experiment(days=2), n_boot=200)
    assert result.lift == pytest.approx(0.20)
    assert result.incremental_conversions == pytest.approx(22.0)
    assert result.incremental_revenue == pytest.approx(1100.0)
    assert (result.n_treatment_geos, result.n_control_geos, result.days, result.pre_days) == (2, 2, 2, 2)
    assert result.ci_low <= result.lift <= result.ci_high
    assert "difference-in-differences" in result.method and "200 resamples" in result.method


def test_geo_lift_ignores_days_after_the_test_and_is_seeded() -> None:
    values = {("T1", "treatment"): [10, 10, 12, 99], ("C1", "control"): [10, 10, 10, 1]}
    frame = geo_frame(values, pre_days=2)
    result = geo_lift(frame, experiment(days=1))  # test = day 3 only; day 4 is after the end
    # treated pre 20, test 12; control pre 20, test 10: counterfactual 20 x 10 / 20 = 10, lift 12/10 - 1

    assert result.lift == pytest.approx(0.2)
    big = synthetic(np.random.default_rng(1), 0.1)
    assert geo_lift(big, experiment(28), seed=3) == geo_lift(big, experiment(28), seed=3)
    assert geo_lift(big, experiment(28), seed=3).ci_low != geo_lift(big, experiment(28), seed=4).ci_low


def test_geo_lift_undefined_cases_carry_reasons() -> None:
    zero_control = {("T1", "treatment"): [5, 5, 6, 6], ("C1", "control"): [0, 0, 3, 3]}
    result = geo_lift(geo_frame(zero_control, pre_days=2), experiment(days=2))
    assert math.isnan(result.lift) and "control pre-period" in reason(result.lift)
    assert math.isnan(result.ci_low) and reason(result.ci_low)
    missing = geo_lift(geo_frame(zero_control, pre_days=2), {**experiment(2), "experiment_id": "EX9"})
    assert math.isnan(missing.lift) and reason(missing.lift) == "lift: no geo rows for experiment EX9"
    no_pre = geo_lift(geo_frame(zero_control, pre_days=0), experiment(days=4))
    assert math.isnan(no_pre.lift) and "pre-period" in reason(no_pre.lift)
    one_arm = geo_frame({("T1", "treatment"): [5, 5, 6, 6]}, pre_days=2)
    assert "both arms" in reason(geo_lift(one_arm, experiment(2)).lift)


def test_geo_lift_recovers_the_planted_lift_on_the_sample(sample) -> None:
    for row in sample["experiments"].to_dict("records"):
        result = geo_lift(sample["experiment_geo_daily"], row)
        assert result.ci_low <= row["true_lift"] <= result.ci_high, row["experiment_id"]
        assert result.pre_days == benchmark("holdout_min_days_influencers_time").value
        assert result.n_control_geos == benchmark("geo_count_per_arm_girardmedia").value


def test_bootstrap_ci_coverage_on_synthetic_geo_data() -> None:
    # 200 panels with a known lift of 10%; a 95% interval should cover it in about 95% of them
    rng = np.random.default_rng(2024)
    covered = [
        (r.ci_low <= 0.10 <= r.ci_high)
        for r in (geo_lift(synthetic(rng, 0.10), experiment(28), n_boot=400, seed=i) for i in range(200))
    ]
    coverage = float(np.mean(covered))
    assert 0.88 <= coverage <= 0.99, coverage


# --------------------------------------------------------------------------- power analysis
def test_power_analysis_worked_example() -> None:
    # mu = 10 conversions/geo/day, geo_cv = 0.1, 40 geos split 20/20, 28 test + 28 pre days:
    # v = 0.1^2 + 1/(10 x 28) + 1/(10 x 28) = 0.01 + 0.0071429 = 0.0171429
    # se = sqrt(v x (1/20 + 1/20)) = sqrt(0.00171429) = 0.0414039
    # MDE = (1.959964 + 0.841621) x 0.0414039 = 2.801585 x 0.0414039 = 0.115997
    result = power_analysis(10, 0.1, n_geos=40, holdout_share=0.5, days=28)
    assert result.mde == pytest.approx(0.115997, abs=1e-6)
    assert (result.n_treatment, result.n_control, result.pre_days) == (20, 20, 28)


def test_power_analysis_defaults_come_from_the_registry() -> None:
    result = power_analysis(10, 0.1)
    share = benchmark("holdout_share_influencers_time").value
    assert result.holdout_share == share == 0.15
    assert result.days == benchmark("holdout_min_days_influencers_time").value == 28
    # the control arm gets the 20 geos per arm Girard Media recommends: ceil(20 / 0.15) = 134 geos in total
    assert (result.n_geos, result.n_control, result.n_treatment) == (134, 20, 114)


def test_power_analysis_solves_for_days_and_geos() -> None:
    days = power_analysis(10, 0.05, n_geos=40, holdout_share=0.5, target_lift=0.1, solve_for="days")
    assert days.mde <= 0.1
    assert power_analysis(10, 0.05, n_geos=40, holdout_share=0.5, days=days.days - 1).mde > 0.1
    geos = power_analysis(10, 0.1, holdout_share=0.2, days=28, target_lift=0.1, solve_for="geos")
    assert geos.mde <= 0.1
    assert power_analysis(10, 0.1, n_geos=geos.n_geos - 1, holdout_share=0.2, days=28).mde > 0.1


def test_power_analysis_undefined_and_invalid_inputs() -> None:
    stuck = power_analysis(10, 0.3, n_geos=10, holdout_share=0.5, target_lift=0.1, solve_for="days")
    assert math.isnan(stuck.days) and "add geos" in reason(stuck.days)
    assert math.isnan(stuck.mde)
    assert "both arms" in reason(power_analysis(10, 0.1, n_geos=2, holdout_share=0.1).mde)
    assert "> 0" in reason(power_analysis(0, 0.1).mde)
    with pytest.raises(ValueError, match="target_lift"):
        power_analysis(10, 0.1, solve_for="days")
    with pytest.raises(ValueError, match="solve_for"):
        power_analysis(10, 0.1, solve_for="power")  # type: ignore[arg-type]


@settings(max_examples=80, deadline=None)
@given(
    st.floats(0.05, 200),
    st.floats(0, 1),
    st.integers(4, 300),
    st.integers(1, 120),
    st.floats(0.05, 0.5),
)
def test_more_geos_or_more_days_never_raise_the_mde(mu, cv, n_geos, days, share) -> None:
    base = power_analysis(mu, cv, n_geos=n_geos, holdout_share=share, days=days).mde
    more_geos = power_analysis(mu, cv, n_geos=n_geos + 1, holdout_share=share, days=days).mde
    more_days = power_analysis(mu, cv, n_geos=n_geos, holdout_share=share, days=days + 1).mde
    if not math.isnan(base):
        assert more_geos < base
        assert more_days < base


def test_sample_experiments_are_powered_near_their_planted_lift(sample) -> None:
    # measured: the minimum detectable lift (about 0.62 and 0.66, no between-geo variation) is of the same
    # order as the planted lifts (0.748 and 0.568): the holdouts can just about see the effect
    geo = sample["experiment_geo_daily"]
    for row in sample["experiments"].itertuples():
        rows = geo[(geo["experiment_id"] == row.experiment_id) & (geo["date"] < row.start_date)]
        mu = rows.groupby("geo_id")["conversions"].mean().mean()
        days = (row.end_date - row.start_date).days + 1
        design = power_analysis(
            mu, 0.0, n_geos=row.n_geos, holdout_share=row.holdout_share, days=days, pre_days=28
        )
        assert 0.5 * row.true_lift < design.mde < 1.5 * row.true_lift


# --------------------------------------------------------------------------- naive vs incremental
def test_naive_vs_incremental_on_the_sample_holdout_campaigns(sample) -> None:
    for row in sample["experiments"].itertuples():
        out = naive_vs_incremental(sample, row.campaign_id).iloc[0]
        cost = campaign_cost(sample, row.campaign_id).total
        assert out["cost"] == pytest.approx(cost)
        assert out["naive_roas"] == pytest.approx(out["attributed_revenue"] / cost)
        assert out["iroas"] == pytest.approx(out["incremental_revenue"] / cost)
        assert out["iroas_ci_low"] <= out["iroas"] <= out["iroas_ci_high"]
        # what the data was built to show, against the planted truth: treated test revenue x lift / (1 + lift)
        geo = sample["experiment_geo_daily"]
        treated = geo[
            (geo["experiment_id"] == row.experiment_id)
            & (geo["arm"] == "treatment")
            & (geo["date"] >= row.start_date)
            & (geo["date"] <= row.end_date)
        ]
        true_iroas = treated["revenue"].sum() * row.true_lift / (1 + row.true_lift) / cost
        assert out["naive_roas"] > true_iroas
        # and what the estimate shows: the point estimate of iROAS is about half the naive ROAS
        assert out["naive_roas"] > out["iroas"]
    by_campaign = {
        r.campaign_id: naive_vs_incremental(sample, r.campaign_id).iloc[0]
        for r in sample["experiments"].itertuples()
    }
    # measured: both naive ROAS (0.71, 0.71; orders before the campaign start not credited) lie inside their
    # iROAS CIs (-0.09 to 0.77 and -0.29 to 0.86): neither holdout can tell attribution and causation apart
    for campaign_id in ("CP000007", "CP000009"):
        row = by_campaign[campaign_id]
        assert row["iroas_ci_low"] <= row["naive_roas"] <= row["iroas_ci_high"]
        assert row["note"].endswith("the holdout cannot tell them apart")


@pytest.mark.parametrize(
    ("naive", "ending"),
    [
        (0.5, "the holdout cannot tell them apart"),  # inside the CI, edges included
        (0.9, "attribution credits sales that would have happened anyway"),  # above the CI
        (0.1, "attribution misses incremental sales"),  # below the CI
    ],
)
def test_compare_note_says_where_naive_roas_lies_against_the_iroas_interval(naive, ending) -> None:
    note = _compare_note(naive, 0.45, (0.2, 0.8), 0.05)
    assert note == f"naive ROAS {naive:.2f} vs iROAS 0.45 (95% CI 0.20 to 0.80): {ending}"
    assert _compare_note(0.2, 0.45, (0.2, 0.8), 0.05).endswith("cannot tell them apart")


def test_naive_vs_incremental_without_an_experiment(sample) -> None:
    out = naive_vs_incremental(sample, "CP000000")
    assert len(out) == 1
    row = out.iloc[0]
    assert row["experiment_id"] is None and math.isnan(row["iroas"]) and math.isnan(row["lift"])
    assert row["note"] == "no holdout experiment for CP000000: incremental figures and iROAS undefined"
    assert row["naive_roas"] > 0


def test_naive_vs_incremental_worked_example_on_the_minimal_dataset(minimal_tables) -> None:
    # CP001 cost = fee 2,640 + product 45 + shipping 8.5 + paid 3,000 + agency 1,500 + 60 h x 55 = 10,493.5
    # attributed: OR000001 (code MIA15, 42.50); OR000002 uses a site-wide code with no click -> nobody
    # naive ROAS = 42.5 / 10,493.5 = 0.0040501; EX001 has no pre-period, so the lift is undefined
    out = naive_vs_incremental(minimal_tables, "CP001", n_boot=50).iloc[0]
    assert out["cost"] == pytest.approx(10493.5)
    assert out["attributed_revenue"] == 42.5 and out["attributed_orders"] == 1
    assert out["naive_roas"] == pytest.approx(0.0040501, abs=1e-7)
    assert math.isnan(out["iroas"])
    assert "not measurable" in out["note"] and "pre-period" in out["note"]


# --------------------------------------------------------------- moved from test_apps_incrementality.py
CP001_COST = 2640 + 45 + 8.5 + 3000 + 1500 + 60 * 55  # minimal dataset: full cost of CP001, 10493.5 USD


def test_holdout_summary_worked_example(holdout):
    row = incr.holdout_summary(holdout, n_boot=200).iloc[0]
    # conversions: treated pre 20, test 30; control pre 20, test 24 -> counterfactual 20 x 24 / 20 = 24
    assert row["lift"] == pytest.approx(30 / 24 - 1)  # 0.25
    assert row["incremental_conversions"] == pytest.approx(6)
    # revenue: treated pre 100, test 130; control pre 100, test 110 -> counterfactual 110, incremental 20
    assert row["incremental_revenue"] == pytest.approx(20)
    assert row["iroas"] == pytest.approx(20 / CP001_COST)
    assert row["naive_roas"] == pytest.approx(42.5 / CP001_COST)  # Mia's code order, 42.50
    assert row["nonincremental_share"] == pytest.approx(1 - 20 / 42.5)  # 0.53 would have come anyway


def test_holdout_summary_without_a_pre_period_is_undefined(minimal_once):
    row = incr.holdout_summary(minimal_once, n_boot=50).iloc[0]  # EX001 starts on its first day of data
    assert np.isnan(row["lift"]) and np.isnan(row["nonincremental_share"])
    assert "pre-period" in row["note"]
    assert incr.holdout_summary(dict(minimal_once, experiments=minimal_once["experiments"].iloc[0:0])).empty


def test_answer_key_compares_with_the_planted_lift_after_estimation(minimal_once):
    summary = pd.DataFrame(
        {
            "experiment_id": ["EX001", "EX001"],
            "campaign_id": ["CP001", "CP001"],
            "lift": [0.3, 0.0],
            "lift_ci_low": [0.1, -0.1],
            "lift_ci_high": [0.5, 0.05],
        }
    )
    key = incr.answer_key(minimal_once, summary)
    assert list(key["true_lift"]) == [0.12, 0.12]  # experiments.true_lift of EX001
    assert list(key["ci_covers_truth"]) == [True, False]  # 0.1 <= 0.12 <= 0.5; 0.12 > 0.05
    assert list(key["detected"]) == [True, False]


def test_design_inputs_worked_example(holdout, sample):
    d = incr.design_inputs(holdout, "EX001")
    assert (d.n_geos, d.holdout_share, d.days, d.pre_days) == (4, 0.5, 2, 2)
    assert d.daily_conversions_per_geo == pytest.approx(40 / (4 * 2))  # 40 pre conversions, 4 geos, 2 days
    s = incr.design_inputs(sample, "EX000001")
    rows = sample["experiment_geo_daily"].query("experiment_id == 'EX000001'")
    start = sample["experiments"].set_index("experiment_id").loc["EX000001", "start_date"]
    pre = rows[rows["date"] < start]
    assert s.daily_conversions_per_geo == pytest.approx(
        pre["conversions"].sum() / (60 * pre["date"].nunique())
    )
    assert (s.n_geos, round(s.holdout_share, 4)) == (60, 0.3333)
    with pytest.raises(ValueError, match="unknown experiment_id"):
        incr.design_inputs(sample, "EX999")


def test_design_inputs_without_pre_period_is_undefined(minimal_once):
    d = incr.design_inputs(minimal_once, "EX001")
    assert np.isnan(d.daily_conversions_per_geo) and "denominator is 0" in d.daily_conversions_per_geo.reason


def test_mde_curve_falls_with_days_and_matches_power_analysis():
    curve = pstats.mde_curve(1.0, 0.1, n_geos=134, holdout_share=0.15)
    assert curve["mde"].is_monotonic_decreasing
    at_28 = curve.set_index("days").loc[28, "mde"]
    assert at_28 == pytest.approx(power_analysis(1.0, 0.1, n_geos=134, holdout_share=0.15, days=28).mde)


def test_simulated_estimator_is_the_geo_lift_estimator(holdout):
    # arm sums [pre, test]: treated (20, 30), control (20, 24) -> 30 / (20 x 24 / 20) - 1 = 0.25
    lift = pstats._lift(np.array([20.0, 30.0]), np.array([20.0, 24.0]))
    assert lift == pytest.approx(0.25)
    experiment = holdout["experiments"].iloc[0]
    assert geo_lift(holdout["experiment_geo_daily"], experiment, n_boot=50).lift == pytest.approx(lift)
    assert np.isnan(pstats._lift(np.array([20.0, 30.0]), np.array([0.0, 24.0])))  # no control pre-period


def test_simulation_at_the_mde_detects_about_as_often_as_the_power():
    mde = power_analysis(1.0, 0.1, n_geos=134, holdout_share=0.15, days=28).mde
    runs = pstats.simulate_holdouts(
        mde, n_geos=134, holdout_share=0.15, days=28, daily_conversions_per_geo=1.0, n_sims=300, seed=2
    )
    stats = pstats.summarise_simulation(runs)
    assert 0.65 <= stats.detection_rate <= 0.92  # the calculator promises 80%
    assert stats.mean_estimate == pytest.approx(mde, abs=0.03)  # unbiased on average
    assert (runs["ci_low"] <= runs["ci_high"]).all()


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=4, max_value=300), st.floats(min_value=0.05, max_value=0.5))
def test_simulation_splits_geos_like_the_power_calculator(n_geos, share):
    result = power_analysis(1.0, 0.1, n_geos=n_geos, holdout_share=share, days=28)
    if result.n_control < 1 or result.n_treatment < 1:
        with pytest.raises(ValueError, match="both arms need a geo"):
            pstats.simulate_holdouts(
                0.1, n_geos=n_geos, holdout_share=share, days=28, daily_conversions_per_geo=1
            )
        return
    runs = pstats.simulate_holdouts(
        0.1, n_geos=n_geos, holdout_share=share, days=28, daily_conversions_per_geo=1.0, n_sims=2, n_boot=20
    )
    assert (runs.attrs["n_treatment"], runs.attrs["n_control"]) == (result.n_treatment, result.n_control)
