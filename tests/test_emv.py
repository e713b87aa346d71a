"""Tests for analytics.emv: hand-computed values for each EMV family, multi-brand crediting, disagreement
between families, indifference to sentiment, and the relative-index label."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playbook.analytics import emv
from playbook.analytics.undefined import reason, reasons
from playbook.data.loading import load
from playbook.data.registry import benchmark
from playbook.data.synth.generate import SAMPLE_DIR


@pytest.fixture(scope="module")
def sample_posts() -> pd.DataFrame:
    return load(SAMPLE_DIR)["posts"]


def make_posts(rows: list[dict]) -> pd.DataFrame:
    base = {
        "platform": "instagram",
        "format": "reel",
        "caption": "",
        "likes": 0,
        "comments": 0,
        "shares": 0,
        "saves": 0,
        "views": 0,
        "impressions": 0,
        "link_clicks": 0,
    }
    df = pd.DataFrame([{**base, **r} for r in rows])
    df["post_id"] = [f"P{i}" for i in range(len(df))]
    return df


# One Instagram reel, used by the hand computations below.
REEL = {
    "impressions": 10_000,
    "link_clicks": 20,
    "likes": 500,
    "comments": 40,
    "shares": 10,
    "saves": 99,
    "views": 8_000,
}


# --------------------------------------------------------------------------- label
def test_label_says_relative_index_and_never_roi():
    assert "relative index" in emv.EMV_LABEL
    assert "never part of ROI" in emv.EMV_LABEL


def test_every_output_carries_the_label():
    posts = make_posts([REEL])
    outputs = [
        emv.emv_impressions(posts["impressions"], 10.0),
        emv.emv_actions(posts),
        emv.emv_engagement_baseline(posts),
        emv.emv_comparison(posts),
    ]
    assert all(o.attrs["label"] == emv.EMV_LABEL for o in outputs)


# --------------------------------------------------------------------------- family 1: impressions x CPM
def test_impression_emv_worked_example():
    # Word on the Block 2023: Instagram CPM $5-15, midpoint $10.
    # 36,000 impressions / 1,000 x $10 = $360
    cpm = benchmark("cpm_instagram_wordontheblock_2023").value
    assert cpm == 10
    assert emv.emv_impressions(36_000, cpm) == pytest.approx(360)


def test_platform_cpm_uses_the_registry_midpoints():
    cpm = emv.platform_cpm(pd.Series(["instagram", "youtube", "tiktok"]))
    # Word on the Block 2023 midpoints: Instagram (5+15)/2 = 10, YouTube (15+30)/2 = 22.5, TikTok 10
    assert cpm.tolist() == [10.0, 22.5, 10.0]
    inzpire = emv.platform_cpm(pd.Series(["youtube"]), source="inzpire")
    assert inzpire.iloc[0] == benchmark("cpm_youtube_inzpire").value == 56


def test_impression_emv_missing_data_has_a_reason():
    assert reason(emv.emv_impressions(math.nan, 10.0)) == "EMV (impressions): missing data"
    out = emv.emv_impressions(pd.Series([1_000.0, math.nan]), 10.0)
    assert out.iloc[0] == pytest.approx(10.0)
    assert list(reasons(out)) == [None, "EMV (impressions): missing data"]


# --------------------------------------------------------------------------- family 2: action values
def test_ayzenberg_values_come_from_the_registry():
    values = emv.ayzenberg_values()
    # $9.07 per 1,000 impressions -> $0.00907 per impression; favourite = like $0.60; reply = comment $2.87
    assert values["impressions"] == pytest.approx(0.00907)
    assert values["likes"] == pytest.approx(0.60)
    assert values["comments"] == pytest.approx(2.87)
    assert values["shares"] == pytest.approx(1.88)
    assert values["link_clicks"] == pytest.approx(1.58)
    assert values["views"] == pytest.approx(0.09)
    assert "saves" not in values


def test_action_emv_worked_example():
    # Ayzenberg EMV Index (SocialToaster), Twitter actions mapped to post columns:
    #   10,000 impressions x 9.07 / 1,000 =  90.70
    #   20 clicks          x 1.58         =  31.60
    #   500 likes          x 0.60         = 300.00
    #   40 comments        x 2.87         = 114.80
    #   10 shares          x 1.88         =  18.80
    #   8,000 views        x 0.09         = 720.00
    #   99 saves are not valued           =   0
    #                                total = 1,275.90
    out = emv.emv_actions(make_posts([REEL]))
    assert out.iloc[0] == pytest.approx(1_275.90)


def test_action_emv_with_custom_values():
    # 500 likes x 0.10 + 40 comments x 1.00 = 50 + 40 = 90
    out = emv.emv_actions(make_posts([REEL]), values={"likes": 0.10, "comments": 1.0})
    assert out.iloc[0] == pytest.approx(90)
    assert out.attrs["values"] == {"likes": 0.10, "comments": 1.0}
    with pytest.raises(ValueError, match="retweets"):
        emv.emv_actions(make_posts([REEL]), values={"retweets": 1.0})


def test_action_emv_missing_count_has_a_reason():
    posts = make_posts([REEL, REEL])
    posts["likes"] = posts["likes"].astype("float64")
    posts.loc[1, "likes"] = math.nan
    out = emv.emv_actions(posts)
    assert math.isnan(out.iloc[1])
    assert list(reasons(out)) == [None, "EMV (actions): missing data"]


# --------------------------------------------------------------------------- family 3: engagement + baseline
def test_engagement_emv_worked_example():
    # illustrative defaults: Instagram baseline $5; views 8,000 x 0.02 = 160; likes 500 x 0.2 = 100;
    # comments 40 x 1.0 = 40; shares 10 x 1.5 = 15 -> engagement 315; EMV = 5 + 315 = 320
    out = emv.emv_engagement_baseline(make_posts([REEL]))
    row = out.iloc[0]
    assert (row["baseline"], row["engagement_value"], row["emv"]) == pytest.approx((5, 315, 320))
    assert pd.isna(row["brand_id"])


def test_engagement_emv_parameters_are_explicit():
    # a YouTube video with custom baseline 100 and only likes valued at 0.5: 100 + 500 x 0.5 = 350
    posts = make_posts([{**REEL, "platform": "youtube", "format": "long_video"}])
    out = emv.emv_engagement_baseline(posts, baseline={"youtube": 100.0}, weights={"likes": 0.5})
    assert out["emv"].iloc[0] == pytest.approx(350)
    assert out.attrs["baseline"] == {"youtube": 100.0}
    with pytest.raises(ValueError, match="youtube"):
        emv.emv_engagement_baseline(posts, baseline={"instagram": 5.0})


def test_full_emv_is_credited_to_every_mentioned_brand():
    # Tribe Dynamics behaviour: one outfit post tagging two brands gives BOTH the full EMV.
    brands = pd.DataFrame({"brand_id": ["B1", "B2", "B3"], "name": ["Glowly", "Lumen Skin", "Stride"]})
    posts = make_posts(
        [
            {**REEL, "caption": "Wearing @glowly and @LumenSkin today"},
            {**REEL, "caption": "Nothing sponsored here, just @glowlyfan"},
        ]
    )
    mentions = emv.brand_mentions_from_captions(posts, brands)
    assert mentions.values.tolist() == [["P0", "B1"], ["P0", "B2"]]
    credited = emv.emv_engagement_baseline(posts, mentions)
    assert credited["brand_id"].tolist() == ["B1", "B2"]
    # each brand gets 320 (the full per-post EMV), so summing over brands counts 640 for one post of 320
    assert credited["emv"].tolist() == pytest.approx([320, 320])
    per_post = emv.emv_engagement_baseline(posts)
    assert credited["emv"].sum() == pytest.approx(2 * per_post["emv"].iloc[0])


# --------------------------------------------------------------------------- comparison
def test_comparison_shows_the_families_disagree():
    out = emv.emv_comparison(make_posts([REEL]))
    row = out.iloc[0]
    # impressions: 10,000 / 1,000 x $10 = 100; actions: 1,275.90; engagement baseline: 320
    assert row["emv_impressions"] == pytest.approx(100)
    assert row["emv_actions"] == pytest.approx(1_275.90)
    assert row["emv_engagement_baseline"] == pytest.approx(320)
    # spread = largest / smallest = 1,275.90 / 100 = 12.759
    assert row["spread"] == pytest.approx(12.759)
    assert pd.isna(row["reason"])


def test_comparison_spread_undefined_without_impressions():
    # no impressions at all: impression EMV is 0, so largest / smallest is undefined
    out = emv.emv_comparison(make_posts([{"likes": 10}]))
    assert out["emv_impressions"].iloc[0] == 0
    assert math.isnan(out["spread"].iloc[0])
    assert out["reason"].iloc[0] == "EMV spread: denominator is 0"


def test_comparison_on_the_sample_disagrees(sample_posts):
    out = emv.emv_comparison(sample_posts)
    assert len(out) == len(sample_posts)
    assert out.attrs["label"] == emv.EMV_LABEL
    defined = out["spread"].dropna()
    assert (defined >= 1).all()
    assert defined.median() > 2  # the families differ by a multiple, not by rounding
    totals = out[["emv_impressions", "emv_actions", "emv_engagement_baseline"]].sum()
    assert totals.max() / totals.min() > 2


def test_emv_ignores_sentiment():
    # EMV is purely quantitative: identical counts with a glowing and a damning caption score the same.
    posts = make_posts(
        [
            {**REEL, "caption": "Obsessed with @glowly, best serum ever!"},
            {**REEL, "caption": "@glowly broke me out in a rash. Avoid, worst product ever."},
        ]
    )
    out = emv.emv_comparison(posts)
    for column in ("emv_impressions", "emv_actions", "emv_engagement_baseline"):
        assert out[column].iloc[0] == out[column].iloc[1]


# --------------------------------------------------------------------------- properties
@given(
    likes=st.integers(0, 10**6),
    comments=st.integers(0, 10**5),
    shares=st.integers(0, 10**5),
    views=st.integers(0, 10**7),
    impressions=st.integers(0, 10**7),
    k=st.integers(1, 20),
)
def test_action_and_engagement_emv_are_linear_in_counts(likes, comments, shares, views, impressions, k):
    row = {"likes": likes, "comments": comments, "shares": shares, "views": views, "impressions": impressions}
    posts = make_posts([row, {c: v * k for c, v in row.items()}])
    actions = emv.emv_actions(posts)
    assert actions.iloc[1] == pytest.approx(k * actions.iloc[0])
    # the engagement family adds a fixed baseline, so only its engagement part scales
    engagement = emv.emv_engagement_baseline(posts)["engagement_value"]
    assert engagement.iloc[1] == pytest.approx(k * engagement.iloc[0])


@given(impressions=st.integers(0, 10**9), cpm=st.floats(0, 100, allow_nan=False), k=st.floats(0, 10))
def test_impression_emv_is_linear_in_cpm(impressions, cpm, k):
    assert emv.emv_impressions(impressions, k * cpm) == pytest.approx(
        k * emv.emv_impressions(impressions, cpm)
    )
