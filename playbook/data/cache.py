"""Validated-data cache: tables that passed the data contracts, kept per process and per user.

Parsing and validating a data directory (`data.loading.load`) takes seconds; unpickling the same tables takes
milliseconds. `load_tables(data_dir)` returns the tables from, in order: this process's memory, the user's
cache directory, or a validated load (which then fills both). An entry is keyed by:
- the resolved directory path and the (file name, size, mtime in ns) of every table file in it
  (`data_fingerprint`), so a changed, added or removed file is a miss;
- the contract code (bytes of every module of the `schemas` package and of `loading.py`), the pandas and
  Python versions and `FORMAT`, so changed rules or libraries are a miss.

Entries are written only after validation passed, as one pickle per table plus `campaigns.json` (campaign
id -> currency, `read_campaign_currencies`, so a report runner checks ids without importing pandas), in a
new directory renamed into place (readers see a complete entry or none), and only when the fingerprint did
not change during the load.
The cache lives in `PLAYBOOK_CACHE_DIR`, else the platform's user cache directory (`cache_root`), never in
the data directory, which is only read. Pickles run code when loaded, so the cache directory is created
private (mode 700) and nothing else is read from it. Our choices: one entry per data directory (a new
fingerprint replaces the old entry), groups unused for `MAX_AGE_DAYS` removed, datasets above `MAX_BYTES`
in memory not cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.data.layout import SUFFIXES
from playbook.data.schemas import TABLES

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CACHE_ENV",
    "FORMAT",
    "MAX_AGE_DAYS",
    "MAX_BYTES",
    "Fingerprint",
    "cache_root",
    "campaign_currencies",
    "data_fingerprint",
    "entry_dir",
    "forget",
    "load_tables",
    "read_campaign_currencies",
    "read_entry",
    "remember",
    "write_entry",
]

Fingerprint = tuple[tuple[str, int, int], ...]
CACHE_ENV = "PLAYBOOK_CACHE_DIR"
FORMAT = 2  # bump when the layout of an entry changes
MAX_AGE_DAYS = 30  # our choice: a data directory's entry unused for this long is removed
MAX_BYTES = 2**30  # our choice: datasets above 1 GiB in memory are not written to disk
CAMPAIGNS_FILE = "campaigns.json"
_APP = "influencer-playbook"
_DATA_PACKAGE = Path(__file__).resolve().parent
_memory: dict[Path, tuple[Fingerprint, dict[str, pd.DataFrame]]] = {}


def cache_root() -> Path:
    """`$PLAYBOOK_CACHE_DIR`, else the user cache directory: `%LOCALAPPDATA%`, `~/Library/Caches` or
    `$XDG_CACHE_HOME` / `~/.cache`, each with `influencer-playbook` appended."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / _APP / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / _APP
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / _APP


def data_fingerprint(data_dir: Path) -> Fingerprint:
    """(file name, size, mtime in ns) of every table file in `data_dir`: equal fingerprints, same data."""

    names = {f"{table}{suffix}" for table in TABLES for suffix in SUFFIXES}
    found = sorted(p for p in data_dir.iterdir() if p.name in names and p.is_file())
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in found)


