"""Cleaning messy exports: small parsers that return the cleaned values and a report of every change.

Each parser takes raw text (a Series of str, as `read_raw` reads it) and returns `Cleaned(values, report)`:
`values` on the input's index, `report` one row per cell or row that was changed, rejected, dropped or
flagged, with the columns of `REPORT_COLUMNS`:

- row: the input's index label; column: the column it concerns ("*" for a whole row);
- kind: what was wrong, named like `data.synth.messy.DIRT_KINDS` where one fits (so a report can be compared
  with the manifest of the raw exports), e.g. abbreviated_number, us_date, refund_row;
- action: "changed" (rewritten to the clean form), "rejected" (set missing: it cannot be used),
  "dropped" (row removed), "flagged" (kept as it is, marked for review; blanks stay missing);
- before, after: the raw text and the clean value as text; note: anything else worth knowing.

Every parser also takes `column`, the name written in its report rows (default: the Series' name). Nothing is
silently dropped: a value that cannot be parsed becomes missing (NaN / NaT / <NA> / None) and is listed.
Only surrounding spaces in numbers and dates are ignored without a report row, because they change nothing.
Cut-offs below (Excel serial range, what counts as a near duplicate) are our choices, not industry figures.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from playbook.data.layout import RAW_DIR
from playbook.data.schemas import INTERACTIONS, ISO_COUNTRIES
from playbook.data.vocab import country_code

__all__ = [
    "CLEANERS",
    "CLEANER_KINDS",
    "COUNTRY_CODES",
    "DISPLAY_PLATFORMS",
    "PLATFORM_ALIASES",
    "REPORT_COLUMNS",
    "SYMBOL_CURRENCIES",
    "Cleaned",
    "canonical_platform",
    "clean_campaign_export",
    "clean_creator_export",
    "clean_export",
    "clean_orders_export",
    "dirt_counts",
    "drop_duplicates",
    "flag_impossible_reach",
    "normalise_code",
    "normalise_country",
    "normalise_handle",
    "parse_count",
    "parse_dates",
    "parse_money",
    "parse_percent",
    "read_raw",
    "reconcile_campaign_export",
    "reconcile_orders_export",
    "slash_date_order",
    "split_refunds",
]

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


# --------------------------------------------------------------------------- numbers
def parse_count(text: pd.Series, column: str | None = None) -> Cleaned:
    """Counts such as "2372", "1,234", "12.5k", "1.2M", "3B" as whole numbers (Int64).

    k = x 1,000, M = x 1,000,000, B = x 1,000,000,000 (either case). An abbreviated count was rounded by
    whoever wrote it: the note gives the precision (half a unit of its last digit times the multiplier).
    Blank cells stay missing (missing_value, flagged); anything else that is not a whole number, including
    negative numbers and decimals without a suffix, is rejected (unparseable).
    """
    column = _column(text, column, "count")
    raw = _text(text).str.strip()
    blank = raw == ""
    abbreviated = raw.str.match(_ABBREVIATED)
    grouped = raw.str.match(_GROUPED)
    plain = raw.str.match(_PLAIN)
    values = pd.Series(np.nan, index=text.index, dtype="float64")
    parts = raw[abbreviated].str.extract(_ABBREVIATED)
    number = parts[0].astype(float)
    multiplier = parts[1].str.lower().map(MULTIPLIERS).astype(float)
    values[abbreviated] = np.round(number * multiplier)
    decimals = parts[0].map(lambda t: len(str(t).partition(".")[2])).astype("float64")
    precision = 0.5 * multiplier / 10.0**decimals
    values[grouped] = raw[grouped].str.replace(",", "").astype(float)
    values[plain] = raw[plain].astype(float)
    whole = values.notna() & (values == np.round(values))
    bad = ~blank & ~whole
    values = values.where(whole)
    note = pd.Series("", index=text.index, dtype=object)
    note[abbreviated] = "rounded in the export: true value within +/- " + precision.map(
        "{:,.0f}".format
    ).astype(str)
    report = _report(
        [
            _entries(abbreviated & whole, column, "abbreviated_number", "changed", text, values, note),
            _entries(grouped & whole, column, "thousands_separator", "changed", text, values),
            _entries(blank, column, "missing_value", "flagged", text, note="blank cell"),
            _entries(bad, column, "unparseable", "rejected", text, note="not a whole number"),
        ]
    )
    return Cleaned(values.round().astype("Int64"), report)


def parse_percent(text: pd.Series, column: str | None = None, unit: str = "auto") -> Cleaned:
    """Rates as fractions: "3.41%" -> 0.0341 (percent_string, changed).

    `unit` says what a plain number is: "percent" (a "Conversion Rate" column written 3.41 means 3.41%:
    divided by 100, percent_number, changed), "fraction" (kept, even above 1) or "auto": kept, but a plain
    number above 1 is ambiguous (a percent without its sign, or a real rate above 100%, which ER by
    followers can be on TikTok) and rejected (ambiguous_rate) for a person to check. Blank cells stay
    missing (missing_value, flagged); other text is rejected (unparseable).
    """
    if unit not in ("auto", "percent", "fraction"):
        raise ValueError(f"unit must be auto, percent or fraction; got {unit!r}")
    column = _column(text, column, "rate")
    raw = _text(text).str.strip()
    blank = raw == ""
    percent = raw.str.match(r"^-?\d+(?:\.\d+)?\s*%$")
    plain = raw.str.match(r"^-?\d+(?:\.\d+)?$")
    values = pd.Series(np.nan, index=text.index, dtype="float64")
    values[percent] = raw[percent].str.rstrip("%").str.strip().astype(float) / 100.0
    values[plain] = raw[plain].astype(float) / (100.0 if unit == "percent" else 1.0)
    ambiguous = plain & (values > 1) & (unit == "auto")
    values = values.where(~ambiguous)
    by_unit = plain if unit == "percent" else pd.Series(False, index=text.index)
    report = _report(
        [
            _entries(percent, column, "percent_string", "changed", text, values, "divided by 100"),
            _entries(
                by_unit, column, "percent_number", "changed", text, values, "unit percent: divided by 100"
            ),
            _entries(ambiguous, column, "ambiguous_rate", "rejected", text, note="plain number above 1"),
            _entries(blank, column, "missing_value", "flagged", text, note="blank cell"),
            _entries(~blank & ~percent & ~plain, column, "unparseable", "rejected", text),
        ]
    )
    return Cleaned(values, report)


def _default_currency(currency: str | pd.Series | None, index: pd.Index) -> pd.Series:
    if isinstance(currency, pd.Series):
        return _text(currency).str.strip().str.upper().reindex(index).fillna("")
    return pd.Series(currency.upper() if currency else "", index=index, dtype=object)


def _resolve_currency(symbol: pd.Series, code: pd.Series, default: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each amount's currency and whether its markers disagree: its own code if written, else the default
    when the symbol may stand for it, else the symbol's first currency, else the default ("" = none)."""
    allowed = symbol.map(lambda s: SYMBOL_CURRENCIES.get(s, ()))
    by_symbol = pd.Series(
        [d if d in a else (a[0] if a else "") for d, a in zip(default, allowed, strict=True)],
        index=symbol.index,
    )
    own = code.where(code != "", by_symbol)
    code_fits_symbol = pd.Series([c in a for c, a in zip(code, allowed, strict=True)], index=symbol.index)
    clash = ((default != "") & (own != "") & (own != default)) | (
        (symbol != "") & (code != "") & ~code_fits_symbol
    )
    return own.where(own != "", default), clash


