"""The fee model (analytics.pricing): fair rate, its fair and widest ranges and why, rate tables, contract
scenarios, the minimum fee of one creator.

The worked examples multiply registry rows by hand (named by id in the comments).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics.pricing import (
    ask_position,
    contract_scenarios,
    fair_rate,
    format_uplift_id,
    min_creator_fee,
    rate_tables,
    reach_rate_id,
    usage_uplifts,
    width_reasons,
    width_sentence,
)
from playbook.analytics.undefined import reason
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
    assert reel.total == pytest.approx((163.8, 622.05, 3931.2))  # the widest range: 24x
    # the fair range: typical reach and format, CPM between the sources' typicals 10 and 37
    # (cpm_instagram_wordontheblock_2023 and _influencerhero 10, cpm_instagram_inzpire 37):
    # 622.05 x 10 / 10 = 622.05 and 622.05 x 37 / 10 = 2,301.585
    assert reel.cpm_typicals == (10, 10, 37)
    assert (reel.low, reel.typical, reel.high) == pytest.approx((622.05, 622.05, 2301.585))
    assert reel.width == pytest.approx(3.7) and reel.widest_width == pytest.approx(24.0)
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
    # fair range 622.05 / 622.05 / 2,301.585 (worked example above)
    assert ask_position(600, reel)[0] == "below the fair range"
    assert ask_position(reel.low, reel)[0] == "fair, below typical"
    assert ask_position(700, reel) == ("fair, above typical", pytest.approx(700 / 622.05))
    assert ask_position(2400, reel)[0] == "above the fair range"
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
    assert f.total[0] <= f.low and f.high <= f.total[2]  # the fair range sits inside the widest
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


def test_contract_scenarios_worked_example(minimal_tables: dict) -> None:
    s = contract_scenarios(minimal_tables).set_index("contract_id")
    ct = s.loc["CT0001"]
    # AC000001: instagram, 52,000 followers; first deliverable (due first) is a reel; 2 pieces; organic_30d
    # at the team's median x1.1. Typical: 10 x (52,000 x 0.275 / 1000) x 1.45 x 1.1 x 2
    # = 10 x 14.3 x 1.595 x 2 = 456.17; fair high: 456.17 x 37 / 10 = 1,687.829 (Inzpire's typical CPM).
    # Ask 2,640 -> above the fair range.
    assert (ct["platform"], ct["followers"], ct["format"], ct["deliverables"]) == (
        "instagram",
        52_000,
        "reel",
        2,
    )
    assert ct["fair_typical"] == pytest.approx(456.17)
    assert ct["fair_high"] == pytest.approx(1687.829)
    assert ct["position"] == "above the fair range"
    assert ct["ask_vs_typical"] == pytest.approx(2640 / 456.17)
    assert s.loc["CT0002", "currency"] == "EUR"


def test_width_reasons_explain_both_ranges(reel: object) -> None:
    w = width_reasons(reel).set_index("factor")["times"]
    # CPM 42 / 5 = 8.4; reach 0.40 / 0.15 = 2.667; format 1.5 / 1.4 = 1.071; product = 24
    assert w.iloc[:3].tolist() == pytest.approx([8.4, 0.40 / 0.15, 1.5 / 1.4])
    assert w.iloc[3] == pytest.approx(w.iloc[0] * w.iloc[1] * w.iloc[2]) == pytest.approx(24.0)
    assert w.iloc[4] == pytest.approx(3.7) and w.iloc[5] == pytest.approx(3.7)
    sentence = width_sentence(reel)
    assert "24.0x" in sentence and "3.7x" in sentence and "10.00 to 37.00 USD" in sentence


def test_min_creator_fee_is_the_typical_fee_at_the_tiers_lower_bound() -> None:
    # TikTok, 1,000,000 followers (mega lower bound, hootsuite_imh), short video: reach_rate_tiktok_untapper
    # typical x CPM typical (median of 10, 6.5, 30 = 10) x format_uplift_video_hypeauditor typical 1.45
    f = fair_rate("tiktok", 1_000_000, "short_video")
    assert min_creator_fee("tiktok", 1_000_000) == pytest.approx(f.typical)
    reach = benchmark("reach_rate_tiktok_untapper").value
    assert f.typical == pytest.approx(1_000_000 * reach * 10 / 1000 * 1.45)
    with pytest.raises(ValueError, match="unknown platform"):
        min_creator_fee("myspace", 1000)
