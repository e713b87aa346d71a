"""Module 03 (platforms and niches): benchmark explorer, ER on several bases, tier presets, formats, niches.

Every published figure comes from `datasets/benchmarks.csv` (`playbook.data.registry`); every other number is
computed from the tables. Two apps hold their widgets and results so tests can drive them without a browser:

    app = benchmarks_explorer()          # filter the registry: table, range chart, summary
    app.platform.value = "instagram"
    app.result, app.chart, app.summary.value

    er_app = er_basis_explorer(tables)   # median profile ER per tier on six bases, per platform and preset
    er_app.preset.value = "later_fohr_2021"
    er_app.result

Engagement rate (ER) bases follow reference §1.1 (https://influencerdb.net/blog/ignoring-engagement-
disastrous-for-influencer-marketing/): the same account scores very differently depending on the
denominator, the interactions counted and how posts are averaged.
"""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

import playbook.viz.charts  # registers and enables the playbook chart theme
from playbook.analytics.benchmarks import (
    ANY,
    er_by_basis,
    filter_registry,
    profile_er_long,
)
from playbook.analytics.undefined import ratio
from playbook.course.base import LABEL_STYLE
from playbook.course.figures import figures_from_frame
from playbook.data.registry import (
    DEFAULT_TIER_PRESET,
    SUB_NANO,
    TIER_ORDER,
    load_benchmarks,
    load_tier_presets,
)

__all__ = [
    "BenchmarksExplorer",
    "ERBasisExplorer",
    "benchmarks_explorer",
    "er_basis_chart",
    "er_basis_explorer",
    "niche_audience_chart",
    "niche_formats_chart",
    "range_chart",
    "reach_by_format_chart",
    "tier_presets_chart",
]


# --------------------------------------------------------------------------- registry explorer


def _labels(rows: pd.DataFrame) -> list[str]:
    """Short unique row labels: "<platform> <tier> <format> | <source> <year>"."""
    source = rows["source_name"].str.split(r"[,(]", n=1, regex=True).str[0].str.strip()
    source = source.where(source.str.len() <= 30, source.str.slice(0, 29).str.rstrip() + "…")
    year = rows["year"].astype("string").fillna("undated")
    labels = (
        rows["platform"] + " " + rows["tier"] + " " + rows["format"] + " | " + source + " " + year
    ).tolist()
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return out


def range_chart(rows: pd.DataFrame, title: str = "Published figures") -> alt.LayerChart:
    """Published ranges: a line from low to high, a dot at the value (typical, or the midpoint or bound),
    colour = source grade (A best, D weakest, model = our assumption). Log x axis when the values span more
    than a factor of 20. Input: `filter_registry` rows."""
    data = rows.assign(
        label=_labels(rows),
        lo=rows["low"].fillna(rows["value"]),
        hi=rows["high"].fillna(rows["value"]),
        year=rows["year"].astype("float64"),
    )
    units = sorted(data["unit"].unique())
    positive = data[["lo", "hi"]].gt(0).all().all() and len(data) > 0
    log = positive and data["hi"].max() / data["lo"].min() > 20
    x_title = (
        f"Value ({units[0]})" if len(units) == 1 else "Value (mixed units: compare within one unit only)"
    )
    x = alt.X("lo:Q", title=x_title, scale=alt.Scale(type="log" if log else "linear"))
    y = alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=320))
    tooltip = ["benchmark_id:N", "low:Q", "typical:Q", "high:Q", "unit:N", "definition:N", "source_name:N"]
    tooltip += ["year:Q", "grade:N", "source_url:N"]
    colour = alt.Color("grade:N", title="Source grade", sort="ascending")
    base = alt.Chart(data)
    lines = base.mark_rule(strokeWidth=3, opacity=0.6).encode(
        x=x, x2="hi:Q", y=y, color=colour, tooltip=tooltip
    )
    dots = base.mark_point(filled=True, size=60).encode(x="value:Q", y=y, color=colour, tooltip=tooltip)
    subtitle = (
        "Line: published low to high; dot: typical value (or midpoint); definitions and sources: the table"
    )
    height = max(60, 18 * len(data))
    return alt.layer(lines, dots).properties(
        title=alt.TitleParams(title, subtitle=subtitle), height=height, width=460
    )


