"""Module 04 (finding and vetting creators): account inspector, fraud archetypes, brand fit, score evaluation.

The score is `analytics.vetting.audience_quality` (our open score, not any vendor's formula) and the fit is
`analytics.brand_fit.brand_fit` (Cloutaura's weights by default). Apps hold their widgets and results, so
tests drive them without a browser:

    inspector = account_inspector(tables, scores)
    inspector.account.value = "AC0000038"
    inspector.components, inspector.summary.value, inspector.chart

    fit = brand_fit_app(tables, scores)
    fit.sliders["topic"].value = 0.5
    fit.result

    check = threshold_app(scores, tables["fraud_labels"])   # evaluation only: labels are ground truth
    check.threshold.value = 70
    check.result

Ground truth is read only by the evaluation helpers (`threshold_app`, `evaluate_fresh_sample` read
`fraud_labels`); nothing here reads `comments.kind`. The examples and the inspector pick accounts from the
score's own signals.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

import playbook.viz.charts  # registers and enables the playbook chart theme
from playbook.analytics.brand_fit import DEFAULT_FIT_WEIGHTS, FIT_COMPONENTS, brand_fit
from playbook.analytics.vetting import (
    SUSPECTED_BELOW,
    audience_quality,
    evaluate,
    explain,
    precision_recall_curve,
)
from playbook.course.base import LABEL_STYLE
from playbook.data.loading import load
from playbook.data.synth.generate import generate

__all__ = [
    "AccountInspector",
    "BrandFitApp",
    "ThresholdApp",
    "account_inspector",
    "account_options",
    "brand_fit_app",
    "contributions_chart",
    "evaluate_fresh_sample",
    "fit_points_chart",
    "follower_chart",
    "likes_comments_chart",
    "pr_chart",
    "score_histogram",
    "threshold_app",
]


# --------------------------------------------------------------------------- the score
def score_histogram(
    scores: pd.DataFrame, bin_width: float = 5.0, threshold: float = SUSPECTED_BELOW
) -> alt.LayerChart:
    """Accounts per score bin (`bin_width` points wide, counted with pandas), coloured by whether the bin
    lies below the suspected cut-off `threshold`; the cut-off is a dashed line."""
    edges = np.arange(0.0, 100.0 + bin_width, bin_width)
    binned = pd.cut(scores["score"], edges, right=False, include_lowest=True)
    counts = binned.value_counts(sort=False).rename("accounts").reset_index()
    counts["start"] = [interval.left for interval in counts["score"]]
    counts.loc[counts["start"] == edges[-2], "accounts"] += int((scores["score"] == 100.0).sum())
    counts["end"] = counts["start"] + bin_width
    counts["side"] = np.where(counts["end"] <= threshold, "below the cut-off", "at or above the cut-off")
    bars = (
        alt.Chart(counts.drop(columns="score"))
        .mark_bar()
        .encode(
            x=alt.X(
                "start:Q",
                title="Audience-quality score (100 = no red flag)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            x2="end:Q",
            y=alt.Y("accounts:Q", title="Accounts"),
            y2=alt.datum(0),
            color=alt.Color(
                "side:N",
                title=None,
                scale=alt.Scale(
                    domain=["below the cut-off", "at or above the cut-off"],
                    range=[playbook.viz.charts.BAD, playbook.viz.charts.GOOD],
                ),
            ),
            tooltip=["start:Q", "end:Q", "accounts:Q"],
        )
    )
    rule = alt.Chart(pd.DataFrame({"x": [threshold]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    subtitle = f"Dashed line: the suspected cut-off ({threshold:.0f}, a tuning choice)"
    return alt.layer(bars, rule).properties(
        title=alt.TitleParams("How the accounts score", subtitle=subtitle), width=420, height=200
    )


# --------------------------------------------------------------------------- archetypes on real series


def follower_chart(
    tables: dict[str, pd.DataFrame], account_id: str, scores: pd.DataFrame
) -> alt.VConcatChart:
    """Daily followers (top) and following (bottom) of one account; a dashed rule marks the day of the
    largest jump the score found in each series. At most one row per day per series."""
    daily = tables["follower_daily"]
    series = daily[daily["account_id"] == account_id].sort_values("date")
    row = scores.set_index("account_id").loc[account_id]
    panels = []
    for column, jump, colour in (
        ("followers", "growth_jump_date", playbook.viz.charts.GOOD),
        ("following", "following_jump_date", playbook.viz.charts.OKABE_ITO[0]),
    ):
        line = (
            alt.Chart(series)
            .mark_line(color=colour)
            .encode(
                x=alt.X("date:T", title=None),
                y=alt.Y(f"{column}:Q", title=f"{column.capitalize()} (count)", scale=alt.Scale(zero=False)),
                tooltip=["date:T", f"{column}:Q"],
            )
            .properties(width=460, height=140)
        )
        marks = pd.DataFrame({"date": [row[jump]], "what": [f"largest daily jump in {column}"]}).dropna()
        rule = (
            alt.Chart(marks)
            .mark_rule(color=playbook.viz.charts.BAD, strokeDash=[4, 3])
            .encode(x="date:T", tooltip=["what:N", "date:T"])
        )
        panels.append(alt.layer(line, rule))
    subtitle = "Dashed red line: the day of the largest daily jump the score found"
    return alt.vconcat(*panels).properties(title=alt.TitleParams(f"Account {account_id}", subtitle=subtitle))


def likes_comments_chart(
    tables: dict[str, pd.DataFrame], scores: pd.DataFrame, account_id: str
) -> alt.LayerChart:
    """Total likes against total comments of every account on the same platform (log-log), the chosen
    account ringed. Accounts far above the diagonal band get many likes per comment."""
    platform = scores.set_index("account_id").loc[account_id, "platform"]
    posts = tables["posts"]
    sums = posts[posts["platform"] == platform].groupby("account_id")[["likes", "comments"]].sum()
    data = (sums + 1).reset_index().assign(chosen=lambda d: d["account_id"] == account_id)
    base = alt.Chart(data).encode(
        x=alt.X("comments:Q", scale=alt.Scale(type="log"), title="Comments on all posts (+1, log scale)"),
        y=alt.Y("likes:Q", scale=alt.Scale(type="log"), title="Likes on all posts (+1, log scale)"),
        tooltip=["account_id:N", "likes:Q", "comments:Q"],
    )
    peers = base.mark_circle(size=30, opacity=0.5, color=playbook.viz.charts.NEUTRAL)
    ring = base.transform_filter("datum.chosen").mark_point(
        size=220, strokeWidth=2.5, color=playbook.viz.charts.BAD
    )
    return alt.layer(peers, ring).properties(
        title=alt.TitleParams(
            f"Likes against comments, {platform} accounts", subtitle=f"Red ring: {account_id}"
        ),
        width=420,
        height=260,
    )


# --------------------------------------------------------------------------- account inspector
def account_options(scores: pd.DataFrame, accounts: pd.DataFrame) -> list[tuple[str, str]]:
    """Dropdown options (label, account_id), lowest score first: "handle · platform · tier · score N"."""
    handles = accounts.set_index("account_id")["handle"]
    ordered = scores.sort_values(["score", "account_id"])
    return [
        (f"{handles.get(a, a)} · {p} · {t} · score {s:.0f}", a)
        for a, p, t, s in zip(
            ordered["account_id"], ordered["platform"], ordered["tier"], ordered["score"], strict=True
        )
    ]


def contributions_chart(components: pd.DataFrame, title: str = "Where the points went") -> alt.LayerChart:
    """Bars of the points each component took off 100 (`explain` rows without the baseline)."""
    data = components[components["component"] != "baseline"].copy()
    data["lost"] = -data["contribution"]
    bars = (
        alt.Chart(data)
        .mark_bar(color=playbook.viz.charts.BAD)
        .encode(
            x=alt.X("lost:Q", title="Points taken off 100", scale=alt.Scale(domainMin=0)),
            y=alt.Y("component:N", sort=list(data["component"]), title=None),
            tooltip=["component:N", alt.Tooltip("lost:Q", format=".1f"), "reason:N"],
        )
    )
    text = bars.mark_text(align="left", dx=3, color="#333333").encode(text=alt.Text("lost:Q", format=".1f"))
    return alt.layer(bars, text).properties(title=title, width=360, height=170)


class AccountInspector:
    """Pick an account: its follower and following series, the score's components and its red flags.

    Control: `account` (Dropdown of account ids, lowest score first). Results: `components` (`explain`
    frame), `chart` (follower chart), `points_chart` (contributions), `summary` (HTML: score, verdict,
    flags), `table` (HTML of `components`).
    """

    def __init__(self, tables: dict[str, pd.DataFrame], scores: pd.DataFrame) -> None:
        self.tables = tables
        self.scores = scores
        options = account_options(scores, tables["accounts"])
        self.account = widgets.Dropdown(
            options=options,
            value=options[0][1],
            description="Account",
            style=LABEL_STYLE,
        )
        self.account.layout.width = "520px"
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.output = widgets.Output()
        self.components = pd.DataFrame()
        self.chart: alt.VConcatChart | None = None
        self.points_chart: alt.LayerChart | None = None
        self.account.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([self.account, self.summary, self.output, self.table])
        self.update()

    def update(self) -> None:
        """Recompute every result for the selected account."""
        account_id = self.account.value
        row = self.scores.set_index("account_id").loc[account_id]
        self.components = explain(account_id, self.scores)
        self.chart = follower_chart(self.tables, account_id, self.scores)
        self.points_chart = contributions_chart(self.components)
        verdict = "suspected: check by hand before contracting" if row["suspected"] else "no strong red flag"
        flags = "".join(f"<li>{html.escape(f)}</li>" for f in str(row["red_flags"]).split("; ") if f)
        self.summary.value = (
            f"<p><b>{html.escape(account_id)}</b> ({row['platform']}, {row['tier']}, "
            f"{int(row['followers']):,} followers): score <b>{row['score']:.1f}</b> of 100, {verdict}.</p>"
            + (f"<ul>{flags}</ul>" if flags else "")
        )
        shown = self.components.assign(
            signal=self.components["signal"].round(2),
            risk=self.components["risk"].round(2),
            contribution=self.components["contribution"].round(1),
        )
        self.table.value = shown.to_html(index=False, na_rep="", escape=True)
        self.output.outputs = ()
        self.output.append_display_data(alt.hconcat(self.chart, self.points_chart))

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def account_inspector(
    tables: dict[str, pd.DataFrame], scores: pd.DataFrame | None = None
) -> AccountInspector:
    """The account inspector over `scores` (default: `audience_quality(tables)`)."""
    return AccountInspector(tables, audience_quality(tables) if scores is None else scores)


# --------------------------------------------------------------------------- brand fit with sliders
_CAUTION = (
    "<p><b>Caution:</b> more fit is not always better. Leung, Gu, Li, Zhang &amp; Palmatier (2022, "
    "<i>Journal of Marketing</i>) find an inverted-U effect of follower-brand fit: past a point, a "
    "near-perfect fit lowers returns, because the audience already knows the category. Use the score to "
    "screen out poor fits and to explain choices, not to pick only the top scores.</p>"
)


class BrandFitApp:
    """Rank creators for a campaign with brand-fit weights from sliders.

    Controls: `campaign` (Dropdown), `sliders` (dict component -> FloatSlider, 0-1), `top_n` (IntSlider),
    `hide_suspected` (Checkbox: drop creators with any account the vetting score suspects; `audience_quality`
    is the creator's lowest account score).
    Results: `ranking` (every creator), `result` (the top N shown), `chart` (points per component of the
    top N), `summary` (HTML: bands, changes against the default weights, the inverted-U caution).
    """

    def __init__(
        self, tables: dict[str, pd.DataFrame], scores: pd.DataFrame, campaign_id: str | None = None
    ) -> None:
        self.tables = tables
        self.quality = scores.groupby("creator_id").agg(
            audience_quality=("score", "min"), suspected=("suspected", "any")
        )
        campaigns = tables["campaigns"]
        options = [
            (f"{n} ({c})", c) for n, c in zip(campaigns["name"], campaigns["campaign_id"], strict=True)
        ]
        self.campaign = widgets.Dropdown(
            options=options,
            value=campaign_id or options[0][1],
            description="Campaign",
            style=LABEL_STYLE,
        )
        self.campaign.layout.width = "420px"
        self.sliders = {
            c: widgets.FloatSlider(
                value=DEFAULT_FIT_WEIGHTS[c],
                min=0.0,
                max=1.0,
                step=0.05,
                description=c,
                style=LABEL_STYLE,
                continuous_update=False,
            )
            for c in FIT_COMPONENTS
        }
        self.top_n = widgets.IntSlider(
            value=10,
            min=3,
            max=30,
            description="Show top",
            style=LABEL_STYLE,
            continuous_update=False,
        )
        self.hide_suspected = widgets.Checkbox(
            value=True, description="Hide suspected accounts", style=LABEL_STYLE
        )
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.output = widgets.Output()
        self.ranking = pd.DataFrame()
        self.result = pd.DataFrame()
        self.chart: alt.Chart | None = None
        self._defaults: dict[tuple[str, bool], pd.DataFrame] = {}
        for control in (self.campaign, self.top_n, self.hide_suspected, *self.sliders.values()):
            control.observe(lambda _: self.update(), names="value")
        sliders = widgets.VBox(list(self.sliders.values()))
        options_box = widgets.VBox([self.campaign, self.top_n, self.hide_suspected])
        self.widget = widgets.VBox(
            [widgets.HBox([options_box, sliders]), self.summary, self.output, self.table]
        )
        self.update()

    @property
    def weights(self) -> dict[str, float]:
        """The weights set on the sliders."""
        return {c: s.value for c, s in self.sliders.items()}

    def _rank(self, weights: dict[str, float]) -> pd.DataFrame:
        fit = brand_fit(self.tables, campaign_id=self.campaign.value, weights=weights)
        fit = fit.join(self.quality, on="creator_id")
        if self.hide_suspected.value:
            fit = fit[~fit["suspected"].fillna(False).astype(bool)]
        return fit.reset_index(drop=True)

    def _default_ranking(self) -> pd.DataFrame:
        """The ranking with `DEFAULT_FIT_WEIGHTS` for the current campaign and filter (cached)."""
        key = (self.campaign.value, self.hide_suspected.value)
        if key not in self._defaults:
            self._defaults[key] = self._rank(DEFAULT_FIT_WEIGHTS)
        return self._defaults[key]

    def update(self) -> None:
        """Re-rank with the current weights; compare the top N with the default-weight top N."""
        if sum(self.weights.values()) <= 0:
            self.ranking = self.result = pd.DataFrame()
            self.chart = None
            self.summary.value = "<p>Set at least one weight above 0.</p>"
            self.table.value = ""
            self.output.outputs = ()
            return
        self.ranking = self._rank(self.weights)
        n = self.top_n.value
        self.result = self.ranking.head(n)
        default_top = set(self._default_ranking()["creator_id"].head(n))
        changed = len(set(self.result["creator_id"]) - default_top)
        bands = self.ranking["band"].value_counts()
        band_text = ", ".join(f"{b}: {bands.get(b, 0)}" for b in ("strong", "good", "needs review", "weak"))
        self.summary.value = (
            f"<p>{len(self.ranking)} creators ranked. Bands: {band_text}. "
            f"<b>{changed}</b> of the top {n} differ from the top {n} with the default weights.</p>"
            + _CAUTION
        )
        columns = ["handle", "niche", "score", "band", "audience_quality", "reasons"]
        self.table.value = self.result[columns].round(1).to_html(index=False, escape=True)
        self.chart = fit_points_chart(self.result)
        self.output.outputs = ()
        self.output.append_display_data(self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def fit_points_chart(ranking: pd.DataFrame, title: str = "Brand fit of the top creators") -> alt.Chart:
    """Stacked bars: each creator's fit score split into the points of each component (`brand_fit` rows)."""
    long = ranking.melt(
        id_vars=["handle", "score"], value_vars=[f"{c}_points" for c in FIT_COMPONENTS], var_name="component"
    )
    long["component"] = long["component"].str.removesuffix("_points")
    long["stack"] = long["component"].map({c: i for i, c in enumerate(FIT_COMPONENTS)})
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title="Fit score (points of 100)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("handle:N", sort=list(ranking["handle"]), title=None),
            color=alt.Color("component:N", title="Component", sort=list(FIT_COMPONENTS)),
            order=alt.Order("stack:Q"),
            tooltip=[
                "handle:N",
                "component:N",
                alt.Tooltip("value:Q", format=".1f"),
                alt.Tooltip("score:Q", format=".1f"),
            ],
        )
        .properties(title=title, width=420)
    )


