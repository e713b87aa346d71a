"""Workshop grading: run every submitted exercise notebook in isolation and write a gradebook.

`grade(submissions, out)` finds the notebooks (`SUBMISSIONS/<learner>/<exercise>.ipynb`, or
`SUBMISSIONS/<learner>.ipynb` for one exercise each), runs each one on a copy in its own temporary folder, in
a fresh project kernel (`influencer-playbook`, this interpreter) with:

- a time budget per notebook: a cell still running when the budget is spent is interrupted and the cells
  after it are skipped, so an endless loop costs one budget, not the workshop;
- no network: the kernel runs in a new network namespace (`unshare -rn`, Linux) when the system allows it,
  and in every case a first cell makes Python's sockets refuse any address but the local machine. This is a
  guard against accidental downloads, not a sandbox against a hostile learner;
- errors allowed: a cell that raises is recorded and the next cells still run;

then appends one cell that judges every graded question against the notebook's variables
(`binding.print_results`), whatever the learner did to the check cells. A notebook that cannot be graded at
all (invalid file, kernel died) gets "not attempted" on every question with the reason. The submitted files
are never modified. The gradebook (CSV, one row per learner x question) and an HTML summary with a chart of
where the room is stuck are written together (`atomic_write_group`), so re-running replaces both or neither.

Quiz scores: if a learner's folder holds `quiz_scores.csv` (saved by the module quizzes: one row per question
and attempt), each module's latest attempt joins the gradebook as question "quiz" of that module.
"""

from __future__ import annotations

import html
import json
import math
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
from ipykernel.kernelspec import RESOURCES
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from playbook.course.exercises.bank import exercises, get_exercise
from playbook.course.exercises.binding import RESULTS_MARKER
from playbook.data.io import atomic_write_group
from playbook.kernel import PROJECT_KERNEL, kernel_dict
from playbook.viz.charts import room_progress, to_svg

__all__ = [
    "DEFAULT_TIMEOUT",
    "GRADEBOOK_COLUMNS",
    "GRADING_CELL_TIMEOUT",
    "NETWORK_GUARD",
    "QUIZ_COLUMNS",
    "QUIZ_FILE",
    "Submission",
    "find_submissions",
    "grade",
    "gradebook",
    "learner_progress",
    "network_namespace_prefix",
    "run_notebook",
    "summary_html",
]


GRADEBOOK_COLUMNS = ("learner", "exercise", "question", "title", "status", "points", "message", "notebook")
DEFAULT_TIMEOUT = 120.0  # seconds per notebook; our choice: a solved exercise runs in under 15 s here
GRADING_CELL_TIMEOUT = 60.0
QUIZ_FILE = "quiz_scores.csv"  # written by the module quizzes (`course.quiz`)
QUIZ_COLUMNS = ("module", "attempt", "question_id", "correct")  # the columns the gradebook reads

NETWORK_GUARD = """\
import ipaddress as _ip, socket as _socket
def _playbook_local_only(address):
    host = address[0] if isinstance(address, tuple) else address
    try:
        return not isinstance(host, str) or host == "localhost" or _ip.ip_address(host).is_loopback
    except ValueError:
        return False
_playbook_connect = _socket.socket.connect
def _playbook_guarded_connect(self, address):
    if self.family in (_socket.AF_INET, _socket.AF_INET6) and not _playbook_local_only(address):
        raise OSError("no network while grading: " + repr(address))
    return _playbook_connect(self, address)
_socket.socket.connect = _playbook_guarded_connect
_socket.socket.connect_ex = lambda self, address: _playbook_guarded_connect(self, address) or 0
del _ip
"""


@cache
def network_namespace_prefix() -> tuple[str, ...]:
    """`("unshare", "-rn")` when this system can start a process without network, else ()."""
    try:
        done = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return ("unshare", "-rn") if done.returncode == 0 else ()


