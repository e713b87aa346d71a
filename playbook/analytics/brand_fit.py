"""Brand-fit score: how well each creator matches a brand or campaign, 0-100 with adjustable weights.

Five components, each a sub-score s in [0, 1]:

- topic: Traackr-style relevance (keyword mentions weighted by rarity, http://help.traackr.com/en/articles/
  980925-what-is-traackr-s-scoring-methodology). Terms are the creator's topics plus the hashtags of their
  captions; each term weighs tf * idf with idf = ln((1 + N) / (1 + df)) + 1 over N creators, and
  s = idf-weighted mentions of the target keywords / idf-weighted mentions of all terms.
- location: s = min(1, audience share in the target country / country_share_goal).
- age: s = min(1, audience share in the target age buckets / age_share_goal). Audience shares are the
  follower-weighted mean over the creator's accounts.
- brand_safety: s = 0 if `creators.safety_flags` holds a flag the brand avoids, else 1.
- competitor: s = 0 if the creator published a sponsored post for a campaign of a competitor brand
  (`brands.competitor_ids` of the target brand), else 1.

    points_c = 100 * w_c * s_c / sum(w of the scored components);  score = sum_c points_c

A component without data (no audience rows, no age target) is not scored and its weight is spread over the
others. Default weights are Cloutaura's for niche, audience, location and brand safety
(`brand_fit_weight_*_cloutaura`, https://cloutaura.com/tools/brand-creator-fit-checker); the competitor
weight is our own choice. Cloutaura's content quality, engagement quality, reputation and timeline are not
measured here (`playbook.analytics.vetting.audience_quality` covers audience quality). Bands are Cloutaura's:
80+ strong, 65-79 good, 45-64 needs review, below 45 weak (`brand_fit_band_*_cloutaura`).

Caution: more fit is not always better. Leung, Gu, Li, Zhang & Palmatier (2022, Journal of Marketing,
doi:10.1177/00222429221102889) find an inverted-U effect of follower-brand fit on effectiveness: past a
point, a near-perfect fit lowers returns (the audience already knows the category). Use the score to screen
out poor fits and to explain choices, not to rank only the top scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from playbook.analytics.undefined import ratio
from playbook.data.registry import benchmark
from playbook.data.schemas import SAFETY_FLAGS
from playbook.data.vocab import NICHE_TOPICS

__all__ = [
    "BANDS",
    "DEFAULT_FIT_WEIGHTS",
    "FIT_COMPONENTS",
    "FitTarget",
    "audience_match",
    "brand_fit",
    "competitor_posts",
    "fit_band",
    "fit_target",
    "topic_relevance",
]

FIT_COMPONENTS: tuple[str, ...] = ("topic", "age", "location", "brand_safety", "competitor")
COMPETITOR_WEIGHT = 0.1  # tuning choice (not Cloutaura's): the same weight as brand safety
DEFAULT_FIT_WEIGHTS: dict[str, float] = {
    "topic": benchmark("brand_fit_weight_niche_cloutaura").value,
    "age": benchmark("brand_fit_weight_audience_cloutaura").value,
    "location": benchmark("brand_fit_weight_location_cloutaura").value,
    "brand_safety": benchmark("brand_fit_weight_brand_safety_cloutaura").value,
    "competitor": COMPETITOR_WEIGHT,
}
BANDS: tuple[tuple[str, str], ...] = (  # (label, registry id of its lower bound), best first
    ("strong", "brand_fit_band_strong_cloutaura"),
    ("good", "brand_fit_band_good_cloutaura"),
    ("needs review", "brand_fit_band_review_cloutaura"),
    ("weak", "brand_fit_band_weak_cloutaura"),
)
DISCLOSURE_TAGS = frozenset(
    {"ad", "ads", "sponsored", "sp", "partner", "collab", "gifted", "paidpartnership"}
)
_HASHTAG = r"#(\w+)"


@dataclass(frozen=True)
class FitTarget:
    """Who the brand wants: topic keywords, audience country and age buckets, flags it avoids, competitors.

    country_share_goal and age_share_goal are tuning choices: the audience share that earns full marks.
    """

    keywords: tuple[str, ...]
    country: str | None = None
    ages: tuple[str, ...] = ()
    brand_id: str | None = None
    competitor_ids: tuple[str, ...] = ()
    avoid_flags: tuple[str, ...] = SAFETY_FLAGS
    country_share_goal: float = 0.5
    age_share_goal: float = 0.4
    label: str = field(default="custom target", compare=False)


def _split(text: object) -> list[str]:
    return [t.strip() for t in str(text).split("|") if t.strip()] if isinstance(text, str) else []


def fit_target(
    tables: dict[str, pd.DataFrame], campaign_id: str | None = None, brand_id: str | None = None
) -> FitTarget:
    """The target of a campaign (its brand's category vocabulary, target country and age) or of a brand
    (category vocabulary and home country, no age). Keywords = category + `NICHE_TOPICS[category]`."""
    ages: tuple[str, ...] = ()
    country = None
    label = f"brand {brand_id}"
    if campaign_id is not None:
        campaigns = tables["campaigns"].set_index("campaign_id")
        if campaign_id not in campaigns.index:
            raise KeyError(f"unknown campaign {campaign_id!r}")
        row = campaigns.loc[campaign_id]
        brand_id, country, ages = str(row["brand_id"]), str(row["target_country"]), (str(row["target_age"]),)
        label = f"campaign {campaign_id} ({row['name']})"
    if brand_id is None:
        raise ValueError("give a campaign_id, a brand_id or a FitTarget")
    brands = tables["brands"].set_index("brand_id")
    if brand_id not in brands.index:
        raise KeyError(f"unknown brand {brand_id!r}")
    brand = brands.loc[brand_id]
    category = str(brand["category"])
    return FitTarget(
        keywords=(category, *NICHE_TOPICS.get(category, ())),
        country=country or str(brand["country"]),
        ages=ages,
        brand_id=brand_id,
        competitor_ids=tuple(_split(brand["competitor_ids"])),
        label=label,
    )


# --------------------------------------------------------------------------- components
def _creator_terms(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Long table (creator_id, term, count): each listed topic once, plus every caption hashtag."""
    creators = tables["creators"]
    topics = creators[["creator_id"]].assign(term=creators["topics"].map(_split)).explode("term")
    posts = tables["posts"][["account_id", "caption"]]
    owner = tables["accounts"].set_index("account_id")["creator_id"]
    tags = posts["caption"].fillna("").astype(str).str.lower().str.findall(_HASHTAG)
    hashtags = pd.DataFrame({"creator_id": posts["account_id"].map(owner), "term": tags}).explode("term")
    terms = pd.concat([topics, hashtags], ignore_index=True).dropna()
    terms["term"] = terms["term"].astype(str).str.lower().str.lstrip("#")
    terms = terms[~terms["term"].isin(DISCLOSURE_TAGS)]
    return terms.groupby(["creator_id", "term"]).size().rename("count").reset_index()


def topic_relevance(tables: dict[str, pd.DataFrame], keywords: Iterable[str]) -> pd.DataFrame:
    """Per creator: relevance = sum over keywords of tf * idf / sum over all terms of tf * idf, in [0, 1],
    with idf = ln((1 + N) / (1 + df)) + 1 (N creators with terms, df creators using the term); and the
    matched terms, most weighted first. Undefined (NaN with a reason) for creators without any term."""
    wanted = {k.lower().lstrip("#") for k in keywords}
    terms = _creator_terms(tables)
    n = terms["creator_id"].nunique()
    df = terms.groupby("term")["creator_id"].nunique()
    terms["weight"] = terms["count"] * (np.log((1 + n) / (1 + terms["term"].map(df))) + 1)
    terms["match"] = terms["term"].isin(wanted)
    index = pd.Index(tables["creators"]["creator_id"], name="creator_id")
    total = terms.groupby("creator_id")["weight"].sum().reindex(index)
    matched = terms[terms["match"]].groupby("creator_id")["weight"].sum().reindex(index).fillna(0.0)
    relevance = ratio(matched.where(total.notna()), total, "topic relevance")
    top = (
        terms[terms["match"]]
        .sort_values(["creator_id", "weight"], ascending=[True, False])
        .groupby("creator_id")["term"]
        .agg(lambda ts: ", ".join(ts.head(3)))
        .reindex(index)
        .fillna("")
    )
    return pd.DataFrame({"topic_relevance": relevance, "matched_terms": top}, index=index)


def audience_match(tables: dict[str, pd.DataFrame], country: str | None, ages: Iterable[str]) -> pd.DataFrame:
    """Per creator: audience share in `country` and in the `ages` buckets, follower-weighted over the
    creator's accounts that have audience rows: sum(followers * share) / sum(followers). NaN when no
    account has rows for that dimension (or no target is given)."""
    accounts = tables["accounts"].set_index("account_id")
    audience = tables.get("audience", pd.DataFrame(columns=["account_id", "dimension", "bucket", "share"]))
    index = pd.Index(tables["creators"]["creator_id"], name="creator_id")
    out = pd.DataFrame(index=index)
    for name, dimension, buckets in (
        ("country_share", "country", {country} if country else set()),
        ("age_share", "age", set(ages)),
    ):
        rows = audience[audience["dimension"] == dimension]
        if not buckets or rows.empty:
            out[name] = np.nan
            continue
        per_account = rows["share"].where(rows["bucket"].isin(buckets), 0.0).groupby(rows["account_id"]).sum()
        followers = accounts["followers"].reindex(per_account.index).astype("float64")
        owner = accounts["creator_id"].reindex(per_account.index)
        num = (followers * per_account).groupby(owner).sum().reindex(index)
        den = followers.groupby(owner).sum().reindex(index)
        out[name] = ratio(num, den, f"audience {dimension} share")
    return out


def competitor_posts(tables: dict[str, pd.DataFrame], competitor_ids: Iterable[str]) -> pd.DataFrame:
    """Per creator: sponsored posts for campaigns of the competitor brands, the last one's date and the
    brands' names."""
    index = pd.Index(tables["creators"]["creator_id"], name="creator_id")
    rival_brands = set(competitor_ids)
    if not rival_brands:
        return pd.DataFrame(
            {"competitor_posts": 0, "competitor_last_post": pd.NaT, "competitor_brands": ""}, index=index
        )
    campaigns = tables["campaigns"].set_index("campaign_id")
    rivals = campaigns.index[campaigns["brand_id"].isin(rival_brands)]
    posts = tables["posts"]
    hits = posts[posts["sponsored"] & posts["campaign_id"].isin(rivals)]
    owner = hits["account_id"].map(tables["accounts"].set_index("account_id")["creator_id"])
    names = hits["campaign_id"].map(campaigns["brand_id"]).map(tables["brands"].set_index("brand_id")["name"])
    frame = pd.DataFrame({"creator_id": owner, "posted_at": hits["posted_at"], "brand": names})
    g = frame.groupby("creator_id")
    out = pd.DataFrame(
        {
            "competitor_posts": g.size(),
            "competitor_last_post": g["posted_at"].max(),
            "competitor_brands": g["brand"].agg(lambda b: ", ".join(sorted(set(b)))),
        }
    ).reindex(index)
    out["competitor_posts"] = out["competitor_posts"].fillna(0).astype("int64")
    out["competitor_brands"] = out["competitor_brands"].fillna("")
    return out


@lru_cache(maxsize=1)
def _band_bounds() -> tuple[tuple[str, float], ...]:
    return tuple((label, benchmark(bid).low or 0.0) for label, bid in BANDS)


def fit_band(score: float) -> str:
    """Cloutaura band of a 0-100 fit score (lower bounds from `brand_fit_band_*_cloutaura`)."""
    if pd.isna(score):
        return "not scored"
    return next((label for label, low in _band_bounds() if score >= low), BANDS[-1][0])


# --------------------------------------------------------------------------- the score
def _weights(weights: dict[str, float] | None) -> dict[str, float]:
    merged = {**DEFAULT_FIT_WEIGHTS, **(weights or {})}
    unknown = set(merged) - set(FIT_COMPONENTS)
    if unknown:
        raise ValueError(f"unknown components {sorted(unknown)}; expected some of {list(FIT_COMPONENTS)}")
    if any(w < 0 or not math.isfinite(w) for w in merged.values()) or sum(merged.values()) <= 0:
        raise ValueError("weights must be finite, >= 0 and not all 0")
    return merged


def _reasons(frame: pd.DataFrame, target: FitTarget) -> list[str]:
    out = []
    for r in frame.itertuples():
        parts = [
            f"topic {r.topic_relevance:.0%} on-brand" + (f" ({r.matched_terms})" if r.matched_terms else "")
            if pd.notna(r.topic_relevance)
            else "topic not scored: no topics or hashtags",
            f"{r.country_share:.0%} of audience in {target.country} (goal {target.country_share_goal:.0%})"
            if pd.notna(r.country_share)
            else "location not scored",
            f"{r.age_share:.0%} aged {'/'.join(target.ages)} (goal {target.age_share_goal:.0%})"
            if pd.notna(r.age_share)
            else "age not scored",
        ]
        if r.avoided_flags:
            parts.append(f"brand-safety flags: {r.avoided_flags}")
        if r.competitor_posts:
            parts.append(f"{r.competitor_posts} sponsored posts for competitors ({r.competitor_brands})")
        out.append("; ".join(parts))
    return out


def brand_fit(
    tables: dict[str, pd.DataFrame],
    campaign_id: str | None = None,
    brand_id: str | None = None,
    target: FitTarget | dict[str, object] | None = None,
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Fit of every creator to a campaign or brand: each component's sub-score (0-1) and points, `score`
    (0-100), `band` and plain-word `reasons`, best first. `target` is a `FitTarget`, or a dict of fields
    overriding the campaign's/brand's target; `weights` override `DEFAULT_FIT_WEIGHTS` per component."""
    if isinstance(target, FitTarget):
        goal = target
    else:
        goal = fit_target(tables, campaign_id, brand_id) if campaign_id or brand_id else None
        if goal is None:
            if not target:
                raise ValueError("give a campaign_id, a brand_id or a target profile")
            goal = FitTarget(**target)  # type: ignore[arg-type]
        elif target:
            goal = replace(goal, **target)  # type: ignore[arg-type]
    w = _weights(weights)
    creators = tables["creators"].set_index("creator_id")
    out = creators[["handle", "niche"]].copy()
    out = out.join(topic_relevance(tables, goal.keywords)).join(
        audience_match(tables, goal.country, goal.ages)
    )
    out = out.join(competitor_posts(tables, goal.competitor_ids))
    avoided = creators["safety_flags"].map(lambda f: ", ".join(x for x in _split(f) if x in goal.avoid_flags))
    out["avoided_flags"] = avoided
    sub = pd.DataFrame(
        {
            "topic": out["topic_relevance"],
            "age": (out["age_share"] / goal.age_share_goal).clip(upper=1.0),
            "location": (out["country_share"] / goal.country_share_goal).clip(upper=1.0),
            "brand_safety": (avoided == "").astype("float64"),
            "competitor": (out["competitor_posts"] == 0).astype("float64"),
        }
    )
    scored_weight = sum(sub[c].notna() * w[c] for c in FIT_COMPONENTS)
    for c in FIT_COMPONENTS:
        out[f"{c}_score"] = sub[c]
        out[f"{c}_points"] = ratio(100.0 * w[c] * sub[c].fillna(0.0), scored_weight, f"{c} points")
    points = out[[f"{c}_points" for c in FIT_COMPONENTS]].sum(axis=1, min_count=1)
    out["score"] = points.clip(0.0, 100.0)  # clip only trims floating-point dust such as 100.00000000000001
    out["band"] = out["score"].map(fit_band)
    out["reasons"] = _reasons(out, goal)
    out["target"] = goal.label
    return out.sort_values("score", ascending=False, kind="stable").reset_index()
