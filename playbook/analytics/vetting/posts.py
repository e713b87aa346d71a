"""Vetting components read from posts: 1. engagement rate against the tier band, 4. likes per comment
against platform x tier peers (`vetting.params` holds the tuning choices, `vetting.score` the weights)."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from playbook.analytics.undefined import ratio
from playbook.analytics.vetting.params import VettingParams
from playbook.analytics.vetting.robust import peer_groups, peer_z, ramp
from playbook.data.registry import DEFAULT_TIER_PRESET, SUB_NANO, assign_tier, benchmark, load_benchmarks

__all__ = ["engagement_signal", "er_benchmark_id", "likes_comments_signal"]

_YOUTUBE_PREFIX = "er_views_youtube_modash_"
_YOUTUBE_WINDOW_ID = "er_profile_window_videos_modash"


def _fmt_pct(x: float) -> str:
    return f"{100 * x:.2f}%" if abs(x) < 0.1 else f"{100 * x:.0f}%"


# --------------------------------------------------------------------------- 1. engagement vs benchmark
@lru_cache(maxsize=1)
def _youtube_buckets() -> tuple[tuple[float, float, str], ...]:
    """(followers_min, followers_max, benchmark_id) of the Modash YouTube ER buckets, smallest first."""
    rows = load_benchmarks()
    rows = rows[rows["benchmark_id"].str.startswith(_YOUTUBE_PREFIX)].sort_values("followers_min")
    return tuple(
        (float(lo), math.inf if pd.isna(hi) else float(hi), str(bid))
        for lo, hi, bid in zip(
            rows["followers_min"], rows["followers_max"], rows["benchmark_id"], strict=True
        )
    )


def _band_id(platform: str, tier: str, followers: float) -> str | None:
    if platform == "youtube":
        buckets = _youtube_buckets()
        return next((bid for lo, hi, bid in buckets if lo <= followers < hi), buckets[0][2])
    if platform == "instagram":
        return f"er_followers_instagram_{tier}_untapper_2026"
    if platform == "tiktok":
        return f"er_views_tiktok_{tier}_untapper_2026"
    return None


def er_benchmark_id(platform: str, followers: float, preset: str = DEFAULT_TIER_PRESET) -> str | None:
    """Registry id of the ER band for an account: Instagram by followers, TikTok by views (Untapper 2026,
    tier from `preset`), YouTube by views in the Modash subscriber bucket. Below the lowest tier or
    bucket the smallest one is used; None for other platforms."""
    tier = assign_tier(followers, preset)
    return _band_id(platform, "nano" if tier == SUB_NANO else str(tier), followers)


def _interactions(posts: pd.DataFrame) -> pd.Series:
    return posts["likes"] + posts["comments"] + posts["shares"] + posts["saves"]


def _account_er(posts: pd.DataFrame, accounts: pd.DataFrame) -> pd.Series:
    """Median ER per account on its benchmark's basis.

    Instagram: median over posts of interactions / followers (snapshot). TikTok: median over posts of
    interactions / views. YouTube (Modash): median interactions / median views over the last 30 videos
    (`er_profile_window_videos_modash`). Interactions = likes + comments + shares + saves.
    """
    followers = posts["account_id"].map(accounts.set_index("account_id")["followers"])
    inter = _interactions(posts).astype("float64")
    per_post = ratio(inter, followers.where(posts["platform"] == "instagram", posts["views"]), "ER")
    feed = posts.assign(er=per_post, inter=inter)
    er = feed[feed["platform"] != "youtube"].groupby("account_id")["er"].median()

    last_n = int(benchmark(_YOUTUBE_WINDOW_ID).value)
    videos = feed[feed["platform"] == "youtube"].sort_values("posted_at").groupby("account_id").tail(last_n)
    medians = videos.groupby("account_id")[["inter", "views"]].median()
    youtube = ratio(medians["inter"], medians["views"], "ER")
    return pd.concat([er, youtube]).reindex(accounts["account_id"])


def engagement_signal(
    posts: pd.DataFrame,
    accounts: pd.DataFrame,
    likes_comments_z: pd.Series | None = None,
    preset: str = DEFAULT_TIER_PRESET,
    params: VettingParams | None = None,
) -> pd.DataFrame:
    """ER vs the tier band: signal = median ER / band typical (1 = typical).

    Risk below the band: log(low / ER) / log(er_span). Above the band only when likes drive it (the
    account's likes:comments robust z >= `likes_driven_z`): log(ER / high) / log(er_span). Both are clipped
    to [0, 1]; bands come from the registry (`er_benchmark_id`).
    """
    p = params or VettingParams()
    er = _account_er(posts, accounts)
    acc = accounts.set_index("account_id")
    tiers = peer_groups(accounts, preset)["tier"]
    ids = [_band_id(*row) for row in zip(acc["platform"], tiers, acc["followers"], strict=True)]
    bands = {i: benchmark(i) for i in set(ids) if i is not None}
    low = pd.Series([bands[i].low if i else np.nan for i in ids], index=acc.index, dtype="float64")
    typical = pd.Series([bands[i].value if i else np.nan for i in ids], index=acc.index, dtype="float64")
    high = pd.Series([bands[i].high if i else np.nan for i in ids], index=acc.index, dtype="float64")
    lc_z = (likes_comments_z if likes_comments_z is not None else pd.Series(dtype="float64")).reindex(
        acc.index
    )
    er = er.reindex(acc.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        below = (np.log(low / er) / math.log(p.er_span)).clip(0.0, 1.0)
        above = (np.log(er / high) / math.log(p.er_span)).clip(0.0, 1.0)
    likes_driven = lc_z >= p.likes_driven_z
    risk = pd.Series(np.where(er > high, np.where(likes_driven, above, 0.0), below), index=acc.index)
    reason = []
    for e, lo, hi, bid, drv in zip(er, low, high, ids, likes_driven, strict=True):
        if pd.isna(e):
            reason.append("not scored: no posts with a defined ER")
            continue
        where = "below" if e < lo else "above" if e > hi else "inside"
        extra = ", likes-driven" if e > hi and drv else ""
        reason.append(f"ER {_fmt_pct(e)}, {where} the {_fmt_pct(lo)}-{_fmt_pct(hi)} band{extra} [{bid}]")
    return pd.DataFrame(
        {
            "engagement_signal": ratio(er, typical, "ER / typical"),
            "er": er,
            "er_benchmark_id": ids,
            "engagement_risk": risk.where(er.notna()),
            "engagement_reason": reason,
        },
        index=acc.index,
    )


# --------------------------------------------------------------------------- 4. likes : comments
def likes_comments_signal(
    posts: pd.DataFrame,
    accounts: pd.DataFrame,
    preset: str = DEFAULT_TIER_PRESET,
    params: VettingParams | None = None,
) -> pd.DataFrame:
    """Likes per comment vs platform x tier peers: signal = robust z of log((likes + 1) / (comments + 1)),
    summed over the account's posts (add-one smoothing keeps accounts with no comments comparable).

    Positive z (many likes per comment) hints at bought likes; negative z (many comments per like) at
    comment pods. Risk ramps on |z| from z_start to z_full. Not scored for accounts without posts.
    """
    p = params or VettingParams()
    sums = posts.groupby("account_id")[["likes", "comments"]].sum().reindex(accounts["account_id"])
    lpc = ratio(sums["likes"] + 1.0, sums["comments"] + 1.0, "likes per comment")
    peers = peer_groups(accounts, preset)
    z, group = peer_z(np.log(lpc), peers, p.min_peers)
    reason = []
    for v, zz, g in zip(lpc, z, group, strict=True):
        if pd.isna(v):
            reason.append("not scored: no posts")
        elif pd.isna(zz):
            reason.append(f"{v:.1f} likes per comment; not scored: fewer than {p.min_peers} peers")
        else:
            side = "more likes per comment" if zz > 0 else "more comments per like"
            reason.append(f"{v:.1f} likes per comment, robust z {zz:+.1f} vs {g} peers ({side})")
    return pd.DataFrame(
        {
            "likes_comments_signal": z,
            "likes_per_comment": lpc,
            "likes_comments_risk": ramp(z.abs(), p.z_start, p.z_full),
            "likes_comments_reason": reason,
        },
        index=peers.index,
    )
