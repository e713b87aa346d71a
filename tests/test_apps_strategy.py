"""Apps of module 02 (Strategy): KPI tree, goal picker, budget allocator, EMV vs ROAS, amplification.

Worked examples use the hand-written minimal dataset of `tests/conftest.py` (campaign CP002, awareness, EUR;
CP001, consideration, USD), with the arithmetic in comments.
"""

from __future__ import annotations

import pandas as pd
import pytest

from playbook.analytics import returns as ret
from playbook.analytics.planning import OBJECTIVES, allocate_budget, expected_results
from playbook.course.apps import strategy as ast
from playbook.data.registry import benchmark

# Full costs (metrics.campaign_cost = fees + product + shipping + agency + paid amplification + staff):
# CP001: 2640 + 45 + 8.5 + 1500 + 3000 + 60 h x 55 = 10,493.5 USD
# CP002: 180 + 60 + 12 + 500 + 0 + 25.5 h x 48 = 1,976 EUR
COST_CP001, COST_CP002 = 10_493.5, 1_976.0


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    from playbook.data.loading import load
    from playbook.data.synth.generate import SAMPLE_DIR

    return load(SAMPLE_DIR)


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The conftest minimal dataset, loaded once for this module (tests only read it)."""
    from conftest import write_minimal_dataset

    from playbook.data.loading import load

    return load(write_minimal_dataset(tmp_path_factory.mktemp("minimal")))


def test_goals_cover_every_objective() -> None:
    assert {objective for objective, _ in ast.GOALS.values()} == set(OBJECTIVES)


def test_goal_picker_shows_the_objectives_campaigns(minimal: dict[str, pd.DataFrame]) -> None:
    app = ast.KpiPickerApp(minimal)
    app.goal.value = "Launch a new product"
    assert app.objective == "awareness"
    assert app.kpis["kpi"].tolist() == ["Reach", "CPM", "View rate"]
    assert app.result["campaign_id"].tolist() == ["CP002"]
    assert app.result.loc[0, "reach"] == 9_000
    assert len(app.out.outputs) == 1 and "image/svg+xml" in app.out.outputs[0]["data"]
    app.goal.value = "Build trust before a considered purchase"
    assert app.objective == "consideration"
    assert app.result["campaign_id"].tolist() == ["CP001"]
    assert list(app.result.columns[3:6]) == ["er_by_reach", "ctr", "cpe"]
    app.goal.value = "Grow online sales"
    assert app.result.empty and "0 sample campaign(s)" in app.summary.value


def test_budget_allocator_matches_the_library() -> None:
    app = ast.BudgetAllocatorApp(budget=20_000, objective="awareness")
    app.budget.value = 50_000
    app.objective.value = "conversion"
    app.platforms.value = ("instagram", "tiktok")
    expected = allocate_budget(50_000.0, "conversion", ["instagram", "tiktok"])
    pd.testing.assert_frame_equal(app.allocation, expected)
    pd.testing.assert_frame_equal(app.expected, expected_results(expected))
    assert app.allocation["amount"].sum() == pytest.approx(50_000)
    assert set(app.allocation["platform"]) == {"instagram", "tiktok"}
    app.preset.value = "hypeauditor_pre2021"
    assert app.allocation["amount"].sum() == pytest.approx(50_000)


def test_budget_allocator_without_platforms_says_so() -> None:
    app = ast.BudgetAllocatorApp()
    app.platforms.value = ()
    assert app.allocation.empty and app.expected.empty and app.chart is None
    assert "Pick at least one platform" in app.summary.value
    assert app.out.outputs == ()
    app.platforms.value = ("youtube",)
    assert not app.allocation.empty


def test_emv_vs_roas_by_hand(minimal: dict[str, pd.DataFrame]) -> None:
    frame = ret.emv_rate_cards_vs_roas(minimal).set_index("campaign_id")
    assert list(frame.index) == ["CP001"]  # CP002 is in EUR: EMV's registry CPMs are USD
    # CP001 posts: Instagram 36,000 and TikTok 120,000 impressions; EMV = impressions / 1000 x CPM
    # (Word on the Block typical 10 and 10 USD today -> 1,560; Inzpire 37 and 30 -> 4,932)
    for source in ret.EMV_SOURCES:
        cpm_ig = benchmark(f"cpm_instagram_{source}").value
        cpm_tt = benchmark(f"cpm_tiktok_{source}").value
        emv = 36 * cpm_ig + 120 * cpm_tt
        assert frame.loc["CP001", f"emv_per_cost_{source}"] == pytest.approx(emv / COST_CP001)
    assert frame.loc["CP001", "roas"] == pytest.approx(42.5 / COST_CP001)
    rows = next(iter(ast.emv_rate_cards_chart(frame.reset_index()).to_dict()["datasets"].values()))
    assert len(rows) == len(ret.EMV_SOURCES) + 1
