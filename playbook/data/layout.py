"""Where things live, and the names that index them; importable without pandas.

Two kinds of place:

- **package resources** (`playbook/resources/`, shipped in the wheel and read through
  `importlib.resources`): the benchmark registry, the tier presets, the committed sample data and the
  report notebook. Everything `playbook doctor`, `playbook summary` and `playbook report` need.
- **the repository** (only when the package runs from a clone): the course notebooks, the messy raw
  exports of the cleaning lesson, the data dictionary and the table templates. `repository_root()` is
  None for an installed wheel, and the code that needs the repository says so.

Standard library only: the report runner checks its parameters and starts its kernels before it imports
pandas (`playbook.reports.render`), and these names are all that check needs.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files
from pathlib import Path

__all__ = [
    "BENCHMARKS_FILE",
    "DATASETS_DIR",
    "DEFAULT_SEED",
    "DEFAULT_TIER_PRESET",
    "DISCLOSURE_RULES_FILE",
    "EXERCISES_DIR",
    "NOTEBOOKS_DIR",
    "RAW_DIR",
    "REPORT_NOTEBOOK",
    "RESOURCES_DIR",
    "SAMPLE_DIR",
    "SOLUTIONS_DIR",
    "SUFFIXES",
    "TIER_PRESETS_FILE",
    "repository_root",
    "require_repository",
    "table_files",
    "tier_preset_names",
]

# The package's resources. A wheel installs as plain files, so `files()` is a real directory here; the
# package does not support running from a zip archive.
RESOURCES_DIR: Path = Path(str(files("playbook").joinpath("resources")))
SAMPLE_DIR: Path = RESOURCES_DIR / "sample"
BENCHMARKS_FILE: Path = RESOURCES_DIR / "benchmarks.csv"
TIER_PRESETS_FILE: Path = RESOURCES_DIR / "tier_presets.csv"
DISCLOSURE_RULES_FILE: Path = RESOURCES_DIR / "disclosure_rules.csv"
REPORT_NOTEBOOK: Path = RESOURCES_DIR / "campaign_report.ipynb"


def repository_root() -> Path | None:
    """The clone this package runs from (the folder holding `pyproject.toml` and `notebooks/`), or None
    when the package is installed from a wheel."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir() else None


def require_repository(what: str) -> Path:
    """`repository_root()`, or a clear error saying that `what` needs a clone of the repository."""
    root = repository_root()
    if root is None:
        raise FileNotFoundError(
            f"{what} needs a clone of the repository (git clone, then make setup); "
            "the installed package carries only the sample data, the registry and the report notebook"
        )
    return root


# Repository places; they exist only in a clone (`repository_root()`), so nothing at import time reads them.
_REPO_GUESS = Path(__file__).resolve().parents[2]
DATASETS_DIR: Path = _REPO_GUESS / "datasets"
RAW_DIR: Path = DATASETS_DIR / "raw"
NOTEBOOKS_DIR: Path = _REPO_GUESS / "notebooks"
SOLUTIONS_DIR: Path = _REPO_GUESS / "solutions"  # exercise masters (with solutions)
EXERCISES_DIR: Path = _REPO_GUESS / "exercises"  # learner copies generated from the masters
# A table is one file `<table><suffix>` in a data directory.
SUFFIXES: tuple[str, ...] = (".csv", ".csv.gz", ".parquet")
DEFAULT_TIER_PRESET = "hootsuite_imh"
DEFAULT_SEED = (
    2026  # the seed the bundled sample (`SAMPLE_DIR`) is generated with (`playbook.data.synth.generate`)
)


def table_files(data_dir: Path, table: str) -> list[Path]:
    """The files holding `table` in `data_dir` (`<table><suffix>` for each of `SUFFIXES` that exists)."""
    return [data_dir / f"{table}{suffix}" for suffix in SUFFIXES if (data_dir / f"{table}{suffix}").is_file()]


@cache
def tier_preset_names() -> tuple[str, ...]:
    """The preset names of ``tier_presets.csv``, sorted (`benchmarks.load_tier_presets` checks its rows)."""
    with TIER_PRESETS_FILE.open(newline="", encoding="utf-8") as handle:
        return tuple(sorted({row["preset"] for row in csv.DictReader(handle)}))
