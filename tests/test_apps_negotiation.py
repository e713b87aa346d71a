"""Module 06 apps: fair-rate model, rate tables, negotiation exercise, relationship health app.

The fair-rate worked examples multiply registry rows by hand (named by id in the comments).
"""

from __future__ import annotations

import html
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics.relationships import relationship_health, team_ops_metrics
from playbook.analytics.undefined import reason
from playbook.course.apps.negotiation import (
    FairRateApp,
    HealthApp,
    NegotiationApp,
    ask_position,
    contract_scenarios,
    creator_response,
    fair_rate,
    fair_rate_chart,
    format_uplift_id,
    health_chart,
    rate_tables,
    reach_rate_id,
    team_ops_chart,
    usage_uplifts,
)
from playbook.data.loading import load
from playbook.data.registry import benchmark


@pytest.fixture(scope="module")
def minimal_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The conftest minimal dataset, loaded once per module (tests copy before changing a table)."""
    from conftest import write_minimal_dataset

    return load(write_minimal_dataset(tmp_path_factory.mktemp("minimal")))


@pytest.fixture(scope="module")
def reel() -> object:
    return fair_rate("instagram", 60_000, "reel", "paid_90d", 2, usage_uplift=1.3)


# --------------------------------------------------------------------------- the fair-rate model
def test_fair_rate_worked_example_instagram_reel(reel: object) -> None:
    # CPM (planning.cpm_band): lowest low 5 (cpm_instagram_wordontheblock_2023 / _influencerhero), median
    # typical median(10, 10, 37) = 10, highest high 42 (cpm_instagram_inzpire).
    # Reach (reach_rate_instagram_reel_influencerfee): 0.15 / 0.275 / 0.40 of 60,000
    # = 9,000 / 16,500 / 24,000.
    # Format (format_uplift_video_hypeauditor): 1.4 / 1.45 / 1.5. Usage: 1.3 (given).
    # Per piece: low 5 x 9 x 1.4 x 1.3 = 81.9; typical 10 x 16.5 x 1.45 x 1.3 = 311.025;
    # high 42 x 24 x 1.5 x 1.3 = 1,965.6. Two pieces: 163.8 / 622.05 / 3,931.2.
    assert reel.cpm == (5, 10, 42)
    assert reel.views == pytest.approx((9000, 16500, 24000))
    assert reel.format_uplift == (1.4, 1.45, 1.5)
    assert reel.per_deliverable == pytest.approx((81.9, 311.025, 1965.6))
    assert (reel.low, reel.typical, reel.high) == pytest.approx((163.8, 622.05, 3931.2))
    assert reel.tier == "mid"  # hootsuite_imh: mid is 50K-500K
    assert reel.usage_source == "given"
    assert reel.benchmark_ids == (
        "cpm_instagram_wordontheblock_2023",
        "cpm_instagram_influencerhero",
        "cpm_instagram_inzpire",
        "reach_rate_instagram_reel_influencerfee",
        "format_uplift_video_hypeauditor",
    )


def test_fair_rate_as_frame_lists_every_factor(reel: object) -> None:
    table = reel.as_frame().set_index("factor")
    assert table.loc["expected views per piece", ["low", "typical", "high"]].tolist() == pytest.approx(
        [9000, 16500, 24000]
    )
    assert table.loc["fee for 2 piece(s) (USD)", "typical"] == pytest.approx(622.05)
    assert table.loc["format uplift (x)", "source"] == "format_uplift_video_hypeauditor"
    assert table.loc["usage-rights uplift (x)", "source"] == "given"


def test_fair_rate_tiktok_uses_the_reach_floor() -> None:
    # CPM TikTok: lows 5 / 3 / 25 -> 3; typicals 10 / 6.5 / 30 -> median 10; highs 15 / 10 / 35 -> 35.
    # reach_rate_tiktok_untapper has only a low of 1.0 ("often more than 100%"):
    # views = followers at every end.
    # Per piece at 10,000 followers: 3 x 10 x 1.4 = 42; 10 x 10 x 1.45 = 145; 35 x 10 x 1.5 = 525.
    f = fair_rate("tiktok", 10_000, "short_video")
    assert f.views == (10_000, 10_000, 10_000)
    assert f.total == pytest.approx((42, 145, 525))
    assert f.usage_uplift == 1.0 and "no usage rights" in f.usage_source


def test_fair_rate_feed_post_has_no_format_uplift_and_youtube_one_reach_value() -> None:
    assert format_uplift_id("feed") is None and format_uplift_id("story") is None
    # YouTube: reach_rate_youtube_stellar is a single planning value, 0.3
    f = fair_rate("youtube", 100_000, "long_video")
    assert f.reach_rate == (0.3, 0.3, 0.3)
    assert reach_rate_id("instagram", "carousel") == "reach_rate_instagram_feed_influencerfee"
    assert reach_rate_id("instagram", "story_link") == "reach_rate_instagram_story_influencerfee"


def test_usage_uplift_comes_from_the_teams_contracts(minimal_tables: dict) -> None:
    # minimal contracts: CT0001 organic_30d at x1.1, CT0002 none at x1
    assert usage_uplifts(minimal_tables["contracts"]) == {"none": 1.0, "organic_30d": 1.1}
    f = fair_rate("instagram", 52_000, "reel", "organic_30d", contracts=minimal_tables["contracts"])
    assert f.usage_uplift == 1.1 and f.usage_source == "median paid in 2 past contracts"
    with pytest.raises(ValueError, match="no usage uplift for 'perpetual'"):
        fair_rate("instagram", 52_000, "reel", "perpetual", contracts=minimal_tables["contracts"])


def test_fair_rate_rejects_bad_inputs() -> None:
    with pytest.raises(ValueError, match="followers"):
        fair_rate("instagram", -1, "feed")
    with pytest.raises(ValueError, match="deliverables"):
        fair_rate("instagram", 100, "feed", deliverables=0)
    with pytest.raises(ValueError, match="unknown platform"):
        fair_rate("facebook", 100, "feed")
    with pytest.raises(ValueError, match="does not exist on instagram"):
        fair_rate("instagram", 100, "long_video")


def test_ask_position_and_zero_followers(reel: object) -> None:
    # fair total 163.8 / 622.05 / 3,931.2 (worked example above)
    assert ask_position(100, reel)[0] == "below the fair range"
    assert ask_position(163.8, reel)[0] == "fair, below typical"
    assert ask_position(700, reel) == ("fair, above typical", pytest.approx(700 / 622.05))
    assert ask_position(4000, reel)[0] == "above the fair range"
    nobody = fair_rate("instagram", 0, "feed")
    assert nobody.total == (0, 0, 0)
    position, times = ask_position(50, nobody)
    assert position == "above the fair range" and math.isnan(times)
    assert "denominator is 0" in reason(times)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(["instagram", "tiktok", "youtube"]),
    st.integers(min_value=0, max_value=20_000_000),
    st.integers(min_value=1, max_value=5),
)
def test_fair_rate_is_ordered_and_linear_in_followers_and_pieces(
    platform: str, followers: int, pieces: int
) -> None:
    fmt = {"instagram": "reel", "tiktok": "short_video", "youtube": "long_video"}[platform]
    f = fair_rate(platform, followers, fmt, deliverables=pieces)
    assert f.low <= f.typical <= f.high
    double = fair_rate(platform, 2 * followers, fmt, deliverables=pieces)
    assert double.total == pytest.approx(tuple(2 * t for t in f.total))
    assert f.total == pytest.approx(tuple(pieces * p for p in f.per_deliverable))


# --------------------------------------------------------------------------- published rate tables
def test_rate_tables_pick_rows_whose_follower_range_holds_the_creator() -> None:
    t = rate_tables("instagram", 25_000, "feed").set_index("benchmark_id")
    # micro rows of Word on the Block (10K-100K) and Boost52 (10K-50K); Hootsuite has nano and mid only;
    # plus inBEAT's rule: rate_rule_of_thumb_inbeat (100 USD per 10K followers) x 2.5 = 250
    assert list(t.index) == [
        "rate_instagram_micro_wordontheblock_2023",
        "rate_instagram_micro_boost52_imh",
        "rate_rule_of_thumb_inbeat",
    ]
    rule = benchmark("rate_rule_of_thumb_inbeat").value
    assert t.loc["rate_rule_of_thumb_inbeat", "typical"] == rule * 25_000 / 10_000
    # lower bounds are inclusive, upper bounds exclusive: 10,000 followers is micro, not nano
    assert set(rate_tables("instagram", 10_000)["tier"]) <= {"micro", "all"}
    # no story rate has a follower range, and the rule of thumb is for posts
    assert rate_tables("instagram", 25_000, "story").empty
    mega = rate_tables("youtube", 2_000_000, "long_video")
    assert mega["benchmark_id"].tolist() == ["rate_youtube_mega_wordontheblock_2023"]
    assert math.isnan(mega.loc[0, "high"])  # "20,000+": open-ended


def test_fair_rate_chart_shows_ranges_and_the_ask(reel: object) -> None:
    spec = fair_rate_chart(reel, rate_tables("instagram", 60_000, "reel"), 900.0).to_dict()
    assert len(spec["layer"]) == 3
    rows = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert rows[0]["kind"] == "fair model" and rows[0]["typical"] == pytest.approx(311.025)
    assert spec["datasets"][spec["layer"][2]["data"]["name"]][0]["ask"] == 900.0
    assert len(fair_rate_chart(reel, rate_tables("instagram", 60_000, "reel")).to_dict()["layer"]) == 2


def test_contract_scenarios_worked_example(minimal_tables: dict) -> None:
    s = contract_scenarios(minimal_tables).set_index("contract_id")
    ct = s.loc["CT0001"]
    # AC000001: instagram, 52,000 followers; first deliverable (due first) is a reel; 2 pieces; organic_30d
    # at the team's median x1.1. Typical: 10 x (52,000 x 0.275 / 1000) x 1.45 x 1.1 x 2
    # = 10 x 14.3 x 1.595 x 2 = 456.17; high: 42 x 20.8 x 1.5 x 1.1 x 2 = 2,882.88.
    # Ask 2,640 -> fair, above typical.
    assert (ct["platform"], ct["followers"], ct["format"], ct["deliverables"]) == (
        "instagram",
        52_000,
        "reel",
        2,
    )
    assert ct["fair_typical"] == pytest.approx(456.17)
    assert ct["fair_high"] == pytest.approx(2882.88)
    assert ct["position"] == "fair, above typical"
    assert ct["ask_vs_typical"] == pytest.approx(2640 / 456.17)
    assert s.loc["CT0002", "currency"] == "EUR"


# --------------------------------------------------------------------------- fair-rate app
def test_fair_rate_app_loads_a_past_deal(sample: dict) -> None:
    app = FairRateApp(sample)
    first = app.deal.options[1][1]
    app.deal.value = first
    row = app.scenarios.set_index("contract_id").loc[first]
    assert (app.platform.value, app.followers.value, app.ask.value) == (
        row["platform"],
        row["followers"],
        row["ask"],
    )
    expected = fair_rate(
        row["platform"],
        int(row["followers"]),
        row["format"],
        row["usage_rights"],
        int(row["deliverables"]),
        contracts=sample["contracts"],
    )
    assert app.result.total == pytest.approx(expected.total)
    assert app.position == ask_position(row["ask"], expected)[0]
    assert app.position in app.summary.value
    # every deal offered is a USD deal (the registry is in USD)
    offered = {v for _, v in app.deal.options if v}
    assert set(app.scenarios.loc[app.scenarios["contract_id"].isin(offered), "currency"]) == {"USD"}


def test_fair_rate_app_controls(sample: dict) -> None:
    app = FairRateApp(sample)
    app.platform.value = "tiktok"
    assert list(app.format.options) == ["short_video"] and app.result.platform == "tiktok"
    app.followers.value = 10_000
    app.usage.value = "none"
    app.deliverables.value = 1
    assert app.result.total == pytest.approx((42, 145, 525))  # the TikTok worked example above
    app.ask.value = 1000
    assert app.position == "above the fair range"
    assert len(app.chart_out.outputs) == 1


# --------------------------------------------------------------------------- negotiation
def test_creator_response_rules(reel: object) -> None:
    # fair 163.8 / 622.05 / 3,931.2; ask 1,000, flexibility 0.15: walk-away = min(1000, max(163.8, 850)) = 850
    assert creator_response(100, 1000, reel)[0] == "declined"  # below the fair low
    assert creator_response(900, 1000, reel)[:2] == ("accepted", None)
    assert creator_response(850, 1000, reel)[0] == "accepted"
    response, counter, _ = creator_response(500, 1000, reel)
    assert (response, counter) == ("countered", 750.0)  # half-way: (500 + 1000) / 2
    assert "more than they asked" in creator_response(1100, 1000, reel)[2]
    # an ask below the fair low: walk-away = the ask; an offer at the fair low is accepted
    assert creator_response(163.8, 100, reel)[0] == "accepted"


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=200, max_value=5000), st.floats(min_value=0, max_value=1))
def test_counter_offers_move_towards_agreement(ask: float, share: float) -> None:
    fair = fair_rate("instagram", 60_000, "reel", "paid_90d", 2, usage_uplift=1.3)
    offer = fair.low + share * (ask - fair.low)
    response, counter, _ = creator_response(offer, ask, fair)
    if response == "countered":
        assert offer < counter < ask
    else:
        assert response == "accepted"
    assert creator_response(ask, ask, fair)[0] == "accepted"


def test_negotiation_app_agrees_and_stops(sample: dict) -> None:
    app = NegotiationApp(sample)
    row = app.scenarios.set_index("contract_id").loc[app.deal.value]
    assert row["currency"] == "USD" and row["ask"] > row["fair_typical"]
    app.offer.value = round(app.fair.low / 2, 2)
    assert app.send() == "declined" and app.outcome == "open"
    app.offer.value = app.ask
    assert app.send() == "accepted"
    assert app.outcome == "agreed" and app.agreed_fee == app.ask
    assert "Agreed at" in app.log.value
    app.send_button.click()  # no more rounds once agreed
    assert len(app.history) == 2
    app.restart_button.click()
    assert app.history.empty and app.outcome == "open"
    app.offer.value = app.ask + 100  # paying more than asked is accepted, and the log says so
    assert app.send() == "accepted" and "100.00 USD above the first ask" in app.log.value


def test_negotiation_app_walks_away_after_the_last_offer(sample: dict) -> None:
    app = NegotiationApp(sample, max_rounds=2)
    assert app.fair.low < app.ask * (1 - app.flexibility)  # an offer at the fair low is countered
    for _ in range(2):
        app.offer.value = round(app.fair.low, 2) + 0.01
        assert app.send() == "countered"
    assert app.outcome == "walked away" and "walked away" in app.log.value
    other = app.deal.options[-1][1]
    app.deal.value = other  # picking another deal restarts
    assert app.outcome == "open" and app.history.empty


# --------------------------------------------------------------------------- relationship health
def test_health_app_matches_relationship_health(sample: dict) -> None:
    app = HealthApp(sample)
    expected = relationship_health(sample)
    assert app.result["recommendation"].tolist() == expected["recommendation"].tolist()
    assert app.counts.sum() == len(expected)
    drops = app.counts["drop"]
    app.min_performance.value = 1.5  # a stricter drop rule drops at least as many creators
    assert app.counts["drop"] >= drops
    strict = relationship_health(sample, min_performance=1.5)
    assert app.counts["drop"] == (strict["recommendation"] == "drop").sum()
    creator = app.result["creator_id"].iloc[-1]
    app.creator.value = creator
    reasons = app.result.set_index("creator_id").loc[creator, "reasons"]
    assert html.escape(reasons.split(";")[0]) in app.detail.value


def test_health_and_team_charts_carry_aggregated_rows(sample: dict) -> None:
    health = relationship_health(sample)
    spec = health_chart(health, 0.5, 2.0).to_dict()
    points = spec["datasets"][spec["layer"][0]["data"]["name"]]
    measurable = health.dropna(subset=["performance_ratio", "cost_ratio"])
    assert len(points) == ((measurable["performance_ratio"] > 0) & (measurable["cost_ratio"] > 0)).sum()
    ops = team_ops_metrics(sample, by="campaign_id")
    spec = team_ops_chart(ops).to_dict()
    assert len(spec["datasets"][spec["data"]["name"]]) == 4 * len(ops)
