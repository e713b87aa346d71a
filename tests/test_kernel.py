"""The project kernel runs notebooks on this interpreter even when the user has a stray `python3` kernel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from playbook.kernel import (
    DISPLAY_NAME,
    PROJECT_KERNEL,
    install_kernel,
    kernel_argv,
    kernel_status,
    project_kernel_manager,
    same_interpreter,
)

ROOT = Path(__file__).resolve().parents[1]
PROBE = "import sys\nprint(sys.executable)\nimport playbook\nprint('playbook imported')"
# Runs in a subprocess with the fake user environment; prints what the first cell wrote and any error.
RUNNER = """
import json, sys
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

nb = nbformat.read(sys.argv[1], as_version=4)
error = None
try:
    resources = {"metadata": {"path": sys.argv[2]}}
    NotebookClient(nb, timeout=120, startup_timeout=120, resources=resources).execute()
except CellExecutionError as err:
    error = err.ename
out = [o.get("text", "") for o in nb.cells[0].outputs if o.get("name") == "stdout"]
print(json.dumps({"stdout": "".join(out).splitlines(), "error": error}))
"""


def probe_notebook(kernel_name: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel_name, "display_name": kernel_name, "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(PROBE)]
    return nb


def write_spec(kernels: Path, name: str, argv: list[str], env: dict[str, str]) -> None:
    (kernels / name).mkdir(parents=True)
    spec = {"argv": argv, "display_name": f"stray {name}", "language": "python", "env": env}
    (kernels / name / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")


@pytest.fixture(scope="module")
def stray_python(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """A real, working Python kernel outside the venv that cannot import playbook.

    The base interpreter of this venv with the venv's site-packages on PYTHONPATH: it has ipykernel, but a
    PYTHONPATH entry does not run `.pth` files, so the editable install of playbook is invisible to it.
    """
    if sys.prefix == sys.base_prefix:
        pytest.skip("needs a virtual environment (make setup)")
    python = getattr(sys, "_base_executable", "") or str(Path(sys.base_prefix) / "bin" / "python3")
    env = {"PYTHONPATH": sysconfig.get_paths()["purelib"]}
    cwd = tmp_path_factory.mktemp("cwd")

    def run(code: str) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        return subprocess.run(
            [python, "-c", code], cwd=cwd, env={**clean, **env}, capture_output=True, text=True, check=False
        )

    assert run("import ipykernel").returncode == 0, "the stray kernel must be able to start"
    cannot = run("import playbook")
    assert cannot.returncode != 0 and "No module named 'playbook'" in cannot.stderr
    return python, env


@pytest.fixture(scope="module")
def project_kernel() -> Path:
    return install_kernel()  # what `make setup` does; a no-op when it is already there


@pytest.fixture
def user_env(tmp_path: Path, stray_python: tuple[str, dict[str, str]]) -> dict[str, str]:
    """Environment of a user whose ~/.local/share/jupyter/kernels/python3 points at the stray Python."""
    python, kernel_env = stray_python
    data, home = tmp_path / "data", tmp_path / "home"
    home.mkdir()
    write_spec(
        data / "kernels",
        "python3",
        [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        kernel_env,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER") and k != "PYTHONPATH"}
    env.update(HOME=str(home), JUPYTER_DATA_DIR=str(data), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    return env


def run_in(env: dict[str, str], tmp_path: Path, kernel_name: str) -> dict:
    path = tmp_path / f"{kernel_name}.ipynb"
    nbformat.write(probe_notebook(kernel_name), path)
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, str(path), str(tmp_path)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# JUPYTER_PREFER_ENV_PATH=0 is the order a Jupyter outside the venv uses (user kernels first).
@pytest.mark.slow
@pytest.mark.parametrize("prefer_env", ["0", "1"])
def test_project_kernel_runs_on_the_venv(project_kernel, user_env, tmp_path, prefer_env):
    result = run_in({**user_env, "JUPYTER_PREFER_ENV_PATH": prefer_env}, tmp_path, PROJECT_KERNEL)
    assert result["error"] is None and result["stdout"][1:] == ["playbook imported"]
    assert same_interpreter(result["stdout"][0], sys.executable)  # .venv/bin/python or .venv/bin/python3


@pytest.mark.slow
def test_python3_would_pick_the_stray_kernel(user_env, tmp_path, stray_python):
    env = {**user_env, "JUPYTER_PREFER_ENV_PATH": "0"}
    result = run_in(env, tmp_path, "python3")
    assert result == {"stdout": [stray_python[0]], "error": "ModuleNotFoundError"}
    status = subprocess.run(
        [sys.executable, "-m", "playbook.kernel", "--status"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    python3 = json.loads(status.stdout)["python3"]
    assert python3["argv"][0] == stray_python[0]
    assert Path(python3["path"]).is_relative_to(env["JUPYTER_DATA_DIR"])


@pytest.mark.slow
def test_project_kernel_manager_ignores_kernelspecs_on_disk(tmp_path, monkeypatch, stray_python):
    python, kernel_env = stray_python
    argv = [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    for name in (PROJECT_KERNEL, "python3"):  # JUPYTER_PATH beats every other kernel directory
        write_spec(tmp_path / "path" / "kernels", name, argv, kernel_env)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "path"))
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "0")
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    assert KernelSpecManager().get_kernel_spec(PROJECT_KERNEL).argv[0] == python  # the setup is real

    nb = probe_notebook(PROJECT_KERNEL)
    km = project_kernel_manager()
    try:
        NotebookClient(nb, km=km, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
        assert km.is_alive()  # a client given a kernel manager leaves the kernel running
    finally:
        km.shutdown_kernel(now=True)
    assert nb.cells[0].outputs[0]["text"].splitlines() == [sys.executable, "playbook imported"]


def test_install_kernel_into_a_prefix(tmp_path):
    path = install_kernel(tmp_path)
    assert path == tmp_path / "share" / "jupyter" / "kernels" / PROJECT_KERNEL
    spec = json.loads((path / "kernel.json").read_text(encoding="utf-8"))
    assert spec["argv"] == [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert spec["argv"] == kernel_argv()
    assert spec["display_name"] == DISPLAY_NAME
    assert (path / "logo-64x64.png").exists()
    before = (path / "kernel.json").stat().st_mtime_ns
    assert install_kernel(tmp_path) == path
    assert (path / "kernel.json").stat().st_mtime_ns == before  # idempotent: left untouched

    status = kernel_status(tmp_path)
    assert status["installed"] and status["points_here"] and status["path"] == str(path)
    assert status["python3"] is not None and PROJECT_KERNEL not in status["others"]


def test_same_interpreter(tmp_path):
    venv_bin = Path(sys.executable).parent
    assert same_interpreter(sys.executable, sys.executable)
    if (venv_bin / "python").exists() and (venv_bin / "python3").exists():
        assert same_interpreter(str(venv_bin / "python"), str(venv_bin / "python3"))
    if sys.prefix != sys.base_prefix:  # the base interpreter behind the venv's symlink is another environment
        assert not same_interpreter(sys.executable, os.path.realpath(sys.executable))
    assert not same_interpreter(sys.executable, str(tmp_path / "python"))


def test_kernel_status_spots_a_foreign_interpreter(tmp_path):
    assert kernel_status(tmp_path)["installed"] is False
    write_spec(
        tmp_path / "share" / "jupyter" / "kernels", PROJECT_KERNEL, ["/usr/bin/python3", "-m", "x"], {}
    )
    status = kernel_status(tmp_path)
    assert status["installed"] and not status["points_here"]


def test_module_entry_point_installs(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "playbook.kernel", "--prefix", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert PROJECT_KERNEL in done.stdout
    assert (tmp_path / "share" / "jupyter" / "kernels" / PROJECT_KERNEL / "kernel.json").exists()


# --- committed notebooks: project kernel, no outputs --------------------------------------------------


def notebook_problems(path: Path) -> list[str]:
    """What keeps a notebook from being committed: a foreign kernel, stored outputs or execution counts."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    name = nb.metadata.get("kernelspec", {}).get("name")
    if name != PROJECT_KERNEL:
        problems.append(f"kernelspec is {name!r}, not {PROJECT_KERNEL!r}")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {index} has outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {index} has an execution count")
    return problems


COMMITTED = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("path", COMMITTED, ids=[str(p.relative_to(ROOT)) for p in COMMITTED])
def test_committed_notebook_is_clean(path):
    assert notebook_problems(path) == [], (
        "run the notebook on the project kernel and clear outputs before commit"
    )


def test_notebook_check_works(tmp_path):
    good = tmp_path / "good.ipynb"
    nbformat.write(probe_notebook(PROJECT_KERNEL), good)
    assert notebook_problems(good) == []

    nb = probe_notebook("python3")
    nb.cells[0].execution_count = 1
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, bad)
    assert notebook_problems(bad) == [
        "kernelspec is 'python3', not 'influencer-playbook'",
        "cell 0 has outputs",
        "cell 0 has an execution count",
    ]
