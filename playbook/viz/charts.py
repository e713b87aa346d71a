"""Altair chart builders for the recurring views of the course and the campaign reports, with one theme.

Every builder takes a small tidy DataFrame (its columns are listed in its docstring) or aggregates its input
with pandas first, so a chart never embeds more than a few hundred rows. Charts that would embed more than
`MAX_ROWS` rows raise a ValueError asking the caller to aggregate: altair's 5,000-row limit stays on.
`to_svg(chart)` renders offline with vl-convert for reports.

Importing this module registers and enables the "playbook" theme: fonts that ship with common Linux, macOS
and Windows installs, the Okabe-Ito palette for categories (distinguishable with the common forms of colour
blindness: Okabe & Ito 2008, https://jfly.uni-koeln.de/color/) and viridis for scales.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from playbook.analytics.undefined import ratio, reasons
from playbook.data.registry import SUB_NANO, TIER_ORDER
from playbook.viz.svg import spec_to_svg

__all__ = [
    "FONT",
    "MAX_ROWS",
    "METRIC_LABELS",
    "OKABE_ITO",
    "THEME_NAME",
    "creator_scorecard",
    "funnel",
    "kpi_vs_target",
    "room_progress",
    "tier_comparison",
    "timeline",
    "to_svg",
    "trend_radar",
]

ChartLike = alt.Chart | alt.LayerChart  # what the builders return

MAX_ROWS = 5000  # altair's own default max_rows; never raised or disabled here.
THEME_NAME = "playbook"
FONT = "Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif"
# Okabe-Ito: orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, black.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
GOOD, BAD, NEUTRAL = "#0072B2", "#D55E00", "#999999"
_LABEL_ROOM = 1.6  # x axis of kpi_vs_target runs to 1.6x the longest bar, leaving room for the labels

# Axis titles that state the basis and unit of the rollup's metrics (playbook.analytics.rollup column names).
METRIC_LABELS: dict[str, str] = {
    "er_by_reach": "ER by reach (engagements ÷ reach)",
    "er_by_followers": "ER by followers (median per post of engagements ÷ followers)",
    "er_by_views": "ER by views (engagements ÷ views)",
    "er_by_impressions": "ER by impressions (engagements ÷ impressions)",
    "cpm": "CPM (fees per 1,000 impressions, campaign currency)",
    "cpe": "CPE (fees per engagement, campaign currency)",
    "cpc": "CPC (fees per link click, campaign currency)",
    "reach": "Reach (accounts)",
    "impressions": "Impressions (count)",
    "engagements": "Engagements (likes + comments + shares + saves)",
    "followers": "Followers (count)",
    "fees": "Creator fees (campaign currency)",
}

_THEME: alt.theme.ThemeConfig = {
    "config": {
        "font": FONT,
        "background": "white",
        "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#555555"},
        "axis": {
            "labelFontSize": 11,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "gridColor": "#e8e8e8",
            "domainColor": "#888888",
            "tickColor": "#888888",
        },
        "legend": {"labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": "normal"},
        "header": {"labelFontSize": 12, "titleFontSize": 12},
        "range": {
            "category": list(OKABE_ITO),
            "ordinal": {"scheme": "viridis"},
            "ramp": {"scheme": "viridis"},
            "heatmap": {"scheme": "viridis"},
            "diverging": {"scheme": "blueorange"},
        },
        "mark": {"color": GOOD},
        "view": {"stroke": "transparent", "continuousWidth": 420, "continuousHeight": 280},
    }
}


@alt.theme.register(THEME_NAME, enable=True)
def playbook_theme() -> alt.theme.ThemeConfig:
    """The playbook theme (fonts, colour-blind-safe palette); enabled when this module is imported."""
    return _THEME


# Charts shown in notebooks render as SVG made by vl-convert inside the kernel: no CDN is needed (altair's
# default HTML renderer loads vega from the network) and JupyterLab 4 cannot render altair 6's
# vega-lite v6 MIME type itself. Reports embed SVG through `to_svg` below for the same reason.
alt.renderers.enable("svg")


# --------------------------------------------------------------------------- helpers
def _checked(frame: pd.DataFrame, builder: str) -> pd.DataFrame:
    """`frame` if it is small enough to embed in a chart, else a ValueError asking the caller to aggregate."""
    if len(frame) > MAX_ROWS:
        raise ValueError(
            f"{builder}: {len(frame):,} rows is more than a chart should carry (limit {MAX_ROWS:,}); "
            "aggregate first, e.g. frame.groupby('tier', observed=True).median(numeric_only=True), "
            "or filter to the rows you want to show"
        )
    return frame


def _require(frame: pd.DataFrame, columns: tuple[str, ...], builder: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{builder}: missing column(s) {', '.join(missing)}; got {', '.join(frame.columns)}")


def _fmt(value: float) -> str:
    """Short human number: 1,234,567 / 12.35 / 0.0123; 'n/a' when missing."""
    if pd.isna(value):
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}"
    return f"{value:.3g}"


def _title(text: str, subtitle: str | None = None) -> alt.TitleParams:
    return alt.TitleParams(text=text, subtitle=subtitle or alt.Undefined)


# Encodings are given as channel objects (alt.X("x:Q"), alt.Text(...), alt.ColorValue(...)), never as bare
# shorthand strings, lists of strings or alt.value / alt.condition dicts: altair wraps each of those with
# `from_dict`, which costs milliseconds per channel, and the spec comes out the same either way.
def _tooltip(*fields: str | alt.Tooltip) -> list[alt.Tooltip]:
    """Tooltip channels from shorthands such as "creator:N" (alt.Tooltip objects are kept as they are)."""
    return [field if isinstance(field, alt.Tooltip) else alt.Tooltip(field) for field in fields]


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG string, rendered offline by vl-convert (external data URLs are refused)."""
    return spec_to_svg(chart.to_dict())


