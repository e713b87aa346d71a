"""Campaign reports: headline figures by hand, the validated-data cache, and the runner on tiny notebooks.

The sections and end-to-end runs on the sample data are in `test_report_sections.py`. Runs that start real
project kernels are marked slow (`make test` runs them). Every test module that reports uses its own cache
directory (`PLAYBOOK_CACHE_DIR`), never the user's.
"""

from __future__ import annotations

import math
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import playbook.data.loading
from playbook.analytics.metrics import campaign_cost
from playbook.analytics.summary import campaign_figures
from playbook.analytics.undefined import reason
from playbook.data import cache as data_cache
from playbook.data.cache import (
    CACHE_ENV,
    data_fingerprint,
    entry_dir,
    forget,
    load_tables,
    read_campaign_currencies,
    read_entry,
    write_entry,
)
from playbook.data.loading import DataValidationError, load
from playbook.reports import sections as report_sections
from playbook.reports.chart_worker import ChartWorker
from playbook.reports.figures import report as report_figures
from playbook.reports.params import SAMPLE_DIR
from playbook.reports.render import TEMPLATE
from playbook.reports.runner import (
    KernelDied,
    KernelPool,
    SectionError,
    inject_parameters,
    run_notebook,
    section_of,
    section_seconds,
)
from playbook.reports.sections import (
    build_context,
    er_on_basis,
    figure_reason,
    headline,
    kpi_table,
    warm_up,
)
from playbook.viz.svg import CHART_MIMETYPE

SECTIONS = [
    ("Executive summary", "executive_summary"),
    ("What worked and what did not", "what_worked"),
    ("Top and bottom posts", "top_and_bottom_posts"),
    ("Performance over time", "performance_over_time"),
    ("KPI tree", "kpi_tree"),
    ("Creator scorecards", "creator_scorecards"),
    ("Audience reached against the target market", "audience"),
    ("Tiers and platforms", "tiers_and_platforms"),
    ("Timeline", "timeline"),
    ("Outreach to payment", "outreach_to_payment"),
    ("Attribution", "attribution"),
    ("Profit, new customers and order value", "profit_and_customers"),
    ("Incrementality", "incrementality"),
    ("Earlier campaigns of the brand", "earlier_campaigns"),
    ("Earned media value (relative index)", "emv"),
    ("Comment quality", "comment_quality"),
    ("Paid against organic", "paid_vs_organic"),
    ("Disclosure compliance", "disclosure_compliance"),
    ("Appendix: definitions and sources", "appendix"),
]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Each test gets an empty cache directory and an empty in-process memory of tables."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    forget()
    yield tmp_path / "cache"
    forget()


def _figures(**overrides: float | str) -> dict[str, float | str]:
    base: dict[str, float | str] = {
        "objective": "conversion",
        "engagements": 500.0,
        "reach": 10_000.0,
        "target_reach": 8_000.0,
        "er_by_reach": 0.05,
        "target_engagement_rate": 0.04,
        "link_clicks": 300.0,
        "target_clicks": 400.0,
        "attributed_orders": 30.0,
        "target_conversions": 40.0,
        "attributed_revenue": 1_800.0,
        "full_cost": 900.0,
        "budget": 1_000.0,
        "roas": 2.0,
        "target_roas": 1.6,
    }
    return {**base, **overrides}


# --------------------------------------------------------------------------- figures, by hand
def test_er_on_each_basis_by_hand(minimal_tables):
    # CP001 posts (tests/conftest.py): PO0000001 reel 2400+130+60+210 = 2,800 engagements, reach 30,000,
    # impressions 36,000, views 41,000, account AC000001 (52,000 followers); PO0000003 short_video
    # 9100+420+800+650 = 10,970, reach 90,000, impressions 120,000, views 150,000, AC000002 (120,000).
    # Pooled ER (industry-facts.md 1.1): 13,770 / denominator summed over the posts.
    assert er_on_basis(minimal_tables, "CP001", "reach") == pytest.approx(13_770 / 120_000)  # 0.11475
    assert er_on_basis(minimal_tables, "CP001", "impressions") == pytest.approx(13_770 / 156_000)
    assert er_on_basis(minimal_tables, "CP001", "views") == pytest.approx(13_770 / 191_000)
    assert er_on_basis(minimal_tables, "CP001", "followers") == pytest.approx(13_770 / 172_000)


