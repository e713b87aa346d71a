"""The data dictionary (`datasets/README.md`), rendered from the data contracts in `playbook.data.schemas`.

Nothing here is written by hand per table: change `schemas.TABLES`, then run `playbook datasets dictionary`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from playbook.data.io import atomic_write_text
from playbook.data.layout import DATASETS_DIR
from playbook.data.loading import REQUIRED_TABLES, dtype_of
from playbook.data.registry import GRADE_RUBRIC, UNDATED_NOTE, load_benchmarks
from playbook.data.schemas import TABLES, Table

__all__ = [
    "DEFAULT_OUT",
    "GROUND_TRUTH",
    "render_dictionary",
    "table_overview",
    "write_dictionary",
]


DEFAULT_OUT = DATASETS_DIR / "README.md"

_INTRO = """\
# Data dictionary

> Generated from the contracts in `playbook/data/schemas/` by `playbook datasets dictionary`. Do not edit by
> hand: change the schema, then regenerate (a test fails when this file is out of date).

## Where the data lives

- `datasets/sample/`: the seeded sample dataset, one file per table, written by `playbook datasets generate`.
  Every notebook and exercise reads it.
- `datasets/raw/`: messy platform and spreadsheet exports (`12.5k`, `$1,200`, `45%`, `31/12/2024`, extra
  columns) used only in the data-cleaning lesson. They fail validation on purpose.