def parse_money(
    text: pd.Series, currency: str | pd.Series | None = None, column: str | None = None
) -> Cleaned:
    """Money such as "$1,234.50", "€45.10", "-£3.20", "45.10 EUR" or "1188.55" as amount + currency.

    values: a frame with `amount` (float, negative for "-") and `currency` (ISO code). A symbol stands for
    the currencies of `SYMBOL_CURRENCIES` ("$" is USD unless `currency` names another dollar); a plain
    number takes `currency` (one code, or a Series such as the export's currency column). Kinds:
    currency_symbol, currency_code_suffix, thousands_separator (changed; one value can have several);
    missing_value (blank, flagged); missing_currency (a plain number without `currency`, flagged);
    currency_conflict (the value's own currency disagrees with `currency`: rejected, both missing);
    unparseable (rejected).
    """
    column = _column(text, column, "amount")
    raw = _text(text).str.strip()
    blank = raw == ""
    parts = raw.str.extract(_MONEY)
    ok = parts["number"].notna()
    default = _default_currency(currency, text.index)
    number = parts["number"].fillna("").str.replace(",", "")
    negative = parts["sign"].notna() | parts["sign2"].notna()
    amount = pd.to_numeric(number.where(ok), errors="coerce") * np.where(negative, -1.0, 1.0)
    symbol, code = parts["symbol"].fillna(""), parts["code"].fillna("").str.upper()
    cur, clash = _resolve_currency(symbol, code, default)
    conflict = ok & clash
    no_currency = ok & (cur == "")
    good = ok & ~conflict
    values = pd.DataFrame(
        {
            "amount": amount.where(good).astype("float64"),
            "currency": cur.astype(object).where(good & (cur != ""), None),
        }
    )
    shown = values["amount"].map(lambda a: "" if pd.isna(a) else f"{a:.2f}") + " " + cur.where(good, "")
    report = _report(
        [
            _entries(good & (symbol != ""), column, "currency_symbol", "changed", text, shown),
            _entries(good & (code != ""), column, "currency_code_suffix", "changed", text, shown),
            _entries(good & raw.str.contains(","), column, "thousands_separator", "changed", text, shown),
            _entries(blank, column, "missing_value", "flagged", text, note="blank cell"),
            _entries(
                good & no_currency, column, "missing_currency", "flagged", text, note="no currency given"
            ),
            _entries(
                conflict, column, "currency_conflict", "rejected", text, note="currency column: " + default
            ),
            _entries(~blank & ~ok, column, "unparseable", "rejected", text),
        ]
    )
    return Cleaned(values, report)


