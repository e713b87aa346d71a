"""Planning: budget allocation from benchmarks, outreach volume and funnel, campaign timelines, late causes.

Every expected number is worked out by hand in a comment from the registry rows it uses (named by id).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics.delivery import (
    deliverable_spans,
    stage_summary,
)
from playbook.analytics.planning import (
    OBJECTIVES,
    allocate_budget,
    campaign_timeline,
    cpm_band,
    default_policy,
    er_band,
    expected_results,
    funnel_by_group,
    infeasible_cells,
    late_reasons,
    make_feasible,
    measured_reply_rate,
    outreach_funnel,
    outreach_needed,
    outreach_stage_counts,
    planner_comparison,
)
from playbook.analytics.pricing import min_creator_fee
from playbook.analytics.stats import wilson_interval
from playbook.data.loading import empty_table, load
from playbook.data.registry import benchmark, load_tier_presets
from playbook.data.synth.generate import SAMPLE_DIR


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table with the schema's columns and dtypes from a few hand-written rows."""
    empty = empty_table(name)
    return pd.DataFrame(rows, columns=empty.columns).astype(empty.dtypes.to_dict())


# --------------------------------------------------------------------------- bands
def test_cpm_band_spans_the_three_sources() -> None:
    # cpm_instagram_wordontheblock_2023 5-10-15, cpm_instagram_influencerhero 5-10-15, cpm_instagram_inzpire
    # 32-37-42: lowest low 5, median typical median(10, 10, 37) = 10, highest high 42
    (low, typical, high), ids = cpm_band("instagram")
    assert (low, typical, high) == (5, 10, 42)
    assert ids == (
        "cpm_instagram_wordontheblock_2023",
        "cpm_instagram_influencerhero",
        "cpm_instagram_inzpire",
    )


def test_er_band_uses_each_platforms_basis() -> None:
    # Instagram micro by followers: er_followers_instagram_micro_untapper_2026 = 2%-2.75%-3.5%
    band, ids, basis = er_band("instagram", "micro")
    assert band == (0.02, 0.0275, 0.035) and basis == "followers"
    assert ids == ("er_followers_instagram_micro_untapper_2026",)
    # YouTube mid (50K-500K under hootsuite_imh) overlaps the Modash 50-100K (0.23%-0.28%-0.33%) and 100-500K
    # (0.19%-0.23%-0.27%) buckets: low 0.19%, typical median(0.28%, 0.23%) = 0.255%, high 0.33%
    band, ids, basis = er_band("youtube", "mid")
    assert band == pytest.approx((0.0019, 0.00255, 0.0033)) and basis == "views"
    assert ids == ("er_views_youtube_modash_50k_100k", "er_views_youtube_modash_100k_500k")
    with pytest.raises(ValueError, match="unknown platform"):
        er_band("myspace", "nano")


# --------------------------------------------------------------------------- allocation
def test_default_policy_moves_along_syncly_bands_by_objective() -> None:
    # budget_share_micro_nano_syncly 0.5-0.6-0.7, budget_share_macro_syncly 0.2-0.25-0.3: awareness takes
    # the low end for nano/micro and the high end for macro, conversion the opposite; experimental = rest
    assert default_policy("awareness") == pytest.approx(
        {"nano_micro": 0.5, "macro": 0.3, "experimental": 0.2}
    )
    assert default_policy("consideration") == pytest.approx(
        {"nano_micro": 0.6, "macro": 0.25, "experimental": 0.15}
    )
    assert default_policy("conversion") == pytest.approx(
        {"nano_micro": 0.7, "macro": 0.2, "experimental": 0.1}
    )
    for objective in OBJECTIVES:  # the remainder stays inside budget_share_experimental_syncly 0.1-0.2
        assert 0.1 - 1e-12 <= default_policy(objective)["experimental"] <= 0.2 + 1e-12


