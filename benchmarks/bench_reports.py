"""Speed of `playbook report` against the usual papermill + nbconvert pipeline, on the same notebook.

Usage: python benchmarks/bench_reports.py [--scale 600] [--batch 20] [--repeat 3] [--jobs 2]

Generates a dataset of `--scale` creators (600 gives about 27 campaigns), then, in this one session:
1. single cold report, medians of `--repeat` alternating runs of the same campaign:
   - baseline = `papermill` CLI then `jupyter nbconvert --to html --no-input` CLI, measured twice:
     * stock: as a user's stock install runs it, with `rfc3987-syntax` importable. jsonschema[format-nongpl]
       (pulled in by jupyter-events) installs it and it builds a grammar at import in every Jupyter process
       and every kernel importing altair. It is installed once with `pip install --target` into
       `<user cache>/influencer-playbook/bench/` and put on PYTHONPATH of the baseline processes only (the
       kernels they start inherit it);
     * venv: this environment, where `make setup` removes that package;
   - ours = `playbook report ID` in a new process, measured twice: first-ever run (empty data cache) and a
     new process finding the data cache the previous run left (`playbook.data.cache`). No kernel outlives
     a run. Every baseline run gets an empty data cache too, so its kernel parses and validates the CSV
     files as a plain pipeline does;
2. the phases of both of our single runs (the `playbook.reports.render` DEBUG log, seconds since the process
   started): parameter checks, data validation, kernel ready, seconds per section, files written;
3. batch: `playbook report ID1 .. IDn --jobs J` (first-ever run) against both baselines run once per
   campaign in a loop;
4. HTML export alone, in process: `playbook.reports.html.notebook_html` against nbconvert's
   `HTMLExporter(exclude_input=True)` on the same executed notebook.
Ratios are ours / baseline (targets: single <= 0.30, batch <= 0.10). The machine may be shared: read the
ratios of one run, not the absolute seconds.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from playbook.data.layout import REPORT_NOTEBOOK

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = REPORT_NOTEBOOK  # the report notebook shipped in the package (playbook/resources)
RFC3987 = "rfc3987-syntax==1.1.0"
# Runs `playbook report` with the playbook loggers at DEBUG, each line stamped with the wall clock.
_PHASE_CHILD = textwrap.dedent(
    """
    import logging, sys, time

    class Stamp(logging.Handler):
        def emit(self, record):
            print(f"@{time.time():.3f} {record.getMessage()}", file=sys.stderr, flush=True)

    logging.getLogger("playbook").addHandler(Stamp())
    logging.getLogger("playbook").setLevel(logging.DEBUG)
    from playbook.cli import main

    sys.exit(main(sys.argv[1:]))
    """
)


def stock_site(cache: Path) -> Path:
    """A directory holding rfc3987-syntax, installed once with `pip install --target` and kept in `cache`."""
    target = cache / "bench" / RFC3987.replace("==", "-")
    if not (target / "rfc3987_syntax").is_dir():
        tmp = Path(tempfile.mkdtemp(prefix="rfc3987-", dir=cache))
        no_deps = ["--no-deps"] if importlib.util.find_spec("lark") else []  # lark is its only dependency
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *no_deps, "--target", str(tmp), RFC3987], check=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
    return target


def _env(data_cache: Path, site: Path | None = None) -> dict[str, str]:
    """This environment with its own data cache directory, and `site` first on PYTHONPATH if given."""
    from playbook.data.cache import CACHE_ENV

    env = {**os.environ, CACHE_ENV: str(data_cache)}
    if site is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    return env


def _timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def import_seconds(module: str, env: dict[str, str]) -> float:
    """Seconds to import `module` in a new interpreter with `env` (start-up of the interpreter excluded)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return float(done.stdout)


def baseline(campaign_id: str, data: Path, out: Path, site: Path | None = None) -> float:
    """papermill CLI, then nbconvert CLI to HTML without code: one report, with an empty data cache."""
    out.mkdir(parents=True, exist_ok=True)
    env = _env(Path(tempfile.mkdtemp(prefix="cache-", dir=out)), site)
    executed = out / f"{campaign_id}.ipynb"
    papermill = [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "--no-progress-bar"]
    params = ["-r", "campaign_id", campaign_id, "-p", "data_dir", str(data)]
    convert = [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)]
    return _timed([*papermill, *params], env) + _timed(convert, env)


def _report_args(campaign_ids: list[str], data: Path, out: Path, jobs: int) -> list[str]:
    return ["report", *campaign_ids, "--data", str(data), "--out", str(out), "--jobs", str(jobs)]


def ours(campaign_ids: list[str], data: Path, out: Path, jobs: int, cache: Path) -> float:
    """`playbook report` in a new process, with the data cache directory `cache`."""
    return _timed([str(BIN / "playbook"), *_report_args(campaign_ids, data, out, jobs)], _env(cache))


