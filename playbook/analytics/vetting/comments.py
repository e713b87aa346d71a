"""Vetting component 5, comment authenticity: emoji-only, generic and copy-paste comments, and the
low-effort ones from a recurring set of commenters (pods). Reads comment text and commenter ids only."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from playbook.analytics.vetting.params import VettingParams
from playbook.analytics.vetting.robust import ramp

__all__ = ["GENERIC_WORDS", "comment_signal", "is_emoji_only", "is_generic"]

# --------------------------------------------------------------------------- 5. comment authenticity
_GENERIC_TEXT = """
    a all always amazing and awesome beautiful best check content cool cute dm ever fab fire follow for
    good gorgeous great haha here i incredible insane is it just keep king lol love lovely loving me much
    my nice obsessed omg page perfect pic post queen really so stunning such super sweet thanks that the
    this u up very vibes with wow yay yes you
"""
GENERIC_WORDS: frozenset[str] = frozenset(_GENERIC_TEXT.split())  # tuning choice: praise and spam words


def is_emoji_only(text: pd.Series) -> pd.Series:
    """True where a comment has no letter or digit and at least one non-ASCII symbol (emoji)."""
    s = text.fillna("").astype(str)
    return ~s.str.contains(r"[^\W_]", regex=True) & s.str.contains(r"[^\x00-\x7f]", regex=True)


def is_generic(text: pd.Series) -> pd.Series:
    """True where every word of a comment is in `GENERIC_WORDS` (e.g. "Nice!!", "Love this so much 😍")."""
    words = text.fillna("").astype(str).str.lower().str.findall(r"[a-z']+")
    return words.map(lambda ws: bool(ws) and all(w in GENERIC_WORDS for w in ws)).astype(bool)


def _normalise(text: pd.Series) -> pd.Series:
    return text.fillna("").astype(str).str.lower().str.replace(r"\s+", " ", regex=True).str.strip()


def comment_signal(
    comments: pd.DataFrame,
    posts: pd.DataFrame,
    account_ids: Sequence[str],
    params: VettingParams | None = None,
) -> pd.DataFrame:
    """Comment authenticity from comment text and commenter ids only (never the `kind` label).

    A comment is low-effort if it is emoji-only, generic (`is_generic`) or a copy-paste (the same commenter
    posting the same text again on the account). pod share = low-effort comments by recurring commenters
    (seen on >= 2 distinct posts of the account) / comments: a small recurring set of accounts praising
    every post, unlike fans who comment specifically. signal = pod share; risk = the larger of the pod-share
    ramp and the low-effort-share ramp. Accounts with fewer than `min_comments` sampled comments are not
    scored.
    """
    p = params or VettingParams()
    index = pd.Index(account_ids, name="account_id")
    c = comments[["post_id", "commenter_id", "text"]].copy()
    c["account_id"] = c["post_id"].map(posts.set_index("post_id")["account_id"])
    c = c.dropna(subset=["account_id"])
    norm = _normalise(c["text"])
    c["emoji"] = is_emoji_only(c["text"])
    c["generic"] = is_generic(c["text"])
    c["copy"] = norm.groupby([c["account_id"], c["commenter_id"], norm]).transform("size") > 1
    c["low_effort"] = c["emoji"] | c["generic"] | c["copy"]
    c["recurring"] = c.groupby(["account_id", "commenter_id"])["post_id"].transform("nunique") >= 2
    c["pod"] = c["recurring"] & c["low_effort"]
    g = c.groupby("account_id")
    agg = pd.DataFrame(
        {
            "n": g.size(),
            "emoji": g["emoji"].mean(),
            "generic": g["generic"].mean(),
            "copy": g["copy"].mean(),
            "low_effort": g["low_effort"].mean(),
            "pod": g["pod"].mean(),
            "pod_ids": c[c["pod"]].groupby("account_id")["commenter_id"].nunique(),
        }
    ).reindex(index)
    agg["n"] = agg["n"].fillna(0).astype("int64")
    agg["pod_ids"] = agg["pod_ids"].fillna(0).astype("int64")
    scored = agg["n"] >= p.min_comments
    risk = pd.concat(
        [
            ramp(agg["pod"], p.pod_start, p.pod_full),
            ramp(agg["low_effort"], p.low_effort_start, p.low_effort_full),
        ],
        axis=1,
    ).max(axis=1)
    reason = [
        f"not scored: {n} sampled comments (fewer than {p.min_comments})"
        if not ok
        else f"{pod:.0%} of {n} comments are low-effort ones from {k} recurring commenters; {low:.0%} "
        f"low-effort ({emo:.0%} emoji-only, {gen:.0%} generic, {cp:.0%} copy-paste)"
        for ok, n, pod, k, low, emo, gen, cp in zip(
            scored,
            agg["n"],
            agg["pod"],
            agg["pod_ids"],
            agg["low_effort"],
            agg["emoji"],
            agg["generic"],
            agg["copy"],
            strict=True,
        )
    ]
    return pd.DataFrame(
        {
            "comments_signal": agg["pod"].where(scored),
            "comments_n": agg["n"],
            "comments_pod_commenters": agg["pod_ids"],
            "comments_emoji_share": agg["emoji"],
            "comments_generic_share": agg["generic"],
            "comments_copy_share": agg["copy"],
            "comments_low_effort_share": agg["low_effort"],
            "comments_risk": risk.where(scored),
            "comments_reason": reason,
        },
        index=index,
    )
