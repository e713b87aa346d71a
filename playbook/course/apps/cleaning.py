"""Module 12, data cleaning: the dirt detector, the cleaning checker and the reconciliation chart.

The detector cleans a raw export with `playbook.data.cleaning` and compares what the cleaning report found, by
column and kind, with the manifest of what was injected (`data.synth.messy.dirt_manifest`). The checker
compares a learner's cleaned frame with the manifest (rows to drop or keep) and the reference cleaning
(values), and answers with hints (what is still wrong, and where to look), never with the values.

Apps hold their widgets (`.widget`), their controls as attributes and their results (`.result`, `.summary`,
`.chart`), so tests set `.value` on a control and assert on the results without a browser.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

import playbook.viz.charts  # noqa: F401  (registers the playbook chart theme)
from playbook.course.base import LABEL_STYLE
from playbook.course.base import show as _show
from playbook.data.cleaning import CLEANER_KINDS, CLEANERS, Cleaned, clean_export, read_raw
from playbook.data.loading import load
from playbook.data.synth.generate import DEFAULT_SEED, SAMPLE_DIR
from playbook.data.synth.messy import DIRT_KINDS, dirt_manifest

__all__ = [
    "RAW_FILES",
    "CleaningCheck",
    "DirtDetectorApp",
    "check_cleaning",
    "compare_with_manifest",
    "comparison_chart",
    "examples",
    "raw_manifest",
    "reconciliation_chart",
    "report_chart",
]

Tables = Mapping[str, pd.DataFrame]
RAW_FILES: tuple[str, ...] = tuple(CLEANERS)
KIND_MEANINGS: Mapping[str, str] = {**DIRT_KINDS, **CLEANER_KINDS}
_STATUS_ORDER = ("match", "missed", "extra")


# kinds of dirt whose rows a correct cleaning removes, per export (refunds stay: they are not duplicates)
_DROPPED_KINDS: Mapping[str, tuple[str, ...]] = {
    "creator_export.csv": ("exact_duplicate_row", "near_duplicate_row"),
    "campaign_export.csv": ("exact_duplicate_row",),
    "orders_export.csv": ("duplicate_order_id",),
}


@cache
def _reference(name: str) -> Cleaned:
    """The reference cleaning of a committed raw export (computed once per process)."""
    return clean_export(name)


@cache
def _manifest() -> pd.DataFrame:
    """The manifest of the committed raw exports, made from the sample with the default seed (once)."""
    return raw_manifest(load(SAMPLE_DIR))


def _manifest_rows(name: str, kinds: Sequence[str]) -> int:
    """Rows of `name` the manifest lists under any of `kinds`."""
    m = _manifest()
    return int(m.loc[(m["file"] == name) & m["kind"].isin(list(kinds)), "rows"].sum())


# --------------------------------------------------------------------------- detector
def raw_manifest(tables: Tables, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """What was injected into the raw exports: file, column, kind, rows (`messy.dirt_manifest` renamed).

    The committed exports were written from the sample with the default seed; pass the seed used by
    `playbook datasets generate --raw-out` for other data."""
    manifest = dirt_manifest(tables, seed)
    return manifest.rename(columns={"dirt_kind": "kind", "rows_affected": "rows"})


def compare_with_manifest(
    report: pd.DataFrame, manifest: pd.DataFrame, file: str, column: str | None = None
) -> pd.DataFrame:
    """Rows found per (column, kind) against the manifest of `file` (one column, or all when None).

    Columns: column, kind, detected (distinct rows in the report), manifest (rows injected), difference =
    detected - manifest, status ("match", "missed" when the cleaning found fewer, "extra" when it found
    more, e.g. a kind the manifest does not list) and meaning.
    """
    found = report if column is None else report[report["column"] == column]
    detected = found.groupby(["column", "kind"])["row"].nunique().rename("detected")
    part = manifest[manifest["file"] == file]
    part = part if column is None else part[part["column"] == column]
    injected = part.set_index(["column", "kind"])["rows"].rename("manifest")
    out = pd.concat([detected, injected], axis=1).fillna(0).astype("int64").reset_index()
    out["difference"] = out["detected"] - out["manifest"]
    out["status"] = np.select([out["difference"] == 0, out["difference"] < 0], ["match", "missed"], "extra")
    out["meaning"] = out["kind"].map(KIND_MEANINGS).fillna("")
    return out.sort_values(["column", "kind"], ignore_index=True)


def examples(report: pd.DataFrame, column: str, n: int = 2) -> pd.DataFrame:
    """Up to `n` report rows per kind of `column`: kind, action, before, after, note."""
    part = report[report["column"] == column]
    return part.groupby("kind", sort=True).head(n)[["kind", "action", "before", "after", "note"]]


def comparison_chart(comparison: pd.DataFrame, title: str = "Detected vs injected") -> alt.Chart:
    """Bars of rows per kind: what the cleaning detected next to what the manifest says was injected."""
    long = comparison.melt(["column", "kind", "status"], ["detected", "manifest"], "source", "rows")
    long["label"] = long["column"] + ": " + long["kind"]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=list(dict.fromkeys(long["label"]))),
            yOffset="source:N",
            x=alt.X("rows:Q", title="Rows"),
            color=alt.Color("source:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["column:N", "kind:N", "source:N", "rows:Q", "status:N"],
        )
        .properties(title=title, width=380)
    )


def report_chart(report: pd.DataFrame, title: str = "What the cleaning did") -> alt.Chart:
    """Rows per column and kind of a cleaning report, coloured by action (changed, rejected, ...)."""
    counts = report.groupby(["column", "kind", "action"])["row"].nunique().rename("rows").reset_index()
    counts["label"] = counts["column"] + ": " + counts["kind"]
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort="-x"),
            x=alt.X("rows:Q", title="Rows"),
            color=alt.Color("action:N", title="Action", legend=alt.Legend(orient="bottom")),
            tooltip=["column:N", "kind:N", "action:N", "rows:Q"],
        )
        .properties(title=title, width=380)
    )


class DirtDetectorApp:
    """Pick a raw export and a column: the problems found by kind with counts next to the manifest's
    (`.result`), a verdict (`.summary`), examples (`.examples`) and a chart (`.chart`)."""

    def __init__(self, manifest: pd.DataFrame, file: str = RAW_FILES[0]) -> None:
        self.manifest = manifest
        self.reports = {name: _reference(name).report for name in RAW_FILES}
        self.file = widgets.Dropdown(
            options=list(RAW_FILES), value=file, description="Export", style=LABEL_STYLE
        )
        self.column = widgets.Dropdown(description="Column", style=LABEL_STYLE)
        self._switching = False
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        self.file.observe(lambda _: self._on_file(), names="value")
        self.column.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.file, self.column]), self.summary, self.out])
        self._on_file()

    def _on_file(self) -> None:
        columns = ["(all columns)", *read_raw(self.file.value).columns, "*"]
        self._switching = True  # setting options selects the first one: update once, below
        self.column.options = columns
        self.column.value = columns[0]
        self._switching = False
        self.update()

    def update(self) -> None:
        """Recompute the comparison for the chosen file and column and redraw."""
        if self._switching or self.column.value is None:
            return
        column = None if self.column.value == "(all columns)" else self.column.value
        report = self.reports[self.file.value]
        self.result = compare_with_manifest(report, self.manifest, self.file.value, column)
        self.examples = examples(report, column) if column else report.head(0)[["kind", "action"]]
        counts = self.result["status"].value_counts()
        parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in _STATUS_ORDER)
        where = html.escape(column if column else "every column")
        self.summary.value = (
            f"<b>{html.escape(self.file.value)}, {where}:</b> {len(self.result)} kinds of problem; {parts}. "
            "<i>missed</i>: the cleaning found fewer rows than were injected; <i>extra</i>: it found more."
        )
        self.chart = comparison_chart(self.result, f"{self.file.value}: detected vs injected")
        shown = [self.chart, self.result]
        _show(self.out, *(shown + ([self.examples] if column else [])))

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


# --------------------------------------------------------------------------- checker
@dataclass(frozen=True)
class CleaningCheck:
    """The checker's answer: one row per check (check, ok, hint) and whether every check passed."""

    name: str
    checks: pd.DataFrame

    @property
    def passed(self) -> bool:
        return bool(self.checks["ok"].all())

    @property
    def hints(self) -> list[str]:
        return list(self.checks.loc[~self.checks["ok"], "hint"])

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<li>{'&#10003;' if ok else '&#10007;'} <b>{html.escape(c)}</b>"
            + ("" if ok else f": {html.escape(h)}")
            + "</li>"
            for c, ok, h in self.checks[["check", "ok", "hint"]].itertuples(index=False)
        )
        n_ok = int(self.checks["ok"].sum())
        head = "all checks pass" if self.passed else f"{n_ok} of {len(self.checks)} checks pass"
        return f"<div><b>{html.escape(self.name)}: {head}</b><ul>{rows}</ul></div>"


