"""The chart helper process of the report runner: same SVG as in process, errors by name, clean stop."""

from __future__ import annotations

import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from playbook.reports.chart_worker import ChartRenderError, ChartWorker, ChartWorkers
from playbook.viz import charts
from playbook.viz.svg import chart_svg


def test_the_worker_renders_what_this_process_renders_in_request_order():
    specs = [charts.funnel({"contacted": n, "replied": n // 2}).to_dict() for n in (10, 40, 90)]
    with ChartWorker() as worker:
        futures = [worker.render(spec) for spec in specs]
        assert [f.result(timeout=60) for f in futures] == [chart_svg(spec) for spec in specs]


def test_a_spec_it_cannot_render_fails_alone_with_the_reason():
    good = charts.funnel({"contacted": 10, "replied": 4}).to_dict()
    with ChartWorker() as worker:
        bad, after = worker.render({"mark": "point"}), worker.render(good)
        with pytest.raises(ChartRenderError, match=r"^ValueError: not a Vega-Lite spec"):
            bad.result(timeout=60)
        assert after.result(timeout=60).lstrip().startswith("<svg")


def test_charts_queued_when_the_process_dies_fail_instead_of_hanging():
    worker = ChartWorker()
    worker.start()
    worker._process.kill()  # a crash of the helper process
    worker._process.wait(timeout=30)
    with pytest.raises(ChartRenderError, match="the chart process stopped"):
        worker.render({"mark": "point"}).result(timeout=60)
    worker.close()


# Speaks the worker's protocol with answers far above a pipe's 64 KiB, without rendering anything.
_BIG_ANSWERS = """
import json, sys
for line in sys.stdin:
    json.loads(line)
    sys.stdout.write(json.dumps({"svg": "<svg>" + "x" * 300_000 + "</svg>"}) + "\\n")
    sys.stdout.flush()
"""


def test_large_specs_and_answers_from_two_threads_do_not_deadlock():
    # A writer blocked on the process's full input must not keep the reader from draining the process's
    # output: holding one lock for both deadlocked a two-kernel batch once.
    spec = {"$schema": "x", "data": {"values": [{"label": "y" * 200, "i": i} for i in range(2000)]}}
    assert len(json.dumps(spec)) > 4 * 65536
    worker = ChartWorker([sys.executable, "-c", _BIG_ANSWERS])
    answers: list[str] = []

    def two_threads() -> None:
        with ThreadPoolExecutor(2) as threads:
            futures = list(threads.map(lambda _: worker.render(spec), range(20)))
        answers.extend(f.result() for f in futures)

    runner = threading.Thread(target=two_threads, daemon=True)  # a deadlock fails the test, not hangs it
    runner.start()
    runner.join(timeout=60)
    deadlocked = runner.is_alive()
    if deadlocked:
        worker._process.kill()  # frees the blocked threads
    worker.close()
    assert not deadlocked and len(answers) == 20 and all(len(a) > 300_000 for a in answers)


def test_a_cancelled_chart_does_not_stop_the_answers_to_later_ones():
    # run_notebook cancels the charts of a report whose section failed; the next report still needs answers.
    spec = charts.funnel({"contacted": 10, "replied": 4}).to_dict()
    with ChartWorker() as worker:
        abandoned = [worker.render(spec) for _ in range(3)]
        assert all(f.cancel() for f in abandoned)
        assert worker.render(spec).result(timeout=60) == chart_svg(spec)


def test_several_workers_share_the_charts_and_answer_each():
    specs = [charts.funnel({"contacted": n, "replied": 1}).to_dict() for n in (3, 5, 8, 13)]
    with ChartWorkers(2) as workers:
        futures = [workers.render(spec) for spec in specs]
        assert [f.result(timeout=60) for f in futures] == [chart_svg(spec) for spec in specs]
    with pytest.raises(ValueError, match="at least one chart worker"):
        ChartWorkers(0)
