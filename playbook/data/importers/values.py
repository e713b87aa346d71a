"""Parse the text cells of real exports into contract values, reporting (never guessing) what does not parse.

Each parser takes a Series of text and returns (values, bad) where `bad` is a boolean mask of the non-empty
cells that could not be read. Empty-like cells (`''`, `-`, `--`, `n/a`, TikTok's literal `undefined`) are
unknown (null), never 0 (real-exports.md §2: "Literal `undefined` = no data").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "NULL_WORDS",
    "DateOrder",
    "parse_bool",
    "parse_dates",
    "parse_number",
    "parse_share",
    "unknown_mask",
]

NULL_WORDS = frozenset({"", "-", "--", "n/a", "na", "none", "null", "undefined", "nan", "#n/a"})
_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9, "mm": 1e6}
_NUMBER_RE = re.compile(
    r"^(?P<sign>[+-])?\s*(?:[$€£¥₹]|[A-Z]{3}\s)?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<suffix>[kKmMbB]{1,2}|bn)?\s*(?:[$€£¥₹]|\s[A-Z]{3})?\s*(?P<pct>%)?$"
)


def unknown_mask(text: pd.Series) -> np.ndarray:
    """Cells that mean "no data": empty, dashes, n/a, `undefined`."""
    return text.astype(str).str.strip().str.lower().isin(NULL_WORDS).to_numpy()


def _numbers(text: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """(value, had a % sign, bad) for thousands separators, K/M suffixes and currency signs."""
    s = text.astype(str).str.strip()
    found = s.str.extract(_NUMBER_RE)
    unknown = unknown_mask(text)
    num = pd.to_numeric(found["num"].str.replace(",", "", regex=False), errors="coerce")
    scale = found["suffix"].str.lower().map(_SUFFIX).fillna(1.0)
    sign = np.where(found["sign"] == "-", -1.0, 1.0)
    values = pd.Series(num.to_numpy() * scale.to_numpy() * sign, index=text.index).where(~unknown)
    bad = ~unknown & values.isna().to_numpy()
    return values, found["pct"].notna().to_numpy(), bad


def parse_number(text: pd.Series, whole: bool = False) -> tuple[pd.Series, np.ndarray]:
    """Numbers such as `15,000`, `1.2K`, `475.8m`, `$2,500`, `1200 EUR`; `whole` rounds counts (1.2K views).

    Decimal commas (`1.200,50`) are not guessed: they are reported as unparseable.
    """
    values, pct, bad = _numbers(text)
    bad = bad | pct
    if whole:
        # "12.400" is 12400 in a comma-decimal locale and 12.4 elsewhere: a count with a fraction and no K/M
        # suffix is reported, never guessed (1.2K is 1,200).
        stripped = text.astype(str).str.strip()
        suffix = stripped.str.contains(r"\d\s*(?:[kKmMbB]{1,2}|bn)$", regex=True).to_numpy()
        bad = bad | (~suffix & (values % 1 != 0).to_numpy() & values.notna().to_numpy())
        values = values.round()
    return values.where(~bad), bad


def parse_share(text: pd.Series, unit: str = "auto") -> tuple[pd.Series, np.ndarray]:
    """A rate or share as a fraction 0-1. `unit`: "percent" (5.22 means 5.22%), "fraction" (0.0522), or
    "auto": a column with a `%` sign or a value above 1 anywhere is in percent, else in fractions (one
    unit per column, so `0.9` next to `1.62%` is 0.9%)

    YouTube writes percents without a sign, TikTok and the Modash API fractions (real-exports.md §0).
    """
    if unit not in ("auto", "percent", "fraction"):
        raise ValueError(f"unit must be auto, percent or fraction; got {unit!r}")
    values, pct, bad = _numbers(text)
    if unit == "percent":
        values = values / 100
    elif unit == "auto":
        in_percent = pct.any() or (values > 1).any()
        values = values / 100 if in_percent else values
    else:
        bad = bad | pct
        values = values.where(~pct)
    return values, bad


def parse_bool(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """yes/no, true/false, 1/0, y/n (any case) as booleans."""
    lower = text.astype(str).str.strip().str.lower()
    unknown = unknown_mask(text)
    values = pd.Series(pd.NA, index=text.index, dtype="boolean")
    values[lower.isin(("yes", "true", "1", "y")).to_numpy()] = True
    values[lower.isin(("no", "false", "0", "n")).to_numpy()] = False
    return values, ~unknown & values.isna().to_numpy()


@dataclass(frozen=True)
class DateOrder:
    """How a column's `a/b/yyyy` dates were read: "dayfirst", "monthfirst", "ambiguous" or "" (no such
    dates), and why (for IMPORT.md)."""

    order: str
    why: str


_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_TEXT_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M",
    "%Y%m%d",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%a, %d %b %Y",
)


def _slashed_order(parts: pd.DataFrame, dayfirst: bool | None) -> DateOrder:
    first, second = parts[0].astype(float), parts[1].astype(float)
    day_first_seen, month_first_seen = bool((first > 12).any()), bool((second > 12).any())
    if dayfirst is not None:
        return DateOrder("dayfirst" if dayfirst else "monthfirst", "chosen with --dayfirst/--monthfirst")
    if day_first_seen and month_first_seen:
        return DateOrder("ambiguous", "both a first part and a second part above 12: mixed orders")
    if day_first_seen:
        return DateOrder("dayfirst", "day first: a first part above 12 (e.g. 13/01)")
    if month_first_seen:
        return DateOrder("monthfirst", "month first: a second part above 12 (e.g. 01/13)")
    return DateOrder("ambiguous", "every day and month is 12 or less: pass --dayfirst or --monthfirst")


def parse_dates(text: pd.Series, dayfirst: bool | None = None) -> tuple[pd.Series, np.ndarray, DateOrder]:
    """Dates and timestamps in the common export formats, as naive UTC `datetime64[ns]`.

    ISO dates and times (an offset such as `+0000` is converted to UTC), `2026/05/10`, `20260901`,
    `01-Jan-22`, `Jan 6, 2024`, `6 Jan 2024`, and `a/b/yyyy [HH:MM]`. The order of `a/b` is detected per
    column: day first when any first part exceeds 12, month first when any second part does; otherwise
    `dayfirst` decides, and when it is None the column is ambiguous and its slashed cells are reported,
    never guessed. Returns (values, bad, order).
    """
    s = text.astype(str).str.strip()
    unknown = unknown_mask(text)
    values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    slashed = s.str.extract(_SLASHED)
    is_slashed = slashed[0].notna().to_numpy() & ~unknown
    order = DateOrder("", "")
    if is_slashed.any():
        order = _slashed_order(slashed[is_slashed], dayfirst)
        if order.order != "ambiguous":
            p = slashed[is_slashed].fillna("0")
            day, month = (p[0], p[1]) if order.order == "dayfirst" else (p[1], p[0])
            year = p[2].astype(int).where(p[2].str.len() == 4, 2000 + p[2].astype(int))
            stamp = pd.to_datetime(
                pd.DataFrame(
                    {
                        "year": year,
                        "month": month.astype(int),
                        "day": day.astype(int),
                        "hour": p[3].astype(int),
                        "minute": p[4].astype(int),
                        "second": p[5].astype(int),
                    }
                ),
                errors="coerce",
            )
            values[is_slashed] = stamp.to_numpy()
    rest = ~is_slashed & ~unknown
    with_offset = s.str.contains(
        r"\d{2}:\d{2}(?::\d{2})?\s*(?:[+-]\d{2}:?\d{2}|Z|UTC)$", regex=True
    ).to_numpy()
    pick = rest & with_offset
    if pick.any():
        parsed = pd.to_datetime(s[pick], utc=True, errors="coerce", format="mixed")
        values[pick] = parsed.dt.tz_convert(None).to_numpy()
    for fmt in _TEXT_FORMATS:
        todo = rest & values.isna().to_numpy()
        if not todo.any():
            break
        values[todo] = pd.to_datetime(s[todo], format=fmt, errors="coerce").to_numpy()
    bad = ~unknown & values.isna().to_numpy()
    return values, bad, order
