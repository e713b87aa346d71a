"""analytics.channels: influencer costs against the registry, channel mix, customers and codes.

Worked examples with the arithmetic next to each expected value (moved with the functions out of the
widget modules).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics import channels as chan
from playbook.analytics.planning import cpm_band
from playbook.data.registry import benchmark
from playbook.data.schemas import PLATFORMS

# Minimal dataset: CP001 full cost 2640 + 45 + 8.5 + 1500 + 3000 + 60 h x 55 = 10,493.5 USD over
# 36,000 + 120,000 = 156,000 sponsored impressions.
COST_CP001, IMPRESSIONS_CP001 = 10_493.5, 156_000


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The conftest minimal dataset, loaded once for this module (tests only read it)."""
    from conftest import write_minimal_dataset

    from playbook.data.loading import load

    return load(write_minimal_dataset(tmp_path_factory.mktemp("minimal")))


def test_channel_mix_by_hand() -> None:
    mix = chan.channel_mix(
        1_000,
        {"influencer": 1, "paid_social": 1, "search": 2},
        cpm={"influencer": 10, "paid_social": 20, "search": 40},
        cpa_assumed={"influencer": 50, "paid_social": 25, "search": 100},
    ).set_index("channel")
    # shares 1/4, 1/4, 2/4 -> amounts 250, 250, 500
    assert mix["amount"].tolist() == [250, 250, 500, 1_000]
    # impressions = amount / CPM x 1000: 25,000, 12,500, 12,500; conversions = amount / CPA: 5, 10, 5
    assert mix.loc["influencer", "impressions"] == 25_000
    assert mix.loc["search", "conversions"] == 5
    # total: 50,000 impressions and 20 conversions -> CPM 1000 / 50,000 x 1000 = 20;
    # blended CPA 1000 / 20 = 50
    assert mix.loc["total", "impressions"] == 50_000
    assert mix.loc["total", "cpm"] == 20
    assert mix.loc["total", "cpa"] == 50


def test_partnership_ads_change_paid_social_cpa_only() -> None:
    args = (1_000, {"influencer": 1, "paid_social": 1}, {"influencer": 10, "paid_social": 10})
    cpa = {"influencer": 50, "paid_social": 25}
    plain = chan.channel_mix(*args, cpa).set_index("channel")
    boosted = chan.channel_mix(*args, cpa, partnership_ads=True).set_index("channel")
    change = benchmark(chan.PARTNERSHIP_CPA_ID).value  # Meta 2022: CPA x0.81 with partnership ads
    # paid social: 500 / (25 x 0.81) = 24.69 conversions instead of 20
    assert boosted.loc["paid_social", "cpa"] == pytest.approx(25 * change)
    assert boosted.loc["paid_social", "conversions"] == pytest.approx(500 / (25 * change))
    assert boosted.loc["influencer", "conversions"] == plain.loc["influencer", "conversions"] == 10


def test_starting_channel_costs_come_from_the_registry_and_the_sample(
    minimal: dict[str, pd.DataFrame],
) -> None:
    costs = chan.starting_channel_costs(minimal).set_index("channel")
    assert list(costs.index) == list(chan.CHANNELS)
    assert costs.loc["search", "cpm"] == pytest.approx(4.66 * 0.0642 * 1000)  # WordStream 2024: CPC x CTR
    assert costs.loc["search", "cpa"] == 66.69
    assert costs.loc["paid_social", "cpm"] == pytest.approx(1.88 * 0.0253 * 1000)
    assert costs.loc["paid_social", "cpa"] == 21.98
    assert costs.loc["influencer", "cpa"] == pytest.approx(COST_CP001)  # the sample's one USD campaign
    assert costs.loc[["email", "pr"], ["cpm", "cpa"]].isna().all().all()
    assert costs.loc["email", "source"].startswith("undefined: no published cost")


def test_a_channel_without_budget_adds_nothing_whatever_its_costs() -> None:
    mix = chan.channel_mix(
        100, {"influencer": 1, "pr": 0}, {"influencer": 10, "pr": 0}, {"influencer": 5, "pr": 0}
    )
    total = mix.set_index("channel").loc["total"]
    assert (total["impressions"], total["conversions"], total["cpa"]) == (10_000, 20, 5)


