"""The question bank: one `Exercise` per course module, in course order."""

from __future__ import annotations

from importlib import import_module

from playbook.course.exercises.core import Exercise

_MODULES = tuple(f"m{i:02d}" for i in range(14))


def exercises() -> tuple[Exercise, ...]:
    """Every exercise, in course order (modules imported on first use)."""
    return tuple(import_module(f"{__name__}.{m}").EXERCISE for m in _MODULES)


def get_exercise(stem: str) -> Exercise:
    """The exercise of module `stem` (e.g. "03_platforms_and_niches"); KeyError lists the known stems."""
    found = {e.stem: e for e in exercises()}
    if stem not in found:
        raise KeyError(f"no exercise {stem!r}; known: {', '.join(found)}")
    return found[stem]
