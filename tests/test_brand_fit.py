"""Tests of the brand-fit score: each component on hand-made tables with a known answer, weights, bands,
and a sanity check on the seed-2026 sample."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics import brand_fit as bf
from playbook.data.registry import benchmark


def tiny_tables(
    topics: dict[str, str], captions: dict[str, list[str]] | None = None
) -> dict[str, pd.DataFrame]:
    """Creators with the given topics, one Instagram account each, and organic posts with the captions."""
    creators = pd.DataFrame(
        {
            "creator_id": list(topics),
            "handle": [c.lower() for c in topics],
            "niche": "beauty",
            "topics": list(topics.values()),
            "safety_flags": None,
        }
    )
    accounts = pd.DataFrame(
        {"account_id": [f"A_{c}" for c in topics], "creator_id": list(topics), "followers": 1_000}
    )
    rows = [(f"A_{c}", text) for c, texts in (captions or {}).items() for text in texts]
    posts = pd.DataFrame(rows, columns=["account_id", "caption"])
    return {"creators": creators, "accounts": accounts, "posts": posts}


@pytest.fixture(scope="module")
def minimal_once(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The conftest minimal dataset, loaded once for this module (no test changes it)."""
    from conftest import write_minimal_dataset

    from playbook.data.loading import load

    return load(write_minimal_dataset(tmp_path_factory.mktemp("minimal")))


# --------------------------------------------------------------------------- topic relevance
def test_topic_relevance_worked_example():
    tables = tiny_tables({"A": "skincare|makeup", "B": "skincare|running", "C": "running|yoga"})
    out = bf.topic_relevance(tables, ["skincare", "makeup"])
    # N = 3 creators; df(skincare) = df(running) = 2 -> idf = ln(4/3) + 1 = 1.2877; df(makeup) = 1 -> 1.6931
    # A: everything matches -> 1; B: 1.2877 / (1.2877 + 1.2877) = 0.5; C: nothing matches -> 0
    assert out["topic_relevance"].tolist() == pytest.approx([1.0, 0.5, 0.0])
    assert out.loc["A", "matched_terms"] == "makeup, skincare"  # rarer (higher idf) term first


def test_hashtags_count_and_disclosure_tags_do_not():
    tables = tiny_tables(
        {"A": "running", "B": "yoga"},
        {"A": ["Morning skincare #SkinCare #skincare #ad #sponsored", "#running"]},
    )
    out = bf.topic_relevance(tables, ["#skincare"])
    # A's terms: running x2 (topic + hashtag), skincare x2; #ad/#sponsored dropped.
    # N = 2: df(running) = df(skincare) = df(yoga) = 1 -> the same idf, so relevance = 2 / 4 = 0.5
    assert out.loc["A", "topic_relevance"] == pytest.approx(0.5)
    assert out.loc["B", "topic_relevance"] == 0


def test_rare_keywords_weigh_more():
    topics = {f"c{i}": "skincare|makeup" for i in range(5)} | {
        "rare": "skincare|spf",
        "common": "skincare|makeup",
    }
    out = bf.topic_relevance(tiny_tables(topics), ["spf"])["topic_relevance"]
    # rare: df(spf) = 1 -> idf = ln(8/2) + 1 = 2.386; df(skincare) = 7 -> idf = ln(8/8) + 1 = 1
    assert out["rare"] == pytest.approx((math.log(4) + 1) / (math.log(4) + 2))
    assert out["common"] == 0


def test_creator_without_terms_is_undefined():
    tables = tiny_tables({"A": "skincare", "B": ""})
    out = bf.topic_relevance(tables, ["skincare"])
    assert np.isnan(out.loc["B", "topic_relevance"])
    fit = bf.brand_fit(tables, target=bf.FitTarget(keywords=("skincare",))).set_index("creator_id")
    assert "topic not scored" in fit.loc["B", "reasons"]


