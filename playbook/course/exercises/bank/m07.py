"""Exercise 07: late posts, approval cycle time and the team's worst over-allocated week."""

from __future__ import annotations

from playbook.analytics.capacity import over_allocation, weekly_load
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables


def _approval_days(t: Tables):
    d = t["deliverables"]
    return (d["approved_date"] - d["draft_submitted_date"]).dt.days


def _worst(t: Tables):
    return over_allocation(weekly_load(t["tasks"], t["team"])).iloc[0]


EXERCISE = Exercise(
    stem="07_campaign_execution_and_time",
    module="07_campaign_execution_and_time",
    minutes=20,
    questions=(
        Question(
            var="n_late",
            practises=("Job 2",),
            title="deliverables posted after their due date",
            hints=(
                "Compare `posted_date` with `due_date` in `deliverables`.",
                "Count rows where posted_date is after due_date (on the due date is on time).",
            ),
            solution=('d = tables["deliverables"]\nn_late = int((d["posted_date"] > d["due_date"]).sum())'),
            expected=lambda t: int((t["deliverables"]["posted_date"] > t["deliverables"]["due_date"]).sum()),
            mistakes=(
                Mistake(
                    lambda t: int((t["deliverables"]["posted_date"] >= t["deliverables"]["due_date"]).sum()),
                    "{answer} counts posts on their due date as late; on the due date is on time.",
                ),
            ),
            fmt=",.0f",
        ),
        Question(
            var="median_approval_days",
            practises=("Job 2", "Skill 5"),
            title="median days from draft to approval",
            hints=(
                "Approval time runs from `draft_submitted_date` to `approved_date`.",
                "Subtract the dates, take `.dt.days`, then the median.",
            ),
            solution=(
                'd = tables["deliverables"]\n'
                'median_approval_days = (d["approved_date"] - d["draft_submitted_date"]).dt.days.median()'
            ),
            expected=lambda t: float(_approval_days(t).median()),
            mistakes=(
                Mistake(
                    lambda t: float(_approval_days(t).mean()),
                    "{answer} is the mean, pulled up by a few slow approvals; the question asks for the "
                    "median.",
                ),
                Mistake(
                    lambda t: float(
                        (t["deliverables"]["approved_date"] - t["deliverables"]["due_date"]).dt.days.median()
                    ),
                    "{answer} counts from the due date; approval time starts when the draft is submitted.",
                ),
            ),
        ),
        Question(
            var="worst_excess",
            practises=("Skill 5",),
            title="hours over capacity in the worst week",
            hints=(
                "`capacity.weekly_load(tasks, team)` plans hours per member per week.",
                "`capacity.over_allocation(load)` lists the weeks over capacity, worst first: read "
                "excess_hours.",
            ),
            solution=(
                'load = capacity.weekly_load(tables["tasks"], tables["team"])\n'
                'worst_excess = capacity.over_allocation(load)["excess_hours"].iloc[0]'
            ),
            expected=lambda t: float(_worst(t)["excess_hours"]),
            mistakes=(
                Mistake(
                    lambda t: float(_worst(t)["planned_hours"]),
                    "{answer} is the planned hours of that week; the question asks by how much they exceed "
                    "the "
                    "member's capacity.",
                ),
                Mistake(
                    lambda t: float(_worst(t)["utilisation"]),
                    "{answer} is the utilisation (planned / capacity); give the excess in hours.",
                ),
            ),
        ),
    ),
    open_question=OpenQuestion(
        title="a cause or a symptom",
        model_answer=(
            "A late post is a symptom; causes are what came before it: product shipped late, the draft "
            "submitted "
            "late, several revision rounds, slow approvals. Read which of them late posts share more often "
            "than "
            "on-time posts, fix the upstream step (ship earlier, set a draft deadline, one approver), and "
            "check "
            "the share again next campaign."
        ),
    ),
)
