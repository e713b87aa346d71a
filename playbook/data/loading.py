"""Load a directory of CSV/Parquet files, parse every column to its kind and check the data contracts.

Every problem in every file is collected into one `DataValidationError` whose text is a readable report
(`posts.csv row 12, column likes: expected a whole number, >= 0, required; got '12.5k'`). Values are parsed
strictly so messy exports (`12.5k`, `$1,200`, `45%`, `31/12/2024`) are reported, never guessed.
The input files are only read, never written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from playbook.data.layout import SUFFIXES, table_files
from playbook.data.problems import DataValidationError, Problem
from playbook.data.schemas import TABLES, Field, Table, pandera_schema

__all__ = [
    "REQUIRED_TABLES",
    "DataWarning",
    "dtype_of",
    "empty_table",
    "load",
    "load_with_warnings",
    "read_table",
    "table_overview",
    "unknown_files",
]


REQUIRED_TABLES: tuple[str, ...] = ("creators", "accounts", "posts", "brands", "campaigns", "contracts")

_INT_RE = r"[+-]?\d{1,18}(?:\.0*)?"
_FLOAT_RE = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_DATE_RE = r"\d{4}-\d{2}-\d{2}"
_DATETIME_RE = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?"
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")
# what datetime64[ns] can hold (a day inside the exact limits)
_TS_MIN, _TS_MAX = np.datetime64("1677-09-22", "us"), np.datetime64("2262-04-11", "us")
_PLACEHOLDER = {"int": 0, "bool": False}


@dataclass
class _Parsed:
    """A table parsed to clean dtypes; `bad[col]` marks cells already reported (placeholders inside)."""

    table: Table
    file: str
    frame: pd.DataFrame
    raw: dict[str, pd.Series]
    bad: dict[str, np.ndarray]
    problems: list[Problem]
    warnings: list[str] = field(default_factory=list)


def dtype_of(f: Field) -> str:
    """The pandas dtype a loaded column of this field has."""
    if f.kind == "int":
        return "Int64" if f.nullable else "int64"
    if f.kind == "bool":
        return "boolean" if f.nullable else "bool"
    return {
        "id": "str",
        "str": "str",
        "float": "float64",
        "date": "datetime64[ns]",
        "datetime": "datetime64[ns]",
    }[f.kind]


def empty_table(name: str) -> pd.DataFrame:
    """A zero-row DataFrame with the columns and dtypes of table `name`."""
    return pd.DataFrame({f.name: pd.Series([], dtype=dtype_of(f)) for f in TABLES[name].fields})


def _got(value: object) -> str:
    """Quote a raw value for a message (long text shortened)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "an empty value"
    text = str(value)
    if text.strip() == "":
        return "an empty value"
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _hint(text: str) -> str:
    """A short fix-it hint for the usual messy-export number formats, or ''."""
    t = text.strip()
    if m := re.fullmatch(r"([+-]?\d+(?:\.\d+)?)\s*%", t):
        return f" (write percentages as fractions: {float(m[1]) / 100:g})"
    if m := re.fullmatch(r"([+-]?\d+(?:\.\d+)?)\s*([kKmM])", t):
        return f" (write plain numbers: {float(m[1]) * (1e3 if m[2] in 'kK' else 1e6):g})"
    if re.fullmatch(r"[$€£]?\s*[+-]?[\d,]+(?:\.\d+)?\s*[$€£]?", t) and re.search(r"[$€£,]", t):
        plain = t.strip("$€£ ").replace(",", "")
        return f" (write plain numbers, no currency signs or thousands separators: {plain})"
    return ""


_Parse = tuple[pd.Series, np.ndarray, np.ndarray, pd.Series]


