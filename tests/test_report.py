"""Campaign reports: section figures by hand, the runner, and end-to-end runs on the sample data.

End-to-end runs start real project kernels (marked slow; `make test` runs them). The JSON figures are
checked against `playbook.summary.campaign_figures` called directly, and a report made in a warm kernel
after other campaigns against one made alone.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from pathlib import Path

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playbook import report_sections
from playbook.data import load
from playbook.report import TEMPLATE, render_report, render_reports
from playbook.report_params import SAMPLE_DIR, data_fingerprint
from playbook.report_runner import (
    KernelDied,
    KernelPool,
    SectionError,
    inject_parameters,
    run_notebook,
    section_of,
)
from playbook.report_sections import (
    build_context,
    er_on_basis,
    figure_reason,
    headline,
    kpi_table,
    verdict,
    warm_up,
)
from playbook.summary import campaign_figures
from playbook.undefined import reason

HOLDOUT = "CP000004"  # conversion, with a geo holdout (experiments.csv)
AWARENESS = "CP000001"
CONSIDERATION = "CP000000"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


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


def _checksums(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def _as_json(figures: dict[str, float | str]) -> dict[str, object]:
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in figures.items()}


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
    assert math.isnan(er) and reason(er) == "ER by views: denominator is 0"


def test_er_with_no_posts_is_undefined_with_a_reason(minimal_tables):
    minimal_tables["posts"] = minimal_tables["posts"].iloc[0:0]
    er = er_on_basis(minimal_tables, "CP001", "reach")
    assert math.isnan(er) and reason(er) == "ER by reach: denominator is 0"


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


def test_verdict_by_objective():
    # conversion: orders missed, ROAS met -> 1 of 2; awareness: reach met and within budget -> on target;
    # consideration: ER met, clicks missed -> 1 of 2; over budget turns "on target" into "partly".
    assert verdict(_figures()).label == "partly on target"
    assert verdict(_figures()).text == "1 of 2 primary KPIs met; full cost 90% of budget"
    assert verdict(_figures(objective="awareness")).label == "on target"
    assert verdict(_figures(objective="consideration")).met == 1
    over = verdict(_figures(objective="awareness", full_cost=1_100.0))
    assert (over.label, over.within_budget) == ("partly on target", False)
    assert over.text.endswith("full cost 110% of budget (over budget)")
    assert verdict(_figures(objective="awareness", reach=10.0)).label == "off target"


def test_zero_target_and_undefined_actual():
    # A target of 0 makes actual / target undefined (met: any actual >= 0); a NaN actual is neither met
    # nor missed, and the verdict names it.
    table = kpi_table(_figures(target_roas=0.0)).set_index("kpi")
    assert math.isnan(table.loc["roas", "attainment"]) and table.loc["roas", "met"]
    figures = _figures(roas=math.nan, full_cost=0.0)
    v = verdict(figures)
    assert v.undefined == ("ROAS (full cost)",) and v.met == 0 and v.label == "off target"
    assert figure_reason(figures, "roas") == "ROAS: denominator is 0"
    assert figure_reason(figures, "reach") is None


@given(
    actuals=st.lists(st.floats(0, 1e6), min_size=5, max_size=5),
    cost=st.floats(0, 1e6),
    objective=st.sampled_from(["awareness", "consideration", "conversion"]),
)
def test_verdict_label_matches_its_counts(actuals, cost, objective):
    names = ["reach", "er_by_reach", "link_clicks", "attributed_orders", "roas"]
    v = verdict(_figures(objective=objective, full_cost=cost, **dict(zip(names, actuals, strict=True))))
    assert 0 <= v.met <= v.total
    assert (v.label == "on target") == (v.met == v.total and v.within_budget)
    assert (v.label == "off target") == (v.met == 0 and not (v.met == v.total and v.within_budget))


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


@pytest.fixture
def load_calls(monkeypatch):
    """The keyword arguments of every `load` the report context makes (the kernel cache starts empty)."""
    calls: list[dict[str, object]] = []
    real = report_sections.load

    def counting(data_dir, **kwargs):
        calls.append(kwargs)
        return real(data_dir, **kwargs)

    monkeypatch.setattr(report_sections, "load", counting)
    report_sections._cache.clear()
    yield calls
    report_sections._cache.clear()


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
    assert load_calls == [{"validate": False}]  # parsed once at start-up, not validated again


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
    sections = [c for c in code if c.source.startswith("rs.show(")]
    assert len(sections) >= 2
    for cell in sections:
        (name,) = re.fullmatch(r"rs\.show\(rs\.(\w+)\(ctx\)\)", cell.source).groups()
        assert callable(getattr(report_sections, name))
        above = nb.cells[nb.cells.index(cell) - 1]
        assert above.cell_type == "markdown" and above.source.startswith("## ")
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


@pytest.mark.slow
def test_failures_name_their_section_and_a_dead_kernel_is_replaced():
    failing = _tiny_notebook(("md", "## Attribution"), ("code", "1 / 0"))
    crashing = _tiny_notebook(("md", "## Incrementality"), ("code", "import os; os._exit(1)"))
    fine = _tiny_notebook(("md", "## Summary"), ("code", "print(x + 1)"))
    with KernelPool(1) as pool:
        kernel = pool.kernels[0]
        pool.launch()

        def run(_, nb):
            try:
                return run_notebook(kernel, inject_parameters(nb, {"x": 41}), cell_timeout=60)
            except SectionError as err:
                return err

        failed, died, after = pool.map(run, [failing, crashing, fine])  # one kernel: in order
        process = kernel.km.provisioner.process
        process.kill()  # a kernel killed between two reports
        process.wait(timeout=30)
        (killed_between,) = pool.map(run, [fine])
    assert str(failed) == "section 'Attribution' failed: ZeroDivisionError: division by zero"
    assert isinstance(died, KernelDied) and died.section == "Incrementality"
    assert after.cells[-1].outputs[0]["text"] == "42\n"
    assert killed_between.cells[-1].outputs[0]["text"] == "42\n"


# --------------------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Three objectives in one warm kernel (jobs=1), so the last campaign runs after two others."""
    out = tmp_path_factory.mktemp("batch")
    before = _checksums(SAMPLE_DIR)
    results = render_reports([HOLDOUT, CONSIDERATION, AWARENESS], SAMPLE_DIR, out, jobs=1)
    return out, results, before


