"""The package works when pip-installed from its wheel, outside the repository.

Builds the wheel from a copy of the sources (pyproject.toml, README.md, playbook/), installs it into a new
virtual environment, and from a directory outside the repository runs `playbook doctor`, `playbook summary`
and `playbook report` on the bundled sample. The new venv gets the wheel itself with pip; its third-party
dependencies come from the project venv through a `.pth` line, so the test downloads nothing (a full
`pip install` of the same wheel also fetches pandas, jupyterlab, ... from PyPI and is what the README tells
users to run). The wheel must carry the registry, tier presets, sample data and report notebook, and nothing
in the installed package may reach back into the repository.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "README.md", src)
    shutil.copytree(ROOT / "playbook", src / "playbook", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    build = ["wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), "."]
    done = _run([sys.executable, "-m", "pip", *build], src, dict(os.environ))
    assert done.returncode == 0, done.stderr
    (found,) = dist.glob("influencer_team_playbook-*.whl")
    return found


def test_wheel_carries_the_package_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "playbook/resources/benchmarks.csv",
        "playbook/resources/tier_presets.csv",
        "playbook/resources/campaign_report.ipynb",
        "playbook/resources/sample/campaigns.csv",
        "playbook/resources/sample/posts.csv",
    ):
        assert needed in names, f"{needed} is not in {wheel.name}"
    sample = {n for n in names if n.startswith("playbook/resources/sample/")}
    assert len(sample) == len(list((ROOT / "playbook" / "resources" / "sample").glob("*.csv")))
    assert not any(n.startswith(("tests/", "notebooks/", "datasets/")) for n in names)


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # The dependencies: the project venv's site-packages, appended after the new venv's own.
    purelib = Path(sysconfig.get_paths(vars={"base": str(env_dir), "platbase": str(env_dir)})["purelib"])
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "zz_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(PATH=f"{env_dir / 'bin'}:{env.get('PATH', '')}", PLAYBOOK_CACHE_DIR=str(env_dir / "cache"))
    done = _run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(purelib), str(wheel)],
        env_dir,
        env,
    )
    assert done.returncode == 0, done.stderr
    outside = tmp_path_factory.mktemp("elsewhere")  # not the repository, not its parent
    return python, env, outside


Installed = tuple[Path, dict[str, str], Path]


def test_installed_package_is_the_wheel_not_the_repository(installed: Installed) -> None:
    python, env, outside = installed
    done = _run(
        [
            str(python),
            "-c",
            "import playbook.data.layout as m; print(m.__file__); print(m.repository_root())",
        ],
        outside,
        env,
    )
    assert done.returncode == 0, done.stderr
    where, root = done.stdout.split("\n")[:2]
    assert str(ROOT) not in where
    assert root == "None"


def test_installed_doctor_summary_and_report_work_outside_the_repository(
    installed: tuple[Path, dict[str, str], Path],
) -> None:
    python, env, outside = installed
    kernel = _run([str(python), "-m", "playbook.kernel"], outside, env)
    assert kernel.returncode == 0, kernel.stderr
    doctor = _run([str(python), "-m", "playbook", "doctor"], outside, env)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "OK    datasets" in doctor.stdout and "OK    benchmarks" in doctor.stdout
    summary = _run([str(python), "-m", "playbook", "summary", "CP000007"], outside, env)
    assert summary.returncode == 0, summary.stderr
    assert "CP000007" in summary.stdout and "Traceback" not in summary.stderr
    report = _run([str(python), "-m", "playbook", "report", "CP000007", "--out", "out"], outside, env)
    assert report.returncode == 0, report.stdout + report.stderr
    html = (outside / "out" / "CP000007.html").read_text(encoding="utf-8")
    assert "CP000007" in html and "Traceback" not in html
    assert (outside / "out" / "CP000007.metrics.json").is_file()
