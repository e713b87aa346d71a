"""Delivery: planned against actual dates of each deliverable, and the funnel from outreach to payment."""

from __future__ import annotations

import math

import pandas as pd

from playbook.analytics.planning import campaign_timeline
from playbook.reports import figures as rf
from playbook.reports.context import ReportContext
from playbook.reports.figures.report import (
    as_of,
    funnel_stages,
    late_causes,
    outreach_by_campaign,
    paid_late_share,
)
from playbook.reports.html import Html, fmt
from playbook.reports.sections.display import note, shown_frame

__all__ = ["outreach_to_payment", "timeline"]


def timeline(ctx: ReportContext) -> list[object]:
    """Planned vs actual dates of each deliverable (`planning.campaign_timeline`) and what made posts late."""
    from playbook.viz.charts import timeline as gantt_chart

    plan = campaign_timeline(ctx.tables, ctx.campaign_id, as_of=as_of(ctx))
    if plan.empty:
        return [note("No deliverables are recorded for this campaign.")]
    for bid in ("shipping_lead_days_heepsy", "draft_lead_days_model"):
        ctx.cite(bid)
    ctx.define("Planned dates")
    summary = rf.stage_status(plan)
    status_columns = [
        (c.replace("_", " "), c, "count") for c in ("on_time", "late", "overdue", "open", "done")
    ]
    causes = late_causes(ctx).copy()
    causes["cause"] = causes["cause"].str.replace("_", " ")
    causes["late_posts_with_it"] = (
        causes["late_with_cause"].astype(str) + " of " + causes["late_posts"].astype(str)
    )
    title = "Deliverables: planned vs actual, production to posting"
    return [
        gantt_chart(rf.gantt_rows(plan, ctx.tables["creators"]), as_of=as_of(ctx), title=title),
        shown_frame(
            summary,
            [
                ("stage", "stage", "text"),
                *status_columns,
                ("median lateness", "median_days_late", "lateness"),
            ],
        ),
        Html("<h3>What made posts late</h3>"),
        shown_frame(
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

    found = outreach_by_campaign(ctx)
    row = found.loc[ctx.campaign_id] if ctx.campaign_id in found.index else pd.Series(dtype="float64")
    reply, late = ctx.cite("reply_rate_creator_heepsy"), ctx.cite("late_payment_share_tipalti")
    paid_late = paid_late_share(ctx)
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
