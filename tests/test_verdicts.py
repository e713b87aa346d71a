"""The report's rule set (`analytics.verdicts`) case by case, with the arithmetic next to each case."""

from __future__ import annotations

import math
from dataclasses import replace

from playbook.analytics.verdicts import (
    RULES,
    CampaignEvidence,
    CreatorCost,
    KpiResult,
    VerdictRules,
    campaign_verdict,
    covers_cost,
    creator_call,
    rules_text,
)

NAN = math.nan


def _conversion(**changes: object) -> CampaignEvidence:
    """A conversion campaign meeting both primary KPIs, revenue 3,000 on a full cost of 1,000 (ROAS 3)."""
    base = CampaignEvidence(
        objective="conversion",
        kpis=(
            KpiResult("attributed_orders", "Attributed orders", 30.0, 20.0),
            KpiResult("roas", "ROAS", 3.0, 2.0),
            KpiResult("reach", "Reach", 10_000.0, 50_000.0),  # not primary in a conversion campaign
        ),
        full_cost=1_000.0,
        cost_in_budget=900.0,
        budget=1_000.0,
        revenue=3_000.0,
        margin=1_500.0,
        currency="USD",
    )
    return replace(base, **changes)


def test_a_profitable_campaign_on_target_is_good() -> None:
    v = campaign_verdict(_conversion())
    assert (v.label, v.tone) == ("on target", "good")
    assert v.text == "2 of 2 primary KPIs with a target met"
    assert v.findings == ()


def test_a_losing_campaign_never_reads_as_a_plain_success() -> None:
    # revenue 790 / cost 1,000 = ROAS 0.79 < 1; margin ROI = (370 - 1,000) / 1,000 = -63%
    lost = _conversion(
        revenue=790.0,
        margin=370.0,
        kpis=(
            KpiResult("attributed_orders", "Attributed orders", 30.0, 20.0),
            KpiResult("roas", "ROAS", 0.79, 0.5),
        ),
    )
    v = campaign_verdict(lost)
    assert v.label == "on target, but lost money"
    assert v.tone == "warn"
    assert v.findings[0].rule == "break-even"
    assert "ROAS 0.79, break-even 1" in v.findings[0].text
    assert "margin ROI -63%" in v.findings[0].text


def test_losing_on_margin_only_is_a_loss() -> None:
    # ROAS 1.2 >= 1, but margin ROI = (400 - 1,000) / 1,000 = -60%
    v = campaign_verdict(_conversion(revenue=1_200.0, margin=400.0))
    assert v.label == "on target, but lost money"
    assert "not on margin; margin ROI -60%" in v.findings[0].text


def test_an_awareness_campaign_is_judged_on_reach_and_told_what_sales_returned() -> None:
    e = _conversion(
        objective="awareness",
        kpis=(KpiResult("reach", "Reach", 60_000.0, 50_000.0),),
        revenue=200.0,
        margin=100.0,
    )
    v = campaign_verdict(e)
    assert (v.label, v.tone) == ("on target", "good")
    (loss,) = [f for f in v.findings if f.rule == "break-even"]
    assert "ROAS 0.20" in loss.text and "what direct sales returned" in loss.text


def test_a_test_whose_interval_contains_zero_is_not_significant() -> None:
    v = campaign_verdict(_conversion(iroas=0.34, iroas_ci_low=-0.09, iroas_ci_high=0.77))
    (found,) = [f for f in v.findings if f.rule == "significance"]
    assert found.text.startswith("The lift is not statistically significant")
    assert "-0.09 to 0.77" in found.text
    significant = campaign_verdict(_conversion(iroas=1.5, iroas_ci_low=0.2, iroas_ci_high=2.1))
    assert "statistically significant lift" in significant.findings[0].text
    assert [f.rule for f in campaign_verdict(_conversion()).findings] == []  # no test, no statement


def test_a_compliance_failure_leads_the_summary() -> None:
    # 7 of 8 captioned posts not properly disclosed = 88% > 0%
    v = campaign_verdict(_conversion(sponsored_posts=8, posts_with_caption=8, undisclosed_posts=7))
    assert v.top()[0].rule == "disclosure"
    assert "Most sponsored posts were not properly disclosed: 7 of 8 (88%)" in v.top()[0].text
    assert "disclosure" in v.next_step or "#ad" in v.next_step


