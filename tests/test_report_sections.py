"""Report sections: figures against the library called directly, the parameters that must change them,
worked examples by hand on the tiny dataset, and one rendered batch for the HTML and the JSON.

Sample campaigns: CP000007 (conversion, geo holdout EX000001 in experiments.csv), CP000000 (consideration)
and CP000001 (awareness, no holdout). In-process tests build contexts directly (no kernel); the batch
starts one project kernel and renders the three reports in it, and a fourth report alone (marked slow).
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

import playbook.data.loading
from playbook.analytics.attribution import (
    campaign_attribution,
    detect_leaked_codes,
    orders_before_start,
    reconcile,
)
from playbook.analytics.compliance import compliance_summary
from playbook.analytics.incrementality import naive_vs_incremental
from playbook.analytics.metrics import (
    INTERACTIONS_ALL,
    ERBasis,
    campaign_cost,
    cpa,
    cpe,
    cpm,
    profile_engagement_rate,
    roas,
)
from playbook.analytics.planning import late_reasons, outreach_funnel
from playbook.analytics.relationships import as_of_date, relationship_health
from playbook.analytics.summary import campaign_figures
from playbook.data.cache import CACHE_ENV
from playbook.data.loading import load
from playbook.data.registry import assign_tier, benchmark
from playbook.data.schemas import VIDEO_FORMATS
from playbook.reports.html import bundle
from playbook.reports.params import SAMPLE_DIR
from playbook.reports.render import render_report, render_reports
from playbook.reports.sections import (
    ReportContext,
    build_context,
    creator_table,
    er_on_basis,
    findings,
    funnel_stages,
    group_table,
    headline,
    kpi_figures,
    verdict,
)

HOLDOUT, CONSIDERATION, AWARENESS = "CP000007", "CP000000", "CP000001"
SECTIONS = {
    "Executive summary": "executive_summary",
    "What worked and what did not": "what_worked",
    "Top and bottom posts": "top_and_bottom_posts",
    "Performance over time": "performance_over_time",
    "KPI tree": "kpi_tree",
    "Creator scorecards": "creator_scorecards",
    "Audience reached against the target market": "audience",
    "Tiers and platforms": "tiers_and_platforms",
    "Timeline": "timeline",
    "Outreach to payment": "outreach_to_payment",
    "Attribution": "attribution",
    "Profit, new customers and order value": "profit_and_customers",
    "Incrementality": "incrementality",
    "Earlier campaigns of the brand": "earlier_campaigns",
    "Earned media value (relative index)": "emv",
    "Comment quality": "comment_quality",
    "Paid against organic": "paid_vs_organic",
    "Disclosure compliance": "disclosure_compliance",
    "Appendix: definitions and sources": "appendix",
}
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
CHARTS = 5  # performance over time, scorecard, tiers, timeline, funnel


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory):
    """This module's reports cache their data in a temporary directory, not in the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return load(SAMPLE_DIR)


@pytest.fixture(scope="module")
def holdout() -> tuple[ReportContext, dict[str, str]]:
    """The holdout campaign's context with default parameters, after every section ran, and its pages."""
    ctx = build_context(HOLDOUT)
    return ctx, _all(ctx)


def _html(ctx: ReportContext, section: str) -> str:
    """What a section puts on the page (markup, tables; charts as SVG)."""
    from playbook.reports import sections as report_sections

    parts = [bundle(obj) for obj in getattr(report_sections, section)(ctx)]
    return "\n".join(p.get("text/html") or p.get("image/svg+xml", "") for p in parts)


def _all(ctx: ReportContext) -> dict[str, str]:
    return {name: _html(ctx, name) for name in SECTIONS.values()}


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


