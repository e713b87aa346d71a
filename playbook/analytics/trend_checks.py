"""Verify a trend before acting on it (module 10): one detector flag is a lead, not a decision.

The sample has one source (hashtag volumes per platform), so the check the data supports is
**cross-platform confirmation**: a topic flagged as rising (`trends.detect_rising`) on at least
``min_platforms`` platforms is confirmed; a topic flagged on one platform only is a lead to verify with
other sources (search interest, the platform's own trend tools, social listening). ``min_platforms`` = 2 is
our choice, a parameter.

    lag_days = last platform's first detection - first platform's first detection
"""

from __future__ import annotations

import pandas as pd

__all__ = ["DEFAULT_MIN_PLATFORMS", "cross_platform_confirmation"]

DEFAULT_MIN_PLATFORMS = 2  # our choice: a second platform confirms a lead


def cross_platform_confirmation(
    detections: pd.DataFrame, min_platforms: int = DEFAULT_MIN_PLATFORMS
) -> pd.DataFrame:
    """One row per flagged topic: topic, platforms (count), first_platform, first_detected, lag_days (from the
    first platform's first flag to the last platform's; 0 with one platform), status ("confirmed" or "lead:
    verify elsewhere"). Confirmed topics first, then by first detection."""
    if min_platforms < 1:
        raise ValueError(f"min_platforms must be >= 1; got {min_platforms!r}")
    columns = ["topic", "platforms", "first_platform", "first_detected", "lag_days", "status"]
    if detections.empty:
        return pd.DataFrame(columns=columns)
    first = detections.groupby(["topic", "platform"])["first_detected"].min().reset_index()
    first = first.sort_values(["topic", "first_detected", "platform"])
    g = first.groupby("topic")
    out = pd.DataFrame(
        {
            "platforms": g["platform"].nunique(),
            "first_platform": g["platform"].first(),
            "first_detected": g["first_detected"].min(),
            "lag_days": (g["first_detected"].max() - g["first_detected"].min()).dt.days,
        }
    ).reset_index()
    confirmed = out["platforms"] >= min_platforms
    out["status"] = confirmed.map({True: "confirmed", False: "lead: verify elsewhere"})
    out["_order"] = ~confirmed
    return (
        out.sort_values(["_order", "first_detected"]).drop(columns="_order")[columns].reset_index(drop=True)
    )