Check = Callable[[pd.DataFrame, pd.DataFrame], str | None]  # (learner, reference) -> hint, None = passed


def _keyed(frame: pd.DataFrame, key: Sequence[str]) -> pd.DataFrame:
    """`frame` indexed by `key`, first row per key (a learner frame may still hold duplicates)."""
    return frame.drop_duplicates(list(key)).set_index(list(key))


def _differ(frame: pd.DataFrame, ref: pd.DataFrame, key: Sequence[str], column: str, tol: float = 0.0) -> int:
    """Keys present on both sides whose `column` differs (missing on one side only counts; `tol` absolute)."""
    mine, theirs = _keyed(frame, key)[column], _keyed(ref, key)[column]
    common = mine.index.intersection(theirs.index)
    a, b = mine.reindex(common), theirs.reindex(common)
    both_missing = a.isna().to_numpy() & b.isna().to_numpy()
    if pd.api.types.is_numeric_dtype(b.dtype) and pd.api.types.is_numeric_dtype(a.dtype):
        x, y = a.astype("float64").to_numpy(), b.astype("float64").to_numpy()
        same = np.isclose(x, y, rtol=0.0, atol=tol)
    elif pd.api.types.is_datetime64_any_dtype(b.dtype):
        same = (pd.to_datetime(a, errors="coerce") == b).to_numpy()
    else:
        same = (a.astype(object).to_numpy() == b.astype(object).to_numpy()).astype(bool)
    return int((~(same | both_missing)).sum())


