"""`playbook` command line: a thin layer over the public functions of the package.

Subcommands import their module lazily so `playbook --help` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = [
    "build_parser",
    "main",
    "run",
]


def _scale(text: str) -> str | int:
    if text in ("small", "large"):
        return text
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected small, large or a number of creators, got {text!r}"
        ) from None
    if value < 10:
        raise argparse.ArgumentTypeError(f"expected at least 10 creators, got {value}")
    return value


def _cmd_datasets_generate(args: argparse.Namespace) -> int:
    from playbook.data.synth.generate import RAW_DIR, SAMPLE_DIR, generate

    raw_out = args.raw_out or (RAW_DIR if args.out.resolve() == SAMPLE_DIR.resolve() else args.out / "raw")
    written = generate(
        out=args.out, seed=args.seed, scale=args.scale, fmt=args.format, raw_out=raw_out, progress=True
    )
    total = sum(p.stat().st_size for p in written.values())
    print(f"wrote {len(written)} files, {total / 1e6:.1f} MB, to {args.out}")
    return 0


def _cmd_datasets_validate(args: argparse.Namespace) -> int:
    from playbook.data.loading import DataValidationError, load_with_warnings, table_overview

    try:
        tables, warnings = load_with_warnings(args.data)
    except DataValidationError as err:
        print(err, file=sys.stderr)
        return 1
    print(table_overview(tables))
    for text in warnings:
        print(f"warning: {text}", file=sys.stderr)
    rows = sum(len(t) for t in tables.values())
    print(f"{args.data}: {len(tables)} tables, {rows:,} rows, all contracts hold")
    return 0


def _cmd_datasets_dictionary(args: argparse.Namespace) -> int:
    from playbook.data.dictionary import write_dictionary

    path = write_dictionary(args.out)
    print(f"wrote {path}")
    return 0


def _cmd_doctor(args: argparse.Namespace) -> int:
    from playbook.doctor import run_doctor

    return run_doctor(data_dir=args.data)


def _cmd_summary(args: argparse.Namespace) -> int:
    from playbook.analytics.summary import campaign_summary_text
    from playbook.data.loading import DataValidationError, load

    try:
        tables = load(args.data)
    except DataValidationError as err:
        print(err, file=sys.stderr)
        return 1
    try:
        print(campaign_summary_text(tables, args.campaign_id))
    except KeyError as err:
        print(f"error: {err.args[0]}", file=sys.stderr)
        return 2
    return 0


def _cmd_exercises_build(args: argparse.Namespace) -> int:
    from playbook.course.exercises.build import MarkerError, build, stale
    from playbook.course.exercises.links import stale_links, write_links
    from playbook.data.layout import EXERCISES_DIR, SOLUTIONS_DIR, require_repository

    require_repository("playbook exercises build")
    try:
        if args.check:
            problems = stale(SOLUTIONS_DIR, EXERCISES_DIR) + [f"stale {p}" for p in stale_links()]
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                print("run: playbook exercises build", file=sys.stderr)
            return 1 if problems else 0
        written = build(SOLUTIONS_DIR, EXERCISES_DIR)
    except MarkerError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    linked = write_links()
    print(f"wrote {len(written)} learner notebooks to {EXERCISES_DIR}; updated {len(linked)} course file(s)")
    return 0


def _cmd_exercises_start(args: argparse.Namespace) -> int:
    from playbook.course.exercises.build import start
    from playbook.data.layout import EXERCISES_DIR, require_repository

    require_repository("playbook exercises start")
    try:
        copied = start(EXERCISES_DIR, args.dir)
    except (FileExistsError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"copied {len(copied)} exercise notebooks to {args.dir}; open them with: jupyter lab {args.dir}")
    return 0


def _cmd_exercises_grade(args: argparse.Namespace) -> int:
    from playbook.course.exercises.grading import grade

    try:
        book, page = grade(args.submissions, args.out, timeout=args.timeout, progress=print, jobs=args.jobs)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    counts = book["status"].value_counts()
    print(", ".join(f"{n} {status}" for status, n in counts.items()) or "nothing graded")
    print(f"wrote {args.out} and {page}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from playbook.data.importers import ImportInputError, ImportOptions, import_sources, load_mapping
    from playbook.data.problems import DataValidationError

    if bool(args.preset) == bool(args.mapping):
        print("error: give --preset NAME (one, or one per source) or --mapping FILE.yaml", file=sys.stderr)
        return 2
    try:
        specs = [load_mapping(args.mapping)] if args.mapping else list(args.preset)
        if len(specs) == 1:
            specs = specs * len(args.sources)
        if len(specs) != len(args.sources):
            print(f"error: {len(specs)} presets for {len(args.sources)} sources", file=sys.stderr)
            return 2
        options = ImportOptions(
            campaign=args.campaign,
            brand=args.brand,
            currency=args.currency,
            objective=args.objective,
            dayfirst=args.dayfirst,
            handle=args.handle,
            start=args.start,
            end=args.end,
        )
        result = import_sources(
            list(zip(args.sources, specs, strict=True)),
            args.out,
            options,
            encoding=args.encoding,
            sheet=args.sheet,
            overwrite=args.overwrite,
        )
    except (ImportInputError, ValueError) as err:
        if isinstance(err, DataValidationError):
            print(
                f"the imported tables break the data contracts; nothing was written\n{err}", file=sys.stderr
            )
            return 3
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(result.markdown)
    written = sorted(p.stem for p in result.out.glob("*.csv"))
    print(f"wrote {len(written)} tables ({', '.join(written)}) and IMPORT.md to {result.out}")
    return 0


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of kernels, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 kernel, got {value}")
    return value


def _cmd_report(args: argparse.Namespace) -> int:
    from playbook.data.problems import DataValidationError
    from playbook.reports.params import ReportInputError
    from playbook.reports.render import EXIT_BAD_DATA, EXIT_BAD_INPUT, EXIT_REPORT_FAILED, render_reports

    if args.all == bool(args.campaign_ids):
        print("error: give campaign ids or --all (not both)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        results = render_reports(
            None if args.all else args.campaign_ids,
            args.data,
            args.out,
            jobs=args.jobs,
            currency=args.currency,
            er_basis=args.er_basis,
            tier_preset=args.tier_preset,
            attribution_window_days=args.attribution_window_days,
            progress=True,
            pdf=args.pdf,
        )
    except ReportInputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except DataValidationError as err:
        print(err, file=sys.stderr)
        return EXIT_BAD_DATA
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"{r.campaign_id!r}: {r.error}", file=sys.stderr)
        if args.verbose and r.traceback:
            print(r.traceback, file=sys.stderr)
    done = [r for r in results if r.ok]
    out = args.out.resolve()
    print(f"wrote {len(done)} report{'' if len(done) == 1 else 's'} to {out}/")
    for r in done[:10]:
        pdf = f"  {r.pdf_path.name}" if r.pdf_path else ""
        print(f"  {r.html_path.name}  {r.json_path.name}{pdf}  ({r.seconds:.1f} s)")
    if len(done) > 10:
        print(f"  ... and {len(done) - 10} more")
    if len(results) > 1:
        print(f"  index.html  index.csv  (all {len(results)} campaigns)")
    return EXIT_REPORT_FAILED if failed else 0


def build_parser() -> argparse.ArgumentParser:
    from playbook.data.layout import DEFAULT_SEED, SAMPLE_DIR

    parser = argparse.ArgumentParser(prog="playbook", description="Influencer Team Playbook toolkit.")
    sub = parser.add_subparsers(dest="command", required=True)

    datasets = sub.add_parser("datasets", help="generate, validate and document the sample data")
    dsub = datasets.add_subparsers(dest="datasets_command", required=True)

    gen = dsub.add_parser("generate", help="write the seeded sample datasets")
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    gen.add_argument(
        "--scale",
        type=_scale,
        default="small",
        help="small (committed sample), large (10M posts) or N creators",
    )
    gen.add_argument("--out", type=Path, default=SAMPLE_DIR, help=f"output directory (default {SAMPLE_DIR})")
    gen.add_argument(
        "--format",
        choices=("csv", "parquet", "auto"),
        default="auto",
        help="auto: CSV for small, Parquet for large",
    )
    gen.add_argument(
        "--raw-out",
        type=Path,
        default=None,
        help="where the messy exports go (CSV scales only; default datasets/raw)",
    )
    gen.set_defaults(func=_cmd_datasets_generate)

    val = dsub.add_parser(
        "validate", help="check a directory of CSV/Parquet files against the data contracts"
    )
    val.add_argument("data", type=Path, nargs="?", default=SAMPLE_DIR)
    val.set_defaults(func=_cmd_datasets_validate)

    dic = dsub.add_parser("dictionary", help="write the data dictionary generated from the schemas")
    dic.add_argument("--out", type=Path, default=None, help="output file (default datasets/README.md)")
    dic.set_defaults(func=_cmd_datasets_dictionary)

    imp = sub.add_parser(
        "import",
        help="turn real exports (tracker, creator list, post exports, shop orders) into contract tables",
        description="Read each SOURCE (CSV in any common encoding or separator, or .xlsx), map it with a "
        "preset or a YAML mapping file, and write the contract tables and IMPORT.md (what was mapped, "
        "derived, dropped, left unknown or defaulted, and every value that could not be parsed) to --out. "
        "Presets: campaign_tracker, creator_list, instagram_posts, tiktok_posts, youtube_posts, shop_orders. "
        "Exit codes: 2 bad input or option, 3 the result breaks the data contracts (nothing written).",
    )
    imp.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    imp.add_argument("--preset", action="append", help="preset name: one for all sources, or one per source")
    imp.add_argument(
        "--mapping", type=Path, help="YAML mapping file (shape, columns, ...) instead of a preset"
    )
    imp.add_argument("--out", type=Path, required=True, help="output folder (new or empty)")
    imp.add_argument("--overwrite", action="store_true", help="replace a non-empty output folder")
    imp.add_argument("--encoding", default=None, help="source encoding (default: detected)")
    imp.add_argument("--sheet", default=None, help=".xlsx sheet name (default: the first sheet)")
    order = imp.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst", dest="dayfirst", action="store_true", default=None, help="read 03/04 as 3 April"
    )
    order.add_argument("--monthfirst", dest="dayfirst", action="store_false", help="read 03/04 as 4 March")
    imp.add_argument(
        "--campaign", default=None, help="campaign of post exports (and name when the data has none)"
    )
    imp.add_argument("--brand", default=None, help="brand name when the data has none")
    imp.add_argument("--currency", default=None, help="ISO 4217 currency when the data has none")
    imp.add_argument("--objective", default=None, help="awareness, consideration or conversion")
    imp.add_argument(
        "--handle", default=None, help="account handle of a post export that names none (YouTube)"
    )
    imp.add_argument(
        "--start", default=None, help="campaign start date YYYY-MM-DD when the data has no dates"
    )
    imp.add_argument("--end", default=None, help="campaign end date YYYY-MM-DD")
    imp.set_defaults(func=_cmd_import)

    doc = sub.add_parser("doctor", help="check the environment and print a fix for anything wrong")
    doc.add_argument("--data", type=Path, default=SAMPLE_DIR)
    doc.set_defaults(func=_cmd_doctor)

    summ = sub.add_parser("summary", help="print a plain-text summary of one campaign (or all)")
    summ.add_argument("campaign_id", nargs="?", default=None)
    summ.add_argument("--data", type=Path, default=SAMPLE_DIR)
    summ.set_defaults(func=_cmd_summary)

    rep = sub.add_parser(
        "report",
        help="render campaign reports: HTML without code and a metrics JSON per campaign",
        description="Run notebooks/reports/campaign_report.ipynb for each campaign and write <out>/<id>.html "
        "(offline, no code) and <out>/<id>.metrics.json, plus index.html/index.csv for several. Exit codes: "
        "2 bad parameter or id, 3 data breaking the contracts, 4 a report failed.",
    )
    rep.add_argument("campaign_ids", nargs="*", metavar="CAMPAIGN_ID", help="campaign ids of campaigns.csv")
    rep.add_argument("--all", action="store_true", help="report every campaign of the data")
    rep.add_argument("--data", type=Path, default=SAMPLE_DIR, help="directory of CSV/Parquet files")
    rep.add_argument("--out", type=Path, default=Path("reports"), help="output directory (default reports/)")
    rep.add_argument("--jobs", type=_jobs, default=2, help="kernels running in parallel (default 2)")
    rep.add_argument("--currency", default=None, help="check every campaign is in this currency")
    rep.add_argument(
        "--er-basis", default="reach", help="ER denominator: reach, followers, impressions or views"
    )
    rep.add_argument("--tier-preset", default="hootsuite_imh", help="creator tier preset (tier_presets.csv)")
    rep.add_argument(
        "--attribution-window-days", default=None, help="click window in days (default: each campaign's own)"
    )
    rep.add_argument(
        "--pdf",
        action="store_true",
        help="also print each report to <id>.pdf with headless Chromium (needs the [pdf] extra and chromium)",
    )
    rep.add_argument("--verbose", action="store_true", help="print the traceback of a failed section")
    rep.set_defaults(func=_cmd_report)

    exe = sub.add_parser("exercises", help="build, start and grade the graded exercise notebooks")
    esub = exe.add_subparsers(dest="exercises_command", required=True)
    ebuild = esub.add_parser(
        "build", help="write the learner notebooks exercises/ from the masters solutions/"
    )
    ebuild.add_argument("--check", action="store_true", help="only list what is stale; exit 1 if anything is")
    ebuild.set_defaults(func=_cmd_exercises_build)
    estart = esub.add_parser("start", help="copy the exercises into your own folder (never overwrites)")
    estart.add_argument("--dir", type=Path, default=Path("my-exercises"), help="default: my-exercises/")
    estart.set_defaults(func=_cmd_exercises_start)
    egrade = esub.add_parser(
        "grade",
        help="run submitted notebooks in isolation and write a gradebook CSV and an HTML summary",
        description="SUBMISSIONS holds one folder per learner (or one notebook per learner). Each notebook "
        "runs on a copy, in a fresh project kernel without network, with a time limit; a notebook that "
        "raises or hangs is graded, not fatal.",
    )
    egrade.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR")
    egrade.add_argument(
        "--out", type=Path, default=Path("gradebook.csv"), help="gradebook CSV (HTML beside it)"
    )
    egrade.add_argument("--timeout", type=float, default=120.0, help="seconds per notebook (default 120)")
    egrade.add_argument("--jobs", type=_jobs, default=2, help="notebooks graded in parallel (default 2)")
    egrade.set_defaults(func=_cmd_exercises_grade)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


def run() -> None:
    """The console script: `main`, then, after `playbook report`, exit without the interpreter's teardown.

    Finalising pandas, pyarrow and pandera at exit takes 0.1-0.25 s (measured), a tenth of a report. By
    then every report file is complete and closed (`report_html.write_files_atomically`) and every kernel
    and helper process has stopped, so nothing is lost; mypy ends the same way (`util.hard_exit`).
    """
    argv = sys.argv[1:]
    code = main(argv)
    if argv[:1] == ["report"]:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
