"""analytics.returns: full-cost returns, attribution windows and rules, EMV beside ROAS.

Worked examples with the arithmetic next to each expected value (moved with the functions out of the
widget modules).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics import returns as ret
from playbook.analytics.attribution import attribute_orders
from playbook.data.registry import benchmark

# Minimal dataset, campaign CP001 (consideration, USD, 7-day window):
# full cost = fee 2640 + product 45 + shipping 8.5 + amplification 3000 + agency 1500 + staff 60 h x 55
#           = 10493.5
CP001_COST = 2640 + 45 + 8.5 + 3000 + 1500 + 60 * 55


# CP002 (awareness, EUR, 30-day window): 180 + 60 + 12 + 0 + 500 + 25.5 h x 48 = 1976
CP002_COST = 180 + 60 + 12 + 0 + 500 + 25.5 * 48


def test_returns_table_worked_example(minimal_once):
    table = ret.returns_table(minimal_once, "CP001").set_index("metric")["value"]
    assert table["full cost"] == pytest.approx(CP001_COST)  # 10,493.50
    assert table["attributed revenue"] == 42.5 and table["gross margin"] == 25
    assert table["ROAS (fees only)"] == pytest.approx(42.5 / 2640)  # 0.0161, four times the full-cost ROAS
    assert table["ROAS"] == pytest.approx(42.5 / 10493.5)  # 0.00405
    assert table["revenue ROI"] == pytest.approx((42.5 - 10493.5) / 10493.5)
    assert table["margin ROI"] == pytest.approx((25 - 10493.5) / 10493.5)
    assert table["CAC"] == pytest.approx(10493.5)  # one new customer


def test_returns_table_zero_orders_is_undefined_not_zero(minimal_once):
    tables = dict(minimal_once, orders=minimal_once["orders"].iloc[0:0])
    table = ret.returns_table(tables, "CP001").set_index("metric")
    assert table.loc["ROAS", "value"] == 0  # no revenue is a real zero
    assert np.isnan(table.loc["CPA", "value"]) and table.loc["CPA", "reason"] == "CPA: denominator is 0"
    assert np.isnan(table.loc["CAC", "value"]) and "CAC" in table.loc["CAC", "reason"]


def test_toy_ledger_shows_each_rule():
    orders, codes, links = ret.toy_ledger()
    out = attribute_orders(orders, codes, links, window_days=30).set_index("order_id")
    assert list(out["rule"]) == ["code", "code", "link", "none", "none"]
    assert out.loc["O2", "credited_creator_id"] == "ana"  # Ana's code beats Ben's link
    assert out.loc["O3", "credited_creator_id"] == "ben"  # a site-wide code does not block the link
    assert "outside the 30-day window" in out.loc["O4", "reason"]


def test_window_sweep_code_revenue_is_fixed_link_revenue_grows(minimal_once):
    # CP002: OR000003 clicked Frida's link at 22:00, ordered at 07:00 the next day: 9 h = 0.375 days
    sweep = ret.window_sweep(minimal_once, "CP002", windows=(0.25, 0.375, 1))
    assert list(sweep["revenue_link"]) == [0.0, 80.0, 80.0]
    assert list(sweep["roas"]) == pytest.approx([0.0, 80 / CP002_COST, 80 / CP002_COST])
    code = ret.window_sweep(minimal_once, "CP001", windows=(1, 90))
    assert list(code["revenue_code"]) == [42.5, 42.5]


@settings(max_examples=8, deadline=None)
@given(st.lists(st.floats(min_value=0.01, max_value=90), min_size=2, max_size=4, unique=True))
def test_window_sweep_link_revenue_never_falls_with_a_longer_window(minimal_once, windows):
    sweep = ret.window_sweep(minimal_once, "CP002", windows=sorted(windows))
    assert sweep["revenue_link"].is_monotonic_increasing
    assert sweep["revenue_code"].nunique() == 1


def test_rule_mix_worked_example(minimal_once):
    mix = ret.rule_mix(minimal_once, "CP001").set_index("outcome")
    # OR000001: Mia's code, and Mia's link clicked 20 minutes before: the code wins
    assert mix.loc["creator code, link also clicked (code wins)", "orders"] == 1
    assert mix.loc["creator code, link also clicked (code wins)", "revenue"] == 42.5
    assert mix.loc["site-wide code only (credits nobody)", "revenue"] == 60  # OR000002, SPRING10
    late = ret.rule_mix(minimal_once, "CP002", window_days=0.25).set_index("outcome")
    assert late.loc["campaign link clicked outside window (not credited)", "orders"] == 1


def test_leak_check_never_reads_the_answer_key(sample):
    before = ret.leak_check(sample, "CP000007")
    flipped = dict(sample, orders=sample["orders"].assign(leaked_code=~sample["orders"]["leaked_code"]))
    after = ret.leak_check(flipped, "CP000007")
    pd.testing.assert_series_equal(before["leak_score"], after["leak_score"])
    assert (before["leaked_share_truth"].dropna() + after["leaked_share_truth"].dropna()).eq(1).all()


def test_emv_vs_roas_worked_example(minimal_once):
    frame = ret.emv_vs_roas(minimal_once)  # USD: CP001 only
    assert list(frame["campaign_id"]) == ["CP001"]
    row = frame.iloc[0]
    # impressions family: 36,000 / 1000 x Instagram CPM + 120,000 / 1000 x TikTok CPM (registry)
    ig = benchmark("cpm_instagram_wordontheblock_2023").value
    tt = benchmark("cpm_tiktok_wordontheblock_2023").value
    assert row["emv_impressions_per_cost"] == pytest.approx((36 * ig + 120 * tt) / CP001_COST)
    assert row["roas"] == pytest.approx(42.5 / CP001_COST)
    assert list(ret.emv_vs_roas(minimal_once, currency="EUR")["campaign_id"]) == ["CP002"]
