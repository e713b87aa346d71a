"""Relationship health (re-book / renegotiate / drop), deliverable status and team operations metrics.

Hand-made creators with known answers: one to re-book, one to renegotiate, three to drop for different
reasons. Every number is worked out by hand in a comment; ER bands come from the registry ids named there.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from playbook.analytics.relationships import (
    DECISIONS,
    account_er_benchmark_id,
    as_of_date,
    decision_counts,
    deliverable_status,
    relationship_health,
    sponsored_post_er,
    team_ops_metrics,
)
from playbook.data.loading import empty_table, load
from playbook.data.synth.generate import SAMPLE_DIR


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table with the schema's columns and dtypes from a few hand-written rows."""
    empty = empty_table(name)
    return pd.DataFrame(rows, columns=empty.columns).astype(empty.dtypes.to_dict())


def post(post_id: str, account: str, engagements: tuple[int, int, int, int], **extra: object) -> dict:
    likes, comments, shares, saves = engagements
    row = {"post_id": post_id, "account_id": account, "platform": "instagram", "format": "reel"}
    row |= {"posted_at": "2024-03-10 12:00:00", "sponsored": True, "campaign_id": "CP1", "caption": "#ad"}
    row |= {"likes": likes, "comments": comments, "shares": shares, "saves": saves, "views": 20_000}
    return row | {"reach": 5_000, "impressions": 6_000, "link_clicks": 10, "provenance": "measured"} | extra


def contract(creator: str, fee: float, count: int) -> dict:
    return {
        "contract_id": f"CT{creator}",
        "campaign_id": "CP1",
        "creator_id": f"CR{creator}",
        "account_id": f"AC{creator}",
        "signed_date": "2024-02-20",
        "deliverables_count": count,
        "cpm_assumed": 10,
        "expected_views": 1_000,
        "format_uplift": 1,
        "usage_rights": "none",
        "usage_uplift": 1,
        "exclusivity_days": 0,
        "fee": fee,
        "product_value": 0,
        "shipping_cost": 0,
        "payment_terms_days": 30,
    }


def deliverable(i: str, creator: str, due: str, posted: str | None, **extra: object) -> dict:
    row = {"deliverable_id": f"DL{i}", "contract_id": f"CT{creator}", "format": "reel", "due_date": due}
    row |= {
        "revision_rounds": 0,
        "posted_date": posted,
        "post_id": f"PO{i}" if posted else None,
        "amount": 50,
    }
    return row | extra


NICE = (150, 25, 15, 10)  # 200 engagements / 5,000 followers = 4%: the nano typical (untapper 2026)
WEAK = (30, 5, 3, 2)  # 40 engagements / 5,000 = 0.8%: 0.2x the nano typical


