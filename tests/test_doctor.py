"""`playbook doctor`: each check on this environment, and simulated failures with their FIX lines."""

from __future__ import annotations

import json
import re
import sys
import types
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from playbook import doctor
from playbook.doctor import Check
from playbook.kernel import PROJECT_KERNEL, install_kernel


def test_python_check():
    assert doctor.check_python().status == "OK"
    old = doctor.check_python((3, 10, 4))
    assert old.status == "FAIL" and "3.10.4" in old.detail and "PYTHON=" in old.fix


def test_dependencies_on_this_env():
    assert [c.status for c in doctor.check_dependencies()] == ["OK"]
    names = {r.name for r in doctor.project_requirements()}
    assert {"pandas", "pandera", "altair", "vl-convert-python", "ipykernel"} <= names
    assert {"pytest", "nbval"} <= {r.name for r in doctor.project_requirements("test")}


def test_missing_and_out_of_range_packages(monkeypatch):
    def fake_version(name: str) -> str:
        if name in ("pandas", "nbval"):
            raise metadata.PackageNotFoundError(name)
        return "0.0.1"

    monkeypatch.setattr(doctor, "_installed_version", fake_version)
    missing = doctor.check_requirement(Requirement("pandas>=2.2,<4"))
    assert missing.status == "FAIL" and "not installed" in missing.detail
    assert missing.fix.endswith("-m pip install 'pandas<4,>=2.2'")
    old = doctor.check_requirement(Requirement("altair>=5.4,<7"))
    assert old.status == "FAIL" and "0.0.1 installed" in old.detail and "install 'altair" in old.fix
    test_only = doctor.check_requirement(Requirement("nbval>=0.11,<1"), optional=True)
    assert test_only.status == "WARN" and "make test" in test_only.detail

    problems = doctor.check_dependencies()
    assert len(problems) == len(doctor.project_requirements()) + len(doctor.project_requirements("test"))
    assert all(c.status in ("FAIL", "WARN") and "pip install" in c.fix for c in problems)


def test_venv_check():
    assert doctor.check_venv("/x/.venv", "/usr").status == "WARN"
    here = doctor.check_venv(str(doctor.PROJECT_ROOT / ".venv"), "/usr")
    assert here.status == "OK"
    bare = doctor.check_venv("/usr", "/usr")
    assert bare.status == "WARN" and "make setup" in bare.fix


def test_project_kernel_missing_then_installed(tmp_path):
    missing = doctor.check_project_kernel(str(tmp_path))
    assert missing.status == "FAIL" and "not installed" in missing.detail
    assert missing.fix == f"{sys.executable} -m playbook.kernel"
    install_kernel(tmp_path)
    assert doctor.check_project_kernel(str(tmp_path)).status == "OK"


def test_project_kernel_pointing_elsewhere(tmp_path):
    spec = install_kernel(tmp_path) / "kernel.json"
    content = json.loads(spec.read_text(encoding="utf-8"))
    content["argv"][0] = "/opt/other/bin/python"
    spec.write_text(json.dumps(content), encoding="utf-8")
    check = doctor.check_project_kernel(str(tmp_path))
    assert check.status == "FAIL" and "/opt/other/bin/python" in check.detail
    assert check.fix.endswith("-m playbook.kernel")


def test_project_kernel_shadowed_by_another_spec(monkeypatch):
    shadow = {
        "path": "/home/u/.local/share/jupyter/kernels/influencer-playbook",
        "argv": ["/usr/bin/python3"],
    }
    status = {
        "installed": True,
        "points_here": True,
        "path": "x",
        "argv": [sys.executable],
        "resolved": shadow,
    }
    monkeypatch.setattr(doctor, "kernel_status", lambda prefix=None: status)
    check = doctor.check_project_kernel()
    assert check.status == "FAIL" and check.fix == f"rm -r {shadow['path']}"


def test_user_python3_kernel(tmp_path):
    assert doctor.check_user_python3_kernel(tmp_path).status == "OK"
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = ["{python}", "-m", "ipykernel_launcher", "-f", "{connection_file}"]

    (spec / "kernel.json").write_text(json.dumps({"argv": [sys.executable, *argv[1:]]}), encoding="utf-8")
    assert doctor.check_user_python3_kernel(tmp_path).status == "OK"

    (spec / "kernel.json").write_text(
        json.dumps({"argv": ["/nonexistent/python3", *argv[1:]]}), encoding="utf-8"
    )
    stray = doctor.check_user_python3_kernel(tmp_path)
    assert stray.status == "WARN" and "cannot import playbook" in stray.detail
    assert PROJECT_KERNEL in stray.detail and "Change Kernel" in stray.fix


