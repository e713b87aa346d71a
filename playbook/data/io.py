"""File writing: the one atomic write every module uses.

A file is written to a temporary file in the same directory, flushed and fsynced, then renamed over the
target (`os.replace`, atomic on POSIX and Windows within one file system): a reader sees the old file or
the complete new one, never a half-written one, and a crash leaves no partial target. Standard library only.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_group",
    "atomic_write_text",
    "atomic_write_with",
    "fsync_replace",
]


@contextmanager
def atomic_path(path: str | Path, mode: int = 0o644) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on a clean exit fsync it and rename it over `path`.

    For writers that want a file name (``frame.to_csv(tmp)``, ``to_parquet``). Missing parent folders are
    created. On an exception the temporary file is removed and `path` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as handle:  # the writer closed its own handle; fsync through a new one
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` atomically (temporary file, fsync, rename); returns `path`."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` atomically with ``\\n`` line endings kept as given; returns `path`."""
    return atomic_write_bytes(path, text.encode(encoding))


def atomic_write_with(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` on a temporary path beside `path`, then fsync and rename it over `path`."""
    with atomic_path(path) as tmp:
        write(tmp)
    return Path(path)


def atomic_write_group(files: Mapping[Path, str]) -> None:
    """Write every file completely (UTF-8) to a temporary file beside it, fsync each, then rename them all.

    Readers see the old or the new complete files, never a half-written one; on an error before the renames
    every temporary file is removed and the existing files are left as they were (a report's HTML, metrics
    and index are written this way). The folders must exist: a missing one is an error, not created.
    """
    temps: dict[Path, Path] = {}
    try:
        for path, text in files.items():
            fd, name = tempfile.mkstemp(dir=Path(path).parent, prefix=f".{Path(path).name}.", suffix=".tmp")
            temps[Path(path)] = Path(name)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(name, 0o644)
        for path, tmp in temps.items():
            os.replace(tmp, path)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)


def fsync_replace(source: Path, target: Path) -> None:
    """Fsync `source` (a complete file in the same file system) and rename it to `target`."""
    with Path(source).open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(source, target)
