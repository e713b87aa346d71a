"""Whole-row cleaning: duplicates, impossible reach, refunds (part of `playbook.data.cleaning`)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from playbook.data.cleaning._base import (
    Cleaned,
    _entries,
    _report,
    _text,
)

__all__ = [
    "drop_duplicates",
    "flag_impossible_reach",
    "split_refunds",
]


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
