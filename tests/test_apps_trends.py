"""Module 10 apps: the trend radar with its as-of slider, one-day spikes, detector comparison, platform use.

Hand-made series as in tests/test_trends.py: a planted logistic rise, a one-day spike (x8 on one day) and flat
noise. Detection follows `analytics.trends` (robust z of log1p(posts) above 3 for 4 days in a row with a
positive Theil-Sen slope); the ground truth is read only by `detector_comparison`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from playbook.analytics.trends import (
    detect_rising,
    detector_comparison,
    flag_calendar,
    lead_marks,
    lead_time,
    one_day_spikes,
    platform_use,
    topic_series,
    trend_radar_frame,
    trend_scores,
)
from playbook.course.apps.trends import (
    ANY,
    flag_calendar_chart,
    lead_time_chart,
    platform_use_chart,
    spike_chart,
    topic_chart,
    trend_radar_app,
)

START = pd.Timestamp("2025-01-06")  # a Monday
ONSET, SPIKE, DAYS = 50, 60, 120


def day(i: int) -> pd.Timestamp:
    return START + pd.Timedelta(days=i)


def frame(series: dict[tuple[str, str], np.ndarray]) -> pd.DataFrame:
    """A topic_daily frame from {(topic, platform): daily posts} starting on START."""
    parts = [
        pd.DataFrame(
            {
                "date": pd.date_range(START, periods=len(v), freq="D"),
                "platform": p,
                "topic": t,
                "posts": np.asarray(v, dtype="int64"),
                "engagements": np.asarray(v, dtype="int64") * 10,
            }
        )
        for (t, p), v in series.items()
    ]
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def hand() -> pd.DataFrame:
    """#rise: flat 20 posts a day, then a logistic rise from day 50; #spike: Poisson(100) with one day x8;
    #flat: Poisson(200) noise."""
    t = np.arange(DAYS)
    top = 20 * 30
    rise = np.where(t >= ONSET, top / (1 + (top / 20 - 1) * np.exp(-0.06 * np.maximum(t - ONSET, 0))), 20)
    rng = np.random.default_rng(1)
    spike = rng.poisson(100, DAYS).astype(float)
    spike[SPIKE] *= 8
    return frame(
        {
            ("#rise", "tiktok"): np.round(rise),
            ("#spike", "instagram"): spike,
            ("#flat", "youtube"): rng.poisson(200, DAYS),
        }
    )


LABELS = pd.DataFrame(
    {"topic": ["#rise"], "platform": ["tiktok"], "onset_date": [day(ONSET)], "daily_growth": [0.06]}
)


# --------------------------------------------------------------------------- radar app
def test_radar_slider_starts_after_a_full_baseline_and_opens_on_the_last_day(hand: pd.DataFrame) -> None:
    app = trend_radar_app(hand)
    dates = [value for _, value in app.day.options]
    assert dates[0] == day(28) and dates[-1] == day(DAYS - 1) and app.day.value == day(DAYS - 1)
    direct = trend_radar_frame(hand, as_of=day(DAYS - 1))
    # the library frame also lists topic x platform pairs that have no rows (NaN volume); the app drops them
    assert len(direct) == 9 and len(app.frame) == 3
    pd.testing.assert_frame_equal(app.frame, direct.dropna(subset=["volume"]).reset_index(drop=True))
    assert app.flagged["topic"].tolist() == ["#rise"]
    assert "<b>1</b> topic(s) flagged" in app.summary.value and "#rise" in app.summary.value


def test_radar_shows_which_topics_are_flagged_on_each_day(hand: pd.DataFrame) -> None:
    app = trend_radar_app(hand, as_of=day(ONSET - 1))
    assert app.flagged.empty and "no topic is flagged" in app.summary.value
    app.day.value = day(SPIKE)
    spike = app.frame.set_index("topic").loc["#spike"]
    # the spike day: a huge z for one day, a streak of 1, so not flagged; the rise is flagged by then
    assert spike["z"] > 10 and spike["streak"] == 1 and not spike["flagged"]
    assert app.flagged["topic"].tolist() == ["#rise"]
    app.platform.value = "instagram"
    assert set(app.frame["platform"]) == {"instagram"} and app.flagged.empty
    app.platform.value = ANY
    assert app.radar(day(SPIKE)) is app.radar(day(SPIKE))  # cached per day
    spec = app.chart.to_dict()
    assert spec["title"]["text"] == f"Trend radar as of {day(SPIKE):%Y-%m-%d}"


def test_radar_passes_detector_settings_through(hand: pd.DataFrame) -> None:
    strict = trend_radar_app(hand, as_of=day(SPIKE), z_threshold=50.0)
    assert strict.flagged.empty  # no series reaches z 50 four days running
    assert strict.frame["z"].max() == pytest.approx(trend_radar_frame(hand, as_of=day(SPIKE))["z"].max())


