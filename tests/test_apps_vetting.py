"""Module 04 apps: archetype examples, recurring commenters, the account inspector, brand fit with sliders
and the cut-off app, driven without a browser (set `.value`, read the results).

Scores follow `analytics.vetting` (score = 100 + sum of component points); fit follows `analytics.brand_fit`;
precision = TP / (TP + FP) and recall = TP / (TP + FN) (`vetting.evaluate`).
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_vetting_inspection import hand_scores  # shared helpers

from playbook.analytics.brand_fit import DEFAULT_FIT_WEIGHTS, FIT_COMPONENTS, brand_fit
from playbook.analytics.vetting import SUSPECTED_BELOW, audience_quality, evaluate, explain
from playbook.analytics.vetting.inspection import archetype_examples
from playbook.course.apps.vetting import (
    account_inspector,
    account_options,
    brand_fit_app,
    contributions_chart,
    evaluate_fresh_sample,
    fit_points_chart,
    follower_chart,
    likes_comments_chart,
    score_histogram,
    threshold_app,
)

# --------------------------------------------------------------------------- the score


@pytest.fixture(scope="module")
def sample() -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    from playbook.data.loading import load
    from playbook.data.synth.generate import SAMPLE_DIR

    tables = load(SAMPLE_DIR)
    return tables, audience_quality(tables)


def test_score_histogram_counts_every_account_once() -> None:
    scores = pd.DataFrame({"score": [0.0, 4.9, 5.0, 62.0, 99.9, 100.0, 100.0]})
    spec = score_histogram(scores, bin_width=5.0, threshold=60.0).to_dict()
    bins = pd.DataFrame(next(d for d in spec["datasets"].values() if "accounts" in d[0]))
    counts = bins.set_index("start")["accounts"]
    # [0, 5): 0 and 4.9; [5, 10): 5.0; [60, 65): 62; the last bin [95, 100] also holds the two 100s
    assert counts[0.0] == 2 and counts[5.0] == 1 and counts[60.0] == 1 and counts[95.0] == 3
    assert counts.sum() == len(scores)
    side = bins.set_index("start")["side"]
    assert side[55.0] == "below the cut-off" and side[60.0] == "at or above the cut-off"


# --------------------------------------------------------------------------- archetypes on real series


def test_series_charts_mark_the_jump_and_ring_the_account(sample: tuple) -> None:
    tables, scores = sample
    account = archetype_examples(scores).loc[0, "account_id"]
    spec = follower_chart(tables, account, scores).to_dict()
    jump = scores.set_index("account_id").loc[account, "growth_jump_date"]
    rule_data = [d for d in spec["datasets"].values() if len(d) == 1 and "what" in d[0]]
    assert any(r[0]["date"].startswith(f"{jump:%Y-%m-%d}") for r in rule_data)
    assert all(len(d) <= 5000 for d in spec["datasets"].values())
    lc = likes_comments_chart(tables, scores, archetype_examples(scores).loc[2, "account_id"]).to_dict()
    assert sum(row["chosen"] for d in lc["datasets"].values() for row in d) == 1


# --------------------------------------------------------------------------- account inspector
def test_account_options_lowest_score_first() -> None:
    accounts = pd.DataFrame({"account_id": ["A", "B", "C", "D"], "handle": ["ann", "bob", "cy", "di"]})
    options = account_options(hand_scores(), accounts)
    assert [a for _, a in options] == ["A", "C", "B", "D"]
    assert options[0][0] == "ann · instagram · nano · score 60"


def test_account_inspector_follows_the_dropdown(sample: tuple) -> None:
    tables, scores = sample
    app = account_inspector(tables, scores)
    lowest = scores.sort_values(["score", "account_id"]).iloc[0]
    assert app.account.value == lowest["account_id"]
    clean = scores[scores["score"] == 100].iloc[0]["account_id"]
    app.account.value = clean
    pd.testing.assert_frame_equal(app.components, explain(clean, scores))
    # the contributions add up to the score: 100 + sum of points (all 0 for a clean account)
    assert app.components["contribution"].sum() == pytest.approx(100.0)
    assert "no strong red flag" in app.summary.value and "<li>" not in app.summary.value
    suspect = lowest["account_id"]
    app.account.value = suspect
    assert app.components["contribution"].sum() == pytest.approx(lowest["score"])
    assert f"score <b>{lowest['score']:.1f}</b>" in app.summary.value and "suspected" in app.summary.value
    bars = contributions_chart(app.components).to_dict()
    shown = next(iter(bars["datasets"].values()))
    assert [r["component"] for r in shown] == list(explain(suspect, scores)["component"][1:])


# --------------------------------------------------------------------------- brand fit with sliders
def test_brand_fit_app_reranks_with_the_slider_weights(sample: tuple) -> None:
    tables, scores = sample
    app = brand_fit_app(tables, scores, campaign_id="CP000001")
    assert app.weights == pytest.approx(DEFAULT_FIT_WEIGHTS)
    app.hide_suspected.value = False
    expected = brand_fit(tables, campaign_id="CP000001")
    assert app.result["creator_id"].tolist() == expected["creator_id"].head(10).tolist()
    assert "<b>0</b> of the top 10 differ" in app.summary.value
    app.sliders["topic"].value = 0.0
    weights = {**DEFAULT_FIT_WEIGHTS, "topic": 0.0}
    reranked = brand_fit(tables, campaign_id="CP000001", weights=weights)["creator_id"].head(10)
    assert app.result["creator_id"].tolist() == reranked.tolist()
    changed = len(set(reranked) - set(expected["creator_id"].head(10)))
    assert changed > 0 and f"<b>{changed}</b> of the top 10 differ" in app.summary.value
    assert "inverted-U" in app.summary.value


def test_brand_fit_app_hides_suspected_creators_and_needs_a_weight(sample: tuple) -> None:
    tables, scores = sample
    app = brand_fit_app(tables, scores, campaign_id="CP000004")
    suspected = set(scores.loc[scores["suspected"], "creator_id"])
    assert suspected and not suspected & set(app.ranking["creator_id"])
    # audience_quality is the creator's lowest account score
    first = app.ranking.iloc[0]
    assert first["audience_quality"] == scores.loc[scores["creator_id"] == first["creator_id"], "score"].min()
    app.top_n.value = 5
    assert len(app.result) == 5
    for slider in app.sliders.values():
        slider.value = 0.0
    assert app.result.empty and app.chart is None and "at least one weight" in app.summary.value


def test_fit_points_chart_stacks_to_the_score(sample: tuple) -> None:
    tables, _ = sample
    top = brand_fit(tables, campaign_id="CP000002").head(3)
    data = next(iter(fit_points_chart(top).to_dict()["datasets"].values()))
    per_handle = pd.DataFrame(data).groupby("handle")["value"].sum()
    assert per_handle.to_dict() == pytest.approx(top.set_index("handle")["score"].to_dict())
    assert set(pd.DataFrame(data)["component"]) == set(FIT_COMPONENTS)


# --------------------------------------------------------------------------- evaluation against labels
def test_threshold_app_worked_example() -> None:
    scores = pd.DataFrame(
        {
            "account_id": list("abcd"),
            "score": [10.0, 50.0, 90.0, 95.0],
            "suspected": [True, True, False, False],
        }
    )
    labels = pd.DataFrame(
        {"account_id": list("abcd"), "archetype": ["bought_likes", "none", "mass_follow", "none"]}
    )
    app = threshold_app(scores, labels)
    assert app.threshold.value == SUSPECTED_BELOW
    app.threshold.value = 60
    # flagged = score < 60 = {a, b}: a is fraud (TP), b is clean (FP), c is missed (FN), d is a TN
    # precision = 1 / (1 + 1) = 0.5; recall = 1 / (1 + 1) = 0.5
    r = app.result
    assert (r["tp"], r["fp"], r["fn"], r["tn"]) == (1, 1, 1, 1)
    assert r["precision"] == 0.5 and r["recall"] == 0.5
    assert app.recall_by_archetype.set_index("archetype")["recall"].to_dict() == {
        "bought_likes": 1.0,
        "mass_follow": 0.0,
    }
    assert "Precision <b>50%</b>" in app.summary.value
    app.threshold.value = 5
    # nothing flagged: precision 0 / 0 is undefined, shown as such rather than as 0%
    assert "Precision <b>undefined</b>" in app.summary.value and "recall <b>0%</b>" in app.summary.value


def test_threshold_app_on_the_sample_matches_evaluate(sample: tuple) -> None:
    tables, scores = sample
    app = threshold_app(scores, tables["fraud_labels"])
    app.threshold.value = 75
    direct = evaluate(scores, tables["fraud_labels"], threshold=75)
    assert app.result["precision"] == direct["precision"] and app.result["recall"] == direct["recall"]
    assert len(app.curve) == 101


def test_fresh_sample_is_scored_on_its_own_labels() -> None:
    result = evaluate_fresh_sample(seed=7)
    assert result["seed"] == 7
    assert result["tp"] + result["fp"] + result["fn"] + result["tn"] == result["n"]
    assert 0.0 <= result["recall"] <= 1.0