def phases(campaign_id: str, data: Path, out: Path, cache: Path) -> list[tuple[float, str]]:
    """One `playbook report` in a new process: (seconds since it was started, DEBUG log message)."""
    command = [sys.executable, "-c", _PHASE_CHILD, *_report_args([campaign_id], data, out, 1)]
    start = time.time()
    done = subprocess.run(command, cwd=ROOT, env=_env(cache), check=True, capture_output=True, text=True)
    end = time.time()
    found = re.findall(r"^@(\d+\.\d+) (.*)$", done.stderr, flags=re.MULTILINE)
    return [(float(stamp) - start, message) for stamp, message in found] + [(end - start, "process exited")]


def export_timings(executed: Path, repeat: int = 20) -> tuple[float, float]:
    """Seconds per export of one executed report notebook: ours and nbconvert's HTMLExporter."""
    import nbformat
    from nbconvert import HTMLExporter

    from playbook.reports.html import notebook_html

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


def _ratios(seconds: float, stock: float, venv: float) -> str:
    return f"{seconds / stock:.2f}x stock, {seconds / venv:.2f}x venv"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=600, help="creators in the generated dataset")
    parser.add_argument("--batch", type=int, default=20, help="campaigns in the batch")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each single-report pipeline")
    parser.add_argument("--jobs", type=int, default=2, help="kernels of playbook report")
    args = parser.parse_args()

    from playbook.data.cache import cache_root
    from playbook.data.loading import load
    from playbook.data.synth.generate import generate

    cache_root().mkdir(parents=True, exist_ok=True)
    site = stock_site(cache_root())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "data"
        start = time.perf_counter()
        generate(out=data, scale=args.scale, fmt="csv")
        ids = list(load(data, tables=["campaigns"])["campaigns"]["campaign_id"])
        print(f"dataset: {args.scale} creators, {len(ids)} campaigns ({time.perf_counter() - start:.1f} s)")
        if len(ids) < args.batch:
            print(f"error: only {len(ids)} campaigns; raise --scale", file=sys.stderr)
            return 1
        batch = ids[: args.batch]
        empty = _env(work / "unused-cache")
        stock_env = _env(work / "unused-cache", site)
        print(
            f"import jsonschema: stock {import_seconds('jsonschema', stock_env):.2f} s "
            f"(rfc3987-syntax from {site}), venv {import_seconds('jsonschema', empty):.2f} s"
        )

        runs: dict[str, list[float]] = {"stock": [], "venv": [], "first": [], "warm": []}
        for i in range(args.repeat):  # alternate, so every pipeline sees the same machine load
            runs["stock"].append(baseline(ids[0], data, work / f"stock{i}", site))
            runs["venv"].append(baseline(ids[0], data, work / f"venv{i}"))
            cache = work / f"cache{i}"
            runs["first"].append(ours([ids[0]], data, work / f"ours{i}", args.jobs, cache))
            runs["warm"].append(ours([ids[0]], data, work / f"ours{i}", args.jobs, cache))
        stock, venv, first, warm = (statistics.median(v) for v in runs.values())
        print(f"single cold report, campaign {ids[0]} (medians of {args.repeat}; target <= 0.30x):")
        rows = {
            "baseline, stock install (rfc3987-syntax importable)": stock,
            "baseline, this venv (without rfc3987-syntax)": venv,
            "playbook report, first-ever run (empty data cache)": first,
            "playbook report, new process, warm data cache": warm,
        }
        for label, seconds in rows.items():
            ratios = f" -> {_ratios(seconds, stock, venv)}" if label.startswith("playbook") else ""
            print(f"  {label + ':':53} {seconds:5.2f} s{ratios}")

        for label, cache in (("first-ever run", work / "phases"), ("warm data cache", work / "phases")):
            steps = phases(ids[0], data, work / "phases-out", cache)
            print(f"phases of one playbook report, {label} (seconds since the process started):")
            for seconds, message in steps:
                print(f"  {seconds:5.2f}  {message}")

        loops = {}
        for name, extra in (("stock", site), ("venv", None)):
            out = work / f"loop-{name}"
            start = time.perf_counter()
            for cid in batch:
                baseline(cid, data, out, extra)
            loops[name] = time.perf_counter() - start
        mine = ours(batch, data, work / "ours_batch", args.jobs, work / "batch-cache")
        print(f"batch of {len(batch)} (target <= 0.10x):")
        for name, seconds in loops.items():
            print(f"  baseline loop, {name}: {seconds:6.1f} s ({seconds / len(batch):.2f} s/report)")
        print(
            f"  playbook report --jobs {args.jobs}, first-ever run: {mine:6.1f} s ({mine / len(batch):.2f} "
            f"s/report) -> {_ratios(mine, loops['stock'], loops['venv'])}"
        )

        mine_export, nbconvert_export = export_timings(work / "loop-venv" / f"{batch[0]}.ipynb")
        print(
            f"HTML export of one executed notebook: report_html {mine_export * 1000:.1f} ms, "
            f"nbconvert HTMLExporter(exclude_input) {nbconvert_export * 1000:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
