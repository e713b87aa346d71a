"""The project's file layout and the names that index it, importable without pandas.

Where the datasets live, which files a data directory may hold and which tier presets exist. Standard
library only: the report runner checks its parameters and starts its kernels before it imports pandas
(`playbook.report`), and these names are all that check needs.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

__all__ = [
    "BENCHMARKS_FILE",
    "DATASETS_DIR",
    "DEFAULT_SEED",
    "DEFAULT_TIER_PRESET",
    "RAW_DIR",
    "SAMPLE_DIR",
    "SUFFIXES",
    "TIER_PRESETS_FILE",
    "table_files",
    "tier_preset_names",
]

DATASETS_DIR: Path = Path(__file__).resolve().parents[1] / "datasets"
SAMPLE_DIR: Path = DATASETS_DIR / "sample"
RAW_DIR: Path = DATASETS_DIR / "raw"
BENCHMARKS_FILE: Path = DATASETS_DIR / "benchmarks.csv"
TIER_PRESETS_FILE: Path = DATASETS_DIR / "tier_presets.csv"
# A table is one file `<table><suffix>` in a data directory.
SUFFIXES: tuple[str, ...] = (".csv", ".csv.gz", ".parquet")
DEFAULT_TIER_PRESET = "hootsuite_imh"
DEFAULT_SEED = 2026  # the seed `datasets/sample` is generated with (`playbook.generate`)


def table_files(data_dir: Path, table: str) -> list[Path]:
    """The files holding `table` in `data_dir` (`<table><suffix>` for each of `SUFFIXES` that exists)."""
    return [data_dir / f"{table}{suffix}" for suffix in SUFFIXES if (data_dir / f"{table}{suffix}").is_file()]


@cache
def tier_preset_names() -> tuple[str, ...]:
    """The preset names of ``tier_presets.csv``, sorted (`benchmarks.load_tier_presets` checks its rows)."""
    with TIER_PRESETS_FILE.open(newline="", encoding="utf-8") as handle:
        return tuple(sorted({row["preset"] for row in csv.DictReader(handle)}))
