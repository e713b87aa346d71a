"""Platforms, handles, countries and codes (part of `playbook.data.cleaning`)."""

from __future__ import annotations

import pandas as pd

from playbook.data.cleaning._base import (
    COUNTRY_CODES,
    DISPLAY_PLATFORMS,
    PLATFORM_ALIASES,
    Cleaned,
    _column,
    _entries,
    _report,
    _text,
)
from playbook.data.schemas import ISO_COUNTRIES
from playbook.data.vocab import country_code

__all__ = [
    "canonical_platform",
    "normalise_code",
    "normalise_country",
    "normalise_handle",
]


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
