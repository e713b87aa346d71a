"""Course apps for module 05 (outreach and communication): funnel by group, volume planner, brief builder,
disclosure checker.

One module per app the notebook shows: `funnel` (funnel by group with confidence intervals), `planner`
(outreach volume), `brief` (the creative brief rendered, its content from `analytics.briefs`, and its
builder), `disclosure` (disclosure checker and the per-campaign status chart). Import the names from here.

Each app is an object holding its widgets (`.widget`, shown when the app is the last expression of a cell)
and its computed result as attributes (`.result`, `.chart`, `.summary`), so tests drive it without a browser:
set `.value` on a control, call `.click()` on a button, read the attributes.

    app = FunnelByGroupApp(tables)
    app.by.value = "incentive"
    app.result          # one row per incentive: messages, replies, reply rate and its confidence interval
"""

from __future__ import annotations

from playbook.analytics.briefs import brand_handle
from playbook.course.apps.outreach.brief import Brief, BriefBuilderApp, creative_brief
from playbook.course.apps.outreach.disclosure import DisclosureApp, compliance_chart
from playbook.course.apps.outreach.funnel import FunnelByGroupApp, group_rate_chart
from playbook.course.apps.outreach.planner import OutreachPlannerApp
from playbook.course.base import WidgetApp
from playbook.course.base import show as render

__all__ = [
    "Brief",
    "BriefBuilderApp",
    "DisclosureApp",
    "FunnelByGroupApp",
    "OutreachPlannerApp",
    "WidgetApp",
    "brand_handle",
    "compliance_chart",
    "creative_brief",
    "group_rate_chart",
    "render",
]
