"""Synthetic posts (organic and sponsored), captions with disclosures, and a labelled comments sample.

Per post: reach (or views) = real followers x a draw in the published reach band for the platform and
format; interactions = real followers (Instagram) or views (TikTok, YouTube) x the account's engagement
rate x post noise, split into likes, comments, shares and saves. Bought followers add no reach or
engagement, so engagement rate by shown followers collapses; bought likes and pods inflate one count.
Counts are kept consistent: interactions <= reach <= impressions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.data.schemas import PLATFORM_FORMATS
from playbook.data.synth import calibration
from playbook.data.synth.common import Window, ids, lognormal_around, pick, stream

__all__ = [
    "CLICK_FACTOR",
    "COMMENT_TEXT",
    "DISCLOSURE_STYLES",
    "FORMAT_WEIGHTS",
    "MIX",
    "OPENERS",
    "POSTS_PER_DAY",
    "SPONSORED_ER",
    "VALID_TAGS",
    "WEAK_TAGS",
    "generate_comments",
    "generate_posts",
]


POSTS_PER_DAY = {"instagram": 0.16, "tiktok": 0.25, "youtube": 0.05}  # model: organic posting rates
MIX = {  # share of interactions: likes, comments, shares, saves (model)
    "instagram": (0.86, 0.035, 0.045, 0.06),
    "tiktok": (0.85, 0.025, 0.06, 0.065),
    "youtube": (0.93, 0.05, 0.02, 0.0),
}
FORMAT_WEIGHTS = {
    "instagram": (0.35, 0.2, 0.3, 0.1, 0.05),
    "tiktok": (1.0,),
    "youtube": (0.4, 0.6),
}
CLICK_FACTOR = {
    "feed": 0.5,
    "carousel": 0.5,
    "reel": 0.8,
    "story": 0.8,
    "story_link": 2.0,
    "short_video": 0.6,
    "long_video": 1.5,
}  # model: link clicks relative to the 1%-of-views rule by format
SPONSORED_ER = 0.8  # model: sponsored posts engage 20% less than organic ones
DISCLOSURE_STYLES = ("compliant", "late", "weak", "missing")
OPENERS = ("New", "Loving this", "Weekend", "Quick", "Honest thoughts on", "My go-to", "Trying", "Day 3 of")
WEAK_TAGS = ("#sp", "#partner", "#collab", "thanks @{brand}")
VALID_TAGS = ("#ad", "#sponsored", "Paid partnership with @{brand}")


def _metrics(
    rng: np.random.Generator,
    platform: np.ndarray,
    fmt: np.ndarray,
    real: np.ndarray,
    er: np.ndarray,
    sponsored: np.ndarray,
    archetype: np.ndarray,
    after_onset: np.ndarray,
) -> dict[str, np.ndarray]:
    n = len(platform)
    share = np.empty(n)
    for p, f in sorted(set(zip(platform, fmt, strict=False))):
        mask = (platform == p) & (fmt == f)
        lo, hi = calibration.reach_band(p, f)
        share[mask] = np.exp(rng.uniform(np.log(lo), np.log(hi), mask.sum()))
    quality = lognormal_around(rng, 1.0, 0.3, n)
    audience = real * share * quality  # reach on Instagram, views on video platforms
    video = np.isin(fmt, ("reel", "short_video", "long_video"))
    insta = platform == "instagram"
    base = np.where(insta, real, audience)
    total = base * er * lognormal_around(rng, 1.0, 0.35, n) * np.where(sponsored, SPONSORED_ER, 1.0)
    mix = np.array([MIX[p] for p in platform])
    counts = total[:, None] * mix * lognormal_around(rng, 1.0, 0.15, n * 4).reshape(n, 4)
    likes, comments, shares, saves = (np.round(counts[:, i]) for i in range(4))
    fraud_on = after_onset & (archetype == "bought_likes")
    likes = np.where(fraud_on, np.round(likes * rng.uniform(3, 8, n)), likes)
    pod_on = after_onset & (archetype == "engagement_pod")
    comments = np.where(
        pod_on, np.round(comments * rng.uniform(2.5, 5, n) + rng.integers(8, 25, n)), comments
    )
    interactions = likes + comments + shares + saves
    reach = np.where(insta, audience, audience * rng.uniform(0.7, 0.95, n))
    views = np.where(insta, np.where(video, reach * rng.uniform(1.05, 1.4, n), 0.0), audience)
    reach = np.maximum(np.round(reach), interactions)
    frequency = np.where(
        platform == "youtube",
        rng.uniform(4, 12, n),
        np.where(insta, rng.uniform(1.1, 1.6, n), rng.uniform(1.0, 1.15, n)),
    )
    impressions = np.maximum(np.round(np.maximum(reach, views) * frequency), reach)
    ctr = calibration.value("ctr_views_rule_of_thumb")
    clicks = np.where(
        sponsored,
        np.round(
            np.maximum(reach, views)
            * ctr
            * np.array([CLICK_FACTOR[f] for f in fmt])
            * lognormal_around(rng, 1.0, 0.5, n)
        ),
        0,
    )
    return {
        "likes": likes,
        "comments": comments,
        "shares": shares,
        "saves": saves,
        "views": np.round(views),
        "reach": reach,
        "impressions": impressions,
        "link_clicks": clicks,
    }


def _captions(
    rng: np.random.Generator,
    topics: np.ndarray,
    sponsored: np.ndarray,
    brand_handle: np.ndarray,
    trend_tags: np.ndarray,
) -> tuple[list[str], np.ndarray]:
    """Captions with hashtags; sponsored ones carry a disclosure of one of four styles (ground truth kept)."""
    compliant = calibration.value("disclosure_full_compliance_imh_2020")
    style = pick(rng, DISCLOSURE_STYLES, (compliant, 0.33, 0.30, 0.37 - compliant), len(topics)).astype(str)
    style = np.where(sponsored, style, "")
    captions = []
    for i, (tops, sp, brand, trend) in enumerate(
        zip(topics, sponsored, brand_handle, trend_tags, strict=False)
    ):
        tlist = tops.split("|")
        main = tlist[rng.integers(0, len(tlist))]
        tags = " ".join(f"#{t}" for t in tlist[:3]) + (f" {trend}" if trend else "")
        body = f"{OPENERS[rng.integers(0, len(OPENERS))]} {main} {'routine' if i % 3 == 0 else 'find'} ✨"
        if not sp:
            captions.append(f"{body} {tags}")
            continue
        mention = f"@{brand}"
        valid = VALID_TAGS[rng.integers(0, len(VALID_TAGS))].format(brand=brand)
        weak = WEAK_TAGS[rng.integers(0, len(WEAK_TAGS))].format(brand=brand)
        kind = style[i]
        if kind == "compliant":
            captions.append(f"{valid} | {body} with {mention}\n{tags}")
        elif kind == "late":
            captions.append(
                f"{body} with {mention}\nSo many thoughts on this one.\nMore in stories.\n{tags}\n{valid}"
            )
        elif kind == "weak":
            captions.append(f"{body} with {mention} {weak}\n{tags}")
        else:
            captions.append(f"{body} with {mention}\n{tags}")
    return captions, style


def generate_posts(
    seed: int,
    shard: int,
    accounts: pd.DataFrame,
    matrices: dict[str, np.ndarray],
    deliverables: pd.DataFrame,
    creators: pd.DataFrame,
    brand_handles: pd.Series,
    trends: pd.DataFrame,
    window: Window,
    total_posts: int | None = None,
    post_id_start: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Posts for all accounts; sponsored ones fill the posted deliverables. Returns (posts, deliverables)."""
    rng = stream(seed, shard, "posts")
    m = len(accounts)
    rate = accounts["platform"].map(POSTS_PER_DAY).to_numpy() * lognormal_around(rng, 1.0, 0.5, m)
    posted = deliverables[deliverables["posted_date"].notna()]
    s_day = (posted["posted_date"] - window.start).dt.days.to_numpy()
    in_window = (s_day >= 0) & (s_day < window.days)
    posted, s_day = posted[in_window], s_day[in_window]
    if total_posts is None:
        n_org = rng.poisson(rate * window.days)
    else:
        n_org = rng.multinomial(max(total_posts - len(posted), 0), rate / rate.sum())
    acc_idx = np.repeat(np.arange(m), n_org)
    n1 = len(acc_idx)
    plat = accounts["platform"].to_numpy()[acc_idx]
    fmt = np.empty(n1, dtype=object)
    for p, options in PLATFORM_FORMATS.items():
        mask = plat == p
        fmt[mask] = pick(rng, options, FORMAT_WEIGHTS[p], int(mask.sum()))
    day = rng.integers(0, window.days, n1)

    acc_pos = pd.Series(np.arange(m), index=accounts["account_id"])
    s_idx = acc_pos.reindex(posted["_account_id"]).to_numpy()

    idx = np.concatenate([acc_idx, s_idx]).astype(int)
    day = np.concatenate([day, s_day]).astype(int)
    fmt = np.concatenate([fmt, posted["format"].to_numpy()]).astype(str)
    sponsored = np.concatenate([np.zeros(n1, bool), np.ones(len(posted), bool)])
    campaign = np.concatenate([np.full(n1, None, dtype=object), posted["_campaign_id"].to_numpy()])
    platform = accounts["platform"].to_numpy()[idx]
    onset = accounts["_onset"].to_numpy()[idx]
    archetype = accounts["_archetype"].to_numpy()[idx]
    real = matrices["real"][idx, day]
    metrics = _metrics(
        rng,
        platform,
        fmt,
        real,
        accounts["_er"].to_numpy()[idx],
        sponsored,
        archetype,
        (onset >= 0) & (day >= onset),
    )
    n = len(idx)
    seconds = rng.integers(7 * 3600, 23 * 3600, n)
    posted_at = window.start + pd.to_timedelta(day, unit="D") + pd.to_timedelta(seconds, unit="s")
    topics = accounts["creator_id"].map(creators.set_index("creator_id")["topics"]).to_numpy()[idx]
    niche = accounts["_niche"].to_numpy()[idx]
    trend_tags = np.full(n, "", dtype=object)
    for t in trends.itertuples():
        mask = (niche == t.niche) & (posted_at >= t.onset_date) & (rng.random(n) < 0.35)
        trend_tags[mask] = t.topic
    brand = np.full(n, "", dtype=object)
    brand[n1:] = posted["_campaign_id"].map(brand_handles).to_numpy()
    captions, style = _captions(rng, topics, sponsored, brand, trend_tags)
    provenance = np.where(
        sponsored,
        pick(rng, ("measured", "self_reported", "estimated"), (0.7, 0.2, 0.1), n),
        pick(rng, ("measured", "estimated"), (0.35, 0.65), n),
    )
    posts = pd.DataFrame(
        {
            "post_id": ids("PO", post_id_start, n, 9),
            "account_id": accounts["account_id"].to_numpy()[idx],
            "platform": platform,
            "format": fmt,
            "posted_at": posted_at,
            "sponsored": sponsored,
            "campaign_id": campaign,
            "caption": captions,
            **{k: v.astype(np.int64) for k, v in metrics.items()},
            "provenance": provenance,
            "_disclosure": style,
        }
    )
    order = np.lexsort((posts["post_id"].to_numpy(), posted_at.to_numpy()))
    posts = posts.iloc[order].reset_index(drop=True)
    posts["post_id"] = ids("PO", post_id_start, n, 9)
    deliverables = deliverables.copy()
    sponsored_ids = posts.loc[posts["sponsored"]]
    key = sponsored_ids.set_index(["account_id", "campaign_id", sponsored_ids["posted_at"].dt.normalize()])[
        "post_id"
    ]
    key = key[~key.index.duplicated()]
    lookup = pd.MultiIndex.from_arrays(
        [deliverables["_account_id"], deliverables["_campaign_id"], deliverables["posted_date"]]
    )
    deliverables["post_id"] = key.reindex(lookup).to_numpy()
    return posts, deliverables


