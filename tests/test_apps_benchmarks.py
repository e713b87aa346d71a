"""Module 03 apps: the registry explorer, ER on several bases, tier presets, reach per format, niches.

ER formulas follow reference §1.1 (the variants table): per-post (likes + comments + shares + saves) divided
by followers, reach, impressions or views, combined per account by median or mean; likes-only is the Modash
API variant (average likes / followers). Worked examples use the hand-written `minimal_tables` dataset.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics.benchmarks import (
    ANY,
    ER_BASES,
    er_by_basis,
    filter_registry,
    niche_audience,
    niche_formats,
    niche_hashtags,
    profile_er_long,
    reach_by_format,
    tier_presets_compare,
)
from playbook.course.apps.benchmarks import (
    benchmarks_explorer,
    er_basis_chart,
    er_basis_explorer,
    niche_audience_chart,
    niche_formats_chart,
    range_chart,
    reach_by_format_chart,
    tier_presets_chart,
)
from playbook.data.registry import benchmark, load_benchmarks

FOLLOWERS_MEDIAN = "all interactions / followers, median"
LIKES_MEAN = "likes / followers, mean (Modash API)"
REACH_MEDIAN = "all interactions / reach, median"
VIEWS_MEDIAN = "all interactions / views, median (video only)"


def registry_frame() -> pd.DataFrame:
    """A hand-made registry: three ER rows (typical / midpoint / low-only) and one CPM row in another unit."""
    rows = [
        (
            "er_a",
            "engagement_rate",
            "instagram",
            "micro",
            "feed",
            0.02,
            0.03,
            0.04,
            "fraction",
            "ER by followers",
        ),
        (
            "er_b",
            "engagement_rate",
            "instagram",
            "nano",
            "all",
            0.04,
            None,
            0.08,
            "fraction",
            "likes / followers",
        ),
        ("er_c", "engagement_rate", "tiktok", "micro", "video", 0.10, None, None, "fraction", "ER by views"),
        ("cpm_a", "cpm", "instagram", "all", "all", 5.0, 10.0, 15.0, "usd", "cost per 1,000 impressions"),
        ("cpm_b", "cpm", "tiktok", "all", "all", None, 8.0, None, "eur", "cost per 1,000 views"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "benchmark_id",
            "metric",
            "platform",
            "tier",
            "format",
            "low",
            "typical",
            "high",
            "unit",
            "definition",
        ],
    )
    return frame.assign(
        source_name=["Src A", "Src B", "Src C", "Src D", "Src E"],
        year=pd.array([2021, 2023, None, 2024, 2024], dtype="Int64"),
        grade=["B", "C", "C", "B", "C"],
        source_url="https://example.org",
        notes="",
        followers_min=pd.NA,
        followers_max=pd.NA,
    )


@pytest.fixture(scope="module")
def minimal_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The hand-written dataset of `conftest.py`, loaded once for the module (tests copy before changing)."""
    from conftest import write_minimal_dataset

    from playbook.data.loading import load

    return load(write_minimal_dataset(tmp_path_factory.mktemp("minimal")))


@pytest.fixture(scope="module")
def sample_tables() -> dict[str, pd.DataFrame]:
    from playbook.data.loading import load
    from playbook.data.synth.generate import SAMPLE_DIR

    return load(SAMPLE_DIR)


# --------------------------------------------------------------------------- registry explorer
def test_filter_registry_value_rule_and_filters() -> None:
    rows = filter_registry(registry_frame(), "engagement_rate")
    # value: typical if given (er_a 0.03), else the low-high midpoint (er_b (0.04 + 0.08) / 2 = 0.06),
    # else the one bound given (er_c 0.10), the rule of `Benchmark.value`; sorted by value
    assert rows["benchmark_id"].tolist() == ["er_a", "er_b", "er_c"]
    assert rows["value"].tolist() == pytest.approx([0.03, 0.06, 0.10])
    only = filter_registry(registry_frame(), "engagement_rate", platform="instagram", tier="micro")
    assert only["benchmark_id"].tolist() == ["er_a"]
    assert filter_registry(registry_frame(), "engagement_rate", fmt="story").empty


