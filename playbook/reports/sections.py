"""Sections of the campaign report notebook (`notebooks/reports/campaign_report.ipynb`).

One function per section, `section(ctx) -> list` of display objects (`report_html.Html` built from escaped
values, DataFrames rendered escaped, altair charts rendered to SVG offline); a notebook cell shows one with
`show(section(ctx))` and the last cell records the headline figures with `record_metrics(ctx)` for the
runner's `<campaign>.metrics.json`. Every figure comes from the analytics library: `metrics` (costs, ER on
an `ERBasis`), `attribution`, `incrementality`, `relationships`, `planning`, `compliance`, drawn with
`charts`. Sections record in the context the benchmark ids they cite and the definitions they use, so the
appendix, shown last, lists exactly what this report used.

Judgements (the verdict, the findings, the next step, the creator calls) come from `analytics.verdicts`;
the shared per-report tables (`creator_table`, `group_table`, `money`, ...) from `reports.figures`.

Cost bases: campaign KPIs divide the full cost (`metrics.campaign_cost`: fees, product, shipping, agency
fees, paid amplification, staff hours); per-creator and per-group figures divide the creator cost (fee +
product + shipping of the creator's contract), the part of the cost a creator can be held to; CPM by tier
and platform divides creator fees, the basis of the published CPMs. Every ER uses the report's basis
(`er_basis`, pooled: sum of engagements / sum of the denominator) and says so; only the KPI target row
shows ER by reach, the basis the campaign's target is set on.

The context is built once per report from the notebook parameters; tables come from
`data_cache.load_tables` (this kernel's memory, the user's cache or a validated load) as shallow copies, so
a section cannot change what the next report sees. Results several sections share are computed once per
report (`ReportContext.memo`); the few that depend on the data only (leak scores pooled over every code) once
per kernel and data fingerprint.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from playbook.analytics import kpis as kpi_spec
from playbook.analytics.attribution import (
    campaign_attribution,
    campaign_window_days,
    detect_leaked_codes,
    reconcile,
)
from playbook.analytics.compliance import check_captions, compliance_summary
from playbook.analytics.metrics import (
    INTERACTIONS_ALL,
    ERBasis,
    conversion_rate,
)
from playbook.analytics.planning import campaign_timeline, cpm_band
from playbook.analytics.relationships import (
    DEFAULT_HEALTH_RULES,
)
from playbook.analytics.summary import campaign_figures
from playbook.analytics.undefined import ratio, reason
from playbook.analytics.verdicts import (
    PRIMARY_KPIS,
    RULES,
    CampaignVerdict,
    KpiResult,
    campaign_verdict,
    is_significant,
    rules_text,
)
from playbook.data.cache import (
    Fingerprint,
    campaign_currencies,
    data_fingerprint,
    load_tables,
    read_entry,
    remember,
)
from playbook.data.registry import (
    DEFAULT_TIER_PRESET,
    Benchmark,
    benchmark,
    benchmark_table,
    load_tier_presets,
)
from playbook.data.schemas import TABLES
from playbook.reports import figures as rf
from playbook.reports.figures import (
    _as_of,
    _attribution,
    _cost_frame,
    _disclosure_counts,
    _er_by,
    _incrementality,
    _late_causes,
    _once,
    _outreach,
    _per_data,
    _scoped,
    _staff_cost,
    campaign_posts,
    creator_table,
    er_on_basis,
    funnel_stages,
    group_table,
    money,
)
from playbook.reports.html import (
    METRICS_MIMETYPE,
    NOT_AVAILABLE,
    Html,
    bullets,
    esc,
    fmt,
    html_table,
    link,
    show,
    unit_text,
)
from playbook.reports.params import DEFAULT_ER_BASIS, WARM_UP_ENV, check_campaign_ids, check_params

__all__ = [
    "WARM_UP_ENV",
    "ReportContext",
    "appendix",
    "attribution",
    "audience",
    "build_context",
    "campaign_posts",
    "comment_quality",
    "creator_scorecards",
    "creator_table",
    "disclosure_compliance",
    "earlier_campaigns",
    "emv",
    "er_on_basis",
    "executive_summary",
    "figure_reason",
    "findings",
    "funnel_stages",
    "group_table",
    "headline",
    "incrementality",
    "kpi_figures",
    "kpi_table",
    "kpi_tree",
    "outreach_to_payment",
    "paid_vs_organic",
    "performance_over_time",
    "profit_and_customers",
    "record_metrics",
    "show",
    "tiers_and_platforms",
    "timeline",
    "top_and_bottom_posts",
    "verdict",
    "warm_up",
    "warm_up_from_env",
    "what_worked",
]

# PRIMARY_KPIS (analytics.verdicts): the KPIs that decide the verdict. Every KPI with a target is shown.
# The KPIs with a campaign target (`kpis.KPIS`, target field in campaign_figures): (figure, target, label,
# format); higher is better for all of them. Two labels name the basis the report compares.
_TARGET_LABELS = {"er_by_reach": "ER by reach (basis of the target)", "roas": "ROAS (full cost)"}
KPIS: tuple[tuple[str, str, str, str], ...] = tuple(
    (k.key, k.target, _TARGET_LABELS.get(k.key, k.label), k.kind) for k in kpi_spec.KPIS.values() if k.target
)
# The report shows the tree's ER on its own basis (`er_basis`) under the key "er"; label and formula then
# come from the basis. Every other KPI of the tree is `kpis.KPIS` as is.
_REPORT_KEYS = {"er_by_reach": "er"}
# Reference page (key of _SOURCES) of each KPI's definition; "" = none beyond the formula.
_KPI_SOURCES = {"cpm": "cpm", "er": "er", "cpe": "cpe", "cpa": "cpa", "roas": "roas", "iroas": "lift"}
# Why a NaN figure of campaign_figures is undefined: (numerator, denominator, name) of its ratio.
_RATIOS = {
    "er_by_reach": ("engagements", "reach", "ER by reach"),
    "roas": ("attributed_revenue", "full_cost", "ROAS"),
}
# Reference pages of the definitions (definitions, not figures: figures come from the benchmark registry).
_SOURCES: dict[str, tuple[str, str]] = {
    "er": (
        "https://influencerdb.net/blog/ignoring-engagement-disastrous-for-influencer-marketing/",
        "influencerdb: always state the denominator",
    ),
    "cpm": ("https://influencer-hero.com/blogs/influencer-cpm", "Influencer Hero: influencer CPM"),
    "cpe": (
        "https://katha-ads.com/blog/cost-per-engagement-cpe-in-influencer-marketing",
        "Katha: CPE and the total cost beyond fees",
    ),
    "cpa": (
        "https://www.yumpu.com/en/document/view/68767084/100-101-digital-marketing-associate-study-guide-2022/6",
        "Meta Blueprint glossary: cost per action",
    ),
    "roas": (
        "https://help.modash.io/en/articles/13717414-tracking-sales-and-revenue-per-creator",
        "Modash: sales, revenue and ROAS per creator",
    ),
    "lift": (
        "https://www.influencers-time.com/holdout-tests-for-measuring-influencer-incremental-lift/",
        "Influencers-Time: holdout tests",
    ),
    "conversion": ("https://taglab.net/?p=20597", "Taglab: conversion rate"),
    "disclosure": (
        "https://www.ftc.gov/business-guidance/resources/disclosures-101-social-media-influencers",
        "FTC: Disclosures 101 for Social Media Influencers (2019)",
    ),
}
# Definitions a section uses by name: term -> (definition, key of _SOURCES; "" = our reporting rule).
_DEFINITIONS: dict[str, tuple[str, str]] = {
    "Full cost": (
        "creator fees + product + shipping + platform/agency fees + paid amplification + staff hours x hour "
        "cost (metrics.campaign_cost)",
        "cpe",
    ),
    "Actual / target, verdict": (
        "actual / target per KPI (a target of 0 or none is no target); the verdict, the findings and the "
        "calls follow the rules listed below with their thresholds (analytics.verdicts)",
        "",
    ),
    "Creator cost": ("fee + gifted product + shipping of the creator's contract", "cpe"),
    "CPE, ROAS per creator": ("creator cost / engagements; attributed revenue / creator cost", "roas"),
    "Call (re-book / renegotiate / drop)": (
        "relationships.relationship_health on this campaign's deliverables: "
        + DEFAULT_HEALTH_RULES.describe(),
        "",
    ),
    "Health score": (
        "100 x weighted mean of on-time posting, revisions, ER against the tier band, cost against peers "
        "and our on-time payment (relationships.DEFAULT_HEALTH_WEIGHTS)",
        "",
    ),
    "CPM (fees)": ("creator fees / impressions x 1,000, the basis of the published CPMs", "cpm"),
    "Planned dates": (
        "shipped = due - shipping lead (low end of shipping_lead_days_heepsy); draft = due - draft lead "
        "(low end of draft_lead_days_model); approved = due - 1 day; posted = due date; paid = invoiced + "
        "payment terms (planning.campaign_timeline)",
        "",
    ),
    "Funnel stages": (
        "creators contacted, replying, negotiating and agreeing (outreach), contracted (contracts), then "
        "with every deliverable posted, invoiced and paid (deliverables)",
        "",
    ),
    "Paid late": ("paid after invoiced date + payment terms (relationships.deliverable_status)", ""),
    "Conversion rate (click-based)": (
        "orders credited to a tracking link / link clicks: orders by promo code have no click and are left "
        "out, so the rate compares like with like against the click-based benchmark",
        "conversion",
    ),
    "Leak score": (
        "weighted Stouffer sum of binomial z-scores of code-order signals (no tracked click, far from a "
        "post, returning customers, after the content tail, geo spread); suspected at 1 or more "
        "(attribution.detect_leaked_codes)",
        "",
    ),
    "Lift, iROAS": (
        "lift = treated / counterfactual - 1, counterfactual = treated pre x control test / control pre; "
        "iROAS = incremental revenue / full cost; 95% CIs from a geo bootstrap",
        "lift",
    ),
    "Disclosure status": (
        "under the FTC's rules (Disclosures 101, 2019; 16 CFR 255, 2023): compliant: a clear label (ad, "
        "advertisement, sponsored, paid partnership, thanks for the free product) seen without tapping "
        "'more'; "
        "late: a clear label hidden below 'more' or in hashtags; weak: #sp, #spon, #collab, thanks; risky: "
        "likely insufficient; review: the text cannot decide; missing: none (compliance.check_disclosure)",
        "disclosure",
    ),
}
_CALLS = ("re-book", "renegotiate", "drop")


def _source(key: str) -> str:
    """Escaped link to the reference page of a definition ("" = our reporting rule)."""
    if not key:
        return esc("our reporting rule, not an industry figure")
    url, text = _SOURCES[key]
    return link(url, text)


@dataclass(frozen=True)
class ReportContext:
    """Everything a section needs: checked parameters, the tables and the campaign's headline figures.

    `cited` (benchmark ids) and `defined` (term -> definition and source markup) fill up, in order, as
    sections run; `memo` keeps results several sections share.
    """

    campaign_id: str
    data_dir: Path
    currency: str
    er_basis: str
    tier_preset: str
    attribution_window_days: int
    window_is_parameter: bool
    fingerprint: Fingerprint
    tables: dict[str, pd.DataFrame]
    figures: dict[str, float | str]
    cited: dict[str, None] = field(default_factory=dict, compare=False, repr=False)
    defined: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def basis(self) -> ERBasis:
        """The report's ER: sum of (likes + comments + shares + saves) / sum of `er_basis` over the posts."""
        return ERBasis(self.er_basis, INTERACTIONS_ALL, "total", None)  # type: ignore[arg-type]

    @property
    def er_label(self) -> str:
        """ "ER by followers" etc.: the name every ER of the report carries."""
        return f"ER by {self.er_basis}"

    def cite(self, benchmark_id: str) -> Benchmark:
        """The registry entry `benchmark_id`, recorded for the appendix."""
        self.cited.setdefault(benchmark_id, None)
        return benchmark(benchmark_id)

    def define(self, term: str, definition: str | None = None, source: str = "") -> None:
        """Record a definition for the appendix: one of `_DEFINITIONS` by term, or `definition` with
        `source` (escaped markup, e.g. from `link`)."""
        if definition is None:
            definition, key = _DEFINITIONS[term]
            source = _source(key)
        self.defined.setdefault(term, (definition, source))


