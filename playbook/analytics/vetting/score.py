"""The score assembly: the seven components' points, the withheld rule (too few components with data),
the flags in plain words, the `suspected` call, and `explain` for one account.

    score = 100 - sum_c 100 * w_c / sum(w) * risk_c        (points_c = -100 * w_c / sum(w) * risk_c <= 0)

A component without data is "not scored": risk NaN, 0 points, and its reason says why; with fewer than
`VettingParams.min_scored` components scored the score is withheld (NaN with `score_reason`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from playbook.analytics.vetting.comments import comment_signal
from playbook.analytics.vetting.followers import (
    account_age_signal,
    credibility_signal,
    following_signal,
    growth_signal,
)
from playbook.analytics.vetting.params import COMPONENTS, DEFAULT_WEIGHTS, SUSPECTED_BELOW, VettingParams
from playbook.analytics.vetting.posts import engagement_signal, likes_comments_signal
from playbook.analytics.vetting.robust import peer_groups
from playbook.data.registry import DEFAULT_TIER_PRESET

__all__ = ["audience_quality", "explain"]


def _normalised_weights(weights: dict[str, float] | None) -> dict[str, float]:
    merged = {**DEFAULT_WEIGHTS, **(weights or {})}
    unknown = set(merged) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"unknown components {sorted(unknown)}; expected some of {list(COMPONENTS)}")
    if any(w < 0 or not math.isfinite(w) for w in merged.values()):
        raise ValueError("weights must be finite and >= 0")
    total = sum(merged.values())
    if total <= 0:
        raise ValueError("at least one weight must be > 0")
    return {c: 100.0 * merged[c] / total for c in COMPONENTS}


def _flags(frame: pd.DataFrame, max_flags: int) -> list[str]:
    out = []
    for _, row in frame.iterrows():
        lost = sorted(
            ((-row[f"{c}_points"], c) for c in COMPONENTS if row[f"{c}_points"] < -0.05), reverse=True
        )
        out.append("; ".join(f"{c}: {row[f'{c}_reason']}" for _, c in lost[:max_flags]))
    return out


def audience_quality(
    tables: dict[str, pd.DataFrame],
    weights: dict[str, float] | None = None,
    preset: str = DEFAULT_TIER_PRESET,
    params: VettingParams | None = None,
    threshold: float = SUSPECTED_BELOW,
) -> pd.DataFrame:
    """One row per account: each component's signal, risk (0-1), points (<= 0) and reason; `n_scored` =
    components with data; `score` = 100 + sum of points (0-100, 100 = clean), or NaN with `score_reason`
    when fewer than `params.min_scored` components have data; `flags` = the top reasons in plain words;
    `suspected` = score < `threshold` (False when withheld). `weights` override `DEFAULT_WEIGHTS` per
    component and are normalised to 100.

    Reads accounts, posts, follower_daily and comments (text and commenter ids only); never the ground
    truth (fraud_labels, comments.kind).
    """
    p = params or VettingParams()
    w = _normalised_weights(weights)
    accounts = tables["accounts"]
    posts = tables["posts"]
    daily = tables.get(
        "follower_daily", pd.DataFrame(columns=["account_id", "date", "followers", "following"])
    )
    comments = tables.get("comments", pd.DataFrame(columns=["post_id", "commenter_id", "text"]))
    ids = accounts["account_id"].tolist()
    lc = likes_comments_signal(posts, accounts, preset, p)
    parts = [
        engagement_signal(posts, accounts, lc["likes_comments_signal"], preset, p),
        growth_signal(daily, ids, p),
        following_signal(accounts, daily, p),
        lc,
        comment_signal(comments, posts, ids, p),
        account_age_signal(accounts, preset, p),
        credibility_signal(accounts, p),
    ]
    head = accounts.set_index("account_id")[["creator_id", "platform", "followers"]]
    head = head.assign(tier=peer_groups(accounts, preset)["tier"])
    out = pd.concat([head, *parts], axis=1).rename_axis("account_id")
    for c in COMPONENTS:
        out[f"{c}_points"] = (-w[c] * out[f"{c}_risk"]).fillna(0.0) + 0.0  # + 0.0 turns -0.0 into 0.0
    out["n_scored"] = out[[f"{c}_risk" for c in COMPONENTS]].notna().sum(axis=1).astype("int64")
    score = (100.0 + out[[f"{c}_points" for c in COMPONENTS]].sum(axis=1)).clip(0.0, 100.0)
    withheld = out["n_scored"] < p.min_scored
    out["score"] = score.where(~withheld)
    out["score_reason"] = [
        f"score withheld: {n} of {len(COMPONENTS)} components have data (at least {p.min_scored} needed)"
        if w
        else None
        for n, w in zip(out["n_scored"], withheld, strict=True)
    ]
    out["red_flags"] = _flags(out, p.max_flags)
    out["suspected"] = out["score"] < threshold
    return out.reset_index()


def explain(account_id: str, scores: pd.DataFrame) -> pd.DataFrame:
    """Why an account scored what it did: one row per component (component, signal, risk, contribution,
    reason) after a `baseline` row of 100; the contributions sum to the account's score."""
    row = scores.loc[scores["account_id"] == account_id]
    if row.empty:
        raise KeyError(f"account {account_id!r} is not in the scores")
    r = row.iloc[0]
    rows = [{"component": "baseline", "signal": np.nan, "risk": np.nan, "contribution": 100.0, "reason": ""}]
    rows += [
        {
            "component": c,
            "signal": r[f"{c}_signal"],
            "risk": r[f"{c}_risk"],
            "contribution": r[f"{c}_points"],
            "reason": r[f"{c}_reason"],
        }
        for c in COMPONENTS
    ]
    return pd.DataFrame(rows)