def test_explorer_narrows_options_to_the_metric_and_summarises_the_spread() -> None:
    app = benchmarks_explorer("engagement_rate", registry=registry_frame())
    assert list(app.platform.options) == [ANY, "instagram", "tiktok"]
    # highest value / lowest = 0.10 / 0.03 = 3.3x, three definitions, years 2021-2023 with one undated
    assert "3.3x" in app.summary.value and "<b>3</b> different definitions" in app.summary.value
    assert "2021-2023 (1 undated)" in app.summary.value
    app.platform.value = "instagram"
    assert app.result["benchmark_id"].tolist() == ["er_a", "er_b"]
    assert "2.0x" in app.summary.value  # 0.06 / 0.03
    app.metric.value = "cpm"
    assert app.platform.value == "instagram" and list(app.tier.options) == [ANY, "all"]
    assert app.result["benchmark_id"].tolist() == ["cpm_a"]


def test_explorer_warns_about_mixed_units_and_empty_selections() -> None:
    app = benchmarks_explorer("cpm", registry=registry_frame())
    assert "2 different units" in app.summary.value
    assert "mixed units" in app.chart.to_dict()["layer"][0]["encoding"]["x"]["title"]
    app.metric.value = "engagement_rate"
    app.format.value = "feed"
    app.tier.value = "nano"
    assert app.result.empty and app.chart is None and "No published figure" in app.summary.value


def test_explorer_on_the_registry_shows_registry_figures_only() -> None:
    registry = load_benchmarks()
    app = benchmarks_explorer()
    app.platform.value = "instagram"
    app.tier.value = "micro"
    assert len(app.result) > 1
    assert (app.result["metric"] == "engagement_rate").all() and (app.result["platform"] == "instagram").all()
    for bid, low, high in zip(app.result["benchmark_id"], app.result["low"], app.result["high"], strict=True):
        b = benchmark(bid)
        assert (b.low is None and math.isnan(low)) or b.low == low
        assert (b.high is None and math.isnan(high)) or b.high == high
    assert set(app.result["benchmark_id"]) <= set(registry["benchmark_id"])
    assert len(range_chart(app.result).to_dict()["datasets"]) >= 1


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_filter_registry_rows_always_match_the_filters(data: st.DataObject) -> None:
    registry = load_benchmarks()
    metric = data.draw(st.sampled_from(sorted(registry["metric"].unique())))
    rows = registry[registry["metric"] == metric]
    platform = data.draw(st.sampled_from([ANY, *sorted(rows["platform"].unique())]))
    tier = data.draw(st.sampled_from([ANY, *sorted(rows["tier"].unique())]))
    out = filter_registry(registry, metric, platform=platform, tier=tier)
    assert (out["metric"] == metric).all()
    assert platform == ANY or (out["platform"] == platform).all()
    assert tier == ANY or (out["tier"] == tier).all()
    both = out.dropna(subset=["low", "high"])
    assert ((both["value"] >= both["low"] - 1e-12) & (both["value"] <= both["high"] + 1e-12)).all()


# --------------------------------------------------------------------------- ER on several bases
def test_profile_er_worked_example(minimal_tables: dict[str, pd.DataFrame]) -> None:
    er = profile_er_long(minimal_tables).set_index(["account_id", "basis"])["er"]
    # AC000001 (52,000 followers): reel 2400 + 130 + 60 + 210 = 2,800; feed 1800 + 95 + 12 + 80 = 1,987
    # by followers, median of 2 posts: (2800 / 52000 + 1987 / 52000) / 2 = 0.0460288
    assert er["AC000001", FOLLOWERS_MEDIAN] == pytest.approx((2800 / 52000 + 1987 / 52000) / 2)
    # likes only, mean (Modash API): (2400 + 1800) / 2 / 52000 = 0.0403846
    assert er["AC000001", LIKES_MEAN] == pytest.approx(2100 / 52000)
    # by reach, median: (2800 / 30000 + 1987 / 21000) / 2 = 0.0939762
    assert er["AC000001", REACH_MEDIAN] == pytest.approx((2800 / 30000 + 1987 / 21000) / 2)
    # by views: only the reel has views: 2800 / 41000 = 0.0682927 (the feed post is excluded, not zero)
    assert er["AC000001", VIEWS_MEDIAN] == pytest.approx(2800 / 41000)
    # AC000004 posted one carousel (no views): ER by views undefined, NaN rather than 0
    assert math.isnan(er["AC000004", VIEWS_MEDIAN])