def _parse_text(f: Field, raw: pd.Series) -> _Parse:
    """Parse text values of one column; returns (values, invalid non-empty mask, empty mask, raw)."""
    text = raw.astype("str").fillna("")
    stripped = text.str.strip()
    empty = (stripped == "").to_numpy(dtype=bool)
    kind = f.kind
    if kind in ("id", "str"):
        values = text.where(~empty) if empty.any() else text
        return values.astype("str"), np.zeros(len(text), dtype=bool), empty, raw
    if kind == "int":
        ok = stripped.str.fullmatch(_INT_RE).fillna(False).to_numpy(dtype=bool)
        digits = stripped.where(ok).str.replace(r"\.0*$", "", regex=True)
        values = pd.to_numeric(digits, errors="coerce", dtype_backend="numpy_nullable").astype("Int64")
    elif kind == "float":
        ok = stripped.str.fullmatch(_FLOAT_RE).fillna(False).to_numpy(dtype=bool)
        values = pd.to_numeric(stripped.where(ok), errors="coerce").astype("float64")
    elif kind == "bool":
        lower = stripped.str.lower()
        is_true, is_false = lower.isin(_TRUE).to_numpy(), lower.isin(_FALSE).to_numpy()
        values = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        values[is_true], values[is_false] = True, False
    else:
        pattern = _DATE_RE if kind == "date" else _DATETIME_RE
        ok = stripped.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
        if kind == "date":
            values = pd.to_datetime(stripped.where(ok), format="%Y-%m-%d", errors="coerce")
        else:
            values = pd.to_datetime(stripped.where(ok), format="ISO8601", utc=True, errors="coerce")
            values = values.dt.tz_convert(None)
        values = _to_ns(values)
    invalid = ~empty & values.isna().to_numpy(dtype=bool)
    return values, invalid, empty, raw


def _to_ns(values: pd.Series) -> pd.Series:
    """Cast timestamps to datetime64[ns]; values outside its range become NaT (reported as invalid)."""
    if values.dtype == "datetime64[ns]":
        return values
    stamps = values.to_numpy(dtype="datetime64[us]")
    out_of_range = ~np.isnat(stamps) & ((stamps < _TS_MIN) | (stamps > _TS_MAX))
    if out_of_range.any():
        stamps = np.where(out_of_range, np.datetime64("NaT"), stamps)
    return pd.Series(stamps.astype("datetime64[ns]"), index=values.index)


def _parse_arrow(f: Field, col: pa.ChunkedArray) -> _Parse | str:
    """Parse one Parquet column like `_parse_text`, or return a message when its arrow type is wrong."""
    t = col.type
    if pa.types.is_dictionary(t):
        col, t = col.cast(t.value_type), t.value_type
    is_text = pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)
    if pa.types.is_null(t) or (is_text and f.kind in ("id", "str", "date", "datetime")):
        return _parse_text(f, col.to_pandas())
    kind = f.kind
    if kind == "int" and pa.types.is_integer(t):
        raw = col.to_pandas()
        values = raw.astype("Int64")
    elif kind == "int" and pa.types.is_floating(t):
        raw = col.to_pandas()
        values = raw.where(raw.isna() | ((raw % 1 == 0) & (raw.abs() < 2**63))).astype("Int64")
    elif kind == "float" and (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)):
        raw = col.to_pandas()
        values = raw.astype("float64")
    elif kind == "bool" and pa.types.is_boolean(t):
        raw = col.to_pandas()
        values = raw.astype("boolean")
    elif kind in ("date", "datetime") and (pa.types.is_timestamp(t) or pa.types.is_date(t)):
        if pa.types.is_timestamp(t) and t.tz is not None:
            col = col.cast(pa.timestamp(t.unit, tz="UTC")).cast(pa.timestamp(t.unit))
        elif pa.types.is_date(t):
            col = col.cast(pa.timestamp("ms"))
        raw = pd.Series(col.to_pandas())
        values = _to_ns(raw)
        if kind == "date":
            values = values.where(values.isna() | (values == values.dt.normalize()))
    else:
        return f"a Parquet column of type {t}"
    empty = raw.isna().to_numpy(dtype=bool)
    invalid = ~empty & values.isna().to_numpy(dtype=bool)
    return values, invalid, empty, raw


