"""Numbers, money, rates and dates (part of `playbook.data.cleaning`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.data.cleaning._base import (
    _ABBREVIATED,
    _DATE_FORMATS,
    _GROUPED,
    _MONEY,
    _PLAIN,
    _SLASH_DATE,
    EXCEL_EPOCH,
    EXCEL_SERIAL_RANGE,
    MULTIPLIERS,
    SYMBOL_CURRENCIES,
    Cleaned,
    _column,
    _entries,
    _report,
    _text,
)

__all__ = [
    "parse_count",
    "parse_dates",
    "parse_money",
    "parse_percent",
    "slash_date_order",
]


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
