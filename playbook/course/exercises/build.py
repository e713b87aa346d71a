"""Written once, generated twice: learner notebooks (`exercises/`) from the masters (`solutions/`).

Markers in a master's code cells follow otter-grader's and nbgrader's conventions:

- `# BEGIN SOLUTION` ... `# END SOLUTION`: the lines between are removed and replaced by one
  `# YOUR CODE HERE` comment (at the marker's indentation);
- a line ending in `# SOLUTION`: an assignment keeps its left-hand side and gets the stub `...`
  (`er = x / y  # SOLUTION` -> `er = ...`); any other such line is removed.

Everything else (markdown, checks, the setup cell) is copied with its cell id, so a learner's notebook and its
master line up cell by cell. `build` writes every learner notebook at once (atomic group write) and never
deletes or touches another file; `stale` lists what a build would change (the test of the committed copies);
`start` gives a learner a copy and refuses to overwrite anything.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

from playbook.data.io import atomic_write_group

__all__ = [
    "STUB_COMMENT",
    "MarkerError",
    "build",
    "learner_notebook",
    "render",
    "stale",
    "start",
    "strip_solutions",
]


BEGIN, END, INLINE = "# BEGIN SOLUTION", "# END SOLUTION", "# SOLUTION"
STUB_COMMENT = "# YOUR CODE HERE"
_ASSIGN = re.compile(r"^(\s*[A-Za-z_][\w.\[\]\"', ]*?\s*=)(?!=)")


class MarkerError(ValueError):
    """A master notebook with unbalanced solution markers (names the file and cell)."""


def strip_solutions(source: str, where: str = "") -> str:
    """The learner version of one code cell's source (see the module docstring for the markers)."""
    out: list[str] = []
    inside = False
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise MarkerError(f"{where}: {BEGIN} inside another solution block")
            inside = True
            out.append(line[: len(line) - len(line.lstrip())] + STUB_COMMENT)
        elif stripped == END:
            if not inside:
                raise MarkerError(f"{where}: {END} without {BEGIN}")
            inside = False
        elif inside:
            continue
        elif line.rstrip().endswith(INLINE):
            match = _ASSIGN.match(line)
            if match:
                out.append(f"{match.group(1).rstrip()} ...")
        else:
            out.append(line)
    if inside:
        raise MarkerError(f"{where}: {BEGIN} without {END}")
    return "\n".join(out)


def learner_notebook(master: nbformat.NotebookNode, name: str = "") -> nbformat.NotebookNode:
    """A copy of `master` with every solution stripped and outputs cleared; cell ids kept."""
    nb = nbformat.from_dict(master)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source, f"{name} cell {index}")
            cell.outputs, cell.execution_count = [], None
    nb.metadata.setdefault("playbook_exercise", {})["generated_from"] = f"solutions/{name}"
    return nb


def _masters(solutions_dir: Path) -> list[Path]:
    return sorted(p for p in Path(solutions_dir).glob("*.ipynb"))


def render(solutions_dir: Path) -> dict[str, str]:
    """File name -> text of every learner notebook the masters in `solutions_dir` generate."""
    out = {}
    for path in _masters(solutions_dir):
        master = nbformat.read(path, as_version=4)
        out[path.name] = nbformat.writes(learner_notebook(master, path.name)) + "\n"
    return out


def build(solutions_dir: Path, exercises_dir: Path) -> list[Path]:
    """Write the learner notebooks into `exercises_dir` (all or nothing); other files there are untouched."""
    rendered = render(solutions_dir)
    if not rendered:
        raise FileNotFoundError(f"no master notebooks (*.ipynb) in {solutions_dir}")
    files = {Path(exercises_dir) / name: text for name, text in rendered.items()}
    Path(exercises_dir).mkdir(parents=True, exist_ok=True)
    atomic_write_group(files)
    return sorted(files)


def stale(solutions_dir: Path, exercises_dir: Path) -> list[str]:
    """What `build` would change: "missing NAME", "stale NAME" or "orphan NAME" (a learner notebook with no
    master). Empty when the committed learner notebooks are up to date."""
    rendered = render(solutions_dir)
    found = {p.name for p in Path(exercises_dir).glob("*.ipynb")}
    problems = [f"orphan {name}" for name in sorted(found - set(rendered))]
    for name, text in rendered.items():
        path = Path(exercises_dir) / name
        if not path.is_file():
            problems.append(f"missing {name}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"stale {name}")
    return problems


def start(exercises_dir: Path, target: Path) -> list[Path]:
    """Copy the learner notebooks into `target` (created if needed) for one learner to work in.

    Refuses (FileExistsError naming every clash) when any of the files already exists, and then copies none:
    a learner's work is never overwritten. Returns the copied paths.
    """
    sources = sorted(Path(exercises_dir).glob("*.ipynb"))
    if not sources:
        raise FileNotFoundError(f"no exercise notebooks in {exercises_dir}; run `playbook exercises build`")
    target = Path(target)
    if target.resolve() == Path(exercises_dir).resolve():
        raise FileExistsError(f"{target} is the generated exercises folder; choose your own folder")
    clashes = [target / p.name for p in sources if (target / p.name).exists()]
    if clashes:
        listed = ", ".join(str(p) for p in clashes)
        raise FileExistsError(f"refusing to overwrite {len(clashes)} existing file(s): {listed}")
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sources:
        dest = target / source.name
        with (
            open(dest, "xb") as handle,
            open(source, "rb") as original,
        ):  # "x": fails if it appeared meanwhile
            shutil.copyfileobj(original, handle)
        copied.append(dest)
    return copied