def brand_fit_app(
    tables: dict[str, pd.DataFrame], scores: pd.DataFrame | None = None, campaign_id: str | None = None
) -> BrandFitApp:
    """The brand-fit ranking app (scores: `audience_quality(tables)` by default, for the suspected filter)."""
    return BrandFitApp(tables, audience_quality(tables) if scores is None else scores, campaign_id)


# --------------------------------------------------------------------------- evaluation against labels
def pr_chart(
    curve: pd.DataFrame, threshold: float, title: str = "Precision and recall by cut-off"
) -> alt.LayerChart:
    """Precision, recall and F1 of "score < cut-off" (`precision_recall_curve`), the chosen cut-off marked."""
    long = curve.melt(id_vars="threshold", value_vars=["precision", "recall", "f1"], var_name="measure")
    lines = (
        alt.Chart(long.dropna(subset=["value"]))
        .mark_line()
        .encode(
            x=alt.X("threshold:Q", title="Cut-off: suspected when score is below"),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("measure:N", title=None),
            tooltip=["threshold:Q", "measure:N", alt.Tooltip("value:Q", format=".1%")],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"threshold": [threshold]}))
        .mark_rule(strokeDash=[4, 3])
        .encode(x="threshold:Q")
    )
    return alt.layer(lines, rule).properties(
        title=alt.TitleParams(title, subtitle="Dashed line: the cut-off chosen on the slider"), width=420
    )


