"""Empty CSV templates of the data contracts, for analysts who bring their own exports.

`datasets/templates/<table>.csv` holds only the header row of each table, in the column order of
`playbook.data.schemas.TABLES`; the data dictionary (`datasets/README.md`) says what goes in each column.
"""

from __future__ import annotations

import csv
from pathlib import Path

from playbook.data.layout import DATASETS_DIR
from playbook.data.schemas import TABLES

TEMPLATES_DIR: Path = DATASETS_DIR / "templates"


def write_templates(out: Path = TEMPLATES_DIR) -> list[Path]:
    """Write one header-only `<table>.csv` per table of the contracts into `out`; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in TABLES.items():
        path = out / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerow(table.columns)
        written.append(path)
    return written