# --------------------------------------------------------------------------- dates
def slash_date_order(text: pd.Series, dayfirst: bool | None = None) -> str:
    """How a column's a/b/yyyy dates read: "dayfirst" when any first part exceeds 12, "monthfirst" when any
    second part does, else what `dayfirst` says; "ambiguous" when neither decides (or both parts exceed 12
    somewhere: mixed orders), "" when the column has no slash dates."""
    parts = _text(text).str.strip().str.extract(_SLASH_DATE).dropna().astype(int)
    if parts.empty:
        return ""
    if dayfirst is not None:
        return "dayfirst" if dayfirst else "monthfirst"
    day_first, month_first = bool((parts[0] > 12).any()), bool((parts[1] > 12).any())
    if day_first != month_first:
        return "dayfirst" if day_first else "monthfirst"
    return "ambiguous"


def parse_dates(text: pd.Series, column: str | None = None, dayfirst: bool | None = None) -> Cleaned:
    """Dates and times in ISO ("2025-03-15", "2025-03-15 14:05[:00]"), slash dates ("03/15/2025" or
    "15/03/2025"), day-first dotted ("15.03.2025 14:05", "15.03.2025"), month names ("01-Jan-22",
    "6 January 2024", "Jan 6, 2024") or Excel serial numbers ("45731", days since 1899-12-30; a fraction is
    the time of day) as datetime64.

    The order of slash dates is decided per column (`slash_date_order`): day first when any first part
    exceeds 12, month first when any second part does, else `dayfirst`; a column neither decides is
    ambiguous and its slash dates are rejected (ambiguous_date), never guessed. Serial numbers count only
    within `EXCEL_SERIAL_RANGE` (our choice). Kinds: us_date, day_first_date, day_first_datetime,
    text_month_date, excel_serial_date (changed); missing_value (blank, flagged); ambiguous_date and
    invalid_date (the right shape but no such day, e.g. 02/30/2025) and unparseable (rejected).
    """
    column = _column(text, column, "date")
    raw = _text(text).str.strip()
    blank = raw == ""
    values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    slash = raw.str.match(_SLASH_DATE)
    order = slash_date_order(raw, dayfirst)
    parts = []
    if order == "ambiguous":
        note = "every day and month is 12 or less (or the column mixes orders): choose dayfirst"
        parts.append(_entries(slash, column, "ambiguous_date", "rejected", text, note=note))
    elif order:
        fmt, kind = ("%d/%m/%Y", "day_first_date") if order == "dayfirst" else ("%m/%d/%Y", "us_date")
        values[slash] = pd.to_datetime(raw[slash], format=fmt, errors="coerce").astype("datetime64[ns]")
        parts.append(_entries(slash & values.notna(), column, kind, "changed", text, values))
        parts.append(
            _entries(slash & values.isna(), column, "invalid_date", "rejected", text, note="no such day")
        )
    matched = slash.copy()
    for pattern, fmt, kind in _DATE_FORMATS:
        mask = raw.str.match(pattern) & ~matched
        matched |= mask
        parsed = pd.to_datetime(raw[mask].str.replace("T", " "), format=fmt, errors="coerce")
        values[mask] = parsed.astype("datetime64[ns]")
        if kind:
            parts.append(_entries(mask & values.notna(), column, kind, "changed", text, values))
    serial = pd.to_numeric(raw.where(raw.str.match(r"^\d+(?:\.\d+)?$") & ~matched), errors="coerce")
    low, high = EXCEL_SERIAL_RANGE
    excel = serial.between(low, high)
    values[excel] = EXCEL_EPOCH + pd.to_timedelta(serial[excel], unit="D").dt.round("s")
    matched |= excel
    parts += [
        _entries(excel, column, "excel_serial_date", "changed", text, values, "days since 1899-12-30"),
        _entries(blank, column, "missing_value", "flagged", text, note="blank cell"),
        _entries(
            matched & ~slash & values.isna(), column, "invalid_date", "rejected", text, note="no such day"
        ),
        _entries(~blank & ~matched, column, "unparseable", "rejected", text),
    ]
    return Cleaned(values, _report(parts))


