"""Module 09 apps and helpers: a hand-made geo holdout worked by hand, the power calculator against its
formula, the simulation against known truth, and the widgets driven without a browser.

Formulas follow reference §1.6 and `analytics.incrementality`: counterfactual = treated pre x control test /
control pre; lift = treated test / counterfactual - 1; iROAS = incremental revenue / spend; MDE =
(z_{1-alpha/2} + z_power) x sqrt((cv^2 + 1/(mu D) + 1/(mu P)) x (1/n_treatment + 1/n_control)).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import notebook_headings

from playbook.analytics import incrementality as incr
from playbook.analytics.incrementality import power_analysis
from playbook.course.apps import incrementality as inc
from playbook.data.registry import benchmark

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "09_incrementality.ipynb"
SECTIONS_09 = (
    "## Naive ROAS against incremental lift",
    "## Treated and control geos over time",
    "## Planning a holdout: the power calculator",
    "## The holdout lab: simulate before you spend",
    "## Your decision",
    "## Key points",
    "## Self-check quiz",
)


# --------------------------------------------------------------------------- naive vs incremental


def test_roas_chart_has_one_row_per_experiment(sample):
    summary = incr.holdout_summary(sample, n_boot=200)
    spec = inc.roas_chart(summary).to_dict()
    sizes = {len(rows) for rows in spec["datasets"].values()}
    assert len(summary) in sizes and len(summary) == len(sample["experiments"])


# --------------------------------------------------------------------------- series and design
def test_arm_series_worked_example(holdout):
    series = incr.arm_series(holdout, "EX001", smooth_days=2)
    treated = series[series["arm"] == "treatment"].reset_index(drop=True)
    # rate per 100k: (5 + 5) / 20,000 x 100,000 = 50 before; (8 + 7) / 20,000 x 100,000 = 75 in the test
    assert list(treated["rate_per_100k"][:4]) == pytest.approx([50, 50, 75, 75])
    assert list(treated["index"][:4]) == pytest.approx([1, 1, 1.5, 1.5])
    assert list(treated["index_smoothed"][:4]) == pytest.approx([1, 1, 1.25, 1.5])  # 2-day means
    assert list(treated["period"]) == ["pre", "pre", "test", "test", "after"]
    control = series[series["arm"] == "control"]
    assert list(control["index"][:4]) == pytest.approx([1, 1, 1.2, 1.2])  # 60 / 50
    spec = inc.series_chart(series).to_dict()
    assert any(len(rows) == len(series) for rows in spec["datasets"].values())


# --------------------------------------------------------------------------- power calculator app
def test_power_app_starts_from_the_registry_and_matches_the_formula():
    app = inc.PowerApp()
    share = benchmark("holdout_share_influencers_time").value
    assert app.holdout_share.value == share
    assert app.days.value == benchmark("holdout_min_days_influencers_time").value
    assert app.n_geos.value == int(np.ceil(benchmark("geo_count_per_arm_girardmedia").value / share - 1e-9))
    app.conversions.value, app.geo_cv.value = 1.0, 0.1
    # 134 geos at 15%: control = floor(20.1 + 0.5) = 20, treated 114; v = 0.1^2 + 1/28 + 1/28 = 0.081429
    # z = 1.959964 + 0.841621 = 2.801585; MDE = 2.801585 x sqrt(0.081429 x (1/114 + 1/20)) = 0.19381
    assert (app.result.n_treatment, app.result.n_control) == (114, 20)
    assert app.result.mde == pytest.approx(0.19381, abs=1e-5)
    app.target_lift.value = 0.25
    assert "This design can detect a lift of 25%" in app.summary.value
    app.target_lift.value = 0.15
    assert "cannot detect" in app.summary.value
    assert app.days_needed.mde <= 0.15 + 1e-9 and app.days_needed.days > 28


def test_power_app_sample_design_button(sample):
    app = inc.PowerApp(sample, "EX000001")
    design = incr.design_inputs(sample, "EX000001")
    assert app.conversions.value == pytest.approx(design.daily_conversions_per_geo)
    app.sample_button.click()
    assert (app.n_geos.value, app.result.n_control, app.days.value) == (60, 20, 28)
    expected = power_analysis(
        app.conversions.value, app.geo_cv.value, n_geos=60, holdout_share=app.holdout_share.value, days=28
    )
    assert app.result.mde == pytest.approx(expected.mde)
    app.registry_button.click()
    assert app.n_geos.value > 60 and len(app.out.outputs) == 1
    assert inc.PowerApp().sample_button.disabled


def test_power_app_design_without_a_control_geo_is_undefined():
    app = inc.PowerApp()
    app.set_design(0.05, 28, 4)  # control = floor(4 x 0.05 + 0.5) = 0 geos
    assert np.isnan(app.result.mde) and "both arms need a geo" in app.result.mde.reason
    assert "minimum detectable lift undefined" in app.summary.value


# --------------------------------------------------------------------------- simulation


def test_simulation_app_runs_on_click():
    app = inc.SimulationApp(daily_conversions_per_geo=1.0)
    assert app.result is None and "Run simulations" in app.summary.value
    app.true_lift.value, app.n_sims.value, app.seed.value = 0.3, 50, 3
    app.run_button.click()
    assert len(app.result) == 50
    assert app.stats.coverage == pytest.approx(app.result["covers"].mean())
    assert f"caught it in {app.stats.coverage:.0%}" in app.summary.value
    assert app.power.mde == pytest.approx(power_analysis(1.0, app.geo_cv.value).mde)
    spec = app.chart.to_dict()
    assert any(len(rows) == 50 for rows in spec["datasets"].values())
    before = app.result["lift"].copy()
    app.seed.value = 4
    app.run_button.click()
    assert not app.result["lift"].equals(before)
    app.n_geos.value, app.holdout_share.value = 4, 0.05  # no control geo left
    app.run_button.click()
    assert app.result is None and "Cannot simulate this design" in app.summary.value


# --------------------------------------------------------------------------- the notebook
def test_notebook_sections_and_metadata():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    meta = nb["metadata"]["playbook"]
    assert meta["order"] == 9 and 3 <= len(meta["objectives"]) <= 5 and 4 <= len(meta["key_points"]) <= 6
    headings = notebook_headings(nb)
    assert set(SECTIONS_09) <= headings
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert 'module_header("09_incrementality")' in "".join(first_code["source"])