class _OfflineSpecs(KernelSpecManager):
    """The project kernel on this interpreter, started inside a network namespace when available."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        spec = kernel_dict()
        spec["argv"] = [*network_namespace_prefix(), *spec["argv"]]
        return KernelSpec(resource_dir=RESOURCES, name=PROJECT_KERNEL, **spec)


@dataclass(frozen=True)
class Submission:
    """One notebook to grade: who, which exercise, where."""

    learner: str
    exercise: str
    path: Path


def _exercise_of(path: Path) -> str | None:
    stems = {e.stem for e in exercises()}
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("playbook_exercise", {})
        stem = meta.get("stem")
    except (OSError, ValueError, AttributeError):
        stem = None
    if stem in stems:
        return stem
    return path.stem if path.stem in stems else None


def find_submissions(folder: Path) -> tuple[list[Submission], list[Path]]:
    """Submissions under `folder` (learner = sub-folder name, or file name for loose notebooks) and the
    notebooks ignored because they are not exercises."""
    found, ignored = [], []
    folder = Path(folder)
    candidates = [(p.stem, p) for p in sorted(folder.glob("*.ipynb"))]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        candidates += [(sub.name, p) for p in sorted(sub.glob("*.ipynb"))]
    for learner, path in candidates:
        stem = _exercise_of(path)
        if stem is None:
            ignored.append(path)
        else:
            found.append(Submission(learner, stem, path))
    return found, ignored


def _error_text(outputs: Iterable[Any]) -> str | None:
    for out in outputs:
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {out.get('evalue')}"
    return None


def _results_from(outputs: Iterable[Any]) -> list[dict[str, str]] | None:
    for out in outputs:
        if out.get("output_type") == "stream":
            for line in str(out.get("text", "")).splitlines():
                if line.startswith(RESULTS_MARKER):
                    return json.loads(line[len(RESULTS_MARKER) :])
    return None


def run_notebook(
    submission: Submission, timeout: float = DEFAULT_TIMEOUT
) -> tuple[list[dict[str, str]], str]:
    """Execute one submission (on a copy, in a fresh offline kernel) and judge it.

    Returns the per-question results (question, status, message) and a note on how the run went.
    """
    questions = get_exercise(submission.exercise).questions
    try:
        nb = nbformat.read(submission.path, as_version=4)
    except Exception as err:
        return _all_unattempted(len(questions), f"could not read the notebook: {err}"), "unreadable"
    with tempfile.TemporaryDirectory(prefix="playbook-grade-") as tmp:
        work = Path(tmp)
        shutil.copy2(submission.path, work / submission.path.name)
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        nb.cells = [nbformat.v4.new_code_cell(NETWORK_GUARD), *code_cells]
        for cell in nb.cells:
            cell.outputs = []
        km = KernelManager(
            kernel_name=PROJECT_KERNEL,
            kernel_spec_manager=_OfflineSpecs(),
            transport="ipc",
            ip=str(work / "kernel"),
            # nbclient needs the asynchronous client: with the blocking one a cell's timeout never fires
            client_class="jupyter_client.asynchronous.AsyncKernelClient",
        )
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            allow_errors=True,
            interrupt_on_timeout=True,
            startup_timeout=60,
            extra_arguments=["--HistoryManager.enabled=False"],
            resources={"metadata": {"path": str(work)}},
        )
        notes: list[str] = []
        try:
            with client.setup_kernel():
                deadline = time.monotonic() + timeout
                for index, cell in enumerate(nb.cells):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        notes.append(f"stopped after {timeout:g} s: cells from {index} on were not run")
                        break
                    client.timeout = max(1, math.ceil(remaining))
                    client.execute_cell(cell, index)
                    error = _error_text(cell.outputs)
                    # the grader is the only one to interrupt: an interrupted cell used up the budget
                    if time.monotonic() >= deadline or (error or "").startswith("KeyboardInterrupt"):
                        notes.append(f"stopped after {timeout:g} s in code cell {index} (an endless loop?)")
                        break
                    if error is not None:
                        where = "the network guard" if index == 0 else f"code cell {index}"
                        notes.append(f"{where} raised {error}")
                grader = nbformat.v4.new_code_cell(
                    "from playbook.course.exercises.binding import print_results as _playbook_print_results\n"
                    f"_playbook_print_results({submission.exercise!r}, globals())"
                )
                nb.cells.append(grader)
                client.timeout = int(GRADING_CELL_TIMEOUT)
                client.execute_cell(grader, len(nb.cells) - 1)
                results = _results_from(grader.outputs)
        except Exception as err:  # kernel died, could not start, ...: graded, not fatal
            notes.append(f"the run failed: {type(err).__name__}: {err}")
            results = None
    note = "; ".join(notes) or "ran to the end"
    if results is None:
        return _all_unattempted(len(questions), f"could not be graded ({note})"), note
    return results, note


def _all_unattempted(n: int, why: str) -> list[dict[str, str]]:
    return [{"question": f"q{i}", "status": "not attempted", "message": why} for i in range(1, n + 1)]


def _pass_share() -> float | None:
    """The quizzes' pass mark (`course.quiz.DEFAULT_PASS_SHARE`), or None in a version without one."""
    return getattr(import_module("playbook.course.quiz"), "DEFAULT_PASS_SHARE", None)


