"""Rising hashtags and topics in daily volume series, with a robust baseline so one-day spikes are not trends.

Per topic and platform, on x = log1p(daily volume) (volume = posts by default):

- baseline = median of x over the previous ``baseline_days`` days, excluding the current day;
- noise scale = max(1.4826 x MAD(day-to-day changes of x in that window) / sqrt(2), ``min_scale``).
  1.4826 x MAD estimates a standard deviation for normal noise (Rousseeuw & Croux 1993,
  https://doi.org/10.1080/01621459.1993.10476408); taking it on the day-to-day changes (whose spread is
  sqrt(2) x the noise) keeps a steady rise from inflating its own yardstick: the MAD of the levels grows
  with the trend, so a trend would never look unusual against a window that already holds its start.
  The floor keeps a flat (MAD = 0) baseline from dividing by 0;
- robust z = (x - baseline) / scale;
- growth slope = Theil-Sen slope of x over the last ``slope_days`` days including today (median of the
  pairwise slopes (x_j - x_i) / (j - i)), in log units per day; growth per day = exp(slope) - 1;
- a day is "rising" when z > ``z_threshold`` on ``min_days`` consecutive days AND the slope is positive.

A one-day spike (a giveaway, Black Friday) gives one high z and falls back, so it never reaches
``min_days`` in a row; ``min_days`` = 4 is longer than a Friday-to-Sunday weekly peak. Every default
(28, 7, 3.0, 4, 0.05, 7) is our tuning choice for daily hashtag series, not an industry figure;
``benchmarks/bench_trends.py`` measures it against a naive rule (`detect_rising_naive`).

`lead_time` scores detections against planted trends (ground truth, used only there): delay after onset,
and lead time before the trend goes mainstream, defined here as the first day on or after onset when the
volume reaches half (``mainstream_share``) of its mean over the final 7 days (``final_days``) of the series.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from playbook.analytics.undefined import Undefined, ratio

__all__ = [
    "LeadTimeSummary",
    "detect_rising",
    "detect_rising_naive",
    "detector_comparison",
    "flag_calendar",
    "lead_marks",
    "lead_time",
    "one_day_spikes",
    "platform_use",
    "summarize_lead_time",
    "theil_sen_slope",
    "topic_series",
    "trend_radar_frame",
    "trend_scores",
]

MAD_TO_SD = 1.4826  # consistency constant: 1.4826 x MAD estimates sigma for normal data
KEYS = ["topic", "platform"]
DETECTION_DTYPES = {  # columns of `detect_rising` and `detect_rising_naive`
    "topic": "str",
    "platform": "str",
    "first_detected": "datetime64[ns]",
    "last_detected": "datetime64[ns]",
    "days_flagged": "int64",
    "score": "float64",
    "growth_per_day": "float64",
    "volume": "float64",
}


# --------------------------------------------------------------------------- grid helpers
def _grid(topic_daily: pd.DataFrame, value: str) -> tuple[pd.MultiIndex, pd.DatetimeIndex, np.ndarray]:
    """Series x days matrix of volume over one daily calendar; days without a row are NaN (unknown)."""
    if topic_daily.empty:
        return pd.MultiIndex.from_tuples([], names=KEYS), pd.DatetimeIndex([]), np.empty((0, 0))
    wide = topic_daily.pivot_table(index=KEYS, columns="date", values=value, aggfunc="sum", dropna=False)
    days = pd.date_range(wide.columns.min(), wide.columns.max(), freq="D")
    wide = wide.reindex(columns=days)
    return wide.index, days, wide.to_numpy(dtype=float)


def _trailing(x: np.ndarray, window: int) -> np.ndarray:
    """The ``window`` days before each day (current day excluded): shape (S, T, window), NaN-padded."""
    pad = np.full((x.shape[0], window), np.nan)
    return sliding_window_view(np.hstack([pad, x]), window, axis=1)[:, :-1, :]


def _ending(x: np.ndarray, window: int) -> np.ndarray:
    """Windows of ``window`` days ending on each day (current day included): shape (S, T, window)."""
    pad = np.full((x.shape[0], window - 1), np.nan)
    return sliding_window_view(np.hstack([pad, x]), window, axis=1)


def _nanmedian(a: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows give NaN, reported as a reason
        return np.nanmedian(a, axis=-1)


def _nanmean(a: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(a, axis=-1)


def theil_sen_slope(x: np.ndarray, window: int) -> np.ndarray:
    """Theil-Sen slope per day over the ``window`` days ending that day: median of (x_j - x_i) / (j - i).

    Units: units of x per day. NaN when fewer than two observed days fall in the window.
    """
    w = _ending(x, window)
    i, j = np.triu_indices(window, k=1)
    return _nanmedian((w[..., j] - w[..., i]) / (j - i))


def _run_length(flag: np.ndarray) -> np.ndarray:
    """Length of the run of True ending on each day (0 where False), along the last axis."""
    count = np.cumsum(flag, axis=-1)
    reset = np.maximum.accumulate(np.where(flag, 0, count), axis=-1)
    return count - reset


def _long(index: pd.MultiIndex, days: pd.DatetimeIndex, columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """Series x days matrices back to one row per topic-platform-day."""
    n_days = len(days)
    out = pd.DataFrame(
        {
            "topic": np.repeat(index.get_level_values("topic").to_numpy(dtype=object), n_days),
            "platform": np.repeat(index.get_level_values("platform").to_numpy(dtype=object), n_days),
            "date": np.tile(days.to_numpy(), len(index)),
        }
    )
    for name, matrix in columns.items():
        out[name] = matrix.ravel()
    return out


# --------------------------------------------------------------------------- scores
def trend_scores(
    topic_daily: pd.DataFrame,
    baseline_days: int = 28,
    *,
    slope_days: int = 7,
    z_threshold: float = 3.0,
    min_days: int = 4,
    min_scale: float = 0.05,
    min_baseline_days: int | None = None,
    value: str = "posts",
) -> pd.DataFrame:
    """Per topic-platform-day trend signals on log1p(volume) (formulas in the module docstring).

    Columns: topic, platform, date, volume, baseline (median of log1p volume over the previous
    ``baseline_days``), scale (noise scale, log units), z, slope (Theil-Sen, log units per day),
    growth_per_day (exp(slope) - 1), streak (consecutive days with z > ``z_threshold``), rising
    (streak >= ``min_days`` and slope > 0) and reason (why z or slope is undefined, else None).
    The baseline needs ``min_baseline_days`` observed days (default: half of ``baseline_days``).
    Days missing from the input are rows with NaN volume, not zeros. All defaults are tuning choices.
    """
    if min_scale <= 0:
        raise ValueError(f"min_scale must be > 0 (it keeps z finite on a flat baseline), got {min_scale}")
    need = baseline_days // 2 if min_baseline_days is None else min_baseline_days
    index, days, volume = _grid(topic_daily, value)
    x = np.log1p(volume)
    base_window = _trailing(x, baseline_days) if x.size else np.empty((*x.shape, baseline_days))
    observed = np.sum(~np.isnan(base_window), axis=-1)
    baseline = _nanmedian(base_window)
    step = np.diff(base_window, axis=-1)
    mad = _nanmedian(np.abs(step - _nanmedian(step)[..., None])) / np.sqrt(2)
    short = observed < need
    baseline[short] = np.nan
    scale = np.where(short, np.nan, np.maximum(MAD_TO_SD * mad, min_scale))
    z = (x - baseline) / scale  # scale >= min_scale > 0 wherever it is defined
    slope = theil_sen_slope(x, slope_days) if x.size else np.empty(x.shape)
    streak = _run_length(np.nan_to_num(z, nan=-np.inf) > z_threshold)
    rising = (streak >= min_days) & (slope > 0)
    why = np.full(x.shape, None, dtype=object)
    why[np.isnan(slope)] = f"slope: fewer than 2 observed days in the last {slope_days}"
    why[short] = f"baseline: fewer than {need} observed days in the previous {baseline_days}"
    why[np.isnan(volume)] = "volume: no row for this day"
    return _long(
        index,
        days,
        {
            "volume": volume,
            "baseline": baseline,
            "scale": scale,
            "z": z,
            "slope": slope,
            "growth_per_day": np.expm1(slope),
            "streak": streak,
            "rising": rising,
            "reason": why,
        },
    )


# --------------------------------------------------------------------------- detections
def _episodes(flags: pd.DataFrame, score: str, merge_gap_days: int) -> pd.DataFrame:
    """One row per run of flagged days per topic-platform; runs closer than ``merge_gap_days`` merge."""
    flag = flags["flag"].astype(bool).to_numpy()
    if not flag.any():
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in DETECTION_DTYPES.items()})
    hit = flags[flag].sort_values([*KEYS, "date"])
    gap = hit.groupby(KEYS, sort=False)["date"].diff().dt.days
    hit = hit.assign(episode=(gap.isna() | (gap > merge_gap_days)).cumsum())
    grouped = hit.groupby("episode", sort=True)
    first = hit.drop_duplicates("episode").set_index("episode")  # the first day itself, NaNs kept
    out = pd.DataFrame(
        {
            "topic": first["topic"],
            "platform": first["platform"],
            "first_detected": first["date"],
            "last_detected": grouped["date"].max(),
            "days_flagged": grouped.size().astype("int64"),
            "score": first[score].astype(float),
            "growth_per_day": first["growth_per_day"].astype(float),
            "volume": first["volume"].astype(float),
        }
    )
    return out.reset_index(drop=True)


def detect_rising(
    topic_daily: pd.DataFrame,
    *,
    baseline_days: int = 28,
    slope_days: int = 7,
    z_threshold: float = 3.0,
    min_days: int = 4,
    min_scale: float = 0.05,
    min_baseline_days: int | None = None,
    merge_gap_days: int = 7,
    value: str = "posts",
) -> pd.DataFrame:
    """Detected rising topics: one row per run of "rising" days (see `trend_scores`) per topic-platform.

    Runs separated by at most ``merge_gap_days`` days are one trend (our choice: a noisy dip does not end
    it). Columns: topic, platform, first_detected (first rising day), last_detected, days_flagged,
    score (robust z on the first day), growth_per_day (exp(Theil-Sen slope) - 1 on the first day),
    volume (that day).
    """
    scores = trend_scores(
        topic_daily,
        baseline_days,
        slope_days=slope_days,
        z_threshold=z_threshold,
        min_days=min_days,
        min_scale=min_scale,
        min_baseline_days=min_baseline_days,
        value=value,
    )
    return _episodes(scores.assign(flag=scores["rising"]), "z", merge_gap_days)


def detect_rising_naive(
    topic_daily: pd.DataFrame,
    *,
    recent_days: int = 7,
    baseline_days: int = 28,
    ratio_threshold: float = 2.0,
    slope_days: int = 7,
    merge_gap_days: int = 7,
    value: str = "posts",
) -> pd.DataFrame:
    """Naive rule to compare against: the mean of the last ``recent_days`` days (today included) is above
    ``ratio_threshold`` x the mean of the ``baseline_days`` days before them.

    Same columns as `detect_rising`; score = recent mean / baseline mean (undefined when the baseline
    mean is 0). Defaults are a common rule of thumb, not an industry figure.
    """
    index, days, volume = _grid(topic_daily, value)
    if not volume.size:
        return _episodes(pd.DataFrame({"flag": []}), "score", merge_gap_days)
    recent = _nanmean(_ending(volume, recent_days))
    base_window = _trailing(volume, baseline_days + recent_days - 1)[..., :baseline_days]
    before = _nanmean(base_window)
    before[np.sum(~np.isnan(base_window), axis=-1) < baseline_days // 2] = np.nan
    frame = _long(index, days, {"volume": volume, "recent": recent, "before": before})
    frame["score"] = ratio(frame["recent"], frame["before"], "naive growth ratio")
    frame["growth_per_day"] = np.expm1(theil_sen_slope(np.log1p(volume), slope_days).ravel())
    frame["flag"] = frame["score"] > ratio_threshold
    return _episodes(frame, "score", merge_gap_days)


# --------------------------------------------------------------------------- evaluation
def _mainstream_dates(
    topic_daily: pd.DataFrame, labels: pd.DataFrame, value: str, share: float, final_days: int
) -> pd.Series:
    """First day on or after onset with volume >= share x mean of the series' final ``final_days`` days."""
    out = pd.Series(pd.NaT, index=labels.index, dtype="datetime64[ns]")
    for i, row in labels.iterrows():
        same = (topic_daily["topic"] == row["topic"]) & (topic_daily["platform"] == row["platform"])
        series = topic_daily[same].sort_values("date")
        if series.empty:
            continue
        final = series[series["date"] > series["date"].max() - pd.Timedelta(days=final_days)][value].mean()
        after = series[(series["date"] >= row["onset_date"]) & (series[value] >= share * final)]
        if final > 0 and not after.empty:
            out[i] = after["date"].iloc[0]
    return out