# --------------------------------------------------------------------------- builders
def kpi_vs_target(frame: pd.DataFrame, *, title: str = "KPIs against target") -> ChartLike:
    """Bars of each KPI's actual as a share of its target, coloured by met / missed.

    Columns: `kpi` (str, one row each), `actual` (float), `target` (float); optional `unit` (str, shown in
    the labels, e.g. "accounts", "USD") and `higher_is_better` (bool, default True; False for cost KPIs such
    as CPM, which are met at or below target). Share of target = actual / target, undefined (status
    "undefined", reason in the tooltip) when the target is 0 or a value is missing.
    """
    _require(frame, ("kpi", "actual", "target"), "kpi_vs_target")
    if frame["kpi"].duplicated().any():
        raise ValueError("kpi_vs_target: one row per kpi expected; aggregate duplicates first")
    data = _checked(frame, "kpi_vs_target").copy()
    higher = data["higher_is_better"].astype(bool) if "higher_is_better" in data else True
    unit = data["unit"].fillna("").astype(str) if "unit" in data else ""
    share = ratio(data["actual"], data["target"], "share of target")
    data["share_of_target"] = share.to_numpy()
    data["why_undefined"] = reasons(share).to_numpy()
    met = np.where(higher, data["actual"] >= data["target"], data["actual"] <= data["target"])
    data["status"] = np.where(share.isna().to_numpy(), "undefined", np.where(met, "met", "missed"))
    top = data["share_of_target"].max()
    domain_max = _LABEL_ROOM * max(1.0, 0.0 if pd.isna(top) else top)
    data["label"] = [
        f"{_fmt(a)} / {_fmt(t)} {u}".rstrip()
        for a, t, u in zip(data["actual"], data["target"], np.broadcast_to(unit, len(data)), strict=True)
    ]
    data["direction"] = np.where(higher, "higher is better", "lower is better")
    order = list(data["kpi"])
    y = alt.Y("kpi:N", sort=order, title=None)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "share_of_target:Q",
                title="Actual as % of target",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domainMax=domain_max),
            ),
            y=y,
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=["met", "missed", "undefined"], range=[GOOD, BAD, NEUTRAL]),
                title="Target",
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=_tooltip("kpi:N", "actual:Q", "target:Q", "direction:N", "status:N", "why_undefined:N"),
        )
    )
    labels = bars.mark_text(align="left", dx=4).encode(
        text=alt.Text("label:N"), color=alt.ColorValue("#333333")
    )
    target_rule = (
        alt.Chart(pd.DataFrame({"x": [1.0]}))
        .mark_rule(strokeDash=[4, 3], color="#333")
        .encode(x=alt.X("x:Q"))
    )
    subtitle = "Bar = actual ÷ target; dashed line = 100% of target; labels: actual / target"
    return alt.layer(bars, labels, target_rule).properties(title=_title(title, subtitle))


