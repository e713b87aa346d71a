"""Creators: scorecards with the re-book / renegotiate / drop call, tiers and platforms, CPM against the
published bands."""

from __future__ import annotations

import pandas as pd

from playbook.analytics.relationships import DECISIONS
from playbook.data.registry import load_tier_presets
from playbook.reports import figures as rf
from playbook.reports.context import ReportContext
from playbook.reports.figures.report import (
    creator_table,
    group_table,
)
from playbook.reports.html import Html, esc, fmt, link, unit_text
from playbook.reports.sections.display import note, shown_frame, undefined_notes

__all__ = ["creator_scorecards", "tiers_and_platforms"]


def creator_scorecards(ctx: ReportContext) -> list[object]:
    """Per creator: cost, results, delivery and the re-book / renegotiate / drop call with its reasons."""
    from playbook.viz.charts import creator_scorecard

    creators = creator_table(ctx)
    if creators.empty:
        return [note("No creator is contracted for this campaign.")]
    creators = creators.sort_values("health_score", ascending=False, na_position="last", kind="stable")
    table = shown_frame(
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
    calls = "; ".join(f"{call}: {int(counts.get(call, 0))}" for call in DECISIONS)
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
        note(f"Calls: {calls}. {ctx.er_label}: {ctx.basis.label()}."),
        table,
        *undefined_notes(creators, {"er": ctx.er_label, "cpe": "CPE", "roas": "ROAS"}),
        creator_scorecard(long.astype({"value": "float64"}), title="Creator scorecard"),
        Html("<h3>Reasons for each call</h3>"),
        shown_frame(creators, reasons_table),
    ]


def _cpm_bands(ctx: ReportContext, platforms: pd.DataFrame) -> pd.DataFrame:
    """CPM (fees) per platform against the published band of `planning.cpm_band` (same currency only)."""
    rows = []
    for r in rf.cpm_positions(platforms, ctx.currency).itertuples():
        if r.position == "no band":  # the registry has CPM bands for the course platforms only
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
        for bid in r.ids:
            ctx.cite(bid)
        where = r.position
        if where == "other currency":
            where = (
                f"not compared: published in {r.unit.split('_')[0].upper()}; the data has no exchange rates"
            )
        band = (
            f"{fmt(r.low, 'price')} to {fmt(r.high, 'price')} (typical {fmt(r.typical, 'price')}) "
            f"{unit_text(r.unit)}"
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
    return shown_frame(frame, columns, ctx.currency)


def tiers_and_platforms(ctx: ReportContext) -> list[object]:
    """Creators by tier (the report's preset) and by platform; CPM by platform against published bands."""
    from playbook.viz.charts import tier_comparison

    creators = creator_table(ctx)
    if creators.empty:
        return [note("No creator is contracted for this campaign.")]
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
