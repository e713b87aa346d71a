"""Module 03 apps: the registry explorer, ER on several bases, tier presets, reach per format, niches.

ER formulas follow reference §1.1 (the variants table): per-post (likes + comments + shares + saves) divided
by followers, reach, impressions or views, combined per account by median or mean; likes-only is the Modash
API variant (average likes / followers). Worked examples use the hand-written `minimal_tables` dataset.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from test_benchmarks import registry_frame  # shared helpers

from playbook.analytics.benchmarks import (
    ANY,
    ER_BASES,
    niche_audience,
    niche_formats,
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


@pytest.fixture(scope="module")
def sample_tables() -> dict[str, pd.DataFrame]:
    from playbook.data.loading import load
    from playbook.data.synth.generate import SAMPLE_DIR

    return load(SAMPLE_DIR)


@pytest.fixture(scope="module")
def minimal_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The hand-written dataset of `conftest.py`, loaded once for the module (tests copy before changing)."""
    from conftest import write_minimal_dataset

    from playbook.data.loading import load

    return load(write_minimal_dataset(tmp_path_factory.mktemp("minimal")))


# --------------------------------------------------------------------------- registry explorer


def test_explorer_narrows_options_to_the_metric_and_summarises_the_spread() -> None:
    app = benchmarks_explorer("engagement_rate", registry=registry_frame())
    assert list(app.platform.options) == [ANY, "instagram", "tiktok"]
    # highest value / lowest = 0.10 / 0.03 = 3.3x, three definitions, years 2021-2023 with one undated
    assert "3.3x" in app.summary.value and "<b>3</b> different definitions" in app.summary.value
    assert "2021-2023 (1 undated)" in app.summary.value
    app.platform.value = "instagram"
    assert app.result["benchmark_id"].tolist() == ["er_a", "er_b"]
    assert "2.0x" in app.summary.value  # 0.06 / 0.03
    # the table words the rows as the course does (playbook.course.figures): 0.02-0.04 fraction -> percentages
    assert '2% to 4% <span style="white-space:nowrap">(typical 3%)</span>' in app.table.value
    assert ">Src A</a>" in app.table.value
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


# --------------------------------------------------------------------------- ER on several bases


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


# --------------------------------------------------------------------------- niches
def test_niche_formats_shares(minimal_tables: dict[str, pd.DataFrame]) -> None:
    out = niche_formats(minimal_tables).set_index(["niche", "format"])["share"]
    # beauty (CR00001) posted a reel, a feed post and a short video: 1/3 each; fitness one carousel
    assert out["beauty"].to_dict() == pytest.approx({"feed": 1 / 3, "reel": 1 / 3, "short_video": 1 / 3})
    assert out["fitness", "carousel"] == 1.0
    assert niche_formats_chart(niche_formats(minimal_tables)).to_dict()["layer"][0]["mark"]["type"] == "rect"


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