def creator_scorecard(frame: pd.DataFrame, *, title: str = "Creator scorecard") -> ChartLike:
    """Heatmap of creators (rows) by metrics (columns): cell text is the value, colour its percentile.

    Long input, one row per creator and metric: `creator` (str), `metric` (str, ideally stating its basis,
    e.g. "ER by reach"), `value` (float); optional `higher_is_better` (bool, default True), `score` (0-1,
    1 = best) and `label` (the cell text; default: a short number). Without `score`, the score is the
    percentile rank of the value among the creators shown (flipped where lower is better). A wide rollup
    becomes long with `rollup.rename(columns={"creator_id": "creator"}).melt(id_vars="creator",
    value_vars=[...], var_name="metric")`.
    """
    _require(frame, ("creator", "metric", "value"), "creator_scorecard")
    if frame.duplicated(["creator", "metric"]).any():
        raise ValueError("creator_scorecard: one row per (creator, metric) expected; aggregate first")
    data = _checked(frame, "creator_scorecard").copy()
    if "score" not in data:
        sign = (
            np.where(data["higher_is_better"].astype(bool), 1.0, -1.0) if "higher_is_better" in data else 1.0
        )
        data["score"] = (data["value"].astype(float) * sign).groupby(data["metric"]).rank(pct=True)
    if "label" not in data:  # a caller may pass the cell text already formatted (e.g. "4.5%")
        data["label"] = data["value"].map(_fmt)
    base = alt.Chart(data).encode(
        x=alt.X(
            "metric:N",
            sort=list(dict.fromkeys(data["metric"])),
            title=None,
            axis=alt.Axis(orient="top", labelAngle=0, labelLimit=110),
        ),
        y=alt.Y("creator:N", sort=list(dict.fromkeys(data["creator"])), title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "score:Q", scale=alt.Scale(scheme="viridis", domain=[0, 1]), title="Score (1 = best)"
        ),
        tooltip=_tooltip("creator:N", "metric:N", "value:Q", "score:Q"),
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("label:N"),
        color=alt.ColorValue("black", condition={"test": "datum.score < 0.5", "value": "white"}),
    )
    subtitle = "Cell: metric value; colour: percentile among the creators shown (1 = best)"
    chart = alt.layer(cells, text).properties(width=alt.Step(110), height=alt.Step(24))
    return chart.properties(title=_title(title, subtitle))