@cache
def _code_digest() -> str:
    """Digest of the contract code: a changed rule must not return tables validated under the old one."""
    pandas_version = importlib.metadata.version("pandas")  # without importing pandas
    digest = hashlib.sha256(f"{FORMAT}|{pandas_version}|{sys.version}".encode())
    for path in (*sorted((_DATA_PACKAGE / "schemas").glob("*.py")), _DATA_PACKAGE / "loading.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _short(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def entry_dir(data_dir: Path, fingerprint: Fingerprint) -> Path:
    """Where the entry of `data_dir` with `fingerprint` lives: `<root>/tables/<dir hash>/<key hash>`."""
    resolved = str(Path(data_dir).resolve())
    return cache_root() / "tables" / _short(resolved) / _short(f"{resolved}|{fingerprint!r}|{_code_digest()}")


def read_entry(
    data_dir: Path, fingerprint: Fingerprint, tables: list[str] | None = None
) -> dict[str, pd.DataFrame] | None:
    """The cached tables (all, or only `tables`) of `data_dir` with `fingerprint`; None on a miss.

    A missing, partial or unreadable entry is a miss, never an error.
    """
    entry = entry_dir(data_dir, fingerprint)
    try:
        names = tables or [p.stem for p in entry.glob("*.pickle")]
        if not names:
            return None
        found = {}
        for name in names:
            with (entry / f"{name}.pickle").open("rb") as handle:
                found[name] = pickle.load(handle)
    except Exception:  # a damaged or foreign pickle can fail in many ways: all of them are a miss
        return None
    with contextlib.suppress(OSError):  # marks the group as used, for `_prune`; a read-only cache still works
        os.utime(entry.parent)
    return found


def read_campaign_currencies(data_dir: Path, fingerprint: Fingerprint) -> dict[str, str] | None:
    """Campaign id -> currency, in table order, from the entry of `data_dir` with `fingerprint`; None on a
    miss. Reads a small JSON file: no pandas, no unpickling."""
    try:
        found = json.loads((entry_dir(data_dir, fingerprint) / CAMPAIGNS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or not all(isinstance(v, str) for v in found.values()):
        return None
    return found


def campaign_currencies(campaigns: pd.DataFrame) -> dict[str, str]:
    """Campaign id -> currency of a campaigns table, in row order."""
    return dict(zip(campaigns["campaign_id"].astype(str), campaigns["currency"].astype(str), strict=True))


def write_entry(data_dir: Path, fingerprint: Fingerprint, tables: dict[str, pd.DataFrame]) -> bool:
    """Store validated `tables` as the entry of `data_dir` with `fingerprint`; True when written.

    Writes into a private temporary directory next to the entry, then renames it into place; the entries
    of older fingerprints of the same directory are removed. Returns False, leaving no trace, when the
    tables are above `MAX_BYTES` or the cache directory cannot be written (read-only home, full disk).
    """
    if sum(int(t.memory_usage(index=True, deep=False).sum()) for t in tables.values()) > MAX_BYTES:
        return False
    entry = entry_dir(data_dir, fingerprint)
    tmp: Path | None = None
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry.parent))
        for name, frame in tables.items():
            with (tmp / f"{name}.pickle").open("wb") as handle:
                pickle.dump(frame, handle, protocol=pickle.HIGHEST_PROTOCOL)
        if "campaigns" in tables:
            currencies = campaign_currencies(tables["campaigns"])
            (tmp / CAMPAIGNS_FILE).write_text(json.dumps(currencies, ensure_ascii=False), encoding="utf-8")
        try:
            tmp.rename(entry)
        except OSError:
            if not entry.is_dir():  # another process wrote the same entry first: keep theirs
                raise
        for other in entry.parent.iterdir():
            if other != entry and not other.name.startswith(".tmp-"):
                shutil.rmtree(other, ignore_errors=True)
        _prune(entry.parent.parent)
    except OSError:
        return False
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return True


def _prune(groups: Path, max_age_days: float = MAX_AGE_DAYS) -> None:
    """Remove the entries of data directories not used for `max_age_days`."""
    cutoff = time.time() - max_age_days * 86_400
    for group in groups.iterdir():
        if group.is_dir() and group.stat().st_mtime < cutoff:
            shutil.rmtree(group, ignore_errors=True)


def remember(data_dir: Path, fingerprint: Fingerprint, tables: dict[str, pd.DataFrame]) -> None:
    """Keep `tables` in this process for `load_tables` (one data directory at a time bounds memory).

    Only tables that passed validation, or that the caller is validating at the same time and will not
    use if validation fails (the report runner), may be remembered.
    """
    _memory.clear()
    _memory[Path(data_dir).resolve()] = (fingerprint, tables)


def forget() -> None:
    """Empty this process's memory of tables (the disk cache is kept)."""
    _memory.clear()


def _copies(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Shallow copies (copy-on-write): a caller that changes a table does not change the cached one."""
    return {name: frame.copy(deep=False) for name, frame in tables.items()}


def load_tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of `data_dir`, validated against the data contracts: from memory, disk cache or files.

    Raises `data.loading.DataValidationError` when the files break the contracts (nothing is cached then).
    Each call returns its own shallow copies.
    """
    path = Path(data_dir).resolve()
    fingerprint = data_fingerprint(path)
    held = _memory.get(path)
    if held is not None and held[0] == fingerprint:
        return _copies(held[1])
    tables = read_entry(path, fingerprint)
    if tables is None:
        from playbook.data.loading import load

        tables = load(path)
        if data_fingerprint(path) == fingerprint:  # unchanged while loading: safe to key by it
            write_entry(path, fingerprint, tables)
    remember(path, fingerprint, tables)
    return _copies(tables)
