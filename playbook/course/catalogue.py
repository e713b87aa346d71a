"""Course metadata: each module notebook carries its own facts in `metadata["playbook"]`.

A module's metadata holds: `title`, `order`, `teaching_minutes`, `practice_minutes`, `prerequisites`
(module file stems), `objectives` (list of sentences) and `key_points`. From it the notebook's first cell
renders its header (`module_header("04_finding_and_vetting")`), the trainer agendas are built
(`agenda(...)`), and tests check that every module is complete. One source, so nothing drifts.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from IPython.display import HTML

from playbook.course.base import readable_numbers
from playbook.data.io import atomic_write_text
from playbook.data.layout import NOTEBOOKS_DIR

__all__ = [
    "FORMATS",
    "PLANS",
    "REQUIRED_KEYS",
    "TRAINER_GUIDE",
    "Module",
    "agenda",
    "key_points",
    "module",
    "module_header",
    "modules",
    "render_trainer_guide",
    "write_trainer_guide",
]


REQUIRED_KEYS = (
    "title",
    "order",
    "teaching_minutes",
    "practice_minutes",
    "prerequisites",
    "objectives",
    "key_points",
)
FORMATS = {
    "half_day": 3 * 60 + 30,
    "one_day": 6 * 60 + 30,
    "two_day": 2 * (6 * 60 + 30),
}  # minutes of contact


@dataclass(frozen=True)
class Module:
    stem: str
    title: str
    order: int
    teaching_minutes: int
    practice_minutes: int
    prerequisites: tuple[str, ...]
    objectives: tuple[str, ...]
    key_points: tuple[str, ...]

    @property
    def minutes(self) -> int:
        return self.teaching_minutes + self.practice_minutes


def _read(path: Path) -> Module:
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("playbook")
    if meta is None:
        raise ValueError(f"{path.name}: no metadata['playbook'] (see playbook/course/catalogue.py)")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise ValueError(f"{path.name}: metadata['playbook'] lacks {', '.join(missing)}")
    return Module(
        stem=path.stem,
        title=str(meta["title"]),
        order=int(meta["order"]),
        teaching_minutes=int(meta["teaching_minutes"]),
        practice_minutes=int(meta["practice_minutes"]),
        prerequisites=tuple(meta["prerequisites"]),
        objectives=tuple(meta["objectives"]),
        key_points=tuple(meta["key_points"]),
    )


@cache
def modules(directory: Path = NOTEBOOKS_DIR) -> tuple[Module, ...]:
    """All course modules (top-level notebooks of `notebooks/`), in course order."""
    found = [_read(p) for p in sorted(directory.glob("*.ipynb"))]
    return tuple(sorted(found, key=lambda m: m.order))


def module(stem: str, directory: Path = NOTEBOOKS_DIR) -> Module:
    """One module's metadata by notebook stem (e.g. "04_finding_and_vetting")."""
    for m in modules(directory):
        if m.stem == stem:
            return m
    raise KeyError(f"unknown module {stem!r}; modules: {', '.join(m.stem for m in modules(directory))}")


def module_header(stem: str) -> HTML:
    """The opening block of a module: objectives, minutes and prerequisites. Also switches the notebook's
    tables to readable numbers (`base.readable_numbers`), since every module calls it first."""
    readable_numbers()
    m = module(stem)
    objectives = "".join(f"<li>{html.escape(o)}</li>" for o in m.objectives)
    titles = {x.stem: x.title for x in modules()}
    prereq = ", ".join(html.escape(titles.get(p, p)) for p in m.prerequisites) or "none"
    return HTML(
        f"<div class='playbook-module'><h2>{html.escape(m.title)}</h2>"
        f"<p><b>Time:</b> {m.teaching_minutes} min teaching + {m.practice_minutes} min practice. "
        f"<b>Before this:</b> {prereq}.</p><p><b>You will be able to:</b></p><ul>{objectives}</ul></div>"
    )


def key_points(stem: str) -> HTML:
    """The closing summary of a module."""
    items = "".join(f"<li>{html.escape(k)}</li>" for k in module(stem).key_points)
    return HTML(f"<div class='playbook-keypoints'><h3>Key points</h3><ul>{items}</ul></div>")


# Which modules each workshop format teaches (our curation; minutes come from each notebook's metadata).
# Half day: the two problems practitioners name most (fraud when choosing creators, proving ROI).
# The rest of the course is self-study or pre-work; `agenda` checks that each plan fits its format.
PLANS = {
    "half_day": ("00_start_here", "04_finding_and_vetting", "08_measuring_performance"),
    "one_day": (
        "00_start_here",
        "02_strategy",
        "04_finding_and_vetting",
        "05_outreach_and_communication",
        "08_measuring_performance",
    ),
    "two_day": (
        "00_start_here",
        "01_the_team",
        "02_strategy",
        "04_finding_and_vetting",
        "05_outreach_and_communication",
        "06_relationships_and_negotiation",
        "07_campaign_execution_and_time",
        "08_measuring_performance",
        "13_capstone",
    ),
}
# 09 (the holdout lab) left the two-day plan when modules 01, 06, 10 and 11 gained sections (hiring and
# feedback; clauses, gifting and payments; the trend workflow; traditional channels): it is the module
# learners can best work through alone, with its exercise, before or after the workshop.