# --------------------------------------------------------------------------- audience
def test_audience_match_is_follower_weighted():
    accounts = pd.DataFrame(
        {"account_id": ["IG", "TT", "X"], "creator_id": ["A", "A", "B"], "followers": [1_000, 3_000, 500]}
    )
    audience = pd.DataFrame(
        [
            ("IG", "country", "US", 0.6), ("IG", "country", "GB", 0.4),
            ("TT", "country", "US", 0.2), ("TT", "country", "IN", 0.8),
            ("IG", "age", "18-24", 0.5), ("IG", "age", "25-34", 0.5),
            ("TT", "age", "18-24", 0.1), ("TT", "age", "35-44", 0.9),
        ],
        columns=["account_id", "dimension", "bucket", "share"],
    )  # fmt: skip
    tables = {
        "creators": pd.DataFrame({"creator_id": ["A", "B"]}),
        "accounts": accounts,
        "audience": audience,
    }
    out = bf.audience_match(tables, "US", ["18-24"])
    # country: (1,000 x 0.6 + 3,000 x 0.2) / 4,000 = 0.3; age: (1,000 x 0.5 + 3,000 x 0.1) / 4,000 = 0.2
    assert out.loc["A", "country_share"] == pytest.approx(0.3)
    assert out.loc["A", "age_share"] == pytest.approx(0.2)
    assert np.isnan(out.loc["B", "country_share"])  # B has no audience rows
    two = bf.audience_match(tables, "US", ["18-24", "25-34"])
    assert two.loc["A", "age_share"] == pytest.approx((1_000 * 1.0 + 3_000 * 0.1) / 4_000)
    assert bf.audience_match(tables, None, [])["country_share"].isna().all()


# --------------------------------------------------------------------------- competitors and safety
def test_competitor_collaboration_is_flagged(minimal_once):
    # BR002 lists BR001 as competitor; CR00001 posted two sponsored posts for CP001, a BR001 campaign.
    out = bf.brand_fit(minimal_once, brand_id="BR002").set_index("creator_id")
    assert out.loc["CR00001", "competitor_posts"] == 2
    assert out.loc["CR00001", "competitor_brands"] == "Glowly"
    assert out.loc["CR00001", "competitor_score"] == 0
    assert "2 sponsored posts for competitors (Glowly)" in out.loc["CR00001", "reasons"]
    assert out.loc["CR00003", "competitor_score"] == 1
    own = bf.brand_fit(minimal_once, brand_id="BR001").set_index("creator_id")  # BR001's own campaign
    assert own.loc["CR00001", "competitor_score"] == 1


def test_brand_safety_flags_respect_what_the_brand_avoids(minimal_once):
    out = bf.brand_fit(minimal_once, brand_id="BR001").set_index("creator_id")
    assert out.loc["CR00002", "brand_safety_score"] == 0  # profanity
    assert "brand-safety flags: profanity" in out.loc["CR00002", "reasons"]
    relaxed = bf.brand_fit(minimal_once, brand_id="BR001", target={"avoid_flags": ("alcohol",)})
    assert relaxed.set_index("creator_id").loc["CR00002", "brand_safety_score"] == 1


# --------------------------------------------------------------------------- the score
def test_campaign_target_and_full_score_worked_example(minimal_once):
    target = bf.fit_target(minimal_once, campaign_id="CP001")
    assert (target.country, target.ages, target.brand_id) == ("US", ("18-24",), "BR001")
    assert target.keywords[:3] == ("beauty", "skincare", "makeup")
    out = bf.brand_fit(minimal_once, campaign_id="CP001").set_index("creator_id")
    # CR00001: topics skincare|makeup (caption hashtags are only #ad) -> relevance 1; audience of AC000001
    # (the only account with rows) 60% US -> min(1, 0.6 / 0.5) = 1 and 70% aged 18-24 -> min(1, 0.7 / 0.4)
    # = 1; no flags; no BR002 posts -> every sub-score is 1 -> score 100, band strong.
    top = out.loc["CR00001"]
    assert top["score"] == pytest.approx(100) and top["band"] == "strong"
    # CR00003: topics running|yoga -> relevance 0; no audience rows -> age and location not scored;
    # score = 100 x (0.1 safety + 0.1 competitor) / (0.2 topic + 0.1 + 0.1) = 50 -> needs review
    other = out.loc["CR00003"]
    w = bf.DEFAULT_FIT_WEIGHTS
    expected = (
        100 * (w["brand_safety"] + w["competitor"]) / (w["topic"] + w["brand_safety"] + w["competitor"])
    )
    assert other["score"] == pytest.approx(expected) and other["band"] == bf.fit_band(expected)
    assert "location not scored" in other["reasons"]


