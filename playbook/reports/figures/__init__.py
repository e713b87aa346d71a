"""Figures of the campaign report as plain data (dicts and frames), testable without display.

`tables`: figures computed from the tables alone (no report: a test calls them on a hand-made dataset);
`report`: the figures of one report, kept in its context's memo so the sections share one computation;
`headline`: the KPI figures, the verdict and the headline JSON. `playbook.reports.sections` renders them.
This package re-exports the names callers use (`from playbook.reports import figures as rf`).
"""

from __future__ import annotations

from playbook.reports.figures.evidence import campaign_evidence, money_figures
from playbook.reports.figures.report import campaign_posts, creator_table, funnel_stages, group_table, money
from playbook.reports.figures.tables import (
    CAPTION_EXCERPT,
    EMV_LABEL,
    Missing,
    audience_credibility,
    audience_vs_target,
    best_and_worst,
    comment_quality,
    cpm_positions,
    daily_performance,
    disclosure_check,
    earlier_campaigns,
    emv_index,
    er_on_basis,
    gantt_rows,
    holdout_designs,
    missing_inputs,
    paid_vs_organic,
    post_ranking,
    stage_status,
    typical_late_cause,
)

__all__ = [
    "CAPTION_EXCERPT",
    "EMV_LABEL",
    "Missing",
    "audience_credibility",
    "audience_vs_target",
    "best_and_worst",
    "campaign_evidence",
    "campaign_posts",
    "comment_quality",
    "cpm_positions",
    "creator_table",
    "daily_performance",
    "disclosure_check",
    "earlier_campaigns",
    "emv_index",
    "er_on_basis",
    "funnel_stages",
    "gantt_rows",
    "group_table",
    "holdout_designs",
    "missing_inputs",
    "money",
    "money_figures",
    "paid_vs_organic",
    "post_ranking",
    "stage_status",
    "typical_late_cause",
]