def funnel(
    stages: pd.DataFrame | Mapping[str, float] | pd.Series,
    *,
    unit: str = "creators",
    title: str = "Outreach to payment funnel",
) -> ChartLike:
    """Horizontal funnel of counts per stage, labelled with the conversion from the previous stage.

    Input: a frame with `stage` (str) and `count` (number >= 0), first stage first, or a mapping / Series
    stage -> count. Conversion from previous = count / previous count; from first = count / first count
    (undefined when the earlier count is 0).
    """
    if isinstance(stages, pd.DataFrame):
        data = stages.copy()
    else:
        data = pd.Series(stages).rename_axis("stage").rename("count").reset_index()
    _require(data, ("stage", "count"), "funnel")
    if data.empty or (data["count"] < 0).any():
        raise ValueError("funnel: give at least one stage, with counts >= 0")
    data = _checked(data, "funnel")
    data["of_previous"] = ratio(data["count"], data["count"].shift(1), "conversion from previous").to_numpy()
    data["of_first"] = ratio(data["count"], data["count"].iloc[0], "conversion from first").to_numpy()
    data["label"] = [
        f"{c:,.0f}" + ("" if pd.isna(p) else f" ({p:.0%} of previous)")
        for c, p in zip(data["count"], data["of_previous"], strict=True)
    ]
    y = alt.Y("stage:N", sort=list(data["stage"]), title=None)
    bars = (
        alt.Chart(data)
        .mark_bar(color=GOOD)
        .encode(
            x=alt.X("count:Q", title=f"Count ({unit})"),
            y=y,
            tooltip=_tooltip(
                "stage:N",
                "count:Q",
                alt.Tooltip("of_previous:Q", format=".1%"),
                alt.Tooltip("of_first:Q", format=".1%"),
            ),
        )
    )
    labels = bars.mark_text(align="left", dx=4, color="#333").encode(text=alt.Text("label:N"))
    return alt.layer(bars, labels).properties(title=_title(title, f"{unit.capitalize()} reaching each stage"))


def timeline(
    frame: pd.DataFrame,
    *,
    as_of: pd.Timestamp | None = None,
    title: str = "Planned vs actual",
) -> ChartLike:
    """Gantt-like view: a grey planned bar and a coloured actual bar per item (on time / late / open).

    Columns: `item` (str, one row each), `planned_start`, `planned_end` (datetimes), optional `actual_start`
    (missing: the planned start) and `actual_end` (missing: still open, drawn up to `as_of`, default the
    latest date in the frame), optional `group` (str, shown in the tooltip, e.g. owner or creator).
    Days late = actual_end - planned_end, in days.
    """
    _require(frame, ("item", "planned_start", "planned_end"), "timeline")
    if frame["item"].duplicated().any():
        raise ValueError("timeline: one row per item expected; label repeated items distinctly")
    data = _checked(frame, "timeline").copy()
    for column in ("actual_start", "actual_end"):
        data[column] = pd.to_datetime(data[column]) if column in data else pd.NaT
    dates = data[["planned_start", "planned_end", "actual_start", "actual_end"]].apply(pd.to_datetime)
    as_of = pd.Timestamp(as_of) if as_of is not None else dates.max().max()
    data["actual_start"] = dates["actual_start"].fillna(dates["planned_start"])
    data["status"] = np.where(
        dates["actual_end"].isna(),
        "open",
        np.where(dates["actual_end"] > dates["planned_end"], "late", "on time"),
    )
    data["actual_end"] = dates["actual_end"].fillna(as_of)
    data["days_late"] = (dates["actual_end"] - dates["planned_end"]).dt.days
    if "group" not in data:
        data["group"] = ""
    order = list(data.sort_values("planned_start")["item"])
    y = alt.Y("item:N", sort=order, title=None)
    tooltip = _tooltip(
        "item:N",
        "group:N",
        "planned_start:T",
        "planned_end:T",
        "actual_end:T",
        "status:N",
        "days_late:Q",
    )
    planned = (
        alt.Chart(data)
        .mark_bar(color="#d9d9d9", height={"band": 0.8})
        .encode(x=alt.X("planned_start:T", title="Date"), x2=alt.X2("planned_end:T"), y=y, tooltip=tooltip)
    )
    actual = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.35})
        .encode(
            x=alt.X("actual_start:T"),
            x2=alt.X2("actual_end:T"),
            y=y,
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=["on time", "late", "open"], range=[GOOD, BAD, OKABE_ITO[0]]),
                title="Actual",
            ),
            tooltip=tooltip,
        )
    )
    subtitle = f"Grey: planned; coloured: actual (open items drawn up to {as_of:%Y-%m-%d})"
    return alt.layer(planned, actual).properties(title=_title(title, subtitle))


