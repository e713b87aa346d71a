"""Synthetic creators, their accounts, audiences, daily follower series and fraud ground truth.

Followers follow the truncated log-normal fitted in `calibration.follower_distribution`; engagement falls
with size along `calibration.er_curve`; fraud archetypes leave the signals vendors describe (a step in the
follower series, a likes:comments outlier, pod comments, a following spike) with labels kept as ground truth.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from playbook.data.schemas import AGE_BUCKETS, COUNTRIES, NICHES, PLATFORMS, SAFETY_FLAGS
from playbook.data.synth import calibration
from playbook.data.synth.common import Window, ids, lognormal_around, pick, stream
from playbook.data.vocab import NICHE_TOPICS

__all__ = [
    "AGE_PROFILE",
    "ARCHETYPE_SPLIT",
    "BOT_COUNTRIES",
    "COUNTRY_WEIGHTS",
    "DEFAULT_AGE",
    "FEMALE_SHARE",
    "FIRST_NAMES",
    "HANDLE_WORDS",
    "SECOND_ACCOUNT_SHARE",
    "SHORTLIST_SHARE",
    "generate_creators",
]


FIRST_NAMES = (
    "mia",
    "leo",
    "ava",
    "noah",
    "zoe",
    "liam",
    "ella",
    "omar",
    "ines",
    "kai",
    "lena",
    "theo",
    "nora",
    "ravi",
    "sara",
    "jonas",
    "aiko",
    "luca",
    "maya",
    "finn",
    "chloe",
    "diego",
    "amara",
    "felix",
    "isla",
    "yusuf",
    "lila",
    "hugo",
    "priya",
    "mateo",
)
HANDLE_WORDS = (
    "daily",
    "with",
    "loves",
    "eats",
    "makes",
    "goes",
    "lab",
    "club",
    "studio",
    "diaries",
    "hq",
    "life",
)
COUNTRY_WEIGHTS = (0.30, 0.10, 0.08, 0.06, 0.05, 0.05, 0.03, 0.03, 0.06, 0.05, 0.07, 0.05, 0.07)
BOT_COUNTRIES = ("IN", "BR", "MX")
AGE_PROFILE = {  # share of audience per AGE_BUCKETS by niche (model assumption)
    "gaming": (0.20, 0.42, 0.25, 0.09, 0.04),
    "finance": (0.02, 0.22, 0.38, 0.23, 0.15),
    "parenting": (0.02, 0.12, 0.46, 0.30, 0.10),
    "beauty": (0.10, 0.40, 0.32, 0.12, 0.06),
    "fashion": (0.10, 0.40, 0.32, 0.12, 0.06),
}
DEFAULT_AGE = (0.06, 0.32, 0.34, 0.17, 0.11)
FEMALE_SHARE = {
    "beauty": 0.82,
    "fashion": 0.74,
    "parenting": 0.78,
    "gaming": 0.28,
    "tech": 0.30,
    "finance": 0.38,
}
ARCHETYPE_SPLIT = {
    "bought_followers": 0.35,
    "bought_likes": 0.25,
    "engagement_pod": 0.25,
    "mass_follow": 0.15,
}
SHORTLIST_SHARE = 0.03  # share of creators drawn from the >= 100K tail: the brand's discovery shortlist
SECOND_ACCOUNT_SHARE = 0.35


def _followers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Follower counts: the calibrated population plus a small shortlist of larger creators."""
    mu, sigma, floor = calibration.follower_distribution()
    dist = NormalDist(mu, sigma)
    lo_pop = dist.cdf(floor)
    lo_short = dist.cdf(5.0)
    shortlist = rng.random(n) < SHORTLIST_SHARE
    u = rng.random(n)
    lo = np.where(shortlist, lo_short, lo_pop)
    q = lo + u * (1.0 - lo)
    q = np.clip(q, 1e-12, 1 - 1e-12)
    log10f = np.array([dist.inv_cdf(float(v)) for v in q])
    return np.round(10**log10f).astype(np.int64)