def test_allocation_worked_example_instagram_awareness() -> None:
    # imh_2024 has tiers nano, micro, macro, mega (no mid). Awareness weighs cells by 1000 / CPM, equal for
    # every Instagram cell, so groups split evenly: nano_micro 0.5 -> 0.25 each; macro 0.3 -> 0.15 each
    # (macro, mega); experimental 0.2 over 4 tiers -> 0.05 each. Shares: nano 0.30, micro 0.30, macro 0.20,
    # mega 0.20; on a 10,000 budget nano gets 3,000.
    a = allocate_budget(10_000, "awareness", platforms=("instagram",), preset="imh_2024").set_index("tier")
    assert a["share"].to_dict() == pytest.approx({"nano": 0.3, "micro": 0.3, "macro": 0.2, "mega": 0.2})
    nano = a.loc["nano"]
    assert nano["amount"] == pytest.approx(3_000)
    # impressions = 3,000 / CPM x 1000 with CPM 42 (low case), 10 (typical), 5 (high case)
    assert nano[["impressions_low", "impressions_typical", "impressions_high"]].tolist() == pytest.approx(
        [3_000 / 42 * 1000, 300_000, 600_000]
    )
    # engagements typical = 300,000 x 4% (er_followers_instagram_nano_untapper_2026 typical)
    assert nano["engagements_typical"] == pytest.approx(12_000)
    # clicks = 300,000 x 1% (ctr_views_rule_of_thumb);
    # conversions = 3,000 x 2.41% (conversion_rate_nano_lookfluence)
    assert nano["clicks_typical"] == pytest.approx(3_000)
    assert nano["conversions_typical"] == pytest.approx(72.3)
    assert "conversion_rate_nano_lookfluence" in nano["benchmark_ids"]
    assert "cpm_instagram_inzpire" in nano["benchmark_ids"]


def test_conversion_weights_cells_by_conversion_rate() -> None:
    # Instagram only, hootsuite_imh. Conversion: nano_micro 0.7 split by conversions per dollar, which here
    # differ only by conversion_rate_<tier>_lookfluence: nano 2.41%, micro 2.18% -> nano 0.7 x 2.41 / 4.59;
    # plus the experimental 0.1 / 5 tiers = 0.02
    a = allocate_budget(1_000, "conversion", platforms=("instagram",), feasible=False).set_index("tier")
    assert a.loc["nano", "share"] == pytest.approx(0.7 * 0.0241 / (0.0241 + 0.0218) + 0.02)
    # mid has no lookfluence figure, so it falls back to conversion_rate_all_lookfluence (2.18%)
    assert "conversion_rate_all_lookfluence" in a.loc["mid", "benchmark_ids"]


def test_conversion_favours_nano_micro_and_awareness_favours_cheap_reach() -> None:
    conversion = allocate_budget(1_000, "conversion", feasible=False)
    awareness = allocate_budget(1_000, "awareness", feasible=False)
    small = ["nano", "micro"]
    assert (
        conversion.loc[conversion["tier"].isin(small), "share"].sum()
        > awareness.loc[awareness["tier"].isin(small), "share"].sum()
    )
    # YouTube's typical CPM (median 22.5) is above Instagram's and TikTok's (10): awareness buys it least
    by_platform = awareness.groupby("platform")["share"].sum()
    assert by_platform["youtube"] < by_platform["instagram"] == pytest.approx(by_platform["tiktok"])


def test_custom_policy_and_bad_inputs() -> None:
    a = allocate_budget(100, "awareness", policy={"nano_micro": 1.0})
    assert set(a.loc[a["share"] > 0, "tier"]) == {"nano", "micro"}
    with pytest.raises(ValueError, match="sum to 1"):
        allocate_budget(100, "awareness", policy={"nano_micro": 0.5})
    with pytest.raises(ValueError, match="unknown policy group"):
        allocate_budget(100, "awareness", policy={"celebrities": 1.0})
    for bad in (-1, math.nan, math.inf):
        with pytest.raises(ValueError, match="budget"):
            allocate_budget(bad, "awareness")
    with pytest.raises(ValueError, match="objective"):
        allocate_budget(100, "virality")


def test_imh_2024_macro_group_without_mid_still_works() -> None:
    # imh_2024 has no mid tier, but its macro and mega tiers still form the macro group
    a = allocate_budget(
        100, "awareness", preset="imh_2024", policy={"macro": 0.5, "nano_micro": 0.5}, feasible=False
    )
    assert set(a.loc[a["share"] > 0, "tier"]) == {"nano", "micro", "macro", "mega"}