# --------------------------------------------------------------------------- series views
def test_topic_series_and_its_charts(hand: pd.DataFrame) -> None:
    series = topic_series(hand, "#rise", "tiktok")
    full = trend_scores(hand)
    rise = full[(full["topic"] == "#rise") & (full["platform"] == "tiktok")].reset_index(drop=True)
    # the baseline in posts is expm1 of the trailing median of log1p(posts)
    assert series["baseline_volume"].to_numpy() == pytest.approx(
        np.expm1(rise["baseline"].to_numpy()), nan_ok=True
    )
    assert series["rising"].tolist() == rise["rising"].tolist()
    marks = pd.DataFrame({"event": ["onset", "detected"], "date": [day(ONSET), pd.NaT]})
    assert len(topic_chart(series, marks).to_dict()["layer"]) == 5
    assert len(topic_chart(series).to_dict()["layer"]) == 3
    assert spike_chart(series, 3.0).to_dict()["layer"][1]["mark"]["type"] == "rule"
    with pytest.raises(KeyError, match="no rows"):
        topic_series(hand, "#rise", "youtube")


def test_one_day_spikes_are_found_from_the_data(hand: pd.DataFrame) -> None:
    out = one_day_spikes(hand)
    first = out.iloc[0]
    assert first["topic"] == "#spike" and first["date"] == day(SPIKE) and first["longest_streak"] == 1
    assert "#rise" not in set(out["topic"])  # flagged as rising, so not a one-day spike
    assert first["baseline_volume"] == pytest.approx(100, rel=0.15)
    assert one_day_spikes(hand, z_threshold=1000.0).empty


def test_flag_calendar_keeps_only_series_flagged_at_least_once(hand: pd.DataFrame) -> None:
    calendar = flag_calendar(hand)
    assert set(calendar["series"]) == {"#rise (tiktok)"} and len(calendar) == DAYS
    first = calendar.loc[calendar["rising"], "date"].min()
    assert first == detect_rising(hand)["first_detected"].min()
    spec = flag_calendar_chart(calendar).to_dict()
    assert spec["encoding"]["x2"]["field"] == "end"


# --------------------------------------------------------------------------- evaluation (ground truth)
def test_detector_comparison_trades_speed_for_false_alarms(hand: pd.DataFrame) -> None:
    out = detector_comparison(hand, LABELS).set_index("rule")
    default = out.loc["robust z, 4 days in a row (default)"]
    one_day = out.loc["robust z, 1 day is enough"]
    assert (default["detected"], default["missed"], default["false_positives"]) == (1, 0, 0)
    # one day above the threshold is enough to flag the spike (and noise): false alarms appear
    assert one_day["false_positives"] >= 1
    assert one_day["median_delay_days"] <= default["median_delay_days"]
    lead = lead_time(detect_rising(hand), LABELS, hand)
    hit = lead[lead["outcome"] == "detected"].iloc[0]
    assert default["median_lead_days"] == hit["lead_days"]
    marks = lead_marks(lead, "#rise", "tiktok").set_index("event")["date"]
    assert marks["onset"] == day(ONSET) and marks["first detected"] == hit["first_detected"]
    assert marks["mainstream"] == hit["mainstream_date"]
    assert lead_marks(lead, "#spike", "instagram").empty  # not a planted trend
    spec = lead_time_chart(lead).to_dict()
    events = [r["event"] for d in spec["datasets"].values() for r in d if "event" in r]
    assert sorted(events) == ["first detected", "mainstream", "onset (planted)"]


# --------------------------------------------------------------------------- platform use
def test_platform_use_weekly_shares_drop_partial_weeks() -> None:
    # 15 days from a Monday: two full weeks (Mon-Sun) and one day of a third week, which is dropped
    td = frame({("#a", "instagram"): np.full(15, 10), ("#b", "tiktok"): np.full(15, 30)})
    out = platform_use(td)
    assert out["week"].nunique() == 2 and out["week"].min() == day(6)  # the Sunday ending week 1
    week = out[out["week"] == day(6)].set_index("platform")
    # instagram 7 x 10 = 70 posts, tiktok 7 x 30 = 210: shares 70 / 280 = 0.25 and 0.75
    assert week["posts"].to_dict() == {"instagram": 70, "tiktok": 210}
    assert week["share"].to_dict() == pytest.approx({"instagram": 0.25, "tiktok": 0.75})
    assert len(platform_use_chart(out).to_dict()["vconcat"]) == 2


def test_platform_share_is_undefined_in_a_week_without_posts() -> None:
    td = frame({("#a", "instagram"): np.zeros(7), ("#b", "tiktok"): np.zeros(7)})
    out = platform_use(td)
    assert out["share"].isna().all() and (out["posts"] == 0).all()  # undefined, not 0 and not inf