@pytest.fixture
def roster() -> dict[str, pd.DataFrame]:
    """Five nano Instagram creators (5,000 followers, nano under hootsuite_imh) in one campaign.

    A: 2 posts on time at the nano typical ER, fee 100 -> CPE 100 / 400 = 0.25; we paid 1 of 2 late.
    B: 1 post on time at 0.2x the typical ER (40 engagements), fee 100 -> CPE 2.5.
    C: 2 posts, both late, at the typical ER, fee 100 -> CPE 0.25.
    D: 1 post on time at the typical ER, fee 600 -> CPE 3.
    E: 1 deliverable due Mar 20, never posted.
    Campaign median CPE of (0.25, 2.5, 0.25, 3) = (0.25 + 2.5) / 2 = 1.375 (E has none).
    """
    names = "ABCDE"
    creators = [
        {
            "creator_id": f"CR{c}",
            "handle": f"creator_{c}",
            "country": "US",
            "niche": "beauty",
            "topics": "skincare",
        }
        | {"joined_date": "2023-01-01"}
        for c in names
    ]
    accounts = [
        {"account_id": f"AC{c}", "creator_id": f"CR{c}", "platform": "instagram", "handle": f"creator_{c}"}
        | {"followers": 5_000, "following": 100, "posts_count": 100, "account_created": "2020-01-01"}
        | {"snapshot_date": "2024-03-01", "audience_credibility": 0.9, "likers_credibility": 0.9}
        for c in names
    ]
    counts = (2, 1, 2, 1, 1)  # deliverables per contract, A to E
    paid = {"invoiced_date": "2024-03-16"}
    rows = [
        # A: payment due Mar 12 + 30 = Apr 11, paid Apr 10 (on time); Mar 16 + 30 = Apr 15, paid Apr 20 (late)
        deliverable(
            "A1", "A", "2024-03-10", "2024-03-10", invoiced_date="2024-03-12", paid_date="2024-04-10"
        ),
        deliverable(
            "A2", "A", "2024-03-15", "2024-03-15", invoiced_date="2024-03-16", paid_date="2024-04-20"
        ),
        deliverable("B1", "B", "2024-03-10", "2024-03-10", **paid, paid_date="2024-04-01"),
        deliverable("C1", "C", "2024-03-10", "2024-03-12", revision_rounds=1),
        deliverable("C2", "C", "2024-03-15", "2024-03-18", revision_rounds=1),
        deliverable("D1", "D", "2024-03-10", "2024-03-10", **paid, paid_date="2024-04-01"),
        deliverable("E1", "E", "2024-03-20", None),
    ]
    posts = [
        post("POA1", "ACA", NICE),
        post("POA2", "ACA", NICE),
        post("POB1", "ACB", WEAK),
        post("POC1", "ACC", NICE),
        post("POC2", "ACC", NICE),
        post("POD1", "ACD", NICE),
    ]
    return {
        "creators": frame("creators", creators),
        "accounts": frame("accounts", accounts),
        "contracts": frame(
            "contracts",
            [contract(c, 600 if c == "D" else 100, n) for c, n in zip(names, counts, strict=True)],
        ),
        "deliverables": frame("deliverables", rows),
        "posts": frame("posts", posts),
    }


def test_as_of_is_the_latest_actual_event(roster: dict[str, pd.DataFrame]) -> None:
    # due dates are plans; the latest thing that happened is A2's payment on Apr 20
    assert as_of_date(roster) == pd.Timestamp("2024-04-20")
    assert pd.isna(as_of_date({}))


def test_deliverable_status(roster: dict[str, pd.DataFrame]) -> None:
    s = deliverable_status(roster).set_index("deliverable_id")
    assert s["post_status"].to_dict() == {
        "DLA1": "on_time",
        "DLA2": "on_time",
        "DLB1": "on_time",
        "DLC1": "late",
        "DLC2": "late",
        "DLD1": "on_time",
        "DLE1": "missed",
    }
    assert s.loc["DLC2", "days_late_posting"] == 3
    assert s.loc["DLA2", "payment_due_date"] == pd.Timestamp("2024-04-15")
    assert s.loc["DLA2", "payment_status"] == "late" and s.loc["DLA2", "days_late_payment"] == 5
    assert s.loc["DLA1", "payment_status"] == "on_time"
    assert s.loc["DLC1", "payment_status"] == "not_invoiced"
    # seen from Mar 15, E's post is not due yet and A2's invoice is not due yet
    early = deliverable_status(roster, as_of="2024-03-15").set_index("deliverable_id")
    assert early.loc["DLE1", "post_status"] == "open"


def test_open_and_overdue_payments(roster: dict[str, pd.DataFrame]) -> None:
    # B1 invoiced Mar 16, payment due Apr 15; unpaid it is open on Apr 10 and overdue on Apr 20
    tables = dict(roster)
    tables["deliverables"] = roster["deliverables"].assign(
        paid_date=roster["deliverables"]["paid_date"].where(
            roster["deliverables"]["deliverable_id"] != "DLB1"
        )
    )
    assert (
        deliverable_status(tables, "2024-04-10").set_index("deliverable_id").loc["DLB1", "payment_status"]
        == "open"
    )
    assert (
        deliverable_status(tables, "2024-04-20").set_index("deliverable_id").loc["DLB1", "payment_status"]
        == "overdue"
    )


