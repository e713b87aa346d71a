"""Course apps for module 06 (relationships and negotiation): fair-rate calculator, multi-issue negotiation,
contract-clause checklist, relationship health.

The apps arrange and display; the numbers come from `analytics.pricing` (the fee model, the fair range and
why it is as wide as it is), `analytics.negotiation` (the issues, their prices, the creator model, the
clause checklist) and `analytics.relationships` (health and team metrics).

One module per app the notebook shows: `fair_rate` (the fair-rate calculator and its chart), `deal` (the
multi-issue negotiation), `clauses` (the contract-clause checklist), `health` (relationship health and the
team operations chart). Import the names from here.
"""

from __future__ import annotations

from playbook.course.apps.negotiation.clauses import ClauseChecklistApp
from playbook.course.apps.negotiation.deal import NegotiationApp
from playbook.course.apps.negotiation.fair_rate import FairRateApp, fair_rate_chart
from playbook.course.apps.negotiation.health import HealthApp, health_chart, team_ops_chart

__all__ = [
    "ClauseChecklistApp",
    "FairRateApp",
    "HealthApp",
    "NegotiationApp",
    "fair_rate_chart",
    "health_chart",
    "team_ops_chart",
]