def _quiz_rows(folder: Path, learner: str) -> list[dict[str, Any]]:
    """One gradebook row per module quiz from the learner's `quiz_scores.csv` (written by the module
    quizzes, `course.quiz`: one row per question and attempt; columns in QUIZ_COLUMNS): the latest
    attempt's share right against the quizzes' pass mark (all right when no pass mark is defined)."""
    path = folder / QUIZ_FILE
    if not path.is_file():
        return []
    row = {"learner": learner, "question": "quiz", "title": "module quiz", "notebook": str(path)}
    try:
        frame = pd.read_csv(path)
        missing = [c for c in QUIZ_COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError(f"missing column(s) {', '.join(missing)}")
        latest = frame[frame["attempt"] == frame.groupby("module")["attempt"].transform("max")]
        scores = latest.groupby("module").agg(
            right=("correct", "sum"), asked=("correct", "size"), attempt=("attempt", "max")
        )
    except (ValueError, KeyError, pd.errors.ParserError) as err:
        return [
            {**row, "exercise": "quiz", "status": "not attempted", "points": 0, "message": f"{path}: {err}"}
        ]
    pass_share = _pass_share()
    rows = []
    for module, rec in scores.iterrows():
        share = rec["right"] / rec["asked"]
        passed = share >= pass_share if pass_share is not None else rec["right"] == rec["asked"]
        mark = f"pass mark {pass_share:.0%}" if pass_share is not None else "all right to pass"
        rows.append(
            {
                **row,
                "exercise": str(module),
                "status": "passed" if passed else "wrong",
                "points": int(rec["right"]),
                "message": f"quiz: {rec['right']:.0f} of {rec['asked']:.0f} right on attempt "
                f"{rec['attempt']:.0f} ({mark})",
            }
        )
    return rows


def gradebook(
    folder: Path,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> tuple[pd.DataFrame, list[Path]]:
    """Grade every submission under `folder`: the gradebook frame (GRADEBOOK_COLUMNS, one row per learner x
    question, quiz scores included when present) and the notebooks that were ignored. `jobs` notebooks run
    at a time, each in its own kernel."""
    submissions, ignored = find_submissions(folder)
    rows: list[dict[str, Any]] = []

    def run(sub: Submission) -> tuple[list[dict[str, str]], str]:
        started = time.monotonic()
        outcome = run_notebook(sub, timeout)
        if progress is not None:
            progress(f"{sub.learner} / {sub.exercise}: {time.monotonic() - started:.1f} s, {outcome[1]}")
        return outcome

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        outcomes = list(pool.map(run, submissions))
    for sub, (results, note) in zip(submissions, outcomes, strict=True):
        questions = get_exercise(sub.exercise).questions
        for res in results:
            q = questions[int(res["question"][1:]) - 1]
            rows.append(
                {
                    "learner": sub.learner,
                    "exercise": sub.exercise,
                    "question": res["question"],
                    "title": q.title,
                    "status": res["status"],
                    "points": q.points if res["status"] == "passed" else 0,
                    "message": res["message"],
                    "notebook": note,
                }
            )
    for learner in sorted({s.learner for s in submissions}):
        learner_dir = Path(folder) / learner
        if learner_dir.is_dir():
            rows += _quiz_rows(learner_dir, learner)
    return pd.DataFrame(rows, columns=list(GRADEBOOK_COLUMNS)), ignored


def summary_html(book: pd.DataFrame, ignored: Iterable[Path] = ()) -> str:
    """The trainer's page: a chart of results per question, the commonest wrong message of each question,
    points per learner, and what was ignored."""
    graded = book[book["question"] != "quiz"]
    label = graded["exercise"].str[:2] + " " + graded["question"] + " " + graded["title"]
    counts = (
        graded.assign(label=label)
        .groupby(["label", "status"], sort=False)
        .size()
        .rename("learners")
        .reset_index()
        .rename(columns={"label": "question"})
    )
    chart = to_svg(room_progress(counts)) if not counts.empty else "<p>No graded notebooks.</p>"
    stuck = (
        graded.assign(label=label, not_passed=graded["status"] != "passed")
        .groupby("label", sort=False)
        .agg(
            learners=("learner", "nunique"),
            not_passed=("not_passed", "sum"),
            commonest_message=(
                "message",
                lambda m: (
                    m[graded.loc[m.index, "status"] == "wrong"].mode().iloc[0]
                    if (graded.loc[m.index, "status"] == "wrong").any()
                    else "no wrong answers"
                ),
            ),
        )
        .sort_values("not_passed", ascending=False, kind="stable")
        .reset_index()
        .rename(columns={"label": "question"})
    )
    stuck = stuck.rename(
        columns={"not_passed": "not passed", "commonest_message": "commonest wrong answer (its message)"}
    )
    progress = learner_progress(book)
    n_learners = book["learner"].nunique()
    n_notebooks = len(graded[["learner", "exercise"]].drop_duplicates())
    skipped = "".join(f"<li>{html.escape(str(p))}</li>" for p in ignored)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Exercise gradebook</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:2em;color:#1f2328}"
        "table{border-collapse:collapse}td,th{border-bottom:1px solid #d8dee4;padding:4px 8px;"
        "text-align:left;vertical-align:top}th{background:#f6f8fa}</style></head><body>"
        "<h1>Exercise gradebook</h1>"
        f"<p>{_count(n_learners, 'learner')}, {_count(n_notebooks, 'exercise notebook')} graded.</p>"
        f"{chart}<h2>Where the room is stuck</h2>{stuck.to_html(index=False, escape=True, border=0)}"
        f"<h2>Each learner</h2>{progress.to_html(index=False, escape=True, border=0)}"
        "<p>Exercise points count graded questions passed; module quizzes count as passed at the quizzes' "
        "pass mark on the latest attempt (the gradebook CSV has every row and message).</p>"
        + (f"<h2>Ignored (not exercise notebooks)</h2><ul>{skipped}</ul>" if skipped else "")
        + "</body></html>\n"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def learner_progress(book: pd.DataFrame) -> pd.DataFrame:
    """Per learner: graded exercise questions passed (of those in the notebooks they handed in), exercise
    points, and module quizzes passed (of those taken); quiz answers never count as exercise points."""
    learners = sorted(book["learner"].unique())
    exercises = book[book["question"] != "quiz"]
    quizzes = book[book["question"] == "quiz"]

    def tally(frame: pd.DataFrame) -> pd.DataFrame:
        passed = (frame["status"] == "passed").groupby(frame["learner"]).sum()
        return pd.DataFrame({"passed": passed, "of": frame.groupby("learner").size()}).reindex(learners)

    ex, qz = tally(exercises), tally(quizzes)
    points = exercises.groupby("learner")["points"].sum().reindex(learners).fillna(0)

    def text(t: pd.DataFrame, none: str) -> list[str]:
        return [none if pd.isna(r.of) else f"{r.passed:.0f} of {r.of:.0f}" for r in t.itertuples()]

    return pd.DataFrame(
        {
            "learner": learners,
            "exercise questions passed": text(ex, "none handed in"),
            "exercise points": points.astype("int64").to_numpy(),
            "module quizzes passed": text(qz, "none taken"),
        }
    )


def grade(
    folder: Path,
    out: Path,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> tuple[pd.DataFrame, Path]:
    """Grade `folder` and write the gradebook CSV to `out` and its HTML summary beside it (`out` with
    suffix .html), both or neither. Returns the gradebook and the HTML path."""
    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise FileNotFoundError(f"submissions folder {folder} does not exist")
    book, ignored = gradebook(folder, timeout, progress, jobs)
    page = out.with_suffix(".html")
    atomic_write_group({out: book.to_csv(index=False), page: summary_html(book, ignored)})
    return book, page