COMMENT_TEXT = {
    "generic": (
        "Nice!",
        "Love this",
        "So cool",
        "Great post",
        "Amazing",
        "Wow",
        "Beautiful",
        "Awesome content",
    ),
    "emoji": ("🔥🔥🔥", "😍😍", "👏👏", "❤️", "🙌", "💯", "😍🔥", "👌"),
    "pod": (
        "Amazing content!! 🔥",
        "Love this so much 😍",
        "Great vibes here ✨",
        "Keep it up!! 👏",
        "Obsessed with this 🙌",
        "Such a great post 💯",
    ),
    "specific": (
        "Where did you get the {t} stuff?",
        "Tried your {t} tip and it worked",
        "How long did the {t} part take?",
        "Can you do a full {t} video?",
        "Is this {t} worth it on a budget?",
        "Saving this {t} idea for later",
    ),
}


def generate_comments(
    seed: int, shard: int, posts: pd.DataFrame, accounts: pd.DataFrame, share: float
) -> pd.DataFrame:
    """A sample of comments on a share of posts; pod accounts draw from a small recurring commenter set."""
    rng = stream(seed, shard, "comments")
    chosen = posts[(rng.random(len(posts)) < share) & (posts["comments"] > 0)]
    acc = accounts.set_index("account_id")
    arche = chosen["account_id"].map(acc["_archetype"]).to_numpy()
    onset = chosen["account_id"].map(acc["_onset"]).to_numpy()
    pod_now = (arche == "engagement_pod") & (onset >= 0)
    k = np.minimum(chosen["comments"].to_numpy(), rng.integers(3, 9, len(chosen)))
    rows = np.repeat(np.arange(len(chosen)), k)
    n = len(rows)
    is_pod = pod_now[rows] & (rng.random(n) < 0.55)
    kind = np.where(
        is_pod, "pod", pick(rng, ("specific", "generic", "emoji"), (0.55, 0.25, 0.2), n).astype(str)
    )
    pod_pool = np.char.add("u_pod", np.char.zfill(rng.integers(0, 40, n).astype(str), 3))
    crowd = np.char.add("u", np.char.zfill(rng.integers(0, 10**8, n).astype(str), 8))
    commenter = np.where(is_pod, pod_pool, crowd)
    topic = chosen["caption"].str.extract(r"#(\w+)")[0].fillna("this").to_numpy()[rows]
    texts = []
    for kd, t in zip(kind, topic, strict=False):
        options = COMMENT_TEXT[kd]
        texts.append(options[rng.integers(0, len(options))].format(t=t))
    delay = pd.to_timedelta(np.round(rng.exponential(5 * 3600, n)), unit="s")
    return pd.DataFrame(
        {
            "comment_id": ids("CM", shard * 10_000_000, n, 9),
            "post_id": chosen["post_id"].to_numpy()[rows],
            "commenter_id": commenter,
            "text": texts,
            "kind": kind,
            "commented_at": chosen["posted_at"].to_numpy()[rows] + delay.to_numpy(),
        }
    )
