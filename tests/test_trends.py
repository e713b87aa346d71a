"""Trend detection: hand-worked signals, hand-made series (planted rise, spike, flat noise), lead time.

Formulas follow the `playbook.analytics.trends` docstring: robust z of log1p(volume) against the median of the
previous days, scaled by 1.4826 x MAD of the day-to-day changes / sqrt(2) (Rousseeuw & Croux 1993), and a
Theil-Sen slope (median of pairwise slopes).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics.trends import (
    detect_rising,
    detect_rising_naive,
    lead_time,
    summarize_lead_time,
    theil_sen_slope,
    trend_radar_frame,
    trend_scores,
)
from playbook.analytics.undefined import reason

START = pd.Timestamp("2025-01-01")
ONSET = 50  # day index of the planted onset in the hand-made series


def frame(series: dict[tuple[str, str], np.ndarray | list[float]]) -> pd.DataFrame:
    """A topic_daily frame from {(topic, platform): daily posts} starting on START."""
    parts = []
    for (topic, platform), volume in series.items():
        posts = np.asarray(volume, dtype="int64")
        days = pd.date_range(START, periods=len(posts), freq="D")
        parts.append(
            pd.DataFrame(
                {
                    "date": days,
                    "platform": platform,
                    "topic": topic,
                    "posts": posts,
                    "engagements": posts * 10,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def logistic(start: float, growth: float, days: int = 120, ceiling: float = 30.0) -> np.ndarray:
    """Flat at ``start`` until ONSET, then a logistic rise towards ``ceiling`` x start (as the generator)."""
    t = np.arange(days)
    top = start * ceiling
    since = np.maximum(t - ONSET, 0)
    return np.where(t >= ONSET, top / (1 + (top / start - 1) * np.exp(-growth * since)), start)


def day(i: int) -> pd.Timestamp:
    return START + pd.Timedelta(days=i)


# --------------------------------------------------------------------------- worked examples
def test_robust_z_worked_example() -> None:
    # volumes chosen so that x = log1p(volume) = 1, 2, 4, 3, 6
    x = np.array([1.0, 2.0, 4.0, 3.0, 6.0])
    td = frame({("#t", "instagram"): np.zeros(5)}).assign(posts=np.expm1(x))
    s = trend_scores(td, baseline_days=4, min_baseline_days=4, slope_days=3)
    last = s.iloc[-1]
    # baseline window (day 5) = 1, 2, 4, 3 -> median 2.5
    # changes 1, 2, -1 -> median 1 -> |change - 1| = 0, 1, 2 -> MAD 1 -> scale 1.4826 x 1 / sqrt(2) = 1.04836
    # z = (6 - 2.5) / 1.04836 = 3.3385
    assert last["baseline"] == pytest.approx(2.5)
    assert last["scale"] == pytest.approx(1.4826 / math.sqrt(2))
    assert last["z"] == pytest.approx(3.5 / (1.4826 / math.sqrt(2)))
    # Theil-Sen over the last 3 days x = 4, 3, 6: slopes -1, (6 - 4) / 2 = 1, 3 -> median 1
    assert last["slope"] == pytest.approx(1.0)
    assert last["growth_per_day"] == pytest.approx(math.e - 1)
    # the first 4 days have no full baseline: undefined with a reason, never inf
    assert s["z"].iloc[:4].isna().all()
    assert s["reason"].iloc[0].startswith("baseline: fewer than 4 observed days")


def test_theil_sen_hand_example() -> None:
    # x = 0, 1, 3 over a 3-day window: pairwise slopes 1, 1.5, 2 -> median 1.5
    slope = theil_sen_slope(np.array([[0.0, 1.0, 3.0]]), 3)
    assert np.isnan(slope[0, 0]) and slope[0, 1] == pytest.approx(1.0) and slope[0, 2] == pytest.approx(1.5)


def test_streak_counts_consecutive_days_above_the_threshold() -> None:
    # flat at e^1 - 1, then four days at e^3 - 1: z = (3 - 1) / 0.05 = 40 on each (MAD 0 -> floor 0.05)
    x = np.r_[np.ones(10), np.full(4, 3.0)]
    td = frame({("#t", "tiktok"): np.zeros(14)}).assign(posts=np.expm1(x))
    s = trend_scores(td, baseline_days=7, min_baseline_days=7, min_days=3, slope_days=3)
    assert s["z"].iloc[10] == pytest.approx(40.0)
    # the baseline median stays 1 while fewer than 4 of its 7 days are raised
    assert s["streak"].iloc[9:].tolist() == [0, 1, 2, 3, 4]
    # rising needs 3 days in a row AND a positive slope; by the 3rd day the last 3 days are all 3, slope 0
    assert s["rising"].iloc[9:].tolist() == [False, False, False, False, False]


# --------------------------------------------------------------------------- hand-made series
def test_planted_logistic_rise_is_detected_within_days_of_onset() -> None:
    clean = np.round(logistic(20, 0.06))
    noisy = np.random.default_rng(0).poisson(logistic(100, 0.08))
    found = detect_rising(frame({("#clean", "tiktok"): clean, ("#noisy", "instagram"): noisy}))
    first = found.groupby("topic")["first_detected"].min()
    assert set(found["topic"]) == {"#clean", "#noisy"}
    assert day(ONSET) <= first["#clean"] <= day(ONSET + 7)
    assert day(ONSET) <= first["#noisy"] <= day(ONSET + 14)
    assert (found["growth_per_day"] > 0).all()


def test_single_day_spike_is_not_a_trend() -> None:
    spike = np.random.default_rng(1).poisson(100, 120).astype(float)
    spike[60] *= 8
    td = frame({("#giveaway", "instagram"): spike})
    s = trend_scores(td)
    assert s.loc[60, "z"] > 10 and s.loc[60, "streak"] == 1
    assert detect_rising(td).empty


def test_flat_noise_and_weekly_cycle_are_not_trends() -> None:
    rng = np.random.default_rng(2)
    weekday = pd.date_range(START, periods=120).day_of_week.to_numpy()
    cycle = 300 * (1 + 0.12 * np.cos(2 * np.pi * (weekday - 5) / 7))  # Friday-Sunday peak, as the generator
    series = {(f"#flat{i}", "tiktok"): rng.poisson(200, 120) for i in range(10)}
    series |= {(f"#weekly{i}", "instagram"): rng.poisson(cycle) for i in range(10)}
    assert detect_rising(frame(series)).empty


def test_constant_and_all_zero_series_have_zero_z() -> None:
    s = trend_scores(frame({("#zero", "youtube"): np.zeros(60), ("#const", "youtube"): np.full(60, 40)}))
    defined = s["z"].dropna()
    assert len(defined) == 2 * (60 - 14) and (defined == 0).all()
    assert np.isfinite(s[["z", "scale"]].dropna().to_numpy()).all()


def test_min_scale_must_be_positive() -> None:
    with pytest.raises(ValueError, match="min_scale"):
        trend_scores(frame({("#t", "tiktok"): np.full(40, 5)}), min_scale=0)


def test_missing_day_is_unknown_not_zero() -> None:
    td = frame({("#t", "tiktok"): np.full(40, 50)})
    td = td[td["date"] != day(30)]
    s = trend_scores(td)
    gap = s[s["date"] == day(30)].iloc[0]
    assert np.isnan(gap["volume"]) and np.isnan(gap["z"])
    assert gap["reason"] == "volume: no row for this day"
    assert s[s["date"] == day(31)]["z"].iloc[0] == 0


def test_empty_input() -> None:
    empty = frame({("#t", "tiktok"): []})
    assert trend_scores(empty).empty and detect_rising(empty).empty and detect_rising_naive(empty).empty
    assert trend_radar_frame(empty).empty


@settings(max_examples=40, deadline=None)
@given(level=st.integers(0, 5000), height=st.floats(1.5, 100), at=st.integers(30, 89))
def test_a_single_spike_on_any_flat_series_is_never_detected(level: int, height: float, at: int) -> None:
    volume = np.full(90, level, dtype=float)
    volume[at] = round((level + 1) * height)
    assert detect_rising(frame({("#t", "tiktok"): volume})).empty


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rnd) -> None:
    td = frame({("#a", "tiktok"): np.round(logistic(20, 0.07)), ("#b", "instagram"): np.full(120, 30)})
    shuffled = td.iloc[rnd.sample(range(len(td)), len(td))]
    pd.testing.assert_frame_equal(detect_rising(shuffled), detect_rising(td))


# --------------------------------------------------------------------------- naive rule
def test_naive_rule_hand_example_and_its_false_positive() -> None:
    # 40 days at 10 then 25: the 7-day mean after k raised days is (25k + 10(7 - k)) / 7 > 2 x 10
    # when 15k > 70, i.e. on the 5th raised day (k = 5: (125 + 20) / 7 = 20.71, ratio 2.071; k = 4: 18.57)
    step = np.r_[np.full(40, 10), np.full(20, 25)]
    # a one-day spike to 90 on a flat 10: (90 + 6 x 10) / 7 = 21.43 > 20 -> the naive rule fires
    spike = np.full(60, 10)
    spike[45] = 90
    td = frame({("#step", "tiktok"): step, ("#spike", "tiktok"): spike})
    naive = detect_rising_naive(td).set_index("topic")
    assert naive.loc["#step", "first_detected"] == day(44)
    assert naive.loc["#step", "score"] == pytest.approx(145 / 7 / 10)
    assert naive.loc["#spike", "first_detected"] == day(45)
    assert "#spike" not in set(detect_rising(td)["topic"])


def test_flagged_runs_merge_only_within_the_gap() -> None:
    # flat 10 with two 2-day bursts at 200 (days 40-41 and 60-61); naive rule, 7-day mean vs 28 days before
    # run 1: days 40-47 (day 47: recent (200 + 6 x 10) / 7 = 37.1 vs (27 x 10 + 200) / 28 = 16.8 -> 2.2)
    # run 2: days 61-66; day 60: (6 x 10 + 200) / 7 = 37.1 vs (26 x 10 + 400) / 28 = 23.6 -> 1.58, no;
    # day 61: 450 / 7 = 64.3 vs 23.6 -> 2.73; day 67: 260 / 7 = 37.1 vs (250 + 600) / 28 = 30.4 -> 1.22, no.
    # The runs start 61 - 47 = 14 days apart.
    volume = np.full(80, 10)
    volume[[40, 41, 60, 61]] = 200
    td = frame({("#burst", "tiktok"): volume})
    runs = detect_rising_naive(td)
    assert runs["first_detected"].tolist() == [day(40), day(61)]
    assert runs["last_detected"].tolist() == [day(47), day(66)]
    merged = detect_rising_naive(td, merge_gap_days=14)
    assert len(merged) == 1 and merged.loc[0, "days_flagged"] == 8 + 6


# --------------------------------------------------------------------------- lead time
def _lead_fixture() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    t = np.arange(20)
    planted = np.where(t < 5, 10, 10 + 10 * (t - 5))  # 10 until day 5, then +10 a day up to 150
    td = frame({("#a", "tiktok"): planted, ("#b", "tiktok"): np.full(20, 10), ("#c", "instagram"): planted})
    labels = pd.DataFrame(
        {"topic": ["#a", "#c"], "platform": ["tiktok", "instagram"], "onset_date": [day(5), day(5)]}
    )
    detections = pd.DataFrame(
        {
            "topic": ["#a", "#a", "#a", "#b"],
            "platform": ["tiktok"] * 4,
            "first_detected": [day(2), day(7), day(15), day(9)],
            "score": [4.0, 5.0, 6.0, 3.5],
            "growth_per_day": [0.1, 0.2, 0.1, 0.05],
        }
    )
    return detections, labels, td


def test_lead_time_on_hand_made_labels() -> None:
    detections, labels, td = _lead_fixture()
    out = lead_time(detections, labels, td)
    # final 7 days of #a: days 13-19 = 90..150, mean 120; half = 60; 10 + 10 (d - 5) >= 60 at d = 10
    hit = out[out["outcome"] == "detected"].iloc[0]
    assert hit["topic"] == "#a" and hit["first_detected"] == day(7)
    assert hit["mainstream_date"] == day(10)
    assert hit["delay_days"] == 2 and hit["lead_days"] == 3  # 7 - 5 and 10 - 7
    assert out["outcome"].tolist() == ["detected", "missed", "repeat", "false_positive", "false_positive"]
    missed = out[out["outcome"] == "missed"].iloc[0]
    assert missed["topic"] == "#c" and missed["reason"] == "no detection on or after onset"
    fps = out[out["outcome"] == "false_positive"]
    assert sorted(fps["topic"]) == ["#a", "#b"]  # #a before its onset is noise, #b was never planted
    summary = summarize_lead_time(out)
    assert (summary.planted, summary.detected, summary.missed, summary.false_positives) == (2, 1, 1, 2)
    assert summary.detection_rate == 0.5
    assert summary.median_delay_days == 2 and summary.median_lead_days == 3


def test_lead_time_without_detections_is_undefined_with_reasons() -> None:
    _, labels, td = _lead_fixture()
    out = lead_time(detect_rising(td.iloc[:0]), labels, td)
    assert out["outcome"].tolist() == ["missed", "missed"]
    summary = summarize_lead_time(out)
    assert summary.detection_rate == 0
    assert "no detected trend" in reason(summary.median_delay_days)


def test_lead_time_when_the_series_never_goes_mainstream() -> None:
    td = frame({("#a", "tiktok"): np.r_[np.full(10, 5), np.zeros(10)]})  # final 7-day mean is 0
    labels = pd.DataFrame({"topic": ["#a"], "platform": ["tiktok"], "onset_date": [day(3)]})
    detections = pd.DataFrame(
        {
            "topic": ["#a"],
            "platform": ["tiktok"],
            "first_detected": [day(4)],
            "score": [4.0],
            "growth_per_day": [0.1],
        }
    )
    row = lead_time(detections, labels, td).iloc[0]
    assert row["outcome"] == "detected" and pd.isna(row["mainstream_date"]) and np.isnan(row["lead_days"])
    assert "never reached the mainstream level" in row["reason"]


# --------------------------------------------------------------------------- radar frame
def test_trend_radar_frame() -> None:
    rising = np.round(logistic(20, 0.08, days=70))
    td = frame({("#up", "tiktok"): rising, ("#flat", "tiktok"): np.full(70, 30)})
    radar = trend_radar_frame(td)
    assert radar["topic"].tolist() == ["#up", "#flat"]  # sorted by z, highest first
    flat = radar.iloc[1]
    assert flat["volume"] == 30 and flat["z"] == 0 and flat["growth"] == 0 and not flat["flagged"]
    up = radar.iloc[0]
    # volume = mean of the last 7 days; growth = that mean / mean of the 7 days before - 1
    assert up["volume"] == pytest.approx(rising[-7:].mean())
    assert up["growth"] == pytest.approx(rising[-7:].mean() / rising[-14:-7].mean() - 1)
    assert up["flagged"] and up["growth_per_day"] > 0
    before = trend_radar_frame(td, as_of=day(40), recent_days=3).set_index("topic")
    assert before.loc["#up", "volume"] == pytest.approx(rising[38:41].mean())


def test_trend_radar_growth_from_zero_is_undefined_with_reason() -> None:
    td = frame({("#new", "youtube"): np.r_[np.zeros(35), np.full(7, 12)]})
    row = trend_radar_frame(td).iloc[0]
    assert np.isnan(row["growth"]) and row["reason"] == "recent growth: denominator is 0"


# --------------------------------------------------------------------------- generated sample


def test_sample_detects_every_planted_trend_and_no_decoy(sample: dict[str, pd.DataFrame]) -> None:
    td = sample["topic_daily"]
    found = detect_rising(td)  # reads topic_daily only; trend_labels are used for scoring below
    out = lead_time(found, sample["trend_labels"], td)
    summary = summarize_lead_time(out)
    assert summary.detection_rate == 1.0 and summary.false_positives == 0
    assert not set(found["topic"]) & {"#giveaway", "#blackfriday"}
    assert (out.loc[out["outcome"] == "detected", "delay_days"] >= 0).all()