def test_no_disclosure_statement_without_captions() -> None:
    v = campaign_verdict(_conversion(sponsored_posts=8, posts_with_caption=0, undisclosed_posts=0))
    assert [f.rule for f in v.findings] == []


def test_a_cost_outlier_and_a_creator_taking_most_of_the_budget_are_raised() -> None:
    # @big: 7,300 of a full cost of 10,000 = 73% > 50%; fee CPM 134 > 2 x 35 = 70 (twice the band's high end);
    # @small: 60 < 70, not an outlier
    creators = (
        CreatorCost("big", 7_300.0, fee_cpm=134.0, band_low=3.0, band_high=35.0),
        CreatorCost("small", 2_700.0, fee_cpm=60.0, band_low=3.0, band_high=35.0),
    )
    v = campaign_verdict(
        _conversion(creators=creators, full_cost=10_000.0, revenue=30_000.0, margin=15_000.0)
    )
    rules = {f.rule: f.text for f in v.findings}
    assert rules["cost-outlier"].startswith("Creator fees far above the published CPM band (over 2x its high")
    assert "@big 134 per 1,000 impressions (band 3 to 35)" in rules["cost-outlier"]
    assert "@big cost 7,300 USD, 73% of the full cost" in rules["concentration"]
    assert "@small" not in rules["cost-outlier"]


def test_no_targets_is_never_on_target() -> None:
    e = _conversion(
        kpis=(
            KpiResult("attributed_orders", "Attributed orders", 30.0, NAN),
            KpiResult("roas", "ROAS", 3.0, NAN),
        )
    )
    v = campaign_verdict(e)
    assert (v.label, v.tone) == ("no targets set", "neutral")
    assert "Set targets" in v.next_step


def test_over_budget_compares_spend_without_staff() -> None:
    # cost without staff 1,100 / budget 1,000 = 110%
    v = campaign_verdict(_conversion(cost_in_budget=1_100.0))
    assert "110% of the budget" in v.findings[0].text
    assert [f.rule for f in campaign_verdict(_conversion(cost_in_budget=990.0)).findings] == []


def test_a_conversion_creator_with_no_orders_is_never_rebooked() -> None:
    call = creator_call("conversion", 0.0, "re-book", "no rule fired")
    assert call.call == "drop"
    assert call.reasons.startswith("0 attributed orders in a conversion campaign")
    assert creator_call("awareness", 0.0, "re-book", "no rule fired").call == "re-book"
    assert creator_call("conversion", 2.0, "re-book", "no rule fired").call == "re-book"
    strict = VerdictRules(min_orders_to_rebook=3)
    assert creator_call("conversion", 2.0, "re-book", "no rule fired", strict).call == "drop"


def test_our_late_payments_are_not_a_reason_about_the_creator() -> None:
    reasons = "no rule fired; we paid 1 of 2 invoices late: pay on time before re-booking"
    assert creator_call("awareness", 3.0, "re-book", reasons).reasons == "no rule fired"
    v = campaign_verdict(_conversion(late_payments=4))
    assert v.findings[-1].text == "We paid 4 creator invoices late."


def test_the_appendix_prints_the_thresholds_of_the_rules_used() -> None:
    loose = VerdictRules(max_creator_cost_share=0.8, break_even_roas=1.5)
    text = dict((rule, what) for rule, what, _ in rules_text(loose))
    assert "more than 80% of the campaign's full cost" in text["concentration"]
    assert "ROAS < 1.5" in text["break-even"]
    assert "more than 50%" in dict((r, w) for r, w, _ in rules_text(RULES))["concentration"]


def test_covers_cost_is_the_break_even_rule() -> None:
    # break-even ROAS 1: revenue 1,000 on a cost of 1,000 covers it; 999 does not; no ROAS, no call
    assert covers_cost(1_000 / 1_000) is True and covers_cost(999 / 1_000) is False
    assert covers_cost(NAN) is None
    assert covers_cost(1.5, VerdictRules(break_even_roas=2.0)) is False  # the threshold is the rules'
