"""Campaign reports: the report notebook rendered to offline HTML and a metrics JSON, one or many at once.

`render_report(campaign_id, data_dir, out_dir)` and `render_reports(ids, data_dir, out_dir, jobs=2)` (and
`playbook report`) run `notebooks/reports/campaign_report.ipynb` and write, per campaign,
`<out>/<slug>.html` (no code; no script; nothing loaded from the network) and `<out>/<slug>.metrics.json`
(the headline figures the notebook recorded), plus `index.html` and `index.csv` comparing them when there
are several. `<slug>` is the campaign id made safe for a file name (`report_html.safe_slug`).

Order of work, so that mistakes cost no kernel and a batch costs little more than its slowest reports:
1. parameters and campaign ids are checked (`ReportInputError`), reading only the campaign ids and
   currencies: from the validated-data cache (`data_cache.read_campaign_currencies`, a small JSON file),
   else from campaigns.csv with the csv module (`report_params.campaign_currencies_in_csv`), else from the
   validated campaigns table. This process has not imported pandas yet, so the kernels start a fraction
   of a second after the command;
2. `jobs` project kernels start and get the data in the background (from the user's validated-data cache,
   `playbook.data.cache`, else by parsing the files), while a thread of this process validates every
   table against the contracts and caches them; data found in the cache passed validation when it was
   written and is not validated again. Reports start on the parsed tables before the validation ends,
   but none is written until it passed: data breaking the contracts raises
   `playbook.data.loading.DataValidationError` (shown as is) and leaves no report;
3. each kernel runs one campaign after another (a warm kernel reuses the data it read and the modules it
   imported; each report builds its own context, see `reports.context`); a failing cell ends that report
   with "section 'X' failed: Error: message", a dead kernel is restarted and its report tried once more.
   Kernels display charts as Vega-Lite specs; a helper process (`chart_worker`) renders each to SVG as
   soon as its cell is done, while the kernel computes the next sections;
4. each report's files are written to temporary files and moved into place together, so a report is
   either complete and new or left as it was. The input data is only read.

Phase timings (parameter checks, data, kernel start, each section, file writing) are logged at DEBUG level
on the `playbook.reports.render` logger.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playbook.data.cache import (
    Fingerprint,
    campaign_currencies,
    data_fingerprint,
    read_campaign_currencies,
    write_entry,
)
from playbook.data.layout import DEFAULT_TIER_PRESET, REPORT_NOTEBOOK
from playbook.reports.chart_worker import KERNELS_PER_WORKER, ChartWorkers
from playbook.reports.html import (
    csv_text,
    esc,
    index_html,
    metrics_output,
    notebook_html,
    safe_slug,
    write_files_atomically,
)
from playbook.reports.params import (
    DEFAULT_ER_BASIS,
    WARM_UP_ENV,
    ReportInputError,
    ReportParams,
    campaign_currencies_in_csv,
    check_campaign_ids,
    check_params,
)
from playbook.reports.runner import (
    Kernel,
    KernelDied,
    KernelPool,
    SectionError,
    inject_parameters,
    load_template,
    run_notebook,
    section_seconds,
)

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = [
    "DEFAULT_OUT_DIR",
    "EXIT_BAD_DATA",
    "EXIT_BAD_INPUT",
    "EXIT_REPORT_FAILED",
    "TEMPLATE",
    "ReportResult",
    "render_report",
    "render_reports",
]

TEMPLATE: Path = REPORT_NOTEBOOK  # shipped in the package (playbook/resources)
DEFAULT_OUT_DIR = Path("reports")
EXIT_BAD_INPUT = 2  # a parameter, id or path is wrong (also argparse's usage errors)
EXIT_BAD_DATA = 3  # the data breaks the contracts
EXIT_REPORT_FAILED = 4  # a report failed while running (its section and reason are printed)
# Our default for a stuck cell: far above any section's run time on the large dataset.
DEFAULT_CELL_TIMEOUT_S = 600.0
_BAD_DATA = "not written: the data breaks the contracts (see the validation error)"
_WARM_UP_LINE = "import playbook.reports.sections; playbook.reports.sections.warm_up_from_env()"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportResult:
    """What happened to one campaign's report.

    `metrics` is what `json_path` holds (the notebook's headline figures, the parameters used, the report's
    file name, the data directory and the time); `error` names the failed section and the reason, and
    `traceback` is the kernel's traceback of that error (for debugging, never shown in a report).
    `seconds` is the time this report took in its kernel, including waiting for a new kernel to start.
    """

    campaign_id: str
    ok: bool
    html_path: Path | None = None
    json_path: Path | None = None
    metrics: dict[str, Any] | None = None
    pdf_path: Path | None = None
    error: str | None = None
    traceback: str = field(default="", repr=False)
    seconds: float = 0.0


@dataclass(frozen=True)
class _Run:
    """What every report of one run shares."""

    params: ReportParams
    out_dir: Path
    template: NotebookNode
    cell_timeout: float | None
    generated_at: str
    charts: ChartWorkers  # render the charts of executed cells to SVG (`report_runner.run_notebook`)
    data_check: _DataCheck


class _DataCheck:
    """The validation of the data directory, on a thread of its own (or already done: data from the cache).

    Reports run meanwhile on the tables the kernels parsed; a report is written only once the validation
    passed (`passed` waits for it), so data that breaks the contracts never gets a report.
    """

    def __init__(self, data_dir: Path, fingerprint: Fingerprint, needed: bool) -> None:
        self.error: BaseException | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._validate, args=(data_dir, fingerprint), name="playbook-validate", daemon=True
        )
        if not needed:
            self._done.set()

    def start(self) -> None:
        if not self._done.is_set():
            self._thread.start()

    def _validate(self, data_dir: Path, fingerprint: Fingerprint) -> None:
        try:
            _validate_and_cache(data_dir, fingerprint)
        except BaseException as err:  # handed to the caller by `raise_error`
            self.error = err
        finally:
            self._done.set()

    def failed(self) -> bool:
        """True once the validation finished and failed (does not wait)."""
        return self._done.is_set() and self.error is not None

    def passed(self) -> bool:
        """Wait for the validation; True when the data keeps every contract."""
        self._done.wait()
        return self.error is None

    def raise_error(self) -> None:
        """Wait for the validation and raise its error (`DataValidationError`), if any."""
        if not self.passed():
            raise self.error  # type: ignore[misc]


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _generated(run: _Run) -> str:
    """The escaped footer line: when and from which data the reports were made."""
    when, data = esc(run.generated_at), esc(run.params.data_dir)
    return f"Generated by <code>playbook report</code> at {when} from {data}."


def _out_dir(out_dir: str | Path) -> Path:
    path = Path(out_dir).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ReportInputError(
            f"cannot use {str(out_dir)!r} as the output directory: {err.strerror}"
        ) from None
    return path


def _slugs(ids: Sequence[str]) -> dict[str, str]:
    slugs = {cid: safe_slug(cid) for cid in ids}
    seen: dict[str, str] = {}
    for cid, slug in slugs.items():  # case-insensitive file systems (macOS, Windows) would merge these
        if (other := seen.setdefault(slug.lower(), cid)) != cid:
            raise ReportInputError(
                f"campaign ids {other!r} and {cid!r} differ only in case; report them separately"
            )
    return slugs


def _check_jobs(jobs: object) -> int:
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ReportInputError(f"jobs must be a whole number of kernels, at least 1; got {jobs!r}")
    return jobs


def _failure(cid: str, started: float, error: str, trace: str = "") -> ReportResult:
    return ReportResult(cid, False, error=error, traceback=trace, seconds=time.perf_counter() - started)


def _execute(kernel: Kernel, run: _Run, cid: str) -> NotebookNode:
    """Run the notebook for one campaign; a kernel that dies gets one more try on a fresh kernel."""
    parameters = run.params.notebook_parameters(cid)
    try:
        nb = inject_parameters(run.template, parameters)
        return run_notebook(kernel, nb, run.cell_timeout, run.charts.render)
    except KernelDied:
        nb = inject_parameters(run.template, parameters)
        return run_notebook(kernel, nb, run.cell_timeout, run.charts.render)


def _render_one(kernel: Kernel, run: _Run, cid: str, slug: str) -> ReportResult:
    started = time.perf_counter()
    if run.data_check.failed():
        return _failure(cid, started, _BAD_DATA)
    try:
        nb = _execute(kernel, run, cid)
    except SectionError as err:
        return _failure(cid, started, str(err), err.traceback)
    except Exception as err:  # e.g. a kernel that does not start: this report fails, the batch goes on
        return _failure(cid, started, f"the report could not run: {type(err).__name__}: {err}")
    if _log.isEnabledFor(logging.DEBUG):
        spent = ", ".join(f"{name} {seconds:.2f}" for name, seconds in section_seconds(nb).items())
        _log.debug(
            "%s: notebook ran in %.2f s (seconds per section: %s)", cid, time.perf_counter() - started, spent
        )
    metrics = metrics_output(nb)
    if metrics is None:
        return _failure(cid, started, "the notebook recorded no headline figures (no record_metrics cell)")
    name = (metrics.get("figures") or {}).get("name") or cid
    footer = f"{_generated(run)} Headline figures: {esc(slug)}.metrics.json."
    payload = {
        **metrics,
        "report": f"{slug}.html",
        "data_dir": str(run.params.data_dir),
        "generated_at": run.generated_at,
    }
    html_path, json_path = run.out_dir / f"{slug}.html", run.out_dir / f"{slug}.metrics.json"
    try:
        text = json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        html = notebook_html(nb, f"Campaign report: {name}", footer)
        if not run.data_check.passed():  # waits for the validation of the data
            return _failure(cid, started, _BAD_DATA)
        write_files_atomically({html_path: html, json_path: text})
    except (OSError, ValueError) as err:
        return _failure(cid, started, f"could not write the report files: {err}")
    _log.debug("%s: report written %.2f s after its start", cid, time.perf_counter() - started)
    return ReportResult(cid, True, html_path, json_path, payload, seconds=time.perf_counter() - started)


def _fmt(value: object, spec: str, suffix: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{format(value, spec)}{suffix}"


def _index_rows(results: Iterable[ReportResult]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Rows of index.html (formatted, grouped by currency with a total per currency) and index.csv (raw
    values, one currency column). CPA = full cost / attributed orders (`analytics.undefined.ratio`)."""
    from playbook.analytics.undefined import ratio

    shown, raw = [], []
    totals: dict[str, list[float]] = {}
    for r in results:
        m = r.metrics or {}
        f, v = m.get("figures") or {}, m.get("verdict") or {}
        status = "ok" if r.ok else f"failed: {r.error}"
        report = r.html_path.name if r.html_path else None
        cur = str(f.get("currency") or "")
        cost, budget, orders = (f.get(k) for k in ("full_cost", "budget", "attributed_orders"))
        cpa = float(ratio(cost, orders, "CPA")) if cost is not None and orders is not None else math.nan
        if f:
            sums = totals.setdefault(cur, [0.0, 0.0])
            sums[0] += budget if budget is not None else math.nan
            sums[1] += cost if cost is not None else math.nan
        shown.append(
            {
                "campaign": r.campaign_id,
                "verdict": v.get("label", ""),
                "name": " ".join(str(f.get("name", "")).split()),
                "objective": f.get("objective", ""),
                "dates": f"{f['start']} to {f['end']}" if f.get("start") else "",
                "budget": _fmt(budget, ",.0f") if f else "",
                "full cost": _fmt(cost, ",.0f") if f else "",
                "CPA": _fmt(cpa, ",.2f") if f else "",
                "ROAS": _fmt(f.get("roas"), ".2f") if f else "",
                "status": status,
                "report": report,
                "tone": v.get("tone", "neutral"),
                "group": f"Amounts in {cur}" if cur else "Failed reports",
            }
        )
        keys = ("name", "objective", "currency", "start", "end", "budget", "full_cost", "attributed_orders")
        raw.append(
            {
                "campaign_id": r.campaign_id,
                **{k: f.get(k) for k in keys},
                "cpa": None if math.isnan(cpa) else cpa,
                **{k: f.get(k) for k in ("reach", "er_by_reach", "roas")},
                "verdict": v.get("label"),
                "status": status,
                "report": report,
            }
        )
    shown.sort(key=lambda row: str(row["group"]))
    for row in shown:
        cur = str(row["group"]).removeprefix("Amounts in ")
        if cur in totals and not row.get("totals"):
            budget, cost = totals.pop(cur)
            row["totals"] = {
                "campaign": f"Total {cur}",
                "budget": _fmt(budget, ",.0f"),
                "full cost": _fmt(cost, ",.0f"),
            }
    return shown, raw