# --------------------------------------------------------------------------- names and codes
def canonical_platform(
    text: pd.Series, column: str | None = None, standard: frozenset[str] = DISPLAY_PLATFORMS
) -> Cleaned:
    """Platform ids of the data dictionary (instagram, tiktok, youtube) from any spelling in
    `PLATFORM_ALIASES` ("IG", "Tik Tok", "YT", "Instagram ", ...).

    The `standard` spellings of the source (default the exports' Instagram / TikTok / YouTube; pass
    `frozenset(PLATFORM_ALIASES.values())` for data that uses the ids) map without a report row; every
    other known spelling is platform_spelling (changed); unknown names are rejected (unknown_platform);
    blanks stay missing (missing_value, flagged).
    """
    column = _column(text, column, "platform")
    raw = _text(text)
    key = raw.str.lower().str.replace(r"[\s_\-]+", "", regex=True)
    mapped = key.map(PLATFORM_ALIASES)
    values = mapped.astype(object).where(mapped.notna(), None)
    blank = key == ""
    known = mapped.notna()
    report = _report(
        [
            _entries(known & ~raw.isin(standard), column, "platform_spelling", "changed", raw, values),
            _entries(~blank & ~known, column, "unknown_platform", "rejected", raw),
            _entries(blank, column, "missing_value", "flagged", raw, note="blank cell"),
        ]
    )
    return Cleaned(values, report)


def normalise_handle(text: pd.Series, column: str | None = None) -> Cleaned:
    """Handles as platforms store them: no surrounding spaces, no leading "@", lower case.

    Kinds (changed; one handle can have several): trailing_whitespace, leading_whitespace, at_prefix,
    upper_case (every letter upper case), mixed_case (some letters upper case); blank handles are
    missing_id (flagged).
    """
    column = _column(text, column, "handle")
    raw = _text(text)
    stripped = raw.str.strip()
    core = stripped.str.replace(r"^[@\s]+", "", regex=True)  # "@ @name" too, so a second pass changes nothing
    values = core.str.lower()
    has_upper = core != values
    all_upper = has_upper & (core == core.str.upper())
    blank = core == ""
    report = _report(
        [
            _entries(raw != raw.str.rstrip(), column, "trailing_whitespace", "changed", raw, values),
            _entries(raw != raw.str.lstrip(), column, "leading_whitespace", "changed", raw, values),
            _entries(stripped.str.startswith("@"), column, "at_prefix", "changed", raw, values),
            _entries(all_upper, column, "upper_case", "changed", raw, values),
            _entries(has_upper & ~all_upper, column, "mixed_case", "changed", raw, values),
            _entries(blank, column, "missing_id", "flagged", raw, note="blank handle"),
        ]
    )
    return Cleaned(values.astype(object).where(~blank, None), report)


