"""Sections of the campaign report notebook (`notebooks/reports/campaign_report.ipynb`).

Each section is one function `section(ctx) -> list` of display objects: `Html` (markup built here from
escaped values), DataFrames (rendered escaped by pandas) or altair charts (rendered to SVG offline by
vl-convert). User text (campaign names, ids, handles, captions) never reaches the page unescaped. A notebook
cell shows a section with `show(section(ctx))`; the last cell records the headline figures with
`record_metrics(ctx)` for the runner's `<campaign>.metrics.json`.

The context is built once per report from the notebook parameters. Tables are cached per data directory
and file fingerprint inside the kernel, so a warm kernel does not reload unchanged data; every context gets
its own shallow copies (copy-on-write), so a section cannot change what the next report sees.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from playbook.benchmarks import DEFAULT_TIER_PRESET, assign_tier, benchmark, load_tier_presets
from playbook.data import load
from playbook.report_html import METRICS_MIMETYPE, esc
from playbook.report_params import DEFAULT_ER_BASIS, check_campaign_ids, check_params, data_fingerprint
from playbook.schemas import VIDEO_FORMATS
from playbook.summary import campaign_figures
from playbook.undefined import ratio, reason

WARM_UP_ENV = "PLAYBOOK_REPORT_WARM_UP"
# Our reporting choice after industry-facts.md section 7 item 14 (KPI tree by objective): the KPIs that
# decide the verdict. Every KPI with a target is still shown.
PRIMARY_KPIS: dict[str, tuple[str, ...]] = {
    "awareness": ("reach",),
    "consideration": ("er_by_reach", "link_clicks"),
    "conversion": ("attributed_orders", "roas"),
}
# (figure, its target in campaign_figures, label, format); higher is better for all of them.
KPIS: tuple[tuple[str, str, str, str], ...] = (
    ("reach", "target_reach", "Reach", "count"),
    ("er_by_reach", "target_engagement_rate", "ER by reach", "rate"),
    ("link_clicks", "target_clicks", "Link clicks", "count"),
    ("attributed_orders", "target_conversions", "Attributed orders", "count"),
    ("roas", "target_roas", "ROAS (full cost)", "ratio"),
)
# Why a NaN figure of campaign_figures is undefined: (numerator, denominator, name) of its ratio.
_RATIOS = {
    "er_by_reach": ("engagements", "reach", "ER by reach"),
    "roas": ("attributed_revenue", "full_cost", "ROAS"),
}
# Sources of the definitions: reference pages (definitions, not figures) and registry ids.
_ER_BASIS_URL = "https://influencerdb.net/blog/ignoring-engagement-disastrous-for-influencer-marketing/"

_cache: dict[Path, tuple[tuple[tuple[str, int, int], ...], dict[str, pd.DataFrame]]] = {}
_chart_engine_ready: threading.Thread | None = None


@dataclass(frozen=True)
class Html:
    """Markup built by this module from escaped values: safe to place in the report as it is."""

    markup: str

    def _repr_html_(self) -> str:
        return self.markup


@dataclass(frozen=True)
class ReportContext:
    """Everything a section needs: checked parameters, the tables and the campaign's headline figures."""

    campaign_id: str
    data_dir: Path
    currency: str
    er_basis: str
    tier_preset: str
    attribution_window_days: int
    tables: dict[str, pd.DataFrame]
    figures: dict[str, float | str]


@dataclass(frozen=True)
class Verdict:
    """How the campaign did on its primary KPIs and its budget."""

    label: str
    met: int
    total: int
    undefined: tuple[str, ...]
    within_budget: bool
    text: str


