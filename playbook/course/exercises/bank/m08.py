"""Exercise 08: full-cost CPA, margin ROI and the attribution window."""

from __future__ import annotations

from playbook.analytics.attribution import campaign_attribution
from playbook.analytics.kpis import campaign_kpis
from playbook.analytics.metrics import campaign_cost, roi_margin, roi_revenue
from playbook.course.exercises.bank._common import memo
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables

CAMPAIGN = "CP000004"
WINDOW = 7


def _kpi(t: Tables, column: str):
    k = memo("campaign_kpis", t, campaign_kpis)
    return float(k.set_index("campaign_id").loc[CAMPAIGN, column])


def _credited(t: Tables, window: float | None = None):
    return campaign_attribution(t, CAMPAIGN, window_days=window)


EXERCISE = Exercise(
    stem="08_measuring_performance",
    module="08_measuring_performance",
    minutes=25,
    questions=(
        Question(
            var="cpa",
            practises=("Job 4",),
            title=f"full-cost CPA of {CAMPAIGN}",
            hints=(
                "CPA = full cost / attributed orders.",
                "`kpis.campaign_kpis(tables)` has a `cpa` column per campaign.",
            ),
            solution=f'cpa = kpis.campaign_kpis(tables).set_index("campaign_id").loc["{CAMPAIGN}", "cpa"]',
            expected=lambda t: _kpi(t, "cpa"),
            mistakes=(
                Mistake(
                    lambda t: campaign_cost(t, CAMPAIGN).creator_fees / _kpi(t, "attributed_orders"),
                    "{answer} divides creator fees only; full cost also counts product, shipping, agency "
                    "fees, "
                    "paid amplification and staff time.",
                ),
                Mistake(
                    lambda t: _kpi(t, "attributed_orders") / _kpi(t, "full_cost"),
                    "{answer} is orders per unit of cost; CPA is cost per order.",
                ),
            ),
            fmt=",.2f",
        ),
        Question(
            var="margin_roi",
            practises=("Job 4",),
            title=f"margin ROI of {CAMPAIGN}",
            hints=(
                "Margin ROI = (gross profit - cost) / cost; gross profit is the `margin` of credited orders.",
                "Sum `margin` of `attribution.campaign_attribution(tables, id)`, then "
                "`metrics.roi_margin(margin,"
                " full cost)`.",
            ),
            solution=(
                f'margin = attribution.campaign_attribution(tables, "{CAMPAIGN}")["margin"].sum()\n'
                f'margin_roi = metrics.roi_margin(margin, metrics.campaign_cost(tables, "{CAMPAIGN}").total)'
            ),
            expected=lambda t: float(
                roi_margin(_credited(t)["margin"].sum(), campaign_cost(t, CAMPAIGN).total)
            ),
            mistakes=(
                Mistake(
                    lambda t: float(
                        roi_revenue(_credited(t)["revenue"].sum(), campaign_cost(t, CAMPAIGN).total)
                    ),
                    "{answer} uses revenue; revenue includes the cost of the goods sold, so it flatters the "
                    "return. Margin ROI uses gross profit (`margin`).",
                ),
                Mistake(
                    lambda t: float(_credited(t)["margin"].sum() / campaign_cost(t, CAMPAIGN).total),
                    "{answer} is margin / cost; ROI subtracts the cost first: (margin - cost) / cost.",
                ),
            ),
        ),
        Question(
            var="revenue_7d",
            practises=("Job 4",),
            title=f"revenue credited with a {WINDOW}-day window",
            hints=(
                "A shorter click window credits fewer link orders.",
                f"`attribution.campaign_attribution(tables, id, window_days={WINDOW})`, sum `revenue`.",
            ),
            solution=(
                f'credited = attribution.campaign_attribution(tables, "{CAMPAIGN}", window_days={WINDOW})\n'
                'revenue_7d = credited["revenue"].sum()'
            ),
            expected=lambda t: float(_credited(t, WINDOW)["revenue"].sum()),
            mistakes=(
                Mistake(
                    lambda t: float(_credited(t)["revenue"].sum()),
                    "{answer} uses the campaign's default window; pass window_days=" + str(WINDOW) + ".",
                ),
                Mistake(
                    lambda t: float(_credited(t, WINDOW)["revenue_code"].sum()),
                    "{answer} is code revenue only; add the revenue credited by link (the `revenue` column).",
                ),
            ),
            fmt=",.2f",
        ),
    ),
    open_question=OpenQuestion(
        title="EMV per dollar is not ROI",
        model_answer=(
            "EMV per dollar divides a hypothetical media price by spend; no money came back, so it says "
            "nothing "
            "about profit. ROI needs returns the business booked (margin of credited orders, or better the "
            "incremental margin from a holdout) over full cost."
        ),
    ),
)