def test_channel_mix_undefined_inputs_are_nan_not_inf() -> None:
    zero_cost = chan.channel_mix(100, {"influencer": 1}, {"influencer": 0}, {"influencer": 0}).set_index(
        "channel"
    )
    assert math.isnan(zero_cost.loc["influencer", "impressions"])
    assert math.isnan(zero_cost.loc["influencer", "conversions"])
    no_weights = chan.channel_mix(
        100, {"influencer": 0, "pr": 0}, {"influencer": 5, "pr": 5}, {"influencer": 5, "pr": 5}
    )
    assert no_weights["share"].isna().all() and no_weights["amount"].isna().all()  # total row too
    with pytest.raises(ValueError, match=">= 0"):
        chan.channel_mix(100, {"influencer": -1}, {"influencer": 5}, {"influencer": 5})


@settings(max_examples=30, deadline=None)
@given(
    budget=st.floats(0, 1e7),
    weights=st.lists(st.floats(0.01, 10), min_size=5, max_size=5),
    costs=st.lists(st.floats(0.1, 1e3), min_size=5, max_size=5),
)
def test_channel_mix_spends_the_whole_budget(budget: float, weights: list[float], costs: list[float]) -> None:
    cost = dict(zip(chan.CHANNELS, costs, strict=True))
    mix = chan.channel_mix(budget, dict(zip(chan.CHANNELS, weights, strict=True)), cost, cost)
    parts = mix[mix["channel"] != "total"]
    assert parts["amount"].sum() == pytest.approx(budget, rel=1e-9, abs=1e-6)
    assert parts["share"].sum() == pytest.approx(1.0)
    assert mix.iloc[-1]["conversions"] == pytest.approx(parts["conversions"].sum())


def test_influencer_cpm_reference_by_hand(minimal: dict[str, pd.DataFrame]) -> None:
    ref = chan.influencer_cpm_reference(minimal).set_index("view")
    for platform in PLATFORMS:
        (low, typical, high), _ = cpm_band(platform)
        assert ref.loc[f"registry: {platform}", ["low", "typical", "high"]].tolist() == [low, typical, high]
    # CP001 is the only USD campaign: creator fees 2,640 / 156,000 sponsored impressions x 1000 = 16.92
    assert ref.loc["sample: creator fees", "typical"] == pytest.approx(2_640 / IMPRESSIONS_CP001 * 1000)
    # full cost 10,493.5 / 156,000 x 1000 = 67.27
    assert ref.loc["sample: full cost", "typical"] == pytest.approx(COST_CP001 / IMPRESSIONS_CP001 * 1000)
    measured = chan.measured_influencer_costs(minimal)
    assert measured["cpa"] == pytest.approx(COST_CP001 / 1)  # one attributed order (code MIA15)


def test_campaign_customers_cpa_and_cac(minimal: dict[str, pd.DataFrame]) -> None:
    table = chan.campaign_customers(minimal).set_index("campaign_id")
    assert table.loc["CP001", ["orders", "new_customers", "returning_customers"]].tolist() == [1, 1, 0]
    assert table.loc["CP001", "cac"] == pytest.approx(COST_CP001)
    # the only credited CP001 order becomes a returning customer's: no new customer, so CAC is undefined
    tables = dict(minimal)
    orders = minimal["orders"].copy()
    orders.loc[orders["order_id"] == "OR000001", "new_customer"] = False
    tables["orders"] = orders
    changed = chan.campaign_customers(tables).set_index("campaign_id")
    assert changed.loc["CP001", "cpa"] == pytest.approx(COST_CP001)
    assert math.isnan(changed.loc["CP001", "cac"])


def test_code_use_by_customer_discount_by_hand(minimal: dict[str, pd.DataFrame]) -> None:
    table = chan.code_use_by_customer(minimal).set_index("campaign_id")
    # OR000001 paid 42.50 after MIA15's 15% off: the discount was 42.5 x 0.15 / 0.85 = 7.50
    assert table.loc["CP001", "discount_total"] == pytest.approx(7.5)
    assert table.loc["CP001", "returning_orders"] == 0
    assert table.loc["CP001", "returning_share"] == 0.0
    assert table.loc["CP001", "currency"] == "USD"
    assert "CP002" not in table.index  # its only order came through a link, not a code


# --------------------------------------------------------------------- moved from test_apps_strategy.py
def test_amplification_share_by_hand(minimal: dict[str, pd.DataFrame]) -> None:
    table = chan.amplification_table(minimal).set_index("campaign_id")
    assert table.loc["CP001", "amplification_share"] == pytest.approx(3_000 / COST_CP001)
    assert table.loc["CP002", "amplification_share"] == 0.0
    assert table.index[0] == "CP001"  # sorted by share, largest first
