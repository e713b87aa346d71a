"""Bad input to `playbook report`: each mistake gives its exit code and a message saying what is allowed.

Parameter mistakes are caught before any kernel starts (the kernel pool is replaced by a trap). Data that
breaks the contracts is reported with `DataValidationError`'s own text. An analyst's own CSV files in the
documented schema (here the tiny hand-written dataset of conftest.py) produce reports, and a failing
section is named without leaving a half-written or replaced report. The notebook also runs with plain
`papermill -p ...`. Also: the empty CSV templates.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from playbook import cli
from playbook.analytics.summary import campaign_figures
from playbook.data.cache import CACHE_ENV, campaign_currencies
from playbook.data.loading import DataValidationError, load
from playbook.data.schemas import TABLES
from playbook.data.templates import TEMPLATES_DIR, write_templates
from playbook.reports import render as report
from playbook.reports.html import METRICS_MIMETYPE
from playbook.reports.params import (
    SAMPLE_DIR,
    ReportInputError,
    campaign_currencies_in_csv,
    check_campaign_ids,
    check_params,
    check_window,
)
from playbook.reports.render import EXIT_BAD_DATA, EXIT_BAD_INPUT, EXIT_REPORT_FAILED, TEMPLATE, ReportResult

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Reports of this module cache their data in a temporary directory, not in the user's cache."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))


class _NoKernels:
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("a kernel pool was started for input that should have been rejected first")


@pytest.fixture
def no_kernels(monkeypatch):
    monkeypatch.setattr(report, "KernelPool", _NoKernels)


def _run(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(["report", *args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE"], "unknown campaign id 'NOPE'; known campaign ids: 'CP000000', 'CP000001'"),
        (
            ["CP000004", "--attribution-window-days", "abc"],
            "a whole number of days from 1 to 90, or None; got 'abc'",
        ),
        (["CP000004", "--attribution-window-days", "-3"], "from 1 to 90, or None; got '-3'"),
        (["CP000004", "--attribution-window-days", "91"], "got '91'"),
        (["CP000004", "--attribution-window-days", "2.5"], "got '2.5'"),
        (["CP000004", "--data", "no/such/dir"], "data directory 'no/such/dir' does not exist"),
        (["CP000004", "--tier-preset", "tiny"], "tier_preset must be one of hootsuite_imh, "),
        (["CP000004", "--er-basis", "likes"], "er_basis must be one of reach, followers, impressions, views"),
        (
            ["CP000004", "--currency", "XYZ"],
            "currency must be an ISO 4217 code such as USD, EUR or GBP; got 'XYZ'",
        ),
        (
            ["CP000004", "--currency", "EUR"],
            "currency EUR differs from the currency of campaign 'CP000004' (USD)",
        ),
        ([], "give campaign ids or --all"),
        (["CP000004", "--all"], "give campaign ids or --all"),
    ],
)
def test_bad_parameters_exit_2_before_any_kernel(capsys, no_kernels, tmp_path, args, message):
    code, err = _run(capsys, *args, "--out", str(tmp_path / "out"))
    assert code == EXIT_BAD_INPUT
    assert message in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_console_command_exits_with_the_code_and_message_of_main(tmp_path):
    # `playbook report` ends with os._exit (no interpreter teardown): output must still be flushed.
    command = [sys.executable, "-m", "playbook.cli", "report", "NOPE", "--out", str(tmp_path)]
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, CACHE_ENV: str(tmp_path)}
    )
    assert done.returncode == EXIT_BAD_INPUT
    assert "unknown campaign id 'NOPE'; known campaign ids: 'CP000000'" in done.stderr


@pytest.mark.slow
def test_the_console_command_flushes_its_output_and_files(minimal_dataset, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "playbook.cli", "report", "CP001", "--data", str(minimal_dataset)]
    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache")}
    done = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote 1 report to {out}/\n") and "CP001.html" in done.stdout
    assert json.loads((out / "CP001.metrics.json").read_text(encoding="utf-8"))["campaign_id"] == "CP001"
    assert (out / "CP001.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_jobs_must_be_positive(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["report", "CP000004", "--jobs", "0"])
    assert exit_.value.code == EXIT_BAD_INPUT and "expected at least 1 kernel" in capsys.readouterr().err


def test_broken_campaigns_file_exits_3_with_the_loader_message(capsys, tmp_path):
    # The ids are read with the csv module and the kernels start while the contracts are checked.
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR, data)
    campaigns = data / "campaigns.csv"
    campaigns.write_text(campaigns.read_text(encoding="utf-8").replace(",20100.0,", ",$20,100,", 1))
    with pytest.raises(DataValidationError) as expected:
        load(data)
    code, err = _run(capsys, "CP000004", "--data", str(data), "--out", str(tmp_path / "out"))
    assert code == EXIT_BAD_DATA and err == f"{expected.value}\n"  # the loader's own report, as is
    assert not any((tmp_path / "out").iterdir())


def test_campaigns_file_without_ids_exits_3_before_any_kernel(capsys, no_kernels, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR, data)
    campaigns = data / "campaigns.csv"
    campaigns.write_text(campaigns.read_text(encoding="utf-8").replace("campaign_id,", "campaign,", 1))
    with pytest.raises(DataValidationError) as expected:
        load(data, tables=["campaigns"])
    code, err = _run(capsys, "CP000004", "--data", str(data), "--out", str(tmp_path / "out"))
    assert code == EXIT_BAD_DATA and err == f"{expected.value}\n"


def test_campaign_ids_are_read_without_pandas_from_csv_only(tmp_path, minimal_tables):
    expected = campaign_currencies(minimal_tables["campaigns"])
    minimal_tables["campaigns"].to_csv(tmp_path / "campaigns.csv", index=False, encoding="utf-8-sig")
    assert campaign_currencies_in_csv(tmp_path) == expected
    (tmp_path / "campaigns.csv").unlink()
    minimal_tables["campaigns"].to_csv(tmp_path / "campaigns.csv.gz", index=False)
    assert campaign_currencies_in_csv(tmp_path) == expected
    minimal_tables["campaigns"].to_parquet(tmp_path / "campaigns.parquet")
    assert campaign_currencies_in_csv(tmp_path) is None  # two files: the validated load reports it
    (tmp_path / "campaigns.csv.gz").unlink()
    assert campaign_currencies_in_csv(tmp_path) is None  # Parquet: read by the validated load
    (tmp_path / "campaigns.parquet").unlink()
    (tmp_path / "campaigns.csv").write_bytes(b"campaign_id,currency\nCP001,USD\n,EUR\n")
    assert campaign_currencies_in_csv(tmp_path) is None  # an empty id
    (tmp_path / "campaigns.csv").write_bytes(b"campaign_id,currency\n\xff\xfe,USD\n")
    assert campaign_currencies_in_csv(tmp_path) is None  # not UTF-8


def _sample_with_first_post(tmp_path: Path, column: str, value: str) -> Path:
    """A copy of the sample whose first post has `value` in `column` (the text as written in the CSV)."""
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR, data)
    posts = data / "posts.csv"
    lines = posts.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index(column)] = value
    lines[1] = ",".join(cells) + "\n"
    posts.write_text("".join(lines), encoding="utf-8")
    return data


@pytest.mark.slow
def test_reports_run_while_the_data_is_validated_are_not_written_when_it_fails(capsys, tmp_path):
    # -5 likes parses as a number, so the kernel's parse-only load succeeds and the report runs; the
    # contracts (likes >= 0) fail in the runner's validation, so nothing may be written.
    data = _sample_with_first_post(tmp_path, "likes", "-5")
    assert load(data, validate=False)["posts"]["likes"].iloc[0] == -5
    with pytest.raises(DataValidationError) as expected:
        load(data)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "CP000004.html").write_text("the previous report")
    code, err = _run(capsys, "CP000004", "CP000007", "--data", str(data), "--out", str(tmp_path / "out"))
    assert code == EXIT_BAD_DATA and err.endswith(f"\n{expected.value}\n")  # after the progress bar
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["CP000004.html"]
    assert (tmp_path / "out" / "CP000004.html").read_text() == "the previous report"


@pytest.mark.slow
def test_broken_data_exits_3_with_the_loader_message(capsys, tmp_path):
    data = _sample_with_first_post(tmp_path, "reach", "12.5k")  # a messy export
    with pytest.raises(DataValidationError) as expected:
        load(data)
    code, err = _run(capsys, "CP000004", "--data", str(data), "--out", str(tmp_path / "out"))
    assert code == EXIT_BAD_DATA and err == f"{expected.value}\n"
    assert "write plain numbers: 12500" in err
    assert not any((tmp_path / "out").iterdir())


def test_failed_reports_exit_4_naming_the_section(capsys, monkeypatch):
    failed = ReportResult(
        "CP000004", False, error="section 'Attribution' failed: ZeroDivisionError: division by zero"
    )
    monkeypatch.setattr(report, "render_reports", lambda *a, **k: [failed])
    code, err = _run(capsys, "CP000004")
    assert code == EXIT_REPORT_FAILED
    assert err == "'CP000004': section 'Attribution' failed: ZeroDivisionError: division by zero\n"


# --------------------------------------------------------------------------- plain papermill
@pytest.mark.slow
def test_plain_papermill_runs_the_notebook(minimal_dataset, tmp_path):
    out = tmp_path / "out.ipynb"
    command = [
        str(Path(sys.executable).with_name("papermill")),
        str(TEMPLATE.relative_to(ROOT)),
        str(out),
        *("-p", "campaign_id", "CP001", "-p", "data_dir", str(minimal_dataset)),
        *("-p", "attribution_window_days", "3", "-p", "er_basis", "followers", "--no-progress-bar"),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    outputs = [o for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])]
    (recorded,) = [o["data"][METRICS_MIMETYPE] for o in outputs if METRICS_MIMETYPE in o.get("data", {})]
    tables = load(minimal_dataset)
    tables["campaigns"] = tables["campaigns"].assign(attribution_window_days=3)
    figures = campaign_figures(tables, "CP001")  # the library, with the same window
    assert recorded["figures"] == {k: None if v != v else v for k, v in figures.items()}  # NaN -> null
    assert recorded["parameters"]["attribution_window_days"] == 3
    assert recorded["kpi_tree"]["kpis"]["er"]["label"] == "ER by followers"


# --------------------------------------------------------------------------- parameter checks
def test_window_values():
    assert [check_window(v) for v in (None, 30, "7", " 14 ", 2.0, 90, 1)] == [None, 30, 7, 14, 2, 90, 1]
    for bad in (True, 0, 91, 2.5, "abc", "", "1e3", float("nan"), [7]):
        with pytest.raises(ReportInputError, match="a whole number of days from 1 to 90, or None; got"):
            check_window(bad)


def test_campaign_ids_are_text_and_known(minimal_tables):
    campaigns = campaign_currencies(minimal_tables["campaigns"])
    assert check_campaign_ids(["CP002", "CP001", "CP002"], campaigns) == ["CP002", "CP001"]
    assert check_campaign_ids(None, campaigns) == ["CP001", "CP002"]
    with pytest.raises(ReportInputError, match=r"got 123 \(papermill: pass ids with -r campaign_id VALUE"):
        check_campaign_ids([123], campaigns)
    with pytest.raises(ReportInputError, match="the campaigns table is empty"):
        check_campaign_ids(["CP001"], {})


def test_long_id_lists_are_shortened(minimal_tables):
    many = minimal_tables["campaigns"].iloc[[0] * 45].assign(campaign_id=[f"C{i:02d}" for i in range(45)])
    with pytest.raises(ReportInputError, match=r"'C29' and 15 more$"):
        check_campaign_ids(["X"], campaign_currencies(many))


def test_params_default_to_the_sample_and_resolve_paths(tmp_path, monkeypatch):
    assert check_params().data_dir == SAMPLE_DIR
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    assert check_params("mine").data_dir == tmp_path / "mine"
    (tmp_path / "file.csv").write_text("x\n")
    with pytest.raises(ReportInputError, match="is a file, not a directory"):
        check_params("file.csv")


# --------------------------------------------------------------------------- analysts' own CSV files
@pytest.mark.slow
def test_own_csv_files_report_and_a_failing_section_is_named(minimal_dataset, tmp_path):
    template = nbformat.read(TEMPLATE, as_version=4)
    failing = [
        nbformat.v4.new_markdown_cell("## Attribution"),
        nbformat.v4.new_code_cell('if campaign_id == "CP002":\n    1 / 0'),
    ]
    template.cells[-1:-1] = failing
    template_path = tmp_path / "report.ipynb"
    nbformat.write(template, template_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "CP002.html").write_text("the previous complete report", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in minimal_dataset.iterdir()}

    ok, failed = report.render_reports(["CP001", "CP002"], minimal_dataset, out, template=template_path)

    assert ok.ok, ok.error
    figures = json.loads(ok.json_path.read_text(encoding="utf-8"))["figures"]
    assert figures == campaign_figures(load(minimal_dataset), "CP001")
    assert not failed.ok and failed.html_path is None
    assert failed.error == "section 'Attribution' failed: ZeroDivisionError: division by zero"
    assert (out / "CP002.html").read_text(encoding="utf-8") == "the previous complete report"
    assert sorted(p.name for p in out.iterdir()) == [
        "CP001.html",
        "CP001.metrics.json",
        "CP002.html",
        "index.csv",
        "index.html",
    ]
    assert "failed: section &#x27;Attribution&#x27; failed" in (out / "index.html").read_text(
        encoding="utf-8"
    )
    assert {p.name: p.read_bytes() for p in minimal_dataset.iterdir()} == before


# --------------------------------------------------------------------------- templates
def test_templates_are_the_schema_header_rows():
    files = sorted(TEMPLATES_DIR.glob("*.csv"))
    assert [p.stem for p in files] == sorted(TABLES)
    for path in files:
        assert path.read_text(encoding="utf-8") == ",".join(TABLES[path.stem].columns) + "\n"


def test_templates_are_regenerated_identically(tmp_path):
    for path in write_templates(tmp_path):
        assert path.read_bytes() == (TEMPLATES_DIR / path.name).read_bytes()


def test_templates_load_as_valid_empty_tables():
    tables = load(TEMPLATES_DIR)
    assert set(tables) == set(TABLES) and all(len(t) == 0 for t in tables.values())