def normalise_country(text: pd.Series, column: str | None = None) -> Cleaned:
    """ISO 3166-1 alpha-2 country codes from ISO codes in any case, the names and aliases of `COUNTRY_CODES`
    or any ISO country name (`vocab.country_code`, pycountry: "Indonesia", "Colombia", "Turkey").

    Kinds: country_full_name (a name or alias such as "United States" or "UK": changed), lower_case_code
    ("us": changed), unknown_country (rejected), missing_value (blank, flagged).
    """
    column = _column(text, column, "country")
    raw = _text(text).str.strip()
    blank = raw == ""
    two_letters = raw.str.fullmatch(r"[A-Za-z]{2}")
    by_name = raw.str.lower().map(COUNTRY_CODES)
    by_name = by_name.where(by_name.notna() | two_letters, raw.map(country_code))  # any ISO name (pycountry)
    code = two_letters & by_name.isna() & raw.str.upper().isin(ISO_COUNTRIES)
    values = by_name.where(by_name.notna(), raw.str.upper().where(code))
    report = _report(
        [
            _entries(by_name.notna(), column, "country_full_name", "changed", text, values),
            _entries(code & (raw != raw.str.upper()), column, "lower_case_code", "changed", text, values),
            _entries(~blank & values.isna(), column, "unknown_country", "rejected", text),
            _entries(blank, column, "missing_value", "flagged", text, note="blank cell"),
        ]
    )
    return Cleaned(values.astype(object).where(values.notna(), None), report)


def normalise_code(text: pd.Series, column: str | None = None) -> Cleaned:
    """Discount codes in upper case without surrounding spaces (stores match codes in one case).

    A blank cell means no code was used: it becomes missing without a report row. Kinds (changed):
    inconsistent_case, trailing_whitespace.
    """
    column = _column(text, column, "discount_code")
    raw = _text(text)
    values = raw.str.strip().str.upper()
    report = _report(
        [
            _entries(raw.str.strip() != values, column, "inconsistent_case", "changed", raw, values),
            _entries(raw != raw.str.strip(), column, "trailing_whitespace", "changed", raw, values),
        ]
    )
    return Cleaned(values.astype(object).where(values != "", None), report)


# --------------------------------------------------------------------------- rows
def drop_duplicates(
    raw: pd.DataFrame, cleaned: pd.DataFrame, key: Sequence[str], column: str | None = None
) -> Cleaned:
    """Drop exact and near duplicate rows, keeping the first of each group.

    Exact duplicates are judged on the raw text (every column identical): exact_duplicate_row, column "*".
    Near duplicates are the remaining rows whose cleaned `key` columns equal an earlier row's (e.g. the
    same handle and platform written differently): near_duplicate_row, reported under `column` (default the
    first key column). Rows with a missing key are never near duplicates. The note names the kept row.
    """
    column = column or key[0]
    exact = raw.duplicated(keep=False) & raw.duplicated(keep="first")
    first_exact = raw.groupby(list(raw.columns), sort=False, dropna=False).ngroup()
    keys = cleaned.loc[~exact, list(key)]
    has_key = keys.notna().all(axis=1)
    near = pd.Series(False, index=raw.index)
    near[keys.index] = keys.duplicated(keep="first") & has_key
    group = keys[has_key].groupby(list(key), sort=False).ngroup()
    kept_of = {g: i for i, g in zip(group.index[::-1], group.to_numpy()[::-1], strict=True)}
    near_note = pd.Series("", index=raw.index, dtype=object)
    near_note[group.index] = ["same key as row " + str(kept_of[g]) for g in group]
    kept_exact = {g: i for i, g in zip(first_exact.index[::-1], first_exact.to_numpy()[::-1], strict=True)}
    exact_note = pd.Series(["copy of row " + str(kept_exact[g]) for g in first_exact], index=raw.index)
    text = raw.astype(str).agg(" | ".join, axis=1)
    report = _report(
        [
            _entries(exact, "*", "exact_duplicate_row", "dropped", text, note=exact_note),
            _entries(near, column, "near_duplicate_row", "dropped", text, note=near_note),
        ]
    )
    return Cleaned(cleaned[~(exact | near)], report)


def flag_impossible_reach(
    engagements: pd.Series, reach: pd.Series, column: str = "estimated_reach"
) -> Cleaned:
    """Reach with the values below their row's engagements rejected (engagements_exceed_reach).

    Engagements (likes + comments + shares + saves) greater than unique reach would mean an ER by reach above
    100%, far outside every published band; such a reach is wrong and must not feed ER by reach, so it
    becomes missing. (Strictly, one person can like, comment, share and save, so the two are not bound
    mathematically; the row is listed for a person to check against the platform's insights.)
    """
    bad = engagements.notna() & reach.notna() & (engagements > reach)
    note = "engagements " + _text(engagements)
    report = _report([_entries(bad, column, "engagements_exceed_reach", "rejected", reach, note=note)])
    return Cleaned(reach.mask(bad), report)


