"""Read one raw export (CSV in any common encoding and separator, or `.xlsx`) into a frame of text.

Every cell comes back as a string ('' when empty), so nothing is guessed before the preset's parsers run.
Handled quirks (`/work/shared/reference/real-exports.md` §0): UTF-8 with or without a BOM, UTF-16 with a BOM
(Meta's account files), Windows-1252 (Excel on Windows), a `sep=,` first line, `#` comment preambles (GA4),
`;` or tab separators, quoted newlines. The file is only read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["ImportInputError", "RawSource", "read_source"]

_SEPARATORS = ",;\t|"
_CHAOS_SLACK = 0.05  # charset-normalizer "chaos" (0 clean .. 1 garbled) within which cp1252 is preferred


class ImportInputError(ValueError):
    """A source that cannot be imported; the message names the file (and row/column when known)."""


@dataclass(frozen=True)
class RawSource:
    """One source read as text: its frame, and how it was read (for IMPORT.md)."""

    path: Path
    frame: pd.DataFrame
    encoding: str
    separator: str
    sheet: str | None = None
    skipped_lines: int = 0


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    """The text of a CSV and the encoding used: the given one, a BOM's, else charset-normalizer's guess."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as err:
            raise ImportInputError(f"{path.name}: cannot be read as {encoding}: {err}") from None
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise ImportInputError(f"{path.name}: not text in any encoding detected; pass --encoding")
    best = matches[0]
    # Our choice: Excel in Western locales writes Windows-1252, and on a short file the detector often ranks a
    # DOS code page (cp775, cp850) first by a hair; prefer cp1252 when a candidate as clean allows it.
    western = [
        m for m in matches if "cp1252" in m.could_be_from_charset and m.chaos <= best.chaos + _CHAOS_SLACK
    ]
    name = "cp1252" if western else best.encoding
    try:
        return data.decode(name), name
    except UnicodeDecodeError:
        return str(best), best.encoding


def _strip_preamble(text: str) -> tuple[str, str | None, int]:
    """Drop a `sep=X` first line and `#` comment lines before the header; returns (text, sep, lines)."""
    lines = text.splitlines(keepends=True)
    sep, skipped = None, 0
    while lines and (
        lines[0].startswith("#") or lines[0].strip() == "" or lines[0].lower().startswith("sep=")
    ):
        first = lines.pop(0)
        skipped += 1
        if first.lower().startswith("sep=") and len(first.strip()) > 4:
            sep = first.strip()[4]
    return "".join(lines), sep, skipped


def _separator(text: str) -> str:
    """The separator of a CSV text: csv.Sniffer on the first lines, else the most frequent candidate."""
    head = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters=_SEPARATORS).delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(_SEPARATORS, key=first.count)


def read_source(
    path: str | Path,
    encoding: str | None = None,
    sheet: str | int | None = None,
    separator: str | None = None,
) -> RawSource:
    """Read a CSV or `.xlsx` export as text cells. Raises ImportInputError naming the file when unreadable."""
    path = Path(path)
    if not path.is_file():
        raise ImportInputError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(
                path, sheet_name=0 if sheet is None else sheet, dtype=str, engine="openpyxl"
            )
        except ValueError as err:  # an unknown sheet name
            raise ImportInputError(f"{path.name}: {err}") from None
        except Exception as err:  # openpyxl raises several types for a broken workbook
            raise ImportInputError(f"{path.name}: not a readable .xlsx workbook ({err})") from None
        frame = frame.fillna("").astype(str)
        frame.columns = [str(c).strip() for c in frame.columns]
        return RawSource(path, frame, "xlsx", "", None if sheet is None else str(sheet))
    if path.suffix.lower() == ".xls":
        raise ImportInputError(f"{path.name}: old .xls workbooks are not read; save it as .xlsx or CSV")
    text, used = _decode(path, path.read_bytes(), encoding)
    text, declared, skipped = _strip_preamble(text.lstrip("\ufeff"))
    if not text.strip():
        raise ImportInputError(f"{path.name}: no header row (an empty file)")
    sep = separator or declared or _separator(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=False
        )
    except pd.errors.ParserError as err:
        raise ImportInputError(f"{path.name}: {str(err).strip().splitlines()[0]}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawSource(path, frame, used, sep, None, skipped)
