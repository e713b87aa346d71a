"""Module 08 apps and helpers: worked examples on the hand-written minimal dataset, widgets driven without a
browser, and checks on the seeded sample.

Worked examples follow `analytics.metrics` (full cost, ROAS, ROI: reference §1.3-1.4, Sprout Social / Modash)
and the Modash attribution rules (code beats link, last touch in the window: reference §1.5).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import notebook_headings

from playbook.analytics import returns as ret
from playbook.analytics.attribution import campaign_attribution
from playbook.course.apps import measurement as m
from playbook.data.registry import benchmark

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "08_measuring_performance.ipynb"


# --------------------------------------------------------------------------- KPI tree app


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


def test_cost_chart_has_one_bar_per_component(minimal_once):
    from playbook.analytics.metrics import campaign_cost

    spec = m.cost_chart(campaign_cost(minimal_once, "CP001")).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 6 and "10,494 USD" in spec["title"]


# --------------------------------------------------------------------------- attribution


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


# --------------------------------------------------------------------------- EMV


def test_emv_chart_draws_the_registry_claims(sample):
    spec = m.emv_chart(ret.emv_vs_roas(sample)).to_dict()
    values = [row.get("value") for rows in spec["datasets"].values() for row in rows if "claim" in row]
    assert sorted(values) == sorted(benchmark(b).value for b in m.EMV_CLAIM_IDS)


# --------------------------------------------------------------------------- scorecard


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
