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
from playbook.analytics.brand_fit import DISCLOSURE_TAGS
from playbook.analytics.metrics import (
    ER_BY_FOLLOWERS,
    ER_BY_IMPRESSIONS,
    ER_BY_REACH,
    ER_BY_VIEWS,
    ER_LIKES_ONLY,
    INTERACTIONS_ALL,
    ERBasis,
    profile_engagement_rate,
)
from playbook.analytics.undefined import ratio
from playbook.data.registry import (
    DEFAULT_TIER_PRESET,
    SUB_NANO,
    TIER_ORDER,
    assign_tier,
    benchmark,
    load_benchmarks,
    load_tier_presets,
    tier_bounds,
)

__all__ = [
    "ANY",
    "ER_BASES",
    "REACH_BENCHMARKS",
    "BenchmarksExplorer",
    "ERBasisExplorer",
    "benchmarks_explorer",
    "er_basis_chart",
    "er_basis_explorer",
    "er_by_basis",
    "filter_registry",
    "niche_audience",
    "niche_audience_chart",
    "niche_formats",
    "niche_formats_chart",
    "niche_hashtags",
    "profile_er_long",
    "range_chart",
    "reach_by_format",
    "reach_by_format_chart",
    "tier_presets_chart",
    "tier_presets_compare",
]

ANY = "(any)"
# Six ways to compute one account's ER (labels name the basis; presets from playbook.analytics.metrics).
ER_BASES: dict[str, ERBasis] = {
    "all interactions / followers, median": ER_BY_FOLLOWERS,
    "all interactions / followers, mean": ERBasis(
        "followers", INTERACTIONS_ALL, "mean", ER_BY_FOLLOWERS.last_n
    ),
    "likes / followers, mean (Modash API)": ER_LIKES_ONLY,
    "all interactions / reach, median": ER_BY_REACH,
    "all interactions / impressions, mean (Buffer)": ER_BY_IMPRESSIONS,
    "all interactions / views, median (video only)": ER_BY_VIEWS,
}
# Published reach rates (reach / followers) per platform and format: registry ids, no figures.
REACH_BENCHMARKS: dict[tuple[str, str], tuple[str, ...]] = {
    ("instagram", "feed"): ("reach_rate_instagram_feed_influencerfee", "reach_rate_instagram_feed_untapper"),
    ("instagram", "reel"): ("reach_rate_instagram_reel_influencerfee",),
    ("instagram", "story"): ("reach_rate_instagram_story_influencerfee",),
    ("tiktok", "short_video"): ("reach_rate_tiktok_untapper",),
    ("youtube", "long_video"): ("reach_rate_youtube_stellar",),
    ("youtube", "short_video"): ("reach_rate_youtube_stellar",),
}
_REGISTRY_COLUMNS = [
    "benchmark_id",
    "metric",
    "platform",
    "tier",
    "format",
    "low",
    "typical",
    "high",
    "unit",
    "definition",
    "source_name",
    "year",
    "grade",
    "source_url",
]


# --------------------------------------------------------------------------- registry explorer
def filter_registry(
    registry: pd.DataFrame, metric: str, platform: str = ANY, fmt: str = ANY, tier: str = ANY
) -> pd.DataFrame:
    """Rows of the benchmark registry for one metric, optionally one platform, format and tier (exact match;
    `ANY` keeps every value, and the registry's own "all" is a value like any other). Adds `value` (typical,
    else the low-high midpoint, else the one bound given, as `Benchmark.value`), sorted by value."""
    rows = registry[registry["metric"] == metric]
    for column, wanted in (("platform", platform), ("format", fmt), ("tier", tier)):
        if wanted != ANY:
            rows = rows[rows[column] == wanted]
    out = rows[_REGISTRY_COLUMNS].copy()
    out["value"] = (
        out["typical"].fillna((out["low"] + out["high"]) / 2).fillna(out["low"]).fillna(out["high"])
    )
    return out.sort_values(["value", "benchmark_id"]).reset_index(drop=True)


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
        self.metric = widgets.Dropdown(
            options=metrics, value=metric, description="Metric", style={"description_width": "initial"}
        )
        self.platform = widgets.Dropdown(description="Platform", style={"description_width": "initial"})
        self.format = widgets.Dropdown(description="Format", style={"description_width": "initial"})
        self.tier = widgets.Dropdown(description="Tier", style={"description_width": "initial"})
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
        shown = rows[["benchmark_id", "platform", "tier", "format", "low", "typical", "high", "unit"]]
        shown = shown.assign(
            definition=rows["definition"], source=rows["source_name"], year=rows["year"], grade=rows["grade"]
        )
        self.table.value = shown.to_html(index=False, na_rep="", float_format=lambda v: f"{v:,.4g}")
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
def profile_er_long(tables: dict[str, pd.DataFrame], bases: dict[str, ERBasis] | None = None) -> pd.DataFrame:
    """Profile ER of every account on every basis (`analytics.metrics.profile_engagement_rate`), long:
    account_id, platform, followers, basis (the key of `bases`, default `ER_BASES`), er (fraction; NaN when
    the basis is undefined for the account, e.g. views for an account with no video)."""
    accounts = tables["accounts"]
    parts = []
    for name, basis in (bases or ER_BASES).items():
        er = profile_engagement_rate(tables["posts"], accounts, basis)[["account_id", "er"]]
        parts.append(er.assign(basis=name))
    long = pd.concat(parts, ignore_index=True)
    return long.merge(accounts[["account_id", "platform", "followers"]], on="account_id", how="left")


