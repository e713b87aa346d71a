"""The report's figures as plain data (`playbook.reports.figures`) by hand on the minimal dataset, the index
and its CSV, and the report's formats."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd
import pytest

from playbook.analytics.attribution import campaign_attribution
from playbook.analytics.metrics import INTERACTIONS_ALL
from playbook.reports import figures as rf
from playbook.reports.html import csv_text, fmt, index_html, is_number_text
from playbook.reports.render import ReportResult, _index_rows


def _posts(tables: dict[str, pd.DataFrame], cid: str) -> pd.DataFrame:
    posts = tables["posts"][tables["posts"]["campaign_id"] == cid]
    creator = posts["account_id"].map(tables["accounts"].set_index("account_id")["creator_id"])
    handles = tables["creators"].set_index("creator_id")["handle"]
    return posts.assign(handle=creator.map(handles), engagements=posts[list(INTERACTIONS_ALL)].sum(axis=1))


def test_money_figures_by_hand(minimal_tables):
    # CP001 credits OR000001 (code MIA15: 42.50, margin 25, new customer); SPRING10 is site-wide: nobody.
    # profit = 25 - 1,000 = -975; margin ROI = -975 / 1,000 = -97.5%; AOV = 42.50 / 1; new share = 1 / 1.
    m = rf.money_figures(campaign_attribution(minimal_tables, "CP001"), 1_000.0)
    assert (m["orders"], m["revenue"], m["margin"], m["profit"]) == (1.0, 42.5, 25.0, -975.0)
    assert m["margin_roi"] == pytest.approx(-0.975)
    assert (m["aov"], m["new_customer_share"]) == (42.5, 1.0)
    none = rf.money_figures(campaign_attribution(minimal_tables, "CP001").iloc[0:0], 1_000.0)
    assert math.isnan(none["aov"]) and math.isnan(none["new_customer_share"])


def test_post_ranking_by_hand(minimal_tables):
    # PO0000003: 9,100 + 420 + 800 + 650 = 10,970 engagements; PO0000001: 2,400 + 130 + 60 + 210 = 2,800.
    top, bottom = rf.post_ranking(_posts(minimal_tables, "CP001"), n=1)
    assert list(top["post_id"]) == ["PO0000003"] and list(top["engagements"]) == [10_970.0]
    assert list(bottom["post_id"]) == ["PO0000001"]
    assert top["caption"].iloc[0] == "#ad glow in 30 seconds"
    long = _posts(minimal_tables, "CP001").assign(caption="x" * 200)
    assert len(rf.post_ranking(long)[0]["caption"].iloc[0]) == rf.CAPTION_EXCERPT
    assert isinstance(rf.post_ranking(long.iloc[0:0]), rf.Missing)


def test_daily_performance_is_cumulative(minimal_tables):
    # posts on 03-05 (41,000 views) and 03-10 (150,000); the credited order on 03-06.
    daily = rf.daily_performance(minimal_tables, "CP001", _posts(minimal_tables, "CP001")).set_index("date")
    assert daily.loc["2024-03-05", "views"] == 41_000 and daily.loc["2024-03-09", "views"] == 41_000
    assert daily.loc["2024-03-10", "views"] == 191_000
    assert daily.loc["2024-03-05", "orders"] == 0 and daily.loc["2024-03-06", "orders"] == 1
    assert daily["engagements"].is_monotonic_increasing


def test_comment_quality_and_audience_by_hand(minimal_tables):
    kinds = rf.comment_quality(minimal_tables["comments"], pd.Series(["PO0000001", "PO0000003"]))
    assert kinds.set_index("kind")["share"].to_dict() == pytest.approx(
        {"specific": 1 / 3, "generic": 1 / 3, "emoji": 1 / 3}
    )
    assert isinstance(rf.comment_quality(minimal_tables["comments"], pd.Series(["none"])), rf.Missing)
    # Only AC000001 (reach 30,000 on PO0000001) has audience data: US 60%, 18-24 70%; AC000002 has none.
    found = rf.audience_vs_target(minimal_tables["audience"], _posts(minimal_tables, "CP001"), "US", "18-24")
    found = found.set_index("dimension")
    assert found.loc["country", "share"] == pytest.approx(0.6)
    assert found.loc["age", "share"] == pytest.approx(0.7)
    assert (found.loc["country", "accounts"], found.loc["country", "accounts_total"]) == (1.0, 2.0)
    # credibility: (30,000 x 0.86 + 90,000 x 0.80) / 120,000 = 0.815
    cred = rf.audience_credibility(minimal_tables["accounts"], _posts(minimal_tables, "CP001"))
    assert cred == pytest.approx(0.815)
    missing = rf.audience_vs_target(minimal_tables["audience"], _posts(minimal_tables, "CP001"), None, "")
    assert "campaigns.target_country" in missing.sentence()


def test_emv_is_an_index_and_paid_split_is_missing(minimal_tables):
    found = rf.emv_index(_posts(minimal_tables, "CP001"))
    assert found["share"].sum() == pytest.approx(1.0)
    row = found.set_index("platform").loc["instagram"]
    assert row["emv"] == pytest.approx(36_000 / 1000 * row["cpm"])  # impressions / 1,000 x CPM
    missing = rf.paid_vs_organic(_posts(minimal_tables, "CP001"), 3_000.0)
    assert "paid_impressions" in missing.sentence() and "3,000" in missing.sentence()


def _result(cid: str, name: str, currency: str, cost: float, orders: float, tone: str) -> ReportResult:
    figures = {
        "name": name,
        "objective": "conversion",
        "currency": currency,
        "start": "2025-01-01",
        "end": "2025-01-31",
        "budget": 1_000.0,
        "full_cost": cost,
        "attributed_orders": orders,
        "reach": 10.0,
        "er_by_reach": 0.1,
        "roas": 0.5,
    }
    metrics = {"figures": figures, "verdict": {"label": "off target", "tone": tone}}
    return ReportResult(cid, True, Path(f"{cid}.html"), Path(f"{cid}.json"), metrics)


def test_index_groups_by_currency_and_a_carriage_return_stays_in_its_row():
    results = [
        _result("CP1", "Spring\rsale", "USD", 900.0, 30.0, "bad"),
        _result("CP2", "Autumn", "EUR", 400.0, 0.0, "good"),
        _result("CP3", "Winter", "USD", 300.0, 10.0, "warn"),
    ]
    shown, raw = _index_rows(results)
    rows = list(csv.DictReader(io.StringIO(csv_text(raw), newline="")))
    assert [r["campaign_id"] for r in rows] == ["CP1", "CP2", "CP3"]
    assert rows[0]["name"] == "Spring\rsale"
    assert rows[0]["cpa"] == "30.0" and rows[1]["cpa"] == ""  # 900 / 30; 400 / 0 orders is undefined
    page = index_html(shown, "Campaign reports", "")
    assert page.index("Amounts in EUR") < page.index("Amounts in USD")
    assert "never added up" in page
    usd_total = next(r["totals"] for r in shown if r.get("totals") and r["group"] == "Amounts in USD")
    assert usd_total["full cost"] == "1,200"  # 900 + 300, USD only
    assert '<span class="tone bad">off target</span>' in page


def test_human_formats():
    assert fmt(-3.0, "lateness") == "3 days early" and fmt(1.0, "lateness") == "1 day late"
    assert fmt(0.0, "lateness") == "on the day" and fmt(2.5, "lateness") == "2.5 days late"
    assert fmt(math.nan, "rate") == "n/a" and fmt(0.04534, "rate") == "4.5%"
    assert fmt(122.0, "count") == "122"
    assert all(is_number_text(t) for t in ("1,234", "-4.5%", "0.79", "n/a", "3 days early"))
    assert not any(is_number_text(t) for t in ("@mia", "2025-01-01 to 2025-01-31", "reel"))


def test_earlier_campaigns_of_the_brand(minimal_tables):
    # A second BR001 campaign starting after CP001: CP001 is its earlier campaign; CP001 has none.
    later = (
        minimal_tables["campaigns"]
        .iloc[[0]]
        .assign(campaign_id="CP003", name="Summer glow", start_date=pd.Timestamp("2024-06-01"))
    )
    tables = {
        **minimal_tables,
        "campaigns": pd.concat([minimal_tables["campaigns"], later], ignore_index=True),
    }
    found = rf.earlier_campaigns(tables, "CP003")
    assert list(found["campaign_id"]) == ["CP001", "CP003"]
    cp001 = found.set_index("campaign_id").loc["CP001"]
    assert cp001["cpa"] == pytest.approx(cp001["full_cost"] / cp001["attributed_orders"])
    assert isinstance(rf.earlier_campaigns(tables, "CP001"), rf.Missing)


# ------------------------------------------------------------- figures the sections used to compute
def test_stage_status_counts_and_median_lateness_by_hand():
    plan = pd.DataFrame(
        {
            "stage": ["draft", "draft", "posted", "posted", "posted"],
            "status": ["on_time", "late", "late", "late", "open"],
            "days_late": [0.0, 2.0, 3.0, 5.0, math.nan],
        }
    )
    found = rf.stage_status(plan).set_index("stage")
    assert found.loc["draft", ["on_time", "late", "overdue", "open", "done"]].tolist() == [1, 1, 0, 0, 0]
    assert found.loc["posted", ["on_time", "late", "open"]].tolist() == [0, 2, 1]
    # medians: draft (0 + 2) / 2 = 1; posted: 3 and 5 (the open one has no lateness) -> 4
    assert found["median_days_late"].tolist() == [1.0, 4.0]


def test_gantt_rows_run_from_production_to_posting():
    day = pd.Timestamp
    plan = pd.DataFrame(
        {
            "deliverable_id": ["D1", "D1", "D1", "D2", "D2"],
            "creator_id": ["CR1"] * 5,
            "format": ["reel", "reel", "reel", "story", "story"],
            "stage": ["shipped", "draft", "posted", "draft", "posted"],
            "planned_date": [
                day("2024-03-01"),
                day("2024-03-05"),
                day("2024-03-10"),
                day("2024-03-06"),
                day("2024-03-11"),
            ],
            "actual_date": [day("2024-03-02"), pd.NaT, day("2024-03-12"), day("2024-03-06"), pd.NaT],
        }
    )
    creators = pd.DataFrame({"creator_id": ["CR1"], "handle": ["mia"]})
    rows = rf.gantt_rows(plan, creators)
    assert rows["item"].tolist() == ["@mia · reel #1", "@mia · story #2"]  # n-th deliverable of the creator
    # D1 starts at shipping (Mar 1 planned, Mar 2 actual), before its draft; D2 has no shipping
    assert rows["planned_start"].tolist() == [day("2024-03-01"), day("2024-03-06")]
    assert rows["actual_start"].tolist() == [day("2024-03-02"), day("2024-03-06")]
    assert rows["planned_end"].tolist() == [day("2024-03-10"), day("2024-03-11")]
    assert rows["actual_end"].iloc[0] == day("2024-03-12") and pd.isna(rows["actual_end"].iloc[1])


def test_typical_late_cause_is_the_largest_excess_over_on_time_posts():
    causes = pd.DataFrame(
        {
            "cause": ["no_recorded_cause", "late_product", "revisions"],
            "late_posts": [4, 4, 4],
            "share_of_late": [0.25, 0.75, 0.5],
            "share_of_on_time": [0.5, 0.1, math.nan],
        }
    )
    # late_product: 0.75 - 0.1 = 0.65; revisions: 0.5 - 0 (unknown on-time share) = 0.5; no cause is left out
    top = rf.typical_late_cause(causes)
    assert (top["cause"], int(top["late_posts"]), top["share_of_late"]) == ("late_product", 4, 0.75)
    assert rf.typical_late_cause(causes.assign(late_posts=0)) is None
    assert rf.typical_late_cause(causes.iloc[0:0]) is None


def test_best_and_worst_skip_undefined_and_need_two():
    frame = pd.DataFrame({"handle": ["a", "b", "c", "d"], "cpe": [2.0, math.nan, 1.0, 3.0]})
    best, worst = rf.best_and_worst(frame, "cpe", ascending=True)  # lower CPE is better
    assert (best["handle"], worst["handle"]) == ("c", "d")
    best, worst = rf.best_and_worst(frame, "cpe", ascending=False)
    assert (best["handle"], worst["handle"]) == ("d", "c")
    assert rf.best_and_worst(frame.iloc[:2], "cpe", ascending=True) is None  # one defined value


def test_cpm_positions_against_the_published_band():
    from playbook.analytics.planning import cpm_band

    (low, _, high), ids = cpm_band("instagram")
    cpms = [low - 1, (low + high) / 2, high + 1, math.nan]
    platforms = pd.DataFrame({"platform": ["instagram"] * 4 + ["mastodon"], "cpm": [*cpms, 5.0]})
    found = rf.cpm_positions(platforms, "USD")
    assert found["position"].tolist() == ["below", "within", "above", "undefined", "no band"]
    assert found["ids"].iloc[0] == tuple(ids) and found["ids"].iloc[4] == ()
    # the band is in USD: a EUR campaign is not compared (the data has no exchange rates)
    assert set(rf.cpm_positions(platforms.iloc[:4], "EUR")["position"]) == {"other currency"}


def test_holdout_designs_by_hand():
    results = pd.DataFrame({"experiment_id": ["EX2", "EX1"], "note": ["second", "first"]})
    experiments = pd.DataFrame(
        {
            "experiment_id": ["EX1", "EX2"],
            "holdout_share": [0.25, 0.2],
            "n_geos": [12, 10],
            "start_date": pd.to_datetime(["2024-03-01", "2024-04-01"]),
            "end_date": pd.to_datetime(["2024-03-28", "2024-04-14"]),
        }
    )
    found = rf.holdout_designs(results, experiments)
    # EX2: 10 x 0.2 = 2 control geos, Apr 1 to Apr 14 = 14 days; EX1: 12 x 0.25 = 3, Mar 1 to Mar 28 = 28 days
    assert found[["experiment_id", "n_geos", "control_geos", "test_days", "note"]].values.tolist() == [
        ["EX2", 10, 2, 14, "second"],
        ["EX1", 12, 3, 28, "first"],
    ]


def test_disclosure_check_reads_captioned_sponsored_posts(minimal_tables):
    posts = _posts(minimal_tables, "CP001")
    assert isinstance(rf.disclosure_check(posts.assign(caption="  ")), rf.Missing)
    captions = ["#ad Loving this serum", "Great serum, go get it"] + [""] * (len(posts) - 2)
    shares, problems = rf.disclosure_check(posts.assign(sponsored=True, caption=captions))
    # the post without a caption is left out: 2 sponsored posts checked, one labelled #ad up front
    assert (shares["sponsored_posts"], shares["share_compliant"]) == (2, 0.5)
    assert (
        problems["post_id"].tolist() == [posts["post_id"].iloc[1]]
        and problems["status"].iloc[0] != "compliant"
    )