def test_account_benchmark_follows_platform_basis_and_preset() -> None:
    assert account_er_benchmark_id("instagram", 5_000) == "er_followers_instagram_nano_untapper_2026"
    assert account_er_benchmark_id("tiktok", 60_000) == "er_views_tiktok_mid_untapper_2026"
    assert account_er_benchmark_id("youtube", 7_000) == "er_views_youtube_modash_5k_10k"
    assert account_er_benchmark_id("youtube", 2_000_000) == "er_views_youtube_modash_1m_plus"
    # 60K is mid under hootsuite_imh (50K-500K) but micro under later_fohr_2021 (10K-100K)
    assert (
        account_er_benchmark_id("instagram", 60_000, "later_fohr_2021")
        == "er_followers_instagram_micro_untapper_2026"
    )
    # below the 1,000-follower floor of hootsuite_imh no published band applies
    assert account_er_benchmark_id("instagram", 999) is None
    assert account_er_benchmark_id("youtube", 500) is None
    assert account_er_benchmark_id("instagram", math.nan) is None


def test_sponsored_post_er_on_each_basis(roster: dict[str, pd.DataFrame]) -> None:
    p = sponsored_post_er(roster).set_index("post_id")
    # 200 / 5,000 followers = 4% = the nano typical (er_followers_instagram_nano_untapper_2026) -> ratio 1
    assert p.loc["POA1", "er"] == pytest.approx(0.04)
    assert p.loc["POA1", "performance_ratio"] == pytest.approx(1.0)
    assert p.loc["POB1", "performance_ratio"] == pytest.approx(0.2)
    assert (p["er_basis"] == "followers").all()
    # a TikTok account of 20,000 followers is judged by views: 200 / 20,000 views = 1% vs the micro
    # typical 5.5% (er_views_tiktok_micro_untapper_2026) -> 0.01 / 0.055; a post with 0 views is undefined
    tables = dict(roster)
    tables["accounts"] = roster["accounts"].assign(
        platform=lambda a: a["platform"].where(a["account_id"] != "ACD", "tiktok"),
        followers=lambda a: a["followers"].where(a["account_id"] != "ACD", 20_000),
    )
    tables["posts"] = pd.concat(
        [
            roster["posts"][roster["posts"]["account_id"] != "ACD"],
            frame("posts", [post("POD1", "ACD", NICE, platform="tiktok", format="short_video", views=0)]),
        ]
    )
    tiktok = sponsored_post_er(tables).set_index("post_id").loc["POD1"]
    assert tiktok["er_basis"] == "views" and tiktok["benchmark_id"] == "er_views_tiktok_micro_untapper_2026"
    assert math.isnan(tiktok["er"]) and tiktok["undefined_reason"] == "ER: denominator is 0"
    tables["posts"].loc[tables["posts"]["post_id"] == "POD1", "views"] = 20_000
    assert sponsored_post_er(tables).set_index("post_id").loc["POD1", "performance_ratio"] == pytest.approx(
        0.01 / 0.055
    )


def test_relationship_health_recommendations(roster: dict[str, pd.DataFrame]) -> None:
    h = relationship_health(roster).set_index("creator_id")
    assert h["recommendation"].to_dict() == {
        "CRA": "re-book",
        "CRB": "drop",
        "CRC": "drop",
        "CRD": "renegotiate",
        "CRE": "drop",
    }
    assert h.loc["CRB", "reasons"].startswith("performance far below benchmark: median ER is 0.20x")
    assert "repeated late posting: 2 of 2 due posts late" in h.loc["CRC", "reasons"]
    # D: CPE 3 / campaign median 1.375 = 2.18 > 2
    assert h.loc["CRD", "cost_ratio"] == pytest.approx(3 / 1.375)
    assert h.loc["CRD", "reasons"].startswith("cost far above peers: CPE is 2.18x the campaign median")
    assert "missed posts: 1 never posted" in h.loc["CRE", "reasons"]
    assert "performance not measurable" in h.loc["CRE", "reasons"]
    assert (
        h.loc["CRA", "reasons"]
        == "no rule fired; we paid 1 of 2 invoices late: pay on time before re-booking"
    )