def _separator(path: Path) -> str:
    """`;` when the header line has semicolons and no comma (a comma-decimal locale's CSV), else `,`."""
    import gzip

    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
    except OSError:
        return ","
    return ";" if ";" in header and "," not in header else ","


def _read_raw(path: Path) -> tuple[pd.DataFrame | pa.Table | None, str]:
    """Read a CSV (all text) or a Parquet file; returns (data, '') or (None, what is wrong)."""
    try:
        if path.name.endswith(".parquet"):
            return pq.read_table(path), ""
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=_separator(path)
        )
        if not isinstance(frame.index, pd.RangeIndex):  # pandas turned the extra leading fields into an index
            return None, "rows with more fields than the header row (an unquoted comma inside a value?)"
        return frame, ""
    except pd.errors.EmptyDataError:
        return None, "an empty file (no header row)"
    except UnicodeDecodeError as err:
        return None, (
            f"a file that is not UTF-8 text ({err.reason} at byte {err.start}); re-save it as UTF-8, or run "
            "`playbook import`, which detects the encoding (Windows-1252, UTF-16...)"
        )
    except (pd.errors.ParserError, pa.ArrowException, OSError, ValueError) as err:
        return None, f"a file that cannot be read: {str(err).strip().splitlines()[0]}"


def _broken_column(f: Field, n: int) -> pd.Series:
    """A stand-in column (all cells marked bad) with the right dtype, for a missing or mistyped column."""
    if f.kind in _PLACEHOLDER and not f.nullable:
        return pd.Series([_PLACEHOLDER[f.kind]] * n, dtype=dtype_of(f))
    return pd.Series([None] * n, dtype=dtype_of(f))


def _parse_file(path: Path, table: Table) -> _Parsed | list[Problem]:
    """Read one file and parse each column; structure and parsing problems are collected, not raised."""
    name = path.name
    data, error = _read_raw(path)
    if data is None:
        return [Problem(name, None, None, f"a CSV or Parquet file of the {table.name} table", error, "file")]
    is_arrow = isinstance(data, pa.Table)
    columns = list(data.column_names) if is_arrow else [str(c) for c in data.columns]
    columns = [c for c in columns if not c.startswith("__index_level_")]  # a pandas index saved in Parquet
    n = data.num_rows if is_arrow else len(data)
    problems: list[Problem] = []
    extra = [c for c in columns if c not in table.columns]
    warnings = [
        f"{name}: column {c!r} is not in the {table.name} contract; kept out of the analysis" for c in extra
    ]
    if isinstance(data, pd.DataFrame) and _separator(path) == ";":
        warnings.append(f"{name}: separated by ';' (read as such); the contract's files use ','")
    frame: dict[str, pd.Series] = {}
    raws: dict[str, pd.Series] = {}
    bad: dict[str, np.ndarray] = {}
    for f in table.fields:
        parsed: _Parse | str = "no such column"
        expected = f.expected()
        if f.name not in columns and f.nullable:  # real exports lack optional columns: all unknown
            warnings.append(f"{name}: no column {f.name!r}; every value of it is unknown")
            frame[f.name], raws[f.name] = _broken_column(f, n), pd.Series([None] * n, dtype=object)
            bad[f.name] = np.zeros(n, dtype=bool)
            continue
        if f.name not in columns:
            expected = f"a column {f.name} ({expected})"
        elif is_arrow:
            parsed = _parse_arrow(f, data.column(f.name))
        else:
            parsed = _parse_text(f, data[f.name])
        if isinstance(parsed, str):
            problems.append(Problem(name, None, f.name, expected, parsed, "column"))
            frame[f.name], raws[f.name] = _broken_column(f, n), pd.Series([None] * n, dtype=object)
            bad[f.name] = np.ones(n, dtype=bool)
            continue
        values, invalid, empty, raw = parsed
        missing = empty & (not f.nullable)
        for i in np.flatnonzero(invalid | missing):
            got = _got(raw.iat[i])
            if invalid[i] and f.kind in ("int", "float"):
                got += _hint(str(raw.iat[i]))
            problems.append(
                Problem(name, int(i) + 1, f.name, expected, got, "required" if missing[i] else "parse")
            )
        if f.kind in _PLACEHOLDER and not f.nullable:
            values = values.fillna(_PLACEHOLDER[f.kind])
        frame[f.name] = values.set_axis(pd.RangeIndex(n)).astype(dtype_of(f))
        raws[f.name] = raw.set_axis(pd.RangeIndex(n))
        bad[f.name] = invalid | missing
    return _Parsed(table, name, pd.DataFrame(frame, index=pd.RangeIndex(n)), raws, bad, problems, warnings)


