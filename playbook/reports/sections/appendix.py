"""The appendix: every definition the report used and every benchmark it cited, with sources; the rules
behind the verdict; the parameters."""

from __future__ import annotations

import pandas as pd

from playbook.analytics.verdicts import RULES, rules_text
from playbook.data.registry import benchmark, benchmark_table, typical_word
from playbook.data.units import published_text
from playbook.reports.context import ReportContext, source_link
from playbook.reports.html import Html, esc, html_table, link

__all__ = ["appendix"]


def appendix(ctx: ReportContext) -> list[object]:
    """Every definition this report used and every benchmark it cited, with sources; the parameters."""
    ctx.define(ctx.er_label, ctx.basis.label(), source_link("er"))
    definitions = html_table(
        ("figure", "definition", "source"),
        ((esc(term), esc(text), source) for term, (text, source) in ctx.defined.items()),
    )
    rows = [
        (
            esc(bid),
            esc(r.figure),
            esc(published_text(r.low, r.typical, r.high, str(r.unit), typical_word(benchmark(bid)))),
            link(str(r.url), str(r.source)) if isinstance(r.url, str) else esc(r.source),
            esc("undated" if pd.isna(r.year) else int(r.year)),
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
        html_table(("benchmark id", "figure", "published value", "source", "year", "grade"), rows),
        Html("<h3>Parameters</h3>"),
        html_table(("parameter", "value"), ((esc(k), esc(v)) for k, v in params)),
    ]
