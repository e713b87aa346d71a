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

Modules: `_base` (Cleaned, the report plumbing, the shared vocabularies), `values` (counts, rates, money,
dates), `labels` (platforms, handles, countries, codes), `rows` (duplicates, impossible reach, refunds),
`exports` (reading and cleaning the three raw exports, reconciling them with the tables).
"""

from __future__ import annotations

from playbook.data.cleaning._base import (
    CLEANER_KINDS,
    COUNTRY_CODES,
    DISPLAY_PLATFORMS,
    PLATFORM_ALIASES,
    REPORT_COLUMNS,
    SYMBOL_CURRENCIES,
    Cleaned,
    dirt_counts,
)
from playbook.data.cleaning.exports import (
    CLEANERS,
    clean_campaign_export,
    clean_creator_export,
    clean_export,
    clean_orders_export,
    read_raw,
    reconcile_campaign_export,
    reconcile_orders_export,
)
from playbook.data.cleaning.labels import (
    canonical_platform,
    normalise_code,
    normalise_country,
    normalise_handle,
)
from playbook.data.cleaning.rows import drop_duplicates, flag_impossible_reach, split_refunds
from playbook.data.cleaning.values import (
    parse_count,
    parse_dates,
    parse_money,
    parse_percent,
    slash_date_order,
)

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
