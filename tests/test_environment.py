"""pyproject.toml (pip) and environment.yml (conda-forge) must list the same packages with the same ranges."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
# pip name (canonical) -> conda-forge name, where they differ.
CONDA_NAMES = {"jupyter-client": "jupyter_client", "jupyter-core": "jupyter_core", "duckdb": "python-duckdb"}
# Entries of environment.yml that are not runtime packages of the project.
CONDA_ONLY = {"python", "pip"}
CONDA_SPEC = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)\s*(?P<spec>[<>=!~].*)?$")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pip_requirements() -> dict[str, SpecifierSet]:
    reqs = [Requirement(line) for line in _pyproject()["project"]["dependencies"]]
    return {CONDA_NAMES.get(canonicalize_name(r.name), canonicalize_name(r.name)): r.specifier for r in reqs}


def parse_conda_dependencies(text: str) -> tuple[dict[str, SpecifierSet], list[str]]:
    """The conda packages (name -> range) and the pip section of an environment.yml."""
    env = yaml.safe_load(text)
    packages: dict[str, SpecifierSet] = {}
    pip: list[str] = []
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            pip.extend(entry.get("pip", []))
            continue
        match = CONDA_SPEC.match(entry.replace(" ", ""))
        assert match, f"cannot parse environment.yml entry {entry!r}"
        name = match["name"]
        if name not in CONDA_ONLY:
            packages[name] = SpecifierSet(match["spec"] or "")
    return packages, pip


def test_environment_yml_matches_pyproject():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    conda, pip = parse_conda_dependencies(text)
    wanted = pip_requirements()
    assert sorted(set(wanted) - set(conda)) == [], "in pyproject.toml but not environment.yml"
    assert sorted(set(conda) - set(wanted)) == [], "in environment.yml but not pyproject.toml"
    differ = {name: (str(wanted[name]), str(conda[name])) for name in wanted if wanted[name] != conda[name]}
    assert differ == {}, "ranges differ (pyproject, environment.yml)"
    assert pip == ["-e ."]


def test_environment_yml_header():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["name"] == "influencer-team-playbook"
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]


def test_ranges_have_an_upper_bound():
    for line in _pyproject()["project"]["dependencies"]:
        ops = {spec.operator for spec in Requirement(line).specifier}
        assert {">=", "<"} <= ops, f"{line}: use a compatible range '>=X,<next major'"


def test_the_comparison_catches_a_mismatch():
    text = "dependencies:\n- python=3.11\n- numpy>=1.26,<3\n- jupyter_client >=8.6,<9\n- pip:\n  - -e .\n"
    conda, _ = parse_conda_dependencies(text)
    assert conda == {"numpy": SpecifierSet(">=1.26,<3"), "jupyter_client": SpecifierSet(">=8.6,<9")}
    assert conda["numpy"] != pip_requirements()["numpy"]
    assert conda["jupyter_client"] == pip_requirements()["jupyter_client"]


@pytest.mark.parametrize("line", _pyproject()["project"]["optional-dependencies"]["test"])
def test_test_extras_installed(line: str):
    req = Requirement(line)
    try:
        version = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        pytest.fail(f"{req.name} is not installed: run make setup (or pip install -e '.[test]')")
    assert req.specifier.contains(version, prereleases=True), f"{req.name} {version} not in {req.specifier}"