def er_by_basis(
    profile_er: pd.DataFrame, by: str = "tier", preset: str = DEFAULT_TIER_PRESET, platform: str = ANY
) -> pd.DataFrame:
    """Median profile ER per group and basis. `by` is "tier" (tiers of `preset`) or "platform"; `platform`
    filters accounts first (`ANY` keeps all). Columns: group, basis, median_er (median over accounts of
    their profile ER, a fraction), n_accounts (accounts with a defined ER on that basis)."""
    if by not in ("tier", "platform"):
        raise ValueError(f"by must be 'tier' or 'platform', got {by!r}")
    data = profile_er if platform == ANY else profile_er[profile_er["platform"] == platform]
    data = data.dropna(subset=["er"])
    group = assign_tier(data["followers"], preset) if by == "tier" else data["platform"]
    out = (
        data.assign(group=group)
        .groupby(["group", "basis"], observed=True, sort=True)["er"]
        .agg(median_er="median", n_accounts="size")
        .reset_index()
    )
    out["group"] = out["group"].astype(str)
    return out


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
            style={"description_width": "initial"},
        )
        self.preset = widgets.Dropdown(
            options=presets,
            value=DEFAULT_TIER_PRESET,
            description="Tier preset",
            style={"description_width": "initial"},
        )
        self.by = widgets.ToggleButtons(
            options=["tier", "platform"],
            value="tier",
            description="Group by",
            style={"description_width": "initial"},
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
def tier_presets_compare(
    profile_er: pd.DataFrame,
    basis: str = "all interactions / followers, median",
    platform: str = ANY,
    presets: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """The same accounts tiered by each preset: preset, tier, followers_min, followers_max (exclusive; inf =
    open), n_accounts, share (of the accounts shown), median_er on `basis` (NaN with no defined ER)."""
    data = profile_er[profile_er["basis"] == basis]
    if platform != ANY:
        data = data[data["platform"] == platform]
    names = presets or tuple(sorted(load_tier_presets()["preset"].unique()))
    parts = []
    for preset in names:
        bounds = pd.DataFrame(tier_bounds(preset), columns=["tier", "followers_min", "followers_max"])
        tier = assign_tier(data["followers"], preset).astype(str)
        grouped = data.assign(tier=tier).groupby("tier")
        stats = pd.DataFrame({"n_accounts": grouped.size(), "median_er": grouped["er"].median()})
        frame = bounds.set_index("tier").join(stats, how="outer").reset_index()
        below = frame["tier"] == SUB_NANO  # counts under the preset's lowest bound
        frame.loc[below, ["followers_min", "followers_max"]] = [0.0, float(bounds["followers_min"].min())]
        frame["n_accounts"] = frame["n_accounts"].fillna(0).astype("int64")
        parts.append(frame.assign(preset=preset))
    out = pd.concat(parts, ignore_index=True)
    out["share"] = ratio(out["n_accounts"].astype(float), float(len(data)), "share of accounts")
    order = {t: i for i, t in enumerate([SUB_NANO, *TIER_ORDER])}
    out = out.sort_values(["preset", "tier"], key=lambda s: s.map(order) if s.name == "tier" else s)
    columns = ["preset", "tier", "followers_min", "followers_max", "n_accounts", "share", "median_er"]
    return out[columns].reset_index(drop=True)


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
def reach_by_format(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per platform and format: n_posts, reach rate = reach / followers (account snapshot) as q25, median,
    q75, and the median ER by reach = (likes + comments + shares + saves) / reach; plus the published
    reach-rate range (`REACH_BENCHMARKS`: pub_low, pub_high, pub_source; NaN where none is published)."""
    posts = tables["posts"]
    followers = posts["account_id"].map(tables["accounts"].set_index("account_id")["followers"])
    engagements = posts[list(INTERACTIONS_ALL)].sum(axis=1)
    data = posts[["platform", "format"]].assign(
        reach_rate=ratio(posts["reach"], followers, "reach rate"),
        er_reach=ratio(engagements, posts["reach"], "ER by reach"),
    )
    g = data.groupby(["platform", "format"])
    out = pd.DataFrame(
        {
            "n_posts": g.size(),
            "reach_rate_q25": g["reach_rate"].quantile(0.25),
            "reach_rate_median": g["reach_rate"].median(),
            "reach_rate_q75": g["reach_rate"].quantile(0.75),
            "er_by_reach_median": g["er_reach"].median(),
        }
    ).reset_index()
    published = [_published_reach(p, f) for p, f in zip(out["platform"], out["format"], strict=True)]
    out[["pub_low", "pub_high", "pub_source"]] = pd.DataFrame(published, index=out.index)
    return out


def _published_reach(platform: str, fmt: str) -> tuple[float, float, str]:
    """Widest published range for a platform x format (low of the lows, high of the highs) and its sources."""
    ids = REACH_BENCHMARKS.get((platform, fmt), ())
    if not ids:
        return np.nan, np.nan, ""
    marks = [benchmark(i) for i in ids]
    lows = [b.low if b.low is not None else b.value for b in marks]
    highs = [b.high if b.high is not None else b.value for b in marks]
    sources = "; ".join(dict.fromkeys(f"{b.source_name} ({b.year or 'undated'})" for b in marks))
    return min(lows), max(highs), sources


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
def _creator_posts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    owner = tables["accounts"].set_index("account_id")["creator_id"]
    niche = tables["creators"].set_index("creator_id")["niche"]
    posts = tables["posts"]
    return posts.assign(niche=posts["account_id"].map(owner).map(niche))


def niche_formats(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Format mix per niche: niche, format, posts, share = posts / the niche's posts."""
    posts = _creator_posts(tables)
    counts = posts.groupby(["niche", "format"]).size().rename("posts").reset_index()
    counts["share"] = ratio(
        counts["posts"], counts.groupby("niche")["posts"].transform("sum"), "format share"
    )
    return counts


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


def niche_hashtags(tables: dict[str, pd.DataFrame], top: int = 4) -> pd.DataFrame:
    """The `top` hashtags of each niche's captions (disclosure tags such as #ad left out): niche, rank,
    hashtag, posts (captions using it), share = posts / the niche's posts."""
    posts = _creator_posts(tables)
    tags = posts["caption"].fillna("").str.lower().str.findall(r"#(\w+)").map(set)
    long = pd.DataFrame({"niche": posts["niche"], "hashtag": tags}).explode("hashtag").dropna()
    long = long[~long["hashtag"].isin(DISCLOSURE_TAGS)]
    counts = long.groupby(["niche", "hashtag"]).size().rename("posts").reset_index()
    counts["share"] = ratio(
        counts["posts"], counts["niche"].map(posts.groupby("niche").size()), "hashtag share"
    )
    counts = counts.sort_values(["niche", "posts", "hashtag"], ascending=[True, False, True])
    counts["rank"] = counts.groupby("niche").cumcount() + 1
    out = counts[counts["rank"] <= top].assign(hashtag="#" + counts["hashtag"])
    return out[["niche", "rank", "hashtag", "posts", "share"]].reset_index(drop=True)


def niche_audience(tables: dict[str, pd.DataFrame], dimension: str = "age") -> pd.DataFrame:
    """Follower-weighted audience mix per niche: share(niche, bucket) = sum over the niche's accounts of
    followers x share / sum of their followers (accounts with rows for `dimension` only). Columns: niche,
    bucket, share, n_accounts."""
    audience = tables["audience"]
    rows = audience[audience["dimension"] == dimension]
    accounts = tables["accounts"].set_index("account_id")
    niche = accounts["creator_id"].map(tables["creators"].set_index("creator_id")["niche"])
    followers = rows["account_id"].map(accounts["followers"]).astype("float64")
    data = rows.assign(
        niche=rows["account_id"].map(niche), weighted=followers * rows["share"], followers=followers
    )
    num = data.groupby(["niche", "bucket"])["weighted"].sum()
    per_account = data.drop_duplicates("account_id")
    den = per_account.groupby("niche")["followers"].sum()
    out = num.reset_index()
    out["share"] = ratio(out["weighted"], out["niche"].map(den), f"audience {dimension} share")
    out["n_accounts"] = out["niche"].map(per_account.groupby("niche").size()).astype("int64")
    return out[["niche", "bucket", "share", "n_accounts"]]


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