def agenda(
    fmt: str,
    break_minutes: int = 15,
    block_minutes: int = 90,
    directory: Path = NOTEBOOKS_DIR,
    plan: tuple[str, ...] | None = None,
) -> list[tuple[str, int]]:
    """A workshop agenda for `fmt` (half_day, one_day, two_day): its plan's modules plus breaks.

    A break is added before a module that would take a teaching block past `block_minutes`. Raises
    ValueError if the plan does not fit the format's contact minutes. Returns (item, minutes) pairs.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    items: list[tuple[str, int]] = []
    since_break = 0
    for stem in plan if plan is not None else PLANS[fmt]:
        m = module(stem, directory)
        if since_break + m.minutes > block_minutes and items:
            items.append(("Break", break_minutes))
            since_break = 0
        items.append((m.title, m.minutes))
        since_break += m.minutes
    used = sum(minutes for _, minutes in items)
    if used > FORMATS[fmt]:
        raise ValueError(
            f"the {fmt} plan needs {used} min but the format has {FORMATS[fmt]} min of contact time"
        )
    return items


TRAINER_GUIDE = NOTEBOOKS_DIR / "TRAINER.md"


def render_trainer_guide(directory: Path = NOTEBOOKS_DIR) -> str:
    """The trainer guide: learner setup, agendas from the modules' minutes, links to instructor notes and to
    each module's graded exercise with its minutes (part of the module's practice time)."""
    from playbook.course.exercises.links import exercise_minutes

    exercise = exercise_minutes()

    def exercise_cell(stem: str) -> str:
        if stem not in exercise:
            return ""
        return f"[{exercise[stem]} min](../exercises/{stem}.ipynb)"

    lines = [
        "# Trainer guide",
        "",
        "<!-- generated by `python -m course.catalogue` from the modules' metadata; do not edit by hand -->",
        "",
        "## Setting up learners",
        "",
        "Each learner needs Python 3.11+, `make` and a clone of this repository. Before the workshop,",
        "ask them to run `make lab` once (it creates `.venv`, installs everything and opens JupyterLab),",
        "then open `00_start_here.ipynb` and run it top to bottom: it checks widgets and runs",
        "`playbook doctor`, which prints a one-line fix for anything wrong. Notebooks use the kernel",
        "**Influencer Playbook (.venv)**; if JupyterLab offers another kernel, pick that one. Learners",
        "without a local setup can use Binder (`environment.yml` and `postBuild` are in the root).",
        "",
        "## Modules",
        "",
        "| module | teaching | practice | of which graded exercise | total | before it | instructor notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in modules(directory):
        notes = f"[notes](trainer/{m.stem}.md)" if (directory / "trainer" / f"{m.stem}.md").exists() else ""
        before = ", ".join(m.prerequisites) or "none"
        lines.append(
            f"| [{m.title}]({m.stem}.ipynb) | {m.teaching_minutes} min | {m.practice_minutes} min | "
            f"{exercise_cell(m.stem)} | {m.minutes} min | {before} | {notes} |"
        )
    titles = {"half_day": "Half-day workshop", "one_day": "One-day workshop", "two_day": "Two-day workshop"}
    for fmt, title in titles.items():
        items = agenda(fmt, directory=directory)
        total = sum(minutes for _, minutes in items)
        stems = {m.title: m.stem for m in modules(directory)}
        lines += [
            "",
            f"## {title} ({total} of {FORMATS[fmt]} contact minutes)",
            "",
            "| # | item | minutes | of which graded exercise |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {i} | {item} | {minutes} | {exercise_cell(stems.get(item, ''))} |"
            for i, (item, minutes) in enumerate(items, start=1)
        ]
        rest = [m.title for m in modules(directory) if m.stem not in PLANS[fmt]]
        if rest:
            lines += ["", "Self-study or pre-work: " + "; ".join(rest) + "."]
    lines += [
        "",
        "## Running a session",
        "",
        "Each module opens with its objectives and minutes and closes with key points and a self-check quiz.",
        'Teach the explanation, then let learners work the widgets on the sample data; the "Your decision"',
        "cell asks for a recommendation they could defend in a meeting: collect two or three, discuss them.",
        "The instructor notes list common mistakes, discussion prompts and extensions per module.",
        "Each module ends with a graded exercise (`exercises/`), done in its practice time or as homework:",
        "learners run `playbook exercises start` once for their own copies; collect their folders and run",
        "`playbook exercises grade SUBMISSIONS --out gradebook.csv` to see, in `gradebook.html`, where the",
        "room is stuck.",
        "",
    ]
    return "\n".join(lines)


def write_trainer_guide(path: Path = TRAINER_GUIDE) -> Path:
    """Write the trainer guide (atomically) and return its path."""
    return atomic_write_text(path, render_trainer_guide(path.parent))


if __name__ == "__main__":
    print(write_trainer_guide())
