"""Exercise 04: find the bought-followers jump, count flagged accounts, judge the flag's precision."""

from __future__ import annotations

from playbook.analytics.vetting import SUSPECTED_BELOW, audience_quality
from playbook.course.exercises.bank._common import memo
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables


def _jumps(t: Tables):
    return memo("follower_jumps", t, _compute_jumps)


def _compute_jumps(t: Tables):
    daily = t["follower_daily"].sort_values(["account_id", "date"])
    gain = daily.groupby("account_id")["followers"].diff()
    before = daily.groupby("account_id")["followers"].shift()
    return daily.assign(gain=gain, rel=gain / before)


def _scores(t: Tables):
    return memo("audience_quality", t, audience_quality)


def _flagged(t: Tables):
    s = _scores(t)
    return set(s.loc[s["score"] < SUSPECTED_BELOW, "account_id"])


def _fraud(t: Tables):
    labels = t["fraud_labels"]
    return set(labels.loc[labels["archetype"] != "none", "account_id"])


EXERCISE = Exercise(
    stem="04_finding_and_vetting",
    module="04_finding_and_vetting",
    minutes=25,
    questions=(
        Question(
            var="jump_account",
            practises=("Job 2", "Skill 4"),
            title="largest one-day follower jump",
            hints=(
                "Bought followers arrive in one day: a jump far above the account's usual growth.",
                "Per account (sorted by date): gain = diff of followers; relative jump = gain / previous "
                "day's "
                "followers; take the account_id of the largest relative jump.",
            ),
            solution=(
                'daily = tables["follower_daily"].sort_values(["account_id", "date"])\n'
                'gain = daily.groupby("account_id")["followers"].diff()\n'
                'before = daily.groupby("account_id")["followers"].shift()\n'
                'jump_account = daily.loc[(gain / before).idxmax(), "account_id"]'
            ),
            expected=lambda t: str(_jumps(t).loc[_jumps(t)["rel"].idxmax(), "account_id"]),
            mistakes=(
                Mistake(
                    lambda t: str(_jumps(t).loc[_jumps(t)["gain"].idxmax(), "account_id"]),
                    "{answer} gains the most people in a day, but it is a big account growing normally; "
                    "compare "
                    "each jump with the account's size (divide by the previous day's followers).",
                ),
            ),
        ),
        Question(
            var="n_flagged",
            practises=("Job 2",),
            title="accounts flagged by the quality score",
            hints=(
                "`vetting.audience_quality(tables)` scores every account out of 100.",
                "Count accounts whose score is below `vetting.SUSPECTED_BELOW`.",
            ),
            solution=(
                "scores = vetting.audience_quality(tables)\n"
                'n_flagged = int((scores["score"] < vetting.SUSPECTED_BELOW).sum())'
            ),
            expected=lambda t: len(_flagged(t)),
            mistakes=(
                Mistake(
                    lambda t: int((_scores(t)["score"] >= SUSPECTED_BELOW).sum()),
                    f"{{answer}} counts accounts at or above {SUSPECTED_BELOW:g}: those pass; flagged ones "
                    f"score "
                    "below it.",
                ),
            ),
            fmt=",.0f",
        ),
        Question(
            var="precision",
            practises=("Skill 4",),
            title="precision of the flag",
            hints=(
                "`fraud_labels` marks each account's archetype; 'none' is a clean account.",
                "Precision = flagged accounts that are truly fraudulent / all flagged accounts.",
            ),
            solution=(
                "scores = vetting.audience_quality(tables)\n"
                'flagged = set(scores.loc[scores["score"] < vetting.SUSPECTED_BELOW, "account_id"])\n'
                'labels = tables["fraud_labels"]\n'
                'fraud = set(labels.loc[labels["archetype"] != "none", "account_id"])\n'
                "precision = len(flagged & fraud) / len(flagged)"
            ),
            expected=lambda t: len(_flagged(t) & _fraud(t)) / len(_flagged(t)),
            mistakes=(
                Mistake(
                    lambda t: len(_flagged(t) & _fraud(t)) / len(_fraud(t)),
                    "{answer} divides by every fraudulent account: that is recall. Precision divides by the "
                    "accounts the score flagged.",
                ),
                Mistake(
                    lambda t: len(_flagged(t) - _fraud(t)) / len(_flagged(t)),
                    "{answer} is the share of flagged accounts that are clean (the false alarms); precision "
                    "is "
                    "the share that are truly fraudulent.",
                ),
            ),
        ),
    ),
    open_question=OpenQuestion(
        title="why the top fit score is not automatically the pick",
        model_answer=(
            "Brand fit ranks relevance, not quality or value: the top account may have a suspect audience, a "
            "competitor post, a price far above its fair range or no capacity in the campaign's window. "
            "Shortlist "
            "on fit, then read its audience-quality reasons, its price and its past delivery before choosing."
        ),
    ),
)
