"""Exercise 12: parse a messy export's counts and percentages, and count what the cleaner dropped."""

from __future__ import annotations

import pandas as pd

from playbook.course.exercises.bank._common import memo
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables
from playbook.data.cleaning import clean_export, parse_count, parse_percent, read_raw

EXPORT = "creator_export.csv"


def _raw(t: Tables):
    return memo("raw_" + EXPORT, t, lambda tables: read_raw(EXPORT))


def _dropped(t: Tables, kinds: list[str] | None = None):
    report = memo("clean_" + EXPORT, t, lambda tables: clean_export(EXPORT)).report
    rows = report[report["action"] == "dropped"]
    if kinds is not None:
        rows = rows[rows["kind"].isin(kinds)]
    return int(rows["row"].nunique())


EXERCISE = Exercise(
    stem="12_data_cleaning",
    module="12_data_cleaning",
    minutes=25,
    questions=(
        Question(
            var="followers_total",
            practises=("Skill 4",),
            title="total followers in the raw export",
            hints=(
                "The export writes counts as '2372', '1,234' or '12.5k'.",
                "`cleaning.parse_count(raw['followers'])` returns `.values` as whole numbers; sum them.",
            ),
            solution=(
                f'raw = cleaning.read_raw("{EXPORT}")\n'
                'followers_total = int(cleaning.parse_count(raw["followers"]).values.sum())'
            ),
            expected=lambda t: int(parse_count(_raw(t)["followers"]).values.sum()),
            mistakes=(
                Mistake(
                    lambda t: float(pd.to_numeric(_raw(t)["followers"], errors="coerce").sum()),
                    "{answer} silently drops every count written as '12.5k' or '1,234' (to_numeric with "
                    "errors='coerce' turns them into NaN); parse them.",
                ),
            ),
            fmt=",.0f",
        ),
        Question(
            var="mean_er",
            practises=("Skill 4",),
            title="mean engagement rate of the export",
            hints=(
                "Engagement rates are written like '22.34%'.",
                "`cleaning.parse_percent(raw['engagement_rate']).values` gives fractions; take the mean.",
            ),
            solution='mean_er = cleaning.parse_percent(raw["engagement_rate"]).values.mean()',
            expected=lambda t: float(parse_percent(_raw(t)["engagement_rate"]).values.mean()),
            mistakes=(
                Mistake(
                    lambda t: 100 * float(parse_percent(_raw(t)["engagement_rate"]).values.mean()),
                    "{answer} is in percent; give the fraction (0.05, not 5).",
                ),
            ),
        ),
        Question(
            var="n_dropped",
            practises=("Job 4", "Skill 4"),
            title="rows dropped as duplicates",
            hints=(
                "`cleaning.clean_export(name)` returns `.report`: one row per value changed, flagged or "
                "dropped.",
                "Count the distinct `row`s whose action is 'dropped' (exact and near duplicates).",
            ),
            solution=(
                f'report = cleaning.clean_export("{EXPORT}").report\n'
                'n_dropped = report.loc[report["action"] == "dropped", "row"].nunique()'
            ),
            expected=_dropped,
            mistakes=(
                Mistake(
                    lambda t: _dropped(t, ["exact_duplicate_row"]),
                    "{answer} counts exact duplicates only; near duplicates (the same handle written "
                    "differently) are dropped too.",
                ),
            ),
            fmt=",.0f",
        ),
    ),
    open_question=OpenQuestion(
        title="before the numbers go into a report",
        model_answer=(
            "Keep the raw file untouched, clean a copy with a report of every value changed, flagged or "
            "dropped, "
            "then reconcile the cleaned totals with the system of record (contracts, orders) and explain "
            "every "
            "gap before a figure reaches a report."
        ),
    ),
)
