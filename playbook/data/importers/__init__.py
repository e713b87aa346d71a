"""Import real exports (tracker sheets, discovery lists, post exports, shop orders) into the contract.

    result = import_sources([("tracker.csv", "campaign_tracker"), ("orders.csv", "shop_orders")], "data/")

reads each source (`reading`), maps its headers with a preset or a YAML mapping (`presets`), parses the
values (`values`), builds the contract tables (`build`), validates them with `data.loading.load` and only
then writes `DIR/<table>.csv` and `DIR/IMPORT.md` (`report`) in one step: a failed import leaves no
half-written folder, and the sources are only read.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from playbook.data.importers.build import build_tables
from playbook.data.importers.presets import PRESETS, Preset, load_mapping, preset
from playbook.data.importers.reading import ImportInputError, read_source
from playbook.data.importers.records import BadValue, ImportLog, ImportOptions
from playbook.data.importers.report import import_markdown
from playbook.data.problems import DataValidationError
from playbook.data.schemas import TABLES

__all__ = [
    "PRESETS",
    "BadValue",
    "ImportInputError",
    "ImportLog",
    "ImportOptions",
    "ImportResult",
    "Preset",
    "import_sources",
    "load_mapping",
    "preset",
]


@dataclass(frozen=True)
class ImportResult:
    """Where the tables went, the tables themselves (as loaded back) and IMPORT.md's text."""

    out: Path
    tables: dict[str, pd.DataFrame]
    markdown: str
    log: ImportLog


def _text(name: str, frame: pd.DataFrame) -> str:
    """CSV text of a contract table: dates YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM:SS, counts as ints."""
    out = pd.DataFrame(index=frame.index)
    for f in TABLES[name].fields:
        col = frame[f.name]
        if f.kind in ("date", "datetime"):
            stamps = pd.to_datetime(col, errors="coerce")
            out[f.name] = stamps.dt.strftime("%Y-%m-%d" if f.kind == "date" else "%Y-%m-%d %H:%M:%S")
        elif f.kind == "int":
            out[f.name] = pd.to_numeric(col, errors="coerce").round().astype("Int64")
        elif f.kind == "bool":
            out[f.name] = col.map(lambda v: "" if v is None or pd.isna(v) else ("true" if v else "false"))
        else:
            out[f.name] = col
    return out.to_csv(index=False, lineterminator="\n")


def import_sources(
    sources: list[tuple[str | Path, str | Preset]],
    out: str | Path,
    options: ImportOptions | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    overwrite: bool = False,
) -> ImportResult:
    """Import `(path, preset name or Preset)` pairs into the folder `out` (see the module docstring).

    Raises ImportInputError (an unreadable source, a missing option such as --currency) or
    DataValidationError (the built tables break the contract); nothing is written then.
    """
    from playbook.data.loading import load

    options = options or ImportOptions()
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not overwrite)):
        raise ImportInputError(f"{out}: exists and is not an empty folder (pass --overwrite to replace it)")
    log = ImportLog()
    read = []
    for path, p in sources:
        spec = preset(p) if isinstance(p, str) else p
        raw = read_source(path, encoding=encoding, sheet=sheet)
        read.append((raw, spec))
        log.sources.append(
            {
                "file": raw.path.name,
                "preset": spec.name,
                "shape": spec.shape,
                "rows": len(raw.frame),
                "encoding": raw.encoding,
                "separator": raw.separator,
                "sheet": raw.sheet,
                "skipped_lines": raw.skipped_lines,
            }
        )
    tables = build_tables(read, options, log)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        for name, frame in tables.items():
            (tmp / f"{name}.csv").write_text(_text(name, frame), encoding="utf-8")
        loaded = load(tmp)  # the same check `playbook datasets validate` runs
        markdown = import_markdown(log, {n: loaded[n] for n in tables}, out)
        (tmp / "IMPORT.md").write_text(markdown, encoding="utf-8")
        for f in tmp.iterdir():
            with f.open("rb+") as handle:
                os.fsync(handle.fileno())
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except DataValidationError as err:
        err.source = "the imported tables"
        raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return ImportResult(out, loaded, markdown, log)
