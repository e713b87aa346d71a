"""Execute parameterised notebooks on a pool of warm project kernels.

One parent process starts `size` kernels of this interpreter (`playbook.kernel.project_kernel_manager`,
whatever kernelspecs the user has) and drives each from its own thread with nbclient, so kernels run in
parallel and are reused across notebooks: a reused kernel costs well under a second per report, a new
one seconds (docs: /work/shared/reference/measured-here.md section 2). A kernel that dies is restarted
before its next notebook. A failing cell is reported as the section it belongs to (the heading above it)
and the exception's name and message, never as a kernel traceback.

Parameters are injected like papermill does (a cell tagged `injected-parameters` after the cell tagged
`parameters`, values recorded in `metadata.papermill.parameters`), with Python literals written by
`repr`, so text with quotes, newlines or braces stays data. nbformat and nbclient are imported when first
used, so a parent process can launch its kernels before paying for them.
"""

from __future__ import annotations

import copy
import logging
import os
import queue
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from jupyter_core.utils import ensure_event_loop, run_sync

from playbook.kernel import PROJECT_KERNEL, project_kernel_manager
from playbook.reports.chart_worker import ChartRenderError
from playbook.viz.svg import CHART_MIMETYPE, SVG_MIMETYPE, chart_svg, unrendered_charts

__all__ = [
    "SETUP_SECTION",
    "Kernel",
    "KernelDied",
    "KernelPool",
    "R",
    "SectionError",
    "T",
    "inject_parameters",
    "load_template",
    "run_notebook",
    "section_of",
    "section_seconds",
    "wait_until_ready",
]


if TYPE_CHECKING:
    from nbformat import NotebookNode

T = TypeVar("T")
R = TypeVar("R")
SETUP_SECTION = "setup"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_STOP = object()
_log = logging.getLogger(__name__)


class SectionError(RuntimeError):
    """A notebook cell failed: `section` is the heading above the cell, `reason` says why."""

    def __init__(self, section: str, reason: str, traceback: str = "") -> None:
        super().__init__(f"section {section!r} failed: {reason}")
        self.section = section
        self.reason = reason
        self.traceback = traceback


class KernelDied(SectionError):
    """The kernel died while running a section; it has been restarted."""


def load_template(path: Path) -> NotebookNode:
    """Read a notebook (nbformat v4) to use as a template; copy it before changing it."""
    import nbformat

    return nbformat.read(path, as_version=4)


def inject_parameters(template: NotebookNode, parameters: dict[str, Any]) -> NotebookNode:
    """A copy of `template` with a cell `name = repr(value)` per parameter after the `parameters` cell.

    Same placement, tag and metadata as papermill's `parameterize_notebook`; an existing injected cell
    is replaced. Values must be str, int, float, bool or None (what `repr` writes as a Python literal).
    """
    for name, value in parameters.items():
        if not name.isidentifier() or not isinstance(value, str | int | float | bool | type(None)):
            raise TypeError(f"parameter {name}={value!r}: expected a name and a str, number, bool or None")
    import nbformat

    nb = copy.deepcopy(template)
    source = "# Parameters\n" + "".join(f"{name} = {value!r}\n" for name, value in parameters.items())
    cell = nbformat.v4.new_code_cell(source=source, metadata={"tags": ["injected-parameters"]})
    tags = [c.get("metadata", {}).get("tags", []) for c in nb.cells]
    injected = next((i for i, t in enumerate(tags) if "injected-parameters" in t), None)
    declared = next((i for i, t in enumerate(tags) if "parameters" in t), None)
    if injected is not None:
        nb.cells[injected] = cell
    else:
        nb.cells.insert(0 if declared is None else declared + 1, cell)
    nb.metadata.setdefault("papermill", {})["parameters"] = dict(parameters)
    return nb


