"""`playbook doctor`: check the environment before a workshop and print a fix for anything wrong.

Each check is a small function returning a :class:`Check`; :func:`run_doctor` prints one line per check
(``OK``, ``WARN`` or ``FAIL``), a one-line ``FIX:`` command under anything that is not OK, and returns 1
when any check failed.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from packaging.requirements import Requirement

if TYPE_CHECKING:
    import pandas as pd

from playbook.data.layout import repository_root
from playbook.kernel import DISPLAY_NAME, PROJECT_KERNEL, kernel_status, same_interpreter

__all__ = [
    "DISTRIBUTION",
    "PIP",
    "PROJECT_ROOT",
    "UPDATE",
    "Check",
    "Status",
    "all_checks",
    "check_benchmarks",
    "check_chart_rendering",
    "check_datasets",
    "check_dependencies",
    "check_project_kernel",
    "check_python",
    "check_requirement",
    "check_slow_import",
    "check_user_python3_kernel",
    "check_venv",
    "checks_table",
    "project_requirements",
    "run_doctor",
]


Status = Literal["OK", "WARN", "FAIL"]
DISTRIBUTION = "influencer-team-playbook"
PROJECT_ROOT = repository_root()  # None for an installed wheel
PIP = f"{shlex.quote(sys.executable)} -m pip"
UPDATE = "git pull  # or make setup"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str | None = None

    def lines(self) -> list[str]:
        out = [f"{self.status:<4}  {self.name}: {self.detail}"]
        if self.fix and self.status != "OK":
            out.append(f"      FIX: {self.fix}")
        return out


def check_python(version: tuple[int, ...] | None = None) -> Check:
    version = version or tuple(sys.version_info[:3])
    text = ".".join(map(str, version))
    if version >= (3, 11):
        return Check("python", "OK", f"{text} at {sys.executable}")
    return Check(
        "python",
        "FAIL",
        f"{text} is too old, 3.11+ is needed",
        "make distclean && make setup PYTHON=python3.12",
    )


def project_requirements(extra: str = "") -> list[Requirement]:
    """The runtime requirements (``extra=""``) or one extra's requirements, from the installed metadata."""
    reqs = [Requirement(line) for line in metadata.requires(DISTRIBUTION) or []]
    if not extra:
        return [r for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]
    return [r for r in reqs if r.marker is not None and r.marker.evaluate({"extra": extra})]


def _installed_version(name: str) -> str:
    return metadata.version(name)


def check_requirement(req: Requirement, optional: bool = False) -> Check:
    """Is ``req`` installed within its range? Missing optional (test) packages only WARN."""
    wanted = f"{req.name}{req.specifier}"
    fix = f"{PIP} install '{wanted}'"
    bad: Status = "WARN" if optional else "FAIL"
    try:
        version = _installed_version(req.name)
    except metadata.PackageNotFoundError:
        note = " (only needed for make test)" if optional else ""
        return Check(req.name, bad, f"not installed, need {req.specifier}{note}", fix)
    if not req.specifier.contains(version, prereleases=True):
        return Check(req.name, bad, f"{version} installed, need {req.specifier}", fix)
    return Check(req.name, "OK", version)


def check_dependencies() -> list[Check]:
    try:
        runtime, test = project_requirements(), project_requirements("test")
    except metadata.PackageNotFoundError:
        fix = f"{PIP} install -e '.[test]'"
        return [Check("dependencies", "FAIL", f"{DISTRIBUTION} is not installed", fix)]
    checks = [check_requirement(r) for r in runtime] + [check_requirement(r, optional=True) for r in test]
    problems = [c for c in checks if c.status != "OK"]
    ok = f"{len(runtime)} runtime and {len(test)} test packages within their ranges"
    return problems or [Check("dependencies", "OK", ok)]


