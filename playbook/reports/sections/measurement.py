"""Measurement: attribution, incrementality, profit and customers, earlier campaigns, EMV, paid against
organic and performance over time."""

from __future__ import annotations

from playbook.analytics.undefined import reason
from playbook.reports import figures as rf
from playbook.reports.context import ReportContext, source_link
from playbook.reports.figures.headline import (
    kpi_figures,
)
from playbook.reports.figures.report import (
    attribution_totals,
    campaign_posts,
    creator_table,
    holdout_results,
    leaked_codes,
    money,
    reconciliation,
)
from playbook.reports.html import Html, bullets, esc, fmt, html_table
from playbook.reports.sections.display import missing_note, note, shown_frame

__all__ = [
    "attribution",
    "earlier_campaigns",
    "emv",
    "incrementality",
    "paid_vs_organic",
    "performance_over_time",
    "profit_and_customers",
]


def attribution(ctx: ReportContext) -> list[object]:
    """Orders credited by promo code vs tracking link, reconciliation with reported figures, leaked codes."""
    creators, cur, totals = creator_table(ctx), ctx.currency, attribution_totals(ctx)
    window, published = (
        ctx.cite("attribution_window_days_modash"),
        ctx.cite("conversion_rate_all_lookfluence"),
    )
    where = "set for this report" if ctx.window_is_parameter else "the campaign's own"
    summary = bullets(
        [
            f"Click window: {ctx.attribution_window_days} days ({where}); {window.source_name}: "
            f"{window.definition}.",
            f"By promo code: {fmt(totals['orders_code'], 'count')} orders, "
            f"{fmt(totals['revenue_code'], 'money', cur)}; by tracking link: "
            f"{fmt(totals['orders_link'], 'count')} orders, {fmt(totals['revenue_link'], 'money', cur)}.",
            "Conversion rate, click-based (link orders / link clicks): "
            f"{fmt(totals['orders_link'], 'count')} / {fmt(totals['link_clicks'], 'count')} = "
            f"{fmt(totals['conversion_rate'], 'rate')}; published "
            f"{fmt(published.value, 'rate')} ({published.source_name}, grade {published.grade}). Orders by "
            "promo code have no click and are not in this rate.",
            f"Nothing from before the campaign started ({ctx.figures['start']}): "
            f"{fmt(totals['before_start'], 'count')} orders with its codes or links from earlier are not "
            "credited (a code or link is live from the campaign's start).",
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
    checked = reconciliation(ctx)
    sources = [
        ("creator", "handle", "handle"),
        ("platform", "platform_revenue", "money"),
        ("screenshot", "screenshot_revenue", "money"),
        ("tracked", "tracked_revenue", "money"),
        ("store", "store_revenue", "money"),
        ("note", "note", "text"),
    ]
    leaks = leaked_codes(ctx)
    suspected = leaks[leaks["suspected_leak"]]
    for bid in ("code_leak_hours_bebuzz", "content_tail_weeks_influencers_time"):
        ctx.cite(bid)
    rule = (
        "the creator's promo code wins; otherwise a tracked click at most "
        f"{ctx.attribution_window_days} days before the order (last touch); site-wide codes credit no one"
    )
    ctx.define("Attributed orders", rule, source_link("roas"))
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
        shown_frame(creators.sort_values("revenue", ascending=False), per_creator, cur),
        Html("<h3>Reconciliation: reported vs tracked revenue</h3>"),
        shown_frame(checked, sources, cur),
        Html("<h3>Leaked codes</h3>"),
        note(leak_text),
        *([shown_frame(suspected, leak_rows)] if len(suspected) else []),
    ]


def incrementality(ctx: ReportContext) -> list[object]:
    """Naive attributed ROAS next to iROAS from the campaign's geo holdout, or why there is none."""
    inc = holdout_results(ctx)
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
    checks = [
        f"{r.experiment_id}: {fmt(r.holdout_share, 'rate')} of {r.n_geos} geos held out ({r.control_geos} "
        f"control geos), {r.test_days} test days; reference design: {design}. {r.note}."
        for r in rf.holdout_designs(inc, ctx.tables["experiments"]).itertuples()
    ]
    return [shown_frame(shown, columns, ctx.currency), bullets(checks)]


def performance_over_time(ctx: ReportContext) -> list[object]:
    """Cumulative views, engagements and attributed orders by day."""
    from playbook.viz.charts import cumulative_lines

    found = rf.daily_performance(
        ctx.tables, ctx.campaign_id, campaign_posts(ctx), ctx.memo.get("credited_orders")
    )
    if isinstance(found, rf.Missing):
        return missing_note(found)
    return [
        cumulative_lines(found, title="Cumulative results by day"),
        note(
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
    ctx.define("Margin ROI", "(margin of attributed orders - full cost) / full cost", source_link("roas"))
    return [
        html_table(("measure", "value"), ((esc(a), esc(b)) for a, b in rows), numeric=(1,)),
        *([note("Not measurable: " + "; ".join(why) + ".")] if why else []),
    ]


def earlier_campaigns(ctx: ReportContext) -> list[object]:
    """This campaign next to the same brand's earlier campaigns in the data."""
    found = rf.earlier_campaigns(ctx.tables, ctx.campaign_id)
    if isinstance(found, rf.Missing):
        return missing_note(found)
    groups = []
    for cur, part in found.groupby("currency", sort=False):
        groups.append(Html(f"<h3>Amounts in {esc(cur)}</h3>"))
        groups.append(
            shown_frame(
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
        return missing_note(found)
    ctx.cite(f"cpm_{found['platform'].iloc[0]}_wordontheblock_2023")
    for p_ in found["platform"].iloc[1:]:
        ctx.cite(f"cpm_{p_}_wordontheblock_2023")
    return [
        note(rf.EMV_LABEL + "."),
        shown_frame(
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


def paid_vs_organic(ctx: ReportContext) -> list[object]:
    """Paid against organic results of amplified posts, where the data splits them."""
    c = ctx.tables["campaigns"].set_index("campaign_id").loc[ctx.campaign_id]
    found = rf.paid_vs_organic(campaign_posts(ctx), float(c["paid_amplification"]))
    if isinstance(found, rf.Missing):
        return missing_note(found)
    return [
        shown_frame(
            found,
            [
                ("post", "post_id", "text"),
                ("paid impressions", "paid_impressions", "count"),
                ("organic impressions", "organic_impressions", "count"),
            ],
        )
    ]
