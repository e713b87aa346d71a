"""Exercise 01: the team's logged work, read with pandas."""

from __future__ import annotations

from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables


def _logged(t: Tables):
    return t["tasks"].dropna(subset=["actual_hours"])


EXERCISE = Exercise(
    stem="01_the_team",
    module="01_the_team",
    minutes=20,
    questions=(
        Question(
            var="top_category",
            practises=("Skill 3",),
            title="category with most logged hours",
            hints=(
                "`tasks` logs `actual_hours` per task and its `category`.",
                "Group by category, sum actual_hours, take the largest.",
            ),
            solution='top_category = tables["tasks"].groupby("category")["actual_hours"].sum().idxmax()',
            expected=lambda t: str(t["tasks"].groupby("category")["actual_hours"].sum().idxmax()),
            mistakes=(
                Mistake(
                    lambda t: str(t["tasks"]["category"].value_counts().idxmax()),
                    "{answer} has the most tasks; the question asks where the most hours go (sum "
                    "actual_hours).",
                ),
            ),
        ),
        Question(
            var="overrun",
            practises=("Skill 5",),
            title="logged over estimated hours",
            hints=(
                "Use only tasks with logged (actual) hours.",
                "Divide the total of actual_hours by the total of estimate_hours over the same tasks.",
            ),
            solution=(
                'done = tables["tasks"].dropna(subset=["actual_hours"])\n'
                'overrun = done["actual_hours"].sum() / done["estimate_hours"].sum()'
            ),
            expected=lambda t: float(_logged(t)["actual_hours"].sum() / _logged(t)["estimate_hours"].sum()),
            mistakes=(
                Mistake(
                    lambda t: float((_logged(t)["actual_hours"] / _logged(t)["estimate_hours"]).mean()),
                    "{answer} averages per-task ratios, so a 1-hour task weighs as much as a 20-hour one; "
                    "the "
                    "question asks for total logged hours over total estimated hours.",
                ),
                Mistake(
                    lambda t: float(_logged(t)["estimate_hours"].sum() / _logged(t)["actual_hours"].sum()),
                    "{answer} is estimate over actual; the question asks for actual over estimate (above 1 "
                    "means "
                    "work takes longer than planned).",
                ),
            ),
        ),
        Question(
            var="hours_per_campaign",
            practises=("Skill 5",),
            title="median logged hours per campaign",
            hints=(
                "Tasks carry a campaign_id; some are not tied to a campaign.",
                "Sum actual_hours per campaign_id, then take the median over campaigns.",
            ),
            solution=(
                'per_campaign = tables["tasks"].groupby("campaign_id")["actual_hours"].sum()\n'
                "hours_per_campaign = per_campaign.median()"
            ),
            expected=lambda t: float(t["tasks"].groupby("campaign_id")["actual_hours"].sum().median()),
            mistakes=(
                Mistake(
                    lambda t: float(t["tasks"].groupby("campaign_id")["actual_hours"].sum().mean()),
                    "{answer} is the mean; one heavy campaign pulls it up. The question asks for the median.",
                ),
                Mistake(
                    lambda t: float(t["tasks"].groupby("campaign_id")["estimate_hours"].sum().median()),
                    "{answer} uses estimates; size the team on logged (actual) hours.",
                ),
                Mistake(
                    lambda t: float(t["tasks"]["actual_hours"].median()),
                    "{answer} is the median task, not the median campaign: sum per campaign_id first.",
                ),
            ),
        ),
    ),
    open_question=OpenQuestion(
        title="which operations KPI to improve first",
        model_answer=(
            "Pick the KPI whose miss costs the most downstream and that the team controls: for example "
            "negotiation overruns its estimates by the most, so better estimates or templates there free the "
            "most hours. Say which figure you read, its basis, and what you would change next week."
        ),
    ),
)