def test_expected_results_sum_ranges_and_cost_per_result() -> None:
    # Instagram only: every cell has CPM 5 / 10 / 42, so 10,000 buys 10,000 / 10 x 1000 = 1,000,000
    # impressions typically (238,095 at CPM 42, 2,000,000 at CPM 5) and the CPM row gives back 5 / 10 / 42
    a = allocate_budget(10_000, "awareness", platforms=("instagram",), preset="imh_2024")
    r = expected_results(a)
    assert r.loc["impressions", ["low", "typical", "high"]].tolist() == pytest.approx(
        [10_000 / 42 * 1000, 1_000_000, 2_000_000]
    )
    assert r.loc["cpm", ["low", "typical", "high"]].tolist() == pytest.approx([5, 10, 42])
    assert r.loc["impressions", "low"] <= r.loc["impressions", "typical"] <= r.loc["impressions", "high"]
    # clicks typical = 1% of 1,000,000 = 10,000 -> CPC typical = 10,000 / 10,000 = 1
    assert r.loc["cpc", "typical"] == pytest.approx(1.0)
    assert (r["budget"] == 10_000).all()


def test_zero_budget_gives_zero_results_and_undefined_costs_with_reasons() -> None:
    r = expected_results(allocate_budget(0, "conversion"))
    assert r.loc["conversions", "typical"] == 0
    assert math.isnan(r.loc["cpa", "typical"])
    assert r.loc["cpa", "note"] == "cpa: denominator is 0"
    assert r.loc["impressions", "note"] == ""


budgets = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
presets = st.sampled_from(sorted(load_tier_presets()["preset"].unique()))
platform_sets = st.lists(
    st.sampled_from(["instagram", "tiktok", "youtube"]), min_size=1, max_size=3, unique=True
)


@settings(max_examples=40, deadline=None)
@given(budgets, st.sampled_from(OBJECTIVES), platform_sets, presets)
def test_shares_sum_to_one_and_amounts_to_the_budget(
    budget: float, objective: str, platforms: list[str], preset: str
) -> None:
    a = allocate_budget(budget, objective, platforms=platforms, preset=preset, feasible=False)
    assert a["share"].sum() == pytest.approx(1.0)
    assert (a["share"] >= 0).all()
    assert a["amount"].sum() == pytest.approx(budget, rel=1e-9, abs=1e-6)
    for metric in ("impressions", "engagements", "clicks", "conversions"):
        assert (a[f"{metric}_low"] <= a[f"{metric}_typical"] + 1e-9).all()
        assert (a[f"{metric}_typical"] <= a[f"{metric}_high"] + 1e-9).all()


@settings(max_examples=15, deadline=None)
@given(budgets, st.sampled_from(OBJECTIVES), platform_sets, presets)
def test_feasible_plans_never_fund_a_cell_below_one_creator(
    budget: float, objective: str, platforms: list[str], preset: str
) -> None:
    a = allocate_budget(budget, objective, platforms=platforms, preset=preset)
    assert infeasible_cells(a).empty
    funded = a[a["amount"] > 0]
    assert (funded["creators_affordable"] >= 1).all()
    # the whole budget is spent unless it cannot buy even the cheapest creator of any cell
    if budget >= a["min_creator_fee"].min():
        assert a["amount"].sum() == pytest.approx(budget, rel=1e-9)
    else:
        assert a["amount"].sum() == 0