# --------------------------------------------------------------------------- kernel start and context
def warm_up(data_dir: str, validated_fingerprint: list[list[Any]]) -> None:
    """Kernel start-up (run by the report runner): import the chart builders, get the data into memory.

    The data comes from the user's data cache, else the files are parsed without validation
    (`_parse_until_cached`): the runner validates them in its own process at the same time and runs no
    report if they break the contracts.
    Nothing is kept when the files no longer have the fingerprint the runner checked; failures are left
    to the report run, which reloads and reports them.
    """
    import playbook.viz.charts  # noqa: F401  (altair and the theme: a report's first chart would pay for them)

    path = Path(data_dir).resolve()
    fingerprint = data_fingerprint(path)
    if [list(item) for item in fingerprint] != validated_fingerprint:
        return
    try:
        tables = _parse_until_cached(path, fingerprint)
    except (OSError, ValueError):
        return
    remember(path, fingerprint, tables)


def _parse_until_cached(path: Path, fingerprint: Fingerprint) -> dict[str, pd.DataFrame]:
    """The tables from the cache entry, or parsed (no validation) one file at a time, smallest first,
    switching to the entry as soon as the runner's validation writes it: at most one file is parsed in
    vain, and a first run on small data does not parse what the runner is about to cache."""
    from playbook.data.loading import load

    size = {name.split(".")[0]: bytes_ for name, bytes_, _ in fingerprint}
    tables: dict[str, pd.DataFrame] = {}
    for table in sorted(TABLES, key=lambda t: size.get(t, 0)):
        cached = read_entry(path, fingerprint)
        if cached is not None:
            return cached
        tables.update(load(path, tables=[table], validate=False))
    return tables


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
    fingerprint = data_fingerprint(
        params.data_dir
    )  # before loading: a file changed meanwhile is seen next time
    tables = load_tables(params.data_dir)
    (cid,) = check_campaign_ids([campaign_id], campaign_currencies(tables["campaigns"]), params.currency)
    if params.attribution_window_days is not None:
        tables["campaigns"] = tables["campaigns"].assign(
            attribution_window_days=params.attribution_window_days
        )
    row = tables["campaigns"].set_index("campaign_id").loc[cid]
    credited = campaign_attribution(tables, cid)  # the campaign's window, or the report's
    return ReportContext(
        campaign_id=cid,
        data_dir=params.data_dir,
        currency=str(row["currency"]),
        er_basis=params.er_basis,
        tier_preset=params.tier_preset,
        attribution_window_days=campaign_window_days(row),
        window_is_parameter=params.attribution_window_days is not None,
        fingerprint=fingerprint,
        tables=tables,
        figures=campaign_figures(tables, cid, credited),
        memo={"attribution": credited},
    )


# --------------------------------------------------------------------------- figures shared by sections


