"""Module 13 apps: the plan, the shortlist, plan vs actual, the report headlines and the one-page playbook
builder, driven without a browser; worked examples on the hand-written minimal dataset.

Worked examples follow `playbook.analytics.metrics` (full cost, CPM / CPE / CPC / CPA: reference §1.3) and
`analytics.brand_fit` (Cloutaura weights, reference §1.8); outreach volume follows `planning.outreach_needed`
(Heepsy reply rate x Woodpecker follow-up uplift, agreed per reply measured in the outreach table).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pandas as pd
import pytest
from conftest import notebook_headings

from playbook.analytics.campaign_plan import MIN_FIT_ID
from playbook.course.apps import capstone as cap
from playbook.data.registry import benchmark
from playbook.reports.render import ReportResult

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "13_capstone.ipynb"
SECTIONS_13 = (
    "## The five jobs and six skills in one campaign",
    "## Step 1: the brief",
    "## Step 2: shortlist creators and size the outreach",
    "## Step 3: run it on the data",
    "## Step 4: the campaign report",
    "## Step 5: your one-page team playbook",
    "## Your decision",
    "## Key points",
    "## Self-check quiz",
)
# Minimal dataset, CP001 full cost = fee 2640 + product 45 + shipping 8.5 + amplification 3000 + agency 1500
# + staff 60 h x 55 = 10,493.5 USD (see tests/test_apps_measurement.py)
CP001_COST = 2640 + 45 + 8.5 + 3000 + 1500 + 60 * 55


# --------------------------------------------------------------------------- 1. the plan
def test_campaign_plan_is_checked():
    with pytest.raises(ValueError, match="objective must be one of"):
        cap.CampaignPlan("BR001", "fame", 1000)
    with pytest.raises(ValueError, match="at least one platform"):
        cap.CampaignPlan("BR001", "awareness", 1000, ())


def test_plan_budget_adds_up():
    allocation, expected = cap.plan_budget(
        cap.CampaignPlan("BR001", "awareness", 20_000, ("instagram", "tiktok"))
    )
    assert allocation["amount"].sum() == pytest.approx(20_000)
    assert set(allocation["platform"]) == {"instagram", "tiktok"}
    # typical impressions = sum over cells of amount / typical CPM x 1000; typical CPM = budget / that x 1000
    impressions = (allocation["amount"] / allocation["cpm_typical"] * 1000).sum()
    assert expected.loc["impressions", "typical"] == pytest.approx(impressions)
    assert expected.loc["cpm", "typical"] == pytest.approx(20_000 / impressions * 1000)


def test_plan_app_says_which_cells_could_not_book_a_creator(sample):
    # 20,000 USD for awareness: the policy's mega shares are below one mega creator's fee (see
    # test_planning.test_the_capstone_awareness_plan_is_feasible); the summary names them
    app = cap.PlanApp(sample, "BR00000", "awareness")
    a = app.allocation
    assert (a.loc[a["amount"] > 0, "amount"] >= a.loc[a["amount"] > 0, "min_creator_fee"]).all()
    assert a.loc[a["tier"] == "mega", "amount"].sum() == 0
    assert "instagram mega" in app.summary.value and "could not book" in app.summary.value


def test_plan_app_follows_its_controls(sample):
    app = cap.PlanApp(sample, "BR00000", "conversion")
    assert app.plan == cap.CampaignPlan("BR00000", "conversion", cap.DEFAULT_BUDGET)
    assert "conversions" in app.summary.value and len(app.out.outputs) == 3  # chart, cells, results
    tables = "".join(o["data"]["text/html"] for o in app.out.outputs[1:])
    assert "e+0" not in tables and "creators_affordable" in tables  # readable numbers, no 1.7e+06
    app.objective.value = "consideration"
    assert app.plan.objective == "consideration" and "engagements" in app.summary.value
    app.budget.value = 5_000
    assert app.allocation["amount"].sum() == pytest.approx(5_000)
    app.platforms.value = ()
    assert "at least one platform" in app.summary.value and app.plan.budget == 5_000  # last valid plan kept
    app.platforms.value = ("youtube",)
    assert set(app.allocation["platform"]) == {"youtube"}
    chart_rows = next(iter(app.chart.to_dict()["datasets"].values()))
    assert len(chart_rows) == len(app.allocation) <= 5000


def test_rising_topics(sample):
    topics = cap.rising_topics(sample, top=3)
    assert len(topics) == 3 and topics["first_detected"].is_monotonic_increasing
    assert list(topics.columns) == ["topic", "platform", "first_detected", "growth_per_day"]


# --------------------------------------------------------------------------- 2. the shortlist
def _quality(rows: list[tuple[str, str, str, int, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["account_id", "creator_id", "platform", "followers", "score"])
    return frame.assign(red_flags=["flag of " + a for a in frame["account_id"]]).set_index("account_id")


def test_shortlist_hand_made(minimal_once):
    quality = _quality(
        [
            ("AC000001", "CR00001", "instagram", 52_000, 90.0),
            ("AC000002", "CR00001", "tiktok", 120_000, 70.0),
            ("AC000003", "CR00002", "youtube", 310_000, 100.0),
            ("AC000004", "CR00003", "instagram", 18_000, 95.0),
        ]
    )
    everything = cap.CampaignPlan("BR001", "consideration", 5_000, ("instagram", "tiktok", "youtube"))
    out = cap.shortlist(minimal_once, everything, min_quality=0, min_fit=0, quality=quality).set_index(
        "creator_id"
    )
    # fit to BR001 (beauty, US), Cloutaura weights topic 0.2, brand safety 0.1, competitor 0.1 (age and
    # location not scored for CR00002/3): CR00001 beauty topics, 60% US audience -> 100;
    # CR00003: (0.2 x 0 + 0.1 + 0.1) / 0.4 = 50; CR00002 has a profanity flag: (0 + 0 + 0.1) / 0.4 = 25
    assert out.index.tolist() == ["CR00001", "CR00003", "CR00002"]
    assert out["fit"].tolist() == pytest.approx([100.0, 50.0, 25.0])
    # the worst account counts: CR00001's TikTok (70) over its Instagram (90); tier from the largest account
    assert out.loc["CR00001", "quality"] == 70.0 and out.loc["CR00001", "quality_flags"] == "flag of AC000002"
    assert out.loc["CR00001", "followers"] == 172_000 and out.loc["CR00001", "tier"] == "mid"
    instagram = cap.CampaignPlan("BR001", "consideration", 5_000, ("instagram",))
    ig = cap.shortlist(minimal_once, instagram, min_quality=80, min_fit=0, quality=quality).set_index(
        "creator_id"
    )
    assert ig.index.tolist() == ["CR00001", "CR00003"] and ig.loc["CR00001", "quality"] == 90.0
    floors = cap.shortlist(minimal_once, everything, min_quality=75, quality=quality)
    # default fit floor: the low end of Cloutaura's "good" band; only CR00001 clears it, but its quality is 70
    assert floors.empty and floors.attrs["min_fit"] == benchmark(MIN_FIT_ID).low


def test_shortlist_app_on_the_sample(sample):
    plan = cap.CampaignPlan("BR00000", "conversion", 20_000)
    app = cap.ShortlistApp(sample, plan)
    q, f = app.min_quality.value, app.min_fit.value
    expected = app.candidates[(app.candidates["quality"] >= q) & (app.candidates["fit"] >= f)]
    assert len(app.result) == len(expected) and (app.result["fit"] >= f).all()
    app.min_fit.value = 40
    assert len(app.result) == int(((app.candidates["quality"] >= q) & (app.candidates["fit"] >= 40)).sum())
    # messages = ceil(target / (min(1, Heepsy reply rate x Woodpecker uplift) x agreed / replied))
    o = sample["outreach"]
    agreed_per_reply = o["agreed_at"].notna().sum() / o["replied_at"].notna().sum()
    reply = min(
        1.0, benchmark("reply_rate_creator_heepsy").value * benchmark("followup_uplift_woodpecker").value
    )
    app.target.value = 12
    assert app.outreach["messages_to_send"] == math.ceil(12 / (reply * agreed_per_reply) - 1e-9)
    assert f"about {app.outreach['messages_to_send']} messages" in app.summary.value
    for slider in app.weights.values():
        slider.value = 0
    assert "at least one fit component" in app.summary.value


# --------------------------------------------------------------------------- 3. plan vs actual
def test_closest_campaign_rules(minimal_once):
    # CP001: BR001 consideration, budget 20,000; CP002: BR003 awareness, budget 8,000.5
    assert cap.closest_campaign(minimal_once, cap.CampaignPlan("BR001", "consideration", 1)) == (
        "CP001",
        "same brand and objective",
    )
    assert cap.closest_campaign(minimal_once, cap.CampaignPlan("BR002", "awareness", 1)) == (
        "CP002",
        "same objective, another brand",
    )
    assert cap.closest_campaign(minimal_once, cap.CampaignPlan("BR003", "conversion", 1)) == (
        "CP002",
        "same brand, another objective",
    )
    # no brand or objective in common: |ln(1 + 9,000) - ln(1 + 8,000.5)| < |ln(1 + 9,000) - ln(1 + 20,000)|
    assert cap.closest_campaign(minimal_once, cap.CampaignPlan("BR002", "conversion", 9_000)) == (
        "CP002",
        "closest budget",
    )


def _expected(**bands: tuple[float, float, float]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(bands, orient="index", columns=["low", "typical", "high"])


def test_plan_vs_actual_worked_example(minimal_once):
    expected = _expected(cpm=(10, 50, 100), cpe=(1, 2, 3), cpc=(1, 2, 3), cpa=(100, 500, 1000))
    out = cap.plan_vs_actual(minimal_once, expected, "CP001").set_index("kpi")
    # impressions 36,000 + 120,000 = 156,000 -> CPM = 10,493.5 x 1000 / 156,000 = 67.27 (inside 10-100)
    assert out.loc["CPM", "actual"] == pytest.approx(CP001_COST * 1000 / 156_000)
    assert out.loc["CPM", "verdict"] == "inside the plan"
    # engagements 2,800 + 10,970 = 13,770 -> CPE = 0.762, below the plan's low of 1
    assert out.loc["CPE", "actual"] == pytest.approx(CP001_COST / 13_770)
    assert out.loc["CPE", "verdict"] == "better than plan"
    # clicks 320 + 1,100 = 1,420 -> CPC = 7.39 > 3; one attributed order -> CPA = 10,493.5 > 1,000
    assert out.loc["CPC", "actual"] == pytest.approx(CP001_COST / 1_420) and out.loc["CPC", "verdict"] == (
        "worse than plan"
    )
    assert (
        out.loc["CPA", "actual"] == pytest.approx(CP001_COST)
        and out.loc["CPA", "verdict"] == "worse than plan"
    )
    assert out.attrs == {"campaign_id": "CP001", "plan_currency": "USD", "actual_currency": "USD"}
    chart = cap.comparison_chart(cap.plan_vs_actual(minimal_once, expected, "CP002")).to_dict()
    assert "plan in USD, campaign in EUR" in json.dumps(chart)


def test_plan_vs_actual_without_posts_is_undefined(minimal_once):
    posts = minimal_once["posts"]
    tables = dict(minimal_once, posts=posts[posts["campaign_id"] != "CP002"])
    expected = _expected(cpm=(1, 2, 3), cpe=(1, 2, 3), cpc=(1, 2, 3), cpa=(1, 2, 3))
    out = cap.plan_vs_actual(tables, expected, "CP002").set_index("kpi")
    assert math.isnan(out.loc["CPM", "actual"]) and out.loc["CPM", "verdict"] == "undefined"
    assert out.loc["CPM", "reason"] == "CPM: denominator is 0"


# --------------------------------------------------------------------------- 4. the report
def test_report_headlines():
    ok = ReportResult(
        "CP1",
        True,
        Path("/tmp/CP1.html"),
        Path("/tmp/CP1.metrics.json"),
        {
            "figures": {"name": "Spring", "roas": 1.5, "cost": 12345.6, "er": 0.0998765},
            "verdict": {"label": "on target", "text": "2 of 2"},
        },
    )
    rows = cap.report_headlines(ok).set_index("figure")["value"]
    assert rows["name"] == "Spring" and rows["roas"] == "1.50" and rows["cost"] == "12,345.60"
    assert rows["er"] == "0.09988" and rows["verdict"] == "on target: 2 of 2"
    assert rows["report file"] == "/tmp/CP1.html"
    failed = cap.report_headlines(ReportResult("CP1", False, error="section 'ROI' failed: ZeroDivisionError"))
    assert failed.to_dict("records") == [
        {"figure": "error", "value": "section 'ROI' failed: ZeroDivisionError"}
    ]


# --------------------------------------------------------------------------- 5. the playbook
def _accountable_everywhere() -> dict[str, str]:
    return dict.fromkeys(cap.ACTIVITIES, "analyst")


def test_render_playbook_escapes_learner_text():
    choices = cap.PlaybookChoices(
        team_name="Glow <Team>",
        goals="<script>alert(1)</script> grow & sell\nline two",
        paid_and_pr="*boost* [best](http://x) # not a heading | pipe `code`",
        accountable=_accountable_everywhere(),
    )
    page = cap.render_playbook(choices, {"Budget <b>": "1 & 2"})
    assert (
        "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; grow &amp; sell<br>line two" in page
    )
    assert (
        "<title>Glow &lt;Team&gt;</title>" in page and "<th>Budget &lt;b&gt;</th><td>1 &amp; 2</td>" in page
    )
    md = cap.render_playbook(choices, {}, "markdown")
    assert "&lt;script&gt;" in md and "<script>" not in md
    assert r"\*boost\* \[best\](http://x) \# not a heading \| pipe \`code\`" in md
    assert "grow &amp; sell  \nline two" in md
    with pytest.raises(ValueError, match="fmt must be"):
        cap.render_playbook(choices, {}, "pdf")


def test_playbook_warnings_use_the_registry():
    holdout_days = benchmark("holdout_min_days_influencers_time").low
    asked = benchmark("creator_payment_terms_net_days").high
    share = benchmark("holdout_share_influencers_time")
    fine = cap.PlaybookChoices(
        accountable=_accountable_everywhere(),
        holdout_plan="geo holdout",
        holdout_share=share.value,
        holdout_days=int(holdout_days),
        payment_days=int(asked),
        approval_days=1,
        new_messages_per_day=1,
    )
    assert cap.playbook_warnings(fine) == []
    short = cap.PlaybookChoices(
        accountable={},
        holdout_plan="geo holdout",
        holdout_share=share.high + 0.1,
        holdout_days=int(holdout_days) - 1,
        payment_days=int(asked) + 1,
    )
    text = " ".join(cap.playbook_warnings(short))
    assert f"runs {int(holdout_days) - 1} days" in text and "outside" in text
    assert "later than creators ask" in text and "Nobody is accountable for: strategy and budget" in text
    no_holdout = cap.PlaybookChoices(accountable=_accountable_everywhere(), holdout_days=0, payment_days=0)
    assert cap.playbook_warnings(no_holdout) == []  # holdout rules only apply when there is a holdout


def test_builder_builds_what_was_chosen(tmp_path):
    builder = cap.PlaybookBuilder({"Budget": "20,000 USD"}, objective="awareness", trends=["#glassskin"])
    assert builder.kpis.value == ("reach", "CPM", "view rate")
    builder.team_name.value = "Nook team"
    builder.goals.value = "Grow repeat purchases <fast>"
    builder.holdout_plan.value = "audience holdout"
    builder.trend_to_test.value = "#glassskin"
    builder.accountable["payment"].value = ""
    builder.build_button.click()
    page = builder.document_html
    assert "Nook team: team playbook" in page and "Grow repeat purchases &lt;fast&gt;" in page
    assert "audience holdout" in page and "#glassskin" in page and "<td>20,000 USD</td>" in page
    assert "Nobody is accountable for: payment" in " ".join(builder.warnings)
    assert "Grow repeat purchases &lt;fast&gt;" in builder.preview.value
    builder.path.value = str(tmp_path / "out" / "playbook.md")
    builder.save_button.click()
    saved = tmp_path / "out" / "playbook.md"
    assert (
        saved.read_text(encoding="utf-8") == builder.document_markdown and "Saved to" in builder.status.value
    )
    builder.path.value = str(tmp_path / "playbook.pdf")
    builder.save_button.click()
    assert "Not saved" in builder.status.value and not (tmp_path / "playbook.pdf").exists()


def test_builder_defaults_come_from_the_registry():
    builder = cap.PlaybookBuilder()
    assert builder.window.value == benchmark("attribution_window_days_modash").value
    assert builder.holdout_days.value == benchmark("holdout_min_days_influencers_time").value
    assert builder.new_per_day.value == benchmark("outreach_new_per_day_influencerhero").value
    assert builder.min_fit.value == benchmark(MIN_FIT_ID).low
    # the usual Net 30 is later than creators ask: the default playbook says so
    assert len(builder.warnings) == 1 and "later than creators ask" in builder.warnings[0]


def test_save_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "playbook.html"
    cap.save_text_atomically(target, "old")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        cap.save_text_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["playbook.html"]  # no temporary file left behind


# --------------------------------------------------------------------------- notebook
def test_notebook_structure():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    meta = nb["metadata"]["playbook"]
    assert meta["order"] == 13 and 3 <= len(meta["objectives"]) <= 5 and 4 <= len(meta["key_points"]) <= 6
    headings = notebook_headings(nb)
    assert set(SECTIONS_13) <= headings
    code = "".join("".join(cell["source"]) for cell in nb["cells"] if cell["cell_type"] == "code")
    assert code.count("render_report(") == 1  # exactly one report per run
    assert 'module_header("13_capstone")' in code and "PlaybookBuilder(" in code and "quiz(" in code