def test_er_by_basis_groups_by_platform_and_tier(minimal_tables: dict[str, pd.DataFrame]) -> None:
    long = profile_er_long(minimal_tables)
    by_platform = er_by_basis(long, by="platform").set_index(["group", "basis"])
    # instagram: AC000001 0.0460288 and AC000004 (900 + 40 + 25 + 120) / 18000 = 0.0602778 -> median 0.0531533
    expected = ((2800 / 52000 + 1987 / 52000) / 2 + 1085 / 18000) / 2
    assert by_platform.loc[("instagram", FOLLOWERS_MEDIAN), "median_er"] == pytest.approx(expected)
    assert by_platform.loc[("instagram", FOLLOWERS_MEDIAN), "n_accounts"] == 2
    assert by_platform.loc[("instagram", VIEWS_MEDIAN), "n_accounts"] == 1  # the carousel has no views
    by_tier = er_by_basis(long, by="tier", preset="hootsuite_imh", platform="instagram")
    # Hootsuite tiers: 18,000 is micro (10K-50K), 52,000 is mid (50K-500K)
    assert set(by_tier["group"]) == {"micro", "mid"}
    with pytest.raises(ValueError, match="by must be"):
        er_by_basis(long, by="niche")


def test_er_basis_explorer_updates_on_every_control(sample_tables: dict[str, pd.DataFrame]) -> None:
    app = er_basis_explorer(sample_tables)
    assert app.platform.value == "instagram" and set(app.result["basis"]) == set(ER_BASES)
    before = app.result.copy()
    app.preset.value = "hypeauditor_pre2021"
    assert not app.result.equals(before)
    app.by.value = "platform"
    app.platform.value = ANY
    assert set(app.result["group"]) == {"instagram", "tiktok", "youtube"}
    tiktok = app.result[app.result["group"] == "tiktok"]
    factor = tiktok["median_er"].max() / tiktok["median_er"].min()
    assert f"a factor of {factor:.1f}" in app.summary.value
    assert len(er_basis_chart(app.result).to_dict()["datasets"]) == 1


# --------------------------------------------------------------------------- tier presets
def hand_profile_er() -> pd.DataFrame:
    followers = [500, 4_000, 15_000, 60_000]
    er = [0.08, 0.05, 0.03, 0.01]
    return pd.DataFrame(
        {"account_id": list("abcd"), "platform": "instagram", "followers": followers, "er": er, "basis": "b"}
    )


def test_tier_presets_change_which_tier_an_account_falls_in() -> None:
    out = tier_presets_compare(hand_profile_er(), basis="b", presets=("hootsuite_imh", "later_fohr_2021"))
    counts = out.set_index(["preset", "tier"])["n_accounts"]
    # Hootsuite: 500 below nano (sub_nano), 4,000 nano, 15,000 micro, 60,000 mid
    assert counts["hootsuite_imh"].to_dict() == {
        "sub_nano": 1,
        "nano": 1,
        "micro": 1,
        "mid": 1,
        "macro": 0,
        "mega": 0,
    }
    # Later x Fohr: nano starts at 0 and micro runs to 100K: 500 and 4,000 nano, 15,000 and 60,000 micro
    assert counts["later_fohr_2021"][["nano", "micro", "mid"]].tolist() == [2, 2, 0]
    median = out.set_index(["preset", "tier"])["median_er"]
    assert median["later_fohr_2021", "micro"] == pytest.approx((0.03 + 0.01) / 2)
    assert median["hootsuite_imh", "micro"] == pytest.approx(0.03)
    sub = out[(out["preset"] == "hootsuite_imh") & (out["tier"] == "sub_nano")].iloc[0]
    assert sub["followers_min"] == 0 and sub["followers_max"] == 1000
    assert tier_presets_chart(out).to_dict()["facet"]["column"]["field"] == "preset"


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5_000_000), min_size=1, max_size=40))
def test_tier_shares_sum_to_one_under_every_preset(followers: list[int]) -> None:
    frame = pd.DataFrame({"followers": followers, "er": 0.02, "basis": "b", "platform": "instagram"})
    out = tier_presets_compare(frame, basis="b")
    assert out.groupby("preset")["share"].sum().to_numpy() == pytest.approx(1.0)
    assert (out.groupby("preset")["n_accounts"].sum() == len(followers)).all()