def kpi_figures(ctx: ReportContext) -> pd.DataFrame:
    """Every KPI of the objective trees (`kpis.KPI_TREE`, values from `kpis.kpi_values`), `in_tree` for the
    campaign's objective; the ER KPI is on the report's basis (key "er", `er_on_basis`).

    Columns: kpi, label, value, kind (display format), unit, formula, inputs (text), target (NaN where the
    campaign sets none; ER only on reach, the basis of its target), reason (why value is undefined),
    in_tree. Costs are the full cost; orders and revenue are attributed with the report's window; iROAS
    comes from the campaign's geo holdout (`kpis.holdout_iroas`), undefined without one.
    """

    def build() -> pd.DataFrame:
        f, cur = ctx.figures, ctx.currency
        t = kpi_spec.campaign_totals(ctx.tables, ctx.campaign_id, credited=_attribution(ctx))
        inc = _incrementality(ctx)
        values = kpi_spec.kpi_values(t) | {
            "er": er_on_basis(ctx.tables, ctx.campaign_id, ctx.er_basis),
            "iroas": kpi_spec.holdout_iroas(ctx.tables, ctx.campaign_id, inc),
        }
        full = f"full cost {fmt(t['full_cost'], 'money', cur)}"
        impressions, engagements = fmt(t["impressions"], "count"), fmt(t["engagements"], "count")
        inputs = {
            "reach": f"{fmt(t['posts'], 'count')} posts",
            "cpm": f"{full}; impressions {impressions}",
            "view_rate": f"video views {fmt(t['video_views'], 'count')}; video impressions "
            f"{fmt(t['video_impressions'], 'count')}",
            "er": f"engagements {engagements}",
            "ctr": f"link clicks {fmt(t['link_clicks'], 'count')}; impressions {impressions}",
            "cpe": f"{full}; engagements {engagements}",
            "cpa": f"{full}; attributed orders {fmt(t['attributed_orders'], 'count')}",
            "roas": f"attributed revenue {fmt(t['attributed_revenue'], 'money', cur)}; {full}",
            "iroas": reason(values["iroas"]) if inc is None else _iroas_inputs(inc.iloc[0], cur),
        }
        rows, tree = [], kpi_spec.KPI_TREE.get(str(f["objective"]), ())
        for k in (k for kpis in kpi_spec.KPI_TREE.values() for k in kpis):
            key, label, formula = _REPORT_KEYS.get(k.key, k.key), k.label, k.formula
            if key == "er":
                label, formula = ctx.er_label, ctx.basis.label()
            target = float(f[k.target]) if k.target and (key != "er" or ctx.er_basis == "reach") else math.nan
            value = values[key]
            row = (key, label, value, k.kind, k.unit_in(cur), formula, inputs[key], reason(value), target)
            rows.append((*row, k in tree))
        columns = [
            "kpi",
            "label",
            "value",
            "kind",
            "unit",
            "formula",
            "inputs",
            "reason",
            "target",
            "in_tree",
        ]
        return pd.DataFrame(rows, columns=columns).astype({"value": "float64"})

    return _once(ctx, "kpis", build)


def _iroas_inputs(inc: pd.Series, currency: str) -> str:
    if pd.isna(inc["iroas"]):
        return str(inc["note"])
    low, high = fmt(inc["iroas_ci_low"], "ratio"), fmt(inc["iroas_ci_high"], "ratio")
    revenue = fmt(inc["incremental_revenue"], "money", currency)
    return f"incremental revenue {revenue} ({inc['experiment_id']}); 95% CI of iROAS {low} to {high}"


def figure_reason(figures: dict[str, float | str], name: str) -> str | None:
    """Why figure `name` is undefined (None when it is a number)."""
    value = figures[name]
    if not isinstance(value, float) or not math.isnan(value):
        return None
    if name in _RATIOS:
        num, den, label = _RATIOS[name]
        return reason(ratio(figures[num], figures[den], label))
    return reason(value)


def kpi_table(figures: dict[str, float | str], staff_cost: float = 0.0) -> pd.DataFrame:
    """One row per KPI with a target: actual, target, attainment = actual / target, met, primary.

    Attainment is undefined (NaN) when the target is 0 or the actual is undefined; `met` is actual >= target
    (None when the actual or the target is undefined). The last row is spend against the budget, like with
    like: the budget excludes staff (data dictionary), so spend = full cost - `staff_cost` (met: spend <=
    budget).
    """
    primary = PRIMARY_KPIS.get(str(figures["objective"]), ())
    rows = []
    for name, target_name, label, kind in KPIS:
        actual, target = float(figures[name]), float(figures[target_name])
        met = None if math.isnan(actual) or math.isnan(target) else bool(actual >= target)
        attainment = ratio(actual, target, f"{label} attainment")
        rows.append((name, label, kind, actual, target, attainment, met, name in primary))
    cost, budget = float(figures["full_cost"]) - staff_cost, float(figures["budget"])
    use = ratio(cost, budget, "budget use")
    within = None if math.isnan(cost) or math.isnan(budget) else bool(cost <= budget)
    rows.append(("full_cost", "Spend without staff vs budget", "money", cost, budget, use, within, False))
    columns = ["kpi", "label", "format", "actual", "target", "attainment", "met", "primary"]
    return pd.DataFrame(rows, columns=columns)


def verdict(ctx: ReportContext) -> CampaignVerdict:
    """`verdicts.campaign_verdict` on this report's figures: label, tone, ranked findings, next step."""

    def build() -> CampaignVerdict:
        f = ctx.figures
        kpis = [
            KpiResult(name, label, float(f[name]), _target(float(f[target])))
            for name, target, label, _ in KPIS
        ]
        inc = _incrementality(ctx)
        evidence = rf.campaign_evidence(
            f,
            kpis,
            _cost_frame(ctx),
            money(ctx),
            creator_table(ctx),
            _disclosure_counts(ctx),
            None if inc is None else inc.iloc[0],
        )
        return campaign_verdict(evidence, RULES)

    return _once(ctx, "verdict", build)


def _target(value: float) -> float:
    """A KPI target; 0 sets no target (any result would meet it), so it reads as not set (NaN)."""
    return math.nan if value == 0 else value


