"""Shared pieces of the question bank: a per-tables memo for slow analytics calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

Tables = Mapping[str, pd.DataFrame]
_MEMO: dict[tuple[str, int], tuple[Tables, Any]] = {}


def memo(name: str, tables: Tables, compute: Callable[[Tables], Any]) -> Any:
    """`compute(tables)` once per tables object (the sample is loaded once per process). The entry keeps a
    reference to `tables`, so its id cannot be reused by another object while the entry exists."""
    key = (name, id(tables))
    if key not in _MEMO:
        _MEMO[key] = (tables, compute(tables))
    return _MEMO[key][1]
