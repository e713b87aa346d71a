"""Exercise 02: full cost, the KPIs that judge an objective, and a budget split."""

from __future__ import annotations

from playbook.analytics.kpis import OBJECTIVE_KPIS
from playbook.analytics.metrics import campaign_cost
from playbook.analytics.planning import allocate_budget
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables

CAMPAIGN = "CP000004"
BUDGET, OBJECTIVE = 10_000, "conversion"


def _tiktok_share(t: Tables, column: str = "amount"):
    plan = allocate_budget(BUDGET, OBJECTIVE)
    return float(plan.loc[plan["platform"] == "tiktok", column].sum() / plan[column].sum())


EXERCISE = Exercise(
    stem="02_strategy",
    module="02_strategy",
    minutes=20,
    questions=(
        Question(
            var="full_cost",
            practises=("Job 4",),
            title=f"full cost of {CAMPAIGN}",
            hints=(
                "Full cost is more than what the creators were paid.",
                "`metrics.campaign_cost(tables, campaign_id)` returns every component; use its `.total`.",
            ),
            solution=f'full_cost = metrics.campaign_cost(tables, "{CAMPAIGN}").total',
            expected=lambda t: campaign_cost(t, CAMPAIGN).total,
            mistakes=(
                Mistake(
                    lambda t: campaign_cost(t, CAMPAIGN).creator_fees,
                    "{answer} is creator fees only; full cost adds product, shipping, agency fees, paid "
                    "amplification and staff time.",
                ),
                Mistake(
                    lambda t: campaign_cost(t, CAMPAIGN).total - campaign_cost(t, CAMPAIGN).staff_cost,
                    "{answer} leaves out staff time (staff hours x loaded hourly cost).",
                ),
            ),
            fmt=",.2f",
        ),
        Question(
            var="conversion_kpis",
            practises=("Job 1",),
            title="KPIs of a conversion objective",
            hints=("The KPI tree maps each objective to three KPIs.", "Look in `kpis.OBJECTIVE_KPIS`."),
            solution='conversion_kpis = list(kpis.OBJECTIVE_KPIS["conversion"])',
            expected=lambda t: list(OBJECTIVE_KPIS["conversion"]),
            mistakes=(
                Mistake(
                    lambda t: list(OBJECTIVE_KPIS["awareness"]),
                    "{answer} judge an awareness campaign; conversion is judged on what sales cost and "
                    "return.",
                ),
                Mistake(
                    lambda t: list(OBJECTIVE_KPIS["consideration"]),
                    "{answer} judge consideration (engagement and clicks); conversion is judged on sales.",
                ),
            ),
        ),
        Question(
            var="tiktok_share",
            practises=("Job 1",),
            title="TikTok's share of the budget",
            hints=(
                f"Allocate {BUDGET:,} for a {OBJECTIVE} objective with `planning.allocate_budget`.",
                "Sum `amount` over TikTok rows and divide by the sum of `amount` over all rows (a fraction).",
            ),
            solution=(
                f'plan = planning.allocate_budget({BUDGET}, "{OBJECTIVE}")\n'
                'tiktok_share = plan.loc[plan["platform"] == "tiktok", "amount"].sum() / plan["amount"].sum()'
            ),
            expected=_tiktok_share,
            mistakes=(
                Mistake(
                    lambda t: 100 * _tiktok_share(t),
                    "{answer} is a percentage; give the fraction (0.25, not 25).",
                ),
                Mistake(
                    lambda t: float((allocate_budget(BUDGET, OBJECTIVE)["platform"] == "tiktok").mean()),
                    "{answer} is TikTok's share of the plan's rows (platform x tier cells), not of the "
                    "money: "
                    "sum `amount`.",
                ),
            ),
        ),
    ),
    open_question=OpenQuestion(
        title="why EMV is not a return",
        model_answer=(
            "EMV prices exposure at what paid media might have cost; nobody paid that money and no sale "
            "follows "
            "from it, so it cannot sit in the numerator of ROI. Report it, if at all, as a relative index "
            "beside "
            "full-cost ROAS, CPA and (best) iROAS from a holdout."
        ),
    ),
)