def _spread_html(rows: pd.DataFrame) -> str:
    """One sentence on how far apart the selected figures are (computed from the rows)."""
    if rows.empty:
        return "<p>No published figure matches this filter. Widen it (choose (any)).</p>"
    units = rows["unit"].unique()
    text = f"<p><b>{len(rows)}</b> published figures from <b>{rows['source_name'].nunique()}</b> sources"
    text += f", years {_years(rows)}."
    if len(units) > 1:
        return text + f" They use {len(units)} different units: compare only within one unit.</p>"
    lo, hi = rows["value"].min(), rows["value"].max()
    spread = ratio(hi, lo, "spread")
    if not np.isnan(spread) and len(rows) > 1:
        text += f" The highest typical value is <b>{spread:.1f}x</b> the lowest."
    defs = rows["definition"].nunique()
    return text + f" They use <b>{defs}</b> different definitions: read them before comparing.</p>"


def _years(rows: pd.DataFrame) -> str:
    years = rows["year"].dropna()
    if years.empty:
        return "all undated"
    span = f"{int(years.min())}-{int(years.max())}" if years.min() != years.max() else f"{int(years.min())}"
    undated = rows["year"].isna().sum()
    return span + (f" ({undated} undated)" if undated else "")


class BenchmarksExplorer:
    """Filter the benchmark registry by metric, platform, format and tier; see the table, chart and spread.

    Controls: `metric`, `platform`, `format`, `tier` (Dropdowns). Results: `result` (the matching rows),
    `chart` (altair range chart), `summary` (HTML widget). Changing the metric narrows the other dropdowns
    to the values that metric has.
    """

    def __init__(self, registry: pd.DataFrame, metric: str = "engagement_rate") -> None:
        self.registry = registry
        metrics = sorted(registry["metric"].unique())
        if metric not in metrics:
            raise ValueError(f"unknown metric {metric!r}; the registry has {', '.join(metrics)}")
        self.metric = widgets.Dropdown(options=metrics, value=metric, description="Metric", style=LABEL_STYLE)
        self.platform = widgets.Dropdown(description="Platform", style=LABEL_STYLE)
        self.format = widgets.Dropdown(description="Format", style=LABEL_STYLE)
        self.tier = widgets.Dropdown(description="Tier", style=LABEL_STYLE)
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.output = widgets.Output()
        self.result = pd.DataFrame()
        self.chart: alt.LayerChart | None = None
        self._updating = False
        self._set_options()
        for control in (self.platform, self.format, self.tier):
            control.observe(lambda _: self.update(), names="value")
        self.metric.observe(lambda _: self._on_metric(), names="value")
        controls = widgets.HBox([self.metric, self.platform]), widgets.HBox([self.format, self.tier])
        self.widget = widgets.VBox([*controls, self.summary, self.output, self.table])
        self.update()

    def _set_options(self) -> None:
        rows = self.registry[self.registry["metric"] == self.metric.value]
        self._updating = True
        for control, column in ((self.platform, "platform"), (self.format, "format"), (self.tier, "tier")):
            options = [ANY, *sorted(rows[column].unique())]
            keep = control.value if control.value in options else ANY
            control.options = options
            control.value = keep
        self._updating = False

    def _on_metric(self) -> None:
        self._set_options()
        self.update()

    def update(self) -> None:
        """Recompute `result`, `chart`, `summary` and the table for the current controls."""
        if self._updating:
            return
        rows = filter_registry(
            self.registry, self.metric.value, self.platform.value, self.format.value, self.tier.value
        )
        self.result = rows
        self.summary.value = _spread_html(rows)
        full = self.registry.set_index("benchmark_id", drop=False).loc[rows["benchmark_id"]]  # every column
        self.table.value = figures_from_frame(full)._repr_html_() if len(rows) else ""
        self.chart = (
            range_chart(rows, f"Published {self.metric.value.replace('_', ' ')}") if len(rows) else None
        )
        self.output.outputs = ()
        if self.chart is not None:
            self.output.append_display_data(self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def benchmarks_explorer(
    metric: str = "engagement_rate", registry: pd.DataFrame | None = None
) -> BenchmarksExplorer:
    """The registry explorer app, opened on `metric` (registry: `datasets/benchmarks.csv` by default)."""
    return BenchmarksExplorer(load_benchmarks() if registry is None else registry, metric)


# --------------------------------------------------------------------------- ER on several bases


def _group_order(groups: pd.Series) -> list[str]:
    known = [SUB_NANO, *TIER_ORDER]
    present = list(dict.fromkeys(groups.astype(str)))
    return [g for g in known if g in present] + sorted(g for g in present if g not in known)


def er_basis_chart(frame: pd.DataFrame, title: str = "One account base, six engagement rates") -> alt.Chart:
    """Dots of median profile ER per group (rows) and basis (colour), log x axis. Input: `er_by_basis`."""
    data = frame[frame["median_er"] > 0]
    order = _group_order(data["group"])
    tooltip = ["group:N", "basis:N", alt.Tooltip("median_er:Q", format=".2%"), "n_accounts:Q"]
    return (
        alt.Chart(data)
        .mark_point(filled=True, size=80)
        .encode(
            x=alt.X(
                "median_er:Q",
                title="Median profile ER (log scale)",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(format="%"),
            ),
            y=alt.Y("group:N", sort=order, title=None),
            color=alt.Color(
                "basis:N", title="ER basis", legend=alt.Legend(orient="bottom", columns=2, labelLimit=300)
            ),
            shape=alt.Shape("basis:N", legend=None),
            tooltip=tooltip,
        )
        .properties(
            title=alt.TitleParams(title, subtitle="Same accounts, same posts: only the formula changes"),
            width=460,
        )
    )


def _basis_spread_html(frame: pd.DataFrame) -> str:
    """Per group: lowest and highest median ER across bases and their ratio (computed)."""
    if frame.empty:
        return "<p>No account in this selection has a defined ER.</p>"
    items = []
    for group in _group_order(frame["group"]):
        rows = frame[frame["group"] == group]
        lo, hi = rows.loc[rows["median_er"].idxmin()], rows.loc[rows["median_er"].idxmax()]
        factor = ratio(hi["median_er"], lo["median_er"], "spread")
        items.append(
            f"<li><b>{html.escape(group)}</b> ({_accounts(int(rows['n_accounts'].max()))}): from "
            f"{lo['median_er']:.2%} ({html.escape(lo['basis'])}) to {hi['median_er']:.2%} "
            f"({html.escape(hi['basis'])}), a factor of {factor:.1f}</li>"
        )
    return "<p>Lowest and highest median ER in each group:</p><ul>" + "".join(items) + "</ul>"


def _accounts(n: int) -> str:
    return f"{n} account" if n == 1 else f"{n} accounts"


class ERBasisExplorer:
    """Median profile ER per tier (or platform) on every basis of `ER_BASES`.

    Controls: `platform` (Dropdown, `ANY` or one platform), `preset` (tier preset), `by` (ToggleButtons
    "tier" / "platform"). Results: `result` (`er_by_basis` frame), `chart`, `summary` (HTML: the spread per
    group).
    """

    def __init__(self, profile_er: pd.DataFrame) -> None:
        self.profile_er = profile_er
        presets = sorted(load_tier_presets()["preset"].unique())
        platforms = [ANY, *sorted(profile_er["platform"].dropna().unique())]
        self.platform = widgets.Dropdown(
            options=platforms,
            value=platforms[1],
            description="Platform",
            style=LABEL_STYLE,
        )
        self.preset = widgets.Dropdown(
            options=presets,
            value=DEFAULT_TIER_PRESET,
            description="Tier preset",
            style=LABEL_STYLE,
        )
        self.by = widgets.ToggleButtons(
            options=["tier", "platform"],
            value="tier",
            description="Group by",
            style=LABEL_STYLE,
        )
        self.summary = widgets.HTML()
        self.output = widgets.Output()
        self.result = pd.DataFrame()
        self.chart: alt.Chart | None = None
        for control in (self.platform, self.preset, self.by):
            control.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox(
            [widgets.HBox([self.platform, self.preset]), self.by, self.output, self.summary]
        )
        self.update()

    def update(self) -> None:
        """Recompute `result`, `chart` and `summary` for the current controls."""
        self.result = er_by_basis(self.profile_er, self.by.value, self.preset.value, self.platform.value)
        scope = "all platforms" if self.platform.value == ANY else self.platform.value
        title = f"Median profile ER by {self.by.value}, {scope}"
        self.chart = er_basis_chart(self.result, title)
        self.summary.value = _basis_spread_html(self.result)
        self.output.outputs = ()
        self.output.append_display_data(self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def er_basis_explorer(tables: dict[str, pd.DataFrame]) -> ERBasisExplorer:
    """The ER-basis app over the accounts and posts of `tables` (profile ER computed once per basis)."""
    return ERBasisExplorer(profile_er_long(tables))


# --------------------------------------------------------------------------- tier presets


def tier_presets_chart(
    frame: pd.DataFrame, title: str = "Median ER per tier under each preset"
) -> alt.FacetChart:
    """One panel per preset: a bar per tier with its median ER, labelled with the tier's account count.
    Input: `tier_presets_compare`."""
    data = frame.dropna(subset=["median_er"])
    order = _group_order(data["tier"])
    tooltip = ["preset:N", "tier:N", "followers_min:Q", "followers_max:Q", "n_accounts:Q"]
    tooltip.append(alt.Tooltip("median_er:Q", format=".2%"))
    base = alt.Chart().encode(
        x=alt.X("tier:N", sort=order, title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("median_er:Q", title="Median profile ER", axis=alt.Axis(format="%")),
        tooltip=tooltip,
    )
    bars = base.mark_bar(color=playbook.viz.charts.GOOD)
    labels = base.mark_text(dy=-6, fontSize=10).encode(text="n_accounts:Q")
    subtitle = "Number above each bar: accounts in that tier (few accounts = an unstable median)"
    return (
        alt.layer(bars, labels, data=data)
        .properties(width=130, height=200)
        .facet(column=alt.Column("preset:N", title=None))
        .properties(title=alt.TitleParams(title, subtitle=subtitle))
    )


# --------------------------------------------------------------------------- formats


def reach_by_format_chart(
    frame: pd.DataFrame, title: str = "Reach as a share of followers"
) -> alt.LayerChart:
    """Per platform x format: grey bar = published reach-rate range, line = sample IQR, dot = sample median.
    Input: `reach_by_format`."""
    data = frame.assign(item=frame["platform"] + " " + frame["format"])
    y = alt.Y("item:N", sort=list(data["item"]), title=None)
    x_axis = alt.Axis(format="%")
    published = data.dropna(subset=["pub_low"])
    pub_tooltip = ["item:N", "pub_low:Q", "pub_high:Q", "pub_source:N"]
    band = (
        alt.Chart(published[published["pub_high"] > published["pub_low"]])
        .mark_bar(color="#bbbbbb", opacity=0.45, height={"band": 0.8})
        .encode(x="pub_low:Q", x2="pub_high:Q", y=y, tooltip=pub_tooltip)
    )
    single = (  # a single published value (or a lone bound) is a tick, not a band
        alt.Chart(published[published["pub_high"] == published["pub_low"]])
        .mark_tick(color="#888888", thickness=3)
        .encode(x="pub_low:Q", y=y, tooltip=pub_tooltip)
    )
    iqr = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("reach_rate_q25:Q", title="Reach / followers", axis=x_axis),
            x2="reach_rate_q75:Q",
            y=y,
            color=alt.Color("platform:N", title="Platform"),
        )
    )
    tooltip = ["item:N", "n_posts:Q", alt.Tooltip("reach_rate_median:Q", format=".1%")]
    median = (
        alt.Chart(data)
        .mark_point(filled=True, size=70)
        .encode(x="reach_rate_median:Q", y=y, color="platform:N", tooltip=tooltip)
    )
    subtitle = (
        "Grey: published range (tick: one published value); line: sample 25th-75th percentile; dot: median"
    )
    return alt.layer(band, single, iqr, median).properties(
        title=alt.TitleParams(title, subtitle=subtitle), width=420
    )


# --------------------------------------------------------------------------- niches


def niche_formats_chart(frame: pd.DataFrame, title: str = "What each niche posts") -> alt.LayerChart:
    """Heatmap of format share per niche (`niche_formats`); cell text = share of the niche's posts."""
    base = alt.Chart(frame).encode(
        x=alt.X("format:N", title="Format", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("niche:N", title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("share:Q", title="Share of posts", scale=alt.Scale(scheme="viridis")),
        tooltip=["niche:N", "format:N", "posts:Q", alt.Tooltip("share:Q", format=".1%")],
    )
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition("datum.share < 0.3", alt.value("white"), alt.value("black")),
    )
    subtitle = "Cell: share of the niche's posts in that format (rows sum to 100%)"
    return alt.layer(cells, text).properties(title=alt.TitleParams(title, subtitle=subtitle), width=460)


def niche_audience_chart(frame: pd.DataFrame, title: str = "Who follows each niche") -> alt.Chart:
    """Stacked bars of audience share per niche and bucket (`niche_audience`)."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("share:Q", stack="normalize", title="Share of followers", axis=alt.Axis(format="%")),
            y=alt.Y("niche:N", title=None),
            color=alt.Color("bucket:N", title="Bucket", sort="ascending"),
            order=alt.Order("bucket:N", sort="ascending"),
            tooltip=["niche:N", "bucket:N", alt.Tooltip("share:Q", format=".1%"), "n_accounts:Q"],
        )
        .properties(title=alt.TitleParams(title, subtitle="Weighted by followers"), width=420)
    )
