"""Module 13, the capstone: plan a campaign, shortlist creators, compare the plan with the closest sample
campaign, render its report, and write a one-page team playbook.

One module per step: `plan_app` (1: the brief and its budget), `shortlist_app` (2: vetting rules
and outreach), `review` (3 and 4: plan against the closest campaign, report headlines), `playbook_page`
(5: the one-page playbook and its builder). The numbers and rules come from `analytics.campaign_plan`
(re-exported here with the apps, so a notebook imports everything from `playbook.course.apps.capstone`).
Plans are in USD, because the published CPMs behind the forecast are in USD; sample campaigns are in their
own currency.

Apps hold their widgets (`.widget`), their controls as attributes and their results (`.result`, `.summary`,
`.chart`, `.document_html`), so tests set `.value` on a control, click a button and assert on the results
without a browser.
"""

from __future__ import annotations

from playbook.analytics.campaign_plan import (
    ACTIVITIES,
    PLATFORMS,
    CampaignPlan,
    PlaybookChoices,
    closest_campaign,
    plan_budget,
    plan_vs_actual,
    playbook_warnings,
    rising_topics,
    shortlist,
)
from playbook.course.apps.capstone.plan_app import DEFAULT_BUDGET, PlanApp, allocation_chart
from playbook.course.apps.capstone.playbook_page import (
    REPORT_DIR,
    PlaybookBuilder,
    plan_figures,
    render_playbook,
    save_text_atomically,
)
from playbook.course.apps.capstone.review import comparison_chart, report_headlines
from playbook.course.apps.capstone.shortlist_app import DEFAULT_TARGET_CREATORS, ShortlistApp

__all__ = [
    "ACTIVITIES",
    "DEFAULT_BUDGET",
    "DEFAULT_TARGET_CREATORS",
    "PLATFORMS",
    "REPORT_DIR",
    "CampaignPlan",
    "PlanApp",
    "PlaybookBuilder",
    "PlaybookChoices",
    "ShortlistApp",
    "allocation_chart",
    "closest_campaign",
    "comparison_chart",
    "plan_budget",
    "plan_figures",
    "plan_vs_actual",
    "playbook_warnings",
    "render_playbook",
    "report_headlines",
    "rising_topics",
    "save_text_atomically",
    "shortlist",
]
