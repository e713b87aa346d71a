"""IMPORT.md: what an import did, in words an analyst can check against the source files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from playbook.data.importers.records import ImportLog
from playbook.data.schemas import TABLES

__all__ = ["column_status", "import_markdown"]

MAX_BAD_LISTED = 200


def column_status(log: ImportLog, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per contract column of each written table: table, column, status (filled, partly filled,
    unknown, defaulted, generated), rows with a value, rows, how."""
    rows = []
    for name, frame in tables.items():
        for f in TABLES[name].fields:
            key = f"{name}.{f.name}"
            n, known = len(frame), int(frame[f.name].notna().sum())
            if key in log.generated:
                status, how = "generated", f"stable id from the {log.generated[key]}"
            elif key in log.derived:
                status, how = "derived", log.derived[key]
            elif key in log.defaults:
                status, how = "defaulted", log.defaults[key]
            elif known == n and n:
                status, how = "filled", ""
            elif known == 0:
                status, how = "unknown", "not in the data" + ("" if f.nullable else " (required)")
            else:
                status, how = "partly filled", f"{n - known:,} of {n:,} rows unknown"
            rows.append(
                {"table": name, "column": f.name, "status": status, "known": known, "rows": n, "how": how}
            )
    return pd.DataFrame(rows)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def import_markdown(log: ImportLog, tables: dict[str, pd.DataFrame], out: Path) -> str:
    """The import report: sources, every source column (mapped/derived/dropped), every contract column
    (filled/unknown/defaulted/generated), unparseable values with file, row and column, warnings."""
    lines = [f"# Import into {out}", "", "## Sources", ""]
    lines += ["| file | preset | shape | rows | read as |", "|---|---|---|---|---|"]
    for s in log.sources:
        how = (
            "xlsx" + (f", sheet {s['sheet']}" if s["sheet"] else "")
            if s["encoding"] == "xlsx"
            else (
                f"{s['encoding']}, separator {s['separator']!r}"
                + (f", {s['skipped_lines']} preamble lines skipped" if s["skipped_lines"] else "")
            )
        )
        lines.append(f"| {s['file']} | {s['preset']} | {s['shape']} | {s['rows']:,} | {how} |")
    lines += ["", "## Source columns", "", "| file | column | status | how |", "|---|---|---|---|"]
    lines += [f"| {_cell(f)} | {_cell(c)} | {s} | {_cell(h)} |" for f, c, s, h in log.columns]
    status = column_status(log, tables)
    counts = status["status"].value_counts()
    lines += [
        "",
        "## Contract columns",
        "",
        "Ids containing `-g` are generated from the natural key named below (same input, same ids).",
        "Unknown values are left empty and stay unknown in every metric (never 0).",
        "",
        "Summary: " + ", ".join(f"{n} {k}" for k, n in counts.items()) + ".",
        "",
        "| table | column | status | rows with a value | how |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.table} | {r.column} | {r.status} | {r.known:,} of {r.rows:,} | {_cell(r.how)} |"
        for r in status.itertuples()
    ]
    lines += ["", f"## Values that could not be parsed ({len(log.bad):,})", ""]
    if log.bad:
        lines += [f"- {_cell(b)}" for b in log.bad[:MAX_BAD_LISTED]]
        if len(log.bad) > MAX_BAD_LISTED:
            lines.append(f"- ... and {len(log.bad) - MAX_BAD_LISTED:,} more")
        lines.append("")
        lines.append("These cells are left unknown.")
    else:
        lines.append("None.")
    if log.warnings:
        lines += ["", "## Warnings", ""] + [f"- {_cell(w)}" for w in log.warnings]
    if log.notes:
        lines += ["", "## Notes", ""] + [f"- {_cell(n)}" for n in log.notes]
    return "\n".join(lines) + "\n"
