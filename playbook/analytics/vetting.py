"""Open, explainable audience-quality score for creator vetting (100 = clean, 0 = every red flag at full).

This is our own transparent score, *inspired by* the signals vendors document; it is not HypeAuditor's,
Modash's or any vendor's formula:

- HypeAuditor AQS groups (engagement, real audience, growth patterns, comment authenticity) and red flags
  (follower jumps, following spikes, likes:comments far from similar accounts):
  https://help.hypeauditor.com/en/articles/2221731-what-is-aqs-audience-quality-score-and-how-is-it-calculated
  and https://hypeauditor.com/blog/what-is-audience-quality-score-on-hypeauditor/
- Modash followers credibility, "less than 75% is often a sign of fraud":
  https://help.modash.io/en/articles/3274068-instagram-audience-details
- Hivency mass followers (following more than 1,500 accounts):
  https://help.hivency.com/hc/en-gb/articles/360014952240-What-is-the-AQS-or-Audience-Quality-Score-

Seven components each give a raw signal and a risk in [0, 1]; a component at full risk takes its weight
off 100:

    score = 100 - sum_c 100 * w_c / sum(w) * risk_c        (points_c = -100 * w_c / sum(w) * risk_c <= 0)

A component without data (no posts, no comments, too few peers) is "not scored": risk NaN, 0 points, and
its reason says why. Outliers use the robust (modified) z-score of Iglewicz & Hoaglin, as given in the NIST
handbook (https://www.itl.nist.gov/div898/handbook/eda/section3/eda35h.htm):

    z = 0.6745 * (x - median) / MAD

Every industry figure comes from the benchmark registry; the cut-offs in `VettingParams` and the weights in
`DEFAULT_WEIGHTS` are our tuning choices, picked on the seed-2026 sample (see `benchmarks/bench_vetting.py`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np
import pandas as pd

from playbook.analytics.undefined import ratio, reasons
from playbook.data.registry import DEFAULT_TIER_PRESET, SUB_NANO, assign_tier, benchmark, load_benchmarks

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "GENERIC_WORDS",
    "SUSPECTED_BELOW",
    "VettingParams",
    "account_age_signal",
    "audience_quality",
    "comment_signal",
    "credibility_signal",
    "engagement_signal",
    "er_benchmark_id",
    "evaluate",
    "explain",
    "following_signal",
    "growth_signal",
    "is_emoji_only",
    "is_generic",
    "likes_comments_signal",
    "precision_recall_curve",
    "robust_z",
]

COMPONENTS: tuple[str, ...] = (
    "engagement",
    "growth",
    "following",
    "likes_comments",
    "comments",
    "account_age",
    "credibility",
)
DEFAULT_WEIGHTS: dict[str, float] = {  # tuning choice: relative weights, normalised to sum to 100 points
    "engagement": 10.0,
    "growth": 20.0,
    "following": 15.0,
    "likes_comments": 15.0,
    "comments": 15.0,
    "account_age": 5.0,
    "credibility": 20.0,
}
# Tuning choice: `suspected` = score below this; the F1-maximising integer cut-off on the seed-2026 sample.
# In effect one red flag at full strength on a 15- or 20-point component (score 85 or 80) is enough.
SUSPECTED_BELOW = 86.0

_Z_SCALE = NormalDist().inv_cdf(0.75)  # 0.6745: 0.6745 / MAD estimates 1 / sd for normal data
_MEAN_AD_SCALE = math.sqrt(math.pi / 2)  # 1.2533: 1.2533 * mean |x - median| estimates sd for normal data
_YOUTUBE_PREFIX = "er_views_youtube_modash_"
_CREDIBILITY_ID = "followers_credibility_fraud_threshold_modash"
_MASS_FOLLOW_ID = "mass_follower_following_threshold_hivency"
_YOUTUBE_WINDOW_ID = "er_profile_window_videos_modash"


@dataclass(frozen=True)
class VettingParams:
    """Tuning choices of the score (ours, not industry figures), with the defaults picked on the sample.

    z_start, z_full: robust z where an outlier's risk starts (3.5, Iglewicz & Hoaglin's cut-off) and is full.
    min_days: follower series shorter than this are not scored.
    min_jump: a daily follower jump counts only if it also adds at least this fraction of followers.
    min_following_jump: same for a daily jump in following.
    mass_follow_risk: risk when the account follows more accounts than the Hivency mass-follower line.
    ratio_start, ratio_full: following / followers ratio where risk starts and is full.
    er_span: ER at band low / er_span (or band high * er_span, likes-driven) is full risk.
    likes_driven_z: ER above the band counts only if the likes:comments robust z is at least this.
    min_peers: smallest platform x tier peer group for peer z-scores (else the whole platform is used).
    min_comments: accounts with fewer sampled comments are not scored on comments.
    pod_start, pod_full: share of low-effort comments by recurring commenters (risk ramp).
    low_effort_start, low_effort_full: share of emoji-only, generic or copy-paste comments (risk ramp).
    credibility_floor: followers credibility at which risk is full (risk starts at the Modash line).
    max_flags: reasons listed in `flags`.
    min_scored: fewest components with data for a score; below it the score is withheld (undefined with
        the reason), not 100: components without data cost nothing, so a score over two of seven components
        would read as clean for lack of evidence. 4 of 7 keeps every sample account scored (one has 4).
    """

    z_start: float = 3.5
    z_full: float = 7.0
    min_days: int = 14
    min_jump: float = 0.05
    min_following_jump: float = 0.25
    mass_follow_risk: float = 0.3
    ratio_start: float = 2.0
    ratio_full: float = 10.0
    er_span: float = 2.0
    likes_driven_z: float = 1.0
    min_peers: int = 10
    min_comments: int = 8
    pod_start: float = 0.05
    pod_full: float = 0.2
    low_effort_start: float = 0.6
    low_effort_full: float = 0.9
    credibility_floor: float = 0.5
    max_flags: int = 3
    min_scored: int = 4


# --------------------------------------------------------------------------- shared helpers
def _ramp(x: pd.Series, start: float, full: float) -> pd.Series:
    """0 at or below `start`, 1 at or above `full`, linear between; NaN stays NaN."""
    return ((x - start) / (full - start)).clip(0.0, 1.0)


def _robust_z_by(values: pd.Series, keys: pd.Series | np.ndarray) -> pd.Series:
    median = values.groupby(keys).transform("median")
    dev = (values - median).abs()
    mad = dev.groupby(keys).transform("median")
    mean_ad = dev.groupby(keys).transform("mean")
    scale = (mad / _Z_SCALE).where(mad > 0, mean_ad * _MEAN_AD_SCALE)
    z = (values - median) / scale.where(scale > 0)
    return z.where(scale > 0, 0.0).where(values.notna())


def robust_z(values: pd.Series, groups: pd.Series | np.ndarray | None = None) -> pd.Series:
    """Modified z-score 0.6745 * (x - median) / MAD, within each group if `groups` is given.

    Source: Iglewicz & Hoaglin (1993) via NIST 1.3.5.17. When MAD is 0 (over half the values equal the
    median) the scale falls back to 1.2533 * mean |x - median|; when that is 0 too every value equals the
    median and z is 0. NaN values stay NaN and are ignored when computing medians.
    """
    keys = np.zeros(len(values), dtype=np.int64) if groups is None else groups
    return _robust_z_by(values.astype("float64"), keys)


def _peer_groups(accounts: pd.DataFrame, preset: str) -> pd.DataFrame:
    """platform and tier (sub-nano counted as nano) per account, indexed by account_id."""
    tier = assign_tier(accounts["followers"], preset).astype(str).replace(SUB_NANO, "nano")
    return pd.DataFrame(
        {"platform": accounts["platform"].to_numpy(), "tier": tier.to_numpy()},
        index=pd.Index(accounts["account_id"], name="account_id"),
    )


def _peer_z(values: pd.Series, peers: pd.DataFrame, min_peers: int) -> tuple[pd.Series, pd.Series]:
    """Robust z of `values` among platform x tier peers, or among the platform when that group is small.

    Returns (z, peer group label); z is NaN where even the platform has fewer than `min_peers` values.
    """
    frame = peers.assign(value=values.reindex(peers.index))
    known = frame["value"].notna()
    cell = frame["platform"] + "/" + frame["tier"]
    cell_n = known.groupby(cell).transform("sum")
    platform_n = known.groupby(frame["platform"]).transform("sum")
    group = cell.where(cell_n >= min_peers, frame["platform"]).where(platform_n >= min_peers)
    z = _robust_z_by(frame["value"], group.fillna("(too few peers)"))
    return z.where(group.notna()), group


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
    tiers = _peer_groups(accounts, preset)["tier"]
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
    risk = _ramp(jump["z"], p.z_start, p.z_full).where(material | jump["z"].isna(), 0.0)
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
    spike = _ramp(jump["z"], p.z_start, p.z_full).where(jump["jump"] >= p.min_following_jump, 0.0)
    parts = pd.concat(
        [
            spike.where(jump["z"].notna()),
            ((peak > line).astype("float64") * p.mass_follow_risk).where(peak.notna()),
            _ramp(follow_ratio, p.ratio_start, p.ratio_full),
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
    peers = _peer_groups(accounts, preset)
    z, group = _peer_z(np.log(lpc), peers, p.min_peers)
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
            "likes_comments_risk": _ramp(z.abs(), p.z_start, p.z_full),
            "likes_comments_reason": reason,
        },
        index=peers.index,
    )


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
            _ramp(agg["pod"], p.pod_start, p.pod_full),
            _ramp(agg["low_effort"], p.low_effort_start, p.low_effort_full),
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
        z, _ = _peer_z(np.log(per_day.where(per_day > 0)), _peer_groups(accounts, preset), p.min_peers)
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
            "account_age_risk": _ramp(z, p.z_start, p.z_full),
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


# --------------------------------------------------------------------------- the score
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
    head = head.assign(tier=_peer_groups(accounts, preset)["tier"])
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


# --------------------------------------------------------------------------- evaluation
def _truth(scores: pd.DataFrame, fraud_labels: pd.DataFrame) -> pd.DataFrame:
    labels = fraud_labels.set_index("account_id")["archetype"]
    frame = scores[["account_id", "score", "suspected"]].copy()
    frame["archetype"] = frame["account_id"].map(labels)
    if frame["archetype"].isna().any():
        raise ValueError("some scored accounts have no fraud label")
    frame["fraud"] = frame["archetype"] != "none"
    return frame


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = ratio(float(tp), float(tp + fp), "precision")
    recall = ratio(float(tp), float(tp + fn), "recall")
    f1 = ratio(2.0 * tp, float(2 * tp + fp + fn), "F1")
    return precision, recall, f1


def evaluate(
    scores: pd.DataFrame, fraud_labels: pd.DataFrame, threshold: float | None = None
) -> dict[str, object]:
    """Precision, recall, F1 of "suspected" (score < threshold; the `suspected` column when None) against
    ground-truth archetypes (fraud = archetype != "none"), with per-archetype recall and the confusion
    counts. F1 = 2 TP / (2 TP + FP + FN). Undefined ratios are NaN with a reason."""
    frame = _truth(scores, fraud_labels)
    flagged = frame["suspected"] if threshold is None else frame["score"] < threshold
    tp = int((flagged & frame["fraud"]).sum())
    fp = int((flagged & ~frame["fraud"]).sum())
    fn = int((~flagged & frame["fraud"]).sum())
    tn = int((~flagged & ~frame["fraud"]).sum())
    precision, recall, f1 = _prf(tp, fp, fn)
    per_archetype = {
        str(a): ratio(
            float(flagged[frame["archetype"] == a].sum()), float((frame["archetype"] == a).sum()), a
        )
        for a in sorted(frame.loc[frame["fraud"], "archetype"].unique())
    }
    return {
        "threshold": threshold,
        "n": len(frame),
        "base_rate": ratio(float(frame["fraud"].sum()), float(len(frame)), "base rate"),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "recall_by_archetype": per_archetype,
    }


def precision_recall_curve(
    scores: pd.DataFrame, labels: pd.DataFrame, thresholds: Sequence[float] | None = None
) -> pd.DataFrame:
    """Precision, recall and F1 of "score < threshold" for each threshold (default 0, 1, ..., 100)."""
    frame = _truth(scores, labels)
    grid = np.arange(0.0, 101.0) if thresholds is None else np.asarray(thresholds, dtype="float64")
    flagged = frame["score"].to_numpy()[None, :] < grid[:, None]
    fraud = frame["fraud"].to_numpy()[None, :]
    tp, fp, fn = (flagged & fraud).sum(1), (flagged & ~fraud).sum(1), (~flagged & fraud).sum(1)
    curve = pd.DataFrame({"threshold": grid, "flagged": flagged.sum(1), "tp": tp, "fp": fp, "fn": fn})
    curve["precision"] = ratio(
        curve["tp"].astype(float), (curve["tp"] + curve["fp"]).astype(float), "precision"
    )
    curve["recall"] = ratio(curve["tp"].astype(float), (curve["tp"] + curve["fn"]).astype(float), "recall")
    curve["f1"] = ratio(2.0 * curve["tp"], (2 * curve["tp"] + curve["fp"] + curve["fn"]).astype(float), "F1")
    return curve
