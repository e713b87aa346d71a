"""The committed data dictionary is generated from the schemas and covers every table and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from playbook.data import dictionary
from playbook.data.dictionary import DEFAULT_OUT, render_dictionary, write_dictionary
from playbook.data.schemas import TABLES


def _section(text: str, table: str) -> str:
    """The part of the dictionary about one table (from its heading to the next heading)."""
    start = text.index(f"\n### {table}\n")
    end = text.find("\n### ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_committed_dictionary_is_up_to_date() -> None:
    assert DEFAULT_OUT.is_file(), "datasets/README.md is missing: run `playbook datasets dictionary`"
    committed = DEFAULT_OUT.read_text(encoding="utf-8")
    assert committed == render_dictionary(), (
        "datasets/README.md is out of date with playbook/data/schemas/: run `playbook datasets dictionary`"
    )


def test_every_table_and_column_is_documented() -> None:
    text = render_dictionary()
    for name, table in TABLES.items():
        section = _section(text, name)
        assert table.description in section
        for f in table.fields:
            assert f"| `{f.name}` |" in section, f"{name}.{f.name} missing from the dictionary"
            assert f.expected() in section
        for rule in table.row_rules:
            assert rule.description in section
        for fk in table.foreign_keys:
            assert f"`{fk.ref_table}.{fk.ref_column}`" in section


def test_render_is_deterministic_and_write_uses_it(tmp_path: Path) -> None:
    out = write_dictionary(tmp_path / "dictionary.md")
    assert out == tmp_path / "dictionary.md"
    assert out.read_text(encoding="utf-8") == render_dictionary() == render_dictionary()


# ------------------------------------------------------------------------- moved from test_apps_team.py
def test_table_overview_marks_ground_truth(minimal_tables: dict[str, pd.DataFrame]) -> None:
    overview = dictionary.table_overview(minimal_tables).set_index("table")
    assert overview.loc["orders", "rows"] == 3
    assert overview.loc["fraud_labels", "ground truth (evaluation only)"] == "the whole table"
    assert overview.loc["orders", "ground truth (evaluation only)"] == "leaked_code"
    assert overview.loc["posts", "ground truth (evaluation only)"] == ""
