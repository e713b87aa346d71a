"""Module 12 apps: the dirt detector driven without a browser, the cleaning checker's hints on deliberately
half-cleaned frames, the charts, and the notebook's structure.

Expected counts are computed independently from the raw text with plain pandas (regular expressions and
`duplicated`), not with `playbook.data.cleaning`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import notebook_headings

from playbook.course.apps import cleaning as a
from playbook.data.cleaning import clean_export, parse_count, read_raw
from playbook.data.loading import load
from playbook.data.synth.generate import SAMPLE_DIR

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "12_data_cleaning.ipynb"
SECTIONS_12 = (
    "## Why cleaning comes first",
    "## Look before you clean: the dirt detector",
    "## Cleaning functions that report what they change",
    "## Exercise: clean the creator export",
    "## Exercise: clean the campaign export",
    "## Refunds and duplicate orders",
    "## Reconcile with the clean sample",
    "## Your decision",
    "## Key points",
    "## Self-check quiz",
)


@pytest.fixture(scope="module")
def manifest() -> pd.DataFrame:
    return a.raw_manifest(load(SAMPLE_DIR))


# --------------------------------------------------------------------------- detector
def test_compare_with_manifest_hand_made():
    report = pd.DataFrame(
        {
            "row": [0, 1, 1, 2, 5],
            "column": ["x", "x", "x", "x", "y"],
            "kind": ["missing_value", "missing_value", "missing_value", "us_date", "mixed_case"],
        }
    )
    manifest = pd.DataFrame(
        {
            "file": ["f.csv", "f.csv", "f.csv", "g.csv"],
            "column": ["x", "x", "y", "x"],
            "kind": ["missing_value", "us_date", "at_prefix", "us_date"],
            "rows": [2, 3, 4, 99],
        }
    )
    out = a.compare_with_manifest(report, manifest, "f.csv").set_index(["column", "kind"])
    # rows 0 and 1 (row 1 twice counts once) = 2 of 2; 1 us_date of 3; 0 at_prefix of 4; 1 mixed_case of 0
    assert out.loc[("x", "missing_value"), ["detected", "manifest", "status"]].tolist() == [2, 2, "match"]
    assert out.loc[("x", "us_date"), ["difference", "status"]].tolist() == [-2, "missed"]
    assert out.loc[("y", "at_prefix"), "status"] == "missed"
    assert out.loc[("y", "mixed_case"), ["detected", "manifest", "status"]].tolist() == [1, 0, "extra"]
    only_x = a.compare_with_manifest(report, manifest, "f.csv", "x")
    assert set(only_x["column"]) == {"x"} and len(only_x) == 2


def test_detector_on_the_committed_exports(manifest):
    app = a.DirtDetectorApp(manifest)
    assert app.column.value == "(all columns)"
    counts = app.result["status"].value_counts()
    assert counts["match"] == 12 and counts["extra"] == 1 and "missed" not in counts
    assert "12 match, 0 missed, 1 extra" in app.summary.value
    app.column.value = "followers"
    raw = read_raw("creator_export.csv")["followers"].str.strip()
    abbreviated = int(raw.str.fullmatch(r"\d+(\.\d+)?[kKmMbB]").sum())
    grouped = int(raw.str.contains(",").sum())
    result = app.result.set_index("kind")["detected"]
    assert result.to_dict() == {"abbreviated_number": abbreviated, "thousands_separator": grouped}
    assert set(app.examples["kind"]) == {"abbreviated_number", "thousands_separator"}
    assert len(app.out.outputs) == 3  # chart, comparison, examples


def test_detector_switches_file_and_whole_rows(manifest):
    app = a.DirtDetectorApp(manifest, "orders_export.csv")
    assert (app.result["status"] == "match").all()
    app.file.value = "campaign_export.csv"
    assert app.column.value == "(all columns)" and "estimated_reach" in app.column.options
    app.column.value = "*"
    copies = int(read_raw("campaign_export.csv").duplicated().sum())
    assert app.result[["kind", "detected", "manifest"]].values.tolist() == [
        ["exact_duplicate_row", copies, copies]
    ]
    assert app.chart.to_dict()["mark"]["type"] == "bar"


# --------------------------------------------------------------------------- checker
@pytest.mark.parametrize("name", a.RAW_FILES)
def test_reference_cleaning_passes_every_check(name):
    result = a.check_cleaning(name, clean_export(name).values)
    assert result.passed and result.hints == []
    assert "all checks pass" in result._repr_html_()


def test_checker_hints_on_a_half_cleaned_creator_export():
    raw = read_raw("creator_export.csv")
    mine = raw.assign(followers=parse_count(raw["followers"]).values)
    result = a.check_cleaning("creator_export.csv", mine)
    failed = set(result.checks.loc[~result.checks["ok"], "check"])
    assert failed == {"handles", "platforms", "one row per account", "engagement rate values", "countries"}
    hints = " ".join(result.hints)
    at_or_caps = int(raw["handle"].str.contains(r"[@\sA-Z]").sum())
    assert f"{at_or_caps} values of handle" in hints and "engagement_rate is still text" in hints
    assert not result.passed and "checks pass" in result._repr_html_()


def test_checker_never_gives_the_clean_values():
    raw = read_raw("creator_export.csv")
    reference = clean_export("creator_export.csv").values
    wrong = reference.assign(followers=(reference["followers"] // 1000).astype("Int64"))  # k forgotten
    result = a.check_cleaning("creator_export.csv", wrong)
    hint = result.checks.set_index("check").loc["followers", "hint"]
    assert "k is a thousand" in hint
    clean_numbers = {f"{v:,}" for v in reference["followers"].dropna()} | {
        str(v) for v in reference["followers"]
    }
    assert not any(number in hint.split() for number in clean_numbers if len(number) > 3)
    assert raw["handle"].iloc[0] not in " ".join(result.hints)


def test_checker_rates_zeros_and_percents():
    reference = clean_export("creator_export.csv").values
    percents = reference.assign(engagement_rate=reference["engagement_rate"] * 100)
    hint = (
        a.check_cleaning("creator_export.csv", percents)
        .checks.set_index("check")
        .loc["engagement rate as a fraction", "hint"]
    )
    assert "divide by 100" in hint
    zeros = reference.assign(engagement_rate=reference["engagement_rate"].fillna(0.0))
    hint = (
        a.check_cleaning("creator_export.csv", zeros)
        .checks.set_index("check")
        .loc["engagement rate as a fraction", "hint"]
    )
    assert hint.startswith("1 blank engagement_rate cells became 0")


def test_checker_on_campaign_and_orders_mistakes():
    campaign = clean_export("campaign_export.csv").values
    kept_reach = campaign.assign(estimated_reach=campaign["estimated_reach"].fillna(0))  # impossible rows
    checks = a.check_cleaning("campaign_export.csv", kept_reach).checks.set_index("check")
    unique = read_raw("campaign_export.csv").drop_duplicates()
    impossible = int((unique["engagements"].astype(int) > unique["estimated_reach"].astype(int)).sum())
    assert not checks.loc["impossible reach", "ok"]
    assert checks.loc["impossible reach", "hint"].startswith(f"{impossible} rows still")
    orders = clean_export("orders_export.csv").values
    no_refunds = orders[~orders["is_refund"]]
    checks = a.check_cleaning("orders_export.csv", no_refunds).checks.set_index("check")
    assert not checks.loc["refunds kept", "ok"] and checks.loc["refunds kept", "hint"].startswith(
        "160 refunds"
    )
    raw = read_raw("orders_export.csv")
    checks = a.check_cleaning("orders_export.csv", raw).checks.set_index("check")
    assert checks.loc["refunds kept", "hint"].startswith("amount is still text")
    month_first = orders.assign(
        order_date=pd.to_datetime(
            raw.loc[orders.index, "order_date"], format="%m.%d.%Y %H:%M", errors="coerce"
        )
    )
    checks = a.check_cleaning("orders_export.csv", month_first).checks.set_index("check")
    assert "day first" in checks.loc["order dates", "hint"]


def test_checker_counts_rows_against_the_manifest():
    sample = load(SAMPLE_DIR)
    reference = clean_export("creator_export.csv").values
    checks = a.check_cleaning("creator_export.csv", reference.iloc[:-5]).checks.set_index("check")
    # the creator export has one row per account once its copies are gone: the accounts table
    expected = len(sample["accounts"])
    assert checks.loc["one row per account", "hint"].startswith(f"the manifest leaves {expected} accounts")
    posts = sample["posts"]
    n_posts = int((posts["sponsored"] & posts["campaign_id"].notna()).sum())
    campaign = clean_export("campaign_export.csv").values
    checks = a.check_cleaning("campaign_export.csv", campaign.iloc[1:]).checks.set_index("check")
    assert f"leaves {n_posts} posts" in checks.loc["one row per post", "hint"]


def test_checker_missing_columns_and_unknown_files():
    result = a.check_cleaning("orders_export.csv", pd.DataFrame({"order_id": ["OR1"]}))
    assert (
        result.checks["check"].tolist() == ["columns"]
        and "order_date, amount, discount_code" in result.hints[0]
    )
    with pytest.raises(KeyError, match="unknown export"):
        a.check_cleaning("sales.csv", pd.DataFrame())


def test_check_html_escapes():
    check = a.CleaningCheck(
        "<b>x</b>", pd.DataFrame([{"check": "<i>c</i>", "ok": False, "hint": "<script>"}])
    )
    shown = check._repr_html_()
    assert "<script>" not in shown and "&lt;script&gt;" in shown and "&lt;b&gt;x" in shown


# --------------------------------------------------------------------------- charts
def test_reconciliation_and_report_charts():
    reconciled = pd.DataFrame(
        {"campaign_id": ["CP1", "CP2"], "export_engagements": [10, 20], "sample_engagements": [10, 25]}
    )
    spec = a.reconciliation_chart(reconciled).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 4 and {r["source"] for r in rows} == {"cleaned export", "clean sample"}
    report = pd.DataFrame(
        {"row": [0, 0, 1], "column": ["x", "x", "x"], "kind": ["k", "k", "k"], "action": ["changed"] * 3}
    )
    counts = next(iter(a.report_chart(report).to_dict()["datasets"].values()))
    assert counts == [{"column": "x", "kind": "k", "action": "changed", "rows": 2, "label": "x: k"}]


# --------------------------------------------------------------------------- notebook
def test_notebook_structure():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    meta = nb["metadata"]["playbook"]
    assert meta["order"] == 12 and 3 <= len(meta["objectives"]) <= 5 and 4 <= len(meta["key_points"]) <= 6
    headings = notebook_headings(nb)
    assert set(SECTIONS_12) <= headings
    first_code = next(cell for cell in nb["cells"] if cell["cell_type"] == "code")
    assert 'module_header("12_data_cleaning")' in "".join(first_code["source"])
    code = "".join("".join(cell["source"]) for cell in nb["cells"] if cell["cell_type"] == "code")
    assert "DirtDetectorApp(" in code and "check_cleaning(" in code and "quiz(" in code
    prose = " ".join("".join(cell["source"]) for cell in nb["cells"] if cell["cell_type"] == "markdown")
    outside_code = re.sub(r"`[^`]*`", "", prose)  # examples of dirty text are written as code
    assert not re.search(r"\d%", outside_code)  # no industry figure typed into prose
