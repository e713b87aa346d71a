"""Amounts in several currencies: never summed as they are. Group them by currency, or convert them with an
FX table the analyst supplies (the toolkit ships no exchange rates: a rate has a date and a source).

    totals_by_currency(amounts, currencies)                  # one row per currency
    totals_by_currency(amounts, currencies, fx=rates, to="EUR")  # one row, every amount in EUR

An FX table has columns `currency`, `to_currency` and `rate` (units of `to_currency` per 1 unit of
`currency`), optionally `date` and `source` (carried into the note). For the campaign index (one row per
campaign, each in its own currency) and any other multi-currency total.
"""

from __future__ import annotations

import math

import pandas as pd

from playbook.analytics.undefined import Undefined, reason

__all__ = ["FX_COLUMNS", "convert", "totals_by_currency"]

FX_COLUMNS: tuple[str, ...] = ("currency", "to_currency", "rate")


def _rates(fx: pd.DataFrame, to: str) -> dict[str, float]:
    missing = [c for c in FX_COLUMNS if c not in fx.columns]
    if missing:
        raise ValueError(f"the FX table has no column {', '.join(missing)}; expected {', '.join(FX_COLUMNS)}")
    mine = fx[fx["to_currency"].astype(str).str.upper() == to]
    bad = mine[~(pd.to_numeric(mine["rate"], errors="coerce") > 0)]
    if len(bad):
        raise ValueError(
            f"FX rates must be numbers > 0; got {bad['rate'].tolist()} for {bad['currency'].tolist()}"
        )
    rates = {str(c).upper(): float(r) for c, r in zip(mine["currency"], mine["rate"], strict=True)}
    return {**rates, to: 1.0}


def convert(amount: float, currency: str, to: str, fx: pd.DataFrame) -> float:
    """`amount` in `currency` expressed in `to` = amount x rate; undefined (with its reason) if no rate."""
    to, currency = to.upper(), str(currency).upper()
    rate = _rates(fx, to).get(currency)
    if rate is None:
        return Undefined(f"no FX rate from {currency} to {to} in the FX table")
    return float(amount) * rate


def totals_by_currency(
    amounts: pd.Series, currencies: pd.Series, fx: pd.DataFrame | None = None, to: str | None = None
) -> pd.DataFrame:
    """Totals that never add different currencies.

    Without `to`: one row per currency (currency, total, n, note, reason), sorted by currency. With `fx` and
    `to`: one row in `to`, total = sum(amount x rate of its currency); undefined with the missing rates named
    when a currency has none. An unknown amount (NaN) makes its currency's total unknown (never 0); `reason`
    says why a total is NaN (None where it is a number).
    """
    frame = pd.DataFrame(
        {"amount": pd.to_numeric(amounts, errors="coerce"), "currency": currencies.astype(str)}
    )
    frame["currency"] = frame["currency"].str.upper()
    if to is not None:
        if fx is None:
            raise ValueError("converting to one currency needs an FX table (fx=)")
        to = to.upper()
        rates = _rates(fx, to)
        lacking = sorted(set(frame["currency"]) - set(rates))
        unknown = int(frame["amount"].isna().sum())
        if lacking:
            total: float = Undefined(f"no FX rate to {to} for {', '.join(lacking)}")
        elif unknown:
            total = Undefined(f"{unknown} amount(s) unknown")
        else:
            total = float((frame["amount"] * frame["currency"].map(rates)).sum())
        note = "converted with the FX table" + (f" ({', '.join(lacking)} lack a rate)" if lacking else "")
        if "source" in fx.columns and not math.isnan(total):
            note += f"; source: {', '.join(sorted(set(fx['source'].astype(str))))}"
        return pd.DataFrame(
            [{"currency": to, "total": float(total), "n": len(frame), "note": note, "reason": reason(total)}]
        )
    rows = []
    for currency, group in frame.groupby("currency", sort=True):
        unknown = int(group["amount"].isna().sum())
        total = (
            Undefined(f"{unknown} amount(s) in {currency} unknown")
            if unknown
            else float(group["amount"].sum())
        )
        rows.append(
            {"currency": currency, "total": total, "n": len(group), "note": "not converted (no FX table)"}
        )
    return pd.DataFrame(rows, columns=["currency", "total", "n", "note"])
