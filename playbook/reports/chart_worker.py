"""A helper process that renders Vega-Lite specs to SVG for the report runner.

`ChartWorker().render(spec)` returns a `Future` of `chart_svg.chart_svg(spec)`, computed in a separate
Python process (`python -m reports.chart_worker`) that the worker starts on first use; `ChartWorkers(n)`
spreads charts over n such processes (the runner starts one per `KERNELS_PER_WORKER` kernels). The runner
queues each chart as soon as its notebook cell is done, so charts render on the second core while the kernel
computes the next sections; on a thread of the runner they would not, because vl-convert holds the GIL for
part of each conversion and so delays the runner's handling of the kernel's messages.

A plain subprocess rather than `multiprocessing`: spawning re-imports the caller's main module, which breaks
scripts without an `if __name__ == "__main__"` guard, and forking would copy the runner's threads and
ZeroMQ sockets. Protocol: one JSON object per line each way, answers in request order: `{"svg": text}` or
`{"error": "Name: message"}`. The process exits when its input closes (`close`).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from typing import IO, Any

from playbook.viz.svg import chart_svg, start_engine

__all__ = ["KERNELS_PER_WORKER", "ChartRenderError", "ChartWorker", "ChartWorkers", "serve"]

# Our choice from the measured costs: a report's charts take ~0.3 s to render, its sections ~0.6 s of a
# kernel, so one helper process keeps up with two kernels.
KERNELS_PER_WORKER = 2


class ChartRenderError(RuntimeError):
    """The helper process could not render a spec (the message is vl-convert's) or stopped."""


class ChartWorker:
    """One helper process; `render` may be called from any thread, answers come back in order.

    `command` runs the helper (default: this interpreter with `-m playbook.reports.chart_worker`; tests give
    another program that speaks the same protocol).
    """

    def __init__(self, command: Sequence[str] | None = None) -> None:
        self._command = list(command or [sys.executable, "-m", "playbook.reports.chart_worker"])
        self._process: subprocess.Popen[str] | None = None
        self._pending: deque[Future[str]] = deque()
        self._lock = threading.Lock()  # guards `_pending` and the start; held only briefly
        # Serialises writes to the process. Never held together with `_lock` while writing: the reader needs
        # `_lock` to take an answer, and a writer blocked on a full pipe waits for the process, which waits
        # for the reader to drain its answers.
        self._write_lock = threading.Lock()
        self._reader: threading.Thread | None = None

    def start(self) -> None:
        """Start the process now (it starts vl-convert's engine at once, about 0.4 s of its own)."""
        with self._lock:
            self._start()

    def _start(self) -> None:
        if self._process is not None:
            return
        self._process = subprocess.Popen(
            self._command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read, name="playbook-chart-worker", daemon=True)
        self._reader.start()

    @property
    def waiting(self) -> int:
        """Charts sent and not answered yet."""
        return len(self._pending)

    def render(self, spec: dict[str, Any]) -> Future[str]:
        """A future of the spec's SVG (`chart_svg`); it raises `ChartRenderError` if the spec cannot be
        rendered or the process stopped."""
        line = json.dumps(spec, allow_nan=False) + "\n"
        future: Future[str] = Future()
        with self._write_lock:  # the order of `_pending` is the order of the lines written
            with self._lock:
                self._start()
                assert self._process is not None and self._process.stdin is not None
                stdin = self._process.stdin
                self._pending.append(future)
            try:
                stdin.write(line)
                stdin.flush()
            except OSError as err:
                with self._lock:  # unless the reader already failed it when the process ended
                    mine = future in self._pending
                    if mine:
                        self._pending.remove(future)
                if mine:
                    _settle(future, None, ChartRenderError(f"the chart process stopped: {err}"))
        return future

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            answer = json.loads(line)
            with self._lock:
                future = self._pending.popleft()
            if "svg" in answer:
                _settle(future, answer["svg"], None)
            else:
                _settle(future, None, ChartRenderError(answer.get("error", "unknown error")))
        with self._lock:  # the process ended: nothing more will come
            while self._pending:
                _settle(self._pending.popleft(), None, ChartRenderError("the chart process stopped"))

    def close(self) -> None:
        """Stop the process (queued charts are still answered first) and wait for it."""
        with self._lock:
            process = self._process
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):  # already closed by a process that died
                process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if self._reader is not None:
            self._reader.join()

    def __enter__(self) -> ChartWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ChartWorkers:
    """`count` helper processes; `render` hands each spec to the one with the fewest charts waiting."""

    def __init__(self, count: int = 1) -> None:
        if count < 1:
            raise ValueError(f"at least one chart worker is needed; got {count}")
        self.workers = [ChartWorker() for _ in range(count)]

    def start(self) -> None:
        for worker in self.workers:
            worker.start()

    def render(self, spec: dict[str, Any]) -> Future[str]:
        """As `ChartWorker.render`, on the least busy worker."""
        return min(self.workers, key=lambda w: w.waiting).render(spec)

    def close(self) -> None:
        for worker in self.workers:
            worker.close()

    def __enter__(self) -> ChartWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _settle(future: Future[str], svg: str | None, error: Exception | None) -> None:
    """Give `future` its answer, unless its caller cancelled it (a report that failed before its charts
    came back): setting a cancelled future raises, and would stop the reader for every later chart."""
    if not future.set_running_or_notify_cancel():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(svg)  # type: ignore[arg-type]


def serve(requests: IO[str], answers: IO[str]) -> None:
    """The helper's loop: one spec per line in, one answer per line out, until `requests` ends."""
    start_engine()
    for line in requests:
        try:
            answer = {"svg": chart_svg(json.loads(line))}
        except Exception as err:  # vl-convert's own errors, a spec without $schema, bad JSON
            answer = {"error": f"{type(err).__name__}: {err}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    sys.stdin.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    serve(sys.stdin, sys.stdout)