@pytest.fixture(scope="module")
def sample_tables():
    return load(SAMPLE_DIR)


@pytest.mark.slow
def test_batch_writes_every_report_and_never_touches_the_data(batch):
    out, results, before = batch
    assert [r.campaign_id for r in results] == [HOLDOUT, CONSIDERATION, AWARENESS]
    assert all(r.ok for r in results), [r.error for r in results]
    names = sorted(p.name for p in out.iterdir())
    expected = [f"{c}.{ext}" for c in (HOLDOUT, CONSIDERATION, AWARENESS) for ext in ("html", "metrics.json")]
    assert names == sorted([*expected, "index.csv", "index.html"])
    assert _checksums(SAMPLE_DIR) == before


@pytest.mark.slow
def test_json_figures_equal_the_library(batch, sample_tables):
    out, _, _ = batch
    for cid in (HOLDOUT, CONSIDERATION, AWARENESS):
        payload = json.loads((out / f"{cid}.metrics.json").read_text(encoding="utf-8"))
        figures = campaign_figures(sample_tables, cid)
        assert payload["figures"] == _as_json(figures)
        assert payload["verdict"]["label"] == verdict(figures).label
        assert payload["report"] == f"{cid}.html"
    objectives = {
        json.loads((out / f"{c}.metrics.json").read_text())["figures"]["objective"]
        for c in (HOLDOUT, CONSIDERATION, AWARENESS)
    }
    assert objectives == {"awareness", "consideration", "conversion"}


@pytest.mark.slow
def test_report_html_has_sections_and_no_code(batch, sample_tables):
    out, _, _ = batch
    page = (out / f"{HOLDOUT}.html").read_text(encoding="utf-8")
    name = str(sample_tables["campaigns"].set_index("campaign_id").loc[HOLDOUT, "name"])
    assert f"<title>Campaign report: {name}</title>" in page
    assert "<h2>Executive summary</h2>" in page and "<h2>Definitions and sources</h2>" in page
    assert "Verdict:" in page and 'src="data:image/svg+xml;base64,' in page
    for code in ("build_context", "rs.show", "record_metrics", "campaign_id =", "import "):
        assert code not in page


@pytest.mark.slow
def test_index_links_every_report(batch):
    out, _, _ = batch
    index = (out / "index.html").read_text(encoding="utf-8")
    for cid in (HOLDOUT, CONSIDERATION, AWARENESS):
        assert f'<a href="{cid}.html">{cid}</a>' in index
    rows = (out / "index.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("campaign_id,name,objective,currency,full_cost") and len(rows) == 4


@pytest.mark.slow
def test_a_warm_kernel_report_equals_one_made_alone(batch, tmp_path):
    out, _, _ = batch
    alone = render_report(AWARENESS, SAMPLE_DIR, tmp_path)
    assert alone.ok, alone.error
    for suffix in (".html", ".metrics.json"):
        warm = (out / f"{AWARENESS}{suffix}").read_text(encoding="utf-8")
        fresh = (tmp_path / f"{AWARENESS}{suffix}").read_text(encoding="utf-8")
        assert TIMESTAMP.sub("T", warm) == TIMESTAMP.sub("T", fresh)
