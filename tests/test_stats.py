"""analytics.stats: Wilson intervals, detectable lift by test length, simulated holdouts.

Worked examples with the arithmetic next to each expected value (moved with the functions out of the
widget modules).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics import stats as pstats
from playbook.analytics.stats import wilson_interval
from playbook.analytics.undefined import reason


def test_simulation_without_lift_rarely_detects_one():
    runs = pstats.simulate_holdouts(
        0.0, n_geos=134, holdout_share=0.15, days=28, daily_conversions_per_geo=1.0, n_sims=300, seed=1
    )
    stats = pstats.summarise_simulation(runs)
    assert stats.detection_rate <= 0.1  # false positives near alpha = 5%
    assert stats.coverage >= 0.85
    assert abs(stats.mean_estimate) < 0.03


def test_simulation_is_seeded():
    design = {"n_geos": 40, "holdout_share": 0.25, "days": 14, "daily_conversions_per_geo": 2.0, "n_sims": 20}
    first = pstats.simulate_holdouts(0.2, seed=5, **design)
    pd.testing.assert_frame_equal(first, pstats.simulate_holdouts(0.2, seed=5, **design))
    assert not first["lift"].equals(pstats.simulate_holdouts(0.2, seed=6, **design)["lift"])


# --------------------------------------------------------------------- moved from test_apps_outreach.py
def test_wilson_interval_worked_examples() -> None:
    # Wilson (1927), 95%: z = 1.959964, z² = 3.841459.
    # 5 of 10: p = 0.5, denominator = 1 + 3.841459 / 10 = 1.3841459,
    # centre = (0.5 + 0.1920729) / 1.3841459 = 0.5,
    # half = 1.959964 x sqrt(0.025 + 3.841459 / 400) / 1.3841459 = 1.959964 x 0.186020 / 1.3841459 = 0.263406
    low, high = wilson_interval(5, 10)
    assert (low, high) == pytest.approx((0.236594, 0.763406), abs=1e-6)
    # 0 of 10: centre = 0.1920729 / 1.3841459 = 0.138766 = half, so (0, 0.277532): never below 0
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.277532, abs=1e-6)
    # 10 of 10 mirrors it: (0.722468, 1)
    assert wilson_interval(10, 10) == pytest.approx((0.722468, 1.0), abs=1e-6)


def test_wilson_interval_without_trials_is_undefined_with_a_reason() -> None:
    low, high = wilson_interval(0, 0)
    assert math.isnan(low) and math.isnan(high)
    assert "denominator is 0" in reason(low)
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(3, 2)
    with pytest.raises(ValueError, match="confidence"):
        wilson_interval(1, 2, confidence=1.0)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=2000), st.data())
def test_wilson_interval_holds_the_rate_and_narrows_with_more_data(trials: int, data: st.DataObject) -> None:
    successes = data.draw(st.integers(min_value=0, max_value=trials))
    low, high = wilson_interval(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0
    # four times the data at the same rate: a narrower interval
    low4, high4 = wilson_interval(4 * successes, 4 * trials)
    assert high4 - low4 < high - low
    # a higher confidence level gives a wider interval
    low99, high99 = wilson_interval(successes, trials, confidence=0.99)
    assert low99 <= low and high99 >= high


def _groups(rates: list[float], lows: list[float], highs: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"group": [f"g{i}" for i in range(len(rates))], "rate": rates, "ci_low": lows, "ci_high": highs}
    )


def test_extreme_groups_reads_the_best_and_worst_intervals() -> None:
    # best g1 (0.8, interval 0.77-0.83), worst g0 (0.2, 0.17-0.23): 0.77 > 0.23, the intervals separate
    apart = pstats.extreme_groups(_groups([0.2, 0.8, 0.5], [0.17, 0.77, 0.4], [0.23, 0.83, 0.6]))
    assert apart == pstats.ExtremeGroups(best="g1", worst="g0", overlap=False)
    # best g1 (0.5, 0.30-0.70), worst g0 (0.4, 0.20-0.60): 0.30 <= 0.60, they overlap; equal ends overlap too
    assert pstats.extreme_groups(_groups([0.4, 0.5], [0.2, 0.3], [0.6, 0.7])).overlap
    assert pstats.extreme_groups(_groups([0.4, 0.5], [0.2, 0.3], [0.3, 0.7])).overlap


def test_extreme_groups_leaves_out_undefined_rates() -> None:
    # g0 has no rate (no trials): one defined group left, nothing to compare
    assert pstats.extreme_groups(_groups([math.nan, 0.5], [math.nan, 0.3], [math.nan, 0.7])) is None
    assert pstats.extreme_groups(_groups([], [], [])) is None
    three = _groups([math.nan, 0.5, 0.1], [math.nan, 0.45, 0.05], [math.nan, 0.55, 0.15])
    assert pstats.extreme_groups(three) == pstats.ExtremeGroups(best="g1", worst="g2", overlap=False)