def _cell(value: object) -> str:
    """A raw value inside a list of row values: quoted, or '' when empty."""
    got = _got(value)
    return "''" if got == "an empty value" else got


def _row_values(p: _Parsed, i: int, columns: Iterable[str]) -> str:
    return ", ".join(f"{c}={_cell(p.raw[c].iat[i])}" for c in columns)


def _other_rows(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """For each row, the position of another row with the same key (the first one), or -1."""
    pos = pd.Series(np.arange(len(frame)), index=frame.index)
    keys = [frame[c] for c in columns]
    first = pos.groupby(keys, dropna=False, sort=False).transform("min")
    second = pos.where(pos != first).groupby(keys, dropna=False, sort=False).transform("min")
    return np.where(pos == first, second.fillna(-1), first).astype(int)


def _duplicate_problems(p: _Parsed, columns: list[str], idx: pd.Series) -> list[Problem]:
    """Problems for duplicated keys, each naming another row with the same value."""
    bad = np.logical_or.reduce([p.bad[c] for c in columns])
    rows = sorted({int(i) for i in idx.dropna() if not bad[int(i)]})
    if not rows:
        return []
    other = _other_rows(p.frame, columns)
    if len(columns) == 1:
        column, expected = columns[0], p.table.field(columns[0]).expected()
    else:
        column, expected = None, f"a unique combination of {', '.join(columns)}"
    problems = []
    for i in rows:
        got = _got(p.raw[columns[0]].iat[i]) if column else _row_values(p, i, columns)
        if other[i] >= 0:
            got += f", same as row {other[i] + 1:,}"
        problems.append(Problem(p.file, i + 1, column, expected, got, "unique"))
    return problems


def _rule_problems(p: _Parsed, number: object, check: str, idx: pd.Series, detail: object) -> list[Problem]:
    """Problems of one table-level (row rule) check; rows with an already reported cell are skipped."""
    rule = p.table.row_rules[int(number)] if pd.notna(number) else None
    if rule is None or idx.isna().all():
        got = f"the check could not run: {detail}"
        return [Problem(p.file, None, None, rule.description if rule else check, got, f"rule:{check}")]
    bad = np.logical_or.reduce([p.bad[c] for c in rule.columns])
    expected = f"{rule.description} (columns {', '.join(rule.columns)})"
    rows = sorted({int(i) for i in idx.dropna() if not bad[int(i)]})
    return [
        Problem(p.file, i + 1, None, expected, _row_values(p, i, rule.columns), f"rule:{rule.name}")
        for i in rows
    ]


def _column_problems(p: _Parsed, column: str, check: str, idx: pd.Series, detail: object) -> list[Problem]:
    """Problems of one column check; cells already reported while parsing are skipped."""
    bad, expected = p.bad[column], p.table.field(column).expected()
    if check == "field_uniqueness":
        return _duplicate_problems(p, [column], idx)
    if idx.isna().any():  # a whole-column failure (dtype, or a check that could not run)
        return [] if bad.any() else [Problem(p.file, None, column, expected, f"{check}: {detail}", check)]
    rows = sorted({int(i) for i in idx if not bad[int(i)]})
    return [Problem(p.file, i + 1, column, expected, _got(p.raw[column].iat[i]), check) for i in rows]


def _schema_problems(p: _Parsed) -> list[Problem]:
    """Run the table's pandera schema lazily and turn its failure cases into problems."""
    import pandera.errors  # imported when first needed: data read from the cache is not validated again

    try:
        pandera_schema(p.table).validate(p.frame, lazy=True)
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases
    else:
        return []
    cases = cases.astype({"column": object, "check": object, "check_number": object, "index": object})
    problems: list[Problem] = []
    table_level = cases["schema_context"] == "DataFrameSchema"
    for (column, check), group in cases[~table_level].groupby(["column", "check"], dropna=False, sort=False):
        idx = pd.to_numeric(group["index"], errors="coerce")
        detail = group["failure_case"].iloc[0]
        if column in p.bad:
            problems += _column_problems(p, str(column), str(check), idx, detail)
        else:
            problems.append(Problem(p.file, None, None, str(check), str(detail), str(check)))
    for found in problems:  # a cell out of range or not allowed: row rules on it would only repeat that
        if found.row is not None and found.column is not None and found.rule != "unique":
            p.bad[found.column][found.row - 1] = True
    rules = cases[table_level].groupby(["check", "check_number"], dropna=False, sort=False)
    for (check, number), group in rules:
        idx = pd.to_numeric(group["index"], errors="coerce")
        if check == "multiple_fields_uniqueness":
            problems += _duplicate_problems(p, list(p.table.unique_together), idx)
        else:
            problems += _rule_problems(p, number, str(check), idx, group["failure_case"].iloc[0])
    return problems


def _fk_problems(parsed: dict[str, _Parsed]) -> list[Problem]:
    """Orphan foreign keys between the tables that were read (nulls are fine where the column is)."""
    problems: list[Problem] = []
    for p in parsed.values():
        for fk in p.table.foreign_keys:
            parent = parsed.get(fk.ref_table)
            if parent is None or (len(parent.frame) and parent.bad[fk.ref_column].all()):
                continue
            child = p.frame[fk.column]
            known = pd.Index(parent.frame[fk.ref_column].dropna().unique())  # hash lookup: fast for 100k ids
            orphan = child.notna().to_numpy() & (known.get_indexer(child) < 0) & ~p.bad[fk.column]
            article = "an" if fk.ref_column[0] in "aeiou" else "a"
            expected = f"{article} {fk.ref_column} that exists in {parent.file}"
            for i in np.flatnonzero(orphan):
                got = _got(p.raw[fk.column].iat[i])
                problems.append(Problem(p.file, int(i) + 1, fk.column, expected, got, f"fk:{fk.ref_table}"))
    return problems


def _check_file(path: Path, table: Table, validate: bool) -> _Parsed | list[Problem]:
    parsed = _parse_file(path, table)
    if isinstance(parsed, _Parsed) and validate:
        parsed.problems += _schema_problems(parsed)
    return parsed


def read_table(path: str | Path, table: str) -> pd.DataFrame:
    """Read, parse and validate one file as `table` (no foreign-key checks); raises DataValidationError."""
    path = Path(path)
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
    if not path.is_file():
        raise DataValidationError(
            [Problem(path.name, None, None, f"a {table} file", "no such file", "file")], path
        )
    parsed = _check_file(path, TABLES[table], validate=True)
    problems = parsed if isinstance(parsed, list) else parsed.problems
    if problems:
        raise DataValidationError(problems, path)
    return parsed.frame


class DataWarning(UserWarning):
    """Something in a data directory that is kept out of the analysis but does not stop it."""


# Files a data directory may hold beside its tables without a warning.
_NOT_TABLES = frozenset({"IMPORT.md", "README.md"})


def unknown_files(data_dir: Path) -> list[str]:
    """Warnings for files in `data_dir` that are no table of the contract (an .xlsx, a misspelt name...)."""
    out = []
    for path in sorted(data_dir.iterdir()):
        if path.name.startswith(".") or path.name in _NOT_TABLES or path.is_dir():
            continue
        stem = next((path.name[: -len(s)] for s in SUFFIXES if path.name.endswith(s)), None)
        if stem is None or stem not in TABLES:
            hint = (
                " (run `playbook import FILE --preset ... --out DIR` to turn an export into tables)"
                if path.suffix.lower() in (".xlsx", ".xls", ".csv", ".tsv", ".txt")
                else ""
            )
            out.append(f"{path.name}: not a table of the contract (expected <table>.csv); ignored{hint}")
    return out


def load_with_warnings(
    data_dir: str | Path, tables: Iterable[str] | None = None, validate: bool = True
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """`load`, also returning the warnings: extra columns, unknown files, `;` separators."""
    found: list[str] = []
    out = _load(Path(data_dir), tables, validate, found)
    return out, found


def load(
    data_dir: str | Path, tables: Iterable[str] | None = None, validate: bool = True
) -> dict[str, pd.DataFrame]:
    """Load `<table>.csv[.gz]`/`.parquet` files of `data_dir` into clean DataFrames, checking every contract.

    `tables` restricts what is read (foreign keys are checked only between tables read from files);
    missing optional tables come back empty. Raises one DataValidationError listing every problem.
    `validate=False` only parses (no pandera rules, no foreign keys), for very large files. Extra columns,
    unknown files and `;` separators do not fail: each is a `DataWarning` (`load_with_warnings` returns them).
    """
    import warnings

    found: list[str] = []
    out = _load(Path(data_dir), tables, validate, found)
    for text in found:
        warnings.warn(text, DataWarning, stacklevel=2)
    return out


def _load(
    data_dir: Path, tables: Iterable[str] | None, validate: bool, found_warnings: list[str]
) -> dict[str, pd.DataFrame]:
    names = list(TABLES) if tables is None else list(dict.fromkeys(tables))
    unknown = [t for t in names if t not in TABLES]
    if unknown:
        raise ValueError(f"unknown table(s) {', '.join(unknown)}; expected some of {', '.join(TABLES)}")
    if not data_dir.is_dir():
        got = "a file" if data_dir.exists() else "no such directory"
        raise DataValidationError(
            [Problem(str(data_dir), None, None, "a directory of data files", got)], data_dir
        )
    problems: list[Problem] = []
    parsed: dict[str, _Parsed] = {}
    out: dict[str, pd.DataFrame] = {}
    if tables is None:
        found_warnings += unknown_files(data_dir)
    for name in names:
        found = table_files(data_dir, name)
        if len(found) > 1:
            files = " and ".join(p.name for p in found)
            problems.append(Problem(found[0].name, None, None, f"one file for table {name}", files, "file"))
        elif not found:
            if name in REQUIRED_TABLES:
                expected = f"a file {name}.csv (or {name}.csv.gz / {name}.parquet): it is a required table"
                problems.append(Problem(f"{name}.csv", None, None, expected, "no such file", "file"))
            out[name] = empty_table(name)
        else:
            result = _check_file(found[0], TABLES[name], validate)
            if isinstance(result, list):
                problems += result
            else:
                problems += result.problems
                found_warnings += result.warnings
                parsed[name] = result
                out[name] = result.frame
    if validate:
        problems += _fk_problems(parsed)
    if problems:
        raise DataValidationError(problems, data_dir)
    return out


def table_overview(tables: dict[str, pd.DataFrame]) -> str:
    """Required tables then optional ones, each with its row count; an empty required table is flagged."""
    lines = ["required tables (a report needs each):"]
    for name in REQUIRED_TABLES:
        n = len(tables.get(name, ()))
        lines.append(
            f"  {name:<22}{n:>10,} {'row' if n == 1 else 'rows'}" + ("   WARNING: empty" if n == 0 else "")
        )
    lines.append("optional tables (the analyses that need one say so when it is empty):")
    for name in TABLES:
        if name not in REQUIRED_TABLES:
            n = len(tables.get(name, ()))
            lines.append(
                f"  {name:<22}{n:>10,} {'row' if n == 1 else 'rows'}" + ("   (empty)" if n == 0 else "")
            )
    return "\n".join(lines)