# --------------------------------------------------------------------------- by hand, tiny dataset
def test_creator_table_by_hand(minimal_dataset):
    # CP001 (tests/conftest.py): contract CT0001, CR00001 on AC000001 (instagram, 52,000 followers), fee
    # 2,640 + product 45 + shipping 8.5 = creator cost 2,693.5. Posts PO0000001 (2,800 engagements, reach
    # 30,000) and PO0000003 (10,970, reach 90,000; AC000002 is CR00001's TikTok): 13,770 engagements.
    # ER by reach, pooled (reference 1.1): 13,770 / 120,000. CPE (Katha): 2,693.5 / 13,770. Order
    # OR000001 carries CR00001's code MIA15 (42.5): ROAS (Modash) = 42.5 / 2,693.5. 52,000 followers is
    # "mid" in hootsuite_imh (50K-500K).
    row = creator_table(build_context("CP001", minimal_dataset)).iloc[0]
    assert (row["creator_id"], row["platform"], str(row["tier"])) == ("CR00001", "instagram", "mid")
    assert row["creator_cost"] == pytest.approx(2_693.5)
    assert (row["posts"], row["engagements"], row["reach"]) == (2, 13_770, 120_000)
    assert row["er"] == pytest.approx(13_770 / 120_000)
    assert row["cpe"] == pytest.approx(2_693.5 / 13_770)
    assert (row["orders_code"], row["orders_link"], row["revenue"]) == (1, 0, 42.5)
    assert row["roas"] == pytest.approx(42.5 / 2_693.5)
    assert row["recommendation"] == "re-book"


def test_kpi_tree_by_hand(minimal_dataset):
    # CP001 is a consideration campaign: its tree is ER, CTR, CPE (industry-facts 7 item 14). Full cost =
    # fees 2,640 + product 45 + shipping 8.5 + agency 1,500 + amplification 3,000 + staff 60 h x 55 =
    # 10,493.5. Impressions 36,000 + 120,000 = 156,000; clicks 320 + 1,100 = 1,420.
    kpis = kpi_figures(build_context("CP001", minimal_dataset)).set_index("kpi")
    assert kpis.index[kpis["in_tree"]].tolist() == ["er", "ctr", "cpe"]
    assert kpis.loc["er", "value"] == pytest.approx(13_770 / 120_000)
    assert kpis.loc["er", "target"] == pytest.approx(0.04)  # the campaign's target is on reach
    assert kpis.loc["ctr", "value"] == pytest.approx(1_420 / 156_000)
    assert kpis.loc["cpe", "value"] == pytest.approx(10_493.5 / 13_770)
    assert kpis.loc["cpm", "value"] == pytest.approx(10_493.5 / 156_000 * 1000)
    assert kpis.loc["cpa", "value"] == pytest.approx(10_493.5 / 1)
    assert kpis.loc["roas", "value"] == pytest.approx(42.5 / 10_493.5)
    # EX001 starts on the first day of its geo rows: no pre-period, so iROAS is undefined and says why.
    assert math.isnan(kpis.loc["iroas", "value"]) and "pre-period" in kpis.loc["iroas", "reason"]


def test_undefined_kpis_are_null_in_the_json_with_their_reason(minimal_dataset):
    # CP002 (awareness) has one carousel: no video impressions, so the view rate is undefined.
    payload = headline(build_context("CP002", minimal_dataset))
    assert payload["kpi_tree"]["kpis"]["view_rate"]["value"] is None
    assert payload["undefined"]["kpi_tree.view_rate"] == "view rate: denominator is 0"
    assert payload["incrementality"] is None  # no holdout
    json.dumps(payload, allow_nan=False)


def test_funnel_by_hand(minimal_dataset):
    # CP001 outreach: OM0001 replied, negotiated, agreed; OM0002 no reply. CR00001 is contracted; DL0001 is
    # posted, invoiced and paid, DL0002 posted only: all posted yes, all invoiced no.
    stages = funnel_stages(build_context("CP001", minimal_dataset))
    assert stages["count"].tolist() == [2, 1, 1, 1, 1, 1, 0, 0]


def test_platform_cpm_uses_fees_by_hand(minimal_dataset):
    # CPM (fees) = 2,640 / 156,000 x 1,000 (reference 1.3: the published CPMs price the creator's fee).
    (row,) = group_table(build_context("CP001", minimal_dataset), "platform").itertuples()
    assert (row.platform, row.creators) == ("instagram", 1)
    assert row.cpm == pytest.approx(2_640 / 156_000 * 1000)