# --------------------------------------------------------------------------- data and context
def cached_tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Validated tables of `data_dir`, loaded once per file fingerprint; each call gets its own copies."""
    fingerprint = data_fingerprint(data_dir)
    hit = _cache.get(data_dir)
    if hit is None or hit[0] != fingerprint:
        _cache.clear()  # one data directory at a time bounds the kernel's memory
        _cache[data_dir] = (fingerprint, load(data_dir))
    return {name: frame.copy(deep=False) for name, frame in _cache[data_dir][1].items()}


def warm_up(data_dir: str, validated_fingerprint: list[list[Any]]) -> None:
    """Kernel start-up (run by the report runner): start the chart engine, read the data into the cache.

    The runner validates the data in its own process at the same time, so the files are only parsed here,
    and only when they still have the fingerprint the runner validated. Failures are left to the report
    run, which reloads and reports them.
    """
    global _chart_engine_ready
    _chart_engine_ready = threading.Thread(target=_start_chart_engine, daemon=True)
    _chart_engine_ready.start()
    path = Path(data_dir).resolve()
    fingerprint = data_fingerprint(path)
    if [list(item) for item in fingerprint] != validated_fingerprint:
        return
    try:
        tables = load(path, validate=False)
    except (OSError, ValueError):
        return
    _cache.clear()
    _cache[path] = (fingerprint, tables)


def warm_up_from_env() -> None:
    """`warm_up` with the arguments the runner put in the kernel's environment (JSON), if any."""
    spec = os.environ.get(WARM_UP_ENV)
    if spec:
        args = json.loads(spec)
        warm_up(args["data_dir"], args["fingerprint"])


def build_context(
    campaign_id: object,
    data_dir: object = None,
    *,
    currency: object = None,
    er_basis: object = DEFAULT_ER_BASIS,
    tier_preset: object = DEFAULT_TIER_PRESET,
    attribution_window_days: object = None,
) -> ReportContext:
    """Check the parameters, load the data (cached) and compute the campaign's headline figures.

    `attribution_window_days=None` keeps the campaign's own window; a number replaces it for this report.
    Raises `ReportInputError` for a bad parameter and `DataValidationError` for data breaking the contracts.
    """
    params = check_params(
        data_dir,
        currency=currency,
        er_basis=er_basis,
        tier_preset=tier_preset,
        attribution_window_days=attribution_window_days,
    )
    tables = cached_tables(params.data_dir)
    (cid,) = check_campaign_ids([campaign_id], tables["campaigns"], params.currency)
    campaigns = tables["campaigns"]
    if params.attribution_window_days is not None:
        campaigns = campaigns.assign(attribution_window_days=params.attribution_window_days)
        tables["campaigns"] = campaigns
    row = campaigns.set_index("campaign_id").loc[cid]
    return ReportContext(
        campaign_id=cid,
        data_dir=params.data_dir,
        currency=str(row["currency"]),
        er_basis=params.er_basis,
        tier_preset=params.tier_preset,
        attribution_window_days=int(row["attribution_window_days"]),
        tables=tables,
        figures=campaign_figures(tables, cid),
    )


# --------------------------------------------------------------------------- figures
def er_on_basis(tables: dict[str, pd.DataFrame], campaign_id: str, basis: str) -> float:
    """Pooled ER of the campaign's posts: sum(likes + comments + shares + saves) / sum(basis).

    Bases (industry-facts.md 1.1): reach, impressions, views (video posts only: the other formats have no
    views) and followers (the posting account's followers at snapshot, summed per post: Traackr's "ER by
    potential reach"). Undefined (NaN with a reason) when the denominator is 0.
    """
    posts = tables["posts"][tables["posts"]["campaign_id"] == campaign_id]
    if basis == "views":
        posts = posts[posts["format"].isin(VIDEO_FORMATS)]
    engagements = float(posts[["likes", "comments", "shares", "saves"]].to_numpy().sum())
    if basis == "followers":
        followers = tables["accounts"].set_index("account_id")["followers"]
        base = float(posts["account_id"].map(followers).sum())
    else:
        base = float(posts[basis].sum())
    return ratio(engagements, base, f"ER by {basis}")


def figure_reason(figures: dict[str, float | str], name: str) -> str | None:
    """Why figure `name` is undefined (None when it is a number)."""
    value = figures[name]
    if not isinstance(value, float) or not math.isnan(value):
        return None
    if name in _RATIOS:
        num, den, label = _RATIOS[name]
        return reason(ratio(figures[num], figures[den], label))
    return reason(value)