def render_reports(
    campaign_ids: Iterable[str] | None,
    data_dir: str | Path | None = None,
    out_dir: str | Path = DEFAULT_OUT_DIR,
    *,
    jobs: int = 2,
    currency: str | None = None,
    er_basis: str = DEFAULT_ER_BASIS,
    tier_preset: str = DEFAULT_TIER_PRESET,
    attribution_window_days: int | str | None = None,
    progress: bool = False,
    template: str | Path = TEMPLATE,
    cell_timeout: float | None = DEFAULT_CELL_TIMEOUT_S,
    pdf: bool = False,
) -> list[ReportResult]:
    """Render the reports of `campaign_ids` (all campaigns when None) on `jobs` kernels; results in id order.

    Raises `ReportInputError` (bad parameter, id or path) or `DataValidationError` (data breaking the
    contracts) before writing any report. A report that fails while running is a result with `ok=False`
    and its `error`; the others are still written. `data_dir=None` is the sample data. With several
    campaigns, `index.html` and `index.csv` in `out_dir` compare them. `progress` shows a tqdm bar. `pdf`
    also prints each written report to `<slug>.pdf` (`reports.pdf.print_pdfs`: Playwright and Chromium,
    checked before any kernel starts).
    """
    params = check_params(
        data_dir,
        currency=currency,
        er_basis=er_basis,
        tier_preset=tier_preset,
        attribution_window_days=attribution_window_days,
    )
    jobs = _check_jobs(jobs)
    if pdf:
        _check_pdf_setup()
    started = time.perf_counter()
    fingerprint = data_fingerprint(params.data_dir)
    currencies = read_campaign_currencies(params.data_dir, fingerprint)
    cached = currencies is not None
    if currencies is None:
        currencies = campaign_currencies_in_csv(params.data_dir)
    if currencies is None:
        from playbook.data.loading import load

        currencies = campaign_currencies(load(params.data_dir, tables=["campaigns"])["campaigns"])
    wanted = None if campaign_ids is None else list(campaign_ids)
    ids = check_campaign_ids(wanted, currencies, params.currency)
    slugs = _slugs(ids)
    template_path = Path(template)
    if not template_path.is_file():
        raise ReportInputError(f"report notebook {str(template)!r} not found")
    out = _out_dir(out_dir)
    _log.debug("parameters and %d campaign id(s) checked in %.2f s", len(ids), time.perf_counter() - started)
    warm = {"data_dir": str(params.data_dir), "fingerprint": fingerprint}
    kernels = min(jobs, len(ids))
    pool = KernelPool(kernels, startup=[_WARM_UP_LINE], env={WARM_UP_ENV: json.dumps(warm)})
    charts = ChartWorkers(math.ceil(kernels / KERNELS_PER_WORKER))
    data_check = _DataCheck(params.data_dir, fingerprint, needed=not cached)
    try:
        pool.launch()  # the kernels boot while this process validates the data and reads the template
        data_check.start()
        charts.start()
        run = _Run(params, out, load_template(template_path), cell_timeout, _now(), charts, data_check)
        results = _run_all(pool, run, ids, slugs, progress)
        data_check.raise_error()
    finally:
        pool.close()
        charts.close()
    if pdf:
        from playbook.reports.pdf import print_pdfs

        written = [r for r in results if r.ok and r.html_path is not None]
        printed = print_pdfs(r.html_path for r in written if r.html_path is not None)
        by_id = {r.campaign_id: p for r, p in zip(written, printed, strict=True)}
        results = [replace(r, pdf_path=by_id.get(r.campaign_id)) for r in results]
    if len(ids) > 1:
        shown, raw = _index_rows(results)
        footer = _generated(run)
        write_files_atomically(
            {
                run.out_dir / "index.html": index_html(shown, "Campaign reports", footer),
                run.out_dir / "index.csv": csv_text(raw),
            }
        )
    return results