def _number(value: object) -> float | None:
    """A JSON number: NaN becomes null."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def headline(ctx: ReportContext) -> dict[str, Any]:
    """The JSON the runner writes to `<campaign>.metrics.json`; NaN is null, with its reason in `undefined`.

    figures: `summary.campaign_figures`; kpi_tree: the objective's KPIs of `kpi_figures`; incrementality:
    the holdout's naive ROAS, iROAS and lift with their 95% CIs (null without a holdout).
    """
    figures = ctx.figures
    clean = {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in figures.items()}
    undefined = {k: figure_reason(figures, k) for k, v in clean.items() if v is None}
    tree = kpi_figures(ctx)
    kpis = {}
    for r in tree[tree["in_tree"]].itertuples():
        kpis[r.kpi] = {"label": r.label, "value": _number(r.value), "unit": r.unit, "formula": r.formula}
        kpis[r.kpi]["target"] = _number(r.target)
        if isinstance(r.reason, str):
            undefined[f"kpi_tree.{r.kpi}"] = r.reason
    inc, holdout = _incrementality(ctx), None
    if inc is not None:
        first = inc.iloc[0]
        keys = ["naive_roas", "iroas", "iroas_ci_low", "iroas_ci_high", "lift", "lift_ci_low", "lift_ci_high"]
        keys += ["incremental_conversions", "incremental_revenue"]
        holdout = {"experiment_id": str(first["experiment_id"])} | {k: _number(first[k]) for k in keys}
    v = verdict(ctx)
    m = money(ctx)
    return {
        "campaign_id": ctx.campaign_id,
        "figures": clean,
        "kpi_tree": {"objective": str(figures["objective"]), "kpis": kpis},
        "incrementality": holdout,
        "undefined": undefined,
        "verdict": {
            "label": v.label,
            "tone": v.tone,
            "text": v.text,
            "findings": [{"rule": x.rule, "text": x.text} for x in v.findings],
            "next_step": v.next_step,
        },
        "profit": {k: _number(m[k]) for k in ("margin", "profit", "margin_roi", "new_customer_share", "aov")},
        "parameters": {
            "currency": ctx.currency,
            "er_basis": ctx.er_basis,
            "er_definition": ctx.basis.label(),
            "tier_preset": ctx.tier_preset,
            "attribution_window_days": ctx.attribution_window_days,
        },
    }


def record_metrics(ctx: ReportContext) -> None:
    """Emit the headline figures as a JSON output the runner reads (frontends show a one-line note)."""
    from IPython.display import display

    figures = headline(ctx)
    note = f"headline figures of {ctx.campaign_id!r} recorded for playbook report"
    display({METRICS_MIMETYPE: figures, "text/plain": note}, raw=True)


# --------------------------------------------------------------------------- display helpers
def _shown(frame: pd.DataFrame, columns: list[tuple[str, str, str]], currency: str = "") -> pd.DataFrame:
    """A display copy of `frame`: [(header, column, kind)]; kind: a `fmt` kind, "handle" or "text".

    Amounts (money, price) carry the currency once, in their header, not in every cell."""

    def cell(value: object, kind: str) -> str:
        if kind == "text":
            return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        return f"@{value}" if kind == "handle" else fmt(value, kind)  # type: ignore[arg-type]

    def header(h: str, kind: str) -> str:
        return f"{h} ({currency})" if currency and kind in ("money", "price") else h

    return pd.DataFrame({header(h, kind): [cell(v, kind) for v in frame[c]] for h, c, kind in columns})


def _note(text: str) -> Html:
    return Html(f'<p class="muted">{esc(text)}</p>')


def _undefined_notes(frame: pd.DataFrame, columns: dict[str, str]) -> list[Html]:
    """One muted line listing why values are undefined: "ER by views of @x: views is 0 (...)"."""
    notes = [
        f"{name} of @{who}: {why}"
        for column, name in columns.items()
        for who, why in frame.loc[frame[column].isna(), ["handle", f"{column}_reason"]].itertuples(
            index=False
        )
        if isinstance(why, str)
    ]
    return [_note("Not measurable: " + "; ".join(notes) + ".")] if notes else []


def _lead(ctx: ReportContext, v: CampaignVerdict) -> Html:
    f = ctx.figures
    return Html(
        f'<p class="lead"><strong>{esc(f["name"])}</strong> '
        f'<span class="muted">({esc(ctx.campaign_id)})</span>'
        f"<br>Objective: {esc(f['objective'])} &middot; {esc(f['start'])} to {esc(f['end'])} &middot; "
        f"{fmt(f['creators'], 'count')} creators, {fmt(f['posts'], 'count')} posts &middot; amounts in "
        f'{esc(ctx.currency)}</p><p class="verdict {esc(v.tone)}"><strong>Verdict: '
        f"{esc(v.label)}.</strong> {esc(v.text)}.</p>"
    )


def _card(label: str, value: str, detail: str = "") -> str:
    """One headline card (escaped here)."""
    more = f'<div class="detail">{esc(detail)}</div>' if detail else ""
    head = f'<div class="label">{esc(label)}</div><div class="value">{esc(value)}</div>'
    return f'<div class="card">{head}{more}</div>'


def headline_cards(ctx: ReportContext) -> list[tuple[str, str, str]]:
    """(label, value, detail) of the summary's cards: spend, primary results against target, ROAS with
    break-even, margin ROI, iROAS with its interval where there is a test."""
    f, cur, m = ctx.figures, ctx.currency, money(ctx)
    spend = kpi_table(f, _staff_cost(ctx)).iloc[-1]
    budget = (
        "no budget in the data"
        if math.isnan(spend["target"])
        else f"{fmt(spend['attainment'], 'rate')} of the {fmt(spend['target'], 'money', cur)} budget "
        "(spend without staff)"
    )
    cards = [("Full cost", fmt(float(f["full_cost"]), "money", cur), budget)]
    table = kpi_table(f).set_index("kpi")
    for kpi in PRIMARY_KPIS.get(str(f["objective"]), ()):
        r = table.loc[kpi]
        target = _target(float(r["target"]))
        detail = "no target set" if math.isnan(target) else f"target {fmt(target, r['format'], cur)}"
        if not math.isnan(target) and r["met"] is not None:
            detail += f" ({fmt(r['attainment'], 'rate')}: {'met' if r['met'] else 'missed'})"
        cards.append((str(r["label"]), fmt(r["actual"], r["format"], cur), detail))
    roas_value = float(f["roas"])
    even = f"break-even {RULES.break_even_roas:g}: " + (
        "not measurable"
        if math.isnan(roas_value)
        else "lost money"
        if roas_value < RULES.break_even_roas
        else "covered the cost"
    )
    if "roas" in PRIMARY_KPIS.get(str(f["objective"]), ()):
        label, value, detail = cards.pop()
        cards.append((label, value, f"{detail}; {even}"))
    else:
        cards.append(("ROAS (full cost)", fmt(roas_value, "ratio"), even))
    roi = m["margin_roi"]
    cards.append(
        (
            "Margin ROI",
            fmt(roi, "rate"),
            f"profit {fmt(m['profit'], 'money', cur)}; break-even {RULES.break_even_margin_roi:.0%}",
        )
    )
    inc = _incrementality(ctx)
    if inc is not None:
        r = inc.iloc[0]
        low, high = fmt(r["iroas_ci_low"], "ratio"), fmt(r["iroas_ci_high"], "ratio")
        significant = is_significant(float(r["iroas_ci_low"]), float(r["iroas_ci_high"]))
        word = {
            None: "no interval",
            True: "statistically significant",
            False: "not statistically significant",
        }
        cards.append(
            (
                "iROAS (holdout)",
                fmt(r["iroas"], "ratio"),
                f"95% interval {low} to {high}; {word[significant]}",
            )
        )
    return cards


def executive_summary(ctx: ReportContext) -> list[object]:
    """Verdict, headline cards, the most important findings and the next step; then results against
    targets and spend."""
    f, cur = ctx.figures, ctx.currency
    v = verdict(ctx)
    table = kpi_table(f, _staff_cost(ctx))
    status = {True: "met", False: "missed", None: NOT_AVAILABLE}
    rows = [
        (
            esc(r.label) + (" <em>(primary)</em>" if r.primary else ""),
            *(esc(fmt(x, r.format)) for x in (r.actual, r.target)),
            esc(fmt(r.attainment, "rate")),
            status[r.met] if not math.isnan(r.target) else "no target",
        )
        for r in table.itertuples()
    ]
    # Ratios the data cannot give (their inputs, when absent, are named by `figures.missing_inputs`).
    missing = [why for k in _RATIOS if (why := figure_reason(f, k)) is not None]
    cards = "".join(_card(*c) for c in headline_cards(ctx))
    absent = rf.missing_inputs(ctx.tables, ctx.campaign_id)
    top = v.top(RULES)
    findings_html = (
        "<ol>" + "".join(f"<li>{esc(x.text)}</li>" for x in top) + "</ol>"
        if top
        else '<p class="muted">No rule of the appendix raised a finding.</p>'
    )
    cost = _cost_frame(ctx).copy()
    cost["component"] = cost["component"].str.replace("_", " ")
    ctx.define("Full cost")
    ctx.define("Actual / target, verdict")
    return [
        _lead(ctx, v),
        Html(f'<div class="cards">{cards}</div>'),
        Html(f"<h3>Most important findings</h3>{findings_html}"),
        Html(f'<p class="next"><strong>Recommended next step:</strong> {esc(v.next_step)}</p>'),
        *([bullets([m.sentence() for m in absent], "missing")] if absent else []),
        Html(f"<h3>Results against targets ({esc(cur)})</h3>"),
        html_table(("KPI", "actual", "target", "actual / target", "status"), rows, numeric=(1, 2, 3)),
        *([_note("Not measurable: " + "; ".join(missing) + ".")] if missing else []),
        Html("<h3>Spend</h3>"),
        _shown(
            cost,
            [
                ("cost component", "component", "text"),
                ("amount", "amount", "money"),
                ("share", "share", "rate"),
            ],
            cur,
        ),
    ]


def kpi_tree(ctx: ReportContext) -> list[object]:
    """The objective's KPI tree: each KPI with its value, formula, inputs and target; the other KPIs below."""
    tree, cur = kpi_figures(ctx), ctx.currency
    nodes = []
    for r in tree[tree["in_tree"]].itertuples():
        target = "" if math.isnan(r.target) else f" &middot; target {esc(fmt(r.target, r.kind, cur))}"
        why = f" ({esc(r.reason)})" if isinstance(r.reason, str) else ""
        nodes.append(
            f"<li><strong>{esc(r.label)}</strong>: {esc(fmt(r.value, r.kind, cur))}{why}{target}"
            f'<ul><li class="muted">{esc(r.formula)}</li><li>{esc(r.inputs)}</li></ul></li>'
        )
    objective = esc(str(ctx.figures["objective"]).capitalize())
    out: list[object] = [
        Html(f'<ul class="tree"><li><strong>{objective}</strong><ul>{"".join(nodes)}</ul></li></ul>')
    ]
    if ctx.er_basis != "reach":
        target = fmt(float(ctx.figures["target_engagement_rate"]), "rate")
        out.append(
            _note(f"The campaign's ER target ({target}) is set on reach: not compared with {ctx.er_label}.")
        )
    others = tree[~tree["in_tree"]].assign(
        shown=[fmt(r.value, r.kind, cur) for r in tree[~tree["in_tree"]].itertuples()]
    )
    for r in tree.itertuples():
        ctx.define(r.label, f"{r.formula} ({r.unit})", _source(_KPI_SOURCES.get(r.kpi, "")))
    columns = [
        ("KPI", "label", "text"),
        ("value", "shown", "text"),
        ("unit", "unit", "text"),
        ("formula", "formula", "text"),
    ]
    return [*out, Html("<h3>Other KPIs</h3>"), _shown(others, columns)]


