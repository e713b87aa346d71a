"""A broken data contract (`Problem`) and the error that lists every one of a load (`DataValidationError`).

Standard library only, so a command can catch `DataValidationError` without importing pandas; raised by
`playbook.data.loading.load`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MAX_LINES_PER_PROBLEM", "DataValidationError", "Problem"]

MAX_LINES_PER_PROBLEM = 20


@dataclass(frozen=True)
class Problem:
    """One broken contract: `row` is the 1-based data row (None: whole file), `column` None: whole row."""

    file: str
    row: int | None
    column: str | None
    expected: str
    got: str
    rule: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row:,}"
        if self.column is not None:
            where += ("," if self.row is not None else "") + f" column {self.column}"
        return f"{where}: expected {self.expected}; got {self.got}"


class DataValidationError(ValueError):
    """All problems found while loading a data directory; `str()` is the readable report."""

    def __init__(self, problems: list[Problem], source: str | Path) -> None:
        self.problems = list(problems)
        self.source = str(source)
        super().__init__(self.report())

    def report(self, max_lines: int = MAX_LINES_PER_PROBLEM) -> str:
        """First line `N problems in DIR`, then one line per problem, at most `max_lines` per kind."""
        n = len(self.problems)
        lines = [f"{n:,} problem{'' if n == 1 else 's'} in {self.source}"]
        groups: dict[tuple[str, str | None, str], list[Problem]] = {}
        for p in self.problems:
            groups.setdefault((p.file, p.column, p.rule or p.expected), []).append(p)
        for (file, column, _), items in groups.items():
            lines.extend(str(p) for p in items[:max_lines])
            if len(items) > max_lines:
                where = file + (f" column {column}" if column else "")
                lines.append(f"... and {len(items) - max_lines:,} more rows in {where} with the same problem")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()
