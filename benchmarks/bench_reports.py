"""Speed of `playbook report` against the usual papermill + nbconvert pipeline, on the same notebook.

Usage: python benchmarks/bench_reports.py [--scale 600] [--batch 20] [--repeat 3] [--jobs 2]

Generates a dataset of `--scale` creators (600 gives about 27 campaigns), then, in this one session:
  1. single cold report: `playbook report ID` (a new process) against the baseline `papermill` CLI then
     `jupyter nbconvert --to html --no-input` CLI for the same campaign; `--repeat` alternating runs,
     medians compared;
  2. batch: `playbook report ID1 .. IDn --jobs J` against the baseline run once per campaign in a loop;
  3. HTML export alone, in process: `playbook.report_html.notebook_html` against nbconvert's
     `HTMLExporter(exclude_input=True)` on the same executed notebook.
Prints seconds, seconds per report and the ratios ours / baseline (targets: single <= 0.30, batch <= 0.10).
The machine may be shared: read the ratios of one run, not the absolute seconds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "reports" / "campaign_report.ipynb"


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def baseline(campaign_id: str, data: Path, out: Path) -> float:
    """papermill CLI, then nbconvert CLI to HTML without code: one report."""
    out.mkdir(parents=True, exist_ok=True)
    executed = out / f"{campaign_id}.ipynb"
    papermill = [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "--no-progress-bar"]
    params = ["-r", "campaign_id", campaign_id, "-p", "data_dir", str(data)]
    convert = [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)]
    return _timed([*papermill, *params]) + _timed(convert)


def ours(campaign_ids: list[str], data: Path, out: Path, jobs: int) -> float:
    """`playbook report` in a new process."""
    return _timed(
        [
            str(BIN / "playbook"),
            "report",
            *campaign_ids,
            "--data",
            str(data),
            "--out",
            str(out),
            "--jobs",
            str(jobs),
        ]
    )


def export_timings(data: Path, campaign_id: str, out: Path, repeat: int = 20) -> tuple[float, float]:
    """Seconds per export of one executed report notebook: ours and nbconvert's HTMLExporter."""
    import nbformat
    from nbconvert import HTMLExporter

    from playbook.report_html import notebook_html

    executed = out / f"{campaign_id}.ipynb"
    if not executed.exists():
        baseline(campaign_id, data, out)
    nb = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(exclude_input=True)
    exporter.from_notebook_node(nb)  # template loading is paid once in both pipelines
    start = time.perf_counter()
    for _ in range(repeat):
        notebook_html(nb, "report", "footer")
    mine = (time.perf_counter() - start) / repeat
    start = time.perf_counter()
    for _ in range(repeat):
        exporter.from_notebook_node(nb)
    theirs = (time.perf_counter() - start) / repeat
    return mine, theirs


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=600, help="creators in the generated dataset")
    parser.add_argument("--batch", type=int, default=20, help="campaigns in the batch")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each single-report pipeline")
    parser.add_argument("--jobs", type=int, default=2, help="kernels of playbook report")
    args = parser.parse_args()

    from playbook.data import load
    from playbook.generate import generate

    with tempfile.TemporaryDirectory() as tmp:
        data, work = Path(tmp) / "data", Path(tmp)
        start = time.perf_counter()
        generate(out=data, scale=args.scale, fmt="csv")
        ids = list(load(data, tables=["campaigns"])["campaigns"]["campaign_id"])
        print(f"dataset: {args.scale} creators, {len(ids)} campaigns ({time.perf_counter() - start:.1f} s)")
        if len(ids) < args.batch:
            print(f"error: only {len(ids)} campaigns; raise --scale", file=sys.stderr)
            return 1
        batch = ids[: args.batch]

        singles: dict[str, list[float]] = {"baseline": [], "ours": []}
        for i in range(args.repeat):  # alternate, so both see the same machine load
            singles["baseline"].append(baseline(ids[0], data, work / f"base{i}"))
            singles["ours"].append(ours([ids[0]], data, work / f"ours{i}", args.jobs))
        single_base, single_ours = (statistics.median(v) for v in singles.values())
        print(
            f"single cold report: baseline {single_base:.2f} s, playbook report {single_ours:.2f} s "
            f"(medians of {args.repeat}) -> ratio {single_ours / single_base:.2f} (target <= 0.30)"
        )

        base_dir = work / "base_batch"
        base_dir.mkdir()
        start = time.perf_counter()
        for cid in batch:
            baseline(cid, data, base_dir)
        loop = time.perf_counter() - start
        mine = ours(batch, data, work / "ours_batch", args.jobs)
        print(
            f"batch of {len(batch)}: baseline loop {loop:.1f} s ({loop / len(batch):.2f} s/report), "
            f"playbook report --jobs {args.jobs} {mine:.1f} s ({mine / len(batch):.2f} s/report) "
            f"-> ratio {mine / loop:.3f} (target <= 0.10)"
        )

        mine_export, nbconvert_export = export_timings(data, batch[0], base_dir)
        print(
            f"HTML export of one executed notebook: report_html {mine_export * 1000:.1f} ms, "
            f"nbconvert HTMLExporter(exclude_input) {nbconvert_export * 1000:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
