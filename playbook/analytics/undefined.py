"""Undefined results that say why: the convention every formula in the library follows.

A metric with no defined value (a zero denominator, missing inputs, no rows) is NaN, never inf and never a
silent 0, and the caller can ask for the reason:

    >>> value = ratio(10.0, 0.0, "CPM")
    >>> math.isnan(value), reason(value)
    (True, 'CPM: denominator is 0')

For pandas Series the reasons travel in `result.attrs["reasons"]`, a Series aligned on the index holding a
string where the value is undefined and None elsewhere; `reasons(series)` returns it. It is a `ReasonSeries`,
which compares as a whole (`==` gives one bool), so pandas can compare attrs when it concatenates results.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = [
    "ReasonSeries",
    "Undefined",
    "known_sum",
    "ratio",
    "reason",
    "reasons",
]


class ReasonSeries(pd.Series):
    """The reasons attached to a result Series; `==` compares whole series so attrs stay comparable."""

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return isinstance(other, pd.Series) and pd.Series(self).equals(pd.Series(other))

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]


class Undefined(float):
    """A float NaN carrying the reason it is undefined."""

    reason: str

    def __new__(cls, reason: str) -> Undefined:
        obj = super().__new__(cls, math.nan)
        obj.reason = reason
        return obj

    def __repr__(self) -> str:
        return f"Undefined({self.reason!r})"


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def _floats(values: pd.Series) -> np.ndarray:
    """The values as float64 (NaN for missing values and for text that is not a number)."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def ratio(num: float | pd.Series, den: float | pd.Series, name: str) -> float | pd.Series:
    """num / den, undefined (with a reason) where den is 0 or either side is missing.

    Works on scalars (returns a float or an `Undefined`) and on aligned Series (returns a float Series
    whose `attrs["reasons"]` explains each NaN).
    """
    if isinstance(num, pd.Series) or isinstance(den, pd.Series):
        num_s = num if isinstance(num, pd.Series) else pd.Series(num, index=den.index)
        den_s = den if isinstance(den, pd.Series) else pd.Series(den, index=num_s.index)
        if not num_s.index.equals(den_s.index):  # align as pandas arithmetic does (union of the labels)
            num_s, den_s = num_s.align(den_s)
        num_f, den_f = _floats(num_s), _floats(den_s)
        missing = np.isnan(num_f) | np.isnan(den_f)
        zero = ~missing & (den_f == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(missing | zero, np.nan, num_f / den_f)
        why = np.full(len(values), None, dtype=object)
        why[missing] = f"{name}: missing data"
        why[zero] = f"{name}: denominator is 0"
        out = pd.Series(values, index=num_s.index, dtype="float64")
        out.attrs["reasons"] = ReasonSeries(why, index=num_s.index, dtype=object)
        return out
    upstream = next((x for x in (num, den) if isinstance(x, Undefined)), None)
    if upstream is not None:  # keep the reason an input already carries
        return Undefined(f"{name}: {upstream.reason}")
    if _missing(num) or _missing(den):
        return Undefined(f"{name}: missing data")
    if den == 0:
        return Undefined(f"{name}: denominator is 0")
    return float(num) / float(den)


def known_sum(values: pd.Series | pd.DataFrame, name: str) -> float:
    """Sum of counts or amounts, undefined (`name: unknown for k of n rows`) when any value is missing.

    A sum with a part unknown is unknown: summing only the known values would report a partial total as
    the whole (and an all-unknown column as 0). No rows sum to 0.
    """
    frame = values.to_frame() if isinstance(values, pd.Series) else values
    unknown = int(frame.isna().any(axis=1).sum())
    if unknown:
        return Undefined(f"{name}: unknown for {unknown:,} of {len(frame):,} rows")
    return float(frame.to_numpy(dtype="float64").sum())


def reason(value: object) -> str | None:
    """Why a scalar result is undefined, or None when it is a number."""
    if isinstance(value, Undefined):
        return value.reason
    if isinstance(value, float) and math.isnan(value):
        return "undefined (no reason recorded)"
    return None


def reasons(series: pd.Series) -> pd.Series:
    """Reasons aligned on the index of a result produced by `ratio` (None where the value is defined)."""
    found = series.attrs.get("reasons")
    out = pd.Series([None] * len(series), index=series.index, dtype=object)
    if found is None:
        out[series.isna().to_numpy()] = "undefined (no reason recorded)"
        return out
    if isinstance(found, pd.Series):
        return pd.Series(found).reindex(series.index).astype(object).where(lambda r: r.notna(), None)
    mask = series.index.isin(list(found))
    out[mask] = [found[k] for k in series.index[mask]]
    return out