def creator_scorecards(ctx: ReportContext) -> list[object]:
    """Per creator: cost, results, delivery and the re-book / renegotiate / drop call with its reasons."""
    from playbook.viz.charts import creator_scorecard

    creators = creator_table(ctx)
    if creators.empty:
        return [_note("No creator is contracted for this campaign.")]
    creators = creators.sort_values("health_score", ascending=False, na_position="last", kind="stable")
    table = _shown(
        creators,
        [
            ("creator", "handle", "handle"),
            ("platform", "platform", "text"),
            (f"tier ({ctx.tier_preset})", "tier", "text"),
            ("creator cost", "creator_cost", "money"),
            ("posts", "posts", "count"),
            ("reach", "reach", "count"),
            (ctx.er_label, "er", "rate"),
            ("CPE", "cpe", "price"),
            ("orders", "orders", "count"),
            ("revenue", "revenue", "money"),
            ("ROAS", "roas", "ratio"),
            ("on-time posts", "on_time_posting_rate", "rate"),
            ("health", "health_score", "count"),
            ("call", "call", "text"),
        ],
        ctx.currency,
    )
    scored = {
        ctx.er_label: "er",
        f"CPE ({ctx.currency})": "cpe",
        "ROAS": "roas",
        "on-time posts": "on_time_posting_rate",
    }
    kinds = {
        "er": "rate",
        "cpe": "price",
        "roas": "ratio",
        "on_time_posting_rate": "rate",
        "health_score": "count",
    }
    long = pd.concat(
        pd.DataFrame(
            {
                "creator": "@" + creators["handle"],
                "metric": name,
                "value": creators[column],
                "label": [fmt(v, kinds[column]) for v in creators[column]],
            }
        )
        for name, column in {**scored, "health": "health_score"}.items()
    ).assign(higher_is_better=lambda d: ~d["metric"].str.startswith("CPE"))
    counts = creators["call"].value_counts()
    calls = "; ".join(f"{call}: {int(counts.get(call, 0))}" for call in _CALLS)
    for bid in sorted({b for ids in creators["er_benchmark_ids"].dropna() for b in str(ids).split("|") if b}):
        ctx.cite(bid)
    ctx.cite("revision_rounds_model")
    for term in (
        "Creator cost",
        "CPE, ROAS per creator",
        "Call (re-book / renegotiate / drop)",
        "Health score",
    ):
        ctx.define(term)
    reasons_table = [
        ("creator", "handle", "handle"),
        ("call", "call", "text"),
        ("reasons", "call_reasons", "text"),
    ]
    return [
        _note(f"Calls: {calls}. {ctx.er_label}: {ctx.basis.label()}."),
        table,
        *_undefined_notes(creators, {"er": ctx.er_label, "cpe": "CPE", "roas": "ROAS"}),
        creator_scorecard(long.astype({"value": "float64"}), title="Creator scorecard"),
        Html("<h3>Reasons for each call</h3>"),
        _shown(creators, reasons_table),
    ]


def _cpm_bands(ctx: ReportContext, platforms: pd.DataFrame) -> pd.DataFrame:
    """CPM (fees) per platform against the published band of `planning.cpm_band` (same currency only)."""
    rows = []
    for r in platforms.itertuples():
        try:
            (low, typical, high), ids = cpm_band(str(r.platform))
        except KeyError:  # the registry has CPM bands for the course platforms only
            no_band = "no published CPM band for this platform in the benchmark registry"
            rows.append(
                {
                    "platform": r.platform,
                    "CPM (fees)": fmt(r.cpm, "price", ctx.currency),
                    "published band": no_band,
                    "position": "not compared",
                }
            )
            continue
        unit = ctx.cite(ids[0]).unit
        for bid in ids[1:]:
            ctx.cite(bid)
        if not unit.startswith(ctx.currency.lower()):
            where = f"not compared: published in {unit.split('_')[0].upper()}; the data has no exchange rates"
        elif math.isnan(r.cpm):
            where = "undefined"
        else:
            where = "below" if r.cpm < low else "above" if r.cpm > high else "within"
        band = (
            f"{fmt(low, 'price')} to {fmt(high, 'price')} (typical {fmt(typical, 'price')}) {unit_text(unit)}"
        )
        rows.append(
            {
                "platform": r.platform,
                f"CPM (fees, {ctx.currency})": fmt(r.cpm, "price"),
                "published band": band,
                "position": where,
            }
        )
    return pd.DataFrame(rows)


def _group_rows(ctx: ReportContext, frame: pd.DataFrame, by: str, title: str) -> pd.DataFrame:
    columns = [
        (title, by, "text"),
        ("creators", "creators", "count"),
        ("creator cost", "creator_cost", "money"),
        ("reach", "reach", "count"),
        (ctx.er_label, "er", "rate"),
        ("CPM (fees)", "cpm", "price"),
        ("CPE", "cpe", "price"),
        ("orders", "orders", "count"),
        ("ROAS", "roas", "ratio"),
    ]
    return _shown(frame, columns, ctx.currency)


def tiers_and_platforms(ctx: ReportContext) -> list[object]:
    """Creators by tier (the report's preset) and by platform; CPM by platform against published bands."""
    from playbook.viz.charts import tier_comparison

    creators = creator_table(ctx)
    if creators.empty:
        return [_note("No creator is contracted for this campaign.")]
    presets = load_tier_presets()
    preset = presets[presets["preset"] == ctx.tier_preset].sort_values("followers_min")
    bounds = ", ".join(f"{r.tier} from {int(r.followers_min):,}" for r in preset.itertuples())
    source = link(str(preset["source_url"].iloc[0]), str(preset["source_name"].iloc[0]))
    ctx.define(f"Tiers ({ctx.tier_preset})", f"followers of the contract account: {bounds}", source)
    ctx.define("CPM (fees)")
    platforms = group_table(ctx, "platform")
    chart = tier_comparison(
        creators[["tier", "platform", "er"]].dropna(subset=["er"]),
        "er",
        by="platform",
        label=f"{ctx.er_label} (pooled per creator)",
        percent=True,
        title=f"{ctx.er_label} per creator, by tier ({ctx.tier_preset}) and platform",
    )
    return [
        Html(f"<h3>By tier ({esc(ctx.tier_preset)})</h3>"),
        _group_rows(ctx, group_table(ctx, "tier"), "tier", f"tier ({ctx.tier_preset})"),
        Html("<h3>By platform</h3>"),
        _group_rows(ctx, platforms, "platform", "platform"),
        _cpm_bands(ctx, platforms),
        chart,
    ]


def _gantt(ctx: ReportContext, plan: pd.DataFrame) -> pd.DataFrame:
    """One bar pair per deliverable ("@handle · format #n", n-th of the creator's deliverables): production
    (shipping, else draft) to posting, planned and actual."""
    wide = plan.pivot(index="deliverable_id", columns="stage", values=["planned_date", "actual_date"])
    first = [s for s in ("shipped", "draft") if s in set(plan["stage"].astype(str))]
    meta = plan.drop_duplicates("deliverable_id").set_index("deliverable_id").sort_index()
    handle = "@" + meta["creator_id"].map(ctx.tables["creators"].set_index("creator_id")["handle"])
    nth = meta.groupby("creator_id").cumcount().add(1).astype("str")  # short labels: axis labels are clipped
    return pd.DataFrame(
        {
            "item": handle + " · " + meta["format"] + " #" + nth,
            "group": handle,
            "planned_start": wide["planned_date"][first].min(axis=1),
            "planned_end": wide["planned_date"]["posted"],
            "actual_start": wide["actual_date"][first].min(axis=1),
            "actual_end": wide["actual_date"]["posted"],
        }
    ).reset_index(drop=True)