- `playbook/resources/benchmarks.csv` and `playbook/resources/tier_presets.csv`: curated reference sources
  (published benchmarks and creator-tier presets), maintained by hand with their sources, not generated;
  graded by the rubric in [Benchmark registry](#benchmark-registry).
- `playbook/resources/disclosure_rules.csv`: the ad-disclosure rules of the US, UK and EU, one row per rule
  with its source.

A table is stored as `<table>.csv`, `<table>.csv.gz` or `<table>.parquet` (large datasets use Parquet).
CSV files have one header row with exactly the columns listed below, in any order.

- Required tables: {required}.
- Any other table may be absent and then loads as an empty table.

## How to validate

```
playbook datasets validate DIR
```

checks every file of `DIR` against the contracts below (types, ranges, allowed values, keys, row rules and
foreign keys) and prints every problem, one line each, for example
`posts.csv row 12, column likes: expected a whole number, >= 0, required; got '12.5k'`. It exits with 1 when
anything is wrong and never changes the files. In Python, `data.loading.load(DIR)` does the same checks and
returns one pandas DataFrame per table.

## Value formats

| type | written in CSV as | loaded as (pandas dtype) |
| --- | --- | --- |
| id | non-empty text, e.g. `CR00001` | `str` |
| str | text; empty means missing | `str` |
| int | plain whole number: `12`, `-3`, `12.0` | `int64` (`Int64` when the column may be empty) |
| float | plain decimal: `0.45`, `1200`, `1.5e-05`; no `k`, `$`, `%` or thousands separators | `float64` |
| bool | `true`/`false`, `1`/`0` or `yes`/`no` (any case) | `bool` (`boolean` when the column may be empty) |
| date | `YYYY-MM-DD` | `datetime64[ns]` |
| datetime | `YYYY-MM-DD HH:MM:SS` or ISO 8601 with `T`, UTC | `datetime64[ns]` |

An empty cell is a missing value; it is allowed only where the rule does not say "required".
"""


GROUND_TRUTH: Mapping[str, str] = {
    "fraud_labels": "the whole table",
    "trend_labels": "the whole table",
    "experiments": "true_lift",
    "orders": "leaked_code",
    "comments": "kind",
}
"""What the synthetic generator planted as ground truth: for checking detectors, never as their input."""


def _cell(text: str) -> str:
    """Escape a value for a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _code_list(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _keys(table: Table) -> list[str]:
    """Bullet lines for the file, keys, foreign keys and row rules of one table."""
    required = "yes" if table.name in REQUIRED_TABLES else "no (loads empty when absent)"
    lines = [f"- File: `{table.name}.csv` (or `.csv.gz` / `.parquet`); required: {required}"]
    unique_ids = [f.name for f in table.fields if f.unique and f.kind == "id"]
    other_unique = [f.name for f in table.fields if f.unique and f.kind != "id"]
    if unique_ids:
        lines.append(f"- Primary key: {_code_list(unique_ids[:1])}")
        other_unique = unique_ids[1:] + other_unique
    if other_unique:
        lines.append(f"- Unique: {_code_list(other_unique)}")
    if table.unique_together:
        label = "Unique together" if unique_ids else "Primary key (unique together)"
        lines.append(f"- {label}: ({_code_list(table.unique_together)})")
    for fk in table.foreign_keys:
        empty = " (may be empty)" if table.field(fk.column).nullable else ""
        target = f"[`{fk.ref_table}.{fk.ref_column}`](#{fk.ref_table})"
        lines.append(f"- Foreign key: `{fk.column}` → {target}{empty}")
    for rule in table.row_rules:
        lines.append(f"- Row rule: {rule.description} (columns {_code_list(rule.columns)})")
    return lines


def _table_section(table: Table) -> list[str]:
    lines = [f"### {table.name}", "", table.description, "", *_keys(table), ""]
    lines += ["| column | type | unit | rule | description |", "| --- | --- | --- | --- | --- |"]
    for f in table.fields:
        cells = [f"`{f.name}`", f"{f.kind} (`{dtype_of(f)}`)", f.unit, f.expected(), f.description]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return [*lines, ""]


def _registry_section() -> list[str]:
    """The grade rubric of the benchmark registry, with the number of rows per grade (counted, not typed)."""
    registry = load_benchmarks()
    best = registry["grade"].str.split("/").str[0]
    lines = [
        "## Benchmark registry",
        "",
        "Each row of `playbook/resources/benchmarks.csv` carries a source, a year (blank = the page shows",
        f"no publication or update date, and its notes say {UNDATED_NOTE!r}) and a grade. A grade such as",
        "`B/C` sits between two grades.",
        "The rubric is `playbook.data.registry.GRADE_RUBRIC`; the registry's loader enforces two of its lines:",
        "an A row has a year and cites the publisher itself, never a copy or a report of it; a row whose",
        "source is a third party reporting the figure (not a copy of the document) is C or lower.",
        "",
        "| grade | meaning | rows (best grade) |",
        "| --- | --- | --- |",
    ]
    for grade, meaning in GRADE_RUBRIC.items():
        lines.append(f"| {grade} | {_cell(meaning)} | {int((best == grade).sum())} |")
    undated = int((registry["year"].isna() & (registry["grade"] != "model")).sum())
    lines += ["", f"{len(registry)} rows; {undated} sourced rows are undated.", ""]
    return lines


def render_dictionary() -> str:
    """The full Markdown data dictionary, generated from `schemas.TABLES` (deterministic)."""
    lines = [_INTRO.format(required=_code_list(list(REQUIRED_TABLES))), "## Tables", ""]
    lines += ["| table | rows are | required | columns |", "| --- | --- | --- | --- |"]
    for table in TABLES.values():
        required = "yes" if table.name in REQUIRED_TABLES else "no"
        cells = [f"[{table.name}](#{table.name})", table.description, required, str(len(table.fields))]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines.append("")
    for table in TABLES.values():
        lines += _table_section(table)
    lines += _registry_section()
    return "\n".join(lines).rstrip("\n") + "\n"


def write_dictionary(out: Path | None = None) -> Path:
    """Write the dictionary to `out` (default `datasets/README.md`) and return the path."""
    path = Path(out) if out is not None else DEFAULT_OUT
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, render_dictionary())
    return path


def table_overview(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per loaded table: rows, columns, what a row is (from the data contracts) and which part, if
    any, is ground truth (`GROUND_TRUTH`)."""
    rows = [
        {
            "table": name,
            "rows": len(frame),
            "columns": frame.shape[1],
            "a row is": TABLES[name].description if name in TABLES else "",
            "ground truth (evaluation only)": GROUND_TRUTH.get(name, ""),
        }
        for name, frame in tables.items()
    ]
    return pd.DataFrame(rows)