def test_slow_import(monkeypatch):
    monkeypatch.setattr(doctor, "find_spec", lambda name: None)
    assert doctor.check_slow_import().status == "OK"
    monkeypatch.setattr(doctor, "find_spec", lambda name: object())
    back = doctor.check_slow_import()
    assert back.status == "WARN" and back.fix.endswith("-m pip uninstall -y rfc3987-syntax")


def test_offline_chart_rendering():
    assert doctor.check_chart_rendering().status == "OK"


def _fake_data_module(error: Exception | None) -> types.ModuleType:
    module = types.ModuleType("playbook.data.loading")

    class DataValidationError(Exception):
        pass

    def load(data_dir: Path) -> dict:
        if error is not None:
            raise DataValidationError(*error.args) if isinstance(error, ValueError) else error
        return {"posts": [1, 2, 3], "creators": [1]}

    module.DataValidationError = DataValidationError
    module.load = load
    return module


def test_datasets_check(monkeypatch, tmp_path):
    monkeypatch.setitem(
        sys.modules, "playbook.data.loading", None
    )  # as if playbook.data.loading did not exist yet
    gone = doctor.check_datasets(tmp_path)
    assert gone.status == "FAIL" and "not importable" in gone.detail

    monkeypatch.setitem(sys.modules, "playbook.data.loading", _fake_data_module(None))
    assert doctor.check_datasets(tmp_path).detail.endswith("2 tables, 4 rows valid")

    message = "posts.csv: 3 rows break the contract\ncolumn likes: negative\n" + "more\n" * 20
    monkeypatch.setitem(sys.modules, "playbook.data.loading", _fake_data_module(ValueError(message)))
    bad = doctor.check_datasets(tmp_path)
    assert bad.status == "FAIL" and "posts.csv: 3 rows break the contract | column likes" in bad.detail
    assert bad.detail.endswith("...") and bad.fix == f"playbook datasets generate --out {tmp_path}"


def test_datasets_check_on_an_invalid_dir(tmp_path):
    (tmp_path / "posts.csv").write_text("not,a,valid\nfile,at,all\n", encoding="utf-8")
    bad = doctor.check_datasets(tmp_path)
    assert bad.status == "FAIL" and "playbook datasets generate" in bad.fix


def test_benchmarks_check(monkeypatch):
    monkeypatch.setitem(sys.modules, "playbook.data.registry", None)
    assert doctor.check_benchmarks().status == "FAIL"

    module = types.ModuleType("playbook.data.registry")

    def broken() -> None:
        raise ValueError("benchmarks.csv row 7: cpm_usd must be > 0")

    module.load_benchmarks = broken
    monkeypatch.setitem(sys.modules, "playbook.data.registry", module)
    bad = doctor.check_benchmarks()
    assert bad.status == "FAIL" and "row 7" in bad.detail and "benchmarks/" in bad.fix


def test_run_doctor_exit_code_and_output(monkeypatch, capsys, tmp_path):
    fail = Check("thing", "FAIL", "broken", "do this")
    monkeypatch.setattr(
        doctor, "all_checks", lambda data_dir: [lambda: Check("a", "OK", "fine"), lambda: [fail]]
    )
    assert doctor.run_doctor(tmp_path) == 1
    assert capsys.readouterr().out.splitlines()[:3] == [
        "OK    a: fine",
        "FAIL  thing: broken",
        "      FIX: do this",
    ]
    monkeypatch.setattr(doctor, "all_checks", lambda data_dir: [lambda: Check("w", "WARN", "meh", "x")])
    assert doctor.run_doctor(tmp_path) == 0


def test_run_doctor_on_this_env(capsys, tmp_path):
    doctor.run_doctor(tmp_path / "no-data-here")  # the data check fails here; the format is what matters
    lines = capsys.readouterr().out.splitlines()
    body = lines[: lines.index("")]
    for line, following in zip(body, [*body[1:], ""], strict=True):
        if line.startswith("      FIX: "):
            continue
        assert re.match(r"^(OK|WARN|FAIL) +\S", line), line
        if not line.startswith("OK"):
            assert following.startswith("      FIX: "), line
    assert re.match(r"^\d+ ok, \d+ warnings, [1-9]\d* failed$", lines[-1])