def kpi_table(figures: dict[str, float | str]) -> pd.DataFrame:
    """One row per KPI with a target: actual, target, attainment = actual / target, met, primary.

    Attainment is undefined (NaN) when the target is 0 or the actual is undefined; `met` is actual >= target
    (None when the actual is undefined). The last row is spend: full cost against the budget (met: cost <=
    budget).
    """
    primary = PRIMARY_KPIS.get(str(figures["objective"]), ())
    rows = []
    for name, target_name, label, fmt in KPIS:
        actual, target = float(figures[name]), float(figures[target_name])
        met = None if math.isnan(actual) else bool(actual >= target)
        attainment = ratio(actual, target, f"{label} attainment")
        rows.append((name, label, fmt, actual, target, attainment, met, name in primary))
    cost, budget = float(figures["full_cost"]), float(figures["budget"])
    rows.append(
        (
            "full_cost",
            "Full cost vs budget",
            "money",
            cost,
            budget,
            ratio(cost, budget, "budget use"),
            bool(cost <= budget),
            False,
        )
    )
    columns = ["kpi", "label", "format", "actual", "target", "attainment", "met", "primary"]
    return pd.DataFrame(rows, columns=columns)


def verdict(figures: dict[str, float | str]) -> Verdict:
    """Primary KPIs met (actual >= target) and spend within budget (full cost <= budget).

    Labels (our reporting rule): "on target" = every primary KPI met and within budget; "off target" = none
    met; otherwise "partly on target". Undefined primary KPIs count as not met and are named.
    """
    table = kpi_table(figures)
    primary = table[table["primary"]]
    met = int(primary["met"].eq(True).sum())
    undefined = tuple(primary.loc[primary["met"].isna(), "label"])
    total = len(primary)
    budget_row = table.iloc[-1]
    within = bool(budget_row["met"])
    label = "on target" if met == total and within else "off target" if met == 0 else "partly on target"
    text = f"{met} of {total} primary KPI{'s' if total != 1 else ''} met"
    if undefined:
        text += f" ({', '.join(undefined)} undefined)"
    use = budget_row["attainment"]
    spend = "spend undefined" if math.isnan(use) else f"full cost {use:.0%} of budget"
    text += f"; {spend}" + ("" if within else " (over budget)")
    return Verdict(label, met, total, undefined, within, text)


def headline(ctx: ReportContext) -> dict[str, Any]:
    """The JSON the runner writes to `<campaign>.metrics.json`: figures (NaN as null, with the reason)."""
    figures = ctx.figures
    clean = {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in figures.items()}
    undefined = {k: figure_reason(figures, k) for k, v in clean.items() if v is None}
    v = verdict(figures)
    return {
        "campaign_id": ctx.campaign_id,
        "figures": clean,
        "undefined": undefined,
        "verdict": {"label": v.label, "met": v.met, "total": v.total, "text": v.text},
        "parameters": {
            "currency": ctx.currency,
            "er_basis": ctx.er_basis,
            "tier_preset": ctx.tier_preset,
            "attribution_window_days": ctx.attribution_window_days,
        },
    }


# --------------------------------------------------------------------------- display helpers
def fmt(value: float, kind: str, currency: str = "") -> str:
    """A figure for display; undefined values read "undefined"."""
    if isinstance(value, float) and math.isnan(value):
        return "undefined"
    if kind == "rate":
        return f"{value:.2%}"
    if kind == "ratio":
        return f"{value:.2f}"
    if kind == "money":
        return f"{value:,.0f} {currency}".strip()
    return f"{value:,.0f}"


