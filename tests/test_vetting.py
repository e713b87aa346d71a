"""Tests of the audience-quality score: each component on hand-made frames with a known answer, the
weights, explain() and evaluate(), then the whole score against the ground truth of the seed-2026 sample."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics import vetting as v
from playbook.analytics.undefined import reason
from playbook.data.registry import benchmark

LINE = benchmark("followers_credibility_fraud_threshold_modash").value  # 0.75 (Modash)
MASS_LINE = benchmark("mass_follower_following_threshold_hivency").value  # 1,500 (Hivency)


# --------------------------------------------------------------------------- hand-made frames
def make_accounts(rows: list[dict]) -> pd.DataFrame:
    """Accounts with defaults for every column the score reads."""
    base = {
        "creator_id": "CR1",
        "platform": "instagram",
        "followers": 5_000,
        "following": 300,
        "account_created": pd.Timestamp("2022-01-01"),
        "snapshot_date": pd.Timestamp("2025-01-01"),
        "audience_credibility": 0.9,
    }
    frame = pd.DataFrame([{**base, **r} for r in rows])
    if "account_id" not in frame:
        frame["account_id"] = [f"A{i:02d}" for i in range(len(frame))]
    return frame


def make_posts(rows: list[dict]) -> pd.DataFrame:
    base = {"shares": 0, "saves": 0, "views": 0, "posted_at": pd.Timestamp("2025-01-01"), "caption": ""}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["post_id"] = [f"P{i:04d}" for i in range(len(frame))]
    return frame


def daily(account_id: str, followers: np.ndarray, following: np.ndarray | None = None) -> pd.DataFrame:
    n = len(followers)
    return pd.DataFrame(
        {
            "account_id": account_id,
            "date": pd.date_range("2025-01-01", periods=n, freq="D"),
            "followers": np.asarray(followers, dtype="int64"),
            "following": np.full(n, 300) if following is None else np.asarray(following, dtype="int64"),
        }
    )


def smooth_series(n: int = 90, start: float = 20_000, seed: int = 0) -> np.ndarray:
    """Organic growth of 0.1% a day with 0.05% day-to-day noise."""
    rng = np.random.default_rng(seed)
    return np.round(start * np.exp(np.cumsum(0.001 + rng.normal(0, 0.0005, n)))).astype("int64")


# --------------------------------------------------------------------------- robust z
def test_robust_z_worked_example():
    # NIST 1.3.5.17 modified z: x = 1, 2, 3, 4, 100 -> median 3, |x - 3| = 2, 1, 0, 1, 97 -> MAD 1;
    # z(100) = 0.6745 * 97 / 1 = 65.43; z(1) = 0.6745 * -2 = -1.349.
    z = v.robust_z(pd.Series([1.0, 2, 3, 4, 100]))
    assert z.iloc[4] == pytest.approx(0.6745 * 97, rel=1e-4)
    assert z.iloc[0] == pytest.approx(-1.349, rel=1e-3)
    assert z.iloc[2] == 0


def test_robust_z_falls_back_to_mean_absolute_deviation_when_mad_is_zero():
    # x = 5, 5, 5, 5, 9: MAD = 0; mean |x - 5| = 4 / 5 = 0.8; scale = 1.2533 * 0.8 = 1.0027; z(9) = 3.989.
    z = v.robust_z(pd.Series([5.0, 5, 5, 5, 9]))
    assert z.iloc[4] == pytest.approx(4 / (math.sqrt(math.pi / 2) * 0.8))
    assert z.iloc[0] == 0


def test_robust_z_constant_nan_and_groups():
    assert (v.robust_z(pd.Series([3.0, 3.0, 3.0])) == 0).all()
    z = v.robust_z(pd.Series([1.0, np.nan, 3.0]))
    assert np.isnan(z.iloc[1]) and z.iloc[0] == -z.iloc[2]
    grouped = v.robust_z(pd.Series([1.0, 2, 3, 100, 200, 300]), np.array([0, 0, 0, 1, 1, 1]))
    assert grouped.tolist() == pytest.approx([-0.6745, 0, 0.6745, -0.6745, 0, 0.6745], rel=1e-4)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-1_000, 1_000), min_size=3, max_size=30),
    st.floats(0.1, 100),
    st.integers(-1_000, 1_000),
)
def test_robust_z_is_unchanged_by_shifting_and_scaling(values, scale, shift):
    x = pd.Series(values, dtype="float64")
    base, moved = v.robust_z(x), v.robust_z(x * scale + shift)
    assert np.allclose(base, moved, rtol=1e-6, atol=1e-6)
    assert np.allclose(v.robust_z(-x), -base, rtol=1e-6, atol=1e-6)


# --------------------------------------------------------------------------- 2. follower growth
def test_growth_planted_step_gets_high_z_and_the_right_date():
    series = smooth_series()
    series[40:] = np.round(series[40:] * 1.4)  # +40% bought on day 40 (2025-02-10)
    out = v.growth_signal(daily("A1", series), ["A1"])
    row = out.loc["A1"]
    assert row["growth_jump_date"] == pd.Timestamp("2025-02-10")
    assert row["growth_jump_pct"] == pytest.approx(0.4, abs=0.005)
    assert row["growth_signal"] > 100  # 0.6745 * (0.336 - 0.001) / MAD(~0.0003) is in the hundreds
    assert row["growth_risk"] == 1.0
    assert "2025-02-10" in row["growth_reason"]


def test_growth_smooth_series_is_not_flagged():
    out = v.growth_signal(daily("A1", smooth_series(seed=3)), ["A1"])
    assert out.loc["A1", "growth_signal"] < v.VettingParams().z_start
    assert out.loc["A1", "growth_risk"] == 0


def test_growth_small_step_is_an_outlier_but_not_material():
    series = smooth_series()
    series[50:] = np.round(series[50:] * 1.02)  # +2% in a day: high z, below min_jump (5%)
    row = v.growth_signal(daily("A1", series), ["A1"]).loc["A1"]
    assert row["growth_signal"] > v.VettingParams().z_full
    assert row["growth_risk"] == 0
    lenient = v.growth_signal(daily("A1", series), ["A1"], v.VettingParams(min_jump=0.01))
    assert lenient.loc["A1", "growth_risk"] == 1.0


def test_growth_short_or_missing_series_is_not_scored():
    frame = daily("A1", smooth_series(n=10))
    out = v.growth_signal(frame, ["A1", "A2"])
    assert out["growth_risk"].isna().all()
    assert out.loc["A2", "growth_reason"].startswith("not scored")


# --------------------------------------------------------------------------- 3. following
def test_following_spike_is_found_with_its_date():
    following = 500 + np.tile([0, 1, -1, 2, -2, 1], 10)
    following[30:] += 3_000  # mass-follow on day 30 (2025-01-31), still above the Hivency line after
    accounts = make_accounts([{"account_id": "A1", "followers": 20_000, "following": int(following[-1])}])
    row = v.following_signal(accounts, daily("A1", smooth_series(60), following)).loc["A1"]
    assert row["following_jump_date"] == pd.Timestamp("2025-01-31")
    assert row["following_signal"] > 100
    assert row["following_risk"] == 1.0


def test_following_above_the_hivency_line_and_ratio():
    accounts = make_accounts(
        [
            {"account_id": "over_line", "followers": 50_000, "following": int(MASS_LINE) + 100},
            {"account_id": "ratio_6", "followers": 100, "following": 600},
            {"account_id": "normal", "followers": 10_000, "following": 400},
        ]
    )
    empty = daily("none", np.array([], dtype="int64"))
    out = v.following_signal(accounts, empty)
    p = v.VettingParams()
    assert out.loc["over_line", "following_risk"] == p.mass_follow_risk
    # following / followers = 600 / 100 = 6 -> ramp (6 - 2) / (10 - 2) = 0.5
    assert out.loc["ratio_6", "following_ratio"] == 6
    assert out.loc["ratio_6", "following_risk"] == pytest.approx(0.5)
    assert out.loc["normal", "following_risk"] == 0


def test_following_ratio_is_undefined_with_zero_followers():
    accounts = make_accounts([{"account_id": "A1", "followers": 0, "following": 10}])
    out = v.following_signal(accounts, daily("none", np.array([], dtype="int64")))
    assert np.isnan(out.loc["A1", "following_ratio"])
    assert "no followers" in out.loc["A1", "following_reason"]


# --------------------------------------------------------------------------- 4. likes : comments
def peer_posts(extra: dict[str, tuple[int, int]], n_peers: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n_peers Instagram nano accounts with 20-31 likes per comment, plus `extra` {id: (likes, comments)}."""
    ids = [f"peer{i:02d}" for i in range(n_peers)]
    counts = {pid: (2_000 + 100 * i, 99) for i, pid in enumerate(ids)} | extra
    accounts = make_accounts([{"account_id": a} for a in counts])
    posts = make_posts(
        [
            {"account_id": a, "platform": "instagram", "likes": lk, "comments": c}
            for a, (lk, c) in counts.items()
        ]
    )
    return accounts, posts