def _columns_check(required: Sequence[str]) -> Check:
    def check(frame: pd.DataFrame, ref: pd.DataFrame) -> str | None:
        missing = [c for c in required if c not in frame.columns]
        return (
            f"your frame lacks the column(s) {', '.join(missing)}; keep the export's names."
            if missing
            else None
        )

    return check


def _rows_check(name: str, key: Sequence[str], what: str, how: str) -> Check:
    def check(frame: pd.DataFrame, ref: pd.DataFrame) -> str | None:
        repeats = int(frame.duplicated(list(key)).sum())
        if repeats:
            return f"{repeats} {what} still appear more than once. {how}"
        expected = len(read_raw(name)) - _manifest_rows(name, _DROPPED_KINDS[name])
        if len(frame) < expected:
            return (
                f"the manifest leaves {expected} {what} once its duplicates are gone; you have {len(frame)}: "
                "drop only copies."
            )
        return None

    return check


def _numeric_check(
    column: str, key: Sequence[str], parse_hint: str, value_hint: str, tol: float = 0.0
) -> Check:
    def check(frame: pd.DataFrame, ref: pd.DataFrame) -> str | None:
        if not pd.api.types.is_numeric_dtype(frame[column].dtype):
            return f"{column} is still text: {parse_hint}"
        wrong = _differ(frame, ref, key, column, tol)
        return f"{wrong} values of {column} differ from what the export says: {value_hint}" if wrong else None

    return check


def _dates_check(column: str, key: Sequence[str], hint: str) -> Check:
    def check(frame: pd.DataFrame, ref: pd.DataFrame) -> str | None:
        if not pd.api.types.is_datetime64_any_dtype(frame[column].dtype):
            return f"{column} is not a date column yet: {hint}"
        wrong = _differ(frame, ref, key, column)
        return f"{wrong} dates in {column} differ from what the export means: {hint}" if wrong else None

    return check


def _text_check(column: str, key: Sequence[str], bad: Callable[[pd.Series], pd.Series], hint: str) -> Check:
    def check(frame: pd.DataFrame, ref: pd.DataFrame) -> str | None:
        values = frame[column].dropna().astype(str)
        n_bad = int(bad(values).sum())
        if n_bad:
            return f"{n_bad} values of {column} are not in the clean form yet: {hint}"
        wrong = 0 if column in key else _differ(frame, ref, key, column)
        return f"{wrong} values of {column} differ from what the export says: {hint}" if wrong else None

    return check


