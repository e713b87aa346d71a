"""What an import is told (`ImportOptions`) and what it records (`ImportLog`, `BadValue`), for IMPORT.md."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BadValue", "ImportLog", "ImportOptions"]


@dataclass(frozen=True)
class ImportOptions:
    """Command options that fill what the exports lack (each use is reported as *defaulted*)."""

    campaign: str | None = None
    brand: str | None = None
    currency: str | None = None
    objective: str | None = None
    dayfirst: bool | None = None
    handle: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class BadValue:
    """A cell that could not be parsed: file, 1-based data row, source column, value and expectation."""

    file: str
    row: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.file} row {self.row}, column {self.column!r}"
        return f"{where}: expected {self.expected}; got {self.value!r}"


@dataclass
class ImportLog:
    """What the import did, rendered by `importers.report.import_markdown`."""

    sources: list[dict[str, object]] = field(default_factory=list)
    columns: list[tuple[str, str, str, str]] = field(default_factory=list)  # file, header, status, how
    bad: list[BadValue] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)  # "table.column" -> why
    derived: dict[str, str] = field(default_factory=dict)  # "table.column" -> from what
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    generated: dict[str, str] = field(default_factory=dict)  # "table.column" -> natural key