def test_health_score_worked_example(roster: dict[str, pd.DataFrame]) -> None:
    h = relationship_health(roster).set_index("creator_id")
    # A: posting 2/2 = 1; revisions 1 - 0/3 = 1 (revision_rounds_model high = 3); performance min(1, 2)/2 =
    # 0.5; cost ratio 0.25 / 1.375 = 0.18 -> min(1 / 0.18, 2) / 2 = 1; payment 1/2 = 0.5.
    # 100 x (0.25 x 1 + 0.15 x 1 + 0.30 x 0.5 + 0.20 x 1 + 0.10 x 0.5) / 1.0 = 80
    assert h.loc["CRA", "health_score"] == pytest.approx(80.0)
    # E: posting 0/1 = 0, revisions 1; performance, cost and payment unmeasurable and left out:
    # 100 x (0.25 x 0 + 0.15 x 1) / (0.25 + 0.15) = 37.5
    assert h.loc["CRE", "health_score"] == pytest.approx(37.5)
    # weights are a parameter: performance alone gives A 100 x 0.5
    only = relationship_health(roster, weights={"performance": 1}).set_index("creator_id")
    assert only.loc["CRA", "health_score"] == pytest.approx(50.0)
    assert math.isnan(only.loc["CRE", "health_score"])


def test_thresholds_are_parameters(roster: dict[str, pd.DataFrame]) -> None:
    lenient = relationship_health(roster, min_performance=0.1, max_late_posts=3, max_cost_ratio=3)
    rec = lenient.set_index("creator_id")["recommendation"]
    assert rec[["CRB", "CRC", "CRD"]].tolist() == ["re-book", "re-book", "re-book"]
    assert rec["CRE"] == "drop"  # missed posts still drop
    cpm = relationship_health(roster, cost_metric="cpm").set_index("creator_id")
    # every post has 6,000 impressions: CPM A = 100 / 12 = 8.33, D = 600 / 6 = 100;
    # median of (8.33, 16.67, 8.33, 100) = 12.5 -> D 100 / 12.5 = 8
    assert cpm.loc["CRD", "cost_ratio"] == pytest.approx(8.0)
    with pytest.raises(ValueError, match="cost_metric"):
        relationship_health(roster, cost_metric="cpx")
    with pytest.raises(ValueError, match="weights"):
        relationship_health(roster, weights={"vibes": 1})


def test_no_contracts_gives_an_empty_frame(roster: dict[str, pd.DataFrame]) -> None:
    tables = {**roster, "contracts": empty_table("contracts"), "deliverables": empty_table("deliverables")}
    h = relationship_health(tables)
    assert h.empty and "recommendation" in h.columns


def test_team_ops_metrics_by_hand(minimal_tables: dict[str, pd.DataFrame]) -> None:
    m = team_ops_metrics(minimal_tables)
    # CT0001 signed Feb 20, first message Feb 1 10:00 -> 18 d 14 h; CT0002 signed Mar 20, first message
    # Mar 1 08:00 -> 18 d 16 h; median = (18.5833 + 18.6667) / 2 = 18.625 days
    assert m["time_to_contract_days"] == pytest.approx(18.625)
    # draft -> approved: 2, 1 and 3 days -> median 2; revisions (1 + 0 + 2) / 3 = 1
    assert m["approval_cycle_days"] == 2.0
    assert m["revisions_per_deliverable"] == 1.0
    # all three posted on their due date
    assert m["on_time_posting_rate"] == 1.0
    # as_of Apr 5 (latest payment). DL0001: due Mar 8 + 30 = Apr 7, paid Apr 5 -> on time; DL0002 not
    # invoiced; DL0003: due Apr 4 + 45 = May 19, not yet due -> 1 / 1
    assert m["on_time_payment_rate"] == 1.0
    assert m["rebook_rate"] == 0.0  # two creators, one campaign each
    assert m["reply_rate"] == pytest.approx(2 / 3)
    by = team_ops_metrics(minimal_tables, by="campaign_id")
    assert by.loc["CP001", "approval_cycle_days"] == 1.5
    assert by.loc["CP002", "revisions_per_deliverable"] == 2.0
    assert by.loc["CP001", "reply_rate"] == 0.5
    with pytest.raises(ValueError, match="by must be"):
        team_ops_metrics(minimal_tables, by="brand_id")


