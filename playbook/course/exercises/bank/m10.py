"""Exercise 10: rising topics from the detector, counted and timed against their true onset."""

from __future__ import annotations

from playbook.analytics.trends import detect_rising
from playbook.course.exercises.bank._common import memo
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables


def _detected(t: Tables):
    return memo("detect_rising", t, lambda tables: detect_rising(tables["topic_daily"]))


def _delays(t: Tables, column: str = "first_detected"):
    first = _detected(t).groupby(["topic", "platform"])[column].min().reset_index()
    merged = first.merge(t["trend_labels"], on=["topic", "platform"])
    return (merged[column] - merged["onset_date"]).dt.days


def _top_volume_topic(t: Tables):
    daily = t["topic_daily"]
    return str(daily.groupby("topic")["posts"].sum().idxmax())


EXERCISE = Exercise(
    stem="10_trends_and_market",
    module="10_trends_and_market",
    minutes=20,
    questions=(
        Question(
            var="first_rising",
            practises=("Job 5",),
            title="first topic flagged",
            hints=(
                "`trends.detect_rising(tables['topic_daily'])` lists each run of rising days with its start.",
                "Sort by `first_detected` and take the first row's `topic`.",
            ),
            solution=(
                'rising = trends.detect_rising(tables["topic_daily"])\n'
                'first_rising = rising.sort_values("first_detected")["topic"].iloc[0]'
            ),
            expected=lambda t: str(_detected(t).sort_values("first_detected")["topic"].iloc[0]),
            mistakes=(
                Mistake(
                    _top_volume_topic,
                    "{answer} has the most posts overall; a big topic is not a rising one. Use the detector.",
                ),
            ),
        ),
        Question(
            var="n_rising",
            practises=("Job 5",),
            title="topic-platform pairs flagged",
            hints=(
                "A topic can be flagged in more than one run of days.",
                "Count distinct (topic, platform) pairs in the detector's output.",
            ),
            solution='n_rising = len(rising[["topic", "platform"]].drop_duplicates())',
            expected=lambda t: len(_detected(t)[["topic", "platform"]].drop_duplicates()),
            mistakes=(
                Mistake(
                    lambda t: len(_detected(t)),
                    "{answer} counts runs of rising days; some topics are flagged twice. Count distinct "
                    "topic-platform pairs.",
                ),
            ),
            fmt=",.0f",
        ),
        Question(
            var="median_delay",
            practises=("Job 5", "Skill 1"),
            title="median days from onset to first flag",
            hints=(
                "`trend_labels` holds each planted trend's true `onset_date`.",
                "First `first_detected` per (topic, platform), merge with trend_labels, subtract onset_date "
                "in days, "
                "take the median.",
            ),
            solution=(
                'first = rising.groupby(["topic", "platform"])["first_detected"].min().reset_index()\n'
                'merged = first.merge(tables["trend_labels"], on=["topic", "platform"])\n'
                'median_delay = (merged["first_detected"] - merged["onset_date"]).dt.days.median()'
            ),
            expected=lambda t: float(_delays(t).median()),
            mistakes=(
                Mistake(
                    lambda t: float(_delays(t, "last_detected").median()),
                    "{answer} runs to the last day flagged; a warning counts from the first day flagged.",
                ),
            ),
        ),
    ),
    open_question=OpenQuestion(
        title="speed against false alarms",
        model_answer=(
            "A lower z threshold or a shorter run flags trends sooner but also flags one-day spikes; a "
            "higher one "
            "waits for evidence and warns later. Choose by what a false alarm costs (a brief rewritten for "
            "nothing) against what a late warning costs (the trend already mainstream), and measure both on "
            "labelled trends."
        ),
    ),
)
