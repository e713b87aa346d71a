"""Figures of the campaign report as plain data (dicts and frames), testable without display.

`tables`: figures computed from the tables alone (no report: a test calls them on a hand-made dataset);
`report`: the figures of one report, kept in its context's memo so the sections share one computation;
`headline`: the KPI figures, the verdict and the headline JSON. `playbook.reports.sections` renders them.
This package re-exports the names callers use (`from playbook.reports import figures as rf`).
"""

from __future__ import annotations

from playbook.reports.figures.report import campaign_posts, creator_table, funnel_stages, group_table, money
from playbook.reports.figures.tables import (
    CAPTION_EXCERPT,
    EMV_LABEL,
    Missing,
    audience_credibility,
    audience_vs_target,
    campaign_evidence,
    comment_quality,
    daily_performance,
    earlier_campaigns,
    emv_index,
    er_on_basis,
    missing_inputs,
    money_figures,
    paid_vs_organic,
    post_ranking,
)

__all__ = [
    "CAPTION_EXCERPT",
    "EMV_LABEL",
    "Missing",
    "audience_credibility",
    "audience_vs_target",
    "campaign_evidence",
    "campaign_posts",
    "comment_quality",
    "creator_table",
    "daily_performance",
    "earlier_campaigns",
    "emv_index",
    "er_on_basis",
    "funnel_stages",
    "group_table",
    "missing_inputs",
    "money",
    "money_figures",
    "paid_vs_organic",
    "post_ranking",
]