def lead_time(
    detections: pd.DataFrame,
    trend_labels: pd.DataFrame,
    topic_daily: pd.DataFrame,
    *,
    mainstream_share: float = 0.5,
    final_days: int = 7,
    value: str = "posts",
) -> pd.DataFrame:
    """Detections scored against planted trends (ground truth: read here and nowhere else).

    A detection matches a planted trend when topic and platform agree and it starts on or after the onset.
    One row per planted trend (outcome "detected" or "missed") plus one per unmatched detection
    (outcome "false_positive": another series, or the planted series before its onset) and per later
    detection of an already matched trend (outcome "repeat"). Columns: outcome, topic, platform,
    onset_date, mainstream_date, first_detected, delay_days = first_detected - onset_date,
    lead_days = mainstream_date - first_detected (positive = warned before the trend went mainstream),
    score, growth_per_day, reason. Mainstream: first day on or after onset when volume reaches
    ``mainstream_share`` x the mean of the series' final ``final_days`` days (our definition).
    """
    labels = trend_labels[["topic", "platform", "onset_date"]].reset_index(drop=True)
    labels["mainstream_date"] = _mainstream_dates(topic_daily, labels, value, mainstream_share, final_days)
    det = detections.sort_values("first_detected").reset_index(drop=True)
    merged = det.merge(labels, on=KEYS, how="left")
    matched = merged["onset_date"].notna() & (merged["first_detected"] >= merged["onset_date"])
    rank = merged[matched].groupby(KEYS).cumcount().reindex(merged.index)
    first_match = matched & (rank == 0)
    outcome = np.where(first_match, "detected", np.where(matched, "repeat", "false_positive"))
    merged = merged.assign(outcome=outcome)
    fp = merged["outcome"] == "false_positive"
    merged.loc[fp, ["onset_date", "mainstream_date"]] = pd.NaT
    hits = merged[merged["outcome"] == "detected"]
    missed = labels.merge(hits[KEYS], on=KEYS, how="left", indicator=True)
    missed = missed[missed["_merge"] == "left_only"].drop(columns="_merge").assign(outcome="missed")
    out = pd.concat([merged, missed], ignore_index=True)
    out["delay_days"] = (out["first_detected"] - out["onset_date"]).dt.days.astype(float)
    out["lead_days"] = (out["mainstream_date"] - out["first_detected"]).dt.days.astype(float)
    why = pd.Series(None, index=out.index, dtype=object)
    why[out["outcome"] == "missed"] = "no detection on or after onset"
    why[out["outcome"] == "false_positive"] = "matches no planted trend"
    why[out["outcome"].isin(["detected", "repeat"]) & out["mainstream_date"].isna()] = (
        "lead: the series never reached the mainstream level"
    )
    out["reason"] = why
    out["_order"] = out["outcome"].map({"detected": 0, "missed": 1, "repeat": 2, "false_positive": 3})
    columns = [
        "outcome",
        "topic",
        "platform",
        "onset_date",
        "mainstream_date",
        "first_detected",
        "delay_days",
        "lead_days",
        "score",
        "growth_per_day",
        "reason",
    ]
    return out.sort_values(["_order", "topic", "first_detected"])[columns].reset_index(drop=True)


