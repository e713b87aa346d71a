"""Sections of the campaign report notebook (`playbook/resources/campaign_report.ipynb`).

One function per section, `section(ctx) -> list` of display objects (`reports.html.Html` built from escaped
values, DataFrames rendered escaped, altair charts rendered to SVG offline); a notebook cell shows one with
`show(section(ctx))` and the last cell records the headline figures with `record_metrics(ctx)` for the
runner's `<campaign>.metrics.json`. The notebook imports this package only (`sections as rs`); the sections
live by seam:

- `summary`: executive summary, headline cards, KPI tree, what worked and what did not;
- `creators`: creator scorecards, tiers and platforms, CPM against published bands;
- `delivery`: timeline (planned vs actual), outreach to payment;
- `measurement`: attribution, incrementality, profit and customers, earlier campaigns, EMV, paid vs organic,
  performance over time;
- `content`: disclosure compliance, top and bottom posts, audience, comment quality;
- `appendix`: definitions, rules, cited benchmarks and parameters;
- `display`: the helpers they share (display copies of frames, notes, cards, `record_metrics`);
- `startup`: `warm_up`, the kernel start-up the runner asks for (imports the charts, loads the data).

The context (`reports.context`: parameters, tables, headline figures, what the report cites and defines) is
built once per report; every number comes from `reports.figures` (plain data: `tables`, `report`,
`headline`), which calls the analytics library. Judgements (the verdict, the findings, the next step, the
creator calls) come from `analytics.verdicts`. Sections record in the context the benchmark ids they cite
and the definitions they use, so the appendix, shown last, lists exactly what this report used.

Cost bases: campaign KPIs divide the full cost (`metrics.campaign_cost`: fees, product, shipping, agency
fees, paid amplification, staff hours); per-creator and per-group figures divide the creator cost (fee +
product + shipping of the creator's contract), the part of the cost a creator can be held to; CPM by tier
and platform divides creator fees, the basis of the published CPMs. Every ER uses the report's basis
(`er_basis`, pooled: sum of engagements / sum of the denominator) and says so; only the KPI target row
shows ER by reach, the basis the campaign's target is set on.
"""

from __future__ import annotations

from playbook.reports.context import ReportContext, build_context
from playbook.reports.figures.headline import figure_reason, headline, kpi_figures, kpi_table, verdict
from playbook.reports.figures.report import campaign_posts, creator_table, funnel_stages, group_table
from playbook.reports.figures.tables import er_on_basis
from playbook.reports.html import show
from playbook.reports.params import WARM_UP_ENV
from playbook.reports.sections.appendix import appendix
from playbook.reports.sections.content import (
    audience,
    comment_quality,
    disclosure_compliance,
    top_and_bottom_posts,
)
from playbook.reports.sections.creators import creator_scorecards, tiers_and_platforms
from playbook.reports.sections.delivery import outreach_to_payment, timeline
from playbook.reports.sections.display import record_metrics
from playbook.reports.sections.measurement import (
    attribution,
    earlier_campaigns,
    emv,
    incrementality,
    paid_vs_organic,
    performance_over_time,
    profit_and_customers,
)
from playbook.reports.sections.startup import warm_up, warm_up_from_env
from playbook.reports.sections.summary import executive_summary, findings, kpi_tree, what_worked

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
