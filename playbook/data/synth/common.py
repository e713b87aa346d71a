"""Shared pieces of the data generator: the time window, seeded random streams and id formats."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "STREAMS",
    "Window",
    "ids",
    "lognormal_around",
    "pick",
    "stream",
]


STREAMS = {
    "creators": 1,
    "accounts": 2,
    "follower_daily": 3,
    "campaigns": 4,
    "outreach": 5,
    "contracts": 6,
    "posts": 7,
    "comments": 8,
    "orders": 9,
    "experiments": 10,
    "team": 11,
    "topics": 12,
    "raw": 13,
}


@dataclass(frozen=True)
class Window:
    """The period the sample covers; every date in the data falls in [start, as_of]."""

    start: pd.Timestamp
    days: int
    payment_lag_days: int = 75  # the ledger is read this long after the last posting day

    @property
    def end(self) -> pd.Timestamp:
        return self.start + pd.Timedelta(days=self.days - 1)

    @property
    def as_of(self) -> pd.Timestamp:
        return self.end + pd.Timedelta(days=self.payment_lag_days)

    def dates(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=self.days, freq="D")


def stream(seed: int, shard: int, name: str) -> np.random.Generator:
    """An independent random stream per (seed, shard, table) so tables can be generated in any order."""
    return np.random.default_rng(np.random.SeedSequence([seed, shard, STREAMS[name]]))


def ids(prefix: str, start: int, count: int, width: int) -> np.ndarray:
    """Sequential ids like CR000001 as a numpy string array."""
    numbers = np.arange(start, start + count)
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width))


def lognormal_around(
    rng: np.random.Generator, median: np.ndarray | float, sigma: float, size: int
) -> np.ndarray:
    """Log-normal draws with the given median (not mean) and log-scale sigma."""
    return np.asarray(median) * np.exp(rng.normal(0.0, sigma, size))


def pick(
    rng: np.random.Generator, options: tuple | list, weights: list[float] | np.ndarray, size: int
) -> np.ndarray:
    """Weighted choice returning a numpy array of the options."""
    p = np.asarray(weights, dtype=float)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p / p.sum())]
