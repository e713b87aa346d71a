"""Module 01 skills matrix (analytics.skills) and module 11 traditional channel mix (analytics.media_mix),
with their apps."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from playbook.analytics.media_mix import TRADITIONAL_CHANNELS, channel_table, mix_trust
from playbook.analytics.skills import INTERVIEW_TASKS, ROLE_REQUIREMENTS, SKILLS, skill_gaps, team_coverage
from playbook.analytics.undefined import reason
from playbook.course.apps.media_mix import TraditionalMixApp
from playbook.course.apps.skills import SkillsMatrixApp
from playbook.data.registry import benchmark


def test_skill_gaps_and_coverage_worked_example() -> None:
    roles = {"Ana": "analyst", "Ben": "creator_partnerships"}
    ratings = {"Ana": {"analytics and critical thinking": 2}, "Ben": dict.fromkeys(SKILLS, 3)}
    gaps = skill_gaps(ratings, roles).set_index(["person", "skill"])
    # analyst needs analytics at 3 (ROLE_REQUIREMENTS); Ana is rated 2 -> gap 1
    ana = gaps.loc[("Ana", "analytics and critical thinking")]
    assert (ana["required"], ana["rated"], ana["gap"], ana["rated_given"]) == (3, 2, 1, True)
    # an unrated skill counts as 0 and says the rating is missing
    comms = gaps.loc[("Ana", "strong communication")]
    assert comms["rated"] == 0 and not comms["rated_given"]
    assert comms["gap"] == ROLE_REQUIREMENTS["analyst"]["strong communication"]
    coverage = team_coverage(gaps.reset_index()).set_index("skill")
    # Ben (3 everywhere) covers every skill: the highest need in this team is 3
    assert coverage["covered"].all() and (coverage["best_person"] == "Ben").all()
    ratings["Ben"]["analytics and critical thinking"] = 1
    coverage = team_coverage(skill_gaps(ratings, roles))
    first = coverage.iloc[0]  # uncovered first: analytics needs 3, the best is Ana's 2
    assert (first["skill"], first["needed"], first["best"], first["covered"]) == (
        "analytics and critical thinking",
        3,
        2,
        False,
    )
    with pytest.raises(ValueError, match="unknown role"):
        skill_gaps(ratings, {"Ana": "intern"})
    with pytest.raises(ValueError, match="level must be one of"):
        skill_gaps({"Ana": {"strong communication": 5}}, {"Ana": "analyst"})
    assert set(INTERVIEW_TASKS) == set(SKILLS)


def test_skills_matrix_app_names_what_to_hire_for() -> None:
    team = pd.DataFrame({"name": ["Ana", "Ben"], "role": ["analyst", "campaign_manager"]})
    app = SkillsMatrixApp(team)
    assert (app.gaps["gap"] == 0).all() and "Every skill is covered" in app.summary.value
    app.controls[("Ana", "analytics and critical thinking")].value = 1
    assert "Hire or train for" in app.summary.value
    assert INTERVIEW_TASKS["analytics and critical thinking"] in app.summary.value


def test_channel_table_keeps_missing_trust_undefined() -> None:
    t = channel_table().set_index("channel")
    assert t.loc["tv", "trust"] == benchmark("trust_tv_ads_nielsen_2015").value
    assert math.isnan(t.loc["out_of_home", "trust"])
    assert t.loc["out_of_home", "trust_source"] == "not reported in Nielsen 2015"
    assert set(t.index) == set(TRADITIONAL_CHANNELS)


def test_mix_trust_worked_example() -> None:
    # tv 0.63 and pr_editorial 0.66 (Nielsen 2015 ids); influencer has no figure.
    # trust = (30 x 0.63 + 10 x 0.66) / 40 = 0.6375; without a figure: 60 / 100
    r = mix_trust({"tv": 30, "pr_editorial": 10, "influencer": 60})
    assert r["trust"] == pytest.approx((30 * 0.63 + 10 * 0.66) / 40)
    assert r["share_without_figure"] == pytest.approx(0.6)
    none = mix_trust({"influencer": 1})
    assert math.isnan(none["trust"]) and "no budget on a channel" in reason(none["trust"])
    assert "sum to 0" in reason(mix_trust({"tv": 0})["share_without_figure"])
    with pytest.raises(ValueError, match="unknown channel"):
        mix_trust({"radio": 1})


def test_traditional_mix_app_follows_its_sliders() -> None:
    app = TraditionalMixApp({"tv": 50, "influencer": 50})
    assert app.result["share_without_figure"] == pytest.approx(0.5)
    app.sliders["influencer"].value = 0
    assert app.result["share_without_figure"] == 0 and app.result["trust"] == pytest.approx(0.63)
    assert "63%" in app.summary.value
    assert all(s.style.description_width == "initial" for s in app.sliders.values())


def test_cross_platform_confirmation_worked_example() -> None:
    from playbook.analytics.trend_checks import cross_platform_confirmation

    d = pd.DataFrame(
        {
            "topic": ["#a", "#a", "#a", "#b"],
            "platform": ["tiktok", "instagram", "tiktok", "youtube"],
            "first_detected": pd.to_datetime(["2025-03-01", "2025-03-09", "2025-04-01", "2025-03-05"]),
        }
    )
    out = cross_platform_confirmation(d).set_index("topic")
    # #a: tiktok first on 1 March, instagram on 9 March -> 2 platforms, lag 8 days, confirmed
    assert out.loc["#a"].tolist() == [2, "tiktok", pd.Timestamp("2025-03-01"), 8, "confirmed"]
    assert out.loc["#b", "status"] == "lead: verify elsewhere" and out.loc["#b", "lag_days"] == 0
    assert list(out.index) == ["#a", "#b"]  # confirmed first
    assert cross_platform_confirmation(d, min_platforms=3)["status"].eq("lead: verify elsewhere").all()
    assert cross_platform_confirmation(d.iloc[:0]).empty
