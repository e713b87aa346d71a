"""Exercise 13 (capstone): forecast an allocation, pick the cheapest conversion campaign, compare cost per
result."""

from __future__ import annotations

from playbook.analytics.kpis import campaign_kpis
from playbook.analytics.metrics import campaign_cost
from playbook.analytics.planning import allocate_budget
from playbook.course.exercises.bank._common import memo
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables

BUDGET = 20_000


def _plan(objective: str):
    return allocate_budget(BUDGET, objective)


def _conversion_kpis(t: Tables):
    k = memo("campaign_kpis", t, campaign_kpis)
    return k[k["objective"] == "conversion"].set_index("campaign_id")


def _fee_cpa(t: Tables):
    k = _conversion_kpis(t)
    fees = {cid: campaign_cost(t, cid).creator_fees for cid in k.index}
    return (k.index.map(fees).to_series(index=k.index) / k["attributed_orders"]).idxmin()


EXERCISE = Exercise(
    stem="13_capstone",
    module="13_capstone",
    minutes=30,
    questions=(
        Question(
            var="typical_impressions",
            practises=("Job 1",),
            title="typical impressions of an awareness plan",
            hints=(
                f"Allocate {BUDGET:,} for awareness with `planning.allocate_budget`.",
                "Sum `impressions_typical` over the plan's rows (not the low end).",
            ),
            solution=(
                f'plan = planning.allocate_budget({BUDGET}, "awareness")\n'
                'typical_impressions = plan["impressions_typical"].sum()'
            ),
            expected=lambda t: float(_plan("awareness")["impressions_typical"].sum()),
            mistakes=(
                Mistake(
                    lambda t: float(_plan("awareness")["impressions_low"].sum()),
                    "{answer} is the low end of the range; the question asks for the typical forecast.",
                ),
            ),
            fmt=",.0f",
        ),
        Question(
            var="cheapest_campaign",
            practises=("Job 4",),
            title="conversion campaign with the lowest full-cost CPA",
            hints=(
                "Compare conversion campaigns only, on full cost.",
                "`kpis.campaign_kpis(tables)`: keep objective == 'conversion', take the campaign_id of the "
                "smallest `cpa`.",
            ),
            solution=(
                "k = kpis.campaign_kpis(tables)\n"
                'conversion = k[k["objective"] == "conversion"]\n'
                'cheapest_campaign = conversion.loc[conversion["cpa"].idxmin(), "campaign_id"]'
            ),
            expected=lambda t: str(_conversion_kpis(t)["cpa"].idxmin()),
            mistakes=(
                Mistake(
                    _fee_cpa,
                    "{answer} is cheapest on creator fees alone; on full cost another campaign wins.",
                ),
            ),
        ),
        Question(
            var="forecast_cpa",
            practises=("Job 2",),
            title="forecast cost per conversion",
            hints=(
                f"Allocate {BUDGET:,} for conversion; the plan forecasts conversions as low / typical / "
                f"high.",
                "Budget / the sum of `conversions_typical`.",
            ),
            solution=(
                f'plan = planning.allocate_budget({BUDGET}, "conversion")\n'
                f'forecast_cpa = {BUDGET} / plan["conversions_typical"].sum()'
            ),
            expected=lambda t: BUDGET / float(_plan("conversion")["conversions_typical"].sum()),
            mistakes=(
                Mistake(
                    lambda t: BUDGET / float(_plan("conversion")["conversions_low"].sum()),
                    "{answer} uses the low end of conversions (the most pessimistic CPA); use the typical "
                    "forecast.",
                ),
                Mistake(
                    lambda t: float(_plan("conversion")["conversions_typical"].sum()) / BUDGET,
                    "{answer} is conversions per unit of budget; CPA is budget per conversion.",
                ),
            ),
            fmt=",.2f",
        ),
    ),
    open_question=OpenQuestion(
        title="your one-page team playbook",
        model_answer=(
            "One page: the objective and its three KPIs; who is responsible and accountable for each job; "
            "the "
            "vetting and brand-fit rules with their thresholds; the outreach plan sized from the measured "
            "reply "
            "rate; approval and payment deadlines; how results are measured (full cost, attribution window, "
            "a "
            "holdout when the budget allows); and who watches trends weekly."
        ),
    ),
)