def test_er_by_views_counts_video_posts_only(minimal_tables):
    # CP002 has one carousel (no views): ER by views has no denominator, ER by reach = 1,085 / 9,000.
    assert er_on_basis(minimal_tables, "CP002", "reach") == pytest.approx((900 + 40 + 25 + 120) / 9_000)
    er = er_on_basis(minimal_tables, "CP002", "views")
    assert math.isnan(er) and reason(er) == "ER by views: views is 0 (carousel posts have no views)"


def test_er_with_no_posts_is_undefined_with_a_reason(minimal_tables):
    minimal_tables["posts"] = minimal_tables["posts"].iloc[0:0]
    er = er_on_basis(minimal_tables, "CP001", "reach")
    assert math.isnan(er) and reason(er) == "ER by reach: no posts"


def test_kpi_table_by_hand():
    table = kpi_table(_figures()).set_index("kpi")
    # attainment = actual / target: orders 30 / 40 = 0.75 (missed), ROAS 2.0 / 1.6 = 1.25 (met),
    # reach 10,000 / 8,000 = 1.25, clicks 300 / 400 = 0.75, full cost 900 / budget 1,000 = 0.9 (within).
    assert table.loc["attributed_orders", "attainment"] == pytest.approx(0.75)
    assert table.loc["roas", "attainment"] == pytest.approx(1.25)
    assert table.loc["reach", "attainment"] == pytest.approx(1.25)
    assert table.loc["link_clicks", "attainment"] == pytest.approx(0.75)
    assert table.loc["full_cost", "attainment"] == pytest.approx(0.9)
    assert table["met"].to_dict() == {
        "reach": True,
        "er_by_reach": True,
        "link_clicks": False,
        "attributed_orders": False,
        "roas": True,
        "full_cost": True,
    }
    assert table.index[table["primary"]].tolist() == ["attributed_orders", "roas"]  # conversion objective


def test_spend_against_the_budget_is_known_when_only_staff_hours_are_not(minimal_tables):
    # the budget excludes staff: with staff hours unknown the full cost is undefined, the spend it covers
    # is not (CP001: 2,640 + 45 + 8.5 + 1,500 + 3,000 = 7,193.5 of a 20,000 budget)
    campaigns = minimal_tables["campaigns"].assign(staff_hours=math.nan)
    cost = campaign_cost({**minimal_tables, "campaigns": campaigns}, "CP001")
    figures = _figures(full_cost=cost.total, budget=20_000.0)
    row = kpi_table(figures, cost.without_staff).set_index("kpi").loc["full_cost"]
    assert math.isnan(cost.total)
    assert (row["actual"], row["attainment"], row["met"]) == (
        pytest.approx(7_193.5),
        pytest.approx(7_193.5 / 20_000),
        True,
    )


def test_zero_target_and_undefined_actual():
    # A target of 0 makes actual / target undefined (met: any actual >= 0); a NaN actual is neither met
    # nor missed, and the verdict names it.
    table = kpi_table(_figures(target_roas=0.0)).set_index("kpi")
    assert math.isnan(table.loc["roas", "attainment"]) and table.loc["roas", "met"]
    figures = _figures(roas=math.nan, full_cost=0.0)
    assert kpi_table(figures).set_index("kpi").loc["roas", "met"] is None
    assert figure_reason(figures, "roas") == "ROAS: denominator is 0"
    assert figure_reason(figures, "reach") is None


def test_context_applies_the_attribution_window(minimal_dataset, minimal_tables):
    ctx = build_context("CP001", minimal_dataset, attribution_window_days=3)
    assert ctx.attribution_window_days == 3 and ctx.currency == "USD"
    minimal_tables["campaigns"]["attribution_window_days"] = 3
    assert ctx.figures == campaign_figures(minimal_tables, "CP001")
    assert headline(ctx)["parameters"]["attribution_window_days"] == 3