def _check_pdf_setup() -> None:
    """Fail before any work when PDFs were asked for and cannot be printed here."""
    import importlib.util

    from playbook.reports.pdf import PDF_SETUP, find_chromium

    if importlib.util.find_spec("playwright") is None:
        raise ReportInputError(f"no Playwright: {PDF_SETUP}")
    if find_chromium() is None:
        raise ReportInputError(f"no Chromium found: {PDF_SETUP}")


def _validate_and_cache(data_dir: Path, fingerprint: Fingerprint) -> None:
    """Validate every table (raises `DataValidationError`) and cache them when the files did not change."""
    from playbook.data.loading import load

    started = time.perf_counter()
    tables = load(data_dir)
    written = data_fingerprint(data_dir) == fingerprint and write_entry(data_dir, fingerprint, tables)
    _log.debug("data validated in %.2f s (cached: %s)", time.perf_counter() - started, written)


def _run_all(
    pool: KernelPool, run: _Run, ids: list[str], slugs: dict[str, str], progress: bool
) -> list[ReportResult]:
    from tqdm import tqdm

    by_id: dict[str, ReportResult] = {}
    with tqdm(total=len(ids), unit="report", desc="reports", disable=not progress or len(ids) < 2) as bar:
        for result in pool.map(lambda kernel, cid: _render_one(kernel, run, cid, slugs[cid]), ids):
            by_id[result.campaign_id] = result
            bar.update()
    return [by_id[cid] for cid in ids]


def render_report(
    campaign_id: str, data_dir: str | Path | None = None, out_dir: str | Path = DEFAULT_OUT_DIR, **params: Any
) -> ReportResult:
    """Render one campaign's report (one kernel); keyword parameters as for `render_reports`."""
    return render_reports([campaign_id], data_dir, out_dir, jobs=1, **params)[0]