def _scale_check(column: str) -> Check:
    def check(frame: pd.DataFrame, ref: pd.DataFrame) -> str | None:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.median() > 1:
            return f"{column} looks like percents (median above 1): a rate is a fraction, so divide by 100."
        zeros = int((values == 0).sum()) - int((ref[column] == 0).sum())
        if zeros > 0:
            return f"{zeros} blank {column} cells became 0: a blank is unknown, so keep it missing (NaN)."
        return None

    return check


def _impossible_check(frame: pd.DataFrame, ref: pd.DataFrame) -> str | None:
    if not pd.api.types.is_numeric_dtype(frame["estimated_reach"].dtype):
        return "estimated_reach is still text: parse it before comparing it with the engagements."
    reach = pd.to_numeric(frame["estimated_reach"], errors="coerce")
    left = int((pd.to_numeric(frame["engagements"], errors="coerce") > reach).sum())
    if left:
        return (
            f"{left} rows still have a reach below their engagements: such a reach is wrong, so set it "
            "missing (NaN) and keep the row, so ER by reach is never computed from it."
        )
    return None


def _refund_check(frame: pd.DataFrame, ref: pd.DataFrame) -> str | None:
    if not pd.api.types.is_numeric_dtype(frame["amount"].dtype):
        return "amount is still text: parse it first; refunds are the rows with a negative amount."
    amount = frame["amount"]
    mine, theirs = int((amount < 0).sum()), _manifest_rows("orders_export.csv", ("refund_row",))
    if mine < theirs:
        return (
            f"{theirs - mine} refunds are missing: a negative amount that reuses an order id is a refund, "
            "not a duplicate; keep it (and mark it) so net revenue is right."
        )
    return None


_NOT_ID = (lambda s: ~s.isin(["instagram", "tiktok", "youtube"]), "use the ids instagram, tiktok, youtube.")
_HANDLE_DIRT = (
    lambda s: s.str.contains(r"[@\sA-Z]", regex=True),
    "platforms store handles in lower case, without '@' or spaces.",
)
_NOT_ISO = (
    lambda s: ~s.str.fullmatch(r"[A-Z]{2}"),
    "use two-letter ISO codes (US, GB, ...); names such as 'United States' need a lookup.",
)
_NOT_UPPER = (lambda s: s != s.str.strip().str.upper(), "stores match codes in upper case, without spaces.")
_COUNT_PARSE = "parse '12.5k', '1.2M' and '1,234' into whole numbers."
_COUNT_VALUES = "k is a thousand, M a million, and commas separate thousands."
_DATE_HINT = (
    "the column mixes ISO dates, US dates (month first) and Excel serial numbers (days since 1899-12-30)."
)
_MONEY_HINT = "strip the currency symbol or code and the thousands separators; a blank stays missing."
_ORDER_DATE_HINT = "these timestamps are day first: 03.04.2025 is the 3rd of April."

