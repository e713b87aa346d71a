"""Campaign execution (module 07): each deliverable's span from shipping to posting, on-time rates per stage,
how long approvals and payments take, and how late the team pays under each payment term.

Dates come from `planning.campaign_timeline` and `relationships.deliverable_status`; published figures
from the registry with source and year. Undefined rates are NaN with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from playbook.analytics.relationships import deliverable_status
from playbook.analytics.undefined import ratio, reasons
from playbook.data.registry import benchmark, cite

__all__ = [
    "CYCLE_STEPS",
    "LATE_PAYMENT_ID",
    "cycle_times",
    "deliverable_spans",
    "payment_punctuality",
    "payment_terms_table",
    "stage_summary",
]

CYCLE_STEPS: tuple[tuple[str, str, str], ...] = (
    ("shipping to draft", "product_shipped_date", "draft_submitted_date"),
    ("draft to approval", "draft_submitted_date", "approved_date"),
    ("approval to posting", "approved_date", "posted_date"),
    ("posting to invoice", "posted_date", "invoiced_date"),
    ("invoice to payment", "invoiced_date", "paid_date"),
)
"""Steps of a deliverable's life: (name, start column, end column) of `relationships.deliverable_status`."""
LATE_PAYMENT_ID = "late_payment_share_tipalti"
_STAGES = ["shipped", "draft", "approved", "posted", "invoiced", "paid"]  # of planning.campaign_timeline
_BEFORE_POSTING = _STAGES[:4]


def deliverable_spans(timeline: pd.DataFrame, handles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per deliverable from `planning.campaign_timeline`, shaped for `charts.timeline`.

    planned_start / actual_start: the earliest planned / actual date among shipping, draft and approval;
    planned_end: the due date (planned posting); actual_end: the posting date (missing while unposted).
    item = deliverable id and creator (@handle when ``handles`` maps creator ids to handles); group = format.
    """
    t = timeline[timeline["stage"].isin(_BEFORE_POSTING)]
    g = t.groupby("deliverable_id", observed=True)
    posted = t[t["stage"] == "posted"].set_index("deliverable_id")
    spans = pd.DataFrame(
        {
            "planned_start": g["planned_date"].min(),
            "actual_start": g["actual_date"].min(),
            "planned_end": posted["planned_date"],
            "actual_end": posted["actual_date"],
            "creator_id": posted["creator_id"],
            "group": posted["format"],
        }
    ).reset_index()
    who = spans["creator_id"].map(lambda c: f"@{handles[c]}" if handles and c in handles else c)
    spans["item"] = spans["deliverable_id"] + " " + who
    return spans


def stage_summary(timeline: pd.DataFrame) -> pd.DataFrame:
    """Per stage of `planning.campaign_timeline`: deliverables with a plan and a date (measured), on time,
    late, overdue and open counts, on_time_rate = on time / measured, and the median days late of late
    ones. Every stage gets a row (zeros when no deliverable reached it); stages without a contractual date
    (invoiced) have no on-time rate."""
    stages = pd.Categorical(timeline["stage"], categories=_STAGES, ordered=True)
    counts = timeline.groupby([stages, timeline["status"]], observed=False).size().unstack(fill_value=0)
    counts = counts.reindex(
        index=_STAGES, columns=["on_time", "late", "overdue", "open", "done"], fill_value=0
    )
    out = counts.rename(columns={"done": "done_no_plan"})
    out["measured"] = out["on_time"] + out["late"]
    out["on_time_rate"] = ratio(out["on_time"], out["measured"], "on-time rate")
    late = timeline[timeline["status"] == "late"]
    out["median_days_late"] = late.groupby(late["stage"].astype(str))["days_late"].median()
    return out.rename_axis(index="stage", columns=None).reset_index()


def cycle_times(tables: Mapping[str, pd.DataFrame], by: str | None = None) -> pd.DataFrame:
    """Days each step of `CYCLE_STEPS` takes per deliverable: count, median and 90th percentile.

    Days = end date - start date, for deliverables that have both dates. ``by``: None or a column of
    `relationships.deliverable_status` (e.g. "campaign_id"). The draft-to-approval step is the team's
    approval cycle; invoice-to-payment is how fast the team pays.
    """
    d = deliverable_status(tables)
    keys = [by] if by else []
    parts = []
    for step, start, end in CYCLE_STEPS:
        days = (d[end] - d[start]).dt.total_seconds() / 86_400
        part = d[keys].assign(step=step, days=days).dropna(subset=["days"])
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    g = long.groupby([*keys, "step"], sort=False)["days"]
    out = g.agg(deliverables="size", median_days="median", p90_days=lambda s: s.quantile(0.9))
    return out.reset_index()


def payment_punctuality(
    tables: Mapping[str, pd.DataFrame], as_of: pd.Timestamp | str | None = None
) -> pd.DataFrame:
    """Late payment on two bases, beside Tipalti's published share of creators who faced late payment.

    invoices: late = paid after invoiced + terms, or unpaid past that date (overdue); share = late / invoices
    due. creators: share of creators with at least one late invoice, the basis of
    ``late_payment_share_tipalti`` (creators' experience with all brands: a reference point, not a target).
    Columns: basis, due, late, share_late, published_share, source, reason (why share_late is undefined).
    """
    d = deliverable_status(tables, as_of)
    due = d[d["payment_status"].isin(["on_time", "late", "overdue"])]
    late = due["payment_status"].isin(["late", "overdue"])
    per_creator = late.groupby(due["creator_id"]).any()
    b = benchmark(LATE_PAYMENT_ID)
    rows = [
        ("invoices", len(due), int(late.sum()), np.nan, ""),
        ("creators", len(per_creator), int(per_creator.sum()), b.value, cite(LATE_PAYMENT_ID)),
    ]
    out = pd.DataFrame(rows, columns=["basis", "due", "late", "published_share", "source"])
    share = ratio(out["late"].astype(float), out["due"].astype(float), "late share")
    out.insert(3, "share_late", share)
    out["reason"] = reasons(share)
    return out


def payment_terms_table(
    tables: Mapping[str, pd.DataFrame], as_of: pd.Timestamp | str | None = None
) -> pd.DataFrame:
    """Per Net-N payment term: invoices due, share paid late, median days from invoice to payment, and the
    share of ALL paid invoices that would have been late had every contract been on this term (days from
    invoice to payment > N): how much of the lateness is the term we chose rather than our payment speed.
    reason says why late_if_all_on_term is undefined (no paid invoice), else None."""
    d = deliverable_status(tables, as_of)
    due = d[d["payment_status"].isin(["on_time", "late", "overdue"])].copy()
    due["late"] = due["payment_status"].isin(["late", "overdue"])
    due["days_to_pay"] = (due["paid_date"] - due["invoiced_date"]).dt.total_seconds() / 86_400
    g = due.groupby("payment_terms_days")
    out = pd.DataFrame(
        {
            "invoices_due": g.size(),
            "late": g["late"].sum().astype("int64"),
            "median_days_to_pay": g["days_to_pay"].median(),
        }
    )
    out["share_late"] = ratio(out["late"].astype(float), out["invoices_due"].astype(float), "late share")
    paid = due["days_to_pay"].dropna()
    late_if = pd.Series([float((paid > n).sum()) for n in out.index], index=out.index)
    out["late_if_all_on_term"] = ratio(late_if, float(len(paid)), "late share if all on this term")
    out["reason"] = reasons(out["late_if_all_on_term"])
    return out.rename_axis("payment_terms_days").reset_index()