def test_the_capstone_awareness_plan_is_feasible() -> None:
    # 20,000 USD awareness over the three platforms (hootsuite_imh): unconstrained, the policy gives every
    # mega cell about 1,085 USD (Instagram) or 630 (YouTube), below one mega creator's fee (min_creator_fee:
    # the fair typical of one piece at 1,000,000 followers); the feasible plan drops those cells and moves
    # their money to the cells that can book a creator
    loose = allocate_budget(20_000, "awareness", feasible=False)
    assert not infeasible_cells(loose).empty
    assert set(infeasible_cells(loose)["tier"]) >= {"mega"}
    plan = allocate_budget(20_000, "awareness").set_index(["platform", "tier"])
    assert plan.loc[(slice(None), "mega"), "amount"].sum() == 0
    assert plan["amount"].sum() == pytest.approx(20_000)
    ig_mega = plan.loc[("instagram", "mega"), "min_creator_fee"]
    assert ig_mega == pytest.approx(min_creator_fee("instagram", 1_000_000))
    # kept cells keep their relative shares: nano instagram / nano tiktok is unchanged
    assert plan.loc[("instagram", "nano"), "amount"] == pytest.approx(
        loose.set_index(["platform", "tier"]).loc[("instagram", "nano"), "amount"]
        * 20_000
        / loose.loc[~loose.index.isin(infeasible_cells(loose).index), "amount"].sum()
    )


def test_make_feasible_drops_the_worst_cell_first() -> None:
    # budget 100: shares 0.5 / 0.3 / 0.2 give 50 / 30 / 20 against fees 10 / 40 / 30: cell b (30 / 40 = 0.75)
    # and c (20 / 30 = 0.67) are short; c goes first, then b gets 100 x 0.3 / 0.8 = 37.5 < 40 and goes too
    share = pd.Series({"a": 0.5, "b": 0.3, "c": 0.2})
    fee = pd.Series({"a": 10.0, "b": 40.0, "c": 30.0})
    assert make_feasible(100, share, fee).to_dict() == {"a": 1.0, "b": 0.0, "c": 0.0}
    assert make_feasible(5, share, fee).sum() == 0  # not even one creator of a
    assert make_feasible(200, share, fee).to_dict() == pytest.approx(share.to_dict())  # all feasible


@settings(max_examples=30, deadline=None)
@given(budgets, budgets, st.sampled_from(OBJECTIVES))
def test_allocation_is_monotone_in_budget(b1: float, b2: float, objective: str) -> None:
    small, large = sorted((b1, b2))
    a, b = (
        allocate_budget(small, objective, feasible=False),
        allocate_budget(large, objective, feasible=False),
    )
    assert a["share"].to_numpy() == pytest.approx(b["share"].to_numpy())
    assert (a["amount"] <= b["amount"] + 1e-6).all()
    ra, rb = expected_results(a), expected_results(b)
    for metric in ("impressions", "engagements", "clicks", "conversions"):
        assert (
            ra.loc[metric, ["low", "typical", "high"]] <= rb.loc[metric, ["low", "typical", "high"]] + 1e-6
        ).all()


# --------------------------------------------------------------------------- outreach
def test_outreach_needed_worked_example() -> None:
    # reply_rate_creator_heepsy 40% x followup_uplift_woodpecker 1.4 = 56%; with half of replies agreeing,
    # 10 creators need 10 / (0.56 x 0.5) = 35.7 -> 36 messages; 36 x 0.56 = 20.16 replies, 10.08 agreed.
    # Heepsy's rule: contact double (outreach_contact_multiple_heepsy = 2) -> 20. Sending 36 at 30 new a day
    # (outreach_new_per_day_influencerhero) takes 2 days.
    plan = outreach_needed(10, agree_rate=0.5)
    assert plan["reply_rate"] == pytest.approx(0.56)
    assert plan["messages_to_send"] == 36
    assert plan["expected_replies"] == pytest.approx(20.16)
    assert plan["expected_agreed"] == pytest.approx(10.08)
    assert plan["heepsy_rule_messages"] == 20
    assert plan["sending_days"] == 2
    assert "followup_uplift_woodpecker" in plan["benchmark_ids"]


def test_outreach_needed_without_followups_and_exact_division() -> None:
    # 10 / (0.4 x 0.5) = 50 exactly: no extra message from floating-point noise
    plan = outreach_needed(10, agree_rate=0.5, followups=False)
    assert plan["messages_to_send"] == 50
    assert outreach_needed(0, agree_rate=0.5)["messages_to_send"] == 0


