"""Kernel start-up for the report runner: import the chart builders and get the data into memory before
the first report asks for it (`render.py` runs `warm_up_from_env` when it starts a kernel)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from playbook.data.cache import Fingerprint, data_fingerprint, read_entry, remember
from playbook.data.schemas import TABLES
from playbook.reports.params import WARM_UP_ENV

__all__ = ["warm_up", "warm_up_from_env"]


def warm_up(data_dir: str, validated_fingerprint: list[list[Any]]) -> None:
    """Kernel start-up (run by the report runner): import the chart builders, get the data into memory.

    The data comes from the user's data cache, else the files are parsed without validation
    (`_parse_until_cached`): the runner validates them in its own process at the same time and runs no
    report if they break the contracts.
    Nothing is kept when the files no longer have the fingerprint the runner checked; failures are left
    to the report run, which reloads and reports them.
    """
    import playbook.viz.charts  # noqa: F401  (altair and the theme: a report's first chart would pay for them)

    path = Path(data_dir).resolve()
    fingerprint = data_fingerprint(path)
    if [list(item) for item in fingerprint] != validated_fingerprint:
        return
    try:
        tables = _parse_until_cached(path, fingerprint)
    except (OSError, ValueError):
        return
    remember(path, fingerprint, tables)


def _parse_until_cached(path: Path, fingerprint: Fingerprint) -> dict[str, pd.DataFrame]:
    """The tables from the cache entry, or parsed (no validation) one file at a time, smallest first,
    switching to the entry as soon as the runner's validation writes it: at most one file is parsed in
    vain, and a first run on small data does not parse what the runner is about to cache."""
    from playbook.data.loading import load

    size = {name.split(".")[0]: bytes_ for name, bytes_, _ in fingerprint}
    tables: dict[str, pd.DataFrame] = {}
    for table in sorted(TABLES, key=lambda t: size.get(t, 0)):
        cached = read_entry(path, fingerprint)
        if cached is not None:
            return cached
        tables.update(load(path, tables=[table], validate=False))
    return tables


def warm_up_from_env() -> None:
    """`warm_up` with the arguments the runner put in the kernel's environment (JSON), if any."""
    spec = os.environ.get(WARM_UP_ENV)
    if spec:
        args = json.loads(spec)
        warm_up(args["data_dir"], args["fingerprint"])