class ThresholdApp:
    """Move the cut-off of the audience-quality score and see precision, recall and the confusion counts
    against the ground-truth fraud labels (evaluation only).

    Control: `threshold` (FloatSlider). Results: `result` (`vetting.evaluate` dict), `recall_by_archetype`
    (DataFrame), `chart` (precision/recall/F1 curve), `summary` (HTML).
    """

    def __init__(self, scores: pd.DataFrame, fraud_labels: pd.DataFrame) -> None:
        self.scores = scores
        self.fraud_labels = fraud_labels
        self.curve = precision_recall_curve(scores, fraud_labels)
        self.threshold = widgets.FloatSlider(
            value=SUSPECTED_BELOW,
            min=0.0,
            max=100.0,
            step=1.0,
            description="Cut-off",
            style=LABEL_STYLE,
            continuous_update=False,
        )
        self.summary = widgets.HTML()
        self.output = widgets.Output()
        self.result: dict[str, object] = {}
        self.recall_by_archetype = pd.DataFrame()
        self.chart: alt.LayerChart | None = None
        self.threshold.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([self.threshold, self.summary, self.output])
        self.update()

    def update(self) -> None:
        """Re-evaluate at the slider's cut-off."""
        cut = self.threshold.value
        self.result = evaluate(self.scores, self.fraud_labels, threshold=cut)
        recall = self.result["recall_by_archetype"]
        self.recall_by_archetype = pd.DataFrame({"archetype": list(recall), "recall": list(recall.values())})
        r = self.result
        per = ", ".join(f"{a} {v:.0%}" for a, v in recall.items())
        self.summary.value = (
            f"<p>Suspected when score &lt; {cut:.0f}: <b>{r['tp'] + r['fp']}</b> of {r['n']} accounts "
            "flagged. "
            f"Precision <b>{_pct(r['precision'])}</b> (flagged accounts that are fraud), recall "
            f"<b>{_pct(r['recall'])}</b> (fraud accounts flagged), F1 {_pct(r['f1'])}. "
            f"Missed: {r['fn']}; clean accounts wrongly flagged: {r['fp']}.</p>"
            f"<p>Recall by archetype: {per}.</p>"
        )
        self.chart = pr_chart(self.curve, cut)
        self.output.outputs = ()
        self.output.append_display_data(self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def _pct(value: object) -> str:
    return "undefined" if value is None or np.isnan(float(value)) else f"{float(value):.0%}"


def threshold_app(scores: pd.DataFrame, fraud_labels: pd.DataFrame) -> ThresholdApp:
    """The cut-off app: evaluation of `scores` against ground-truth `fraud_labels`."""
    return ThresholdApp(scores, fraud_labels)


def evaluate_fresh_sample(
    seed: int, scale: str | int = "small", threshold: float | None = None
) -> dict[str, object]:
    """Score a freshly generated dataset (another seed: data the score's defaults were not tuned on) and
    evaluate it against its labels; `vetting.evaluate` dict plus `seed`. Written to a temporary directory
    and removed afterwards (about 3 s for the small scale)."""
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), seed=seed, scale=scale, fmt="csv")
        fresh = load(Path(folder))
    result = evaluate(audience_quality(fresh), fresh["fraud_labels"], threshold=threshold)
    return {**result, "seed": seed}
