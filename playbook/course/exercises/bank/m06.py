"""Exercise 06: what the team paid per thousand views, usage-rights uplift, and the partnership verdicts."""

from __future__ import annotations

from playbook.analytics.relationships import relationship_health
from playbook.course.exercises.bank._common import memo
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables


def _cpm_paid(t: Tables):
    c = t["contracts"]
    return c["fee"] / c["expected_views"] * 1000


def _uplift(t: Tables, agg: str = "median"):
    c = t["contracts"]
    return float(c.loc[c["usage_rights"] != "none", "usage_uplift"].agg(agg))


def _health(t: Tables):
    return memo("relationship_health", t, relationship_health)


def _count(t: Tables, verdict: str):
    return int((_health(t)["recommendation"] == verdict).sum())


EXERCISE = Exercise(
    stem="06_relationships_and_negotiation",
    module="06_relationships_and_negotiation",
    minutes=20,
    questions=(
        Question(
            var="median_cpm_paid",
            practises=("Job 2",),
            title="median fee per thousand expected views",
            hints=(
                "Each contract has a `fee` and the `expected_views` it was priced on.",
                "fee / expected_views x 1000 per contract, then the median.",
            ),
            solution=(
                'c = tables["contracts"]\nmedian_cpm_paid = (c["fee"] / c["expected_views"] * 1000).median()'
            ),
            expected=lambda t: float(_cpm_paid(t).median()),
            mistakes=(
                Mistake(
                    lambda t: float(_cpm_paid(t).median() / 1000),
                    "{answer} is the fee per view; CPM is per thousand views (x 1000).",
                ),
                Mistake(
                    lambda t: float(_cpm_paid(t).mean()),
                    "{answer} is the mean, pulled by a few expensive deals; the question asks for the "
                    "median.",
                ),
            ),
            fmt=",.3f",
        ),
        Question(
            var="usage_uplift",
            practises=("Skill 3",),
            title="median uplift paid for usage rights",
            hints=(
                "`contracts.usage_uplift` is the multiplier paid on the fee for usage rights.",
                "Keep contracts whose `usage_rights` is not 'none', then take the median uplift.",
            ),
            solution=(
                'c = tables["contracts"]\n'
                'usage_uplift = c.loc[c["usage_rights"] != "none", "usage_uplift"].median()'
            ),
            expected=_uplift,
            mistakes=(
                Mistake(
                    lambda t: float(t["contracts"]["usage_uplift"].median()),
                    "{answer} includes contracts without usage rights (uplift 1); keep the ones that bought "
                    "rights.",
                ),
                Mistake(
                    lambda t: _uplift(t, "mean"),
                    "{answer} is the mean; the question asks for the median.",
                ),
            ),
        ),
        Question(
            var="n_drop",
            practises=("Job 3",),
            title="creators to drop",
            hints=(
                "`relationships.relationship_health(tables)` gives each creator a recommendation.",
                "Count the rows whose `recommendation` is 'drop'.",
            ),
            solution=(
                "health = relationships.relationship_health(tables)\n"
                'n_drop = int((health["recommendation"] == "drop").sum())'
            ),
            expected=lambda t: _count(t, "drop"),
            mistakes=(
                Mistake(
                    lambda t: _count(t, "renegotiate"),
                    "{answer} is the number to renegotiate; the question asks for 'drop'.",
                ),
                Mistake(
                    lambda t: len(_health(t)) - _count(t, "drop"),
                    "{answer} counts everyone who is not dropped.",
                ),
            ),
            fmt=",.0f",
        ),
    ),
    open_question=OpenQuestion(
        title="a counter-offer inside the fair range",
        model_answer=(
            "Anchor on the fair range (CPM x expected views / 1000 x format and usage uplifts), answer an "
            "ask "
            "above it with the evidence (the range and the creator's own delivery record), and trade terms "
            "rather than price where you can: shorter usage, no exclusivity, an extra story. Never counter "
            "below "
            "the low end: a creator paid under value delivers under value."
        ),
    ),
)
