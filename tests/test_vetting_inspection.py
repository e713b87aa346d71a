"""analytics.vetting.inspection: archetype examples and recurring commenters.

Worked examples with the arithmetic next to each expected value (moved with the functions out of the
widget modules).
"""

from __future__ import annotations

import pandas as pd
import pytest

from playbook.analytics.vetting import audience_quality
from playbook.analytics.vetting.inspection import ARCHETYPE_SIGNALS, archetype_examples, recurring_commenters


@pytest.fixture(scope="module")
def sample() -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    from playbook.data.loading import load
    from playbook.data.synth.generate import SAMPLE_DIR

    tables = load(SAMPLE_DIR)
    return tables, audience_quality(tables)


def hand_scores() -> pd.DataFrame:
    """Four accounts; each is the strongest on exactly one archetype signal."""
    return pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D"],
            "creator_id": ["c1", "c1", "c2", "c3"],
            "platform": ["instagram", "tiktok", "instagram", "youtube"],
            "tier": ["nano", "micro", "nano", "mid"],
            "followers": [5000, 20000, 8000, 90000],
            "growth_signal": [40.0, 1.0, 0.5, None],
            "growth_reason": ["jump", "", "", ""],
            "following_signal": [0.0, 12.0, 1.0, 2.0],
            "following_reason": ["", "spike", "", ""],
            "likes_comments_signal": [1.0, -8.0, 9.5, 0.2],
            "likes_comments_reason": ["", "", "many likes", ""],
            "comments_signal": [0.0, 0.01, None, 0.4],
            "comments_reason": ["", "", "", "pods"],
            "score": [60.0, 85.0, 70.0, 90.0],
            "suspected": [True, True, True, False],
        }
    )


def test_archetype_examples_pick_the_strongest_signal_of_each_component() -> None:
    out = archetype_examples(hand_scores()).set_index("archetype")
    assert list(out.index) == list(ARCHETYPE_SIGNALS)
    assert out["account_id"].to_dict() == {
        "bought followers": "A",
        "mass follow": "B",
        "bought likes": "C",  # the largest positive z (9.5), not the largest |z| (B's -8.0: more comments)
        "engagement pod": "D",
    }
    assert out.loc["engagement pod", "reason"] == "pods" and out.loc["bought followers", "signal"] == 40.0


def test_archetype_examples_on_the_sample_match_the_ground_truth(sample: tuple) -> None:
    tables, scores = sample
    out = archetype_examples(scores)
    labels = tables["fraud_labels"].set_index("account_id")["archetype"]
    # evaluation only: the picks come from the signals, the labels just confirm them
    assert out["account_id"].map(labels).tolist() == [
        "bought_followers",
        "mass_follow",
        "bought_likes",
        "engagement_pod",
    ]


def test_recurring_commenters_rank_by_posts_and_flag_low_effort_text() -> None:
    posts = pd.DataFrame({"post_id": ["p1", "p2", "p3", "q1"], "account_id": ["A", "A", "A", "B"]})
    comments = pd.DataFrame(
        {
            "post_id": ["p1", "p2", "p3", "p1", "p2", "q1"],
            "commenter_id": ["u1", "u1", "u1", "u2", "u2", "u3"],
            "text": [
                "Nice!!",
                "🔥🔥",
                "Love this so much 😍",
                "Which serum is this?",
                "Great post",
                "Nice!!",
            ],
            "kind": "specific",  # deliberately wrong: the helper must not read the label
        }
    )
    out = recurring_commenters({"posts": posts, "comments": comments}, "A")
    # u1: 3 comments on 3 posts, all generic or emoji-only -> 1.0; u2: 2 posts, 1 of 2 generic -> 0.5
    assert out["commenter_id"].tolist() == ["u1", "u2"]
    assert out["posts"].tolist() == [3, 2] and out["low_effort_share"].tolist() == [1.0, 0.5]
    assert out.loc[0, "example"] == "Nice!!"