def test_context_copies_do_not_leak_between_reports(minimal_dataset):
    first = build_context("CP001", minimal_dataset)
    first.tables["posts"].loc[0, "likes"] = 10**9  # a section that (wrongly) edits a table in place
    second = build_context("CP001", minimal_dataset)
    assert second.tables["posts"].loc[0, "likes"] == 2400
    assert second.figures == first.figures


# --------------------------------------------------------------------------- validated-data cache
@pytest.fixture
def load_calls(monkeypatch):
    """The keyword arguments of every `data.loading.load` made through the cache or the kernel warm-up."""
    calls: list[dict[str, object]] = []
    real = playbook.data.loading.load

    def counting(data_dir, **kwargs):
        calls.append(kwargs)
        return real(data_dir, **kwargs)

    monkeypatch.setattr(playbook.data.loading, "load", counting)
    return calls


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_cache_miss_validates_then_memory_then_disk(minimal_dataset, load_calls, private_cache):
    before = _files(minimal_dataset)
    first = load_tables(minimal_dataset)
    assert load_calls == [{}]  # a miss: one validated load
    load_tables(minimal_dataset)
    assert load_calls == [{}]  # memory
    forget()
    again = load_tables(minimal_dataset)  # a new process: the user's cache, no validation
    assert load_calls == [{}]
    for name, frame in first.items():
        assert again[name].equals(frame) and list(again[name].dtypes) == list(frame.dtypes), name
    assert _files(minimal_dataset) == before  # nothing written next to the data
    entry = entry_dir(minimal_dataset, data_fingerprint(minimal_dataset))
    assert entry.is_relative_to(private_cache) and len(list(entry.glob("*.pickle"))) == len(first)


def test_a_changed_file_is_a_miss_and_replaces_the_old_entry(minimal_dataset, load_calls):
    load_tables(minimal_dataset)
    old = entry_dir(minimal_dataset, data_fingerprint(minimal_dataset))
    posts = minimal_dataset / "posts.csv"
    mtime = posts.stat().st_mtime_ns + 10**9
    os.utime(posts, ns=(mtime, mtime))
    load_tables(minimal_dataset)
    assert load_calls == [{}, {}]
    new = entry_dir(minimal_dataset, data_fingerprint(minimal_dataset))
    assert new != old and new.is_dir() and not old.exists()


def test_broken_data_is_never_cached(minimal_dataset, private_cache):
    posts = minimal_dataset / "posts.csv"
    posts.write_text(posts.read_text(encoding="utf-8").replace(",2400,", ",2.4k,", 1), encoding="utf-8")
    with pytest.raises(DataValidationError):
        load_tables(minimal_dataset)
    assert not private_cache.exists() or not list(private_cache.rglob("*.pickle"))


def test_unreadable_or_unwritable_cache_still_loads(minimal_dataset, load_calls, monkeypatch, tmp_path):
    load_tables(minimal_dataset)
    entry = entry_dir(minimal_dataset, data_fingerprint(minimal_dataset))
    (entry / "posts.pickle").write_bytes(b"not a pickle")  # a damaged entry is a miss, not an error
    forget()
    assert len(load_tables(minimal_dataset)["posts"]) == 5 and load_calls == [{}, {}]
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))  # cannot be created: works without a cache
    forget()
    assert len(load_tables(minimal_dataset)["posts"]) == 5
    assert not write_entry(minimal_dataset, data_fingerprint(minimal_dataset), {})


def test_entries_over_the_size_cap_are_not_written(minimal_tables, minimal_dataset, monkeypatch):
    fingerprint = data_fingerprint(minimal_dataset)
    monkeypatch.setattr(data_cache, "MAX_BYTES", 10)
    assert not write_entry(minimal_dataset, fingerprint, minimal_tables)
    assert read_entry(minimal_dataset, fingerprint) is None
    monkeypatch.setattr(data_cache, "MAX_BYTES", 2**30)
    assert write_entry(minimal_dataset, fingerprint, minimal_tables)
    assert read_entry(minimal_dataset, fingerprint, ["campaigns"]).keys() == {"campaigns"}