def timeline(ctx: ReportContext) -> list[object]:
    """Planned vs actual dates of each deliverable (`planning.campaign_timeline`) and what made posts late."""
    from playbook.viz.charts import timeline as gantt_chart

    plan = campaign_timeline(ctx.tables, ctx.campaign_id, as_of=_as_of(ctx))
    if plan.empty:
        return [_note("No deliverables are recorded for this campaign.")]
    for bid in ("shipping_lead_days_heepsy", "draft_lead_days_model"):
        ctx.cite(bid)
    ctx.define("Planned dates")
    stages = plan.groupby("stage", observed=True)
    summary = stages["status"].value_counts().unstack(fill_value=0)
    summary = summary.reindex(columns=["on_time", "late", "overdue", "open", "done"], fill_value=0)
    summary["median_days_late"] = stages["days_late"].median()
    summary = summary.rename_axis("stage").reset_index().astype({"stage": "str"})
    status_columns = [
        (c.replace("_", " "), c, "count") for c in ("on_time", "late", "overdue", "open", "done")
    ]
    causes = _late_causes(ctx).copy()
    causes["cause"] = causes["cause"].str.replace("_", " ")
    causes["late_posts_with_it"] = (
        causes["late_with_cause"].astype(str) + " of " + causes["late_posts"].astype(str)
    )
    title = "Deliverables: planned vs actual, production to posting"
    return [
        gantt_chart(_gantt(ctx, plan), as_of=_as_of(ctx), title=title),
        _shown(
            summary,
            [
                ("stage", "stage", "text"),
                *status_columns,
                ("median lateness", "median_days_late", "lateness"),
            ],
        ),
        Html("<h3>What made posts late</h3>"),
        _shown(
            causes,
            [
                ("cause", "cause", "text"),
                ("late posts with it", "late_posts_with_it", "text"),
                ("share of late posts", "share_of_late", "rate"),
                ("share of on-time posts", "share_of_on_time", "rate"),
            ],
        ),
    ]


def outreach_to_payment(ctx: ReportContext) -> list[object]:
    """The funnel from the first message to the last payment, with reply and payment rates."""
    from playbook.viz.charts import funnel

    found = _outreach(ctx)
    row = found.loc[ctx.campaign_id] if ctx.campaign_id in found.index else pd.Series(dtype="float64")
    reply, late = ctx.cite("reply_rate_creator_heepsy"), ctx.cite("late_payment_share_tipalti")
    creators = creator_table(ctx)
    paid_late = ratio(float((creators["late_payments"] > 0).sum()), float(len(creators)), "share paid late")
    rows = [
        (
            "reply rate (replied / contacted)",
            fmt(row.get("reply_rate", math.nan), "rate"),
            f"{fmt(reply.value, 'rate')} of contacted creators reply ({reply.source_name})",
        ),
        ("median days from message to reply", fmt(row.get("days_to_reply", math.nan), "days"), ""),
        ("median days from reply to negotiation", fmt(row.get("days_to_negotiation", math.nan), "days"), ""),
        ("median days from negotiation to agreement", fmt(row.get("days_to_agree", math.nan), "days"), ""),
        (
            "creators we paid late at least once",
            fmt(paid_late, "rate"),
            f"{fmt(late.value, 'rate')} of creators have faced late payments ({late.source_name})",
        ),
    ]
    ctx.define("Funnel stages")
    ctx.define("Paid late")
    return [
        funnel(funnel_stages(ctx), unit="creators", title="Outreach to payment"),
        pd.DataFrame(rows, columns=["measure", "this campaign", "published"]),
    ]


def attribution(ctx: ReportContext) -> list[object]:
    """Orders credited by promo code vs tracking link, reconciliation with reported figures, leaked codes."""
    creators, cur, f = creator_table(ctx), ctx.currency, ctx.figures
    window, published = (
        ctx.cite("attribution_window_days_modash"),
        ctx.cite("conversion_rate_all_lookfluence"),
    )
    where = "set for this report" if ctx.window_is_parameter else "the campaign's own"
    code, link_ = (
        creators[["orders_code", "revenue_code"]].sum(),
        creators[["orders_link", "revenue_link"]].sum(),
    )
    rate = conversion_rate(float(link_["orders_link"]), float(f["link_clicks"]))
    summary = bullets(
        [
            f"Click window: {ctx.attribution_window_days} days ({where}); {window.source_name}: "
            f"{window.definition}.",
            f"By promo code: {fmt(code['orders_code'], 'count')} orders, "
            f"{fmt(code['revenue_code'], 'money', cur)}; by tracking link: "
            f"{fmt(link_['orders_link'], 'count')} orders, {fmt(link_['revenue_link'], 'money', cur)}.",
            f"Conversion rate, click-based (link orders / link clicks): {fmt(link_['orders_link'], 'count')} "
            f"/ {fmt(float(f['link_clicks']), 'count')} = {fmt(rate, 'rate')}; published "
            f"{fmt(published.value, 'rate')} ({published.source_name}, grade {published.grade}). Orders by "
            "promo code have no click and are not in this rate.",
        ]
    )
    per_creator = [
        ("creator", "handle", "handle"),
        ("code orders", "orders_code", "count"),
        ("code revenue", "revenue_code", "money"),
        ("link orders", "orders_link", "count"),
        ("link revenue", "revenue_link", "money"),
        ("orders", "orders", "count"),
        ("revenue", "revenue", "money"),
    ]
    handles = ctx.tables["creators"].set_index("creator_id")["handle"]
    checked = reconcile(ctx.tables, ctx.campaign_id, tracked=_attribution(ctx))
    checked = checked.assign(handle=lambda d: d["creator_id"].map(handles))
    sources = [
        ("creator", "handle", "handle"),
        ("platform", "platform_revenue", "money"),
        ("screenshot", "screenshot_revenue", "money"),
        ("tracked", "tracked_revenue", "money"),
        ("store", "store_revenue", "money"),
        ("note", "note", "text"),
    ]
    every_code = _per_data(ctx, "leaks", lambda: detect_leaked_codes(ctx.tables))
    leaks = every_code[every_code["campaign_id"] == ctx.campaign_id].assign(
        handle=lambda d: d["creator_id"].map(handles)
    )
    suspected = leaks[leaks["suspected_leak"]]
    for bid in ("code_leak_hours_bebuzz", "content_tail_weeks_influencers_time"):
        ctx.cite(bid)
    rule = (
        "the creator's promo code wins; otherwise a tracked click at most "
        f"{ctx.attribution_window_days} days before the order (last touch); site-wide codes credit no one"
    )
    ctx.define("Attributed orders", rule, _source("roas"))
    ctx.define("Conversion rate (click-based)")
    ctx.define("Leak score")
    leak_text = (
        f"{len(suspected)} of {len(leaks)} creator codes look leaked to coupon sites."
        if len(suspected)
        else f"No creator code looks leaked ({len(leaks)} checked)."
    )
    leak_rows = [
        ("code", "code", "text"),
        ("creator", "handle", "handle"),
        ("code orders", "code_orders", "count"),
        ("leak score", "leak_score", "ratio"),
        ("reasons", "reasons", "text"),
    ]
    return [
        summary,
        _shown(creators.sort_values("revenue", ascending=False), per_creator, cur),
        Html("<h3>Reconciliation: reported vs tracked revenue</h3>"),
        _shown(checked, sources, cur),
        Html("<h3>Leaked codes</h3>"),
        _note(leak_text),
        *([_shown(suspected, leak_rows)] if len(suspected) else []),
    ]