def _handles(rng: np.random.Generator, niches: np.ndarray, start: int) -> np.ndarray:
    first = pick(rng, FIRST_NAMES, np.ones(len(FIRST_NAMES)), len(niches))
    word = pick(rng, HANDLE_WORDS, np.ones(len(HANDLE_WORDS)), len(niches))
    topic = np.array(
        [NICHE_TOPICS[n][i % 8] for n, i in zip(niches, rng.integers(0, 8, len(niches)), strict=False)]
    )
    sep = pick(rng, (".", "_", ""), [1, 1, 1], len(niches))
    suffix = np.char.zfill(np.arange(start, start + len(niches)).astype(str), 1)
    base = np.char.add(np.char.add(np.char.add(first.astype(str), sep.astype(str)), word.astype(str)), topic)
    return np.char.add(np.char.add(base, "."), suffix)


def _creators(rng: np.random.Generator, start: int, n: int, window: Window) -> pd.DataFrame:
    niches = pick(rng, NICHES, np.ones(len(NICHES)), n).astype(str)
    n_topics = rng.integers(2, 5, n)
    topics = []
    for niche, k in zip(niches, n_topics, strict=False):
        own = list(rng.choice(NICHE_TOPICS[niche], size=k, replace=False))
        if rng.random() < 0.25:  # a side interest from another niche
            other = NICHES[rng.integers(0, len(NICHES))]
            own.append(NICHE_TOPICS[other][rng.integers(0, 8)])
        topics.append("|".join(dict.fromkeys(own)))
    n_flags = np.where(rng.random(n) < 0.07, 1, 0) + np.where(rng.random(n) < 0.015, 1, 0)
    flags = ["|".join(rng.choice(SAFETY_FLAGS, size=k, replace=False)) if k else "" for k in n_flags]
    joined = window.start - pd.to_timedelta(rng.integers(30, 900, n), unit="D")
    return pd.DataFrame(
        {
            "creator_id": ids("CR", start, n, 6),
            "handle": _handles(rng, niches, start),
            "country": pick(rng, COUNTRIES, COUNTRY_WEIGHTS, n).astype(str),
            "niche": niches,
            "topics": topics,
            "safety_flags": pd.Series(flags, dtype=object).replace("", None),
            "joined_date": joined.normalize(),
        }
    )