def split_refunds(
    orders: pd.DataFrame, id_column: str = "order_id", amount_column: str = "amount"
) -> Cleaned:
    """Tell refunds from duplicated orders among rows that share an order id (parsed values expected).

    - a negative amount is a refund: kept and marked `is_refund` (refund_row, flagged); a refund whose order
      id has no sale in the export is also orphan_refund (flagged);
    - a non-refund row identical (in every column) to an earlier one with the same id is the same order
      exported twice: dropped (duplicate_order_id);
    - non-refund rows with the same id but different values are kept and flagged (conflicting_order_id):
      a person must decide which is right.
    """
    is_refund = orders[amount_column] < 0
    sales = orders[~is_refund]
    repeat = sales.duplicated(keep="first")
    dup = pd.Series(False, index=orders.index)
    dup[sales.index] = repeat
    distinct = sales[~repeat]
    conflict = pd.Series(False, index=orders.index)
    conflict[distinct.index] = distinct[id_column].duplicated(keep=False)
    orphan = is_refund & ~orders[id_column].isin(sales[id_column])
    text = orders[id_column].astype(str) + " " + orders[amount_column].map("{:.2f}".format)
    report = _report(
        [
            _entries(is_refund, amount_column, "refund_row", "flagged", text, note="kept as a refund"),
            _entries(orphan, amount_column, "orphan_refund", "flagged", text, note="no sale with this id"),
            _entries(dup, id_column, "duplicate_order_id", "dropped", text, note="same order exported twice"),
            _entries(
                conflict, id_column, "conflicting_order_id", "flagged", text, note="same id, other values"
            ),
        ]
    )
    return Cleaned(orders.assign(is_refund=is_refund)[~dup], report)


# --------------------------------------------------------------------------- the three exports
def read_raw(name: str | Path, directory: Path = RAW_DIR, encoding: str | None = "utf-8") -> pd.DataFrame:
    """A raw export as text: every cell a str, blanks as "" and spaces kept, so nothing is parsed yet.

    `encoding` is the file's encoding ("cp1252" for Excel on Windows, "utf-16"...); None detects it (and
    the separator) as `playbook import` does (`data.importers.reading.read_source`). Raises ValueError
    naming the file and the encoding when the bytes do not decode."""
    path = Path(directory) / name
    if encoding is None:
        from playbook.data.importers.reading import read_source

        return read_source(path).frame
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{path.name}: not {encoding} text ({err.reason} at byte {err.start}); pass encoding='cp1252' "
            "(Excel on Windows) or encoding=None to detect it"
        ) from None


def _apply(raw: pd.DataFrame, steps: Mapping[str, Callable[[pd.Series], Cleaned]]) -> tuple[dict, list]:
    values, reports = {}, []
    for col, step in steps.items():
        result = step(raw[col])
        values[col] = result.values
        reports.append(result.report)
    return values, reports


def _ids(text: pd.Series, column: str) -> Cleaned:
    """Identifiers stripped of spaces; blank ones are missing_id (flagged)."""
    raw = _text(text).str.strip()
    blank = raw == ""
    report = _report([_entries(blank, column, "missing_id", "flagged", text, note="blank identifier")])
    return Cleaned(raw.astype(object).where(~blank, None), report)


def _labels(text: pd.Series, column: str) -> Cleaned:
    """Free-text labels stripped of spaces; blank ones are missing_value (flagged)."""
    raw = _text(text).str.strip()
    blank = raw == ""
    report = _report([_entries(blank, column, "missing_value", "flagged", text, note="blank cell")])
    return Cleaned(raw.astype(object).where(~blank, None), report)


def _mapped(
    raw: pd.DataFrame, mapping: Mapping[str, str] | None, needed: Sequence[str], what: str
) -> pd.DataFrame:
    """`raw` with its columns renamed by `mapping` (source header -> expected name); a clear ValueError
    naming the missing columns and the columns found, never a KeyError."""
    frame = raw.rename(columns=dict(mapping or {}))
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what}: no column {', '.join(missing)}; the file has {', '.join(map(str, raw.columns))}. "
            "Pass mapping={'<your header>': '<expected name>'}, or use `playbook import` with a preset"
        )
    return frame


_CREATOR_COLUMNS = ("handle", "platform", "category", "followers", "engagement_rate", "country")
_CAMPAIGN_COLUMNS = (
    "post_id",
    "campaign_id",
    "platform",
    "influencer_category",
    "start_date",
    "engagements",
    "estimated_reach",
    "product_sales",
    "currency",
)


