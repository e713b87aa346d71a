"""Earned media value (EMV) in its three families, taught as a relative index and never folded into ROI.

EMV estimates what paid media would have cost for the same exposure or engagement (reference §1.2). The
three families below give different numbers for the same posts (`emv_comparison` shows it), which is the
point of the lesson:

1. impressions: impressions / 1000 x a benchmark CPM,
2. actions: sum of count(action) x value(action) (SocialToaster's Ayzenberg EMV Index values),
3. engagement with a platform baseline (Tribe Dynamics / CreatorIQ style), full EMV credited to every
   brand a post mentions.

Criticisms to keep in view:
- Traackr: EMV is a re-born AVE, a black box that differs by vendor, with "no connection to ultimate ROI or
  sales"; "no-one has ever paid rate-card prices" (http://www.traackr.com/blog/influencer-marketing-why-emv-needs-to-go).
- Stephen Waddington: "People use AVE and EMV because they're easy. But they're also wrong"
  (https://glean.info/measurement-experts-criticize-earned-media-value-emv-worthless-metric/).
- Tribe Dynamics itself: EMV is "best understood as a relative metric"
  (http://support.tribedynamics.com/en/articles/2850072-what-metrics-can-i-use-to-report-on-my-program).
- EMV ignores sentiment: a negative post scores the same as a positive one
  (https://www.influo.com/blog/media-value-in-influencer-marketing/).

Values are in USD-equivalent index points (the registry's CPMs and action values are USD), whatever the
campaign currency. Every Series and DataFrame returned carries `EMV_LABEL` in `attrs["label"]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from playbook.analytics.undefined import Undefined, ratio
from playbook.data.registry import benchmark

__all__ = [
    "AYZENBERG_ACTIONS",
    "DEFAULT_CPM_SOURCE",
    "EMV_LABEL",
    "ILLUSTRATIVE_BASELINE",
    "ILLUSTRATIVE_WEIGHTS",
    "ayzenberg_values",
    "brand_mentions_from_captions",
    "emv_actions",
    "emv_comparison",
    "emv_engagement_baseline",
    "emv_impressions",
    "platform_cpm",
]

EMV_LABEL = "EMV — a relative index of exposure, not revenue; never part of ROI"

# Registry CPM rows are named cpm_<platform>_<source>; Word on the Block 2023 covers all three platforms.
DEFAULT_CPM_SOURCE = "wordontheblock_2023"

# Ayzenberg EMV Index values were published for Twitter actions. They are mapped to our post columns as:
# impressions -> impressions (value per 1,000), link clicks -> clicks, likes -> favourites,
# comments -> replies, shares -> retweets, views -> views. Saves have no Twitter counterpart and are not
# valued; the per-follower value is not used because posts carry no follower gain.
# Each entry: post column -> (benchmark id, number of actions the registry value is quoted per).
AYZENBERG_ACTIONS: dict[str, tuple[str, float]] = {
    "impressions": ("emv_value_twitter_impressions_ayzenberg", 1000.0),
    "link_clicks": ("emv_value_twitter_click_ayzenberg", 1.0),
    "likes": ("emv_value_twitter_favourite_ayzenberg", 1.0),
    "comments": ("emv_value_twitter_reply_ayzenberg", 1.0),
    "shares": ("emv_value_twitter_retweet_ayzenberg", 1.0),
    "views": ("emv_value_twitter_view_ayzenberg", 1.0),
}

# Tribe Dynamics does not publish its baselines or weights. These defaults are OUR illustrative choices,
# not industry figures: a per-post baseline in USD by platform (a YouTube video worth more than a short
# post, as Tribe Dynamics describes) and USD per view / like / comment / share.
ILLUSTRATIVE_BASELINE: dict[str, float] = {"instagram": 5.0, "tiktok": 5.0, "youtube": 25.0}
ILLUSTRATIVE_WEIGHTS: dict[str, float] = {"views": 0.02, "likes": 0.2, "comments": 1.0, "shares": 1.5}

_FAMILIES = ("emv_impressions", "emv_actions", "emv_engagement_baseline")


def _labelled(obj: pd.Series | pd.DataFrame, **extra: object) -> pd.Series | pd.DataFrame:
    obj.attrs = {"label": EMV_LABEL, **extra}
    return obj


def _missing_reasons(values: pd.Series, name: str) -> pd.Series:
    """Reasons in the `playbook.analytics.undefined` form: `name: missing data` where NaN, None elsewhere."""
    why = pd.Series(None, index=values.index, dtype=object)
    why[values.isna()] = f"{name}: missing data"
    return why.where(why.notna(), None)  # a masked assignment turns the other Nones into NaN


def _columns(posts: pd.DataFrame, names: Iterable[str]) -> None:
    missing = [c for c in names if c not in posts.columns]
    if missing:
        raise ValueError(f"posts has no column(s) {', '.join(missing)}")


# --------------------------------------------------------------------------- family 1: impressions x CPM
def platform_cpm(platform: pd.Series, source: str = DEFAULT_CPM_SOURCE) -> pd.Series:
    """Benchmark CPM (USD per 1,000 impressions) for each row's platform: `cpm_<platform>_<source>` typical
    value (band midpoint). Unknown platform/source combinations raise KeyError from the registry."""
    values = {p: benchmark(f"cpm_{p}_{source}").value for p in platform.dropna().unique()}
    return platform.map(values).astype("float64")


def emv_impressions(impressions: float | pd.Series, cpm: float | pd.Series) -> float | pd.Series:
    """Impression EMV = impressions / 1000 x CPM (USD-equivalent index points).

    Take the CPM from the registry (`platform_cpm`, e.g. cpm_instagram_wordontheblock_2023). This family
    "may overstate value" (https://rajivgopinath.com/blogs/media-planning-hub/commerce-and-retail-media/what-is-emv-earned-media-value).
    Missing inputs give NaN with a reason.
    """
    out = impressions / 1000 * cpm
    if isinstance(out, pd.Series):
        return _labelled(out.rename("emv_impressions"), reasons=_missing_reasons(out, "EMV (impressions)"))
    if pd.isna(out):
        return Undefined("EMV (impressions): missing data")
    return float(out)


# --------------------------------------------------------------------------- family 2: action values
def ayzenberg_values() -> dict[str, float]:
    """USD per single action for each post column, from the Ayzenberg EMV Index rows of the registry
    (https://socialtoaster.com/?p=32725; mapping in `AYZENBERG_ACTIONS`)."""
    return {column: benchmark(bid).value / per for column, (bid, per) in AYZENBERG_ACTIONS.items()}


def emv_actions(posts: pd.DataFrame, values: Mapping[str, float] | None = None) -> pd.Series:
    """Action EMV per post = sum over actions of count(action) x value(action) (USD-equivalent points).

    `values` maps a post column to USD per single action; the default is `ayzenberg_values()`, the
    Ayzenberg EMV Index for Twitter applied to our platforms as mapped in `AYZENBERG_ACTIONS`
    (likes = favourites, comments = replies, shares = retweets; saves not valued). Impressions and views
    are both valued, so a video counts its audience twice: that is how the index works.
    Source: https://socialtoaster.com/?p=32725 (reference §1.2).
    """
    values = dict(ayzenberg_values() if values is None else values)
    _columns(posts, values)
    out = sum((posts[c].astype("float64") * v for c, v in values.items()), pd.Series(0.0, index=posts.index))
    return _labelled(out.rename("emv_actions"), reasons=_missing_reasons(out, "EMV (actions)"), values=values)


# --------------------------------------------------------------------------- family 3: engagement + baseline
def brand_mentions_from_captions(posts: pd.DataFrame, brands: pd.DataFrame) -> pd.DataFrame:
    """(post_id, brand_id) for every brand @-mentioned in a caption; a brand's handle is its name in lower
    case without spaces or punctuation ("Harvest Works" -> @harvestworks), as in the generated data."""
    captions = posts["caption"].fillna("")
    found = []
    for brand_id, name in zip(brands["brand_id"], brands["name"], strict=True):
        handle = re.sub(r"[^a-z0-9]", "", str(name).lower())
        hit = captions.str.contains(rf"@{handle}\b", case=False, regex=True)
        found.append(pd.DataFrame({"post_id": posts.loc[hit, "post_id"].to_numpy(), "brand_id": brand_id}))
    out = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["post_id", "brand_id"])
    return out.sort_values(["post_id", "brand_id"], ignore_index=True)


def emv_engagement_baseline(
    posts: pd.DataFrame,
    brand_mentions: pd.DataFrame | None = None,
    *,
    baseline: Mapping[str, float] = ILLUSTRATIVE_BASELINE,
    weights: Mapping[str, float] = ILLUSTRATIVE_WEIGHTS,
) -> pd.DataFrame:
    """Engagement EMV per post = baseline[platform] + sum over interactions of weight x count (USD points).

    Tribe Dynamics (now CreatorIQ) gives each post a platform baseline, then most of its value comes from
    views, likes, comments and shares; its numbers are proprietary, so `baseline` and `weights` are explicit
    parameters whose defaults are our illustrative choices
    (https://support.tribedynamics.com/en/articles/2786628-what-is-emv-earned-media-value).

    With `brand_mentions` (post_id, brand_id; see `brand_mentions_from_captions`) the FULL EMV of a post is
    credited to every brand it mentions, one row per (post, brand), as Tribe Dynamics does: summing over
    brands double counts (https://foreignerds.com/earned-media-value/). Posts mentioning no brand are
    dropped. Without it: one row per post and brand_id missing.
    Columns: post_id, brand_id, platform, baseline, engagement_value, emv.
    """
    _columns(posts, ["post_id", "platform", *weights])
    unknown = sorted(set(posts["platform"].dropna()) - set(baseline))
    if unknown:
        raise ValueError(
            f"no baseline for platform(s) {', '.join(unknown)}; pass baseline={{platform: value}}"
        )
    engagement = sum(
        (posts[c].astype("float64") * w for c, w in weights.items()), pd.Series(0.0, index=posts.index)
    )
    base = posts["platform"].map(baseline).astype("float64")
    per_post = pd.DataFrame(
        {
            "post_id": posts["post_id"].to_numpy(),
            "platform": posts["platform"].to_numpy(),
            "baseline": base.to_numpy(),
            "engagement_value": engagement.to_numpy(),
            "emv": (base + engagement).to_numpy(),
        }
    )
    if brand_mentions is None:
        out = per_post.assign(brand_id=pd.Series(pd.NA, index=per_post.index, dtype="str"))
    else:
        out = per_post.merge(brand_mentions[["post_id", "brand_id"]].drop_duplicates(), on="post_id")
    columns = ["post_id", "brand_id", "platform", "baseline", "engagement_value", "emv"]
    return _labelled(out[columns], baseline=dict(baseline), weights=dict(weights))


# --------------------------------------------------------------------------- the three side by side
def emv_comparison(
    posts: pd.DataFrame,
    *,
    cpm_source: str = DEFAULT_CPM_SOURCE,
    values: Mapping[str, float] | None = None,
    baseline: Mapping[str, float] = ILLUSTRATIVE_BASELINE,
    weights: Mapping[str, float] = ILLUSTRATIVE_WEIGHTS,
) -> pd.DataFrame:
    """The three EMV families for the same posts, side by side, to show that they disagree.

    Columns: post_id, platform, format, emv_impressions, emv_actions, emv_engagement_baseline,
    spread = largest / smallest of the three (1 = they agree), and reason (why spread is undefined: the
    smallest is 0, e.g. a post with no impressions, or a value is missing). One row per post; no brand
    crediting here. The label is in `attrs["label"]`.
    """
    impressions = emv_impressions(posts["impressions"], platform_cpm(posts["platform"], cpm_source))
    actions = emv_actions(posts, values)
    engagement = emv_engagement_baseline(posts, baseline=baseline, weights=weights)
    out = pd.DataFrame(
        {
            "post_id": posts["post_id"].to_numpy(),
            "platform": posts["platform"].to_numpy(),
            "format": posts["format"].to_numpy(),
            "emv_impressions": impressions.to_numpy(),
            "emv_actions": actions.to_numpy(),
            "emv_engagement_baseline": engagement["emv"].to_numpy(),
        }
    )
    families = out[list(_FAMILIES)]
    spread = ratio(families.max(axis=1, skipna=False), families.min(axis=1, skipna=False), "EMV spread")
    out["spread"] = spread.to_numpy()
    out["reason"] = spread.attrs["reasons"].to_numpy()
    return _labelled(out, cpm_source=cpm_source)
