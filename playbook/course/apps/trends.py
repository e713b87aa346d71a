"""Module 10 (trends and market analysis): trend radar with an as-of date slider, lead times, platform use,
one-day spikes.

Detection is `playbook.analytics.trends` (robust z of log volume against a trailing median, a run of days, a
positive Theil-Sen slope; every default a tuning choice). The app holds its widgets and results:

    radar = trend_radar_app(tables["topic_daily"])
    radar.day.value = pd.Timestamp("2025-05-20")
    radar.flagged, radar.chart, radar.summary.value

Ground truth (`trend_labels`) is read only by `analytics.trends.detector_comparison`, to score detections.
"""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

from playbook.analytics.trends import (
    trend_radar_frame,
)
from playbook.course.base import LABEL_STYLE
from playbook.viz import charts

__all__ = [
    "ANY",
    "TrendRadarApp",
    "flag_calendar_chart",
    "lead_time_chart",
    "platform_use_chart",
    "spike_chart",
    "topic_chart",
    "trend_radar_app",
]

ANY = "(any)"


# --------------------------------------------------------------------------- radar app
class TrendRadarApp:
    """Which topics the detector flags as rising on a chosen day, on a volume x growth radar.

    Controls: `day` (SelectionSlider of dates with a full baseline behind them), `platform` (Dropdown).
    Results: `frame` (`trends.trend_radar_frame` as of `day`, filtered by platform), `flagged` (its rising
    rows; topic-platform pairs without data in the window are left out), `chart`
    (`charts.trend_radar`), `summary` (HTML). Detector settings are keyword
    arguments of `trend_radar_frame` (`baseline_days`, `z_threshold`, `min_days`, ...), our tuning choices.
    """

    def __init__(
        self, topic_daily: pd.DataFrame, as_of: pd.Timestamp | str | None = None, **detector: float
    ) -> None:
        self.topic_daily = topic_daily
        self.detector = detector
        baseline = int(detector.get("baseline_days", 28))
        days = pd.date_range(
            topic_daily["date"].min() + pd.Timedelta(days=baseline), topic_daily["date"].max()
        )
        start = days[-1] if as_of is None else pd.Timestamp(as_of)
        self.day = widgets.SelectionSlider(
            options=[(f"{d:%Y-%m-%d}", d) for d in days],
            value=start,
            description="As of",
            style=LABEL_STYLE,
            continuous_update=False,
        )
        self.day.layout.width = "560px"
        platforms = [ANY, *sorted(topic_daily["platform"].unique())]
        self.platform = widgets.Dropdown(
            options=platforms, value=ANY, description="Platform", style=LABEL_STYLE
        )
        self.summary = widgets.HTML()
        self.output = widgets.Output()
        self.frame = pd.DataFrame()
        self.flagged = pd.DataFrame()
        self.chart: alt.LayerChart | None = None
        self._cache: dict[pd.Timestamp, pd.DataFrame] = {}
        for control in (self.day, self.platform):
            control.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.day, self.platform]), self.summary, self.output])
        self.update()

    def radar(self, day: pd.Timestamp) -> pd.DataFrame:
        """`trend_radar_frame` as of `day` (cached: moving the slider back costs nothing)."""
        if day not in self._cache:
            self._cache[day] = trend_radar_frame(self.topic_daily, as_of=day, **self.detector)
        return self._cache[day]

    def update(self) -> None:
        """Recompute `frame`, `flagged`, `chart` and `summary` for the chosen day and platform."""
        day = self.day.value
        frame = self.radar(day)
        frame = frame[frame["volume"].notna()]  # topic x platform pairs with no data at all
        if self.platform.value != ANY:
            frame = frame[frame["platform"] == self.platform.value]
        self.frame = frame.reset_index(drop=True)
        self.flagged = self.frame[self.frame["flagged"].astype(bool)].reset_index(drop=True)
        recent = int(self.detector.get("recent_days", 7))  # trend_radar_frame's default window
        self.chart = charts.trend_radar(
            self.frame,
            volume_label=f"Posts per day, mean of the last {recent} days (log scale)",
            growth_label=f"Growth: last {recent} days vs the {recent} before",
            title=f"Trend radar as of {day:%Y-%m-%d}",
        )
        self.summary.value = _radar_summary(self.flagged, day)
        self.output.outputs = ()
        self.output.append_display_data(self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def _radar_summary(flagged: pd.DataFrame, day: pd.Timestamp) -> str:
    if flagged.empty:
        return f"<p>On {day:%Y-%m-%d} no topic is flagged as rising.</p>"
    items = "".join(
        f"<li><b>{html.escape(t)}</b> on {html.escape(p)}: robust z {z:.1f}, {int(s)} days in a row above "
        f"the threshold, {g:+.0%} against the previous week</li>"
        for t, p, z, s, g in zip(
            flagged["topic"],
            flagged["platform"],
            flagged["z"],
            flagged["streak"],
            flagged["growth"],
            strict=True,
        )
    )
    return f"<p>On {day:%Y-%m-%d}, <b>{len(flagged)}</b> topic(s) flagged as rising:</p><ul>{items}</ul>"


def trend_radar_app(
    topic_daily: pd.DataFrame, as_of: pd.Timestamp | str | None = None, **detector: float
) -> TrendRadarApp:
    """The trend radar app over a `topic_daily` table, opened on `as_of` (default: the last day)."""
    return TrendRadarApp(topic_daily, as_of, **detector)


# --------------------------------------------------------------------------- one series, flags over time


def topic_chart(series: pd.DataFrame, marks: pd.DataFrame | None = None, title: str = "") -> alt.LayerChart:
    """Daily posts (line), the trailing-median baseline (dashed) and rising days (dots); `marks` (columns
    `event`, `date`) are drawn as labelled vertical rules, e.g. onset, first detected, mainstream."""
    base = alt.Chart(series).encode(x=alt.X("date:T", title=None))
    volume = base.mark_line(color=charts.GOOD).encode(
        y=alt.Y("volume:Q", title="Posts per day"),
        tooltip=["date:T", "volume:Q", alt.Tooltip("z:Q", format=".1f")],
    )
    baseline = base.mark_line(color=charts.NEUTRAL, strokeDash=[5, 3]).encode(y="baseline_volume:Q")
    rising = base.transform_filter("datum.rising").mark_point(filled=True, color=charts.BAD, size=25)
    layers = [volume, baseline, rising.encode(y="volume:Q")]
    if marks is not None and not marks.empty:
        rules = alt.Chart(marks.dropna(subset=["date"])).encode(x="date:T")
        layers.append(
            rules.mark_rule(color="#333333", strokeDash=[2, 2]).encode(tooltip=["event:N", "date:T"])
        )
        layers.append(
            rules.mark_text(align="left", dx=3, y=8, fontSize=10, color="#333333").encode(text="event:N")
        )
    subtitle = "Line: posts per day; dashed: trailing median (baseline); red dots: days flagged as rising"
    return alt.layer(*layers).properties(
        title=alt.TitleParams(title, subtitle=subtitle), width=460, height=200
    )


def spike_chart(series: pd.DataFrame, z_threshold: float = 3.0, title: str = "") -> alt.LayerChart:
    """Robust z of one series over time with the threshold line: a one-day spike crosses it once, a trend
    stays above it. `z_threshold` is the detector's (our tuning choice, `trends.detect_rising`)."""
    line = (
        alt.Chart(series)
        .mark_line(color=charts.GOOD)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("z:Q", title="Robust z of log(1 + posts)"),
            tooltip=["date:T", "volume:Q", alt.Tooltip("z:Q", format=".1f"), "streak:Q"],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"z": [z_threshold]}))
        .mark_rule(color=charts.BAD, strokeDash=[4, 3])
        .encode(y="z:Q")
    )
    subtitle = "Dashed red line: the z threshold; a trend must stay above it several days in a row"
    return alt.layer(line, rule).properties(
        title=alt.TitleParams(title, subtitle=subtitle), width=460, height=180
    )