def trend_radar(
    frame: pd.DataFrame,
    *,
    volume_label: str = "Volume (posts)",
    growth_label: str = "Growth (change vs previous period)",
    label_top: int = 8,
    title: str = "Trend radar",
) -> ChartLike:
    """Scatter of topics: volume (log x) against growth (y, %), rising topics labelled.

    Columns: `topic` (str), `volume` (count >= 0 over the recent window), `growth` (fraction, 0.25 = +25%
    against the previous window); optional `platform` (str, colour) and `flagged` (bool, e.g. detected as
    rising: filled and labelled). Without `flagged`, the `label_top` fastest-growing topics are labelled.
    State the windows in `volume_label` and `growth_label`. Topics with no volume are left out (log scale).
    """
    _require(frame, ("topic", "volume", "growth"), "trend_radar")
    data = _checked(frame, "trend_radar")
    data = data[data["volume"] > 0].copy()
    if "flagged" in data:
        data["flagged"] = data["flagged"].astype(bool)
    else:
        data["flagged"] = data["growth"].rank(ascending=False, method="first") <= label_top
    if "platform" not in data:
        data["platform"] = "all"
    base = alt.Chart(data).encode(
        x=alt.X("volume:Q", scale=alt.Scale(type="log"), title=volume_label),
        y=alt.Y("growth:Q", axis=alt.Axis(format="%"), title=growth_label),
    )
    points = base.mark_point(size=70, strokeWidth=1.5).encode(
        color=alt.Color("platform:N", title="Platform"),
        fill=alt.FillValue(
            "transparent",
            condition={"test": "datum.flagged", "field": "platform", "type": "nominal", "legend": None},
        ),
        tooltip=_tooltip(
            "topic:N", "platform:N", "volume:Q", alt.Tooltip("growth:Q", format=".1%"), "flagged:N"
        ),
    )
    labels = (
        base.transform_filter("datum.flagged")
        .mark_text(align="left", dx=6, fontSize=10)
        .encode(text=alt.Text("topic:N"))
    )
    zero = (
        alt.Chart(pd.DataFrame({"y": [0.0]}))
        .mark_rule(color="#888", strokeDash=[4, 3])
        .encode(y=alt.Y("y:Q"))
    )
    subtitle = "Filled and labelled: rising topics; dashed line: no growth"
    return alt.layer(zero, points, labels).properties(title=_title(title, subtitle))


def _tier_order(tiers: pd.Series) -> list[str]:
    if isinstance(tiers.dtype, pd.CategoricalDtype):
        return [str(t) for t in tiers.cat.categories]
    known = [SUB_NANO, *TIER_ORDER]
    present = set(tiers.dropna().astype(str))
    return [t for t in known if t in present] + sorted(present - set(known))