def test_outreach_needed_measures_agree_rate_from_the_data(minimal_tables: dict[str, pd.DataFrame]) -> None:
    # minimal dataset: 3 messages, 2 replies, both agreed -> agreed per reply 2 / 2 = 1.
    # 4 creators at 40% replies (no follow-ups) and 100% agreement need 4 / 0.4 = 10 messages
    plan = outreach_needed(4, followups=False, tables=minimal_tables)
    assert plan["agree_rate"] == 1.0
    assert plan["messages_to_send"] == 10
    assert plan["agree_rate_source"].startswith("measured")


def test_outreach_needed_refuses_to_guess_an_agree_rate() -> None:
    with pytest.raises(ValueError, match="no published agree rate"):
        outreach_needed(10)
    with pytest.raises(ValueError, match="agree_rate"):
        outreach_needed(10, agree_rate=0.0)
    with pytest.raises(ValueError, match="target_creators"):
        outreach_needed(-1, agree_rate=0.5)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 500), st.floats(0.01, 1.0), st.floats(0.01, 1.0), st.booleans())
def test_outreach_needed_is_the_smallest_sufficient_volume(
    target: int, reply: float, agree: float, followups: bool
) -> None:
    plan = outreach_needed(target, reply_rate=reply, agree_rate=agree, followups=followups)
    rate = plan["reply_rate"] * plan["agree_rate"]
    assert plan["expected_agreed"] >= target - 1e-6
    assert (plan["messages_to_send"] - 1) * rate < target or target == 0


def test_outreach_funnel_counts_rates_and_stage_times(minimal_tables: dict[str, pd.DataFrame]) -> None:
    f = outreach_funnel(minimal_tables).iloc[0]
    assert f[["sent", "replied", "negotiating", "agreed"]].tolist() == [3, 2, 2, 2]
    assert f["reply_rate"] == pytest.approx(2 / 3)
    assert f["agreed_per_sent"] == pytest.approx(2 / 3)
    # reply times: OM0001 Feb 1 10:00 -> Feb 3 12:00 = 2 d 2 h = 2.0833 d; OM0003 08:00 -> 09:30 = 0.0625 d
    assert f["days_to_reply"] == pytest.approx((50 / 24 + 1.5 / 24) / 2)
    # negotiation: Feb 3 12:00 -> Feb 5 09:00 = 45 h; Mar 1 09:30 -> Mar 4 10:00 = 72.5 h
    assert f["days_to_negotiation"] == pytest.approx((45 + 72.5) / 2 / 24)
    # agreement: Feb 5 09:00 -> Feb 19 15:30 = 342.5 h; Mar 4 10:00 -> Mar 18 11:00 = 337 h
    assert f["days_to_agree"] == pytest.approx((342.5 + 337) / 2 / 24)


def test_outreach_funnel_by_incentive_with_an_empty_stage(minimal_tables: dict[str, pd.DataFrame]) -> None:
    f = outreach_funnel(minimal_tables, by="incentive").set_index("incentive")
    assert f.loc["fee", ["sent", "agreed"]].tolist() == [2, 2]
    assert f.loc["product", "reply_rate"] == 0.0
    assert math.isnan(f.loc["product", "negotiation_rate"])  # 0 negotiating / 0 replied: undefined, not 0
    with pytest.raises(ValueError, match="cannot group"):
        outreach_funnel(minimal_tables, by="mood")


# --------------------------------------------------------------------------- timeline and late causes
CONTRACTS = [
    {
        "contract_id": "CT1",
        "campaign_id": "CP1",
        "creator_id": "CR1",
        "account_id": "AC1",
        "signed_date": "2024-02-20",
        "deliverables_count": 4,
        "cpm_assumed": 10,
        "expected_views": 1000,
        "format_uplift": 1,
        "usage_rights": "none",
        "usage_uplift": 1,
        "exclusivity_days": 0,
        "fee": 400,
        "product_value": 30,
        "shipping_cost": 5,
        "payment_terms_days": 30,
    }
]


def deliverable(
    i: int, due: str, draft: str, rounds: int, approved: str, posted: str | None, **extra: object
) -> dict:
    row = {"deliverable_id": f"DL{i}", "contract_id": "CT1", "format": "reel", "due_date": due}
    row |= {"draft_submitted_date": draft, "revision_rounds": rounds, "approved_date": approved}
    return row | {"posted_date": posted, "amount": 100} | extra


