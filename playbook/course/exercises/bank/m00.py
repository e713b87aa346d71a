"""Exercise 00: load the sample data and read it with a few lines of pandas."""

from __future__ import annotations

from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables


def _sponsored(t: Tables):
    return int(t["posts"]["sponsored"].sum())


def _usd_budget(t: Tables):
    c = t["campaigns"]
    return float(c.loc[c["currency"] == "USD", "budget"].sum())


def _multi_platform(t: Tables):
    return int(t["accounts"].groupby("creator_id")["platform"].nunique().gt(1).sum())


def _multi_platform_accounts(t: Tables):
    a = t["accounts"]
    n = a.groupby("creator_id")["platform"].transform("nunique")
    return int((n > 1).sum())


def _currencies(t: Tables):
    return ", ".join(sorted(t["campaigns"]["currency"].unique()))


EXERCISE = Exercise(
    stem="00_start_here",
    module="00_start_here",
    minutes=15,
    questions=(
        Question(
            var="n_sponsored",
            practises=("Skill 4",),
            title="sponsored posts",
            hints=("`tables['posts']` has a True/False column for paid posts.", "Sum a boolean column."),
            solution='n_sponsored = int(tables["posts"]["sponsored"].sum())',
            expected=_sponsored,
            mistakes=(
                Mistake(
                    lambda t: len(t["posts"]),
                    "{answer} is every post; the question asks for sponsored posts only "
                    "(posts['sponsored']).",
                ),
            ),
            fmt=",.0f",
        ),
        Question(
            var="usd_budget",
            practises=("Job 1",),
            title="budget in USD",
            hints=(
                "Campaign budgets are in each campaign's own currency.",
                "Filter `campaigns` on `currency == 'USD'` before summing `budget`.",
            ),
            solution=(
                'campaigns = tables["campaigns"]\n'
                'usd_budget = campaigns.loc[campaigns["currency"] == "USD", "budget"].sum()'
            ),
            expected=_usd_budget,
            mistakes=(
                Mistake(
                    lambda t: float(t["campaigns"]["budget"].sum()),
                    lambda t: (
                        "{answer} adds budgets in different currencies ("
                        + _currencies(t)
                        + "); keep the USD campaigns only."
                    ),
                ),
            ),
            fmt=",.0f",
        ),
        Question(
            var="multi_platform_creators",
            practises=("Skill 1",),
            title="creators on several platforms",
            hints=(
                "A creator can own one account per platform (`accounts`).",
                "Group accounts by creator_id and count distinct platforms; count creators with more than "
                "one.",
            ),
            solution=(
                'per_creator = tables["accounts"].groupby("creator_id")["platform"].nunique()\n'
                "multi_platform_creators = int((per_creator > 1).sum())"
            ),
            expected=_multi_platform,
            mistakes=(
                Mistake(
                    _multi_platform_accounts,
                    "{answer} counts accounts; the question asks how many creators have accounts on more "
                    "than "
                    "one platform.",
                ),
                Mistake(
                    lambda t: int(t["accounts"]["creator_id"].nunique()),
                    "{answer} is every creator; keep those with more than one platform.",
                ),
            ),
            fmt=",.0f",
        ),
    ),
    open_question=OpenQuestion(
        title="why the registry",
        model_answer=(
            "Every industry figure comes from `benchmarks.csv` with its source, year and grade, so a reader "
            "can "
            "trace it, see how old and how strong it is, and update it in one place; a figure typed into a "
            "notebook drifts and loses its source."
        ),
    ),
)