def clean_creator_export(
    raw: pd.DataFrame, mapping: Mapping[str, str] | None = None, rate_unit: str = "auto"
) -> Cleaned:
    """creator_export.csv: handle, platform, category, followers (Int64), engagement_rate (fraction),
    country (ISO code); then exact duplicates and near duplicates on (handle, platform) dropped.

    `mapping` renames another layout's headers to these names (e.g. {"username": "handle"}); `rate_unit`
    is `parse_percent`'s unit for engagement_rate."""
    raw = _mapped(raw, mapping, _CREATOR_COLUMNS, "creator export")
    values, reports = _apply(
        raw,
        {
            "handle": normalise_handle,
            "platform": canonical_platform,
            "category": lambda s: _labels(s, "category"),
            "followers": lambda s: parse_count(s, "followers"),
            "engagement_rate": lambda s: parse_percent(s, "engagement_rate", rate_unit),
            "country": normalise_country,
        },
    )
    deduped = drop_duplicates(raw, pd.DataFrame(values), ["handle", "platform"], "handle")
    return Cleaned(deduped.values, _report([*reports, deduped.report]))


def clean_campaign_export(
    raw: pd.DataFrame, mapping: Mapping[str, str] | None = None, dayfirst: bool | None = False
) -> Cleaned:
    """campaign_export.csv: ids, platform, start_date (datetime), engagements and estimated_reach (Int64,
    a reach below the engagements rejected), product_sales (amount in the row's currency); then exact
    duplicates and near duplicates on post_id dropped. `mapping` renames another layout's headers to these
    names. `dayfirst` decides slash dates a column leaves ambiguous (`parse_dates`): False by default because
    the export this cleaner is written for puts the month first (`messy.DIRT_KINDS` us_date); pass None to
    detect the order per column (a column that does not decide is rejected) or True for day-first dates."""
    raw = _mapped(raw, mapping, _CAMPAIGN_COLUMNS, "campaign export")
    values, reports = _apply(
        raw,
        {
            "post_id": lambda s: _ids(s, "post_id"),
            "campaign_id": lambda s: _ids(s, "campaign_id"),
            "platform": canonical_platform,
            "influencer_category": lambda s: _labels(s, "influencer_category"),
            "start_date": lambda s: parse_dates(s, "start_date", dayfirst),
            "engagements": lambda s: parse_count(s, "engagements"),
            "estimated_reach": lambda s: parse_count(s, "estimated_reach"),
        },
    )
    reach = flag_impossible_reach(values["engagements"], values["estimated_reach"])
    values["estimated_reach"] = reach.values
    money = parse_money(raw["product_sales"], raw["currency"], "product_sales")
    values["product_sales"] = money.values["amount"]
    values["currency"] = money.values["currency"]
    deduped = drop_duplicates(raw, pd.DataFrame(values), ["post_id"])
    return Cleaned(deduped.values, _report([*reports, reach.report, money.report, deduped.report]))


def clean_orders_export(raw: pd.DataFrame) -> Cleaned:
    """orders_export.csv: order_date (datetime), amount + currency, discount_code (upper case); then
    refunds marked (`is_refund`) and orders exported twice dropped (`split_refunds`)."""
    values, reports = _apply(
        raw,
        {
            "order_id": lambda s: _ids(s, "order_id"),
            "order_date": lambda s: parse_dates(s, "order_date"),
            "customer_id": lambda s: _ids(s, "customer_id"),
            "discount_code": normalise_code,
        },
    )
    money = parse_money(raw["amount"], None, "amount")
    frame = pd.DataFrame(values).assign(amount=money.values["amount"], currency=money.values["currency"])
    split = split_refunds(
        frame[["order_id", "order_date", "customer_id", "amount", "currency", "discount_code"]]
    )
    return Cleaned(split.values, _report([*reports, money.report, split.report]))


CLEANERS: Mapping[str, Callable[[pd.DataFrame], Cleaned]] = {
    "creator_export.csv": clean_creator_export,
    "campaign_export.csv": clean_campaign_export,
    "orders_export.csv": clean_orders_export,
}