def check_venv(prefix: str = sys.prefix, base_prefix: str = sys.base_prefix) -> Check:
    name, fix = "environment", "make setup  # then run .venv/bin/playbook"
    if PROJECT_ROOT is None:
        where = "a virtual environment" if prefix != base_prefix else "no virtual environment"
        return Check(name, "OK", f"installed package in {where} ({prefix})")
    if Path(prefix).resolve() == (PROJECT_ROOT / ".venv").resolve():
        return Check(name, "OK", f"the project venv {prefix}")
    if prefix != base_prefix or os.environ.get("CONDA_PREFIX"):
        return Check(name, "WARN", f"{prefix}, not the project's .venv (fine for conda/Binder)", fix)
    return Check(name, "WARN", f"no virtual environment ({prefix})", fix)


def check_project_kernel(prefix: str | None = None) -> Check:
    name, fix = "project kernel", f"{shlex.quote(sys.executable)} -m playbook.kernel"
    status = kernel_status(prefix)
    if not status["installed"]:
        return Check(name, "FAIL", f"{PROJECT_KERNEL!r} is not installed in {status['path']}", fix)
    if not status["points_here"]:
        return Check(name, "FAIL", f"{PROJECT_KERNEL!r} runs {status['argv'][0]}, not this python", fix)
    found = status["resolved"]
    if prefix is None and found and not same_interpreter(found["argv"][0], sys.executable):
        detail = f"Jupyter resolves {PROJECT_KERNEL!r} to {found['path']}, which runs {found['argv'][0]}"
        return Check(name, "FAIL", detail, f"rm -r {shlex.quote(found['path'])}")
    return Check(name, "OK", f"{PROJECT_KERNEL!r} runs {status['argv'][0]}")