def _platforms(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Primary platform by the share of marketers using each (IMH 2025) and an optional second one."""
    weights = [calibration.value(f"platform_preference_{p}_imh_2025") for p in PLATFORMS]
    primary = pick(rng, PLATFORMS, weights, n).astype(str)
    second = pick(rng, PLATFORMS, weights, n).astype(str)
    has_second = (rng.random(n) < SECOND_ACCOUNT_SHARE) & (second != primary)
    return primary, np.where(has_second, second, "")


def generate_creators(
    seed: int, shard: int, start: int, n: int, window: Window
) -> tuple[dict[str, pd.DataFrame], dict[str, np.ndarray]]:
    """Creators, accounts (with hidden `_` columns used downstream), audience, follower_daily, fraud_labels.

    Also returns the daily matrices (accounts x days) of shown and real followers for the post generator.
    """
    rng = stream(seed, shard, "creators")
    creators = _creators(rng, start, n, window)
    primary, second = _platforms(rng, n)
    followers_primary = _followers(rng, n)

    owner = np.concatenate([np.arange(n), np.flatnonzero(second != "")])
    platform = np.concatenate([primary, second[second != ""]])
    followers = np.concatenate(
        [
            followers_primary,
            np.maximum(
                100,
                followers_primary[second != ""] * lognormal_around(rng, 0.3, 0.8, int((second != "").sum())),
            ),
        ]
    ).astype(np.int64)
    order = np.lexsort((platform, owner))
    owner, platform, followers = owner[order], platform[order], followers[order]
    m = len(owner)
    acc_start = start * 2  # two account slots per creator keeps ids unique across shards
    accounts = pd.DataFrame(
        {
            "account_id": ids("AC", acc_start, m, 7),
            "creator_id": creators["creator_id"].to_numpy()[owner],
            "platform": platform,
            "handle": creators["handle"].to_numpy()[owner],
            "_niche": creators["niche"].to_numpy()[owner],
            "_country": creators["country"].to_numpy()[owner],
        }
    )
    accounts.loc[accounts["platform"] == "tiktok", "handle"] = accounts["handle"] + ".tt"
    accounts.loc[accounts["platform"] == "youtube", "handle"] = accounts["handle"] + ".yt"

    arng = stream(seed, shard, "accounts")
    fraud_p = calibration.fraud_probability(followers)
    is_fraud = arng.random(m) < fraud_p
    archetype = np.where(
        is_fraud, pick(arng, tuple(ARCHETYPE_SPLIT), list(ARCHETYPE_SPLIT.values()), m).astype(str), "none"
    )
    onset = np.where(archetype != "none", arng.integers(20, window.days - 30, m), -1)

    # Real followers at the end of the window; bought followers add 25-60% on top at onset.
    bought_share = np.where(archetype == "bought_followers", arng.uniform(0.25, 0.6, m), 0.0)
    real_end = followers.astype(float)
    bought = np.round(real_end * bought_share / (1 - bought_share))  # bought at onset, slowly purged after
    bought_left = bought * np.exp(-0.003 * np.maximum(window.days - 1 - onset, 0))
    er_base = np.empty(m)
    for p in PLATFORMS:
        mask = platform == p
        er_base[mask] = calibration.expected_er(p, real_end[mask]) * lognormal_around(
            arng, 1.0, 0.35, int(mask.sum())
        )
    base_cred = arng.uniform(0.74, 0.96, m)
    cred = base_cred * real_end / (real_end + bought_left)
    cred = np.where(archetype == "mass_follow", cred * arng.uniform(0.8, 0.95, m), cred)
    likers = np.clip(base_cred + arng.normal(0, 0.03, m), 0.5, 0.99)
    likers = np.where(archetype == "bought_likes", arng.uniform(0.35, 0.65, m), likers)
    age_days = np.round(lognormal_around(arng, 1100, 0.6, m)).clip(60, 5000)
    age_days = np.where(
        archetype == "bought_followers", np.minimum(age_days, arng.integers(120, 700, m)), age_days
    )
    snapshot = window.end
    following_base = np.round(lognormal_around(arng, 550, 0.8, m)).clip(10, 7000)

    daily, shown, real = _follower_daily(
        stream(seed, shard, "follower_daily"),
        accounts["account_id"].to_numpy(),
        real_end,
        bought,
        following_base,
        archetype,
        onset,
        window,
    )
    accounts["followers"] = shown[:, -1]
    accounts["following"] = daily["following"].to_numpy().reshape(m, window.days)[:, -1]
    accounts["posts_count"] = np.round(age_days * arng.uniform(0.15, 0.9, m)).astype(np.int64)
    accounts["account_created"] = (snapshot - pd.to_timedelta(age_days, unit="D")).normalize()
    accounts["snapshot_date"] = snapshot
    accounts["audience_credibility"] = np.round(cred, 3)
    accounts["likers_credibility"] = np.round(likers, 3)
    accounts["_archetype"] = archetype
    accounts["_onset"] = onset
    accounts["_er"] = er_base
    accounts["_real_followers"] = real_end
    accounts["_bought_share"] = bought_left / (real_end + bought_left)

    fraud = pd.DataFrame(
        {
            "account_id": accounts["account_id"],
            "archetype": archetype,
            "onset_date": pd.Series(window.start + pd.to_timedelta(onset, unit="D")).where(onset >= 0),
        }
    )
    audience = _audience(arng, accounts)
    return {
        "creators": creators,
        "accounts": accounts,
        "audience": audience,
        "follower_daily": daily,
        "fraud_labels": fraud,
    }, {"shown": shown, "real": real}


def _follower_daily(
    rng: np.random.Generator,
    account_ids: np.ndarray,
    real_end: np.ndarray,
    bought: np.ndarray,
    following_base: np.ndarray,
    archetype: np.ndarray,
    onset: np.ndarray,
    window: Window,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Daily series built backwards from the end-of-window size: organic growth, noise and fraud steps."""
    m, days = len(account_ids), window.days
    t = np.arange(days)
    growth = np.clip(rng.normal(0.0009, 0.0007, m) - 0.00008 * np.log10(real_end), -0.0005, 0.004)
    noise = rng.normal(0, 0.0006, (m, days)).cumsum(axis=1)
    noise -= noise[:, -1:]
    real = real_end[:, None] * np.exp(-growth[:, None] * (days - 1 - t)[None, :] + noise)
    after = t[None, :] >= onset[:, None]
    # bought followers arrive in one or two days, then bots are slowly purged (0.3% of them per day)
    since = np.maximum(t[None, :] - onset[:, None], 0)
    fake = np.where(after, bought[:, None] * np.exp(-0.003 * since), 0.0)
    followers = np.round(real + fake).astype(np.int64)
    walk = rng.integers(-3, 4, (m, days)).cumsum(axis=1)
    following = following_base[:, None] + walk - walk[:, -1:]
    spike = rng.uniform(1800, 5500, m)
    mass = (archetype == "mass_follow")[:, None] & after
    decay = np.clip(1.0 - since / 25.0, 0.2, 1.0)
    following = np.where(mass, following + spike[:, None] * decay, following)
    following = np.maximum(np.round(following), 0).astype(np.int64)
    frame = pd.DataFrame(
        {
            "account_id": np.repeat(account_ids, days),
            "date": np.tile(window.dates().to_numpy(), m),
            "followers": followers.ravel(),
            "following": following.ravel(),
        }
    )
    return frame, followers, real


def _audience(rng: np.random.Generator, accounts: pd.DataFrame) -> pd.DataFrame:
    """Country, age and gender mix per account; bought followers shift the country mix to bot sources."""
    rows_account, rows_dim, rows_bucket, rows_share = [], [], [], []
    others = np.array(COUNTRIES)
    for acc, home, niche, bought_share in zip(
        accounts["account_id"],
        accounts["_country"],
        accounts["_niche"],
        accounts["_bought_share"],
        strict=False,
    ):
        home_share = rng.uniform(0.35, 0.8) * (1 - bought_share)
        pool = others[others != home]
        chosen = rng.choice(pool, size=4, replace=False)
        rest = rng.dirichlet(np.ones(5)) * (1 - bought_share - home_share)
        shares = {
            home: home_share,
            **{c: s for c, s in zip(chosen, rest[:4], strict=False)},
            "OTHER": rest[4],
        }
        if bought_share > 0:
            bot = rng.dirichlet(np.ones(len(BOT_COUNTRIES))) * bought_share
            for c, s in zip(BOT_COUNTRIES, bot, strict=False):
                shares[c] = shares.get(c, 0.0) + s
        age = rng.dirichlet(np.array(AGE_PROFILE.get(niche, DEFAULT_AGE)) * 40)
        female = np.clip(FEMALE_SHARE.get(niche, 0.55) + rng.normal(0, 0.06), 0.05, 0.95)
        gender = {"female": female * 0.98, "male": (1 - female) * 0.98, "other": 0.02}
        for dim, mix in (
            ("country", shares),
            ("age", dict(zip(AGE_BUCKETS, age, strict=False))),
            ("gender", gender),
        ):
            values = np.round(np.array(list(mix.values())), 4)
            values[np.argmax(values)] += round(1.0 - values.sum(), 4)
            rows_account += [acc] * len(mix)
            rows_dim += [dim] * len(mix)
            rows_bucket += list(mix)
            rows_share += list(np.round(values, 4))
    return pd.DataFrame(
        {"account_id": rows_account, "dimension": rows_dim, "bucket": rows_bucket, "share": rows_share}
    )
