"""Hiring and growing the team (module 01): a skills matrix against the guide's six skills.

Each role needs each skill at some level (0 none, 1 basic, 2 works alone, 3 can teach it). The required
levels in `ROLE_REQUIREMENTS` are our choice for a brand-side team, stated so a learner can argue with
them; ratings come from the learner (self-assessment, a manager, an interview task).

    gap = required level - rated level   (> 0: below what the role needs)

`team_coverage` asks the hiring question: for each skill, does anyone in the team reach the highest level
any role needs? A skill nobody covers is what the next hire (or training) is for.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from playbook.data.schemas import ROLES

__all__ = [
    "INTERVIEW_TASKS",
    "LEVELS",
    "ROLE_REQUIREMENTS",
    "SKILLS",
    "skill_gaps",
    "team_coverage",
]

SKILLS: tuple[str, ...] = (
    "niche social-media knowledge",
    "strong communication",
    "team building and negotiation",
    "analytics and critical thinking",
    "time management and organisation",
    "traditional and digital marketing",
)
LEVELS: Mapping[int, str] = {0: "none", 1: "basic", 2: "works alone", 3: "can teach it"}
_S = SKILLS
# our choice: required level per role, in the order of SKILLS
ROLE_REQUIREMENTS: Mapping[str, Mapping[str, int]] = {
    "head_of_influencer": dict(zip(_S, (2, 3, 3, 2, 2, 3), strict=True)),
    "campaign_manager": dict(zip(_S, (2, 2, 2, 2, 3, 2), strict=True)),
    "creator_partnerships": dict(zip(_S, (3, 3, 3, 1, 2, 1), strict=True)),
    "analyst": dict(zip(_S, (1, 2, 1, 3, 2, 1), strict=True)),
    "content_coordinator": dict(zip(_S, (3, 2, 1, 1, 3, 1), strict=True)),
}
INTERVIEW_TASKS: Mapping[str, str] = {
    "niche social-media knowledge": (
        "Given three creators' last ten posts, say which formats work in the niche and why."
    ),
    "strong communication": (
        "Rewrite a vague brief (module 05) so a creator can act on it; then write the reply to a creator "
        "whose draft missed the disclosure."
    ),
    "team building and negotiation": (
        "Role-play a counter-offer on a deal from the negotiation app, including usage rights and payment "
        "terms, with the interviewer as the creator."
    ),
    "analytics and critical thinking": (
        "From one campaign report, find the figure you would not trust and say what data would settle it "
        "(module 08 or 12)."
    ),
    "time management and organisation": (
        "Plan the timeline of a 10-creator campaign backwards from the posting date; name the step most "
        "likely to slip (module 07)."
    ),
    "traditional and digital marketing": (
        "Explain how a creator campaign would support a TV flight or a retail launch the brand already has "
        "planned (module 11)."
    ),
}
"""One work-sample task per skill (our suggestion): candidates show the skill instead of claiming it."""


def _check(ratings: Mapping[str, Mapping[str, int]], roles: Mapping[str, str]) -> None:
    for person, role in roles.items():
        if role not in ROLE_REQUIREMENTS:
            raise ValueError(f"{person}: unknown role {role!r}; expected one of {', '.join(ROLES)}")
        if person not in ratings:
            raise ValueError(f"{person}: no ratings")
    for person, skills in ratings.items():
        for skill, level in skills.items():
            if skill not in SKILLS:
                raise ValueError(f"{person}: unknown skill {skill!r}; expected one of {', '.join(SKILLS)}")
            if level not in LEVELS:
                raise ValueError(f"{person}, {skill}: level must be one of {sorted(LEVELS)}; got {level!r}")


def skill_gaps(ratings: Mapping[str, Mapping[str, int]], roles: Mapping[str, str]) -> pd.DataFrame:
    """One row per person and skill: person, role, skill, required, rated, gap (required - rated).

    A skill a person was not rated on counts as rated 0 ("none"): the gap is then the full requirement,
    and ``rated_given`` is False so a report can say the rating is missing rather than low.
    """
    _check(ratings, roles)
    rows = []
    for person, role in roles.items():
        for skill in SKILLS:
            given = skill in ratings[person]
            rated = int(ratings[person].get(skill, 0))
            required = ROLE_REQUIREMENTS[role][skill]
            rows.append((person, role, skill, required, rated, required - rated, given))
    return pd.DataFrame(rows, columns=["person", "role", "skill", "required", "rated", "gap", "rated_given"])


def team_coverage(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per skill: the highest level any of the team's roles needs, the team's best rating, who holds it,
    and ``covered`` (best >= needed). Uncovered skills come first: hire or train for them."""
    rows = []
    for skill, part in gaps.groupby("skill", sort=False):
        best = part.loc[part["rated"].idxmax()]
        needed = int(part["required"].max())
        rows.append((skill, needed, int(best["rated"]), str(best["person"]), int(best["rated"]) >= needed))
    out = pd.DataFrame(rows, columns=["skill", "needed", "best", "best_person", "covered"])
    return out.sort_values("covered", kind="stable").reset_index(drop=True)
