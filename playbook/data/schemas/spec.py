"""The declarative spec of the contract: `Field`, `RowRule`, `ForeignKey`, `Table` and their shorthands.

Imports neither pandas nor pandera: a row rule receives a DataFrame only when it runs, and
`schemas.backend.pandera_schema` turns a `Table` into a pandera schema when data is validated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "KINDS",
    "Field",
    "ForeignKey",
    "RowRule",
    "Table",
    "count",
    "key",
    "le",
    "money",
    "not_before",
    "ref",
    "share",
    "sum_le",
]

KINDS = ("id", "str", "int", "float", "bool", "date", "datetime")


@dataclass(frozen=True)
class Field:
    """One column: its kind, meaning and the rules a value must satisfy."""

    name: str
    kind: str
    description: str
    nullable: bool = False
    unique: bool = False
    allowed: tuple | None = None
    ge: float | None = None
    le: float | None = None
    unit: str = ""
    allowed_label: str = ""  # words for a long `allowed` list (e.g. every ISO country code)

    def expected(self) -> str:
        """Human wording of what a valid value looks like (used in error messages and the dictionary)."""
        words = {
            "id": "a non-empty identifier",
            "str": "text",
            "int": "a whole number",
            "float": "a number",
            "bool": "true or false",
            "date": "a date YYYY-MM-DD",
            "datetime": "a timestamp YYYY-MM-DD HH:MM:SS",
        }[self.kind]
        parts = [words]
        if self.allowed_label:
            parts = [self.allowed_label]
        elif self.allowed is not None:
            parts = ["one of " + ", ".join(str(a) for a in self.allowed)]
        if self.ge is not None and self.le is not None:
            parts.append(f"between {self.ge:g} and {self.le:g}")
        elif self.ge is not None:
            parts.append(f">= {self.ge:g}")
        elif self.le is not None:
            parts.append(f"<= {self.le:g}")
        if self.unique:
            parts.append("unique")
        if not self.nullable:
            parts.append("required")
        return ", ".join(parts)


@dataclass(frozen=True)
class RowRule:
    """A rule across columns of one row; `check` returns True where a row is valid."""

    name: str
    description: str
    columns: tuple[str, ...]
    check: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class ForeignKey:
    """`column` of this table must match `ref_column` of `ref_table` (nulls allowed if the column is)."""

    column: str
    ref_table: str
    ref_column: str


@dataclass(frozen=True)
class Table:
    """One table of the contract: its columns, keys and rules."""

    name: str
    description: str
    fields: tuple[Field, ...]
    unique_together: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    row_rules: tuple[RowRule, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def key(name: str, description: str, unique: bool = True) -> Field:
    """A required id column, unique unless `unique=False` (a table's key)."""
    return Field(name, "id", description, unique=unique)


def ref(name: str, description: str, nullable: bool = False) -> Field:
    """An id column that refers to another table's key."""
    return Field(name, "id", description, nullable=nullable)


def count(name: str, description: str, nullable: bool = False) -> Field:
    """A whole-number count >= 0."""
    return Field(name, "int", description, nullable=nullable, ge=0, unit="count")


def money(name: str, description: str, nullable: bool = False) -> Field:
    """An amount >= 0 in the campaign's currency."""
    return Field(name, "float", description, nullable=nullable, ge=0, unit="campaign currency")


def share(name: str, description: str, nullable: bool = False) -> Field:
    """A fraction between 0 and 1."""
    return Field(name, "float", description, nullable=nullable, ge=0, le=1, unit="fraction 0-1")


def not_before(later: str, earlier: str) -> RowRule:
    """Row rule: `later` is empty or on/after `earlier`."""

    def check(df: pd.DataFrame) -> pd.Series:
        return df[later].isna() | df[earlier].isna() | (df[later] >= df[earlier])

    return RowRule(
        f"{later}_not_before_{earlier}", f"{later} is on or after {earlier}", (later, earlier), check
    )


def sum_le(parts: tuple[str, ...], total: str) -> RowRule:
    """Row rule: the known `parts` add up to at most `total` (unknown parts left out)."""

    def check(df: pd.DataFrame) -> pd.Series:
        return df[total].isna() | (df[list(parts)].sum(axis=1, skipna=True) <= df[total]).fillna(True)

    return RowRule(
        f"{'_'.join(parts)}_le_{total}",
        f"{' + '.join(parts)} <= {total} (unknown counts left out)",
        (*parts, total),
        check,
    )


def le(small: str, big: str) -> RowRule:
    """Row rule: `small` <= `big` where both are known."""

    def check(df: pd.DataFrame) -> pd.Series:
        return df[small].isna() | df[big].isna() | (df[small] <= df[big])

    return RowRule(f"{small}_le_{big}", f"{small} <= {big}", (small, big), check)
