"""Module 06 apps: fair-rate calculator, multi-issue negotiation, clause checklist, relationship health."""

from __future__ import annotations

import html

import pytest

from playbook.analytics.negotiation import CONTRACT_CLAUSES, fair_price
from playbook.analytics.pricing import ask_position, fair_rate, rate_tables
from playbook.analytics.relationships import relationship_health, team_ops_metrics
from playbook.course.apps.negotiation import (
    ClauseChecklistApp,
    FairRateApp,
    HealthApp,
    NegotiationApp,
    fair_rate_chart,
    health_chart,
    team_ops_chart,
)


@pytest.fixture(scope="module")
def reel() -> object:
    return fair_rate("instagram", 60_000, "reel", "paid_90d", 2, usage_uplift=1.3)


def test_fair_rate_chart_shows_ranges_and_the_ask(reel: object) -> None:
    spec = fair_rate_chart(reel, rate_tables("instagram", 60_000, "reel"), 900.0).to_dict()
    assert len(spec["layer"]) == 3
    rows = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert rows[0]["kind"] == "fair model" and rows[0]["typical"] == pytest.approx(311.025)
    assert rows[0]["high"] == pytest.approx(311.025 * 3.7)  # the fair range first, then the widest
    assert rows[1]["high"] == pytest.approx(1965.6)
    assert spec["datasets"][spec["layer"][2]["data"]["name"]][0]["ask"] == 900.0
    assert len(fair_rate_chart(reel, rate_tables("instagram", 60_000, "reel")).to_dict()["layer"]) == 2


# --------------------------------------------------------------------------- fair-rate app
def test_fair_rate_app_loads_a_past_deal(sample: dict) -> None:
    app = FairRateApp(sample)
    first = app.deal.options[1][1]
    app.deal.value = first
    row = app.scenarios.set_index("contract_id").loc[first]
    assert (app.platform.value, app.followers.value, app.ask.value) == (
        row["platform"],
        row["followers"],
        row["ask"],
    )
    expected = fair_rate(
        row["platform"],
        int(row["followers"]),
        row["format"],
        row["usage_rights"],
        int(row["deliverables"]),
        contracts=sample["contracts"],
    )
    assert app.result.total == pytest.approx(expected.total)
    assert app.position == ask_position(row["ask"], expected)[0]
    assert app.position in app.summary.value
    # every deal offered is a USD deal (the registry is in USD)
    offered = {v for _, v in app.deal.options if v}
    assert set(app.scenarios.loc[app.scenarios["contract_id"].isin(offered), "currency"]) == {"USD"}


def test_fair_rate_app_controls(sample: dict) -> None:
    app = FairRateApp(sample)
    app.platform.value = "tiktok"
    assert list(app.format.options) == ["short_video"] and app.result.platform == "tiktok"
    app.followers.value = 10_000
    app.usage.value = "none"
    app.deliverables.value = 1
    assert app.result.total == pytest.approx((42, 145, 525))  # the TikTok worked example above
    app.ask.value = 1000
    assert app.position == "above the fair range"
    assert len(app.chart_out.outputs) == 1


# --------------------------------------------------------------------------- negotiation
def test_negotiation_app_prices_terms_and_agrees(sample: dict) -> None:
    app = NegotiationApp(sample)
    app.usage_months.value = 3
    app.media.value = "paid_social"
    terms = app.terms()
    fair = fair_price(terms, app.creator.fair_per_piece, app.prices)
    assert f"{fair:,.2f} USD" in app.terms_out.value
    app.offer.value = round(app.current_ask, 2) + 1  # at the ask: accepted
    assert app.send() == "accepted" and app.outcome == "agreed" and app.agreed.usage_months == 3
    assert "Agreed at" in app.log.value
    assert f"({app.agreed.fee / fair:.2f}x the fair price)" in app.log.value  # fee / fair price of the terms
    app.send_button.click()  # no more rounds once agreed
    assert len(app.history) == 1


def test_negotiation_app_remembers_a_lowball(sample: dict) -> None:
    app = NegotiationApp(sample, max_rounds=2)
    fair = fair_price(app.terms(), app.creator.fair_per_piece, app.prices)
    app.offer.value = round(0.3 * fair, 2)  # far below lowball_share_model x fair
    assert app.send() == "declined" and app.outcome == "declined"
    hurt = app.creator.goodwill
    assert hurt < 1
    app.restart_button.click()  # the same creator: memory stays
    assert app.history.empty and app.outcome == "open" and app.creator.goodwill == hurt
    assert f"{hurt:.0%}" in app.brief.value
    app.deal.value = app.deal.options[-1][1]  # another deal: a new creator, full goodwill
    assert app.creator.goodwill == 1.0


def test_negotiation_app_creator_walks_away_after_the_last_counter(sample: dict) -> None:
    app = NegotiationApp(sample, max_rounds=2)
    terms = app.terms()
    walk_away = app.creator.walk_away(terms, app.prices)
    offer = round(0.99 * walk_away, 2)  # just under the walk-away and not a lowball: countered
    assert offer >= app.prices.lowball_share * fair_price(terms, app.creator.fair_per_piece, app.prices)
    app.offer.value = offer
    assert app.send() == "countered" and app.outcome == "open"
    assert app.current_ask == app.history["counter"].iloc[-1]  # the counter is the ask now
    assert app.send() == "countered" and app.outcome == "walked away" and app.agreed is None
    assert "walked away" in app.log.value
    assert app.send() == "walked away" and len(app.history) == 2  # no more rounds


def test_clause_checklist_app_lists_what_is_missing() -> None:
    app = ClauseChecklistApp(included=())
    assert f"{len(CONTRACT_CLAUSES)} of {len(CONTRACT_CLAUSES)} clauses missing" in app.summary.value
    app.boxes["kill fee"].value = True
    assert bool(app.result.set_index("clause").loc["kill fee", "included"])
    assert f"{len(CONTRACT_CLAUSES) - 1} of" in app.summary.value
    assert all(box.style.description_width == "initial" for box in app.boxes.values())


# --------------------------------------------------------------------------- relationship health
def test_health_app_matches_relationship_health(sample: dict) -> None:
    app = HealthApp(sample)
    expected = relationship_health(sample)
    assert app.result["recommendation"].tolist() == expected["recommendation"].tolist()
    assert app.counts.sum() == len(expected)
    drops = app.counts["drop"]
    app.min_performance.value = 1.5  # a stricter drop rule drops at least as many creators
    assert app.counts["drop"] >= drops
    strict = relationship_health(sample, min_performance=1.5)
    assert app.counts["drop"] == (strict["recommendation"] == "drop").sum()
    creator = app.result["creator_id"].iloc[-1]
    app.creator.value = creator
    reasons = app.result.set_index("creator_id").loc[creator, "reasons"]
    assert html.escape(reasons.split(";")[0]) in app.detail.value


def test_health_and_team_charts_carry_aggregated_rows(sample: dict) -> None:
    health = relationship_health(sample)
    spec = health_chart(health, 0.5, 2.0).to_dict()
    points = spec["datasets"][spec["layer"][0]["data"]["name"]]
    measurable = health.dropna(subset=["performance_ratio", "cost_ratio"])
    assert len(points) == ((measurable["performance_ratio"] > 0) & (measurable["cost_ratio"] > 0)).sum()
    ops = team_ops_metrics(sample, by="campaign_id")
    spec = team_ops_chart(ops).to_dict()
    assert len(spec["datasets"][spec["data"]["name"]]) == 4 * len(ops)