def incrementality(ctx: ReportContext) -> list[object]:
    """Naive attributed ROAS next to iROAS from the campaign's geo holdout, or why there is none."""
    inc = _incrementality(ctx)
    share, days = ctx.cite("holdout_share_influencers_time"), ctx.cite("holdout_min_days_influencers_time")
    geos = ctx.cite("geo_count_per_arm_girardmedia")
    design = (
        f"a geo holdout keeping {fmt(share.low, 'rate')} to {fmt(share.high, 'rate')} of the audience as "
        f"control for at least {days.value:g} days, with {geos.value:g} or more geos per arm"
    )
    ctx.define("Lift, iROAS")
    if inc is None:
        naive = esc(fmt(kpi_figures(ctx).set_index("kpi").loc["roas", "value"], "ratio"))
        return [
            Html(
                '<p class="note"><strong>No holdout for this campaign</strong>: incremental sales and iROAS '
                f"cannot be measured, and the naive attributed ROAS ({naive}) may credit sales that would "
                f"have happened anyway. To measure them next time, run {esc(design)}.</p>"
            )
        ]
    experiments = ctx.tables["experiments"].set_index("experiment_id")
    shown = inc.assign(
        iroas_ci=[
            f"{fmt(lo, 'ratio')} to {fmt(hi, 'ratio')}"
            for lo, hi in zip(inc["iroas_ci_low"], inc["iroas_ci_high"], strict=True)
        ],
        lift_ci=[
            f"{fmt(lo, 'rate')} to {fmt(hi, 'rate')}"
            for lo, hi in zip(inc["lift_ci_low"], inc["lift_ci_high"], strict=True)
        ],
    )
    columns = [
        ("experiment", "experiment_id", "text"),
        ("naive ROAS", "naive_roas", "ratio"),
        ("iROAS", "iroas", "ratio"),
        ("iROAS 95% CI", "iroas_ci", "text"),
        ("lift", "lift", "rate"),
        ("lift 95% CI", "lift_ci", "text"),
        ("incremental orders", "incremental_conversions", "count"),
        ("incremental revenue", "incremental_revenue", "money"),
    ]
    checks = []
    for r in inc.itertuples():
        e = experiments.loc[r.experiment_id]
        test_days = int((e["end_date"] - e["start_date"]).days) + 1
        control = round(int(e["n_geos"]) * float(e["holdout_share"]))
        checks.append(
            f"{r.experiment_id}: {fmt(float(e['holdout_share']), 'rate')} of {int(e['n_geos'])} geos held "
            f"out ({control} control geos), {test_days} test days; reference design: {design}. {r.note}."
        )
    return [_shown(shown, columns, ctx.currency), bullets(checks)]


def disclosure_compliance(ctx: ReportContext) -> list[object]:
    """Disclosure status of every sponsored post (`compliance.check_captions`) against the published share."""
    posts = campaign_posts(ctx)
    sponsored = posts[posts["sponsored"]]
    if sponsored.empty:
        return [_note("No sponsored post to check.")]
    captioned = sponsored["caption"].fillna("").astype("str").str.strip() != ""
    if not captioned.any():
        return _missing(rf.Missing("the captions of the sponsored posts", "posts.caption"))
    if not captioned.all():
        sponsored = sponsored[captioned]
    s = compliance_summary(sponsored, by=None).iloc[0]
    published = ctx.cite("disclosure_full_compliance_imh_2020")
    ctx.cite("caption_visible_chars_instagram")
    ctx.define("Disclosure status")
    shares = bullets(
        [
            f"{fmt(s['share_compliant'], 'rate')} of {int(s['sponsored_posts'])} sponsored posts compliant; "
            f"published: {fmt(published.value, 'rate')} of sampled posts fully compliant "
            f"({published.source_name}).",
            f"Late {fmt(s['share_late'], 'rate')}, weak {fmt(s['share_weak'], 'rate')}, missing "
            f"{fmt(s['share_missing'], 'rate')}; risky {fmt(s['share_risky'], 'rate')}, to review "
            f"{fmt(s['share_review'], 'rate')} (FTC rules).",
        ]
    )
    checked = check_captions(sponsored).join(sponsored[["handle"]])
    problems = checked[checked["status"] != "compliant"]
    columns = [
        ("creator", "handle", "handle"),
        ("post", "post_id", "text"),
        ("status", "status", "text"),
        ("why", "reasons", "text"),
    ]
    return [
        shares,
        _shown(problems, columns) if len(problems) else _note("Every sponsored post is disclosed in time."),
    ]


def _missing(found: rf.Missing) -> list[object]:
    """The one line a section shows instead of itself when the data cannot support it."""
    return [_note(found.sentence())]


def top_and_bottom_posts(ctx: ReportContext, n: int = 3) -> list[object]:
    """The `n` posts with the most and the fewest engagements: caption excerpt and figures."""
    found = rf.post_ranking(campaign_posts(ctx), n)
    if isinstance(found, rf.Missing):
        return _missing(found)
    columns = [
        ("post", "post_id", "text"),
        ("creator", "handle", "handle"),
        ("format", "format", "text"),
        ("posted", "posted", "text"),
        ("caption", "caption", "text"),
        ("engagements", "engagements", "count"),
        ("reach", "reach", "count"),
        ("link clicks", "link_clicks", "count"),
    ]
    top, bottom = found
    return [
        Html(f"<h3>Top {len(top)} by engagements</h3>"),
        _shown(top, columns),
        Html(f"<h3>Bottom {len(bottom)}</h3>"),
        _shown(bottom, columns) if len(bottom) else _note("No other post."),
        _note(rf.Missing("links to the posts", "a post URL column in posts.csv").sentence()),
    ]


def audience(ctx: ReportContext) -> list[object]:
    """Share of the reached audience in the campaign's target country and age band."""
    c = ctx.tables["campaigns"].set_index("campaign_id").loc[ctx.campaign_id]
    found = rf.audience_vs_target(
        ctx.tables["audience"], campaign_posts(ctx), c.get("target_country"), c.get("target_age")
    )
    if isinstance(found, rf.Missing):
        return _missing(found)
    shown = found.assign(
        covered=[
            f"{a:,.0f} of {t:,.0f}" for a, t in zip(found["accounts"], found["accounts_total"], strict=True)
        ]
    )
    return [
        _shown(
            shown,
            [
                ("dimension", "dimension", "text"),
                ("target", "target", "text"),
                ("share of reach in the target", "share", "rate"),
                ("accounts with audience data", "covered", "text"),
            ],
        ),
        _note(
            "Reach-weighted: each post's reach times its account's audience share in the target, over the "
            "reach of posts whose account has audience data (audience.csv, as the platform reports it)."
        ),
        _note(
            "Audience credibility (real followers, reach-weighted over the posts' accounts): "
            f"{fmt(rf.audience_credibility(ctx.tables['accounts'], campaign_posts(ctx)), 'rate')}."
        ),
    ]


def performance_over_time(ctx: ReportContext) -> list[object]:
    """Cumulative views, engagements and attributed orders by day."""
    from playbook.viz.charts import cumulative_lines

    found = rf.daily_performance(ctx.tables, ctx.campaign_id, campaign_posts(ctx))
    if isinstance(found, rf.Missing):
        return _missing(found)
    return [
        cumulative_lines(found, title="Cumulative results by day"),
        _note(
            "Views and engagements are dated on the posting day (the data has post totals, not daily post "
            "figures); orders on the order day."
        ),
    ]


def profit_and_customers(ctx: ReportContext) -> list[object]:
    """Margin, profit, margin ROI, new-customer share and average order value of the attributed orders."""
    m, cur = money(ctx), ctx.currency
    rows = [
        ("attributed orders", fmt(m["orders"], "count")),
        (f"attributed revenue ({cur})", fmt(m["revenue"], "money")),
        (f"margin of those orders ({cur})", fmt(m["margin"], "money")),
        (f"profit = margin - full cost ({cur})", fmt(m["profit"], "money")),
        ("margin ROI = profit / full cost", fmt(m["margin_roi"], "rate")),
        ("new-customer share of orders", fmt(m["new_customer_share"], "rate")),
        (f"average order value ({cur})", fmt(m["aov"], "price")),
    ]
    why = list(dict.fromkeys(r for v in m.values() if (r := reason(v)) and "no reason recorded" not in r))
    ctx.define("Margin ROI", "(margin of attributed orders - full cost) / full cost", _source("roas"))
    return [
        html_table(("measure", "value"), ((esc(a), esc(b)) for a, b in rows), numeric=(1,)),
        *([_note("Not measurable: " + "; ".join(why) + ".")] if why else []),
    ]


def earlier_campaigns(ctx: ReportContext) -> list[object]:
    """This campaign next to the same brand's earlier campaigns in the data."""
    found = rf.earlier_campaigns(ctx.tables, ctx.campaign_id)
    if isinstance(found, rf.Missing):
        return _missing(found)
    groups = []
    for cur, part in found.groupby("currency", sort=False):
        groups.append(Html(f"<h3>Amounts in {esc(cur)}</h3>"))
        groups.append(
            _shown(
                part,
                [
                    ("campaign", "campaign_id", "text"),
                    ("name", "name", "text"),
                    ("objective", "objective", "text"),
                    ("start", "start", "text"),
                    ("full cost", "full_cost", "money"),
                    ("reach (summed)", "reach", "count"),
                    ("orders", "attributed_orders", "count"),
                    ("CPA", "cpa", "price"),
                    ("ROAS", "roas", "ratio"),
                ],
                str(cur),
            )
        )
    return groups