def html_table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> Html:
    """A table of already escaped cell markup."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return Html(f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def link(url: str, text: str) -> str:
    """An escaped hyperlink to a source page (http/https only; anything else is shown as text)."""
    if not url.startswith(("https://", "http://")):
        return esc(text)
    return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(text)}</a>'


def _start_chart_engine() -> None:
    import altair  # noqa: F401  (imported here so the first chart of a report does not pay for it)
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{}]}})


def svg_of(chart: Any) -> str:
    """An altair chart as SVG text, rendered offline by vl-convert (no script, no CDN)."""
    import vl_convert

    if _chart_engine_ready is not None:
        _chart_engine_ready.join()
    return vl_convert.vegalite_to_svg(chart.to_dict())


def bundle(obj: object) -> dict[str, str]:
    """The MIME bundle of one display object: `Html`, DataFrame, altair chart or plain text (escaped)."""
    if isinstance(obj, Html):
        return {"text/html": obj.markup}
    if isinstance(obj, pd.DataFrame):
        return {"text/html": obj.to_html(escape=True, index=False, border=0, na_rep="", classes="data")}
    if isinstance(obj, str):
        return {"text/html": f"<p>{esc(obj)}</p>", "text/plain": obj}
    import altair as alt

    if isinstance(obj, alt.TopLevelMixin):
        return {"image/svg+xml": svg_of(obj), "text/plain": "chart"}
    raise TypeError(f"a report section returned {type(obj).__name__}; expected Html, DataFrame, chart or str")


def show(objects: Iterable[object]) -> None:
    """Display the objects a section returned, in order."""
    from IPython.display import display

    for obj in objects:
        display(bundle(obj), raw=True)


def record_metrics(ctx: ReportContext) -> None:
    """Emit the headline figures as a JSON output the runner reads (frontends show a one-line note)."""
    from IPython.display import display

    figures = headline(ctx)
    note = f"headline figures of {ctx.campaign_id!r} recorded for playbook report"
    display({METRICS_MIMETYPE: figures, "text/plain": note}, raw=True)


# --------------------------------------------------------------------------- sections
def _attainment_chart(table: pd.DataFrame) -> Any:
    import altair as alt

    kpis = table[(table["kpi"] != "full_cost") & table["attainment"].notna()]
    shown = kpis.assign(share=kpis["attainment"], kind=kpis["primary"].map({True: "primary", False: "other"}))
    bars = (
        alt.Chart(shown[["label", "share", "kind"]])
        .mark_bar()
        .encode(
            x=alt.X("share:Q", title="actual / target", axis=alt.Axis(format="%")),
            y=alt.Y("label:N", title=None, sort=None),
            color=alt.Color(
                "kind:N",
                title="KPI",
                scale=alt.Scale(domain=["primary", "other"], range=["#0969da", "#8c959f"]),
            ),
        )
    )
    target = alt.Chart(pd.DataFrame({"share": [1.0]})).mark_rule(strokeDash=[4, 3]).encode(x="share:Q")
    return (bars + target).properties(width=420, height=28 * len(shown), title="Results against targets")


def _tier_table(ctx: ReportContext) -> pd.DataFrame:
    contracts = ctx.tables["contracts"]
    accounts = ctx.tables["accounts"].set_index("account_id")
    ids = contracts.loc[contracts["campaign_id"] == ctx.campaign_id, "account_id"]
    tiers = assign_tier(ids.map(accounts["followers"]).astype("float64"), ctx.tier_preset)
    counts = tiers.value_counts(sort=False)
    return pd.DataFrame(
        {f"tier ({ctx.tier_preset})": counts.index.astype(str), "creators": counts.to_numpy()}
    )


def executive_summary(ctx: ReportContext) -> list[object]:
    """Objective, dates, spend, results against the KPI targets, the verdict and creators by tier."""
    f = ctx.figures
    v = verdict(f)
    header = Html(
        f'<p class="lead"><strong>{esc(f["name"])}</strong> '
        f'<span class="muted">({esc(ctx.campaign_id)})</span>'
        f"<br>Objective: {esc(f['objective'])} &middot; {esc(f['start'])} to {esc(f['end'])} &middot; "
        f"{fmt(f['creators'], 'count')} creators, {fmt(f['posts'], 'count')} posts &middot; amounts in "
        f"{esc(ctx.currency)}</p>"
        f'<p class="verdict {esc(v.label.replace(" ", "-"))}"><strong>Verdict: {esc(v.label)}.</strong> '
        f"{esc(v.text)}.</p>"
    )
    table = kpi_table(f)
    rows = [
        (
            esc(r.label) + (" <em>(primary)</em>" if r.primary else ""),
            esc(fmt(r.actual, r.format, ctx.currency)),
            esc(fmt(r.target, r.format, ctx.currency)),
            esc(fmt(r.attainment, "rate")),
            {True: "met", False: "missed", None: "undefined"}[r.met],
        )
        for r in table.itertuples()
    ]
    if ctx.er_basis != DEFAULT_ER_BASIS:
        er = er_on_basis(ctx.tables, ctx.campaign_id, ctx.er_basis)
        rows.append(
            (esc(f"ER by {ctx.er_basis}"), esc(fmt(er, "rate")), "no target (targets use reach)", "", "")
        )
    kpis = html_table(("KPI", "actual", "target", "actual / target", "status"), rows)
    notes = [
        Html(f'<p class="muted">{esc(name)} is undefined: {esc(why)}.</p>')
        for name in f
        if (why := figure_reason(f, name)) is not None
    ]
    return [header, kpis, *notes, _attainment_chart(table), _tier_table(ctx)]


def definitions_appendix(ctx: ReportContext) -> list[object]:
    """How each figure is computed, with its source, and the parameters this report used."""
    window = benchmark("attribution_window_days_modash")
    cost = benchmark("cost_example_creator_fees_katha")
    er_spread = benchmark("er_same_industry_disagreement_apaya")
    presets = load_tier_presets()
    preset = presets[presets["preset"] == ctx.tier_preset]
    bounds = ", ".join(
        f"{r.tier} from {int(r.followers_min):,}" for r in preset.sort_values("followers_min").itertuples()
    )
    basis_rows = []
    if ctx.er_basis != DEFAULT_ER_BASIS:
        basis_rows.append(
            (
                f"ER by {ctx.er_basis}",
                f"engagements / {ctx.er_basis}, pooled (views: video posts only; followers: the posting "
                "account's followers, once per post)",
                link(er_spread.source_url, f"{er_spread.source_name}: ER on different bases disagree"),
            )
        )
    rows = [
        (
            "Full cost",
            "creator fees + product + shipping + paid amplification + agency fees + staff hours x hour cost",
            link(cost.source_url, f"{cost.source_name} (total cost beyond fees)"),
        ),
        ("Engagements", "likes + comments + shares + saves of the campaign's posts", ""),
        (
            "ER by reach",
            "engagements / reach, pooled over the campaign's posts; the KPI targets use it",
            link(_ER_BASIS_URL, "influencerdb: always state the denominator"),
        ),
        *basis_rows,
        (
            "Attributed orders",
            "the creator's promo code wins; otherwise a tracked click at most "
            f"{ctx.attribution_window_days} days before the order (last touch); site-wide codes credit "
            "no one",
            link(window.source_url, window.source_name),
        ),
        ("ROAS", "attributed revenue / full cost", link(window.source_url, window.source_name)),
        (
            "Actual / target, verdict",
            "actual / target for each KPI; primary KPIs by objective; on target = "
            "every primary KPI met and full cost within budget",
            esc("our reporting rule, not an industry figure"),
        ),
        (
            "Creator tiers",
            f"preset {ctx.tier_preset}: {bounds} followers",
            link(str(preset["source_url"].iloc[0]), str(preset["source_name"].iloc[0])),
        ),
    ]
    definitions = html_table(("figure", "definition", "source"), ((esc(a), esc(b), c) for a, b, c in rows))
    params = html_table(
        ("parameter", "value"),
        (
            ("campaign_id", esc(ctx.campaign_id)),
            ("currency", esc(ctx.currency)),
            ("er_basis", esc(ctx.er_basis)),
            ("tier_preset", esc(ctx.tier_preset)),
            ("attribution_window_days", esc(ctx.attribution_window_days)),
        ),
    )
    return [definitions, Html("<h3>Parameters</h3>"), params]
