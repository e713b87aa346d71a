"""Module 08 apps and helpers: worked examples on the hand-written minimal dataset, widgets driven without a
browser, and checks on the seeded sample.

Worked examples follow `analytics.metrics` (full cost, ROAS, ROI: reference §1.3-1.4, Sprout Social / Modash)
and the Modash attribution rules (code beats link, last touch in the window: reference §1.5).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import notebook_headings
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics import kpis
from playbook.analytics import returns as ret
from playbook.analytics.attribution import attribute_orders, campaign_attribution
from playbook.course.apps import measurement as m
from playbook.data.registry import benchmark

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "08_measuring_performance.ipynb"
# Minimal dataset, campaign CP001 (consideration, USD, 7-day window):
# full cost = fee 2640 + product 45 + shipping 8.5 + amplification 3000 + agency 1500 + staff 60 h x 55
#           = 10493.5
CP001_COST = 2640 + 45 + 8.5 + 3000 + 1500 + 60 * 55
# CP002 (awareness, EUR, 30-day window): 180 + 60 + 12 + 0 + 500 + 25.5 h x 48 = 1976
CP002_COST = 180 + 60 + 12 + 0 + 500 + 25.5 * 48


# --------------------------------------------------------------------------- KPI tree app
def test_scorecard_without_posts(minimal_once):
    posts = minimal_once["posts"]
    tables = dict(minimal_once, posts=posts[posts["campaign_id"] != "CP002"])
    card = kpis.creator_scorecard(tables, "CP002")  # Frida is contracted and credited but posted nothing
    assert card["posts"].iloc[0] == 0 and card["verdict"].iloc[0] == "review"


def test_kpi_tree_app_switches_campaign(minimal_once):
    app = m.KpiTreeApp(minimal_once, "CP001", n_boot=50)
    # met: ER by reach 0.115 >= 0.04; missed: reach, link clicks, conversions, ROAS
    assert "Targets met: 1 of 5" in app.summary.value and "consideration" in app.summary.value
    assert len(app.chart.to_dict()["datasets"][next(iter(app.chart.to_dict()["datasets"]))]) == 5
    app.campaign.value = "CP002"
    assert app.result.attrs["objective"] == "awareness"
    assert "Reach, CPM, View rate" in app.summary.value
    assert len(app.out.outputs) == 2  # chart and table


# --------------------------------------------------------------------------- full-cost returns
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


def test_cost_chart_has_one_bar_per_component(minimal_once):
    from playbook.analytics.metrics import campaign_cost

    spec = m.cost_chart(campaign_cost(minimal_once, "CP001")).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 6 and "10,494 USD" in spec["title"]


# --------------------------------------------------------------------------- attribution
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


def test_attribution_window_app(sample):
    app = m.AttributionWindowApp(sample, "CP000007")
    assert app.window.value == 30  # the campaign's own window
    code_at_30 = app.result["revenue_code"].sum()
    app.window.value = 1
    expected = campaign_attribution(sample, "CP000007", 1)
    pd.testing.assert_frame_equal(app.result, expected)
    assert app.result["revenue_code"].sum() == code_at_30  # codes ignore the window
    assert "1-day window" in app.summary.value and "campaign default 30" in app.summary.value
    assert app.rules["revenue"].iloc[:3].sum() == pytest.approx(app.result["revenue"].sum())
    app.campaign.value = "CP000010"  # its own window is 7 days
    assert app.window.value == 7 and "7-day window" in app.summary.value
    assert app.sweep["revenue_link"].is_monotonic_increasing


def test_reconciliation_chart_drops_sources_that_did_not_report(sample):
    from playbook.analytics.attribution import reconcile

    frame = reconcile(sample, "CP000007")
    rows = next(iter(m.reconciliation_chart(frame).to_dict()["datasets"].values()))
    expected = frame[["platform_revenue", "screenshot_revenue", "tracked_revenue", "store_revenue"]].notna()
    assert len(rows) == int(expected.to_numpy().sum())


def test_leak_check_never_reads_the_answer_key(sample):
    before = ret.leak_check(sample, "CP000007")
    flipped = dict(sample, orders=sample["orders"].assign(leaked_code=~sample["orders"]["leaked_code"]))
    after = ret.leak_check(flipped, "CP000007")
    pd.testing.assert_series_equal(before["leak_score"], after["leak_score"])
    assert (before["leaked_share_truth"].dropna() + after["leaked_share_truth"].dropna()).eq(1).all()


# --------------------------------------------------------------------------- EMV
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


def test_emv_chart_draws_the_registry_claims(sample):
    spec = m.emv_chart(ret.emv_vs_roas(sample)).to_dict()
    values = [row.get("value") for rows in spec["datasets"].values() for row in rows if "claim" in row]
    assert sorted(values) == sorted(benchmark(b).value for b in m.EMV_CLAIM_IDS)


# --------------------------------------------------------------------------- scorecard
def test_scorecard_awareness_worked_example(minimal_once):
    card = kpis.creator_scorecard(minimal_once, "CP002").set_index("creator_id").loc["CR00003"]
    # cost = 180 + 60 + 12 + all overheads (500 + 0 + 1224; Frida holds all fees) = 1976
    assert card["cost"] == pytest.approx(CP002_COST)
    # cost per 1,000 reached = 1976 x 1000 / 9000 = 219.56; target = budget 8000.5 x 1000 / 200,000 = 40.00
    assert card["target"] == pytest.approx(40.0025)
    assert card["score"] == pytest.approx(40.0025 / (1976 * 1000 / 9000))  # 0.18: lower is better
    assert card["verdict"] == "drop"
    lenient = kpis.creator_scorecard(minimal_once, "CP002", renegotiate_floor=0.1)
    assert lenient["verdict"].iloc[0] == "renegotiate"


def test_scorecard_consideration_rebooks_above_target(minimal_once):
    card = kpis.creator_scorecard(minimal_once, "CP001").set_index("creator_id").loc["CR00001"]
    assert card["cost"] == pytest.approx(CP001_COST)  # one creator carries every overhead
    assert card["score"] == pytest.approx((13_770 / 120_000) / 0.04)  # ER by reach / target = 2.87
    assert card["verdict"] == "re-book"


def test_scorecard_costs_add_up_to_the_full_cost(sample):
    from playbook.analytics.metrics import campaign_cost

    for cid in ("CP000000", "CP000007", "CP000008"):
        card = kpis.creator_scorecard(sample, cid)
        assert card["cost"].sum() == pytest.approx(campaign_cost(sample, cid).total)


def test_scorecard_undefined_score_is_reviewed_with_a_reason(minimal_once):
    posts = minimal_once["posts"]
    no_reach = posts.assign(reach=np.where(posts["campaign_id"] == "CP002", 0, posts["reach"]))
    card = kpis.creator_scorecard(dict(minimal_once, posts=no_reach), "CP002")
    assert card["verdict"].iloc[0] == "review"
    assert card["reason"].iloc[0] == "cost per 1,000 reached: denominator is 0"


@settings(max_examples=8, deadline=None)
@given(st.floats(min_value=0.05, max_value=1.0))
def test_scorecard_verdict_follows_score_and_floor(sample, floor):
    card = kpis.creator_scorecard(sample, "CP000007", renegotiate_floor=floor)
    expected = np.where(
        card["score"] >= 1, "re-book", np.where(card["score"] >= floor, "renegotiate", "drop")
    )
    assert list(card["verdict"]) == list(np.where(card["score"].isna(), "review", expected))


def test_scorecard_app(minimal_once):
    app = m.ScorecardApp(minimal_once, "CP002")
    assert "cost per 1,000 reached" in app.summary.value and "1 drop" in app.summary.value
    app.floor.value = 0.1
    assert "1 renegotiate" in app.summary.value and app.result["verdict"].iloc[0] == "renegotiate"
    app.campaign.value = "CP001"
    assert "1 re-book" in app.summary.value
    assert len(app.out.outputs) == 2  # heatmap and table


# --------------------------------------------------------------------------- the notebook
SECTIONS_08 = (
    "## The KPI tree: numbers chosen by the objective",
    "## Full-cost ROI: ROAS, margin ROI and CAC",
    "## Attribution: codes, links and the click window",
    "## Reconciling platform, screenshots, tracking and the store",
    "## Leaked codes",
    "## EMV is an index, not a return",
    "## Post-campaign review: what worked and what did not",
    "## Your decision",
    "## Key points",
    "## Self-check quiz",
)


def test_notebook_sections_and_metadata():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    meta = nb["metadata"]["playbook"]
    assert meta["order"] == 8 and 3 <= len(meta["objectives"]) <= 5 and 4 <= len(meta["key_points"]) <= 6
    headings = notebook_headings(nb)
    assert set(SECTIONS_08) <= headings
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert 'module_header("08_measuring_performance")' in "".join(first_code["source"])
