"""Exercise 09: a geo holdout's incremental revenue, iROAS and significance."""

from __future__ import annotations

from playbook.analytics.incrementality import LiftResult, geo_lift
from playbook.analytics.kpis import campaign_kpis
from playbook.analytics.metrics import campaign_cost
from playbook.course.exercises.bank._common import memo
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables

EXPERIMENT = "EX000001"


def _experiment(t: Tables):
    e = t["experiments"]
    return e[e["experiment_id"] == EXPERIMENT].iloc[0]


def _lift(t: Tables):
    def compute(tables: Tables) -> LiftResult:
        geo = tables["experiment_geo_daily"]
        return geo_lift(geo[geo["experiment_id"] == EXPERIMENT], _experiment(tables))

    return memo("geo_lift", t, compute)


def _cost(t: Tables):
    return campaign_cost(t, str(_experiment(t)["campaign_id"])).total


def _attributed(t: Tables):
    k = memo("campaign_kpis", t, campaign_kpis).set_index("campaign_id")
    return float(k.loc[str(_experiment(t)["campaign_id"]), "attributed_revenue"])


def _ci(t: Tables):
    r = _lift(t)
    return f"the lift's confidence interval runs from {r.ci_low:+.1%} to {r.ci_high:+.1%}"


EXERCISE = Exercise(
    stem="09_incrementality",
    module="09_incrementality",
    minutes=20,
    questions=(
        Question(
            var="incremental_revenue",
            practises=("Job 4",),
            title="incremental revenue of the holdout",
            hints=(
                "Incremental revenue comes from comparing treated with control geos, not from promo codes.",
                f"`incrementality.geo_lift(geo_rows, experiment_row)` for {EXPERIMENT}; read "
                "`.incremental_revenue`.",
            ),
            solution=(
                'experiments = tables["experiments"]\n'
                f'experiment = experiments[experiments["experiment_id"] == "{EXPERIMENT}"].iloc[0]\n'
                'geo = tables["experiment_geo_daily"]\n'
                f'result = incrementality.geo_lift(geo[geo["experiment_id"] == "{EXPERIMENT}"], experiment)\n'
                "incremental_revenue = result.incremental_revenue"
            ),
            expected=lambda t: float(_lift(t).incremental_revenue),
            mistakes=(
                Mistake(
                    _attributed,
                    "{answer} is the revenue credited by codes and links; part of it would have happened "
                    "anyway. Incremental revenue comes from the holdout.",
                ),
            ),
            fmt=",.2f",
        ),
        Question(
            var="iroas",
            practises=("Job 4",),
            title="iROAS",
            hints=(
                "iROAS = incremental revenue / spend.",
                "Spend is the campaign's full cost: `metrics.campaign_cost(tables, campaign_id).total`.",
            ),
            solution=(
                'campaign_id = experiment["campaign_id"]\n'
                "cost = metrics.campaign_cost(tables, campaign_id).total\n"
                "iroas = metrics.iroas(result.incremental_revenue, cost)"
            ),
            expected=lambda t: float(_lift(t).incremental_revenue / _cost(t)),
            mistakes=(
                Mistake(
                    lambda t: _attributed(t) / _cost(t),
                    "{answer} is attributed ROAS (credited revenue / cost); iROAS divides incremental "
                    "revenue.",
                ),
                Mistake(
                    lambda t: float(_lift(t).lift),
                    "{answer} is the relative lift in conversions, not a return on spend.",
                ),
            ),
        ),
        Question(
            var="significant",
            practises=("Skill 4",),
            title="is the lift significant",
            hints=(
                "At the 95% level the lift is significant when its confidence interval excludes zero.",
                "Check `result.ci_low > 0 or result.ci_high < 0`.",
            ),
            solution="significant = bool(result.ci_low > 0 or result.ci_high < 0)",
            expected=lambda t: bool(_lift(t).ci_low > 0 or _lift(t).ci_high < 0),
            mistakes=(
                Mistake(
                    lambda t: not bool(_lift(t).ci_low > 0 or _lift(t).ci_high < 0),
                    lambda t: "Not so: " + _ci(t) + "; significant means the interval excludes zero.",
                ),
            ),
        ),
    ),
    open_question=OpenQuestion(
        title="what you would tell the brand",
        model_answer=(
            "Give the point estimate and its interval together; when the interval includes zero, say the "
            "test "
            "could not tell the effect from noise at this size, and propose a longer test or more geos "
            "sized with "
            "the power calculator rather than calling the campaign a failure or a success."
        ),
    ),
)