def timeline_tables() -> dict[str, pd.DataFrame]:
    rows = [
        # DL1: shipped Mar 1 (plan: due Mar 10 - 7 = Mar 3, 2 days early); draft Mar 9 (plan Mar 10 - 3 =
        # Mar 7: 2 days late); 3 rounds; approved Mar 12 (plan Mar 9: 3 late); posted Mar 13 (due Mar 10:
        # 3 late);
        # invoiced Mar 15, paid Apr 20 vs payment due Mar 15 + 30 = Apr 14: 6 days late
        deliverable(1, "2024-03-10", "2024-03-09", 3, "2024-03-12", "2024-03-13")
        | {"product_shipped_date": "2024-03-01", "invoiced_date": "2024-03-15", "paid_date": "2024-04-20"},
        # DL2: on time; draft Mar 14 (plan Mar 17), approved Mar 16 (plan Mar 19), posted Mar 20 = due;
        # invoiced Mar 20, unpaid: payment due Apr 19 < as_of Apr 20 -> overdue
        deliverable(2, "2024-03-20", "2024-03-14", 0, "2024-03-16", "2024-03-20")
        | {"product_shipped_date": "2024-03-10", "invoiced_date": "2024-03-20"},
        # DL3: late with an on-time draft (Mar 20 <= plan Mar 22) but 2 rounds, approved Mar 26 (plan Mar 24)
        deliverable(3, "2024-03-25", "2024-03-20", 2, "2024-03-26", "2024-03-27"),
        # DL4: on time despite 2 revision rounds
        deliverable(4, "2024-04-01", "2024-03-25", 2, "2024-03-29", "2024-04-01"),
    ]
    return {"contracts": frame("contracts", CONTRACTS), "deliverables": frame("deliverables", rows)}


def test_campaign_timeline_planned_vs_actual_by_stage() -> None:
    t = campaign_timeline(timeline_tables(), "CP1").set_index(["deliverable_id", "stage"])
    dl1 = t.loc["DL1"]
    assert dl1["days_late"].to_dict() == pytest.approx(
        {"shipped": -2, "draft": 2, "approved": 3, "posted": 3, "invoiced": math.nan, "paid": 6}, nan_ok=True
    )
    assert dl1["status"].to_dict() == {
        "shipped": "on_time",
        "draft": "late",
        "approved": "late",
        "posted": "late",
        "invoiced": "done",
        "paid": "late",
    }
    assert dl1.loc["paid", "planned_date"] == pd.Timestamp("2024-04-14")
    # as_of = latest actual event = Apr 20 (DL1 paid): DL2's payment due Apr 19 is overdue
    assert t.loc[("DL2", "paid"), "status"] == "overdue"
    assert t.loc[("DL2", "posted"), "status"] == "on_time"
    # the contract gifts product but no shipment of DL3 is recorded, and its plan (Mar 18) has passed
    assert t.loc[("DL3", "shipped"), "status"] == "overdue"
    assert campaign_timeline(timeline_tables(), "CP404").empty


def test_campaign_timeline_leads_are_parameters() -> None:
    # with a 5-day draft lead DL1's draft plan is Mar 5, so Mar 9 is 4 days late
    t = campaign_timeline(timeline_tables(), "CP1", draft_lead_days=5).set_index(["deliverable_id", "stage"])
    assert t.loc[("DL1", "draft"), "days_late"] == 4


def test_no_shipping_stage_without_a_gifted_product() -> None:
    tables = timeline_tables()
    tables["contracts"] = tables["contracts"].assign(product_value=0.0)
    t = campaign_timeline(tables, "CP1")
    # DL1 and DL2 recorded a shipment anyway, so their row stays; DL3 and DL4 have none
    assert set(t.loc[t["stage"] == "shipped", "deliverable_id"]) == {"DL1", "DL2"}


