"""The report's opening: executive summary (verdict, headline cards, findings, next step, results against
targets, spend), the KPI tree, and what worked and what did not."""

from __future__ import annotations

import math

import pandas as pd

from playbook.analytics.relationships import DECISIONS
from playbook.analytics.verdicts import PRIMARY_KPIS, RULES, CampaignVerdict, covers_cost, is_significant
from playbook.reports import figures as rf
from playbook.reports.context import ReportContext, source_link
from playbook.reports.figures.headline import (
    KPI_SOURCES,
    RATIOS,
    figure_reason,
    kpi_figures,
    kpi_table,
    kpi_target,
    verdict,
)
from playbook.reports.figures.report import (
    campaign_posts,
    cost_frame,
    creator_table,
    er_by,
    holdout_results,
    late_causes,
    money,
    scoped_tables,
    spend_in_budget,
)
from playbook.reports.html import NOT_AVAILABLE, Html, bullets, esc, fmt, html_table
from playbook.reports.sections.display import card, note, shown_frame

__all__ = ["executive_summary", "findings", "headline_cards", "kpi_tree", "what_worked"]


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


def headline_cards(ctx: ReportContext) -> list[tuple[str, str, str]]:
    """(label, value, detail) of the summary's cards: spend, primary results against target, ROAS with
    break-even, margin ROI, iROAS with its interval where there is a test."""
    f, cur, m = ctx.figures, ctx.currency, money(ctx)
    spend = kpi_table(f, spend_in_budget(ctx)).iloc[-1]
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
        target = kpi_target(float(r["target"]))
        detail = "no target set" if math.isnan(target) else f"target {fmt(target, r['format'], cur)}"
        if not math.isnan(target) and r["met"] is not None:
            detail += f" ({fmt(r['attainment'], 'rate')}: {'met' if r['met'] else 'missed'})"
        cards.append((str(r["label"]), fmt(r["actual"], r["format"], cur), detail))
    roas_value = float(f["roas"])
    covered = covers_cost(roas_value, RULES)
    even = (
        f"break-even {RULES.break_even_roas:g}: "
        + {
            None: "not measurable",
            False: "lost money",
            True: "covered the cost",
        }[covered]
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
    inc = holdout_results(ctx)
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
    table = kpi_table(f, spend_in_budget(ctx))
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
    missing = [why for k in RATIOS if (why := figure_reason(f, k)) is not None]
    cards = "".join(card(*c) for c in headline_cards(ctx))
    absent = rf.missing_inputs(ctx.tables, ctx.campaign_id)
    top = v.top(RULES)
    findings_html = (
        "<ol>" + "".join(f"<li>{esc(x.text)}</li>" for x in top) + "</ol>"
        if top
        else '<p class="muted">No rule of the appendix raised a finding.</p>'
    )
    cost = cost_frame(ctx).copy()
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
        *([note("Not measurable: " + "; ".join(missing) + ".")] if missing else []),
        Html("<h3>Spend</h3>"),
        shown_frame(
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
            note(f"The campaign's ER target ({target}) is set on reach: not compared with {ctx.er_label}.")
        )
    others = tree[~tree["in_tree"]].assign(
        shown=[fmt(r.value, r.kind, cur) for r in tree[~tree["in_tree"]].itertuples()]
    )
    for r in tree.itertuples():
        ctx.define(r.label, f"{r.formula} ({r.unit})", source_link(KPI_SOURCES.get(r.kpi, "")))
    columns = [
        ("KPI", "label", "text"),
        ("value", "shown", "text"),
        ("unit", "unit", "text"),
        ("formula", "formula", "text"),
    ]
    return [*out, Html("<h3>Other KPIs</h3>"), shown_frame(others, columns)]


def _extremes(frame: pd.DataFrame, column: str, label: str, kind: str, currency: str, ascending: bool) -> str:
    """ "<label>: best @a (x), worst @b (y)." over the creators where `column` is defined."""
    found = rf.best_and_worst(frame, column, ascending)
    if found is None:
        return f"{label}: fewer than two creators with a defined value, so no comparison."
    best, worst = found
    return (
        f"{label}: best @{best['handle']} ({fmt(best[column], kind, currency)}), "
        f"worst @{worst['handle']} ({fmt(worst[column], kind, currency)})."
    )


def findings(ctx: ReportContext) -> list[str]:
    """What worked and what did not, as sentences computed from the figures of the other sections."""
    cur, out = ctx.currency, []
    table = kpi_table(ctx.figures, spend_in_budget(ctx))
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
        er_by(ctx, campaign_posts(ctx), "format").dropna(subset=["er"]).sort_values("er", ascending=False)
    )
    if len(formats) >= 2:
        shown = [
            f"{name} ({fmt(r['er'], 'rate')}, {int(r['n_posts'])} post{'s' * (r['n_posts'] != 1)})"
            for name, r in formats.iterrows()
        ]
        out.append(f"Best format by {ctx.er_label}: {shown[0]}; weakest: {shown[-1]}.")
    top = rf.typical_late_cause(late_causes(ctx))
    if top is not None:
        out.append(
            f"{int(top['late_posts'])} posts went up late; the cause most typical of them is "
            f"{str(top['cause']).replace('_', ' ')} ({fmt(top['share_of_late'], 'rate')} of late posts, "
            f"{fmt(top['share_of_on_time'], 'rate')} of on-time ones)."
        )
    elif scoped_tables(ctx)["deliverables"]["posted_date"].notna().any():
        out.append("Every posted deliverable went up on time.")
    counts = creators["call"].value_counts()
    out.append("Calls: " + ", ".join(f"{call} {int(counts.get(call, 0))}" for call in DECISIONS) + ".")
    inc = holdout_results(ctx)
    if inc is not None:
        out.append(f"Incrementality: {inc['note'].iloc[0]}.")
    return out


def what_worked(ctx: ReportContext) -> list[object]:
    """Computed findings: KPIs met and missed, best and worst creators, best format, causes of lateness."""
    return [bullets(findings(ctx))]