def clean_export(name: str, raw: pd.DataFrame | None = None, directory: Path = RAW_DIR) -> Cleaned:
    """Clean one raw export (read from `directory` unless `raw` is given) with its `CLEANERS` entry."""
    if name not in CLEANERS:
        raise KeyError(f"unknown export {name!r}; expected one of {', '.join(CLEANERS)}")
    return CLEANERS[name](read_raw(name, directory) if raw is None else raw)


# --------------------------------------------------------------------------- reconciliation
def reconcile_campaign_export(
    cleaned: pd.DataFrame, tables: Mapping[str, pd.DataFrame], recover_ids: bool = True
) -> pd.DataFrame:
    """The cleaned campaign export against the clean sample, one row per campaign.

    Sample side: the sponsored posts of each campaign (posts table); engagements = likes + comments +
    shares + saves. Export side: rows of the campaign; with `recover_ids`, a blank campaign_id is looked up
    by post_id in the posts table (the system of record) and counted in `recovered`. Columns: campaign_id,
    export_posts, sample_posts, export_engagements, sample_engagements, engagements_match, export_reach
    (rejected reach left out), sample_reach, reach_rejected (rows), recovered.
    """
    posts = tables["posts"]
    sponsored = posts[posts["sponsored"].astype(bool) & posts["campaign_id"].notna()]
    export = cleaned.copy()
    missing = export["campaign_id"].isna()
    recovered = pd.Series(False, index=export.index)
    if recover_ids:
        lookup = export.loc[missing, "post_id"].map(posts.set_index("post_id")["campaign_id"])
        export.loc[missing, "campaign_id"] = lookup
        recovered[missing] = lookup.notna()
    export["campaign_id"] = export["campaign_id"].fillna("(missing id)")
    export["reach_rejected"] = export["estimated_reach"].isna()
    export["recovered"] = recovered
    e = export.groupby("campaign_id").agg(
        export_posts=("post_id", "size"),
        export_engagements=("engagements", "sum"),
        export_reach=("estimated_reach", "sum"),
        reach_rejected=("reach_rejected", "sum"),
        recovered=("recovered", "sum"),
    )
    s = sponsored.assign(engagements=sponsored[list(INTERACTIONS)].sum(axis=1))
    s = s.groupby("campaign_id").agg(
        sample_posts=("post_id", "size"),
        sample_engagements=("engagements", "sum"),
        sample_reach=("reach", "sum"),
    )
    out = e.join(s, how="outer").fillna(0).astype("int64")
    out["engagements_match"] = out["export_engagements"] == out["sample_engagements"]
    columns = [
        "export_posts",
        "sample_posts",
        "export_engagements",
        "sample_engagements",
        "engagements_match",
        "export_reach",
        "sample_reach",
        "reach_rejected",
        "recovered",
    ]
    return out[columns].rename_axis("campaign_id").reset_index()


def reconcile_orders_export(cleaned: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Sales rows of the cleaned orders export against the sample's orders table.

    One row per currency of the export (the sample side: the same order ids' `order_value`), then a row
    "all" whose sample side is the whole orders table, so orders missing from the export show up. Columns:
    currency, export_orders, export_revenue, sample_orders, sample_revenue, refunds, refunded (amount,
    positive), revenue_match (equal to the cent per order).
    """
    orders = tables["orders"]
    sales = cleaned[~cleaned["is_refund"]]
    refunds = cleaned[cleaned["is_refund"]]
    matched = sales.assign(sample_value=sales["order_id"].map(orders.set_index("order_id")["order_value"]))
    g = matched.groupby("currency")
    out = pd.DataFrame(
        {
            "export_orders": g.size(),
            "export_revenue": g["amount"].sum(),
            "sample_orders": g["sample_value"].count(),
            "sample_revenue": g["sample_value"].sum(),
            "refunds": refunds.groupby("currency").size(),
            "refunded": -refunds.groupby("currency")["amount"].sum(),
        }
    ).fillna(0)
    out.loc["all"] = [
        len(sales),
        sales["amount"].sum(),
        len(orders),
        orders["order_value"].sum(),
        len(refunds),
        -refunds["amount"].sum(),
    ]
    out[["export_orders", "sample_orders", "refunds"]] = out[
        ["export_orders", "sample_orders", "refunds"]
    ].astype("int64")
    cents = 0.005 * out["export_orders"].clip(lower=1)
    out["revenue_match"] = (out["export_orders"] == out["sample_orders"]) & (
        (out["export_revenue"] - out["sample_revenue"]).abs() <= cents
    )
    return out.rename_axis("currency").reset_index()
