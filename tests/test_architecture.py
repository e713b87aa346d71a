"""The house rules the layout relies on, beyond import-linter's contracts (pyproject.toml, `make lint`)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import playbook

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "playbook"
COURSE_NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_import_playbook_is_cheap_and_every_public_name_resolves() -> None:
    heavy = "('pandas', 'altair', 'ipywidgets')"
    code = f"import sys, playbook; print(sorted(m for m in {heavy} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"  # nothing heavy until a name is used
    for name in playbook.__all__:
        assert getattr(playbook, name) is not None, name
    with pytest.raises(AttributeError):
        _ = playbook.no_such_name


def _imports(source: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            out += [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names]
    return out


def _notebook_code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return "\n".join(
        line for c in code for line in c.splitlines() if not line.lstrip().startswith(("%", "!"))
    )


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=lambda p: p.stem)
def test_course_notebooks_use_public_modules_only(path: Path) -> None:
    """Notebooks never reach into the generator or private names: the sample comes from `playbook`."""
    for name in _imports(_notebook_code(path)):
        if not name.startswith("playbook"):
            continue
        assert not name.startswith("playbook.data.synth"), f"{path.name} imports the generator: {name}"
        assert not any(part.startswith("_") for part in name.split(".")), f"{path.name} imports {name}"


def test_only_data_layout_knows_where_the_package_sits() -> None:
    """Repository and resource paths come from `data.layout`; no other module climbs out of the package."""
    climbers = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "Path(__file__).resolve().parents[" in text or "Path(__file__).parents[" in text:
            climbers.append(str(path.relative_to(ROOT)))
    assert climbers == ["playbook/data/layout.py"]


def _public_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = rel.parts
        if path.name in ("__init__.py", "__main__.py") or any(p.startswith("_") for p in parts):
            continue
        if "bank" in parts:  # the exercises' question bank: data for the checker, loaded by name
            continue
        names.append(".".join(parts))
    return names


@pytest.mark.parametrize("module", _public_modules())
def test_public_modules_declare_all_and_every_name_exists(module: str) -> None:
    imported = __import__(module, fromlist=["__all__"])
    assert hasattr(imported, "__all__"), f"{module} has no __all__"
    missing = [name for name in imported.__all__ if not hasattr(imported, name)]
    assert missing == [], f"{module}.__all__ names what it does not define: {missing}"