def test_late_reasons_shares_by_cause() -> None:
    # late posts: DL1 (late draft, 3 rounds, late approval), DL3 (2 rounds, late approval) -> 2 late posts.
    # on-time posts: DL2 (no cause), DL4 (2 rounds) -> 2 on-time posts.
    # late_draft 1/2 of late; many_revisions (>= 2) 2/2 of late, 1/2 of on-time; late_approval 2/2 of late
    r = late_reasons(timeline_tables()).set_index("cause")
    assert r["late_posts"].unique().tolist() == [2]
    assert r["share_of_late"].to_dict() == pytest.approx(
        {
            "late_shipping": 0.0,
            "late_draft": 0.5,
            "many_revisions": 1.0,
            "late_approval": 1.0,
            "no_recorded_cause": 0.0,
        }
    )
    assert r["share_of_on_time"].to_dict() == pytest.approx(
        {
            "late_shipping": 0.0,
            "late_draft": 0.0,
            "many_revisions": 0.5,
            "late_approval": 0.0,
            "no_recorded_cause": 0.5,
        }
    )
    # raising the revision threshold to 3 keeps only DL1
    assert (
        late_reasons(timeline_tables(), many_revisions=3)
        .set_index("cause")
        .loc["many_revisions", "share_of_late"]
        == 0.5
    )


def test_late_reasons_with_no_late_posts_are_undefined_not_zero() -> None:
    tables = timeline_tables()
    tables["deliverables"] = tables["deliverables"][
        tables["deliverables"]["deliverable_id"].isin(["DL2", "DL4"])
    ]
    r = late_reasons(tables)
    assert (r["late_posts"] == 0).all()
    assert r["share_of_late"].isna().all()


def test_sample_late_posting_is_driven_by_late_drafts_and_approvals(sample: dict[str, pd.DataFrame]) -> None:
    r = late_reasons(sample).set_index("cause")
    # measured on the committed sample: 64 of 206 posts late; every late post had a late approval
    assert r.loc["late_approval", "share_of_late"] == 1.0
    assert r.loc["late_draft", "share_of_late"] > 10 * r.loc["late_draft", "share_of_on_time"]
    t = campaign_timeline(sample, "CP000001")
    assert set(t["stage"].astype(str)) >= {"draft", "approved", "posted", "invoiced", "paid"}


def test_sample_outreach_reply_rate_is_near_heepsy(sample: dict[str, pd.DataFrame]) -> None:
    # the generator calibrates reply odds to reply_rate_creator_heepsy (40%); measured 260 / 584 = 44.5%
    f = outreach_funnel(sample).iloc[0]
    assert abs(f["reply_rate"] - 0.40) < 0.06
    # fee offers get more replies than product-only ones (Heepsy's ordering)
    by = outreach_funnel(sample, by="incentive").set_index("incentive")
    assert by.loc["fee", "reply_rate"] > by.loc["product", "reply_rate"]


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:

    names = ["creators", "accounts", "brands", "campaigns", "contracts", "deliverables", "outreach", "posts"]
    return load(SAMPLE_DIR, tables=names)


# -------------------------------------------------------------------- moved from test_apps_execution.py


@pytest.fixture
def late_tables(minimal_tables: dict) -> dict[str, pd.DataFrame]:
    """The minimal dataset with DL0002 posted two days after its 2024-03-10 due date."""
    d = minimal_tables["deliverables"].copy()
    d.loc[d["deliverable_id"] == "DL0002", "posted_date"] = pd.Timestamp("2024-03-12")
    return {**minimal_tables, "deliverables": d}