def test_weights_change_the_score_as_documented(minimal_once):
    base = bf.brand_fit(minimal_once, campaign_id="CP001").set_index("creator_id")
    only_topic = bf.brand_fit(
        minimal_once, campaign_id="CP001", weights={c: 0.0 for c in bf.FIT_COMPONENTS} | {"topic": 1.0}
    ).set_index("creator_id")
    # with only the topic weighted, score = 100 x topic sub-score
    assert only_topic["score"].to_numpy() == pytest.approx(
        100 * base["topic_score"].reindex(only_topic.index)
    )
    with pytest.raises(ValueError, match="unknown"):
        bf.brand_fit(minimal_once, campaign_id="CP001", weights={"vibes": 1.0})
    with pytest.raises(ValueError):
        bf.brand_fit(minimal_once, campaign_id="CP001", weights=dict.fromkeys(bf.FIT_COMPONENTS, 0.0))


def test_unscored_components_spread_their_weight(minimal_once):
    # A brand target has no age: its weight is spread over the scored components.
    out = bf.brand_fit(minimal_once, brand_id="BR003").set_index("creator_id")
    assert out["age_score"].isna().all() and (out["age_points"] == 0).all()
    w = bf.DEFAULT_FIT_WEIGHTS
    row = out.loc["CR00003"]  # no audience rows either: topic, safety and competitor are scored
    assert row["brand_safety_points"] == pytest.approx(
        100 * w["brand_safety"] / (w["topic"] + w["brand_safety"] + w["competitor"])
    )


def test_bands_follow_the_cloutaura_registry():
    strong, good, review = (
        benchmark(f"brand_fit_band_{b}_cloutaura").low for b in ("strong", "good", "review")
    )
    assert (strong, good, review) == (80, 65, 45)  # 80+ strong; 65-79 good; 45-64 needs review; <45 weak
    assert [bf.fit_band(x) for x in (100, 80, 79.9, 65, 64.99, 45, 44.9, 0)] == [
        "strong", "strong", "good", "good", "needs review", "needs review", "weak", "weak"
    ]  # fmt: skip
    assert bf.fit_band(float("nan")) == "not scored"


def test_targets_need_an_id_or_a_profile(minimal_once):
    with pytest.raises(ValueError):
        bf.brand_fit(minimal_once)
    with pytest.raises(KeyError):
        bf.fit_target(minimal_once, campaign_id="CP999")
    with pytest.raises(KeyError):
        bf.fit_target(minimal_once, brand_id="BR999")
    custom = bf.brand_fit(minimal_once, target=bf.FitTarget(keywords=("running",), country="SE"))
    assert custom.iloc[0]["creator_id"] == "CR00003"


@settings(max_examples=20, deadline=None)
@given(st.dictionaries(st.sampled_from(bf.FIT_COMPONENTS), st.floats(0, 5), min_size=1).filter(
    lambda w: sum({**bf.DEFAULT_FIT_WEIGHTS, **w}.values()) > 0))  # fmt: skip
def test_score_is_in_range_and_sums_its_points(minimal_once, weights):
    out = bf.brand_fit(minimal_once, campaign_id="CP001", weights=weights)
    assert out["score"].between(0, 100).all()
    points = out[[f"{c}_points" for c in bf.FIT_COMPONENTS]].sum(axis=1)
    assert np.allclose(points, out["score"])
    assert out["score"].is_monotonic_decreasing


# --------------------------------------------------------------------------- the seed-2026 sample
@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    from playbook.data.loading import load
    from playbook.data.synth.generate import SAMPLE_DIR

    return load(SAMPLE_DIR)


def test_sample_on_niche_creators_fit_best(sample):
    campaign = sample["campaigns"].iloc[0]
    category = sample["brands"].set_index("brand_id").loc[campaign["brand_id"], "category"]
    out = bf.brand_fit(sample, campaign_id=campaign["campaign_id"])
    on_niche = out["niche"] == category
    assert out.loc[on_niche, "score"].mean() > out.loc[~on_niche, "score"].mean() + 10
    assert (out.loc[out["band"] == "strong", "niche"] == category).all()
    assert set(out["band"]) <= {"strong", "good", "needs review", "weak"}