def test_entries_are_keyed_by_the_contract_code(minimal_dataset, monkeypatch):
    load_tables(minimal_dataset)
    fingerprint = data_fingerprint(minimal_dataset)
    assert read_entry(minimal_dataset, fingerprint) is not None
    monkeypatch.setattr(data_cache, "_code_digest", lambda: "rules changed")
    assert read_entry(minimal_dataset, fingerprint) is None


def test_the_contract_digest_reads_every_module_of_the_contract(tmp_path, monkeypatch):
    """A rule changed in any module of the `schemas` package, or in `loading.py`, changes the cache key."""
    package = Path(data_cache.__file__).parent
    copy = tmp_path / "data"
    shutil.copytree(package / "schemas", copy / "schemas", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(package / "loading.py", copy / "loading.py")
    files = [*sorted((copy / "schemas").glob("*.py")), copy / "loading.py"]
    monkeypatch.setattr(data_cache, "_DATA_PACKAGE", copy)
    digests = []
    try:
        for path in [*files, None]:
            data_cache._code_digest.cache_clear()
            digests.append(data_cache._code_digest())
            if path is not None:
                path.write_text(path.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    finally:
        data_cache._code_digest.cache_clear()
    assert len(files) >= 7  # the package's modules (init, vocabulary, spec, three table modules, backend)
    assert len(set(digests)) == len(files) + 1  # each edit gave a new key


def test_cache_files_are_plain_pickles_of_the_tables(minimal_dataset, minimal_tables):
    load_tables(minimal_dataset)
    entry = entry_dir(minimal_dataset, data_fingerprint(minimal_dataset))
    with (entry / "campaigns.pickle").open("rb") as handle:
        assert pickle.load(handle).equals(minimal_tables["campaigns"])


def test_entries_list_campaign_currencies_for_the_runner(minimal_dataset, minimal_tables):
    fingerprint = data_fingerprint(minimal_dataset)
    assert read_campaign_currencies(minimal_dataset, fingerprint) is None  # a miss
    load_tables(minimal_dataset)
    campaigns = minimal_tables["campaigns"]
    expected = dict(zip(campaigns["campaign_id"], campaigns["currency"], strict=True))
    assert read_campaign_currencies(minimal_dataset, fingerprint) == expected
    assert list(read_campaign_currencies(minimal_dataset, fingerprint)) == ["CP001", "CP002"]  # table order
    (entry_dir(minimal_dataset, fingerprint) / data_cache.CAMPAIGNS_FILE).write_text("[1, 2]")
    assert read_campaign_currencies(minimal_dataset, fingerprint) is None  # damaged: a miss


def test_the_runner_checks_its_input_before_importing_pandas():
    """Parameters and campaign ids are checked, and kernels launched, before pandas is imported: on a cache
    hit the kernels start a fraction of a second after `playbook report` (module docstring of report.py)."""
    code = (
        "import sys\n"
        "import playbook.cli, playbook.reports.render, playbook.reports.params, playbook.data.cache\n"
        "playbook.cli.build_parser()\n"
        "playbook.reports.params.check_params(tier_preset='hootsuite_imh')\n"
        "print(sorted(m for m in ('pandas', 'pandera', 'numpy', 'nbformat') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_warm_kernel_reloads_only_changed_data(minimal_dataset, load_calls):
    build_context("CP001", minimal_dataset)
    build_context("CP002", minimal_dataset)
    assert load_calls == [{}]  # one validated load for both reports
    posts = minimal_dataset / "posts.csv"
    mtime = posts.stat().st_mtime_ns + 10**9
    os.utime(posts, ns=(mtime, mtime))
    build_context("CP001", minimal_dataset)
    assert load_calls == [{}, {}]


def test_warm_up_parses_only_the_files_the_runner_validated(minimal_dataset, load_calls):
    validated = [list(item) for item in data_fingerprint(minimal_dataset)]
    warm_up(str(minimal_dataset), validated[:-1])  # the files changed since the runner checked them
    assert load_calls == []
    warm_up(str(minimal_dataset), validated)
    build_context("CP001", minimal_dataset)
    # parsed once at start-up, one table at a time, never validated again
    assert all(call["validate"] is False and len(call["tables"]) == 1 for call in load_calls)
    assert sorted(call["tables"][0] for call in load_calls) == sorted(playbook.data.loading.TABLES)


def test_warm_up_switches_to_the_cache_once_the_runner_wrote_it(minimal_dataset, minimal_tables, monkeypatch):
    fingerprint = data_fingerprint(minimal_dataset)
    parsed: list[str] = []
    real = playbook.data.loading.load

    def parse_while_the_runner_validates(data_dir, **kwargs):
        parsed.extend(kwargs["tables"])
        if len(parsed) == 3:  # the runner finishes validating while the kernel parses its third file
            write_entry(minimal_dataset, fingerprint, minimal_tables)
        return real(data_dir, **kwargs)

    monkeypatch.setattr(playbook.data.loading, "load", parse_while_the_runner_validates)
    warm_up(str(minimal_dataset), [list(item) for item in fingerprint])
    assert len(parsed) == 3  # the smallest files; the rest came from the cache
    assert "posts" not in parsed
    ctx = build_context("CP001", minimal_dataset)
    assert ctx.tables["posts"].equals(minimal_tables["posts"]) and len(parsed) == 3


def test_warm_up_reads_the_cache_without_parsing(minimal_dataset, load_calls):
    load_tables(minimal_dataset)  # what the runner's validation leaves behind
    forget()
    warm_up(str(minimal_dataset), [list(item) for item in data_fingerprint(minimal_dataset)])
    build_context("CP001", minimal_dataset)
    assert load_calls == [{}]  # only the first, validated load


def test_data_only_results_are_reused_until_the_data_changes(minimal_dataset, monkeypatch):
    calls = []
    real = report_figures.detect_leaked_codes

    def counting(tables, *args, **kwargs):
        calls.append(len(tables["orders"]))
        return real(tables, *args, **kwargs)

    monkeypatch.setattr(report_figures, "detect_leaked_codes", counting)
    for cid in ("CP001", "CP002", "CP001"):  # leak scores pool every code: one computation for the data
        report_sections.attribution(build_context(cid, minimal_dataset))
    assert calls == [3]
    orders = minimal_dataset / "orders.csv"
    orders.write_text("".join(orders.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), "utf-8")
    report_sections.attribution(build_context("CP001", minimal_dataset))
    assert calls == [3, 2]  # new data, computed again


def test_parse_only_load_equals_validated_load():
    # The runner's kernels parse the data without re-validating it (the parent validates at the same
    # time); both must give the same frames.
    checked, parsed = load(SAMPLE_DIR), load(SAMPLE_DIR, validate=False)
    for name, frame in checked.items():
        assert parsed[name].equals(frame), name


def test_template_is_stored_clean_with_one_call_per_section():
    nb = nbformat.read(TEMPLATE, as_version=4)
    spec = nb.metadata["kernelspec"]
    assert (spec["name"], spec["display_name"]) == ("influencer-playbook", "Influencer Playbook (.venv)")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    (params,) = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    declared = set(re.findall(r"^(\w+) = ", params.source, flags=re.MULTILINE))
    wanted = {"campaign_id", "data_dir", "currency", "er_basis", "tier_preset", "attribution_window_days"}
    assert wanted <= declared
    shown = []
    for cell in [c for c in code if c.source.startswith("rs.show(")]:
        (name,) = re.fullmatch(r"rs\.show\(rs\.(\w+)\(ctx\)\)", cell.source).groups()
        assert callable(getattr(report_sections, name))
        above = nb.cells[nb.cells.index(cell) - 1]
        assert above.cell_type == "markdown" and above.source.startswith("## ")
        shown.append((above.source[3:], name))
    assert shown == SECTIONS  # the sections of the issue, in its order
    assert code[-1].source == "rs.record_metrics(ctx)"


# --------------------------------------------------------------------------- runner, tiny notebooks
def _tiny_notebook(*cells: tuple[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})]
    for kind, source in cells:
        maker = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        nb.cells.append(maker(source))
    return nb


def test_section_of_maps_cells_to_their_heading():
    nb = _tiny_notebook(
        ("code", "y = x"), ("md", "## Reach\ntext"), ("code", "z"), ("md", "plain"), ("code", "w")
    )
    assert [section_of(nb, i) for i in range(len(nb.cells))] == [
        "setup",
        "setup",
        "setup",
        "Reach",
        "Reach",
        "Reach",
    ]


def test_injected_parameters_follow_papermill_convention():
    nb = inject_parameters(_tiny_notebook(("code", "print(x)")), {"x": 2, "name": "a'b\"c\n{{d}}"})
    assert nb.cells[1].metadata["tags"] == ["injected-parameters"]
    assert nb.metadata["papermill"]["parameters"] == {"x": 2, "name": "a'b\"c\n{{d}}"}
    again = inject_parameters(nb, {"x": 3})  # a second injection replaces the first
    assert sum("injected-parameters" in c.metadata.get("tags", []) for c in again.cells) == 1
    with pytest.raises(TypeError):
        inject_parameters(nb, {"x": object()})


def test_section_seconds_sum_the_recorded_cell_timing():
    nb = _tiny_notebook(("md", "## Reach"), ("code", "a"), ("code", "b"), ("md", "## Cost"), ("code", "c"))
    timing = {  # nbclient's record_timing: kernel received the cell -> kernel replied
        2: ("2026-01-01T10:00:00.000000Z", "2026-01-01T10:00:00.250000Z"),
        3: ("2026-01-01T10:00:01.000000Z", "2026-01-01T10:00:01.500000Z"),
        5: ("2026-01-01T10:00:02.000000Z", "2026-01-01T10:00:03.000000Z"),
    }
    for index, (start, end) in timing.items():
        nb.cells[index].metadata["execution"] = {"iopub.execute_input": start, "shell.execute_reply": end}
    assert section_seconds(nb) == pytest.approx({"Reach": 0.25 + 0.5, "Cost": 1.0})


@pytest.mark.slow
def test_failures_name_their_section_and_a_dead_kernel_is_replaced():
    failing = _tiny_notebook(("md", "## Attribution"), ("code", "1 / 0"))
    crashing = _tiny_notebook(("md", "## Incrementality"), ("code", "import os; os._exit(1)"))
    fine = _tiny_notebook(("md", "## Summary"), ("code", "print(x + 1)"))
    not_a_chart = f"display({{{CHART_MIMETYPE!r}: {{'mark': 'point'}}}}, raw=True)"  # no $schema
    bad_chart = _tiny_notebook(("md", "## Timeline"), ("code", not_a_chart), ("code", "print(x)"))
    with KernelPool(1) as pool, ChartWorker() as charts:
        kernel = pool.kernels[0]
        pool.launch()

        def run(_, nb):
            try:
                return run_notebook(
                    kernel, inject_parameters(nb, {"x": 41}), cell_timeout=60, charts=charts.render
                )
            except SectionError as err:
                return err

        failed, died, after, unrendered = pool.map(run, [failing, crashing, fine, bad_chart])  # in order
        process = kernel.km.provisioner.process
        process.kill()  # a kernel killed between two reports
        process.wait(timeout=30)
        (killed_between,) = pool.map(run, [fine])
    assert str(failed) == "section 'Attribution' failed: ZeroDivisionError: division by zero"
    assert str(unrendered).startswith("section 'Timeline' failed: a chart could not be rendered: ValueError")
    assert isinstance(died, KernelDied) and died.section == "Incrementality"
    assert after.cells[-1].outputs[0]["text"] == "42\n"
    assert killed_between.cells[-1].outputs[0]["text"] == "42\n"