def test_er_basis_by_hand(minimal_dataset):
    # Followers basis: each post's account followers, once per post: 52,000 + 120,000 = 172,000.
    ctx = build_context("CP001", minimal_dataset, er_basis="followers")
    assert creator_table(ctx)["er"].iloc[0] == pytest.approx(13_770 / 172_000)
    tree = kpi_figures(ctx).set_index("kpi")
    assert tree.loc["er", "label"] == "ER by followers"
    assert math.isnan(tree.loc["er", "target"])  # the target is on reach: not compared


def test_tier_preset_by_hand(minimal_dataset):
    # 52,000 followers: mid in hootsuite_imh (50K-500K), micro in later_fohr_2021 (10K-100K).
    ctx = build_context("CP001", minimal_dataset, tier_preset="later_fohr_2021")
    assert str(creator_table(ctx)["tier"].iloc[0]) == "micro"


def test_sections_handle_a_campaign_without_creators(minimal_dataset):
    contracts = minimal_dataset / "contracts.csv"
    deliverables = minimal_dataset / "deliverables.csv"
    contracts.write_text(contracts.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    deliverables.write_text(deliverables.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    ctx = build_context("CP001", minimal_dataset)
    pages = _all(ctx)
    assert "No creator is contracted for this campaign." in pages["creator_scorecards"]
    assert "No deliverables are recorded for this campaign." in pages["timeline"]
    assert "fewer than two creators" in pages["what_worked"]


# --------------------------------------------------------------------------- sample data, against the library
@pytest.mark.parametrize("cid", [HOLDOUT, AWARENESS])
def test_kpi_tree_equals_the_library(tables, cid):
    kpis = kpi_figures(build_context(cid)).set_index("kpi")
    posts = tables["posts"][tables["posts"]["campaign_id"] == cid]
    cost = campaign_cost(tables, cid).total
    credited = campaign_attribution(tables, cid)
    video = posts[posts["format"].isin(VIDEO_FORMATS)]
    engagements = float(posts[list(INTERACTIONS_ALL)].to_numpy().sum())
    expected = {
        "reach": float(posts["reach"].sum()),
        "cpm": cpm(cost, float(posts["impressions"].sum())),
        "view_rate": video["views"].sum() / video["impressions"].sum(),
        "er": engagements / posts["reach"].sum(),
        "ctr": posts["link_clicks"].sum() / posts["impressions"].sum(),
        "cpe": cpe(cost, engagements),
        "cpa": cpa(cost, float(credited["orders"].sum())),
        "roas": roas(float(credited["revenue"].sum()), cost),
        "iroas": naive_vs_incremental(tables, cid)["iroas"].iloc[0],
    }
    for kpi, value in expected.items():
        assert _same(kpis.loc[kpi, "value"], float(value)), kpi
    objective = tables["campaigns"].set_index("campaign_id").loc[cid, "objective"]
    tree = {"conversion": ["cpa", "roas", "iroas"], "awareness": ["reach", "cpm", "view_rate"]}[objective]
    assert kpis.index[kpis["in_tree"]].tolist() == tree


def test_holdout_iroas_and_its_ci_come_from_the_geo_test(tables):
    payload = headline(build_context(HOLDOUT))
    direct = naive_vs_incremental(tables, HOLDOUT).iloc[0]
    assert payload["incrementality"]["experiment_id"] == "EX000001"
    for key in (
        "naive_roas",
        "iroas",
        "iroas_ci_low",
        "iroas_ci_high",
        "lift",
        "lift_ci_low",
        "lift_ci_high",
    ):
        assert payload["incrementality"][key] == pytest.approx(direct[key]), key
    assert payload["kpi_tree"]["kpis"]["iroas"]["value"] == pytest.approx(direct["iroas"])
    page = _html(build_context(HOLDOUT), "incrementality")
    assert "EX000001" in page and f"{direct['iroas_ci_low']:.2f} to {direct['iroas_ci_high']:.2f}" in page


def test_a_campaign_without_holdout_says_so(tables):
    page = _html(build_context(AWARENESS), "incrementality")
    assert "No holdout for this campaign" in page
    assert f"({naive_vs_incremental(tables, AWARENESS)['naive_roas'].iloc[0]:.2f})" in page
    tree = kpi_figures(build_context(AWARENESS)).set_index("kpi")
    assert math.isnan(tree.loc["iroas", "value"]) and "no holdout experiment" in tree.loc["iroas", "reason"]


@pytest.mark.parametrize("cid", [HOLDOUT, AWARENESS])
def test_creator_table_equals_the_library(tables, cid):
    ctx = build_context(cid)
    mine = creator_table(ctx).set_index("creator_id")
    credited = campaign_attribution(tables, cid).set_index("creator_id")
    assert mine["orders"].to_dict() == credited.loc[mine.index, "orders"].astype(float).to_dict()
    assert mine["revenue"].to_dict() == pytest.approx(credited.loc[mine.index, "revenue"].to_dict())
    posts = tables["posts"][tables["posts"]["campaign_id"] == cid]
    posts = posts.assign(
        creator_id=posts["account_id"].map(tables["accounts"].set_index("account_id")["creator_id"])
    )
    er = profile_engagement_rate(posts, tables["accounts"], ERBasis("reach", agg="total"), by="creator_id")
    assert mine["er"].to_dict() == pytest.approx(er.set_index("creator_id").loc[mine.index, "er"].to_dict())
    contracts = tables["contracts"][tables["contracts"]["campaign_id"] == cid]
    scoped = {
        **tables,
        "contracts": contracts,
        "deliverables": tables["deliverables"][
            tables["deliverables"]["contract_id"].isin(contracts["contract_id"])
        ],
    }
    health = relationship_health(scoped, as_of=as_of_date(tables)).set_index("creator_id")
    assert mine["recommendation"].to_dict() == health.loc[mine.index, "recommendation"].to_dict()
    assert mine["reasons"].to_dict() == health.loc[mine.index, "reasons"].to_dict()


def test_groups_add_up_to_the_creators():
    ctx = build_context(HOLDOUT)
    creators = creator_table(ctx)
    for by in ("tier", "platform"):
        groups = group_table(ctx, by)
        assert groups["creators"].sum() == len(creators)
        for column in ("creator_cost", "fee", "reach", "impressions", "engagements", "orders", "revenue"):
            assert groups[column].sum() == pytest.approx(creators[column].sum()), (by, column)
        assert groups["cpm"].tolist() == pytest.approx(
            (groups["fee"] / groups["impressions"] * 1000).tolist()
        )


def test_funnel_and_outreach_equal_the_library(tables):
    stages = funnel_stages(build_context(HOLDOUT)).set_index("stage")["count"]
    row = outreach_funnel(tables, by="campaign_id").set_index("campaign_id").loc[HOLDOUT]
    assert stages[["contacted", "replied", "negotiating", "agreed"]].tolist() == [
        row["sent"],
        row["replied"],
        row["negotiating"],
        row["agreed"],
    ]
    assert stages["contracted"] == (tables["contracts"]["campaign_id"] == HOLDOUT).sum()
    assert stages.is_monotonic_decreasing


def test_sections_show_the_library_tables(tables, holdout):
    ctx, pages = holdout
    for cause in late_reasons(tables, HOLDOUT).itertuples():
        assert f"{cause.late_with_cause} of {cause.late_posts}" in pages["timeline"]
    for r in reconcile(tables, HOLDOUT).itertuples():
        assert html.escape(r.note) in pages["attribution"]
    leaks = detect_leaked_codes(tables, HOLDOUT)
    for code in leaks.loc[leaks["suspected_leak"], "code"]:
        assert code in pages["attribution"]
    early = orders_before_start(tables, HOLDOUT)
    assert early == 9  # CP000007: orders its codes or links drew before 2025-05-14 (rule 4)
    assert f"(2025-05-14): {early} orders with its codes or links from earlier" in pages["attribution"]
    sponsored = tables["posts"][(tables["posts"]["campaign_id"] == HOLDOUT) & tables["posts"]["sponsored"]]
    share = compliance_summary(sponsored, by=None)["share_compliant"].iloc[0]
    assert f"{share:.1%} of {len(sponsored)} sponsored posts compliant" in pages["disclosure_compliance"]
    assert verdict(ctx).label in pages["executive_summary"]


def test_findings_are_computed_from_the_creators():
    ctx = build_context(HOLDOUT)
    creators = creator_table(ctx)
    text = "\n".join(findings(ctx))
    cheapest = creators.loc[creators["cpe"].idxmin(), "handle"]
    dearest = creators.loc[creators["cpe"].idxmax(), "handle"]
    best_roas = creators.loc[creators["roas"].idxmax(), "handle"]
    assert f"best @{cheapest} (" in text and f"worst @{dearest} (" in text and f"best @{best_roas} (" in text
    counts = creators["call"].value_counts()
    assert f"re-book {counts.get('re-book', 0)}, renegotiate {counts.get('renegotiate', 0)}" in text
    assert naive_vs_incremental(ctx.tables, HOLDOUT)["note"].iloc[0] in text  # the holdout's note


# ----------------------------------------------------------------- parameters change what they should
def test_er_basis_changes_every_er_shown(tables):
    ctx = build_context(HOLDOUT, er_basis="followers")
    pages = _all(ctx)
    for name, page in pages.items():  # ER by reach only where the campaign's target (set on reach) is
        assert page.count("ER by reach") == page.count("ER by reach (basis of the target)"), name
    for name in ("kpi_tree", "creator_scorecards", "tiers_and_platforms", "appendix"):
        assert "ER by followers" in pages[name], name
    assert "sum of (likes + comments + shares + saves) / sum of followers" in pages["appendix"]
    assert kpi_figures(ctx).set_index("kpi").loc["er", "value"] == pytest.approx(
        er_on_basis(tables, HOLDOUT, "followers")
    )
    posts = tables["posts"][tables["posts"]["campaign_id"] == HOLDOUT]
    followers = posts["account_id"].map(tables["accounts"].set_index("account_id")["followers"]).sum()
    assert er_on_basis(tables, HOLDOUT, "followers") == pytest.approx(
        posts[list(INTERACTIONS_ALL)].to_numpy().sum() / followers
    )
    assert headline(ctx)["parameters"]["er_basis"] == "followers"


def test_attribution_window_changes_the_attribution_figures():
    short, long = (
        build_context(HOLDOUT, attribution_window_days=1),
        build_context(HOLDOUT, attribution_window_days=90),
    )
    assert short.figures["attributed_orders"] < long.figures["attributed_orders"]
    assert creator_table(short)["orders_link"].sum() < creator_table(long)["orders_link"].sum()
    assert creator_table(short)["orders_code"].sum() == creator_table(long)["orders_code"].sum()  # codes win
    assert "Click window: 1 days (set for this report)" in _html(short, "attribution")
    assert "Click window: 30 days (the campaign&#x27;s own)" in _html(build_context(HOLDOUT), "attribution")
    assert (
        kpi_figures(short).set_index("kpi").loc["cpa", "value"]
        > kpi_figures(long).set_index("kpi").loc["cpa", "value"]
    )


def test_tier_preset_changes_the_tier_comparison(tables):
    default, other = build_context(HOLDOUT), build_context(HOLDOUT, tier_preset="hypeauditor_pre2021")
    followers = creator_table(default)["followers"]
    assert (
        creator_table(other)["tier"].astype(str).tolist()
        == assign_tier(followers, "hypeauditor_pre2021").astype(str).tolist()
    )
    assert (
        group_table(default, "tier")["tier"].astype(str).tolist()
        != group_table(other, "tier")["tier"].astype(str).tolist()
    )
    page = _html(other, "tiers_and_platforms")
    assert "By tier (hypeauditor_pre2021)" in page and "macro" in page
    assert "hypeauditor_pre2021" not in _html(default, "tiers_and_platforms")
    assert "Tiers (hypeauditor_pre2021)" in _html(other, "appendix")


# --------------------------------------------------------------------------- appendix
def test_appendix_cites_every_benchmark_the_report_used(holdout):
    ctx, pages = holdout
    assert len(ctx.cited) >= 10
    for bid in ctx.cited:
        b = benchmark(bid)
        assert bid in pages["appendix"], bid
        if b.source_url.startswith("http"):
            assert f'href="{b.source_url.replace("&", "&amp;")}"' in pages["appendix"], bid
    for used in (
        "attribution_window_days_modash",
        "holdout_share_influencers_time",
        "disclosure_full_compliance_imh_2020",
    ):
        assert used in ctx.cited
    # cpm_instagram_wordontheblock_2023 (instagram creators' CPM band) is published as 5 to 15 USD; its 10 is
    # our midpoint (registry notes), and the appendix says so
    assert "5 to 15 USD per 1,000 impressions (midpoint 10)</td>" in pages["appendix"]
    # a middle value we computed says so: er_followers_instagram_nano_untapper_2026 is 3% to 5%
    assert "3% to 5% (midpoint 4%)</td>" in pages["appendix"]
    for term in ("Full cost", "CPA", "ROAS", "iROAS", "ER by reach", "Call (re-book / renegotiate / drop)"):
        assert f"<td>{term}</td>" in pages["appendix"], term


# --------------------------------------------------------------------------- end to end, one batch
def _checksums(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Three objectives in one warm kernel (jobs=1), so the last campaign runs after two others."""
    out = tmp_path_factory.mktemp("batch")
    before = _checksums(SAMPLE_DIR)
    results = render_reports([HOLDOUT, CONSIDERATION, AWARENESS], SAMPLE_DIR, out, jobs=1)
    return out, results, before


def _as_json(figures: dict[str, float | str]) -> dict[str, object]:
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in figures.items()}


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
@pytest.mark.parametrize("cid", [HOLDOUT, CONSIDERATION, AWARENESS])
def test_every_section_renders_in_the_html(batch, tables, cid):
    page = (batch[0] / f"{cid}.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == list(SECTIONS)
    name = str(tables["campaigns"].set_index("campaign_id").loc[cid, "name"])
    assert f"<title>Campaign report: {name}</title>" in page
    assert page.count('src="data:image/svg+xml;base64,') == CHARTS
    assert "Verdict:" in page and "Benchmarks cited in this report" in page
    assert ("No holdout for this campaign" in page) == (cid != HOLDOUT)
    for code in ("build_context", "rs.show", "record_metrics", "campaign_id =", "import "):
        assert code not in page
    words = re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", page))
    assert "undefined" not in words.lower() and "usd_per" not in words  # human words and units only


@pytest.mark.slow
@pytest.mark.parametrize("cid", [HOLDOUT, CONSIDERATION, AWARENESS])
def test_json_figures_equal_the_library(batch, tables, cid):
    payload = json.loads((batch[0] / f"{cid}.metrics.json").read_text(encoding="utf-8"))
    figures = campaign_figures(tables, cid)
    assert payload["figures"] == _as_json(figures)
    assert payload["verdict"]["label"] == verdict(build_context(cid)).label
    assert payload["report"] == f"{cid}.html"
    cost = campaign_cost(tables, cid).total
    posts = tables["posts"][tables["posts"]["campaign_id"] == cid]
    engagements = float(posts[list(INTERACTIONS_ALL)].to_numpy().sum())
    video = posts[posts["format"].isin(VIDEO_FORMATS)]
    direct = {
        "reach": float(posts["reach"].sum()),
        "cpm": cpm(cost, float(posts["impressions"].sum())),
        "view_rate": float(video["views"].sum() / video["impressions"].sum()),
        "er": engagements / float(posts["reach"].sum()),
        "ctr": float(posts["link_clicks"].sum() / posts["impressions"].sum()),
        "cpe": cpe(cost, engagements),
        "cpa": cpa(cost, figures["attributed_orders"]),
        "roas": roas(figures["attributed_revenue"], cost),
        "iroas": float(naive_vs_incremental(tables, cid)["iroas"].iloc[0]),
    }
    kpis = payload["kpi_tree"]["kpis"]
    assert len(kpis) == 3 and payload["kpi_tree"]["objective"] == figures["objective"]
    for kpi, entry in kpis.items():
        assert entry["value"] == pytest.approx(direct[kpi]), kpi
    inc = naive_vs_incremental(tables, cid).iloc[0]
    if cid == HOLDOUT:
        assert payload["incrementality"]["iroas_ci_low"] == pytest.approx(inc["iroas_ci_low"])
        assert payload["incrementality"]["iroas_ci_high"] == pytest.approx(inc["iroas_ci_high"])
    else:
        assert payload["incrementality"] is None


@pytest.mark.slow
def test_index_links_every_report(batch):
    out = batch[0]
    index = (out / "index.html").read_text(encoding="utf-8")
    for cid in (HOLDOUT, CONSIDERATION, AWARENESS):
        assert f'<a href="{cid}.html">{cid}</a>' in index
    rows = (out / "index.csv").read_text(encoding="utf-8").splitlines()
    assert (
        rows[0].startswith("campaign_id,name,objective,currency,start,end,budget,full_cost")
        and len(rows) == 4
    )


@pytest.mark.slow
def test_a_report_alone_from_the_cache_equals_one_made_in_a_warm_kernel(batch, tmp_path, monkeypatch):
    def no_validation(*args, **kwargs):
        raise AssertionError("the runner validated data that is already in the cache")

    monkeypatch.setattr(
        playbook.data.loading, "load", no_validation
    )  # the batch left the sample in the cache
    alone = render_report(AWARENESS, SAMPLE_DIR, tmp_path)
    assert alone.ok, alone.error
    for suffix in (".html", ".metrics.json"):
        warm = (batch[0] / f"{AWARENESS}{suffix}").read_text(encoding="utf-8")
        fresh = (tmp_path / f"{AWARENESS}{suffix}").read_text(encoding="utf-8")
        assert TIMESTAMP.sub("T", warm) == TIMESTAMP.sub("T", fresh)


# ------------------------------------------------------------------ missing data (issue 10, report side)
COSTS = ["fee", "product_value", "shipping_cost"]
CAMPAIGN_COSTS = ["budget", "agency_fees", "paid_amplification", "staff_hours", "staff_hour_cost"]
TARGETS = ["target_reach", "target_engagement_rate", "target_clicks", "target_conversions", "target_roas"]


@pytest.fixture(scope="module")
def blanked(holdout) -> tuple[ReportContext, dict[str, str]]:
    """The holdout campaign with every cost, the budget, every target, the deliverables and the captions
    blanked (unknown, not zero), as an import from a tool that has none of them gives."""
    from dataclasses import replace

    ctx = holdout[0]
    t = {name: frame.copy() for name, frame in ctx.tables.items()}
    t["contracts"][COSTS] = math.nan
    t["campaigns"][CAMPAIGN_COSTS + TARGETS] = math.nan
    t["deliverables"] = t["deliverables"].iloc[0:0]
    t["posts"]["caption"] = None
    blank = replace(ctx, tables=t, figures=campaign_figures(t, HOLDOUT), memo={}, cited={}, defined={})
    return blank, _all(blank)


def test_a_report_without_costs_and_targets_says_what_is_missing(blanked):
    ctx, pages = blanked
    page = "\n".join(pages.values())
    v = verdict(ctx)
    assert v.label == "no targets set" and "on target" not in v.label
    summary = pages["executive_summary"]
    assert "Verdict: no targets set." in summary and "on target" not in summary
    for needed in (
        "contracts.fee",
        "campaigns.budget",
        "campaigns.target_reach",
        "deliverables.csv",
        "posts.caption",
    ):
        assert needed in summary, needed
    kpis = kpi_figures(ctx).set_index("kpi")
    assert kpis.loc[["cpm", "cpe", "cpa", "roas"], "value"].isna().all()  # never a cost of 0
    assert "0.00" not in pages["kpi_tree"]
    assert "went up on time" not in page  # no deliverables: no on-time statement
    assert "Not in the data: the captions of the sponsored posts" in pages["disclosure_compliance"]
    assert "compliant" not in pages["disclosure_compliance"]
    assert "undefined" not in page.lower()
