"""The report's KPI figures, its verdict and the headline JSON the runner records, as plain data.

`kpi_figures`: every KPI of the objective trees (`analytics.kpis`) on the report's ER basis; `kpi_table`:
actual against target per KPI and spend against budget; `verdict`: `analytics.verdicts.campaign_verdict`
on the report's evidence; `headline`: what `<campaign>.metrics.json` holds (NaN as null, with its reason).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from playbook.analytics import kpis as kpi_spec
from playbook.analytics.undefined import ratio, reason
from playbook.analytics.verdicts import PRIMARY_KPIS, RULES, CampaignVerdict, KpiResult, campaign_verdict
from playbook.reports.context import ReportContext
from playbook.reports.figures.evidence import campaign_evidence
from playbook.reports.figures.report import (
    creator_table,
    credited_by_creator,
    disclosure_counts,
    holdout_results,
    money,
    once,
    spend_in_budget,
)
from playbook.reports.figures.tables import er_on_basis
from playbook.reports.html import fmt

__all__ = [
    "KPIS",
    "KPI_SOURCES",
    "RATIOS",
    "figure_reason",
    "headline",
    "kpi_figures",
    "kpi_table",
    "kpi_target",
    "verdict",
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
# Reference page (key of SOURCES) of each KPI's definition; "" = none beyond the formula.
KPI_SOURCES = {"cpm": "cpm", "er": "er", "cpe": "cpe", "cpa": "cpa", "roas": "roas", "iroas": "lift"}
# Why a NaN figure of campaign_figures is undefined: (numerator, denominator, name) of its ratio.
RATIOS = {
    "er_by_reach": ("engagements", "reach", "ER by reach"),
    "roas": ("attributed_revenue", "full_cost", "ROAS"),
}
# Reference pages of the definitions (definitions, not figures: figures come from the benchmark registry).


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
        t = kpi_spec.campaign_totals(ctx.tables, ctx.campaign_id, credited=credited_by_creator(ctx))
        inc = holdout_results(ctx)
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

    return once(ctx, "kpis", build)


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
    if name in RATIOS:
        num, den, label = RATIOS[name]
        return reason(ratio(figures[num], figures[den], label))
    return reason(value)


def kpi_table(figures: dict[str, float | str], spend_in_budget: float | None = None) -> pd.DataFrame:
    """One row per KPI with a target: actual, target, attainment = actual / target, met, primary.

    Attainment is undefined (NaN) when the target is 0 or the actual is undefined; `met` is actual >= target
    (None when the actual or the target is undefined). The last row is spend against the budget, like with
    like: the budget excludes staff (data dictionary), so spend = `spend_in_budget` (full cost without
    staff; the full cost when not given; met: spend <= budget).
    """
    primary = PRIMARY_KPIS.get(str(figures["objective"]), ())
    rows = []
    for name, target_name, label, kind in KPIS:
        actual, target = float(figures[name]), float(figures[target_name])
        met = None if math.isnan(actual) or math.isnan(target) else bool(actual >= target)
        attainment = ratio(actual, target, f"{label} attainment")
        rows.append((name, label, kind, actual, target, attainment, met, name in primary))
    cost = float(figures["full_cost"]) if spend_in_budget is None else float(spend_in_budget)
    budget = float(figures["budget"])
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
            KpiResult(name, label, float(f[name]), kpi_target(float(f[target])))
            for name, target, label, _ in KPIS
        ]
        inc = holdout_results(ctx)
        evidence = campaign_evidence(
            f,
            kpis,
            spend_in_budget(ctx),
            money(ctx),
            creator_table(ctx),
            disclosure_counts(ctx),
            None if inc is None else inc.iloc[0],
        )
        return campaign_verdict(evidence, RULES)

    return once(ctx, "verdict", build)


def kpi_target(value: float) -> float:
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
    inc, holdout = holdout_results(ctx), None
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