def flag_calendar_chart(calendar: pd.DataFrame, title: str = "Days each topic was flagged") -> alt.Chart:
    """A strip per series: one cell per day, coloured when the day was flagged as rising (`flag_calendar`)."""
    data = calendar.assign(
        end=calendar["date"] + pd.Timedelta(days=1),
        status=np.where(calendar["rising"], "flagged as rising", "not flagged"),
    )
    return (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X("date:T", title=None),
            x2="end:T",
            y=alt.Y("series:N", title=None),
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(domain=["not flagged", "flagged as rising"], range=["#eeeeee", charts.GOOD]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=["series:N", "date:T", "status:N", alt.Tooltip("z:Q", format=".1f")],
        )
        .properties(title=title, width=460)
    )


# --------------------------------------------------------------------------- evaluation (ground truth)
def lead_time_chart(
    lead: pd.DataFrame, title: str = "Warned before the trend went mainstream?"
) -> alt.LayerChart:
    """Per detected planted trend: onset, first detection and mainstream date on one line (`trends.lead_time`
    rows with outcome "detected"). Lead time = mainstream - first detected."""
    hits = lead[lead["outcome"] == "detected"].copy()
    hits["series"] = hits["topic"] + " (" + hits["platform"] + ")"
    long = hits.melt(
        id_vars=["series", "delay_days", "lead_days"],
        value_vars=["onset_date", "first_detected", "mainstream_date"],
        var_name="event",
        value_name="date",
    ).dropna(subset=["date"])
    long["event"] = long["event"].map(
        {"onset_date": "onset (planted)", "first_detected": "first detected", "mainstream_date": "mainstream"}
    )
    y = alt.Y("series:N", title=None)
    span = (
        alt.Chart(hits)
        .mark_rule(color=charts.NEUTRAL, strokeWidth=2)
        .encode(x=alt.X("onset_date:T", title=None), x2="mainstream_date:T", y=y)
    )
    dots = (
        alt.Chart(long)
        .mark_point(filled=True, size=90)
        .encode(
            x="date:T",
            y=y,
            color=alt.Color(
                "event:N",
                title=None,
                sort=["onset (planted)", "first detected", "mainstream"],
                legend=alt.Legend(orient="bottom"),
            ),
            shape=alt.Shape("event:N", legend=None),
            tooltip=["series:N", "event:N", "date:T", "delay_days:Q", "lead_days:Q"],
        )
    )
    subtitle = "Lead time = days from first detection to mainstream (half the final week's volume)"
    return alt.layer(span, dots).properties(title=alt.TitleParams(title, subtitle=subtitle), width=460)


# --------------------------------------------------------------------------- platform use


def platform_use_chart(
    frame: pd.DataFrame, title: str = "Where the conversation happens"
) -> alt.VConcatChart:
    """Weekly posts per platform (top) and each platform's share of the week's posts (bottom)."""
    base = alt.Chart(frame).encode(
        x=alt.X("week:T", title="Week ending"),
        color=alt.Color("platform:N", title="Platform"),
        tooltip=["week:T", "platform:N", "posts:Q", alt.Tooltip("share:Q", format=".1%")],
    )
    volume = (
        base.mark_line(point=True).encode(y=alt.Y("posts:Q", title="Posts per week")).properties(height=160)
    )
    share = base.mark_line(point=True).encode(
        y=alt.Y(
            "share:Q",
            title="Share of the week's posts",
            axis=alt.Axis(format="%"),
            scale=alt.Scale(zero=False),
        )
    )
    return alt.vconcat(volume.properties(width=460), share.properties(width=460, height=160)).properties(
        title=alt.TitleParams(title, subtitle="Hashtag posts tracked in topic_daily, complete weeks only")
    )
