"""Report plumbing and the vocabularies every cleaner shares (part of `playbook.data.cleaning`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

REPORT_COLUMNS: tuple[str, ...] = ("row", "column", "kind", "action", "before", "after", "note")
PLATFORM_ALIASES: Mapping[
    str, str
] = {  # spelling with spaces, '_' and '-' removed, lower case -> platform id
    "instagram": "instagram",
    "insta": "instagram",
    "ig": "instagram",
    "tiktok": "tiktok",
    "tt": "tiktok",
    "youtube": "youtube",
    "yt": "youtube",
}
DISPLAY_PLATFORMS = frozenset({"Instagram", "TikTok", "YouTube"})  # the exports' standard spellings
COUNTRY_CODES: Mapping[str, str] = {  # lower-case English name or common alias -> ISO 3166-1 alpha-2
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "united kingdom": "GB",
    "great britain": "GB",
    "uk": "GB",
    "germany": "DE",
    "france": "FR",
    "spain": "ES",
    "italy": "IT",
    "netherlands": "NL",
    "the netherlands": "NL",
    "sweden": "SE",
    "canada": "CA",
    "australia": "AU",
    "brazil": "BR",
    "mexico": "MX",
    "india": "IN",
}
SYMBOL_CURRENCIES: Mapping[str, tuple[str, ...]] = {  # symbol -> currencies it may stand for, default first
    "$": ("USD", "CAD", "AUD", "NZD"),
    "€": ("EUR",),
    "£": ("GBP",),
}
CLEANER_KINDS: Mapping[str, str] = {  # kinds this module reports beyond `data.synth.messy.DIRT_KINDS`
    "mixed_case": "handle with some capital letters (platforms store handles in lower case)",
    "leading_whitespace": "spaces before the value",
    "lower_case_code": "country code in lower case ('us' instead of 'US')",
    "missing_currency": "a plain amount with no currency anywhere on the row",
    "currency_conflict": "the amount's own currency disagrees with the currency column",
    "ambiguous_rate": "plain number above 1 in a rate column: a percent without its sign?",
    "invalid_date": "the shape of a date, but no such day (e.g. 02/30/2025)",
    "unknown_platform": "a platform name no alias matches",
    "unknown_country": "a country name or code no alias matches",
    "unparseable": "text that is not a value of the column's type",
    "orphan_refund": "a refund whose order id has no sale in the export",
    "conflicting_order_id": "two different sales with the same order id",
    "day_first_date": "a slash date read day first (a first part above 12 in its column, or dayfirst=True)",
    "ambiguous_date": "a slash date whose column does not say if the day or the month comes first",
    "text_month_date": "a date with the month as a word (01-Jan-22, Jan 6, 2024)",
    "percent_number": "a plain number in a column whose unit is percent",
}
MULTIPLIERS: Mapping[str, int] = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's (Windows, 1900) date system
EXCEL_SERIAL_RANGE: tuple[int, int] = (20_000, 80_000)  # our choice: serials read as dates (1954 to 2119)

_ABBREVIATED = re.compile(r"^(\d+(?:\.\d+)?)\s*([kKmMbB])$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_MONEY = re.compile(
    r"^(?P<sign>-)?\s*(?P<symbol>[$€£])?\s*(?P<sign2>-)?\s*"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<code>[A-Za-z]{3})?$"
)
_DATE_FORMATS: tuple[tuple[str, str, str | None], ...] = (  # (pattern, strptime format, dirt kind or None)
    (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d", None),
    (r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$", "%Y-%m-%d %H:%M:%S", None),
    (r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$", "%Y-%m-%d %H:%M", None),
    (r"^\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}:\d{2}$", "%d.%m.%Y %H:%M", "day_first_datetime"),
    (r"^\d{1,2}\.\d{1,2}\.\d{4}$", "%d.%m.%Y", "day_first_datetime"),
    (r"^\d{1,2}-[A-Za-z]{3}-\d{2}$", "%d-%b-%y", "text_month_date"),
    (r"^\d{1,2}-[A-Za-z]{3}-\d{4}$", "%d-%b-%Y", "text_month_date"),
    (r"^\d{1,2} [A-Za-z]{3,9} \d{4}$", "%d %B %Y", "text_month_date"),
    (r"^[A-Za-z]{3} \d{1,2}, \d{4}$", "%b %d, %Y", "text_month_date"),
    (r"^[A-Za-z]{4,9} \d{1,2}, \d{4}$", "%B %d, %Y", "text_month_date"),
)
_SLASH_DATE = r"^(\d{1,2})/(\d{1,2})/(\d{4})$"


@dataclass(frozen=True)
class Cleaned:
    """Clean values (a Series or a frame, on the input's index) and the report of what was done to them."""

    values: pd.Series | pd.DataFrame
    report: pd.DataFrame

    def counts(self) -> pd.DataFrame:
        """Rows per column, kind and action of the report (`dirt_counts`)."""
        return dirt_counts(self.report)


# --------------------------------------------------------------------------- report plumbing
def _text(values: pd.Series) -> pd.Series:
    """Values as str, missing as "" (what a CSV cell holds); floats with up to 10 significant digits."""
    if pd.api.types.is_float_dtype(values.dtype):
        return values.map(lambda v: "" if pd.isna(v) else f"{v:.10g}").astype(object).astype(str)
    return values.astype(object).where(values.notna(), "").astype(str)


def _entries(
    mask: pd.Series | np.ndarray,
    column: str,
    kind: str,
    action: str,
    before: pd.Series,
    after: pd.Series | str = "",
    note: pd.Series | str = "",
) -> pd.DataFrame:
    """Report rows for the masked positions of `before`; after and note: a Series on its index, or text."""
    mask = np.asarray(mask, dtype=bool)
    index = before.index[mask]
    after_text = _text(after[mask]).to_numpy() if isinstance(after, pd.Series) else after
    note_text = _text(note[mask]).to_numpy() if isinstance(note, pd.Series) else note
    return pd.DataFrame(
        {
            "row": index.to_numpy(),
            "column": column,
            "kind": kind,
            "action": action,
            "before": _text(before[mask]).to_numpy(),
            "after": after_text,
            "note": note_text,
        },
        columns=list(REPORT_COLUMNS),
    )


def _report(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Report rows in input order (row, then the order the checks ran)."""
    kept = [p for p in parts if len(p)]
    if not kept:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in REPORT_COLUMNS})
    out = pd.concat(kept, ignore_index=True)
    return out.sort_values("row", kind="stable", ignore_index=True)


def _column(text: pd.Series, column: str | None, default: str) -> str:
    """The column name for the report: given, else the Series' name, else `default`."""
    return column or (str(text.name) if text.name is not None else default)


def dirt_counts(report: pd.DataFrame) -> pd.DataFrame:
    """Distinct rows per (column, kind, action) of a report: column, kind, action, rows."""
    if report.empty:
        return pd.DataFrame(columns=["column", "kind", "action", "rows"])
    g = report.groupby(["column", "kind", "action"], sort=False)["row"].nunique()
    return g.rename("rows").reset_index()
