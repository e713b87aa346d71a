"""Registry units and published figures in words, for people: shared by the course and the reports.

A benchmark row (`playbook.data.registry`) stores numbers as its source published them, in a unit code such
as ``fraction``, ``usd_per_1000_impressions`` or ``multiplier``. These functions only turn them into text:
fractions as percentages, multipliers with an ``x``, money with its currency code, counts with thousands
separators, and a range as "low to high (typical x)". An empty part is left out, never shown as "None".
"""

from __future__ import annotations

import math

__all__ = ["number_text", "published_text", "unit_suffix", "unit_text", "value_text"]

_SIGNIFICANT = 4  # digits kept: enough for every figure in the registry (11.38, 0.0253, 120,000)
_PERCENT_UNITS = ("fraction", "fraction_change")
_BARE_UNITS = {"count": "", "multiplier": "", "score": "(score)", "log_sd": "(standard deviation of the log)"}
_MONEY_SCALES = ("billion", "million")


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number_text(value: float) -> str:
    """`value` with thousands separators and at most 4 significant digits, never in scientific notation:
    120000 -> "120,000", 11.38 -> "11.38", 0.0014 -> "0.0014", 2.5300000000000002 -> "2.53"."""
    if value == 0:
        return "0"
    decimals = max(0, _SIGNIFICANT - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if decimals else text


def unit_text(unit: str) -> str:
    """A registry unit for people: "usd_per_1000_impressions" -> "USD per 1,000 impressions", "usd_billion"
    -> "USD billion", "usd_per_1.29_usd_spent" -> "USD per 1.29 USD spent", "fraction" -> "share".

    A three-letter word is read as a currency code where the registry puts one: first before "per",
    "billion", "million" or "spent" (or alone), right after "per", or right after a number."""
    if unit == "fraction":
        return "share"
    parts = str(unit).split("_")
    words: list[str] = []
    for i, word in enumerate(parts):
        after = parts[i + 1] if i + 1 < len(parts) else ""
        before = parts[i - 1] if i else ""
        money_word = len(word) == 3 and word.isalpha()
        if money_word and (
            (i == 0 and after in ("", "per", "billion", "million", "spent"))
            or before == "per"
            or before.replace(".", "").isdigit()
        ):
            word = word.upper()
        elif word.replace(".", "").isdigit():
            word = f"{float(word):,g}"
        elif word.endswith("k") and word[:-1].isdigit():
            word = f"{int(word[:-1]) * 1000:,}"
        words.append(word)
    return " ".join(words)


def value_text(value: float, unit: str) -> str:
    """One number in its unit's own notation, without the words of `unit_suffix`: a fraction as a
    percentage (0.0253 -> "2.53%"), a fraction_change with its sign ("-12.5%"), a multiplier with "x"
    ("1.4x"), anything else as `number_text` (the unit's words follow the whole figure)."""
    if unit in _PERCENT_UNITS or unit.startswith("fraction_of_"):
        sign = "+" if unit == "fraction_change" and value > 0 else ""
        return f"{sign}{number_text(value * 100)}%"
    if unit == "multiplier":
        return f"{number_text(value)}x"
    return number_text(value)


def unit_suffix(unit: str, single: float | None = None) -> str:
    """The words written after a figure in `unit`: "" for fraction, count and multiplier (their numbers
    say it), "of the fee per month" for fraction_of_fee_per_month, "billion USD" for usd_billion, else
    `unit_text` ("USD per 1,000 impressions", "days"). With `single` equal to 1, a plural unit word such
    as "days" or "years" reads in the singular ("1 day")."""
    if unit in _PERCENT_UNITS:
        return ""
    if unit.startswith("fraction_of_"):
        return "of the " + unit.removeprefix("fraction_of_").replace("_", " ")
    if unit in _BARE_UNITS:
        return _BARE_UNITS[unit]
    parts = unit.split("_")
    if len(parts) == 2 and parts[1] in _MONEY_SCALES and len(parts[0]) == 3:
        return f"{parts[1]} {parts[0].upper()}"
    words = unit_text(unit)
    if single == 1 and " " not in words and words.endswith("s"):
        return words[:-1]
    return words


def published_text(
    low: float | None,
    typical: float | None,
    high: float | None,
    unit: str | None = None,
    typical_word: str = "typical",
) -> str:
    """A registry figure as published: "5 to 15 (typical 10)", "from 28", "up to 3" or "0.56"; with a
    `unit`, each number in its notation and the unit's words after the range: "0.14% to 2.1%", "10 to 25 USD
    per 1,000 impressions (typical 15)", "48 hours". Parts the source did not publish are left out; "" when
    it published nothing. `typical_word` names the middle value ("midpoint" when we computed it)."""

    def num(value: float) -> str:
        return number_text(value) if unit is None else value_text(value, unit)

    given = [v for v in (low, typical, high) if not _missing(v)]
    if not given:
        return ""
    if _missing(low) and _missing(high):
        span = num(typical)  # type: ignore[arg-type]
    elif _missing(low):
        span = f"up to {num(high)}"  # type: ignore[arg-type]
    elif _missing(high):
        span = f"from {num(low)}"
    else:
        span = f"{num(low)} to {num(high)}"  # type: ignore[arg-type]
    suffix = "" if unit is None else unit_suffix(unit, given[0] if len(given) == 1 else None)
    text = f"{span} {suffix}" if suffix else span
    if (_missing(low) and _missing(high)) or _missing(typical):
        return text
    return f"{text} ({typical_word} {num(typical)})"  # type: ignore[arg-type]
