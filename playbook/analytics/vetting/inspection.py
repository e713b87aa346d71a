"""Looking inside the vetting score (module 04): the clearest example account of each fake-audience archetype
and who keeps commenting on one account. Both read scores, comment text and commenter ids only, never the
ground-truth labels (`fraud_labels`, `comments.kind`).
"""

from __future__ import annotations

import pandas as pd

from playbook.analytics.vetting.comments import (
    is_emoji_only,
    is_generic,
)

__all__ = [
    "ARCHETYPE_SIGNALS",
    "archetype_examples",
    "recurring_commenters",
]

# The four fraud archetypes and the score component whose signal shows each (signal column, label).
ARCHETYPE_SIGNALS: dict[str, tuple[str, str]] = {
    "bought followers": ("growth_signal", "a step in the follower count"),
    "mass follow": ("following_signal", "a spike in the following count"),
    "bought likes": ("likes_comments_signal", "far more likes per comment than peers"),
    "engagement pod": ("comments_signal", "low-effort comments from a recurring set of accounts"),
}


def archetype_examples(scores: pd.DataFrame) -> pd.DataFrame:
    """One account per archetype: the one with the strongest signal of its component (highest robust z
    for growth, following and likes:comments; highest pod share for comments). Uses scores only, never
    labels. Columns: archetype, what_to_look_for, account_id, platform, followers, signal, score, reason."""
    rows = []
    for archetype, (column, look_for) in ARCHETYPE_SIGNALS.items():
        best = scores.loc[scores[column].idxmax()]
        component = column.removesuffix("_signal")
        rows.append(
            {
                "archetype": archetype,
                "what_to_look_for": look_for,
                "account_id": best["account_id"],
                "platform": best["platform"],
                "followers": int(best["followers"]),
                "signal": float(best[column]),
                "score": float(best["score"]),
                "reason": best[f"{component}_reason"],
            }
        )
    return pd.DataFrame(rows)


def recurring_commenters(tables: dict[str, pd.DataFrame], account_id: str, top: int = 8) -> pd.DataFrame:
    """Who comments on an account's posts, most active first (from text and commenter ids only, never the
    `kind` label): commenter_id, comments, posts (distinct posts commented), low_effort_share (emoji-only
    or generic, `playbook.analytics.vetting.comments`), example (one of their comments)."""
    posts = tables["posts"]
    mine = posts.loc[posts["account_id"] == account_id, "post_id"]
    comments = tables["comments"]
    c = comments[comments["post_id"].isin(mine)]
    c = c.assign(low_effort=is_emoji_only(c["text"]) | is_generic(c["text"]))
    g = c.groupby("commenter_id")
    out = pd.DataFrame(
        {
            "comments": g.size(),
            "posts": g["post_id"].nunique(),
            "low_effort_share": g["low_effort"].mean(),
            "example": g["text"].first(),
        }
    )
    out = out.sort_values(["posts", "comments"], ascending=False).head(top)
    return out.reset_index()
