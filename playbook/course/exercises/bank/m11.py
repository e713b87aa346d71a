"""Exercise 11: new customers, CAC next to CPA, and CPM on the right basis."""

from __future__ import annotations

from playbook.analytics.attribution import campaign_attribution
from playbook.analytics.kpis import campaign_kpis
from playbook.analytics.metrics import campaign_cost
from playbook.course.exercises.bank._common import memo
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables

CAMPAIGN = "CP000004"
AWARENESS = "CP000001"


def _credited(t: Tables):
    return memo("attribution_" + CAMPAIGN, t, lambda tables: campaign_attribution(tables, CAMPAIGN))


def _kpi(t: Tables, campaign: str, column: str):
    return float(memo("campaign_kpis", t, campaign_kpis).set_index("campaign_id").loc[campaign, column])


EXERCISE = Exercise(
    stem="11_traditional_plus_digital",
    module="11_traditional_plus_digital",
    minutes=20,
    questions=(
        Question(
            var="new_share",
            practises=("Skill 6",),
            title=f"share of {CAMPAIGN}'s orders from new customers",
            hints=(
                "`attribution.campaign_attribution(tables, id)` has orders and new_customers per creator.",
                "Sum new_customers, divide by the sum of orders.",
            ),
            solution=(
                f'credited = attribution.campaign_attribution(tables, "{CAMPAIGN}")\n'
                'new_share = credited["new_customers"].sum() / credited["orders"].sum()'
            ),
            expected=lambda t: float(_credited(t)["new_customers"].sum() / _credited(t)["orders"].sum()),
            mistakes=(
                Mistake(
                    lambda t: float((_credited(t)["new_customers"] / _credited(t)["orders"]).mean()),
                    "{answer} averages per-creator shares, so a creator with one order weighs as much as one "
                    "with fifty; divide the totals.",
                ),
            ),
        ),
        Question(
            var="cac",
            practises=("Skill 6", "Job 4"),
            title=f"CAC of {CAMPAIGN}",
            hints=(
                "CAC = full cost / new customers (CPA divides by all orders).",
                "`metrics.cac(metrics.campaign_cost(tables, id).total, new_customers)`.",
            ),
            solution=(
                'new_customers = credited["new_customers"].sum()\n'
                f'cac = metrics.cac(metrics.campaign_cost(tables, "{CAMPAIGN}").total, new_customers)'
            ),
            expected=lambda t: campaign_cost(t, CAMPAIGN).total / float(_credited(t)["new_customers"].sum()),
            mistakes=(
                Mistake(
                    lambda t: _kpi(t, CAMPAIGN, "cpa"),
                    "{answer} is CPA (cost per order); CAC divides by new customers only.",
                ),
                Mistake(
                    lambda t: (
                        campaign_cost(t, CAMPAIGN).creator_fees / float(_credited(t)["new_customers"].sum())
                    ),
                    "{answer} uses creator fees only; CAC is on full cost.",
                ),
            ),
            fmt=",.2f",
        ),
        Question(
            var="cpm",
            practises=("Skill 6",),
            title=f"CPM of {AWARENESS}",
            hints=(
                "CPM = full cost / impressions x 1000.",
                "`kpis.campaign_kpis(tables)` has full_cost, impressions and reach per campaign.",
            ),
            solution=(
                'k = kpis.campaign_kpis(tables).set_index("campaign_id")\n'
                f'cpm = k.loc["{AWARENESS}", "full_cost"] / k.loc["{AWARENESS}", "impressions"] * 1000'
            ),
            expected=lambda t: _kpi(t, AWARENESS, "cpm"),
            mistakes=(
                Mistake(
                    lambda t: _kpi(t, AWARENESS, "full_cost") / _kpi(t, AWARENESS, "reach") * 1000,
                    "{answer} divides by reach; CPM is per thousand impressions (a person can see a post "
                    "twice).",
                ),
                Mistake(
                    lambda t: _kpi(t, AWARENESS, "full_cost") / _kpi(t, AWARENESS, "impressions"),
                    "{answer} is cost per impression; CPM is per thousand (x 1000).",
                ),
            ),
            fmt=",.2f",
        ),
    ),
    open_question=OpenQuestion(
        title="one plan, every team's part",
        model_answer=(
            "Marketing owns the calendar, the creators and the paid amplification of their posts; sales "
            "knows the "
            "codes and offers and when volume arrives; customer service gets the FAQ, the offer terms and "
            "the "
            "creators' names before launch. One plan lists each channel with its cost basis, the owner and "
            "the "
            "KPI, so CPM, CPA and CAC are compared on the same basis."
        ),
    ),
)
