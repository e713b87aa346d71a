"""Module 01 app: rate the team against the guide's six skills and see the gaps and what to hire for.

Arranges and displays `analytics.skills` (`skill_gaps`, `team_coverage`); the required levels per role
and the interview tasks live there.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from playbook.analytics.skills import (
    INTERVIEW_TASKS,
    LEVELS,
    ROLE_REQUIREMENTS,
    SKILLS,
    skill_gaps,
    team_coverage,
)
from playbook.course.base import WidgetApp, table_html

__all__ = ["SkillsMatrixApp"]


class SkillsMatrixApp(WidgetApp):
    """One dropdown per team member and skill (0-3). `.gaps` is `skill_gaps`, `.coverage` `team_coverage`.

    Every rating starts at the level the member's role requires, so the first view has no gaps: lower the
    ratings you doubt and watch the coverage table name what to hire or train for.
    """

    def __init__(self, team: pd.DataFrame) -> None:
        self.roles: dict[str, str] = dict(zip(team["name"], team["role"], strict=True))
        options = [(f"{k} {v}", k) for k, v in LEVELS.items()]
        self.controls: dict[tuple[str, str], widgets.Dropdown] = {}
        rows = [
            widgets.HBox(
                [widgets.HTML("", layout={"width": "16em"})]
                + [widgets.HTML(f"<b>{html.escape(s)}</b>", layout={"width": "11em"}) for s in SKILLS]
            )
        ]
        for person, role in self.roles.items():
            name = html.escape(f"{person} ({role.replace('_', ' ')})")
            cells = [widgets.HTML(name, layout={"width": "16em"})]  # HTML wraps; a Label is cut off
            for skill in SKILLS:
                control = widgets.Dropdown(
                    options=options, value=ROLE_REQUIREMENTS[role][skill], layout={"width": "11em"}
                )
                control.observe(lambda _: self.update(), names="value")
                self.controls[(person, skill)] = control
                cells.append(control)
            rows.append(widgets.HBox(cells))
        self.summary = widgets.HTML()
        self.widget = widgets.VBox([*rows, self.summary])
        self.update()

    def ratings(self) -> dict[str, dict[str, int]]:
        """The ratings on the controls, person -> skill -> level."""
        out: dict[str, dict[str, int]] = {p: {} for p in self.roles}
        for (person, skill), control in self.controls.items():
            out[person][skill] = int(control.value)
        return out

    def update(self) -> None:
        """Recompute the gaps and the team's coverage of each skill."""
        self.gaps = skill_gaps(self.ratings(), self.roles)
        self.coverage = team_coverage(self.gaps)
        below = self.gaps[self.gaps["gap"] > 0]
        missing = self.coverage[~self.coverage["covered"]]
        tasks = "".join(f"<li><b>{s}</b>: {INTERVIEW_TASKS[s]}</li>" for s in missing["skill"])
        hire = (
            f"<p><b>Hire or train for:</b></p><ul>{tasks}</ul>"
            if len(missing)
            else "<p>Every skill is covered at the level the team's roles need.</p>"
        )
        self.summary.value = (
            f"<p><b>{len(below)}</b> person-skill gaps below what the role needs.</p>"
            + table_html(self.coverage)
            + hire
        )