def tier_comparison(
    frame: pd.DataFrame,
    metric: str,
    *,
    by: str | None = None,
    bands: pd.DataFrame | None = None,
    label: str | None = None,
    percent: bool | None = None,
    title: str | None = None,
) -> ChartLike:
    """Median and interquartile range of `metric` per creator tier, optionally split by `by` (e.g. platform).

    Input: one row per post, account or creator with a `tier` column and the numeric `metric` column (any
    number of rows: the builder aggregates to n, q25, median, q75 per tier with pandas). Optional `bands`:
    one row per tier with `tier`, `low`, `high` and `source` (a benchmark range from the registry, e.g.
    built with `playbook.data.registry.benchmark(id)`), drawn as a grey band. `label` names the axis (default
    `METRIC_LABELS`, which states the ER basis); `percent` formats the axis as % (default: metrics named
    er_* or *_rate). Compare cost metrics (CPM, CPE, CPC) within one currency.
    """
    _require(frame, ("tier", metric) + ((by,) if by else ()), "tier_comparison")
    keys = ["tier", by] if by else ["tier"]
    values = frame[[*keys, metric]].dropna(subset=[metric])
    grouped = values.groupby(keys, observed=True)[metric]
    data = grouped.agg(
        n="size", q25=lambda s: s.quantile(0.25), median="median", q75=lambda s: s.quantile(0.75)
    )
    data = _checked(data.reset_index(), "tier_comparison")
    data["tier"] = data["tier"].astype(str)
    order = _tier_order(frame["tier"])
    label = label or METRIC_LABELS.get(metric, metric)
    percent = metric.startswith("er_") or metric.endswith("_rate") if percent is None else percent
    axis = alt.Axis(format=".1%" if percent else ",.2~f")
    x = alt.X("tier:N", sort=order, title="Creator tier", axis=alt.Axis(labelAngle=0))
    offset = {"xOffset": alt.XOffset(f"{by}:N"), "color": alt.Color(f"{by}:N", title=by)} if by else {}
    tooltip = _tooltip("tier:N", *([f"{by}:N"] if by else []), "n:Q", "q25:Q", "median:Q", "q75:Q")
    iqr = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2)
        .encode(x=x, y=alt.Y("q25:Q", title=label, axis=axis), y2=alt.Y2("q75:Q"), tooltip=tooltip, **offset)
    )
    median = (
        alt.Chart(data)
        .mark_point(filled=True, size=60)
        .encode(x=x, y=alt.Y("median:Q"), tooltip=tooltip, **offset)
    )
    layers = [iqr, median]
    if bands is not None:
        _require(bands, ("tier", "low", "high", "source"), "tier_comparison bands")
        band_data = _checked(bands[["tier", "low", "high", "source"]].copy(), "tier_comparison bands")
        band_data["tier"] = band_data["tier"].astype(str)
        band = (
            alt.Chart(band_data)
            .mark_bar(color="#bbbbbb", opacity=0.35, width={"band": 0.9})
            .encode(
                x=x,
                y=alt.Y("low:Q"),
                y2=alt.Y2("high:Q"),
                tooltip=_tooltip("tier:N", "low:Q", "high:Q", "source:N"),
            )
        )
        layers.insert(0, band)
    subtitle = "Dot: median; line: 25th to 75th percentile" + (
        "; grey: published range" if bands is not None else ""
    )
    return alt.layer(*layers).properties(title=_title(title or f"{label} by creator tier", subtitle))


def room_progress(frame: pd.DataFrame, *, title: str = "Where the room is stuck") -> ChartLike:
    """Stacked horizontal bars: learners per question by status (passed / wrong / not attempted).

    Input: `question` (label, in the order to show), `status`, `learners` (count >= 0); one row per
    question and status. Used by the workshop gradebook (`playbook.course.exercises.grading`).
    """
    _require(frame, ("question", "status", "learners"), "room_progress")
    data = _checked(frame.copy(), "room_progress")
    order = ["passed", "wrong", "not attempted"]
    colours = [GOOD, BAD, NEUTRAL]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("learners:Q", title="Learners", stack="zero", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("question:N", sort=list(dict.fromkeys(data["question"])), title=None),
            color=alt.Color("status:N", scale=alt.Scale(domain=order, range=colours), title=None),
            order=alt.Order("status_rank:Q"),
            tooltip=_tooltip("question:N", "status:N", "learners:Q"),
        )
        .transform_calculate(status_rank=f"indexof({order!r}, datum.status)")
        .properties(title=_title(title, "Learners per question by result"), width=420)
    )


def cumulative_lines(frame: pd.DataFrame, *, title: str = "Performance over time") -> alt.FacetChart:
    """One small line chart per measure of cumulative totals by day, each on its own scale.

    Columns: `date` (datetime) and one numeric column per measure (e.g. views, engagements, orders),
    already cumulative. No legend: each panel is titled with its measure.
    """
    _require(frame, ("date",), "cumulative_lines")
    measures = [c for c in frame.columns if c != "date"]
    long = frame.melt(id_vars="date", value_vars=measures, var_name="measure", value_name="total")
    return (
        alt.Chart(long)
        .mark_line(point=False, color=GOOD)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0, tickCount=5)),
            y=alt.Y("total:Q", title=None, axis=alt.Axis(format="~s")),
            tooltip=_tooltip("date:T", "measure:N", alt.Tooltip("total:Q", format=",.0f")),
        )
        .properties(width=200, height=120)
        .facet(column=alt.Column("measure:N", title=None, sort=measures))
        .resolve_scale(y="independent")
        .properties(title=_title(title, "cumulative totals by day"))
    )