def test_rebook_rate(minimal_tables: dict[str, pd.DataFrame]) -> None:
    # CR00001 also signs for CP002: 1 of 2 contracted creators worked on more than one campaign
    extra = minimal_tables["contracts"].iloc[[0]].assign(contract_id="CT0003", campaign_id="CP002")
    tables = {
        **minimal_tables,
        "contracts": pd.concat([minimal_tables["contracts"], extra], ignore_index=True),
    }
    assert team_ops_metrics(tables)["rebook_rate"] == 0.5
    by = team_ops_metrics(tables, by="campaign_id")
    assert by.loc["CP001", "rebook_rate"] == 1.0  # its only creator also worked on CP002
    assert by.loc["CP002", "rebook_rate"] == 0.5


def test_no_deliverables_or_outreach_gives_undefined_rates(minimal_tables: dict[str, pd.DataFrame]) -> None:
    tables = {
        **minimal_tables,
        "deliverables": empty_table("deliverables"),
        "outreach": empty_table("outreach"),
    }
    m = team_ops_metrics(tables)
    assert math.isnan(m["on_time_posting_rate"]) and math.isnan(m["reply_rate"])
    assert math.isnan(m["time_to_contract_days"])


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    names = ["creators", "accounts", "brands", "campaigns", "contracts", "deliverables", "outreach", "posts"]
    return load(SAMPLE_DIR, tables=names)


def test_sample_late_payments_near_tipalti(sample: dict[str, pd.DataFrame]) -> None:
    # the generator pays late with probability late_payment_share_tipalti (56%); measured: 117 of 205 invoices
    # due by the data's end were paid late or are overdue (57.1%)
    m = team_ops_metrics(sample)
    assert abs((1 - m["on_time_payment_rate"]) - 0.56) < 0.05
    assert abs(m["reply_rate"] - 0.40) < 0.06  # reply_rate_creator_heepsy; measured 260 / 584 = 44.5%


def test_sample_relationship_health_is_complete(sample: dict[str, pd.DataFrame]) -> None:
    h = relationship_health(sample)
    assert h["creator_id"].is_unique
    assert set(h["creator_id"]) == set(sample["contracts"]["creator_id"])
    assert set(h["recommendation"]) == {"re-book", "renegotiate", "drop"}
    assert h["health_score"].between(0, 100).all()
    assert (h["reasons"].str.len() > 0).all()


def test_health_rules_are_the_defaults_the_rule_and_the_report_read():
    import dataclasses
    import inspect

    from playbook.analytics.relationships import DEFAULT_HEALTH_RULES, HealthRules
    from playbook.reports.context import DEFINITIONS

    defaults = inspect.signature(relationship_health).parameters
    for f in dataclasses.fields(HealthRules):
        assert defaults[f.name].default == getattr(DEFAULT_HEALTH_RULES, f.name), f.name
    stricter = HealthRules(min_performance=0.8, max_late_posts=3, max_cost_ratio=1.5).describe()
    assert "under 0.8x" in stricter and "3+ posts are late" in stricter and "over 1.5x" in stricter
    assert DEFAULT_HEALTH_RULES.describe() in DEFINITIONS["Call (re-book / renegotiate / drop)"][0]


def test_decision_counts_in_decision_order() -> None:
    health = pd.DataFrame({"recommendation": ["drop", "re-book", "drop"]})
    # 1 re-book, no renegotiate (0, not missing), 2 drop; best call first
    counts = decision_counts(health)
    assert list(counts.index) == list(DECISIONS) == ["re-book", "renegotiate", "drop"]
    assert counts.tolist() == [1, 0, 2]