@dataclass(frozen=True)
class LeadTimeSummary:
    """Headline figures of a `lead_time` table (medians over detected trends, in days)."""

    planted: int
    detected: int
    missed: int
    false_positives: int
    detection_rate: float
    median_delay_days: float
    median_lead_days: float


def _median(values: pd.Series, name: str) -> float:
    values = values.dropna()
    return float(values.median()) if len(values) else Undefined(f"{name}: no detected trend to measure")


def summarize_lead_time(table: pd.DataFrame) -> LeadTimeSummary:
    """Counts, detection rate = detected / planted, and median delay and lead time of a `lead_time` table."""
    counts = table["outcome"].value_counts()
    detected = int(counts.get("detected", 0))
    missed = int(counts.get("missed", 0))
    hits = table[table["outcome"] == "detected"]
    return LeadTimeSummary(
        planted=detected + missed,
        detected=detected,
        missed=missed,
        false_positives=int(counts.get("false_positive", 0)),
        detection_rate=ratio(detected, detected + missed, "detection rate"),
        median_delay_days=_median(hits["delay_days"], "median delay"),
        median_lead_days=_median(hits["lead_days"], "median lead time"),
    )


# --------------------------------------------------------------------------- chart frame
def trend_radar_frame(
    topic_daily: pd.DataFrame,
    *,
    as_of: pd.Timestamp | str | None = None,
    recent_days: int = 7,
    baseline_days: int = 28,
    slope_days: int = 7,
    z_threshold: float = 3.0,
    min_days: int = 4,
    min_scale: float = 0.05,
    value: str = "posts",
) -> pd.DataFrame:
    """One row per topic-platform as of a day (default: the last day), ready for a radar/scatter chart.

    Columns: topic, platform, volume (mean daily volume over the ``recent_days`` days ending ``as_of``),
    growth (recent growth = that mean / the mean of the ``recent_days`` days before - 1, a fraction),
    growth_per_day (exp(Theil-Sen slope) - 1 on ``as_of``), z (robust z on ``as_of``), streak, flagged
    (rising on ``as_of``) and reason (why z or growth is undefined). Sorted by z, highest first. The
    column names fit `playbook.viz.charts.trend_radar` (x = volume, y = growth, flagged topics labelled).
    """
    scores = trend_scores(
        topic_daily,
        baseline_days,
        slope_days=slope_days,
        z_threshold=z_threshold,
        min_days=min_days,
        min_scale=min_scale,
        value=value,
    )
    columns = ["topic", "platform", "volume", "growth", "growth_per_day", "z", "streak", "flagged", "reason"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    day = scores["date"].max() if as_of is None else pd.Timestamp(as_of)
    age = (day - scores["date"]).dt.days
    mean = {
        name: scores[(age >= lo) & (age < lo + recent_days)].groupby(KEYS, sort=False)["volume"].mean()
        for name, lo in (("volume", 0), ("previous", recent_days))
    }
    today = scores[scores["date"] == day].drop(columns="volume").set_index(KEYS)
    today = today.join(mean["volume"].rename("volume")).join(mean["previous"].rename("previous"))
    growth = ratio(today["volume"], today["previous"], "recent growth")
    today["growth"] = growth - 1
    today["reason"] = today["reason"].where(today["reason"].notna(), growth.attrs["reasons"])
    out = today.rename(columns={"rising": "flagged"}).reset_index()[columns]
    return out.sort_values("z", ascending=False, na_position="last").reset_index(drop=True)


def topic_series(topic_daily: pd.DataFrame, topic: str, platform: str, **detector: float) -> pd.DataFrame:
    """The detector's view of one topic-platform series (`trends.trend_scores` on that series only): date,
    volume, baseline_volume = expm1(baseline) (the trailing median in posts), z, streak, rising."""
    one = topic_daily[(topic_daily["topic"] == topic) & (topic_daily["platform"] == platform)]
    if one.empty:
        raise KeyError(f"no rows for topic {topic!r} on {platform!r}")
    scores = trend_scores(one, **detector)
    scores["baseline_volume"] = np.expm1(scores["baseline"])
    return scores[["date", "volume", "baseline_volume", "z", "streak", "rising"]]


def flag_calendar(topic_daily: pd.DataFrame, **detector: float) -> pd.DataFrame:
    """Every day of every series the detector flagged at least once: series ("topic (platform)"), date,
    rising (bool), z. One row per series and day, so a few hundred rows."""
    scores = trend_scores(topic_daily, **detector)
    ever = scores.groupby(["topic", "platform"])["rising"].transform("any")
    flagged = scores[ever]
    return pd.DataFrame(
        {
            "series": flagged["topic"] + " (" + flagged["platform"] + ")",
            "date": flagged["date"],
            "rising": flagged["rising"].astype(bool),
            "z": flagged["z"],
        }
    ).reset_index(drop=True)


def lead_marks(lead: pd.DataFrame, topic: str, platform: str) -> pd.DataFrame:
    """The onset, first detection and mainstream dates of one detected planted trend (a `trends.lead_time`
    row), as `topic_chart` marks: event, date. Empty when that trend was not detected."""
    hit = lead[(lead["outcome"] == "detected") & (lead["topic"] == topic) & (lead["platform"] == platform)]
    if hit.empty:
        return pd.DataFrame({"event": pd.Series(dtype="str"), "date": pd.Series(dtype="datetime64[ns]")})
    row = hit.iloc[0]
    return pd.DataFrame(
        {
            "event": ["onset", "first detected", "mainstream"],
            "date": [row["onset_date"], row["first_detected"], row["mainstream_date"]],
        }
    )


def detector_comparison(topic_daily: pd.DataFrame, trend_labels: pd.DataFrame) -> pd.DataFrame:
    """Three rules scored against the planted trends (ground truth): the robust detector with its defaults,
    the same detector flagging after one day above the threshold (``min_days=1``), and the naive
    recent-vs-baseline mean ratio. Columns: rule, detected, missed, false_positives, detection_rate,
    median_delay_days, median_lead_days (`trends.summarize_lead_time`)."""
    rules = {
        "robust z, 4 days in a row (default)": detect_rising(topic_daily),
        "robust z, 1 day is enough": detect_rising(topic_daily, min_days=1),
        "naive: last 7 days vs the 28 before": detect_rising_naive(topic_daily),
    }
    rows = []
    for name, detections in rules.items():
        s = summarize_lead_time(lead_time(detections, trend_labels, topic_daily))
        rows.append(
            {
                "rule": name,
                "detected": s.detected,
                "missed": s.missed,
                "false_positives": s.false_positives,
                "detection_rate": float(s.detection_rate),
                "median_delay_days": float(s.median_delay_days),
                "median_lead_days": float(s.median_lead_days),
            }
        )
    return pd.DataFrame(rows)


def one_day_spikes(topic_daily: pd.DataFrame, z_threshold: float = 3.0, **detector: float) -> pd.DataFrame:
    """Series that crossed ``z_threshold`` on some day but were never flagged as rising: topic, platform,
    date (of the peak z), volume, baseline_volume, z, longest_streak. From the data only, no labels."""
    scores = trend_scores(topic_daily, z_threshold=z_threshold, **detector)
    keys = ["topic", "platform"]
    never = ~scores.groupby(keys)["rising"].transform("any")
    crossed = scores[never & (scores["z"] > z_threshold)]
    if crossed.empty:
        return pd.DataFrame(columns=[*keys, "date", "volume", "baseline_volume", "z", "longest_streak"])
    peaks = crossed.loc[crossed.groupby(keys)["z"].idxmax()].copy()
    peaks["baseline_volume"] = np.expm1(peaks["baseline"])
    longest = scores.groupby(keys)["streak"].max().rename("longest_streak")
    out = peaks.join(longest, on=keys)
    columns = [*keys, "date", "volume", "baseline_volume", "z", "longest_streak"]
    return out.sort_values("z", ascending=False)[columns].reset_index(drop=True)


def platform_use(topic_daily: pd.DataFrame) -> pd.DataFrame:
    """Weekly posts per platform (weeks ending Sunday; weeks with fewer than 7 days of data dropped):
    week, platform, posts, share = posts / all platforms' posts that week."""
    daily = topic_daily.groupby(["date", "platform"])["posts"].sum().reset_index()
    daily["week"] = daily["date"].dt.to_period("W-SUN").dt.end_time.dt.normalize()
    days = daily.groupby("week")["date"].nunique()
    full = days[days == 7].index
    weekly = daily[daily["week"].isin(full)].groupby(["week", "platform"])["posts"].sum().reset_index()
    weekly["share"] = ratio(
        weekly["posts"], weekly.groupby("week")["posts"].transform("sum"), "platform share"
    )
    return weekly
