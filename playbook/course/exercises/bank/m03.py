"""Exercise 03: engagement rate on a named basis, by platform and format."""

from __future__ import annotations

from playbook.analytics.metrics import ER_BY_FOLLOWERS, ER_BY_REACH, ERBasis, profile_engagement_rate
from playbook.course.exercises.core import Exercise, Mistake, OpenQuestion, Question, Tables
from playbook.data.registry import benchmark

PLATFORM = "instagram"
WINDOW_ID = "er_profile_window_posts_calculators"


def _er(t: Tables, basis: ERBasis):
    by_platform = profile_engagement_rate(t["posts"], t["accounts"], basis, by="platform")
    return float(by_platform.set_index("platform").loc[PLATFORM, "er"])


def _sponsored(t: Tables):
    return t["posts"][t["posts"]["sponsored"]]


def _followers(t: Tables):
    return _sponsored(t)["account_id"].map(t["accounts"].set_index("account_id")["followers"])


def _reach_rate(t: Tables):
    return _sponsored(t)["reach"] / _followers(t)


EXERCISE = Exercise(
    stem="03_platforms_and_niches",
    module="03_platforms_and_niches",
    minutes=20,
    questions=(
        Question(
            var="er_reach",
            practises=("Skill 1", "Skill 4"),
            title=f"{PLATFORM} ER by reach",
            hints=(
                "The brief asks for engagement rate by reach, not by followers.",
                "`metrics.profile_engagement_rate(posts, accounts, metrics.ER_BY_REACH, by='platform')`.",
            ),
            solution=(
                'er = metrics.profile_engagement_rate(tables["posts"], tables["accounts"], '
                "metrics.ER_BY_REACH, "
                'by="platform")\n'
                f'er_reach = er.set_index("platform").loc["{PLATFORM}", "er"]'
            ),
            expected=lambda t: _er(t, ER_BY_REACH),
            mistakes=(
                Mistake(
                    lambda t: _er(t, ER_BY_FOLLOWERS),
                    "{answer} divides by followers; the brief asks for reach (people who saw the post).",
                ),
                Mistake(lambda t: 100 * _er(t, ER_BY_REACH), "{answer} is a percentage; give the fraction."),
            ),
        ),
        Question(
            var="reach_rate",
            practises=("Skill 1",),
            title="median reach rate of sponsored posts",
            hints=(
                "Reach rate of a post = its reach / its account's followers; keep sponsored posts.",
                "Map followers onto posts from `accounts` by account_id, divide per post, then take the "
                "median.",
            ),
            solution=(
                'sponsored = tables["posts"][tables["posts"]["sponsored"]]\n'
                'by_account = tables["accounts"].set_index("account_id")["followers"]\n'
                'followers = sponsored["account_id"].map(by_account)\n'
                'reach_rate = (sponsored["reach"] / followers).median()'
            ),
            expected=lambda t: float(_reach_rate(t).median()),
            mistakes=(
                Mistake(
                    lambda t: float(_sponsored(t)["reach"].median() / _followers(t).median()),
                    "{answer} divides the median reach by the median followers; divide per post first, then "
                    "take the median.",
                ),
                Mistake(
                    lambda t: float((_sponsored(t)["reach"] / _sponsored(t)["impressions"]).median()),
                    "{answer} divides by impressions; reach rate compares reach with the account's "
                    "followers.",
                ),
                Mistake(
                    lambda t: float(_reach_rate(t).mean()),
                    "{answer} is the mean, pulled up by a few viral posts; the question asks for the median.",
                ),
            ),
        ),
        Question(
            var="window_posts",
            practises=("Skill 4",),
            title="posts in a calculator's ER window",
            hints=(
                "Profile ER calculators average only the most recent posts.",
                f"Read `registry.benchmark('{WINDOW_ID}')`: its typical value, source_name and year.",
            ),
            solution=f'window_posts = int(registry.benchmark("{WINDOW_ID}").typical)',
            expected=lambda t: int(benchmark(WINDOW_ID).typical),
            mistakes=(
                Mistake(
                    lambda t: int(benchmark("er_profile_window_posts_insightiq").typical),
                    lambda t: (
                        "{answer} is InsightIQ's window ("
                        + benchmark("er_profile_window_posts_insightiq").source_name
                        + "); the question asks for the calculators' window."
                    ),
                ),
            ),
            fmt=".0f",
        ),
    ),
    open_question=OpenQuestion(
        title="why two ER figures disagree",
        model_answer=(
            "They divide by different things (followers, reach, impressions or views), count different "
            "interactions, average different windows of posts and come from different samples and years. "
            "Name "
            "the basis before comparing, and compare a figure only with benchmarks on the same basis."
        ),
    ),
)