def _can_import_playbook(argv: list[str], env: dict[str, str]) -> bool:
    """Run a kernel's interpreter (its argv before ``-m``) with ``-c 'import playbook'``."""
    cmd = argv[: argv.index("-m")] if "-m" in argv else argv[:1]
    if cmd and cmd[0] in {"python", "python3"}:
        cmd = [sys.executable, *cmd[1:]]
    with tempfile.TemporaryDirectory() as cwd:
        try:
            done = subprocess.run(
                [*cmd, "-c", "import playbook"],
                cwd=cwd,
                env={**os.environ, **env},
                capture_output=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
    return done.returncode == 0


def check_user_python3_kernel(data_dir: str | Path | None = None) -> Check:
    """WARN when the user's own ``python3`` kernelspec cannot import playbook (harmless for our notebooks)."""
    if data_dir is None:
        from jupyter_core.paths import jupyter_data_dir

        data_dir = jupyter_data_dir()
    spec = Path(data_dir) / "kernels" / "python3" / "kernel.json"
    if not spec.exists():
        return Check("user python3 kernel", "OK", f"none in {spec.parent.parent}")
    try:
        content = json.loads(spec.read_text(encoding="utf-8"))
        argv, env = list(content["argv"]), dict(content.get("env", {}))
    except (OSError, ValueError, KeyError, TypeError) as err:
        return Check("user python3 kernel", "WARN", f"{spec} is unreadable: {err}", f"rm -r {spec.parent}")
    if _can_import_playbook(argv, env):
        return Check("user python3 kernel", "OK", f"{spec.parent} can import playbook")
    detail = (
        f"{spec.parent} runs {' '.join(argv[:2])}, which cannot import playbook; the course notebooks use "
        f"the {PROJECT_KERNEL!r} kernel, so this only matters if you pick 'Python 3' by hand"
    )
    return Check("user python3 kernel", "WARN", detail, f"Kernel > Change Kernel > {DISPLAY_NAME}")


def check_slow_import() -> Check:
    if find_spec("rfc3987_syntax") is None:
        return Check("slow import", "OK", "rfc3987-syntax is not installed (Jupyter tools start ~3 s faster)")
    detail = "rfc3987-syntax is installed: each Jupyter process, altair kernel and pytest start pays ~3 s"
    return Check("slow import", "WARN", detail, f"{PIP} uninstall -y rfc3987-syntax")


def check_chart_rendering() -> Check:
    fix = f"{PIP} install --force-reinstall 'vl-convert-python>=1.6,<2'"
    try:
        import altair as alt
        import vl_convert

        start = time.perf_counter()
        chart = alt.Chart(alt.Data(values=[{"x": i, "y": i * i} for i in range(3)])).mark_point()
        svg = vl_convert.vegalite_to_svg(chart.encode(x="x:Q", y="y:Q").to_dict())
        seconds = time.perf_counter() - start
    except Exception as err:
        return Check("offline charts", "FAIL", f"vl-convert failed: {type(err).__name__}: {err}", fix)
    if "<svg" not in svg:
        return Check("offline charts", "FAIL", "vl-convert returned no SVG", fix)
    return Check("offline charts", "OK", f"altair + vl-convert rendered a 3-point SVG in {seconds:.1f} s")


def _first_lines(err: BaseException, n: int = 6) -> str:
    lines = str(err).strip().splitlines() or [type(err).__name__]
    more = " ..." if len(lines) > n else ""
    return " | ".join(line.strip() for line in lines[:n]) + more


def check_datasets(data_dir: Path) -> Check:
    fix = f"playbook datasets generate --out {shlex.quote(str(data_dir))}"
    try:
        from playbook.data.loading import DataValidationError, load
    except ImportError as err:
        return Check("datasets", "FAIL", f"playbook.data.loading is not importable: {err}", UPDATE)
    try:
        tables = load(data_dir)
    except DataValidationError as err:
        return Check("datasets", "FAIL", f"{data_dir} breaks the data contracts: {_first_lines(err)}", fix)
    except (OSError, ValueError) as err:
        return Check("datasets", "FAIL", f"{data_dir}: {type(err).__name__}: {_first_lines(err)}", fix)
    rows = sum(len(t) for t in tables.values())
    return Check("datasets", "OK", f"{data_dir}: {len(tables)} tables, {rows:,} rows valid")


def check_benchmarks() -> Check:
    fix = "git checkout -- benchmarks/  # restore the committed benchmark file"
    try:
        from playbook.data.registry import load_benchmarks
    except ImportError as err:
        return Check("benchmarks", "FAIL", f"playbook.data.registry is not importable: {err}", UPDATE)
    try:
        benchmarks = load_benchmarks()
    except Exception as err:
        return Check("benchmarks", "FAIL", f"{type(err).__name__}: {_first_lines(err)}", fix)
    size = f"{len(benchmarks)} entries" if hasattr(benchmarks, "__len__") else "loaded"
    return Check("benchmarks", "OK", f"valid ({size})")


def all_checks(data_dir: Path) -> list[Callable[[], Check | list[Check]]]:
    """The checks :func:`run_doctor` runs, in order, as zero-argument callables."""
    return [
        check_python,
        check_dependencies,
        check_venv,
        check_project_kernel,
        check_user_python3_kernel,
        check_slow_import,
        check_chart_rendering,
        lambda: check_datasets(data_dir),
        check_benchmarks,
    ]


def run_doctor(data_dir: Path) -> int:
    """Run every check, print the results and return 1 if any check failed, else 0."""
    results: list[Check] = []
    for check in all_checks(Path(data_dir)):
        result = check()
        for item in result if isinstance(result, list) else [result]:
            results.append(item)
            print("\n".join(item.lines()), flush=True)
    counts = {s: sum(r.status == s for r in results) for s in ("OK", "WARN", "FAIL")}
    print(f"\n{counts['OK']} ok, {counts['WARN']} warnings, {counts['FAIL']} failed")
    return 1 if counts["FAIL"] else 0


def checks_table(data_dir: Path) -> pd.DataFrame:
    """The `playbook doctor` checks as a table (module 00 shows it): check, status (OK / WARN / FAIL),
    detail, fix."""
    import pandas as pd

    rows = []
    for check in all_checks(Path(data_dir)):
        found = check()
        for item in found if isinstance(found, list) else [found]:
            rows.append({"check": item.name, "status": item.status, "detail": item.detail, "fix": item.fix})
    return pd.DataFrame(rows, columns=["check", "status", "detail", "fix"])