def emv(ctx: ReportContext) -> list[object]:
    """Impression EMV per platform as a relative index (never money, never in ROI)."""
    found = rf.emv_index(campaign_posts(ctx))
    if isinstance(found, rf.Missing):
        return _missing(found)
    ctx.cite(f"cpm_{found['platform'].iloc[0]}_wordontheblock_2023")
    for p_ in found["platform"].iloc[1:]:
        ctx.cite(f"cpm_{p_}_wordontheblock_2023")
    return [
        _note(rf.EMV_LABEL + "."),
        _shown(
            found,
            [
                ("platform", "platform", "text"),
                ("impressions", "impressions", "count"),
                ("benchmark CPM (USD per 1,000)", "cpm", "price"),
                ("EMV index points", "emv", "count"),
                ("share", "share", "rate"),
            ],
        ),
    ]


def comment_quality(ctx: ReportContext) -> list[object]:
    """Comments on the campaign's posts by kind: specific, generic, emoji, pod."""
    found = rf.comment_quality(ctx.tables["comments"], campaign_posts(ctx)["post_id"])
    if isinstance(found, rf.Missing):
        return _missing(found)
    return [
        _shown(
            found,
            [("kind", "kind", "text"), ("comments", "comments", "count"), ("share", "share", "rate")],
        ),
        _note(
            "specific: about the content or product; generic: could sit under any post; emoji: emoji only; "
            "pod: from engagement-pod accounts (data dictionary, comments.kind)."
        ),
    ]


def paid_vs_organic(ctx: ReportContext) -> list[object]:
    """Paid against organic results of amplified posts, where the data splits them."""
    c = ctx.tables["campaigns"].set_index("campaign_id").loc[ctx.campaign_id]
    found = rf.paid_vs_organic(campaign_posts(ctx), float(c["paid_amplification"]))
    if isinstance(found, rf.Missing):
        return _missing(found)
    return [
        _shown(
            found,
            [
                ("post", "post_id", "text"),
                ("paid impressions", "paid_impressions", "count"),
                ("organic impressions", "organic_impressions", "count"),
            ],
        )
    ]


def _extremes(frame: pd.DataFrame, column: str, label: str, kind: str, currency: str, ascending: bool) -> str:
    """ "<label>: best @a (x), worst @b (y)." over the creators where `column` is defined."""
    ranked = frame.dropna(subset=[column]).sort_values(column, ascending=ascending, kind="stable")
    if len(ranked) < 2:
        return f"{label}: fewer than two creators with a defined value, so no comparison."
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    return (
        f"{label}: best @{best['handle']} ({fmt(best[column], kind, currency)}), "
        f"worst @{worst['handle']} ({fmt(worst[column], kind, currency)})."
    )


def findings(ctx: ReportContext) -> list[str]:
    """What worked and what did not, as sentences computed from the figures of the other sections."""
    cur, out = ctx.currency, []
    table = kpi_table(ctx.figures, _staff_cost(ctx))
    kpis, spend = table.iloc[:-1], table.iloc[-1]
    for status, word in ((True, "Targets met"), (False, "Targets missed")):
        hit = kpis[kpis["met"].eq(status) & kpis["target"].gt(0)]
        shown = [f"{r.label} at {fmt(r.attainment, 'rate')} of target" for r in hit.itertuples()]
        if shown:
            out.append(f"{word}: " + "; ".join(shown) + ".")
    if spend["met"] is not None:
        within = "within budget" if spend["met"] else "over budget"
        out.append(f"Spend without staff: {fmt(spend['attainment'], 'rate')} of the budget, {within}.")
    creators = creator_table(ctx)
    out.append(_extremes(creators, "cpe", "CPE (creator cost / engagements)", "price", cur, True))
    out.append(_extremes(creators, "roas", "Attributed ROAS (revenue / creator cost)", "ratio", cur, False))
    formats = (
        _er_by(ctx, campaign_posts(ctx), "format").dropna(subset=["er"]).sort_values("er", ascending=False)
    )
    if len(formats) >= 2:
        shown = [
            f"{name} ({fmt(r['er'], 'rate')}, {int(r['n_posts'])} post{'s' * (r['n_posts'] != 1)})"
            for name, r in formats.iterrows()
        ]
        out.append(f"Best format by {ctx.er_label}: {shown[0]}; weakest: {shown[-1]}.")
    causes = _late_causes(ctx).set_index("cause")
    late = int(causes["late_posts"].iloc[0]) if len(causes) else 0
    if late:
        known = causes.drop(index="no_recorded_cause")
        top = (known["share_of_late"] - known["share_of_on_time"].fillna(0)).idxmax()
        out.append(
            f"{late} posts went up late; the cause most typical of them is {top.replace('_', ' ')} "
            f"({fmt(known.loc[top, 'share_of_late'], 'rate')} of late posts, "
            f"{fmt(known.loc[top, 'share_of_on_time'], 'rate')} of on-time ones)."
        )
    elif _scoped(ctx)["deliverables"]["posted_date"].notna().any():
        out.append("Every posted deliverable went up on time.")
    counts = creators["call"].value_counts()
    out.append("Calls: " + ", ".join(f"{call} {int(counts.get(call, 0))}" for call in _CALLS) + ".")
    inc = _incrementality(ctx)
    if inc is not None:
        out.append(f"Incrementality: {inc['note'].iloc[0]}.")
    return out


def what_worked(ctx: ReportContext) -> list[object]:
    """Computed findings: KPIs met and missed, best and worst creators, best format, causes of lateness."""
    return [bullets(findings(ctx))]


def _published(low: float, typical: float, high: float) -> str:
    """A registry figure as published: "5 to 15 (typical 10)", "from 28", "up to 3" or "0.56"."""

    def num(value: float) -> str:
        return f"{value:,.4g}"

    if pd.isna(low) and pd.isna(high):
        return num(typical)
    span = f"{num(low)} to {num(high)}" if not (pd.isna(low) or pd.isna(high)) else ""
    span = span or (f"from {num(low)}" if pd.isna(high) else f"up to {num(high)}")
    return span if pd.isna(typical) else f"{span} (typical {num(typical)})"


def appendix(ctx: ReportContext) -> list[object]:
    """Every definition this report used and every benchmark it cited, with sources; the parameters."""
    ctx.define(ctx.er_label, ctx.basis.label(), _source("er"))
    definitions = html_table(
        ("figure", "definition", "source"),
        ((esc(term), esc(text), source) for term, (text, source) in ctx.defined.items()),
    )
    rows = [
        (
            esc(bid),
            esc(r.figure),
            esc(_published(r.low, r.typical, r.high)),
            esc(unit_text(r.unit)),
            link(str(r.url), str(r.source)) if isinstance(r.url, str) else esc(r.source),
            esc("" if pd.isna(r.year) else int(r.year)),
            esc(r.grade),
        )
        for bid, r in zip(ctx.cited, benchmark_table(list(ctx.cited)).itertuples(), strict=True)
    ]
    params = (
        ("campaign_id", ctx.campaign_id),
        ("currency", ctx.currency),
        ("er_basis", f"{ctx.er_basis}: {ctx.basis.label()}"),
        ("tier_preset", ctx.tier_preset),
        ("attribution_window_days", ctx.attribution_window_days),
    )
    rules = html_table(
        ("rule", "what it says (thresholds used)", "source"),
        ((esc(r), esc(what), esc(src)) for r, what, src in rules_text(RULES)),
    )
    return [
        definitions,
        Html("<h3>Rules behind the verdict, findings and calls</h3>"),
        rules,
        Html("<h3>Benchmarks cited in this report</h3>"),
        html_table(("benchmark id", "figure", "range", "unit", "source", "year", "grade"), rows),
        Html("<h3>Parameters</h3>"),
        html_table(("parameter", "value"), ((esc(k), esc(v)) for k, v in params)),
    ]
