"""Vetting components read from the account and its follower series: 2. follower growth jumps,
3. following spikes and mass-follow, 6. account age against followers, 7. followers credibility."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from playbook.analytics.undefined import ratio, reasons
from playbook.analytics.vetting.params import VettingParams
from playbook.analytics.vetting.robust import peer_groups, peer_z, ramp, robust_z
from playbook.data.registry import DEFAULT_TIER_PRESET, benchmark

__all__ = ["account_age_signal", "credibility_signal", "following_signal", "growth_signal"]

_CREDIBILITY_ID = "followers_credibility_fraud_threshold_modash"
_MASS_FOLLOW_ID = "mass_follower_following_threshold_hivency"


# --------------------------------------------------------------------------- 2-3. growth and following
def _largest_jump(daily: pd.DataFrame, column: str, min_days: int) -> pd.DataFrame:
    """Largest step of log(1 + column) between consecutive rows per account: robust z, date and size."""
    d = daily.sort_values(["account_id", "date"])
    step = np.log1p(d[column].astype("float64")).groupby(d["account_id"]).diff()
    frame = pd.DataFrame({"account_id": d["account_id"], "date": d["date"], "step": step}).dropna()
    frame["z"] = robust_z(frame["step"], frame["account_id"])
    days = frame.groupby("account_id")["step"].size() + 1
    top = frame.loc[frame.groupby("account_id")["step"].idxmax()].set_index("account_id")
    out = pd.DataFrame(
        {"z": top["z"], "date": top["date"], "jump": np.expm1(top["step"]), "days": days}
    ).reindex(days.index)
    return out[out["days"] >= min_days]


def growth_signal(
    follower_daily: pd.DataFrame, account_ids: Sequence[str], params: VettingParams | None = None
) -> pd.DataFrame:
    """Largest daily follower jump: signal = its robust z among the account's own daily log-differences.

    Step = log(1 + followers_t) - log(1 + followers_t-1); z = 0.6745 (step - median) / MAD. Risk ramps from
    z_start to z_full, and is 0 unless the jump also adds at least `min_jump` of followers in a day.
    """
    p = params or VettingParams()
    jump = _largest_jump(follower_daily, "followers", p.min_days).reindex(pd.Index(account_ids))
    material = jump["jump"] >= p.min_jump
    risk = ramp(jump["z"], p.z_start, p.z_full).where(material | jump["z"].isna(), 0.0)
    reason = [
        f"not scored: fewer than {p.min_days} days of follower counts"
        if pd.isna(z)
        else f"largest daily follower jump {j:+.1%} on {d:%Y-%m-%d} (robust z {z:.1f})"
        for z, j, d in zip(jump["z"], jump["jump"], jump["date"], strict=True)
    ]
    return pd.DataFrame(
        {
            "growth_signal": jump["z"],
            "growth_jump_date": jump["date"],
            "growth_jump_pct": jump["jump"],
            "growth_risk": risk,
            "growth_reason": reason,
        },
        index=jump.index,
    )


def _no_ratio_reason(why: str | None) -> str:
    """Why following / followers is undefined, from its `ratio` reason (unknown versus zero followers)."""
    why = why or ""
    if "denominator is 0" in why:
        return ", no followers"
    return (
        ""
        if "missing data" not in why
        else ", following / followers not computed (a count is not in the data)"
    )


def following_signal(
    accounts: pd.DataFrame, follower_daily: pd.DataFrame, params: VettingParams | None = None
) -> pd.DataFrame:
    """Mass-follow: following spikes, following above the Hivency line, and following / followers.

    signal = robust z of the largest daily jump in log(1 + following). Risk = the largest of: the z ramp
    (if the jump adds >= `min_following_jump`), `mass_follow_risk` if peak following exceeds
    `mass_follower_following_threshold_hivency`, and the following/followers ramp.
    """
    p = params or VettingParams()
    acc = accounts.set_index("account_id")
    line = benchmark(_MASS_FOLLOW_ID).value
    jump = _largest_jump(follower_daily, "following", p.min_days).reindex(acc.index)
    peak = follower_daily.groupby("account_id")["following"].max().reindex(acc.index)
    following = acc["following"].astype("float64")  # nullable counts: unknown is NaN, never 0
    peak = peak.astype("float64").fillna(following).clip(lower=following)
    follow_ratio = ratio(following, acc["followers"].astype("float64"), "following / followers")
    spike = ramp(jump["z"], p.z_start, p.z_full).where(jump["jump"] >= p.min_following_jump, 0.0)
    parts = pd.concat(
        [
            spike.where(jump["z"].notna()),
            ((peak > line).astype("float64") * p.mass_follow_risk).where(peak.notna()),
            ramp(follow_ratio, p.ratio_start, p.ratio_full),
        ],
        axis=1,
    )
    reason = []
    why_ratio = reasons(follow_ratio)
    for z, j, d, pk, r, w in zip(
        jump["z"], jump["jump"], jump["date"], peak, follow_ratio, why_ratio, strict=True
    ):
        if pd.isna(pk):
            text = "not scored: following count not in the data"
        else:
            text = f"peak following {pk:,.0f} ({'above' if pk > line else 'below'} the {line:,.0f} line)"
            text += f", following/followers {r:.2f}" if pd.notna(r) else _no_ratio_reason(w)
        if pd.notna(z):
            text = f"largest daily following jump {j:+.0%} on {d:%Y-%m-%d} (robust z {z:.1f}); " + text
        reason.append(text)
    return pd.DataFrame(
        {
            "following_signal": jump["z"],
            "following_jump_date": jump["date"],
            "following_jump_pct": jump["jump"],
            "following_peak": peak,
            "following_ratio": follow_ratio,
            "following_risk": parts.max(axis=1),
            "following_reason": reason,
        },
        index=acc.index,
    )


# --------------------------------------------------------------------------- 6-7. age and credibility
def account_age_signal(
    accounts: pd.DataFrame, preset: str = DEFAULT_TIER_PRESET, params: VettingParams | None = None
) -> pd.DataFrame:
    """Young account with many followers: signal = robust z of log(followers / account age in days)
    among platform x tier peers. Risk ramps from z_start to z_full (positive side only)."""
    p = params or VettingParams()
    acc = accounts.set_index("account_id")
    age = (acc["snapshot_date"] - acc["account_created"]).dt.days.astype("float64")
    per_day = ratio(acc["followers"].astype("float64"), age, "followers per day")
    with np.errstate(divide="ignore"):
        z, _ = peer_z(np.log(per_day.where(per_day > 0)), peer_groups(accounts, preset), p.min_peers)
    reason = [
        "not scored: account creation or snapshot date not in the data"
        if pd.isna(a)
        else "not scored: followers not in the data"
        if pd.isna(acc_followers)
        else "not scored: account age 0 days or no followers"
        if pd.isna(v) or v == 0
        else f"{a:.0f} days old, {v:,.1f} followers per day"
        + (f" (robust z {zz:+.1f} vs peers)" if pd.notna(zz) else f"; fewer than {p.min_peers} peers")
        for a, v, zz, acc_followers in zip(age, per_day, z, acc["followers"], strict=True)
    ]
    return pd.DataFrame(
        {
            "account_age_signal": z,
            "account_age_days": age,
            "followers_per_day": per_day,
            "account_age_risk": ramp(z, p.z_start, p.z_full),
            "account_age_reason": reason,
        },
        index=acc.index,
    )


def credibility_signal(accounts: pd.DataFrame, params: VettingParams | None = None) -> pd.DataFrame:
    """Vendor-style followers credibility vs the Modash fraud line (`followers_credibility_fraud_threshold_
    modash`, 0.75): risk = (line - credibility) / (line - credibility_floor), clipped to [0, 1]."""
    p = params or VettingParams()
    acc = accounts.set_index("account_id")
    line = benchmark(_CREDIBILITY_ID).value
    cred = acc["audience_credibility"].astype("float64")
    risk = ((line - cred) / (line - p.credibility_floor)).clip(0.0, 1.0)
    reason = [
        "not scored: no credibility figure"
        if pd.isna(v)
        else f"followers credibility {v:.2f} ({'below' if v < line else 'at or above'} the {line:.2f} line)"
        for v in cred
    ]
    return pd.DataFrame(
        {"credibility_signal": cred, "credibility_risk": risk, "credibility_reason": reason}, index=acc.index
    )