def test_deliverable_spans_worked_example(minimal_tables: dict) -> None:
    timeline = campaign_timeline(minimal_tables, "CP001")
    spans = deliverable_spans(timeline, {"CR00001": "glowwithmia"}).set_index("deliverable_id")
    # DL0001, due 2024-03-05, gifted product: planned shipping = due - 7 days (shipping_lead_days_heepsy low)
    # = 2024-02-27 is the earliest planned step; actual shipping 2024-02-22; posted on the due date.
    lead = benchmark("shipping_lead_days_heepsy").low
    dl1 = spans.loc["DL0001"]
    assert dl1["planned_start"] == pd.Timestamp("2024-03-05") - pd.Timedelta(days=lead)
    assert dl1["actual_start"] == pd.Timestamp("2024-02-22")
    assert (dl1["planned_end"], dl1["actual_end"]) == (pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-05"))
    assert dl1["item"] == "DL0001 @glowwithmia" and dl1["group"] == "reel"
    assert list(spans.index) == ["DL0001", "DL0002"]


def test_stage_summary_counts_late_and_unplanned_stages(late_tables: dict) -> None:
    stages = stage_summary(campaign_timeline(late_tables, "CP001")).set_index("stage")
    # posted: DL0001 on its due date, DL0002 two days late -> 1 of 2 on time, median days late 2
    assert stages.loc["posted", ["on_time", "late", "measured"]].tolist() == [1, 1, 2]
    assert stages.loc["posted", "on_time_rate"] == 0.5
    assert stages.loc["posted", "median_days_late"] == 2
    # invoiced has no contractual date: DL0001 invoiced (done, no plan), DL0002 not yet (open)
    assert stages.loc["invoiced", ["done_no_plan", "open", "measured"]].tolist() == [1, 1, 0]
    assert math.isnan(stages.loc["invoiced", "on_time_rate"])


# --------------------------------------------------------------------- moved from test_apps_outreach.py


def test_funnel_by_group_counts_rates_intervals_and_small_groups(outreach_tables: dict) -> None:
    out = funnel_by_group(outreach_tables, "incentive", min_group=3).set_index("group")
    # fee: 2 replies of 4 messages = 0.5; product: 0 of 2 = 0
    assert out.loc["fee", ["trials", "successes"]].tolist() == [4, 2]
    assert out.loc["fee", "rate"] == 0.5 and out.loc["product", "rate"] == 0.0
    assert (out.loc["fee", "ci_low"], out.loc["fee", "ci_high"]) == pytest.approx(wilson_interval(2, 4))
    # product has 2 messages < min_group 3: flagged small
    assert out["small"].to_dict() == {"fee": False, "product": True}


def test_funnel_by_group_agreed_per_reply_is_undefined_without_replies(outreach_tables: dict) -> None:
    out = funnel_by_group(outreach_tables, "incentive", "agreed_per_reply").set_index("group")
    # fee: 1 agreed of 2 replies = 0.5; product: no replies, so no rate and no interval
    assert out.loc["fee", "rate"] == 0.5
    assert math.isnan(out.loc["product", "rate"]) and math.isnan(out.loc["product", "ci_low"])
    assert "denominator is 0" in out.loc["product", "reason"]
    assert out.loc["fee", "reason"] is None
    with pytest.raises(ValueError, match="rate must be one of"):
        funnel_by_group(outreach_tables, "incentive", "open_rate")


def test_stage_counts_feed_the_funnel_chart(minimal_tables: dict) -> None:
    # minimal outreach: 3 sent, OM0001 and OM0003 replied, negotiated and agreed
    counts = outreach_stage_counts(minimal_tables)
    assert counts.to_dict("list") == {
        "stage": ["sent", "replied", "negotiating", "agreed"],
        "count": [3, 2, 2, 2],
    }


def test_planner_comparison_includes_the_rule_of_thumb(sample: dict) -> None:
    table = planner_comparison(7, sample).set_index("assumption")
    # Heepsy: contact outreach_contact_multiple_heepsy (2) x 7 = 14 creators; 14 / 30 a day -> 1 day
    multiple = benchmark("outreach_contact_multiple_heepsy").value
    per_day = benchmark("outreach_new_per_day_influencerhero").value
    assert table.loc["Heepsy rule of thumb", "messages_to_send"] == math.ceil(7 * multiple)
    assert (table["sending_days"] == [math.ceil(m / per_day) for m in table["messages_to_send"]]).all()


def test_measured_reply_rate_is_replied_over_sent(outreach_tables: dict) -> None:
    # fee 2 of 4 replied, product 0 of 2: 2 replies / 6 messages = 1/3
    assert measured_reply_rate(outreach_tables) == pytest.approx(2 / 6)
    # it feeds outreach_needed without the follow-up uplift: 3 creators, agree 0.5 -> 3 / (1/3 x 0.5) = 18
    reply = measured_reply_rate(outreach_tables)
    plan = outreach_needed(3, reply_rate=reply, agree_rate=0.5, followups=False)
    assert plan["messages_to_send"] == 18