# --------------------------------------------------------------------------- formats
def test_reach_by_format_worked_example(minimal_tables: dict[str, pd.DataFrame]) -> None:
    out = reach_by_format(minimal_tables).set_index(["platform", "format"])
    # reach / followers: reel 30,000 / 52,000 = 0.576923; feed 21,000 / 52,000 = 0.403846
    assert out.loc[("instagram", "reel"), "reach_rate_median"] == pytest.approx(30000 / 52000)
    assert out.loc[("instagram", "feed"), "reach_rate_median"] == pytest.approx(21000 / 52000)
    # ER by reach of the feed post: 1,987 / 21,000
    assert out.loc[("instagram", "feed"), "er_by_reach_median"] == pytest.approx(1987 / 21000)
    # the published feed range spans both registry rows: lowest low to highest high
    feed = [
        benchmark("reach_rate_instagram_feed_influencerfee"),
        benchmark("reach_rate_instagram_feed_untapper"),
    ]
    assert out.loc[("instagram", "feed"), "pub_low"] == min(b.low for b in feed)
    assert out.loc[("instagram", "feed"), "pub_high"] == max(b.high for b in feed)
    assert math.isnan(out.loc[("instagram", "carousel"), "pub_low"])  # nothing published for carousels
    assert len(reach_by_format_chart(reach_by_format(minimal_tables)).to_dict()["layer"]) == 4


def test_reach_rate_is_undefined_for_zero_followers(minimal_tables: dict[str, pd.DataFrame]) -> None:
    tables = dict(minimal_tables)
    tables["accounts"] = minimal_tables["accounts"].assign(followers=0)
    out = reach_by_format(tables)
    assert out["reach_rate_median"].isna().all() and np.isfinite(out["er_by_reach_median"]).all()


# --------------------------------------------------------------------------- niches
def test_niche_formats_shares(minimal_tables: dict[str, pd.DataFrame]) -> None:
    out = niche_formats(minimal_tables).set_index(["niche", "format"])["share"]
    # beauty (CR00001) posted a reel, a feed post and a short video: 1/3 each; fitness one carousel
    assert out["beauty"].to_dict() == pytest.approx({"feed": 1 / 3, "reel": 1 / 3, "short_video": 1 / 3})
    assert out["fitness", "carousel"] == 1.0
    assert niche_formats_chart(niche_formats(minimal_tables)).to_dict()["layer"][0]["mark"]["type"] == "rect"


def test_niche_hashtags_skip_disclosure_tags(minimal_tables: dict[str, pd.DataFrame]) -> None:
    tables = dict(minimal_tables)
    captions = ["Glow #SkinCare #ad", "#skincare and #spf", "#ad #sponsored", "", "#running #ad"]
    tables["posts"] = minimal_tables["posts"].assign(caption=captions)
    out = niche_hashtags(tables, top=2)
    beauty = out[out["niche"] == "beauty"]
    # beauty has 3 posts: #skincare on 2 (case folded) = 2/3, #spf on 1 = 1/3; #ad and #sponsored dropped
    assert beauty["hashtag"].tolist() == ["#skincare", "#spf"]
    assert beauty["share"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert out[out["niche"] == "fitness"]["hashtag"].tolist() == ["#running"]


def test_niche_audience_is_follower_weighted(minimal_tables: dict[str, pd.DataFrame]) -> None:
    tables = dict(minimal_tables)
    extra = pd.DataFrame(
        {"account_id": "AC000002", "dimension": "age", "bucket": ["18-24", "25-34"], "share": [0.2, 0.8]}
    )
    tables["audience"] = pd.concat([minimal_tables["audience"], extra], ignore_index=True)
    out = niche_audience(tables, "age").set_index(["niche", "bucket"])
    # beauty: AC000001 (52,000 followers, 70% aged 18-24) and AC000002 (120,000, 20%):
    # (52000 x 0.7 + 120000 x 0.2) / 172000 = 60,400 / 172,000 = 0.351163
    assert out.loc[("beauty", "18-24"), "share"] == pytest.approx(60400 / 172000)
    assert out.loc[("beauty", "25-34"), "share"] == pytest.approx((52000 * 0.3 + 120000 * 0.8) / 172000)
    assert out.loc[("beauty", "18-24"), "n_accounts"] == 2
    gender = niche_audience(tables, "gender")
    assert gender.groupby("niche")["share"].sum().to_numpy() == pytest.approx(1.0)
    assert niche_audience_chart(out.reset_index()).to_dict()["mark"]["type"] == "bar"


def test_niche_tables_on_the_sample_are_small_enough_to_chart(sample_tables: dict[str, pd.DataFrame]) -> None:
    formats = niche_formats(sample_tables)
    assert formats.groupby("niche")["share"].sum().to_numpy() == pytest.approx(1.0)
    assert len(formats) < 5000 and len(niche_audience(sample_tables)) < 5000
    assert (niche_hashtags(sample_tables).groupby("niche").size() <= 4).all()
