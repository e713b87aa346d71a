"""The one KPI specification (`analytics.kpis`) and the headline figures built on it (`campaign_figures`).

Worked examples use the hand-written minimal dataset of `tests/conftest.py` with the arithmetic next to each
expected value: CP001 (consideration, USD, 7-day window), CP002 (awareness, EUR, 30-day window).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics import kpis
from playbook.analytics.incrementality import naive_vs_incremental
from playbook.analytics.summary import campaign_figures

# Full costs (metrics.campaign_cost = fees + product + shipping + agency + paid amplification + staff):
# CP001: 2640 + 45 + 8.5 + 1500 + 3000 + 60 h x 55 = 10,493.5 USD
# CP002: 180 + 60 + 12 + 500 + 0 + 25.5 h x 48 = 1,976 EUR
COST_CP001, COST_CP002 = 10_493.5, 1_976.0


@pytest.fixture(scope="module")
def minimal_kpis(minimal_once: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return kpis.campaign_kpis(minimal_once).set_index("campaign_id")


def _kpi(frame: pd.DataFrame, key: str) -> pd.Series:
    return frame.set_index("kpi").loc[key]


# --------------------------------------------------------------------------- the specification
def test_kpi_tree_follows_the_reference() -> None:
    # industry-facts section 7 item 14: awareness reach/CPM/view rate; consideration ER/CTR/CPE;
    # conversion CPA/ROAS/iROAS
    tree = kpis.kpi_tree()
    assert tree.groupby("objective")["kpi"].apply(list).to_dict() == {
        "awareness": ["Reach", "CPM", "View rate"],
        "consideration": ["ER by reach", "CTR", "CPE"],
        "conversion": ["CPA", "ROAS", "iROAS"],
    }
    assert set(tree["key"]) <= set(kpis.KPIS)


def test_every_campaign_target_belongs_to_one_kpi() -> None:
    targets = {k.target: k.key for k in kpis.KPIS.values() if k.target}
    assert targets == {
        "target_reach": "reach",
        "target_engagement_rate": "er_by_reach",
        "target_clicks": "link_clicks",
        "target_conversions": "attributed_orders",
        "target_roas": "roas",
    }


def test_capstone_labels_name_the_tree_kpis() -> None:
    for objective, labels in kpis.OBJECTIVE_KPIS.items():
        assert [x.lower() for x in labels] == [k.label.lower() for k in kpis.KPI_TREE[objective]]


# --------------------------------------------------------------------------- campaign_kpis (all campaigns)
def test_campaign_kpis_by_hand(minimal_kpis: pd.DataFrame) -> None:
    cp2 = minimal_kpis.loc["CP002"]
    # one Instagram carousel: 900 + 40 + 25 + 120 = 1,085 engagements, reach 9,000, 11,000 impressions,
    # 60 clicks; one order (OR000003) credited by the CP002 link clicked 9 hours before, 80 EUR
    assert cp2["full_cost"] == COST_CP002
    assert cp2["reach"] == 9_000
    assert cp2["cpm"] == pytest.approx(COST_CP002 / 11_000 * 1000)  # 179.64 EUR per 1,000
    assert cp2["er_by_reach"] == pytest.approx(1_085 / 9_000)
    assert cp2["ctr"] == pytest.approx(60 / 11_000)
    assert cp2["cpe"] == pytest.approx(COST_CP002 / 1_085)
    assert cp2["cpa"] == pytest.approx(COST_CP002 / 1)
    assert cp2["roas"] == pytest.approx(80 / COST_CP002)
    # no video post: view rate is undefined (0 / 0), and no holdout: iROAS undefined; both say why
    assert math.isnan(cp2["view_rate"]) and math.isnan(cp2["iroas"])
    assert "view rate: denominator is 0" in cp2["note"] and "no holdout experiment" in cp2["note"]


def test_campaign_kpis_iroas_comes_from_the_holdout(
    minimal_once: dict[str, pd.DataFrame], minimal_kpis: pd.DataFrame
) -> None:
    direct = naive_vs_incremental(minimal_once, "CP001")["iroas"].iloc[0]
    got = minimal_kpis.loc["CP001", "iroas"]
    assert (math.isnan(direct) and math.isnan(got)) or got == pytest.approx(direct)
    # roas: OR000001 used CP001's creator code MIA15 (42.5); OR000002's site-wide code credits nobody
    assert minimal_kpis.loc["CP001", "roas"] == pytest.approx(42.5 / COST_CP001)


def test_campaign_kpis_on_the_sample_are_finite(sample: dict[str, pd.DataFrame]) -> None:
    found = kpis.campaign_kpis(sample)
    values = found[["reach", "cpm", "view_rate", "er_by_reach", "ctr", "cpe", "cpa", "roas"]]
    assert not np.isinf(values.to_numpy()).any()
    assert found["iroas"].notna().sum() == 2  # the two campaigns with a geo holdout


# --------------------------------------------------------------------------- one campaign's KPI table
def test_campaign_kpi_table_worked_example(minimal_once):
    table = kpis.campaign_kpi_table(minimal_once, "CP001", n_boot=50)
    # CP001 posts PO0000001 (reel) + PO0000003 (short video), both by CR00001:
    # reach 30,000 + 90,000 = 120,000; impressions 36,000 + 120,000 = 156,000
    # engagements (2400 + 130 + 60 + 210) + (9100 + 420 + 800 + 650) = 2,800 + 10,970 = 13,770
    assert _kpi(table, "reach")["actual"] == 120_000 and _kpi(table, "reach")["target"] == 500_000
    assert _kpi(table, "cpm")["actual"] == pytest.approx(COST_CP001 * 1000 / 156_000)  # 67.27 USD per 1,000
    assert _kpi(table, "er_by_reach")["actual"] == pytest.approx(13_770 / 120_000)  # 0.11475, target 0.04
    assert _kpi(table, "ctr")["actual"] == pytest.approx((320 + 1100) / 156_000)
    assert _kpi(table, "cpe")["actual"] == pytest.approx(COST_CP001 / 13_770)
    assert _kpi(table, "view_rate")["actual"] == pytest.approx((41_000 + 150_000) / 156_000)
    # OR000001 carries Mia's code MIA15 (42.50 USD); OR000002 only the site-wide SPRING10: credits nobody
    assert _kpi(table, "attributed_orders")["actual"] == 1
    assert _kpi(table, "roas")["actual"] == pytest.approx(42.5 / COST_CP001)
    assert _kpi(table, "cpa")["actual"] == pytest.approx(COST_CP001)
    assert _kpi(table, "cpm")["unit"] == "USD per 1,000 impressions"


def test_campaign_kpi_table_puts_the_objective_kpis_first(minimal_once):
    table = kpis.campaign_kpi_table(minimal_once, "CP001", n_boot=50)
    assert list(table["kpi"][:3]) == ["er_by_reach", "ctr", "cpe"]  # consideration
    assert table["objective_kpi"].sum() == 3
    awareness = kpis.campaign_kpi_table(minimal_once, "CP002", n_boot=50)
    assert set(awareness.loc[awareness["objective_kpi"], "label"]) == {"Reach", "CPM", "View rate"}
    # met: ER by reach 0.115 >= 0.04; missed: reach, link clicks, attributed orders, ROAS
    met = kpis.targets_met(table)
    assert met.to_dict() == {
        "ER by reach": True,
        "Reach": False,
        "Link clicks": False,
        "Attributed orders": False,
        "ROAS": False,
    }


def test_campaign_kpi_table_undefined_values_say_why(minimal_once):
    cp002 = kpis.campaign_kpi_table(minimal_once, "CP002", n_boot=50)
    view_rate = _kpi(cp002, "view_rate")  # a carousel only: no video impressions
    assert np.isnan(view_rate["actual"]) and view_rate["reason"] == "view rate: denominator is 0"
    iroas = _kpi(cp002, "iroas")
    assert np.isnan(iroas["actual"]) and "no holdout experiment" in iroas["reason"]
    cp001 = _kpi(kpis.campaign_kpi_table(minimal_once, "CP001", n_boot=50), "iroas")  # EX001: no pre-period
    assert np.isnan(cp001["actual"]) and cp001["reason"]
    with pytest.raises(ValueError, match="unknown campaign_id"):
        kpis.campaign_kpi_table(minimal_once, "CP999")


def test_campaign_kpi_table_without_posts(minimal_once):
    posts = minimal_once["posts"]
    tables = dict(minimal_once, posts=posts[posts["campaign_id"] != "CP002"])
    table = kpis.campaign_kpi_table(tables, "CP002", n_boot=50)
    assert _kpi(table, "reach")["actual"] == 0
    er = _kpi(table, "er_by_reach")
    assert np.isnan(er["actual"]) and er["reason"] == "ER by reach: denominator is 0"
    assert _kpi(table, "cpm")["reason"] == "CPM: denominator is 0"


# --------------------------------------------------------------------------- campaign_figures by hand
# Every figure of `playbook summary` and of the report's verdict, computed by hand from tests/conftest.py.
CP001_FIGURES = {
    "campaign_id": "CP001",
    "name": "Spring glow",
    "objective": "consideration",
    "currency": "USD",
    "start": "2024-03-01",
    "end": "2024-03-31",
    "creators": 1.0,  # contract CT0001
    "posts": 2.0,  # PO0000001, PO0000003
    "full_cost": 10_493.5,  # 2640 + 45 + 8.5 + 1500 + 3000 + 60 x 55
    "budget": 20_000.0,
    "reach": 120_000.0,  # 30,000 + 90,000
    "target_reach": 500_000.0,
    "engagements": 13_770.0,  # (2400 + 130 + 60 + 210) + (9100 + 420 + 800 + 650)
    "er_by_reach": 13_770 / 120_000,  # 0.11475
    "target_engagement_rate": 0.04,
    "link_clicks": 1_420.0,  # 320 + 1100
    "target_clicks": 8_000.0,
    "attributed_orders": 1.0,  # OR000001 with MIA15; SPRING10 is site-wide and credits nobody
    "target_conversions": 400.0,
    "attributed_revenue": 42.5,
    "roas": 42.5 / 10_493.5,  # 0.00405
    "target_roas": 2.5,
}
CP002_FIGURES = {
    "campaign_id": "CP002",
    "name": "Run season",
    "objective": "awareness",
    "currency": "EUR",
    "start": "2024-04-01",
    "end": "2024-04-30",
    "creators": 1.0,  # contract CT0002
    "posts": 1.0,  # PO0000005, a carousel
    "full_cost": 1_976.0,  # 180 + 60 + 12 + 500 + 0 + 25.5 x 48
    "budget": 8_000.5,
    "reach": 9_000.0,
    "target_reach": 200_000.0,
    "engagements": 1_085.0,  # 900 + 40 + 25 + 120
    "er_by_reach": 1_085 / 9_000,  # 0.1206
    "target_engagement_rate": 0.03,
    "link_clicks": 60.0,
    "target_clicks": 1_000.0,
    "attributed_orders": 1.0,  # OR000003 through the CP002 link clicked 9 hours before
    "target_conversions": 50.0,
    "attributed_revenue": 80.0,
    "roas": 80 / 1_976,  # 0.0405
    "target_roas": 1.2,
}


@pytest.mark.parametrize("expected", [CP001_FIGURES, CP002_FIGURES], ids=["CP001", "CP002"])
def test_campaign_figures_by_hand(minimal_once, expected):
    got = campaign_figures(minimal_once, expected["campaign_id"])
    assert list(got) == list(expected)
    for name, value in expected.items():
        if isinstance(value, str):
            assert got[name] == value, name
        else:
            assert got[name] == pytest.approx(value, rel=1e-12), name


def test_campaign_figures_undefined_er_without_posts(minimal_once):
    posts = minimal_once["posts"]
    tables = dict(minimal_once, posts=posts[posts["campaign_id"] != "CP002"])
    got = campaign_figures(tables, "CP002")
    assert got["reach"] == 0 and math.isnan(got["er_by_reach"])  # 0 / 0: undefined, never 0
    with pytest.raises(KeyError, match="unknown campaign"):
        campaign_figures(minimal_once, "CP999")


# ------------------------------------------------------------------ moved from test_apps_measurement.py
# Minimal dataset, campaign CP001 (consideration, USD, 7-day window):
# full cost = fee 2640 + product 45 + shipping 8.5 + amplification 3000 + agency 1500 + staff 60 h x 55
#           = 10493.5
CP001_COST = 2640 + 45 + 8.5 + 3000 + 1500 + 60 * 55


# CP002 (awareness, EUR, 30-day window): 180 + 60 + 12 + 0 + 500 + 25.5 h x 48 = 1976
CP002_COST = 180 + 60 + 12 + 0 + 500 + 25.5 * 48


def test_scorecard_without_posts(minimal_once):
    posts = minimal_once["posts"]
    tables = dict(minimal_once, posts=posts[posts["campaign_id"] != "CP002"])
    card = kpis.creator_scorecard(tables, "CP002")  # Frida is contracted and credited but posted nothing
    assert card["posts"].iloc[0] == 0 and card["verdict"].iloc[0] == "review"


def test_scorecard_awareness_worked_example(minimal_once):
    card = kpis.creator_scorecard(minimal_once, "CP002").set_index("creator_id").loc["CR00003"]
    # cost = 180 + 60 + 12 + all overheads (500 + 0 + 1224; Frida holds all fees) = 1976
    assert card["cost"] == pytest.approx(CP002_COST)
    # cost per 1,000 reached = 1976 x 1000 / 9000 = 219.56; target = budget 8000.5 x 1000 / 200,000 = 40.00
    assert card["target"] == pytest.approx(40.0025)
    assert card["score"] == pytest.approx(40.0025 / (1976 * 1000 / 9000))  # 0.18: lower is better
    assert card["verdict"] == "drop"
    lenient = kpis.creator_scorecard(minimal_once, "CP002", renegotiate_floor=0.1)
    assert lenient["verdict"].iloc[0] == "renegotiate"


def test_scorecard_consideration_rebooks_above_target(minimal_once):
    card = kpis.creator_scorecard(minimal_once, "CP001").set_index("creator_id").loc["CR00001"]
    assert card["cost"] == pytest.approx(CP001_COST)  # one creator carries every overhead
    assert card["score"] == pytest.approx((13_770 / 120_000) / 0.04)  # ER by reach / target = 2.87
    assert card["verdict"] == "re-book"


def test_scorecard_costs_add_up_to_the_full_cost(sample):
    from playbook.analytics.metrics import campaign_cost

    for cid in ("CP000000", "CP000007", "CP000008"):
        card = kpis.creator_scorecard(sample, cid)
        assert card["cost"].sum() == pytest.approx(campaign_cost(sample, cid).total)


def test_scorecard_undefined_score_is_reviewed_with_a_reason(minimal_once):
    posts = minimal_once["posts"]
    no_reach = posts.assign(reach=np.where(posts["campaign_id"] == "CP002", 0, posts["reach"]))
    card = kpis.creator_scorecard(dict(minimal_once, posts=no_reach), "CP002")
    assert card["verdict"].iloc[0] == "review"
    assert card["reason"].iloc[0] == "cost per 1,000 reached: denominator is 0"


@settings(max_examples=8, deadline=None)
@given(st.floats(min_value=0.05, max_value=1.0))
def test_scorecard_verdict_follows_score_and_floor(sample, floor):
    card = kpis.creator_scorecard(sample, "CP000007", renegotiate_floor=floor)
    expected = np.where(
        card["score"] >= 1, "re-book", np.where(card["score"] >= floor, "renegotiate", "drop")
    )
    assert list(card["verdict"]) == list(np.where(card["score"].isna(), "review", expected))
