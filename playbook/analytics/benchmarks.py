"""The sample against published benchmarks (module 03): the benchmark registry filtered, ER of every account
on several bases, tiers under each preset, reach rate and ER by format, and what each niche posts and who
follows it.

Published figures come from the registry (`playbook.data.registry`, each with source and year); every other
number is computed from the tables. ER bases follow reference section 1.1
(https://influencerdb.net/blog/ignoring-engagement-disastrous-for-influencer-marketing/).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.analytics.brand_fit import DISCLOSURE_TAGS
from playbook.analytics.metrics import (
    ER_BY_FOLLOWERS,
    ER_BY_IMPRESSIONS,
    ER_BY_REACH,
    ER_BY_VIEWS,
    ER_LIKES_ONLY,
    INTERACTIONS_ALL,
    ERBasis,
    profile_engagement_rate,
)
from playbook.analytics.undefined import ratio
from playbook.data.registry import (
    DEFAULT_TIER_PRESET,
    SUB_NANO,
    TIER_ORDER,
    assign_tier,
    benchmark,
    load_tier_presets,
    tier_bounds,
)

__all__ = [
    "ANY",
    "ER_BASES",
    "REACH_BENCHMARKS",
    "er_by_basis",
    "filter_registry",
    "niche_audience",
    "niche_formats",
    "niche_hashtags",
    "profile_er_long",
    "reach_by_format",
    "tier_presets_compare",
]

ANY = "(any)"
# Six ways to compute one account's ER (labels name the basis; presets from playbook.analytics.metrics).
ER_BASES: dict[str, ERBasis] = {
    "all interactions / followers, median": ER_BY_FOLLOWERS,
    "all interactions / followers, mean": ERBasis(
        "followers", INTERACTIONS_ALL, "mean", ER_BY_FOLLOWERS.last_n
    ),
    "likes / followers, mean (Modash API)": ER_LIKES_ONLY,
    "all interactions / reach, median": ER_BY_REACH,
    "all interactions / impressions, mean (Buffer)": ER_BY_IMPRESSIONS,
    "all interactions / views, median (video only)": ER_BY_VIEWS,
}
# Published reach rates (reach / followers) per platform and format: registry ids, no figures.
REACH_BENCHMARKS: dict[tuple[str, str], tuple[str, ...]] = {
    ("instagram", "feed"): ("reach_rate_instagram_feed_influencerfee", "reach_rate_instagram_feed_untapper"),
    ("instagram", "reel"): ("reach_rate_instagram_reel_influencerfee",),
    ("instagram", "story"): ("reach_rate_instagram_story_influencerfee",),
    ("tiktok", "short_video"): ("reach_rate_tiktok_untapper",),
    ("youtube", "long_video"): ("reach_rate_youtube_stellar",),
    ("youtube", "short_video"): ("reach_rate_youtube_stellar",),
}
_REGISTRY_COLUMNS = [
    "benchmark_id",
    "metric",
    "platform",
    "tier",
    "format",
    "low",
    "typical",
    "high",
    "unit",
    "definition",
    "source_name",
    "year",
    "grade",
    "source_url",
]


def filter_registry(
    registry: pd.DataFrame, metric: str, platform: str = ANY, fmt: str = ANY, tier: str = ANY
) -> pd.DataFrame:
    """Rows of the benchmark registry for one metric, optionally one platform, format and tier (exact match;
    `ANY` keeps every value, and the registry's own "all" is a value like any other). Adds `value` (typical,
    else the low-high midpoint, else the one bound given, as `Benchmark.value`), sorted by value."""
    rows = registry[registry["metric"] == metric]
    for column, wanted in (("platform", platform), ("format", fmt), ("tier", tier)):
        if wanted != ANY:
            rows = rows[rows[column] == wanted]
    out = rows[_REGISTRY_COLUMNS].copy()
    out["value"] = (
        out["typical"].fillna((out["low"] + out["high"]) / 2).fillna(out["low"]).fillna(out["high"])
    )
    return out.sort_values(["value", "benchmark_id"]).reset_index(drop=True)


def profile_er_long(tables: dict[str, pd.DataFrame], bases: dict[str, ERBasis] | None = None) -> pd.DataFrame:
    """Profile ER of every account on every basis (`analytics.metrics.profile_engagement_rate`), long:
    account_id, platform, followers, basis (the key of `bases`, default `ER_BASES`), er (fraction; NaN when
    the basis is undefined for the account, e.g. views for an account with no video)."""
    accounts = tables["accounts"]
    parts = []
    for name, basis in (bases or ER_BASES).items():
        er = profile_engagement_rate(tables["posts"], accounts, basis)[["account_id", "er"]]
        parts.append(er.assign(basis=name))
    long = pd.concat(parts, ignore_index=True)
    return long.merge(accounts[["account_id", "platform", "followers"]], on="account_id", how="left")


def er_by_basis(
    profile_er: pd.DataFrame, by: str = "tier", preset: str = DEFAULT_TIER_PRESET, platform: str = ANY
) -> pd.DataFrame:
    """Median profile ER per group and basis. `by` is "tier" (tiers of `preset`) or "platform"; `platform`
    filters accounts first (`ANY` keeps all). Columns: group, basis, median_er (median over accounts of
    their profile ER, a fraction), n_accounts (accounts with a defined ER on that basis)."""
    if by not in ("tier", "platform"):
        raise ValueError(f"by must be 'tier' or 'platform', got {by!r}")
    data = profile_er if platform == ANY else profile_er[profile_er["platform"] == platform]
    data = data.dropna(subset=["er"])
    group = assign_tier(data["followers"], preset) if by == "tier" else data["platform"]
    out = (
        data.assign(group=group)
        .groupby(["group", "basis"], observed=True, sort=True)["er"]
        .agg(median_er="median", n_accounts="size")
        .reset_index()
    )
    out["group"] = out["group"].astype(str)
    return out


def tier_presets_compare(
    profile_er: pd.DataFrame,
    basis: str = "all interactions / followers, median",
    platform: str = ANY,
    presets: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """The same accounts tiered by each preset: preset, tier, followers_min, followers_max (exclusive; inf =
    open), n_accounts, share (of the accounts shown), median_er on `basis` (NaN with no defined ER)."""
    data = profile_er[profile_er["basis"] == basis]
    if platform != ANY:
        data = data[data["platform"] == platform]
    names = presets or tuple(sorted(load_tier_presets()["preset"].unique()))
    parts = []
    for preset in names:
        bounds = pd.DataFrame(tier_bounds(preset), columns=["tier", "followers_min", "followers_max"])
        tier = assign_tier(data["followers"], preset).astype(str)
        grouped = data.assign(tier=tier).groupby("tier")
        stats = pd.DataFrame({"n_accounts": grouped.size(), "median_er": grouped["er"].median()})
        frame = bounds.set_index("tier").join(stats, how="outer").reset_index()
        below = frame["tier"] == SUB_NANO  # counts under the preset's lowest bound
        frame.loc[below, ["followers_min", "followers_max"]] = [0.0, float(bounds["followers_min"].min())]
        frame["n_accounts"] = frame["n_accounts"].fillna(0).astype("int64")
        parts.append(frame.assign(preset=preset))
    out = pd.concat(parts, ignore_index=True)
    out["share"] = ratio(out["n_accounts"].astype(float), float(len(data)), "share of accounts")
    order = {t: i for i, t in enumerate([SUB_NANO, *TIER_ORDER])}
    out = out.sort_values(["preset", "tier"], key=lambda s: s.map(order) if s.name == "tier" else s)
    columns = ["preset", "tier", "followers_min", "followers_max", "n_accounts", "share", "median_er"]
    return out[columns].reset_index(drop=True)


def reach_by_format(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per platform and format: n_posts, reach rate = reach / followers (account snapshot) as q25, median,
    q75, and the median ER by reach = (likes + comments + shares + saves) / reach; plus the published
    reach-rate range (`REACH_BENCHMARKS`: pub_low, pub_high, pub_source; NaN where none is published)."""
    posts = tables["posts"]
    followers = posts["account_id"].map(tables["accounts"].set_index("account_id")["followers"])
    engagements = posts[list(INTERACTIONS_ALL)].sum(axis=1)
    data = posts[["platform", "format"]].assign(
        reach_rate=ratio(posts["reach"], followers, "reach rate"),
        er_reach=ratio(engagements, posts["reach"], "ER by reach"),
    )
    g = data.groupby(["platform", "format"])
    out = pd.DataFrame(
        {
            "n_posts": g.size(),
            "reach_rate_q25": g["reach_rate"].quantile(0.25),
            "reach_rate_median": g["reach_rate"].median(),
            "reach_rate_q75": g["reach_rate"].quantile(0.75),
            "er_by_reach_median": g["er_reach"].median(),
        }
    ).reset_index()
    published = [_published_reach(p, f) for p, f in zip(out["platform"], out["format"], strict=True)]
    out[["pub_low", "pub_high", "pub_source"]] = pd.DataFrame(published, index=out.index)
    return out


