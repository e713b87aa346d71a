"""Tests for playbook.analytics.metrics: worked examples computed by hand from the cited sources, edge cases,
and hypothesis properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playbook.analytics import metrics as m
from playbook.analytics.undefined import Undefined, reason, reasons
from playbook.data.registry import benchmark


def make_posts(rows: list[dict]) -> pd.DataFrame:
    """Hand-made posts: every interaction column defaults to 0, posted one day apart in row order."""
    base = {
        "account_id": "A1",
        "format": "reel",
        "likes": 0,
        "comments": 0,
        "shares": 0,
        "saves": 0,
        "views": 0,
        "reach": 0,
        "impressions": 0,
    }
    df = pd.DataFrame([{**base, **r} for r in rows])
    df["post_id"] = [f"P{i}" for i in range(len(df))]
    if "posted_at" not in df.columns:
        df["posted_at"] = pd.Timestamp("2025-01-01") + pd.to_timedelta(range(len(df)), unit="D")
    return df


ACCOUNTS = pd.DataFrame(
    {"account_id": ["A1", "A2", "A3"], "creator_id": ["C1", "C1", "C2"], "followers": [5_000, 10_000, 0]}
)


# --------------------------------------------------------------------------- ERBasis
def test_label_reads_as_a_sentence():
    basis = m.ERBasis("followers", m.INTERACTIONS_ALL, "median", 12)
    assert basis.label() == "median over the last 12 posts of (likes + comments + shares + saves) / followers"
    assert m.ER_LIKES_ONLY.formula() == "likes / followers"
    assert m.ERBasis("reach", m.LIKES_COMMENTS, "total").label() == (
        "sum of (likes + comments) / sum of reach, over all posts"
    )
    assert m.ER_YOUTUBE_MODASH.label() == (
        "median of (likes + comments + shares + saves) / median of views, over the last 30 posts"
    )


def test_presets_take_their_windows_from_the_registry():
    # calculators: last 10-15 posts, band midpoint 12.5 rounded down to whole posts
    assert m.ER_BY_FOLLOWERS.last_n == int(benchmark("er_profile_window_posts_calculators").value) == 12
    assert m.ER_BY_VIEWS.last_n == benchmark("er_profile_window_posts_insightiq").value == 30
    assert m.ER_LIKES_ONLY.interactions == ("likes",)
    assert m.ER_LIKES_ONLY.last_n == benchmark("er_window_max_posts_modash").value
    assert m.ER_BY_IMPRESSIONS.denominator == "impressions"
    assert m.ER_BY_REACH.denominator == "reach"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"denominator": "likes"},
        {"agg": "max"},
        {"interactions": ()},
        {"interactions": ("likes", "likes")},
        {"last_n": 0},
    ],
)
def test_basis_rejects_bad_values(kwargs):
    with pytest.raises(ValueError):
        m.ERBasis(**kwargs)


def test_basis_is_frozen():
    with pytest.raises(AttributeError):
        m.ER_BY_FOLLOWERS.agg = "mean"  # type: ignore[misc]


# --------------------------------------------------------------------------- per-post ER
def test_worked_example_250_over_5000_is_5_percent():
    # reference §7 item 1 (GRIN calculator style):
    # (200 likes + 50 comments) / 5,000 followers = 250 / 5,000 = 0.05
    posts = make_posts([{"likes": 200, "comments": 50, "shares": 999}])
    basis = m.ERBasis("followers", m.LIKES_COMMENTS)
    er = m.post_engagement_rate(posts, basis, ACCOUNTS)
    assert er.iloc[0] == pytest.approx(0.05)
    assert er.attrs["basis"] == "(likes + comments) / followers"


def test_followers_from_an_aligned_series():
    # 300 likes / 6,000 followers (at posting time) = 0.05; 300 / 0 is undefined
    posts = make_posts([{"likes": 300}, {"likes": 300}])
    followers = pd.Series([0, 6_000], index=[1, 0])  # aligned on the index, not by position
    er = m.post_engagement_rate(posts, m.ER_LIKES_ONLY, followers)
    assert er.iloc[0] == pytest.approx(0.05)
    assert math.isnan(er.iloc[1])
    assert reasons(er).iloc[1] == "ER by followers: followers is 0"


def test_followers_basis_needs_followers():
    with pytest.raises(ValueError, match="followers"):
        m.post_engagement_rate(make_posts([{"likes": 1}]), m.ER_BY_FOLLOWERS)


def test_missing_account_gives_missing_data_reason():
    posts = make_posts([{"likes": 10, "account_id": "NOPE"}])
    er = m.post_engagement_rate(posts, m.ER_BY_FOLLOWERS, ACCOUNTS)
    assert reasons(er).iloc[0] == "ER by followers: missing data"


def test_views_zero_on_non_video_is_undefined_with_reason():
    # a feed post has no views: ER by views is undefined; a reel with 1,000 views and 100 engagements = 0.10
    posts = make_posts(
        [{"format": "feed", "likes": 50}, {"format": "reel", "likes": 80, "saves": 20, "views": 1000}]
    )
    er = m.post_engagement_rate(posts, m.ER_BY_VIEWS)
    assert math.isnan(er.iloc[0])
    assert reasons(er).iloc[0] == "ER by views: views is 0 (feed posts have no views)"
    assert er.iloc[1] == pytest.approx(0.10)
    assert reasons(er).iloc[1] is None


def test_missing_interaction_column_is_named():
    posts = make_posts([{"likes": 1}]).drop(columns="saves")
    with pytest.raises(ValueError, match="saves"):
        m.post_engagement_rate(posts, m.ER_BY_REACH)


def test_minimal_dataset_post_er(minimal_tables):
    # PO0000001: (2400 + 130 + 60 + 210) / 52,000 followers = 2,800 / 52,000 = 0.053846...
    posts, accounts = minimal_tables["posts"], minimal_tables["accounts"]
    er = m.post_engagement_rate(posts, m.ER_BY_FOLLOWERS, accounts)
    assert er.iloc[0] == pytest.approx(2800 / 52000)
    # by reach: 2,800 / 30,000
    assert m.post_engagement_rate(posts, m.ER_BY_REACH).iloc[0] == pytest.approx(2800 / 30000)


# --------------------------------------------------------------------------- profile ER
PROFILE_POSTS = make_posts(
    [  # A1 has 5,000 followers; oldest first. likes only to keep the arithmetic readable.
        {"likes": 100, "reach": 1000, "views": 2000},
        {"likes": 200, "reach": 1000, "views": 2000},
        {"likes": 400, "reach": 2000, "views": 4000},
        {"likes": 500, "reach": 4000, "views": 5000},
        {"likes": 300, "reach": 1000, "views": 1000},
        {"likes": 100, "account_id": "A3", "reach": 500},  # A3 has 0 followers
    ]
)


def profile(basis: m.ERBasis, by: str = "account_id") -> pd.DataFrame:
    return m.profile_engagement_rate(PROFILE_POSTS, ACCOUNTS, basis, by=by).set_index(by)


def test_modash_likes_only_profile_er():
    # Modash API: average likes / followers. A1: mean(100, 200, 400, 500, 300) = 300; 300 / 5,000 = 0.06
    out = profile(m.ER_LIKES_ONLY)
    assert out.loc["A1", "er"] == pytest.approx(0.06)
    assert out.loc["A1", "n_posts"] == 5
    assert out.loc["A1", "basis"] == "mean over the last 500 posts of likes / followers"


def test_median_over_last_n_uses_the_most_recent_posts():
    # last 3 posts of A1 (newest first): 300, 500, 400 likes -> per-post ER 0.06, 0.10, 0.08; median 0.08
    out = profile(m.ERBasis("followers", m.LIKES_ONLY, "median", 3))
    assert out.loc["A1", "er"] == pytest.approx(0.08)
    assert out.loc["A1", "n_posts"] == 3


def test_mean_total_and_ratio_of_medians_by_reach():
    # per-post ER by reach of A1: 0.1, 0.2, 0.2, 0.125, 0.3 -> mean 0.925 / 5 = 0.185
    assert profile(m.ERBasis("reach", m.LIKES_ONLY, "mean")).loc["A1", "er"] == pytest.approx(0.185)
    # total: (100+200+400+500+300) / (1000+1000+2000+4000+1000) = 1,500 / 9,000
    assert profile(m.ERBasis("reach", m.LIKES_ONLY, "total")).loc["A1", "er"] == pytest.approx(1500 / 9000)
    # Modash YouTube style: median likes 300 / median views 2,000 = 0.15
    out = profile(m.ERBasis("views", m.LIKES_ONLY, "ratio_of_medians"))
    assert out.loc["A1", "er"] == pytest.approx(0.15)


def test_zero_followers_and_no_posts_are_undefined_with_reasons():
    out = profile(m.ER_BY_FOLLOWERS)
    assert math.isnan(out.loc["A3", "er"])
    assert out.loc["A3", "reason"] == "ER by followers: followers is 0"
    assert out.loc["A3", "n_excluded"] == 1
    # A2 exists in accounts but has no posts
    assert math.isnan(out.loc["A2", "er"])
    assert out.loc["A2", "reason"] == "ER by followers: no posts"
    assert out.loc["A2", "n_posts"] == 0
    assert out.loc["A1", "reason"] is None


def test_views_basis_skips_non_video_posts_and_counts_them():
    posts = make_posts(
        [
            {"format": "feed", "likes": 900},
            {"format": "reel", "likes": 100, "views": 1000},
            {"format": "reel", "likes": 300, "views": 1000},
        ]
    )
    out = m.profile_engagement_rate(posts, ACCOUNTS, m.ERBasis("views", m.LIKES_ONLY, "median", 2))
    row = out.set_index("account_id").loc["A1"]
    # the feed post is excluded, the two reels give 0.1 and 0.3 -> median 0.2
    assert row["er"] == pytest.approx(0.2)
    assert (row["n_posts"], row["n_excluded"]) == (2, 1)


def test_group_by_an_accounts_column():
    # creator C1 = accounts A1 (5,000) and A2 (no posts); C2 = A3 (0 followers)
    out = profile(m.ERBasis("followers", m.LIKES_ONLY, "mean"), by="creator_id")
    assert list(out.index) == ["C1", "C2"]
    assert out.loc["C1", "er"] == pytest.approx(0.06)
    assert math.isnan(out.loc["C2", "er"])
    with pytest.raises(ValueError, match="by="):
        profile(m.ER_BY_FOLLOWERS, by="nonsense")


def test_profile_er_on_the_sample(sample):
    accounts = sample["accounts"]
    out = m.profile_engagement_rate(sample["posts"], accounts, m.ER_BY_FOLLOWERS)
    assert set(out["account_id"]) == set(accounts["account_id"])
    assert (out["n_posts"] <= 12).all()
    assert out["basis"].eq(m.ER_BY_FOLLOWERS.label()).all()
    assert out.loc[out["er"].isna(), "reason"].notna().all()
    # ER by views is undefined for Instagram accounts that posted no video at all, and says why
    views = m.profile_engagement_rate(sample["posts"], accounts, m.ER_BY_VIEWS)
    undefined = views.loc[views["er"].isna(), "reason"]
    assert undefined.notna().all()
    assert undefined.str.contains("posts have no views").any()


# --------------------------------------------------------------------------- cost metrics
def test_cpm_worked_example():
    # 500 cost / 100,000 impressions x 1,000 = 5.00
    assert m.cpm(500, 100_000) == pytest.approx(5.0)


def test_cpe_hypeauditor_worked_example():
    # HypeAuditor: post cost = 3,000 / 3 posts = 1,000; CPE = 1,000 / (1,900 likes + 100 comments) = 0.50
    assert m.cpe_hypeauditor(3_000, 3, 1_900, 100) == pytest.approx(0.5)


def test_cpe_hypeauditor_keeps_the_upstream_reason():
    assert reason(m.cpe_hypeauditor(3_000, 0, 10, 10)) == "post cost: denominator is 0"
    assert reason(m.cpe_hypeauditor(3_000, 3, 0, 0)) == "CPE (HypeAuditor): denominator is 0"
    out = m.cpe_hypeauditor(
        pd.Series([100.0, 100.0]), pd.Series([0, 2]), pd.Series([5, 0]), pd.Series([5, 0])
    )
    assert list(reasons(out)) == ["post cost: denominator is 0", "CPE (HypeAuditor): denominator is 0"]


@pytest.mark.parametrize(
    ("func", "num", "den", "expected"),
    [
        (m.cpe, 1_500, 3_000, 0.5),  # 1,500 / 3,000 engagements
        (m.cpc, 1_000, 400, 2.5),  # 1,000 / 400 clicks
        (m.cpv, 900, 30_000, 0.03),  # 900 / 30,000 views
        (m.cpa, 2_000, 50, 40.0),  # 2,000 / 50 conversions
        (m.cac, 2_000, 40, 50.0),  # 2,000 / 40 new customers
        (m.conversion_rate, 50, 1_000, 0.05),  # taglab: 1,000 clicks -> 50 purchases = 5%
        (m.revenue_per_reach, 3_000, 60_000, 0.05),  # 3,000 revenue / 60,000 reached
    ],
)
def test_simple_ratios(func, num, den, expected):
    assert func(num, den) == pytest.approx(expected)
    undefined = func(num, 0)
    assert isinstance(undefined, Undefined)
    assert "denominator is 0" in reason(undefined)


def test_series_inputs_give_series_with_reasons():
    cost = pd.Series([500.0, 500.0, np.nan])
    out = m.cpm(cost, pd.Series([100_000, 0, 10]))
    assert out.iloc[0] == pytest.approx(5.0)
    assert list(reasons(out)) == [None, "CPM: denominator is 0", "CPM: missing data"]
    assert not np.isinf(out).any()


# --------------------------------------------------------------------------- outcome metrics
def test_roas_zero_revenue_is_zero_and_zero_cost_undefined():
    assert m.roas(0, 1_000) == 0.0
    assert reason(m.roas(0, 1_000)) is None
    assert reason(m.roas(500, 0)) == "ROAS: denominator is 0"


def test_roi_revenue_and_margin_worked_example():
    # HBR summary of Beichert et al.: a macro collaboration costing about $1,000 returned about $6,000.
    cost = benchmark("hbr_example_macro_cost").value
    revenue = benchmark("hbr_example_macro_return").value
    assert (cost, revenue) == (1_000, 6_000)
    assert m.roas(revenue, cost) == pytest.approx(6.0)
    # revenue ROI = (6,000 - 1,000) / 1,000 = 5.0
    assert m.roi_revenue(revenue, cost) == pytest.approx(5.0)
    # margin ROI with a 40% gross margin: gross profit 2,400; (2,400 - 1,000) / 1,000 = 1.4
    assert m.roi_margin(2_400, cost) == pytest.approx(1.4)
    assert reason(m.roi_margin(2_400, 0)) == "ROI (margin): denominator is 0"


def test_beichert_revenue_per_follower():
    # Beichert et al. 2024: nano creators earn about EUR 0.265 per follower.
    # A 4,000-follower creator whose post drove EUR 1,060 of revenue: 1,060 / 4,000 = 0.265
    expected = benchmark("revenue_per_follower_nano_beichert_2024").value
    assert m.revenue_per_follower(1_060, 4_000) == pytest.approx(expected) == pytest.approx(0.265)
    assert reason(m.revenue_per_follower(1_060, 0)) == "revenue per follower: denominator is 0"


def test_lift_incremental_conversions_and_iroas_worked_example():
    # reference §1.6: lift = (0.05 - 0.04) / 0.04 = 0.25
    assert m.lift(0.05, 0.04) == pytest.approx(0.25)
    # 10,000 treated users, 500 conversions, control CR 0.04: 500 - 0.04 x 10,000 = 100 incremental
    assert m.incremental_conversions(500, 0.04, 10_000) == pytest.approx(100)
    # 100 incremental orders x 60 average order value = 6,000 incremental revenue; / 2,000 spend = 3.0
    assert m.iroas(100 * 60, 2_000) == pytest.approx(3.0)
    assert reason(m.lift(0.05, 0.0)) == "lift: denominator is 0"


def test_incremental_conversions_missing_inputs():
    assert reason(m.incremental_conversions(500, math.nan, 10_000)) == "incremental conversions: missing data"
    assert (
        reason(m.incremental_conversions(500, Undefined("CR control: no users"), 10))
        == "CR control: no users"
    )
    out = m.incremental_conversions(pd.Series([500.0, np.nan]), 0.04, pd.Series([10_000, 10_000]))
    assert out.iloc[0] == pytest.approx(100)
    assert list(reasons(out)) == [None, "incremental conversions: missing data"]
    # negative when the treated group converts below the control rate
    assert m.incremental_conversions(300, 0.04, 10_000) == pytest.approx(-100)


# --------------------------------------------------------------------------- full cost
def test_campaign_cost_from_minimal_tables(minimal_tables):
    cost = m.campaign_cost(minimal_tables, "CP001")
    # CT0001 fee 2,640 + product 45 + shipping 8.5; campaign: agency 1,500, paid 3,000, staff 60 h x 55
    assert (cost.creator_fees, cost.product, cost.shipping) == (2_640, 45, 8.5)
    assert cost.staff_cost == pytest.approx(3_300)
    # 2,640 + 45 + 8.5 + 1,500 + 3,000 + 3,300 = 10,493.5
    assert cost.total == pytest.approx(10_493.5)
    assert cost.without_staff == pytest.approx(10_493.5 - 3_300)  # the budget's scope
    assert cost.currency == "USD"
    frame = cost.as_frame()
    assert list(frame["component"]) == [
        "creator_fees",
        "product",
        "shipping",
        "platform_agency_fees",
        "paid_amplification",
        "staff",
    ]
    assert frame["amount"].sum() == pytest.approx(cost.total)
    assert frame["share"].sum() == pytest.approx(1.0)


def test_katha_total_cost_example():
    # Katha: creator fees Rs 120k + product seeding Rs 20k + platform management Rs 10k = Rs 150k;
    # fees are 120 / 150 = 80% of the total.
    cost = m.CostBreakdown(
        creator_fees=benchmark("cost_example_creator_fees_katha").value,
        product=benchmark("cost_example_product_seeding_katha").value,
        shipping=0,
        platform_agency_fees=benchmark("cost_example_platform_management_katha").value,
        paid_amplification=0,
        staff_hours=0,
        staff_hour_cost=0,
        currency="INR",
    )
    assert cost.total == pytest.approx(150_000)
    assert cost.as_frame().set_index("component").loc["creator_fees", "share"] == pytest.approx(0.8)


def test_zero_cost_shares_are_undefined():
    frame = m.CostBreakdown(0, 0, 0, 0, 0, 0, 0).as_frame()
    assert frame["share"].isna().all()


def test_unknown_campaign_lists_known_ids(minimal_tables):
    with pytest.raises(ValueError, match="CP001, CP002"):
        m.campaign_cost(minimal_tables, "CP999")


def test_campaign_without_contracts_costs_only_its_overheads(minimal_tables):
    contracts = minimal_tables["contracts"]
    tables = {**minimal_tables, "contracts": contracts[contracts["campaign_id"] != "CP002"]}
    cost = m.campaign_cost(tables, "CP002")
    # agency 500 + paid 0 + staff 25.5 h x 48 = 500 + 1,224 = 1,724
    assert cost.creator_fees == 0
    assert cost.total == pytest.approx(1_724)


def test_unknown_cost_parts_leave_the_total_undefined(minimal_tables):
    no_contracts = {**minimal_tables, "contracts": minimal_tables["contracts"].iloc[0:0]}
    cost = m.campaign_cost(no_contracts, "CP002")  # the data records no contracts at all: fees unknown
    assert math.isnan(cost.total) and "contracts.fee" in reason(cost.total)
    assert cost.known_total == pytest.approx(1_724)  # the overheads that are known, a lower bound
    campaigns = minimal_tables["campaigns"].assign(staff_hours=np.nan)
    cost = m.campaign_cost({**minimal_tables, "campaigns": campaigns}, "CP002")
    assert cost.missing == ("staff cost (campaigns.staff_hours x campaigns.staff_hour_cost)",)
    assert math.isnan(m.cpm(cost.total, 1_000.0))  # never a CPM of the known part as if it were all
    assert not math.isnan(cost.without_staff)  # staff hours unknown: the spend the budget covers is known
    no_fees = m.campaign_cost(no_contracts, "CP002").without_staff
    assert math.isnan(no_fees) and reason(no_fees).startswith("spend without staff: not in the data: creator")


# --------------------------------------------------------------------------- properties
counts = st.integers(min_value=0, max_value=1_000_000)
positive = st.floats(min_value=0.01, max_value=1e7, allow_nan=False)


@given(
    likes=counts,
    comments=counts,
    shares=counts,
    saves=counts,
    followers=st.integers(1, 10**8),
    k=st.integers(1, 50),
)
def test_scaling_interactions_scales_er(likes, comments, shares, saves, followers, k):
    row = {"likes": likes, "comments": comments, "shares": shares, "saves": saves}
    accounts = pd.DataFrame({"account_id": ["A1"], "followers": [followers]})
    base = m.post_engagement_rate(make_posts([row]), m.ER_BY_FOLLOWERS, accounts).iloc[0]
    scaled = m.post_engagement_rate(
        make_posts([{c: v * k for c, v in row.items()}]), m.ER_BY_FOLLOWERS, accounts
    ).iloc[0]
    assert scaled == pytest.approx(k * base)


@given(cost=positive)
def test_roas_of_zero_revenue_is_zero(cost):
    assert m.roas(0.0, cost) == 0.0


@given(cost=positive, impressions=st.integers(1, 10**9), k=st.floats(0.0, 1_000, allow_nan=False))
def test_cpm_is_linear_in_cost(cost, impressions, k):
    assert m.cpm(k * cost, impressions) == pytest.approx(k * m.cpm(cost, impressions))


@given(revenue=st.floats(0, 1e8, allow_nan=False), cost=positive)
def test_roi_revenue_is_roas_minus_one(revenue, cost):
    assert m.roi_revenue(revenue, cost) == pytest.approx(m.roas(revenue, cost) - 1, rel=1e-12, abs=1e-12)


@given(engagements=st.integers(0, 10**6), reach=st.integers(1, 10**7), extra=st.integers(0, 10**7))
def test_er_by_reach_at_least_er_by_impressions(engagements, reach, extra):
    posts = make_posts([{"likes": engagements, "reach": reach, "impressions": reach + extra}])
    by_reach = m.post_engagement_rate(posts, m.ER_BY_REACH).iloc[0]
    by_impressions = m.post_engagement_rate(posts, m.ER_BY_IMPRESSIONS).iloc[0]
    assert by_reach >= by_impressions


@given(values=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=20), k=st.integers(1, 100))
def test_series_matches_scalar(values, k):
    cost = pd.Series(values)
    out = m.cpm(cost, k)
    assert out.tolist() == pytest.approx([m.cpm(v, k) for v in values])


def test_ctr_and_view_rate_by_hand():
    assert m.ctr(50.0, 10_000.0) == pytest.approx(0.005)  # 50 clicks / 10,000 impressions
    assert m.view_rate(4_100.0, 3_600.0) == pytest.approx(4_100 / 3_600)  # replays: views can exceed
    assert (
        math.isnan(m.view_rate(0.0, 0.0)) and reason(m.view_rate(0.0, 0.0)) == "view rate: denominator is 0"
    )
    assert reason(m.ctr(3.0, 0.0)) == "CTR: denominator is 0"
