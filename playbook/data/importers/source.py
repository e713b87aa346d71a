"""One source of an import with its headers matched to a preset's fields and its cells parsed
(`ParsedSource`); unparseable cells go to the log as `BadValue`s."""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.data.importers.presets import Preset
from playbook.data.importers.reading import RawSource
from playbook.data.importers.records import BadValue, ImportLog, ImportOptions
from playbook.data.importers.values import parse_dates, parse_number, parse_share, unknown_mask

__all__ = ["ParsedSource"]

_COUNTS = frozenset(
    {
        "views",
        "reach",
        "impressions",
        "likes",
        "comments",
        "shares",
        "saves",
        "clicks",
        "orders",
        "posts",
        "followers",
        "following",
        "posts_count",
        "link_clicks",
        "duration",
    }
)
_AMOUNTS = frozenset({"fee", "product_value", "revenue", "subtotal", "total", "refunded_amount"})
_SHARES = frozenset({"engagement_rate", "credibility"})
_DATES = frozenset({"posted_at", "start_date", "end_date", "ordered_at", "export_time"})


class ParsedSource:
    """One source with its headers matched to a preset's fields and its cells parsed."""

    def __init__(self, raw: RawSource, preset: Preset, options: ImportOptions, log: ImportLog) -> None:
        self.name, self.preset, self.log = raw.path.name, preset, log
        frame = raw.frame
        if preset.skip_first and len(frame) and str(frame.iat[0, 0]).strip() in preset.skip_first:
            frame = frame.iloc[1:]
            log.notes.append(
                f"{self.name}: first data row {str(raw.frame.iat[0, 0])!r} is a summary row, skipped"
            )
        self.offset = 1 if preset.skip_first and len(frame) != len(raw.frame) else 0
        self.frame = frame.reset_index(drop=True)
        lower = {c.strip().lower(): c for c in self.frame.columns}
        self.header: dict[str, str] = {}
        for name, accepted in preset.columns.items():
            found = next((lower[a.strip().lower()] for a in accepted if a.strip().lower() in lower), None)
            if found is not None and found not in self.header.values():
                self.header[name] = found
        for c in self.frame.columns:
            used = [k for k, v in self.header.items() if v == c]
            status = ("mapped", f"-> {used[0]}") if used else ("dropped", "no field of this shape")
            log.columns.append((self.name, c, *status))
        self.n = len(self.frame)
        self.dayfirst = options.dayfirst if options.dayfirst is not None else preset.dayfirst
        self.values: dict[str, pd.Series] = {}
        for name in self.header:
            self.values[name] = self._parse(name)

    def _bad(self, name: str, mask: np.ndarray, expected: str) -> None:
        column = self.header[name]
        for i in np.flatnonzero(mask):
            raw = str(self.frame[column].iat[i])
            self.log.bad.append(BadValue(self.name, int(i) + 1 + self.offset, column, raw, expected))

    def _parse(self, name: str) -> pd.Series:
        text = self.frame[self.header[name]].astype(str)
        if name in _COUNTS:
            values, bad = parse_number(text, whole=True)
            self._bad(name, bad, "a count such as 15000, 15,000 or 1.2K")
        elif name in _AMOUNTS:
            values, bad = parse_number(text)
            self._bad(name, bad, "an amount such as 2500, 2,500.00 or $2,500")
        elif name in _SHARES:
            values, bad = parse_share(text, self.preset.units.get(name, "auto"))
            self._bad(name, bad, "a rate such as 1.62%, 1.62 (percent) or 0.0162 (fraction)")
        elif name in _DATES:
            values, bad, order = parse_dates(text, self.dayfirst)
            column = self.header[name]
            if order.order == "ambiguous":
                self.log.warnings.append(
                    f"{self.name}, column {column!r}: day/month order ambiguous ({order.why}); its d/m/y "
                    "dates are left unknown and listed below"
                )
                self._bad(name, bad, "a date whose day/month order is known (--dayfirst or --monthfirst)")
            else:
                if order.order:
                    self.log.notes.append(
                        f"{self.name}, column {column!r}: dates read {order.order} ({order.why})"
                    )
                self._bad(name, bad, "a date such as 2026-05-10, 10/05/2026, 01-Jan-22 or Jan 6, 2024")
        else:
            values = text.str.strip().where(~unknown_mask(text))
        return values.reset_index(drop=True)

    def get(self, name: str) -> pd.Series:
        """The parsed column of field `name`, or an all-unknown column when the source lacks it."""
        if name in self.values:
            return self.values[name]
        return pd.Series([None] * self.n, dtype=object)

    def has(self, name: str) -> bool:
        return name in self.values

    def derive(self, name: str, values: pd.Series, how: str) -> None:
        """Record a field computed from other columns."""
        self.values[name] = values.reset_index(drop=True)
        self.log.columns.append((self.name, f"({name})", "derived", how))