def test_likes_comments_outliers_on_both_sides():
    accounts, posts = peer_posts({"bought": (20_000, 99), "pod": (300, 99)})
    out = v.likes_comments_signal(posts, accounts)
    # (likes + 1) / (comments + 1): peers 20.01 ... 31.01, bought 200.01, pod 3.01
    assert out.loc["bought", "likes_per_comment"] == pytest.approx(20_001 / 100)
    assert out.loc["bought", "likes_comments_signal"] > 7 and out.loc["bought", "likes_comments_risk"] == 1
    assert out.loc["pod", "likes_comments_signal"] < -7 and out.loc["pod", "likes_comments_risk"] == 1
    assert "more comments per like" in out.loc["pod", "likes_comments_reason"]
    assert out.loc["peer05", "likes_comments_risk"] == 0


def test_likes_comments_peer_z_is_within_platform_and_tier():
    accounts, posts = peer_posts({})
    z = v.likes_comments_signal(posts, accounts)["likes_comments_signal"]
    logs = np.log(posts.set_index("account_id")["likes"].add(1) / 100)
    assert z.to_numpy() == pytest.approx(v.robust_z(logs).to_numpy())


def test_likes_comments_too_few_peers_or_no_posts_is_not_scored():
    accounts, posts = peer_posts({}, n_peers=4)
    out = v.likes_comments_signal(posts, accounts)
    assert out["likes_comments_risk"].isna().all()
    assert "fewer than 10 peers" in out["likes_comments_reason"].iloc[0]
    none = v.likes_comments_signal(posts.iloc[0:0], accounts)
    assert none["likes_comments_reason"].iloc[0] == "not scored: no posts"