def _published_reach(platform: str, fmt: str) -> tuple[float, float, str]:
    """Widest published range for a platform x format (low of the lows, high of the highs) and its sources."""
    ids = REACH_BENCHMARKS.get((platform, fmt), ())
    if not ids:
        return np.nan, np.nan, ""
    marks = [benchmark(i) for i in ids]
    lows = [b.low if b.low is not None else b.value for b in marks]
    highs = [b.high if b.high is not None else b.value for b in marks]
    sources = "; ".join(dict.fromkeys(f"{b.source_name} ({b.year or 'undated'})" for b in marks))
    return min(lows), max(highs), sources


def _creator_posts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    owner = tables["accounts"].set_index("account_id")["creator_id"]
    niche = tables["creators"].set_index("creator_id")["niche"]
    posts = tables["posts"]
    return posts.assign(niche=posts["account_id"].map(owner).map(niche))


def niche_formats(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Format mix per niche: niche, format, posts, share = posts / the niche's posts."""
    posts = _creator_posts(tables)
    counts = posts.groupby(["niche", "format"]).size().rename("posts").reset_index()
    counts["share"] = ratio(
        counts["posts"], counts.groupby("niche")["posts"].transform("sum"), "format share"
    )
    return counts


def niche_hashtags(tables: dict[str, pd.DataFrame], top: int = 4) -> pd.DataFrame:
    """The `top` hashtags of each niche's captions (disclosure tags such as #ad left out): niche, rank,
    hashtag, posts (captions using it), share = posts / the niche's posts."""
    posts = _creator_posts(tables)
    tags = posts["caption"].fillna("").str.lower().str.findall(r"#(\w+)").map(set)
    long = pd.DataFrame({"niche": posts["niche"], "hashtag": tags}).explode("hashtag").dropna()
    long = long[~long["hashtag"].isin(DISCLOSURE_TAGS)]
    counts = long.groupby(["niche", "hashtag"]).size().rename("posts").reset_index()
    counts["share"] = ratio(
        counts["posts"], counts["niche"].map(posts.groupby("niche").size()), "hashtag share"
    )
    counts = counts.sort_values(["niche", "posts", "hashtag"], ascending=[True, False, True])
    counts["rank"] = counts.groupby("niche").cumcount() + 1
    out = counts[counts["rank"] <= top].assign(hashtag="#" + counts["hashtag"])
    return out[["niche", "rank", "hashtag", "posts", "share"]].reset_index(drop=True)


def niche_audience(tables: dict[str, pd.DataFrame], dimension: str = "age") -> pd.DataFrame:
    """Follower-weighted audience mix per niche: share(niche, bucket) = sum over the niche's accounts of
    followers x share / sum of their followers (accounts with rows for `dimension` only). Columns: niche,
    bucket, share, n_accounts."""
    audience = tables["audience"]
    rows = audience[audience["dimension"] == dimension]
    accounts = tables["accounts"].set_index("account_id")
    niche = accounts["creator_id"].map(tables["creators"].set_index("creator_id")["niche"])
    followers = rows["account_id"].map(accounts["followers"]).astype("float64")
    data = rows.assign(
        niche=rows["account_id"].map(niche), weighted=followers * rows["share"], followers=followers
    )
    num = data.groupby(["niche", "bucket"])["weighted"].sum()
    per_account = data.drop_duplicates("account_id")
    den = per_account.groupby("niche")["followers"].sum()
    out = num.reset_index()
    out["share"] = ratio(out["weighted"], out["niche"].map(den), f"audience {dimension} share")
    out["n_accounts"] = out["niche"].map(per_account.groupby("niche").size()).astype("int64")
    return out[["niche", "bucket", "share", "n_accounts"]]