def section_seconds(nb: NotebookNode) -> dict[str, float]:
    """Seconds each section of an executed notebook took in the kernel (nbclient's recorded cell timing:
    from the kernel receiving the cell to its reply), summed per `section_of` heading."""
    seconds: dict[str, float] = {}
    for index, cell in enumerate(nb.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if start and end:
            spent = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
            section = section_of(nb, index)
            seconds[section] = seconds.get(section, 0.0) + spent
    return seconds


def section_of(nb: NotebookNode, index: int) -> str:
    """The text of the last markdown heading above cell `index` (`setup` before the first heading)."""
    for cell in reversed(nb.cells[:index]):
        if cell.cell_type == "markdown":
            headings = [line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("#")]
            if headings:
                return headings[-1]
    return SETUP_SECTION


async def wait_until_ready(kc: Any, km: Any, timeout: float) -> None:
    """Wait until the kernel answers `kernel_info` and its IOPub channel delivers messages.

    jupyter_client's `wait_for_ready` does the same, then waits for 0.2 s of IOPub silence; here the
    messages already received are dropped without that wait (nbclient ignores messages for requests it
    did not send anyway). Raises RuntimeError when the kernel dies or does not answer within `timeout`.
    """
    from queue import Empty

    deadline = time.monotonic() + timeout
    while True:
        kc.kernel_info()
        try:
            reply = await kc.shell_channel.get_msg(timeout=1)
        except Empty:
            reply = None
        if reply is not None and reply["msg_type"] == "kernel_info_reply":
            try:
                await kc.iopub_channel.get_msg(timeout=0.2)  # IOPub connected: its first message arrived
            except Empty:
                pass
            else:
                break
        if not km.is_alive():
            raise RuntimeError("the kernel died before it answered")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the kernel did not answer within {timeout:.0f} s")
    while True:  # drop what already arrived, without waiting for more
        try:
            await kc.iopub_channel.get_msg(timeout=0)
        except Empty:
            return


class Kernel:
    """One project kernel and its client.

    `startup` lines run in the kernel before it reports ready (IPython `exec_lines`, again after every
    restart); `env` adds environment variables for the kernel process.
    """

    def __init__(
        self, startup: Iterable[str] = (), env: dict[str, str] | None = None, start_timeout: float = 60.0
    ) -> None:
        self._ipc_dir = tempfile.TemporaryDirectory(prefix="playbook-kernel-") if os.name == "posix" else None
        self.km = self._manager()
        self.kc: Any = None
        self.start_timeout = start_timeout
        self._launched = time.perf_counter()
        # No IPython history: nobody types in these kernels, and its sqlite start-up costs ~50 ms per kernel.
        self._args = [
            "--HistoryManager.enabled=False",
            *(f"--IPKernelApp.exec_lines={line}" for line in startup),
        ]
        self._env = {**os.environ, **(env or {})}

    def _manager(self) -> Any:
        # ipc sockets in a private directory: no TCP port, no "running over TCP without encryption" warning
        ipc = {"transport": "ipc", "ip": str(Path(self._ipc_dir.name) / "k")} if self._ipc_dir else {}
        return project_kernel_manager(client_class="jupyter_client.asynchronous.AsyncKernelClient", **ipc)

    def launch(self) -> None:
        """Start the kernel process (returns at once; `connect` waits until it is ready)."""
        self._launched = time.perf_counter()
        self.km.start_kernel(extra_arguments=self._args, env=self._env)

    def connect(self) -> None:
        """Open a client in the calling thread and wait until the kernel answers (a dead one is replaced)."""
        if self.km.has_kernel and not self.km.is_alive():
            self._replace()
        if not self.km.has_kernel:
            self.launch()
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(wait_until_ready)(self.kc, self.km, self.start_timeout)
        self.kc.allow_stdin = False
        ready = time.perf_counter() - self._launched
        _log.debug("kernel ready %.2f s after its launch (start-up lines included)", ready)

    def disconnect(self) -> None:
        """Close the client and the calling thread's event loop (the kernel keeps running)."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        ensure_event_loop().close()

    def alive(self) -> bool:
        return bool(self.km.has_kernel and self.km.is_alive())

    def _replace(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km.has_kernel:
            self.km.shutdown_kernel(now=True)
        self.km = self._manager()  # a manager that shut its kernel down has closed its sockets for good

    def restart(self) -> None:
        """Replace a dead or stuck kernel by a new one (same start-up lines) and connect to it."""
        self._replace()
        self.connect()

    def shutdown(self) -> None:
        """Stop the kernel process and remove its socket directory.

        The process is killed and reaped here first: jupyter_client's own kill polls every 0.1 s until
        the process is gone, which every report would pay once.
        """
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        provisioner = self.km.provisioner if self.km.has_kernel else None
        process = getattr(provisioner, "process", None)
        if process is not None and process.poll() is None:
            run_sync(provisioner.kill)()  # SIGKILL to the kernel's process group, as jupyter_client does
            process.wait(timeout=10)
        if self.km.has_kernel:
            self.km.shutdown_kernel(now=True)
        if self._ipc_dir is not None:
            self._ipc_dir.cleanup()


def run_notebook(
    kernel: Kernel,
    nb: NotebookNode,
    cell_timeout: float | None = None,
    charts: Callable[[dict[str, Any]], Future[str]] | None = None,
) -> NotebookNode:
    """Execute every code cell of `nb` in order on `kernel`; fills in the outputs and returns `nb`.

    Chart outputs (Vega-Lite specs) get their SVG (`chart_svg.chart_svg`): each spec is handed to `charts`
    (e.g. `chart_worker.ChartWorker.render`) as soon as its cell is done, so it renders while the kernel
    runs the next cells (without `charts`, each cell's are rendered before the next cell runs).
    Raises `SectionError` at the first failing cell (`KernelDied` if the kernel died; the kernel is then
    restarted, as after a timeout) or for a chart that cannot be rendered.
    """
    from nbclient import NotebookClient  # imported here: the parent needs it only once kernels boot

    if kernel.kc is None:
        kernel.connect()
    elif not kernel.alive():
        kernel.restart()
    client = NotebookClient(nb, km=kernel.km, kernel_name=PROJECT_KERNEL, timeout=cell_timeout)
    client.kc = kernel.kc
    rendering: list[tuple[str, dict[str, Any], Future[str]]] = []
    try:
        for index, cell in enumerate(nb.cells):
            section = section_of(nb, index)
            _execute_cell(kernel, client, cell, index, section, cell_timeout)
            for data in unrendered_charts(cell.get("outputs", [])):
                if charts is None:
                    _add_svg(section, data, _done(data[CHART_MIMETYPE]))
                else:
                    rendering.append((section, data, charts(data[CHART_MIMETYPE])))
    except BaseException:
        for _, _, future in rendering:
            future.cancel()
        raise
    for section, data, future in rendering:
        _add_svg(section, data, future)
    return nb


def _done(spec: dict[str, Any]) -> Future[str]:
    """`chart_svg(spec)` run here, as a finished future (its error kept in it)."""
    future: Future[str] = Future()
    try:
        future.set_result(chart_svg(spec))
    except Exception as err:
        future.set_exception(err)
    return future


def _add_svg(section: str, data: dict[str, Any], future: Future[str]) -> None:
    try:
        data[SVG_MIMETYPE] = future.result()
    except Exception as err:  # vl-convert raises its own errors for a spec it cannot render
        why = str(err) if isinstance(err, ChartRenderError) else f"{type(err).__name__}: {err}"
        raise SectionError(section, f"a chart could not be rendered: {why}") from None


def _execute_cell(
    kernel: Kernel, client: Any, cell: Any, index: int, section: str, timeout: float | None
) -> None:
    """Run one cell; its failure is raised as the `SectionError` of `section`."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1, store_history=False)
    except CellExecutionError as err:
        trace = _ANSI.sub("", err.traceback)
        raise SectionError(section, f"{err.ename}: {err.evalue}", trace) from None
    except DeadKernelError:
        kernel.restart()
        raise KernelDied(section, "the kernel died (a crash or out of memory); it was restarted") from None
    except CellTimeoutError:
        kernel.restart()
        raise SectionError(section, f"still running after {timeout:g} s; the kernel was restarted") from None


class KernelPool:
    """`size` kernels, each driven by its own thread; `map` runs `fn(kernel, item)` for every item."""

    def __init__(
        self,
        size: int,
        startup: Iterable[str] = (),
        env: dict[str, str] | None = None,
        start_timeout: float = 60.0,
    ) -> None:
        if size < 1:
            raise ValueError(f"a kernel pool needs at least one kernel; got {size}")
        lines = list(startup)
        self.kernels = [Kernel(lines, env, start_timeout) for _ in range(size)]

    def launch(self) -> None:
        """Start every kernel process now, so they boot while the caller does other work."""
        for kernel in self.kernels:
            kernel.launch()

    def map(self, fn: Callable[[Kernel, T], R], items: Iterable[T]) -> Iterator[R]:
        """Yield `fn(kernel, item)` for each item as soon as it is done (completion order).

        `fn` must catch its own errors: an exception escaping it stops that kernel's thread.
        """
        todo: queue.Queue[object] = queue.Queue()
        done: queue.Queue[tuple[bool, object]] = queue.Queue()
        count = 0
        for item in items:
            todo.put(item)
            count += 1
        for _ in self.kernels:
            todo.put(_STOP)

        def work(kernel: Kernel) -> None:
            try:
                while (item := todo.get()) is not _STOP:
                    done.put((True, fn(kernel, item)))  # type: ignore[arg-type]
            except BaseException as err:  # handed to the caller's thread, raised there
                done.put((False, err))
            finally:
                kernel.disconnect()

        threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in self.kernels]
        for thread in threads:
            thread.start()
        try:
            for _ in range(count):
                ok, value = done.get()
                if not ok:
                    raise value  # type: ignore[misc]
                yield value  # type: ignore[misc]
        finally:
            while not todo.empty():  # the caller stopped early: let the threads finish their item and stop
                todo.get_nowait()
            for _ in self.kernels:
                todo.put(_STOP)
            for thread in threads:
                thread.join()

    def close(self) -> None:
        """Shut every kernel down."""
        for kernel in self.kernels:
            kernel.shutdown()

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
