"""Empty CSV templates of the data contracts, for analysts who bring their own exports.

`datasets/templates/<table>.csv` holds only the header row of each table, in the column order of
`playbook.data.schemas.TABLES`; the data dictionary (`datasets/README.md`) says what goes in each column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playbook.data.io import atomic_write_text
from playbook.data.layout import DATASETS_DIR
from playbook.data.schemas import TABLES

__all__ = [
    "TEMPLATES_DIR",
    "write_templates",
]


TEMPLATES_DIR: Path = DATASETS_DIR / "templates"


def write_templates(out: Path = TEMPLATES_DIR) -> list[Path]:
    """Write one header-only `<table>.csv` per table of the contracts into `out`; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in TABLES.items():
        path = out / f"{name}.csv"
        atomic_write_text(path, ",".join(_csv_field(c) for c in table.columns) + "\n")
        written.append(path)
    return written


def _csv_field(name: str) -> str:
    """A header cell as the csv module writes it (quoted only when it holds a comma, quote or newline)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([name])
    return buffer.getvalue()
