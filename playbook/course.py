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

import pandas as pd
from IPython.display import HTML

from playbook.benchmarks import benchmark

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
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
        raise ValueError(f"{path.name}: no metadata['playbook'] (see playbook/course.py)")
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
    """The opening block of a module: objectives, minutes and prerequisites."""
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


def benchmark_table(ids: list[str]) -> pd.DataFrame:
    """Industry figures for display: range, unit, source, year and grade of each benchmark id.

    Notebooks quote figures only through this (or `playbook.benchmarks.cite`), never typed into prose.
    """
    rows = []
    for bid in ids:
        b = benchmark(bid)
        rows.append(
            {
                "figure": b.metric.replace("_", " "),
                "platform": b.platform,
                "tier": b.tier,
                "low": b.low,
                "typical": b.typical,
                "high": b.high,
                "unit": b.unit,
                "source": b.source_name,
                "year": b.year,
                "grade": b.grade,
                "url": b.source_url,
            }
        )
    return pd.DataFrame(rows)


def agenda(
    fmt: str, break_minutes: int = 15, block_minutes: int = 90, directory: Path = NOTEBOOKS_DIR
) -> list[tuple[str, int]]:
    """A workshop agenda for `fmt` (half_day, one_day, two_day): modules in order plus breaks.

    Modules are taken in course order while they fit in the format's contact minutes; a break is added
    after every `block_minutes` of teaching. Returns (item, minutes) pairs.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    budget, used, since_break, items = FORMATS[fmt], 0, 0, []
    for m in modules(directory):
        if used + m.minutes + (break_minutes if since_break + m.minutes > block_minutes else 0) > budget:
            continue
        if since_break + m.minutes > block_minutes and items:
            items.append(("Break", break_minutes))
            used += break_minutes
            since_break = 0
        items.append((m.title, m.minutes))
        used += m.minutes
        since_break += m.minutes
    return items
