"""From a raw campaign tracker to a report: the time it takes and the columns an analyst must invent.

Usage: python benchmarks/bench_import.py [--repeat N]

1. Columns to invent. The issue counted 71 of the 94 template columns of the six required tables
   that an analyst had to make up for a campaign-level sheet (16 keys, 55 values, mostly 0). Here: the
   six tables' columns for the tracker fixture (tests/fixtures/imports/campaign_tracker.csv) under the
   contract of this commit, split by what the import does with each (filled or partly filled from the
   sheet, generated id, derived, defaulted, unknown). "After" = required columns the import can neither
   fill, generate nor derive (the analyst would have to type them; the import stops with a message
   rather than invent them). Defaulted columns are listed. "Before" = the required columns of the six
   tables under the contract at OLD_REV (`git show`) that the sheet does not fill, keys included.
2. Time. Wall time of `import_sources` + `render_report` (one campaign) against the baseline of
   `render_report` alone on the imported folder (the report of data already in contract form): the ratio
   says what importing adds. Median of --repeat runs, each in this process after one warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRACKER = ROOT / "tests" / "fixtures" / "imports" / "campaign_tracker.csv"
REQUIRED = ("creators", "accounts", "posts", "brands", "campaigns", "contracts")
OLD_REV = "a68f7a6"  # main before issue 10's nullable contract


def _old_required(sheet_columns: set[str]) -> tuple[int, int] | None:
    """(required columns the sheet does not fill, all columns) of the six tables at OLD_REV; keys count as
    not filled (the sheet has none: before the import an analyst made them up)."""
    try:
        text = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{OLD_REV}:playbook/data/schemas.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("old_schemas")
    sys.modules["old_schemas"] = module  # dataclasses look their module up
    exec(compile(text, "old_schemas.py", "exec"), module.__dict__)  # our own file at a revision
    fields = [f for t in REQUIRED for f in module.TABLES[t].fields]
    lacking = [
        f
        for t in REQUIRED
        for f in module.TABLES[t].fields
        if not f.nullable and (f.kind == "id" or f"{t}.{f.name}" not in sheet_columns)
    ]
    return len(lacking), len(fields)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playbook.data.importers import import_sources
    from playbook.data.importers.report import column_status
    from playbook.reports.render import render_report

    with tempfile.TemporaryDirectory() as tmp:
        result = import_sources([(TRACKER, "campaign_tracker")], Path(tmp) / "d")
        status = column_status(result.log, result.tables)
        six = status[status["table"].isin(REQUIRED)]
        print(f"columns of the six required tables: {len(six)}")
        for name, n in six["status"].value_counts().items():
            print(f"  {name:<14}{n:>4}")
        defaulted = six[six["status"] == "defaulted"]
        print("  defaulted: " + "; ".join(f"{r.table}.{r.column} ({r.how})" for r in defaulted.itertuples()))
        from playbook.data.schemas import TABLES

        required = six[[not TABLES[r.table].field(r.column).nullable for r in six.itertuples()]]
        invent = required[required["status"] == "unknown"]
        print(f"after: {len(invent)} required columns left for the analyst to invent (options passed: none)")
        from_sheet = six[six["status"].isin(("filled", "partly filled"))]
        old = _old_required({f"{r.table}.{r.column}" for r in from_sheet.itertuples()})
        if old:
            print(f"before ({OLD_REV} contract, no import): {old[0]} of {old[1]} columns to invent")
        cid = result.tables["campaigns"]["campaign_id"].iloc[0]
        render_report(cid, result.out, Path(tmp) / "warm")  # warm-up: kernel start-up caches
        full, alone = [], []
        for i in range(args.repeat):
            t = time.perf_counter()
            again = import_sources([(TRACKER, "campaign_tracker")], Path(tmp) / f"r{i}")
            render_report(cid, again.out, Path(tmp) / f"o{i}")
            full.append(time.perf_counter() - t)
            t = time.perf_counter()
            render_report(cid, again.out, Path(tmp) / f"b{i}")
            alone.append(time.perf_counter() - t)
        f, a = statistics.median(full), statistics.median(alone)
        print(f"raw tracker -> report: {f:.2f} s; report alone (baseline): {a:.2f} s; ratio {f / a:.2f}")


if __name__ == "__main__":
    main()