_CHECKS: Mapping[str, tuple[tuple[str, ...], tuple[tuple[str, Check], ...]]] = {
    "creator_export.csv": (
        ("handle", "platform"),
        (
            ("handles", _text_check("handle", ("handle", "platform"), *_HANDLE_DIRT)),
            ("platforms", _text_check("platform", ("handle", "platform"), *_NOT_ID)),
            (
                "one row per account",
                _rows_check(
                    "creator_export.csv",
                    ("handle", "platform"),
                    "accounts",
                    "Some copies differ only in how the handle is written: normalise handles first.",
                ),
            ),
            ("followers", _numeric_check("followers", ("handle", "platform"), _COUNT_PARSE, _COUNT_VALUES)),
            ("engagement rate as a fraction", _scale_check("engagement_rate")),
            (
                "engagement rate values",
                _numeric_check(
                    "engagement_rate",
                    ("handle", "platform"),
                    "strip the '%' and divide by 100.",
                    "'3.41%' is 0.0341.",
                    tol=1e-9,
                ),
            ),
            ("countries", _text_check("country", ("handle", "platform"), *_NOT_ISO)),
        ),
    ),
    "campaign_export.csv": (
        ("post_id",),
        (
            (
                "one row per post",
                _rows_check(
                    "campaign_export.csv",
                    ("post_id",),
                    "posts",
                    "Whole rows were exported twice: drop exact copies.",
                ),
            ),
            ("platforms", _text_check("platform", ("post_id",), *_NOT_ID)),
            ("start dates", _dates_check("start_date", ("post_id",), _DATE_HINT)),
            ("engagements", _numeric_check("engagements", ("post_id",), _COUNT_PARSE, _COUNT_VALUES)),
            ("impossible reach", _impossible_check),
            (
                "reach",
                _numeric_check(
                    "estimated_reach", ("post_id",), _COUNT_PARSE, "compare with the export's text."
                ),
            ),
            (
                "product sales",
                _numeric_check("product_sales", ("post_id",), _MONEY_HINT, _MONEY_HINT, tol=0.005),
            ),
        ),
    ),
    "orders_export.csv": (
        ("order_id", "_sign"),
        (
            ("amounts", _numeric_check("amount", ("order_id", "_sign"), _MONEY_HINT, _MONEY_HINT, tol=0.005)),
            ("refunds kept", _refund_check),
            (
                "one row per order and refund",
                _rows_check(
                    "orders_export.csv",
                    ("order_id", "_sign"),
                    "orders or refunds",
                    "The same order was exported twice, its amount written in the other money format.",
                ),
            ),
            ("order dates", _dates_check("order_date", ("order_id", "_sign"), _ORDER_DATE_HINT)),
            ("discount codes", _text_check("discount_code", ("order_id", "_sign"), *_NOT_UPPER)),
        ),
    ),
}
_REQUIRED: Mapping[str, tuple[str, ...]] = {
    "creator_export.csv": ("handle", "platform", "followers", "engagement_rate", "country"),
    "campaign_export.csv": (
        "post_id",
        "platform",
        "start_date",
        "engagements",
        "estimated_reach",
        "product_sales",
    ),
    "orders_export.csv": ("order_id", "order_date", "amount", "discount_code"),
}


def _with_sign(frame: pd.DataFrame) -> pd.DataFrame:
    """Orders keyed by id and sign: a refund shares its sale's id."""
    return frame.assign(_sign=np.sign(pd.to_numeric(frame["amount"], errors="coerce")).fillna(0))


def check_cleaning(name: str, frame: pd.DataFrame) -> CleaningCheck:
    """Check a cleaned export: one row per check, with a hint when it fails.

    Row counts are checked against the manifest of injected dirt (duplicates to drop, refunds to keep),
    values against the reference cleaning of `playbook.data.cleaning`. The hints say what is still wrong and
    where to look (how many rows, which column, which rule), never the clean values. `name` is the raw
    file (`RAW_FILES`); `frame` keeps the export's column names.
    """
    if name not in _CHECKS:
        raise KeyError(f"unknown export {name!r}; expected one of {', '.join(RAW_FILES)}")
    missing = _columns_check(_REQUIRED[name])(frame, frame)
    if missing:
        return CleaningCheck(name, pd.DataFrame([{"check": "columns", "ok": False, "hint": missing}]))
    ref = _reference(name).values
    if name == "orders_export.csv":
        frame, ref = _with_sign(frame), _with_sign(ref)
    rows = [{"check": "columns", "ok": True, "hint": ""}]
    for label, check in _CHECKS[name][1]:
        hint = check(frame, ref)
        rows.append({"check": label, "ok": hint is None, "hint": hint or ""})
    return CleaningCheck(name, pd.DataFrame(rows))


# --------------------------------------------------------------------------- reconciliation
def reconciliation_chart(reconciled: pd.DataFrame) -> alt.Chart:
    """Engagements per campaign in the cleaned export next to the clean sample
    (`cleaning.reconcile_campaign_export`): equal bars mean the export can be trusted for that total."""
    long = reconciled.melt(
        "campaign_id", ["export_engagements", "sample_engagements"], "source", "engagements"
    )
    long["source"] = long["source"].map(
        {"export_engagements": "cleaned export", "sample_engagements": "clean sample"}
    )
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("campaign_id:N", title="Campaign"),
            xOffset="source:N",
            y=alt.Y("engagements:Q", title="Engagements (likes + comments + shares + saves)"),
            color=alt.Color("source:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["campaign_id:N", "source:N", alt.Tooltip("engagements:Q", format=",")],
        )
        .properties(title="Engagements per campaign: cleaned export vs clean sample")
    )