# --------------------------------------------------------------------------- 5. comments
def test_emoji_only_and_generic_detection():
    text = pd.Series(["🔥🔥🔥", "❤️", "😍 😍", "Nice!", "!!!", "", None, "Where did you get the spf?"])
    assert v.is_emoji_only(text).tolist() == [True, True, True, False, False, False, False, False]
    text = pd.Series(
        ["Nice!!", "Love this so much 😍", "Obsessed with this 🙌", "Where did you get it?", "🔥"]
    )
    assert v.is_generic(text).tolist() == [True, True, True, False, False]


def comment_frames(rows: list[tuple[str, str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """rows = (post_id, commenter_id, text); every post belongs to account A1. No `kind` column."""
    comments = pd.DataFrame(rows, columns=["post_id", "commenter_id", "text"])
    posts = pd.DataFrame({"post_id": sorted(set(comments["post_id"])), "account_id": "A1"})
    return comments, posts


def test_pod_comment_set_is_detected():
    # 3 pod accounts leave generic praise on each of 5 posts (15 comments), 5 fans ask specific questions.
    pod = [(f"P{p}", f"pod{k}", "Amazing content!! 🔥") for p in range(5) for k in range(3)]
    fans = [(f"P{p}", f"fan{p}", f"How long did the step {p} take?") for p in range(5)]
    comments, posts = comment_frames(pod + fans)
    row = v.comment_signal(comments, posts, ["A1"]).loc["A1"]
    # pod share = 15 / 20 = 0.75, low-effort share 0.75:
    # risk = max(ramp(0.75; 0.05, 0.2), ramp(0.75; 0.6, 0.9)) = max(1, 0.5) = 1
    assert row["comments_signal"] == pytest.approx(0.75)
    assert row["comments_pod_commenters"] == 3
    assert row["comments_risk"] == 1.0


def test_loyal_fans_with_specific_comments_are_not_a_pod():
    rows = [
        (f"P{p}", f"fan{k}", f"Question {p} from fan {k} about the recipe")
        for p in range(4)
        for k in range(3)
    ]
    comments, posts = comment_frames(rows)
    row = v.comment_signal(comments, posts, ["A1"]).loc["A1"]
    assert row["comments_signal"] == 0 and row["comments_risk"] == 0


def test_copy_paste_and_low_effort_share():
    # 10 comments, all different commenters: 4 emoji-only, 3 generic, 3 specific -> low-effort 0.7
    texts = [
        "🔥",
        "👏👏",
        "💯",
        "😍",
        "Nice!",
        "Wow",
        "Great post",
        "Which lens?",
        "Where is this?",
        "Recipe pls",
    ]
    comments, posts = comment_frames([(f"P{i % 3}", f"u{i}", t) for i, t in enumerate(texts)])
    row = v.comment_signal(comments, posts, ["A1"]).loc["A1"]
    assert row["comments_emoji_share"] == pytest.approx(0.4)
    assert row["comments_low_effort_share"] == pytest.approx(0.7)
    assert row["comments_risk"] == pytest.approx((0.7 - 0.6) / (0.9 - 0.6))
    # one commenter pasting the same specific text twice on one post is copy-paste
    again = comment_frames(
        [("P0", "bot", "Check my page for deals"), ("P0", "bot", "check my  page for deals")]
    )
    out = v.comment_signal(*again, ["A1"], v.VettingParams(min_comments=1))
    assert out.loc["A1", "comments_copy_share"] == 1.0


def test_too_few_comments_is_not_scored():
    comments, posts = comment_frames([("P0", "u1", "🔥"), ("P1", "u2", "Nice")])
    out = v.comment_signal(comments, posts, ["A1", "A2"])
    assert out["comments_risk"].isna().all()
    assert out.loc["A2", "comments_n"] == 0
    assert "fewer than 8" in out.loc["A1", "comments_reason"]


# --------------------------------------------------------------------------- 1. engagement
def test_er_benchmark_ids():
    assert v.er_benchmark_id("instagram", 5_000) == "er_followers_instagram_nano_untapper_2026"
    assert v.er_benchmark_id("instagram", 999) == "er_followers_instagram_nano_untapper_2026"  # sub-nano
    assert v.er_benchmark_id("tiktok", 60_000) == "er_views_tiktok_mid_untapper_2026"
    assert v.er_benchmark_id("tiktok", 60_000, "later_fohr_2021") == "er_views_tiktok_micro_untapper_2026"
    assert v.er_benchmark_id("youtube", 7_000) == "er_views_youtube_modash_5k_10k"
    assert v.er_benchmark_id("youtube", 500) == "er_views_youtube_modash_1k_5k"
    assert v.er_benchmark_id("youtube", 5_000_000) == "er_views_youtube_modash_1m_plus"


def test_instagram_er_below_the_band():
    band = benchmark("er_followers_instagram_nano_untapper_2026")  # 3-5% (Untapper 2026)
    accounts = make_accounts([{"account_id": "A1", "followers": 5_000}])
    # interactions = 75 + 10 + 10 + 5 = 100 per post -> ER 100 / 5,000 = 2% on every post
    posts = make_posts([{"account_id": "A1", "platform": "instagram", "likes": 75, "comments": 10,
                         "shares": 10, "saves": 5}] * 3)  # fmt: skip
    row = v.engagement_signal(posts, accounts).loc["A1"]
    assert row["er"] == pytest.approx(0.02)
    assert row["engagement_signal"] == pytest.approx(0.02 / band.typical)
    # risk = ln(low / ER) / ln(er_span) = ln(0.03 / 0.02) / ln 2 = 0.585
    assert row["engagement_risk"] == pytest.approx(math.log(band.low / 0.02) / math.log(2))


def test_tiktok_er_is_by_views_and_youtube_by_median_over_last_videos():
    accounts = make_accounts(
        [{"account_id": "T1", "platform": "tiktok"}, {"account_id": "Y1", "platform": "youtube"}]
    )
    tiktok = [{"account_id": "T1", "platform": "tiktok", "likes": 60, "comments": 10, "views": 1_000}]
    window = int(benchmark("er_profile_window_videos_modash").value)  # 30 videos (Modash)
    youtube = [
        {"account_id": "Y1", "platform": "youtube", "likes": 10, "comments": 0, "views": 1_000,
         "posted_at": pd.Timestamp("2025-01-01") + pd.Timedelta(days=i)}
        for i in range(window)
    ] + [{"account_id": "Y1", "platform": "youtube", "likes": 900, "comments": 0, "views": 1_000,
          "posted_at": pd.Timestamp("2024-01-01")}]  # fmt: skip
    out = v.engagement_signal(make_posts(tiktok + youtube), accounts)
    assert out.loc["T1", "er"] == pytest.approx(70 / 1_000)  # (60 + 10) / 1,000 views
    assert out.loc["Y1", "er"] == pytest.approx(10 / 1_000)  # the older 31st video is outside the window


def test_er_above_the_band_counts_only_when_likes_drive_it():
    band = benchmark("er_followers_instagram_nano_untapper_2026")
    accounts = make_accounts([{"account_id": "A1", "followers": 1_000}])
    posts = make_posts([{"account_id": "A1", "platform": "instagram", "likes": 190, "comments": 10}])
    # ER = 200 / 1,000 = 20%; risk above = ln(0.20 / high) / ln 2, clipped to 1
    expected = min(1.0, math.log(0.2 / band.high) / math.log(2))
    driven = v.engagement_signal(posts, accounts, pd.Series({"A1": 5.0})).loc["A1"]
    assert (
        driven["engagement_risk"] == pytest.approx(expected) and "likes-driven" in driven["engagement_reason"]
    )
    organic = v.engagement_signal(posts, accounts, pd.Series({"A1": -1.0})).loc["A1"]
    assert organic["engagement_risk"] == 0


def test_no_posts_and_zero_followers_are_not_scored():
    accounts = make_accounts([{"account_id": "A1", "followers": 0}, {"account_id": "A2"}])
    posts = make_posts([{"account_id": "A1", "platform": "instagram", "likes": 5, "comments": 1}])
    out = v.engagement_signal(posts, accounts)
    assert out["engagement_risk"].isna().all()
    assert out.loc["A2", "engagement_reason"].startswith("not scored")


# --------------------------------------------------------------------------- 6-7. age and credibility
def test_young_account_with_many_followers():
    rows = [{"account_id": f"p{i}", "followers": 5_000 + 10 * i, "account_created": pd.Timestamp("2022-01-01")
             - pd.Timedelta(days=10 * i)} for i in range(12)]  # fmt: skip
    rows.append({"account_id": "young", "followers": 9_000, "account_created": pd.Timestamp("2024-11-02")})
    out = v.account_age_signal(make_accounts(rows))
    assert out.loc["young", "account_age_days"] == 60
    assert out.loc["young", "followers_per_day"] == pytest.approx(150)  # 9,000 / 60 days
    assert out.loc["young", "account_age_risk"] == 1.0
    assert out.loc["p3", "account_age_risk"] == 0


def test_credibility_risk_against_the_modash_line():
    accounts = make_accounts(
        [{"audience_credibility": c} for c in (0.9, LINE, 0.625, 0.4)]
    )  # 0.625 -> (0.75 - 0.625) / (0.75 - 0.5) = 0.5
    risk = v.credibility_signal(accounts)["credibility_risk"].tolist()
    assert risk == pytest.approx([0, 0, (LINE - 0.625) / (LINE - 0.5), 1])


# --------------------------------------------------------------------------- the score, weights, explain
@pytest.fixture
def one_risk_tables() -> dict[str, pd.DataFrame]:
    """One account whose only risk is credibility 0.625 (risk 0.5)."""
    accounts = make_accounts([{"account_id": "A1", "audience_credibility": 0.625}])
    posts = make_posts([{"account_id": "A1", "platform": "instagram", "likes": 180, "comments": 10}])
    return {"accounts": accounts, "posts": posts}


# The arithmetic tests score a one-account table with few components: `min_scored=1` lets them score (the
# default withholds a score with fewer than 4 components with data; see the withholding test below).
SCORE_ANY = v.VettingParams(min_scored=1)


def test_weights_change_the_total_as_documented(one_risk_tables):
    risk = (LINE - 0.625) / (LINE - 0.5)
    default = v.audience_quality(one_risk_tables, params=SCORE_ANY).iloc[0]
    # credibility weighs 20 of 100 points: 100 - 20 * 0.5 = 90
    assert default["credibility_points"] == pytest.approx(-20 * risk)
    assert default["score"] == pytest.approx(100 - 20 * risk)
    heavier = v.audience_quality(one_risk_tables, weights={"credibility": 40}, params=SCORE_ANY).iloc[0]
    # weights sum to 120, normalised to 100: credibility = 100 * 40 / 120 = 33.3 points -> 100 - 16.7
    assert heavier["score"] == pytest.approx(100 - 100 * 40 / 120 * risk)
    off = v.audience_quality(one_risk_tables, weights={"credibility": 0}, params=SCORE_ANY).iloc[0]
    assert off["score"] == 100


def test_invalid_weights_raise(one_risk_tables):
    with pytest.raises(ValueError, match="unknown"):
        v.audience_quality(one_risk_tables, weights={"charisma": 1})
    with pytest.raises(ValueError):
        v.audience_quality(one_risk_tables, weights={"growth": -1})
    with pytest.raises(ValueError):
        v.audience_quality(one_risk_tables, weights=dict.fromkeys(v.COMPONENTS, 0.0))


def test_explain_sums_to_the_total_and_flags_name_the_reason(one_risk_tables):
    scores = v.audience_quality(one_risk_tables, threshold=95, params=SCORE_ANY)
    table = v.explain("A1", scores)
    assert table["component"].tolist() == ["baseline", *v.COMPONENTS]
    assert table["contribution"].sum() == pytest.approx(scores["score"].iloc[0])
    assert scores["red_flags"].iloc[0].startswith("credibility: followers credibility 0.62")
    assert bool(scores["suspected"].iloc[0])  # 90 < 95
    with pytest.raises(KeyError):
        v.explain("nope", scores)


def test_minimal_dataset_runs_and_marks_missing_components(minimal_tables):
    scores = v.audience_quality(minimal_tables)
    assert len(scores) == len(minimal_tables["accounts"])
    scored = scores["n_scored"] >= v.VettingParams().min_scored
    assert scores.loc[scored, "score"].between(0, 100).all()
    assert scores.loc[~scored, "score"].isna().all()  # withheld, never 100 for lack of evidence
    assert scores.loc[~scored, "score_reason"].str.startswith("score withheld: ").all()
    assert scores["growth_reason"].str.startswith("not scored").all()  # 3 days of counts only


def test_score_is_withheld_below_the_minimum_of_scored_components(one_risk_tables):
    row = v.audience_quality(one_risk_tables).iloc[0]
    n = int(row["n_scored"])
    assert n < 4 and pd.isna(row["score"]) and not row["suspected"]
    assert row["score_reason"] == f"score withheld: {n} of 7 components have data (at least 4 needed)"


@settings(max_examples=20, deadline=None)
@given(st.dictionaries(st.sampled_from(v.COMPONENTS), st.floats(0, 50), min_size=1).filter(
    lambda w: sum({**v.DEFAULT_WEIGHTS, **w}.values()) > 0))  # fmt: skip
def test_score_stays_in_range_and_equals_100_plus_points(weights):
    accounts = make_accounts([{"account_id": "A1", "audience_credibility": 0.3, "following": 4_000,
                               "followers": 200}])  # fmt: skip
    posts = make_posts([{"account_id": "A1", "platform": "instagram", "likes": 1, "comments": 0}])
    row = v.audience_quality({"accounts": accounts, "posts": posts}, weights=weights, params=SCORE_ANY).iloc[
        0
    ]
    assert 0 <= row["score"] <= 100
    assert row["score"] == pytest.approx(100 + sum(row[f"{c}_points"] for c in v.COMPONENTS))


# --------------------------------------------------------------------------- evaluation
def hand_confusion() -> tuple[pd.DataFrame, pd.DataFrame]:
    scores = pd.DataFrame(
        {"account_id": list("ABCDE"), "score": [10.0, 20, 90, 95, 30], "suspected": [True] * 5}
    )
    labels = pd.DataFrame(
        {
            "account_id": list("ABCDE"),
            "archetype": ["bought_followers", "none", "mass_follow", "none", "engagement_pod"],
        }
    )
    return scores, labels


def test_evaluate_on_a_hand_made_confusion():
    scores, labels = hand_confusion()
    out = v.evaluate(scores, labels, threshold=50)
    # flagged A, B, E: TP = A, E; FP = B; FN = C; TN = D
    assert (out["tp"], out["fp"], out["fn"], out["tn"]) == (2, 1, 1, 1)
    assert out["precision"] == pytest.approx(2 / 3) and out["recall"] == pytest.approx(2 / 3)
    assert out["f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))  # 2 TP / (2 TP + FP + FN)
    assert out["base_rate"] == pytest.approx(3 / 5)
    assert out["recall_by_archetype"] == {"bought_followers": 1.0, "engagement_pod": 1.0, "mass_follow": 0.0}
    assert v.evaluate(scores, labels)["tp"] == 3  # threshold None: the `suspected` column


def test_evaluate_with_nothing_flagged_has_undefined_precision():
    scores, labels = hand_confusion()
    out = v.evaluate(scores, labels, threshold=0)
    assert math.isnan(out["precision"]) and reason(out["precision"]) == "precision: denominator is 0"
    assert out["recall"] == 0
    with pytest.raises(ValueError, match="no fraud label"):
        v.evaluate(scores, labels.iloc[:3])


def test_precision_recall_curve_matches_evaluate():
    scores, labels = hand_confusion()
    curve = v.precision_recall_curve(scores, labels, thresholds=[0, 15, 50, 100])
    assert curve["recall"].is_monotonic_increasing
    row = curve.set_index("threshold").loc[50]
    assert row["precision"] == pytest.approx(2 / 3) and row["flagged"] == 3
    assert len(v.precision_recall_curve(scores, labels)) == 101


# ---------------------------------------------------------------------- the seed-2026 sample (tuning set)
@pytest.fixture(scope="module")
def sample() -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    from playbook.data.loading import load
    from playbook.data.synth.generate import SAMPLE_DIR

    tables = load(SAMPLE_DIR)
    return tables, v.audience_quality(tables)


def test_sample_detection_quality(sample):
    tables, scores = sample
    out = v.evaluate(scores, tables["fraud_labels"])
    # measured on the seed-2026 sample: recall 0.97, precision 0.97 (base rate 0.38), bought_followers 1.0
    assert out["recall_by_archetype"]["bought_followers"] >= 0.9
    assert out["precision"] >= 0.9 > out["base_rate"]
    assert out["recall"] >= 0.9
    assert min(out["recall_by_archetype"].values()) >= 0.8


def test_sample_jumps_land_on_the_fraud_onset(sample):
    tables, scores = sample
    labels = tables["fraud_labels"].set_index("account_id")
    s = scores.set_index("account_id")
    for archetype, column in (
        ("bought_followers", "growth_jump_date"),
        ("mass_follow", "following_jump_date"),
    ):
        onset = labels.loc[labels["archetype"] == archetype, "onset_date"]
        assert (s.loc[onset.index, column] == onset).mean() >= 0.9  # measured 1.0 for both


def test_score_never_reads_ground_truth(sample):
    tables, scores = sample
    blind = {k: t for k, t in tables.items() if k != "fraud_labels"}
    blind["comments"] = tables["comments"].drop(columns="kind")
    blind["orders"] = tables["orders"].drop(columns="leaked_code")
    again = v.audience_quality(blind)
    pd.testing.assert_series_equal(again["score"], scores["score"])


# --------------------------------------------------------------------------- a seed it was not tuned on
FRESH_SEED = 11  # the evaluation seed of benchmarks/bench_vetting.py; weights and cut-off were tuned on 2026


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """A small dataset (260 creators; about 10-15 s to generate and load) from a seed the score never saw."""
    from playbook.data.loading import load
    from playbook.data.synth.generate import generate

    out = tmp_path_factory.mktemp("fresh")
    generate(out=out, seed=FRESH_SEED, scale="small", fmt="csv")
    tables = load(out)
    return tables, v.audience_quality(tables)


def test_detection_quality_on_a_seed_it_was_not_tuned_on(fresh):
    tables, scores = fresh
    out = v.evaluate(scores, tables["fraud_labels"])
    by_archetype = out["recall_by_archetype"]
    # measured with seed 11: precision 0.97, recall 0.87 (base rate 0.38); bought followers and mass follow
    # 1.0, bought likes 0.85, engagement pod 0.61. Seeds 12 / 13: recall 0.91 / 0.91, bought likes 0.81 /
    # 0.65, pod 0.88 / 0.95. Out of sample the gate is lower than on the tuning sample (recall 0.97 there).
    assert out["precision"] >= 0.9 > out["base_rate"]
    assert out["recall"] >= 0.85
    assert by_archetype["bought_followers"] >= 0.9 and by_archetype["mass_follow"] >= 0.9
    assert min(by_archetype.values()) >= 0.5
