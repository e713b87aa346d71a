"""Synthetic brands, campaigns, outreach funnels, contracts, deliverables, promo codes and tracking links.

The roster of each campaign is the outcome of its outreach: messages go out until enough creators agree,
with reply odds calibrated to the published creator reply rate (Heepsy, about 40%) and shaped by incentive,
follow-ups (Woodpecker: +40%) and personalisation. Fees follow the transparent model
fee = CPM x expected views / 1000 x format uplift x usage uplift x deliverables x negotiation noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.data.registry import cpm_band, format_uplift
from playbook.data.schemas import AGE_BUCKETS, NICHES, OBJECTIVES, PAYMENT_TERMS
from playbook.data.synth import calibration
from playbook.data.synth.common import Window, ids, lognormal_around, pick, stream

__all__ = [
    "BRAND_SUFFIX",
    "BRAND_WORDS",
    "CHANNEL_WEIGHT",
    "CURRENCY_BY_COUNTRY",
    "FOLLOWUP_WEIGHT",
    "INCENTIVE_WEIGHT",
    "OBJECTIVE_FORMATS",
    "PERSONALISED_WEIGHT",
    "REVISION_SHARE",
    "ROSTER_SIZE",
    "SIZE_PREFERENCE",
    "USAGE",
    "USAGE_SHARE",
    "finish_campaigns",
    "generate_campaigns",
]


BRAND_WORDS = {
    "beauty": ("Glow", "Lumen", "Petal", "Dewy"),
    "fashion": ("Thread", "Loom", "Stitch", "Atelier"),
    "fitness": ("Pulse", "Stride", "Forge", "Core"),
    "food": ("Harvest", "Crumb", "Ember", "Sprout"),
    "travel": ("Compass", "Drift", "Nomad", "Vista"),
    "gaming": ("Pixel", "Respawn", "Arcade", "Quest"),
    "tech": ("Circuit", "Nimbus", "Vertex", "Orbit"),
    "parenting": ("Nest", "Cradle", "Sprout", "Lullaby"),
    "home": ("Hearth", "Nook", "Haven", "Oak"),
    "finance": ("Ledger", "Penny", "Summit", "Anchor"),
}
BRAND_SUFFIX = ("Co", "Labs", "& Sons", "Studio", "Works", "Goods")
CURRENCY_BY_COUNTRY = {"GB": "GBP", "DE": "EUR", "FR": "EUR", "ES": "EUR", "IT": "EUR", "NL": "EUR"}
ROSTER_SIZE = {"awareness": (5, 10), "consideration": (7, 13), "conversion": (8, 16)}
SIZE_PREFERENCE = {"awareness": 0.45, "consideration": 0.15, "conversion": -0.15}  # slope on log10 followers
INCENTIVE_WEIGHT = {"fee": 1.0, "experience": 0.8, "product": 0.6}  # Heepsy's ordering; model sizes
CHANNEL_WEIGHT = {"email": 1.0, "dm": 0.85, "platform_invite": 1.1}
PERSONALISED_WEIGHT = 1.3
FOLLOWUP_WEIGHT = (1.0, None, 1.5, 1.55)  # None: the Woodpecker first-follow-up uplift
USAGE = {"none": 1.0, "organic_30d": 1.1, "paid_90d": 1.3, "perpetual": 1.6}
USAGE_SHARE = (0.40, 0.30, 0.22, 0.08)
REVISION_SHARE = (0.35, 0.40, 0.18, 0.07)  # 0-3 rounds, mean about 1 (benchmark revision_rounds_model)
OBJECTIVE_FORMATS = {
    "awareness": {"instagram": ("reel", "feed", "carousel"), "youtube": ("long_video", "short_video")},
    "consideration": {"instagram": ("carousel", "reel", "feed"), "youtube": ("long_video",)},
    "conversion": {"instagram": ("story_link", "reel", "feed"), "youtube": ("long_video",)},
}


def _brands(rng: np.random.Generator, shard: int, n: int) -> pd.DataFrame:
    categories = np.array(NICHES)[rng.permutation(len(NICHES))[:n] % len(NICHES)]
    if n > len(NICHES):
        categories = pick(rng, NICHES, np.ones(len(NICHES)), n).astype(str)
    names = []
    for i, c in enumerate(categories):
        name = f"{BRAND_WORDS[c][rng.integers(0, 4)]} {BRAND_SUFFIX[rng.integers(0, len(BRAND_SUFFIX))]}"
        names.append(f"{name} {shard * 100 + i + 1}" if shard else name)
    names = pd.Series(names)
    names = names.where(~names.duplicated(), names + " " + (names.index + 1).astype(str))
    brand_ids = ids("BR", shard * 100, n, 5)
    competitors = []
    for i, cat in enumerate(categories):
        same = [brand_ids[j] for j in range(n) if j != i and categories[j] == cat]
        competitors.append("|".join(same) if same else None)
    countries = pick(rng, ("US", "GB", "DE", "FR", "NL", "CA"), (0.45, 0.15, 0.12, 0.1, 0.08, 0.1), n).astype(
        str
    )
    return pd.DataFrame(
        {
            "brand_id": brand_ids,
            "name": names,
            "category": categories,
            "country": countries,
            "competitor_ids": competitors,
        }
    )


def _campaign_frame(
    rng: np.random.Generator, shard: int, n: int, brands: pd.DataFrame, window: Window
) -> pd.DataFrame:
    brand_idx = np.arange(n) % len(brands)
    rng.shuffle(brand_idx)
    objective = pick(rng, OBJECTIVES, (0.35, 0.30, 0.35), n).astype(str)
    duration = rng.integers(21, 43, n)
    latest_start = window.days - duration
    start_offset = rng.integers(28, np.maximum(latest_start, 29))
    start = window.start + pd.to_timedelta(start_offset, unit="D")
    end = start + pd.to_timedelta(duration - 1, unit="D")
    b = brands.iloc[brand_idx].reset_index(drop=True)
    names = [
        f"{bn.split(' ')[0]} {obj.title()} {s.strftime('%b %Y')}"
        for bn, obj, s in zip(b["name"], objective, start, strict=False)
    ]
    return pd.DataFrame(
        {
            "campaign_id": ids("CP", shard * 1000, n, 6),
            "brand_id": b["brand_id"],
            "name": names,
            "objective": objective,
            "currency": [CURRENCY_BY_COUNTRY.get(c, "USD") for c in b["country"]],
            "start_date": start,
            "end_date": end,
            "target_country": b["country"],
            "target_age": pick(rng, AGE_BUCKETS[1:4], (0.35, 0.45, 0.2), n).astype(str),
            "attribution_window_days": pick(rng, (7, 14, 30), (0.2, 0.2, 0.6), n).astype(int),
            "_category": b["category"].to_numpy(),
        }
    )


def _reply_probability(messages: pd.DataFrame) -> np.ndarray:
    """Reply probability per message, scaled so the expected reply rate equals Heepsy's 40%."""
    followup_uplift = calibration.value("followup_uplift_woodpecker")
    fu = np.array([w if w is not None else followup_uplift for w in FOLLOWUP_WEIGHT])
    weight = (
        messages["incentive"].map(INCENTIVE_WEIGHT).to_numpy()
        * messages["channel"].map(CHANNEL_WEIGHT).to_numpy()
        * np.where(messages["personalised"], PERSONALISED_WEIGHT, 1.0)
        * fu[messages["follow_ups"].to_numpy()]
    )
    target = calibration.value("reply_rate_creator_heepsy")
    return np.clip(weight * target / weight.mean(), 0.0, 0.95)


def _outreach_for(
    rng: np.random.Generator, campaign: pd.Series, creators: pd.DataFrame, accounts: pd.DataFrame
) -> pd.DataFrame:
    """Contact creators in order of fit until the roster target has agreed."""
    size = creators["_size"].to_numpy()
    fit = np.where(creators["niche"].to_numpy() == campaign["_category"], 1.0, 0.12)
    fit = fit * 10 ** (SIZE_PREFERENCE[campaign["objective"]] * (np.log10(size) - 4))
    order = rng.choice(len(creators), size=min(len(creators), 140), replace=False, p=fit / fit.sum())
    lo, hi = ROSTER_SIZE[campaign["objective"]]
    target = int(rng.integers(lo, hi + 1))
    n = len(order)
    template = pick(rng, ("generic_cold", "personalised_pitch", "warm_reintro"), (0.45, 0.4, 0.15), n).astype(
        str
    )
    msgs = pd.DataFrame(
        {
            "creator_id": creators["creator_id"].to_numpy()[order],
            "channel": pick(rng, tuple(CHANNEL_WEIGHT), (0.55, 0.3, 0.15), n).astype(str),
            "template": template,
            "personalised": (template != "generic_cold") & (rng.random(n) < 0.85),
            "incentive": pick(rng, tuple(INCENTIVE_WEIGHT), (0.6, 0.15, 0.25), n).astype(str),
            "follow_ups": pick(rng, (0, 1, 2, 3), (0.3, 0.35, 0.25, 0.1), n).astype(int),
        }
    )
    replied = rng.random(n) < _reply_probability(msgs)
    negotiates = replied & (rng.random(n) < 0.65)
    agree_p = np.where(msgs["incentive"] == "fee", 0.72, 0.55)
    agreed = negotiates & (rng.random(n) < agree_p)
    # stop at the message that brings the roster to its target
    cutoff = n if agreed.sum() < target else int(np.flatnonzero(np.cumsum(agreed) == target)[0]) + 1
    msgs, replied, negotiates, agreed = (
        msgs.iloc[:cutoff].copy(),
        replied[:cutoff],
        negotiates[:cutoff],
        agreed[:cutoff],
    )
    k = len(msgs)
    campaign_start = campaign["start_date"]
    sent = campaign_start - pd.to_timedelta(rng.uniform(18, 45, k), unit="D")
    sent = sent.floor("min") + pd.to_timedelta(
        rng.integers(8 * 60, 18 * 60, k) - sent.hour * 60 - sent.minute, unit="min"
    )
    reply_delay = pd.to_timedelta(
        rng.exponential(1.6, k) + 0.05 + 3.0 * rng.integers(0, 2, k) * (msgs["follow_ups"] > 0), unit="D"
    )
    replied_at = pd.Series(sent + reply_delay).where(replied)
    nego_at = (replied_at + pd.to_timedelta(rng.uniform(0.1, 3, k), unit="D")).where(negotiates)
    agreed_at = (nego_at + pd.to_timedelta(rng.uniform(0.5, 7, k), unit="D")).where(agreed)
    outcome = np.select(
        [agreed, negotiates, replied], ["agreed", "negotiation_failed", "declined"], "no_reply"
    )
    msgs["campaign_id"] = campaign["campaign_id"]
    msgs["sent_at"] = pd.Series(sent).dt.floor("s").to_numpy()
    msgs["replied_at"] = replied_at.dt.floor("s").to_numpy()
    msgs["negotiation_started_at"] = nego_at.dt.floor("s").to_numpy()
    msgs["agreed_at"] = agreed_at.dt.floor("s").to_numpy()
    msgs["outcome"] = outcome
    return msgs


def _contracts(
    rng: np.random.Generator, campaigns: pd.DataFrame, outreach: pd.DataFrame, accounts: pd.DataFrame
) -> pd.DataFrame:
    agreed = outreach[outreach["outcome"] == "agreed"].merge(
        campaigns[["campaign_id", "objective", "start_date"]], on="campaign_id"
    )
    # each creator posts on their largest account
    main = accounts.sort_values("followers", ascending=False).drop_duplicates("creator_id")
    deals = agreed.merge(main[["creator_id", "account_id", "platform", "_real_followers"]], on="creator_id")
    n = len(deals)
    fmt = []
    for obj, plat in zip(deals["objective"], deals["platform"], strict=False):
        options = OBJECTIVE_FORMATS[obj].get(plat, ("short_video",))
        fmt.append(options[rng.integers(0, len(options))])
    deals["_format"] = fmt
    reach_mid = np.array(
        [np.mean(calibration.reach_band(p, f)) for p, f in zip(deals["platform"], fmt, strict=False)]
    )
    expected_views = np.round(deals["_real_followers"].to_numpy() * reach_mid).astype(np.int64)
    cpm = np.empty(n)
    for p in deals["platform"].unique():
        mask = (deals["platform"] == p).to_numpy()
        (lo, _, hi), _ = cpm_band(p)
        cpm[mask] = np.exp(rng.uniform(np.log(lo), np.log(hi), mask.sum()))
    uplift = np.array([format_uplift(f) for f in fmt])
    usage = pick(rng, tuple(USAGE), USAGE_SHARE, n).astype(str)
    usage_uplift = np.array([USAGE[u] for u in usage])
    count = rng.integers(1, 4, n)
    fee = cpm * expected_views / 1000 * uplift * usage_uplift * count * lognormal_around(rng, 1.0, 0.25, n)
    fee = np.maximum(np.round(fee / 5) * 5, 25.0)
    product = np.where(deals["incentive"] == "experience", 0.0, np.round(rng.uniform(15, 120, n), 2))
    return pd.DataFrame(
        {
            "contract_id": ids("CT", 0, n, 7),
            "campaign_id": deals["campaign_id"],
            "creator_id": deals["creator_id"],
            "account_id": deals["account_id"],
            "signed_date": (
                pd.to_datetime(deals["agreed_at"]) + pd.to_timedelta(rng.integers(0, 4, n), unit="D")
            ).dt.normalize(),
            "deliverables_count": count,
            "cpm_assumed": np.round(cpm, 2),
            "expected_views": expected_views,
            "format_uplift": np.round(uplift, 3),
            "usage_rights": usage,
            "usage_uplift": usage_uplift,
            "exclusivity_days": pick(rng, (0, 30, 60, 90), (0.55, 0.25, 0.12, 0.08), n).astype(int),
            "fee": fee,
            "product_value": product,
            "shipping_cost": np.where(product > 0, np.round(rng.uniform(6, 25, n), 2), 0.0),
            "payment_terms_days": pick(rng, PAYMENT_TERMS, (0.05, 0.5, 0.1, 0.25, 0.1), n).astype(int),
            "_format": fmt,
            "_platform": deals["platform"].to_numpy(),
        }
    )


def _deliverables(
    rng: np.random.Generator, contracts: pd.DataFrame, campaigns: pd.DataFrame, window: Window
) -> pd.DataFrame:
    """Timeline of each deliverable: shipping, draft, revisions, approval, posting, invoice and payment."""
    rows = contracts.loc[contracts.index.repeat(contracts["deliverables_count"])].reset_index(drop=True)
    rows = rows.merge(campaigns[["campaign_id", "start_date", "end_date"]], on="campaign_id", how="left")
    n = len(rows)
    span = (rows["end_date"] - rows["start_date"]).dt.days.to_numpy()
    due = rows["start_date"] + pd.to_timedelta(np.floor(rng.random(n) * (span + 1)), unit="D")
    lead_lo, lead_hi = calibration.band("shipping_lead_days_heepsy")
    shipped = (due - pd.to_timedelta(rng.integers(int(lead_lo), int(lead_hi) + 1, n), unit="D")).where(
        rows["product_value"] > 0
    )
    late_draft = rng.random(n) < 0.25
    draft = (
        due
        - pd.to_timedelta(rng.integers(3, 11, n), unit="D")
        + pd.to_timedelta(np.where(late_draft, rng.integers(1, 12, n), 0), unit="D")
    )
    rounds = rng.choice(4, size=n, p=REVISION_SHARE)
    review_days = np.array([rng.integers(1, 4, r).sum() if r else 0 for r in rounds]) + rng.integers(0, 3, n)
    approved = draft + pd.to_timedelta(review_days, unit="D")
    ghosted = rng.random(n) < 0.02
    posted = pd.Series(np.maximum(due, approved + pd.Timedelta(days=1))).where(~ghosted)
    invoiced = (posted + pd.to_timedelta(rng.integers(0, 11, n), unit="D")).where(~ghosted)
    late_share = calibration.value("late_payment_share_tipalti")
    pay_due = invoiced + pd.to_timedelta(rows["payment_terms_days"].to_numpy(), unit="D")
    late = rng.random(n) < late_share
    paid = pay_due + pd.to_timedelta(
        np.where(late, rng.integers(3, 61, n), -rng.integers(0, 11, n)), unit="D"
    )
    paid = paid.where(paid <= window.as_of)
    return pd.DataFrame(
        {
            "deliverable_id": ids("DL", 0, n, 7),
            "contract_id": rows["contract_id"],
            "format": rows["_format"],
            "product_shipped_date": shipped,
            "due_date": due,
            "draft_submitted_date": draft.where(~ghosted | (rng.random(n) < 0.5)),
            "revision_rounds": rounds,
            "approved_date": approved.where(~ghosted),
            "posted_date": posted,
            "invoiced_date": invoiced,
            "paid_date": paid,
            "amount": np.round(rows["fee"] / rows["deliverables_count"], 2),
            "_campaign_id": rows["campaign_id"],
            "_account_id": rows["account_id"],
            "_creator_id": rows["creator_id"],
            "_platform": rows["_platform"],
        }
    )


def generate_campaigns(
    seed: int, shard: int, creators: pd.DataFrame, accounts: pd.DataFrame, window: Window
) -> dict[str, pd.DataFrame]:
    """Brands, campaigns (costs and targets filled in later by `finish_campaigns`), outreach, contracts..."""
    rng = stream(seed, shard, "campaigns")
    n_campaigns = max(4, len(creators) // 22)
    brands = _brands(
        rng, shard, max(3, min(len(NICHES), n_campaigns // 2 + 2)) if shard == 0 else max(3, n_campaigns // 2)
    )
    campaigns = _campaign_frame(rng, shard, n_campaigns, brands, window)
    orng = stream(seed, shard, "outreach")
    creators = creators.assign(
        _size=accounts.groupby("creator_id")["followers"].max().reindex(creators["creator_id"]).to_numpy()
    )
    outreach = pd.concat(
        [_outreach_for(orng, c, creators, accounts) for _, c in campaigns.iterrows()], ignore_index=True
    )
    outreach.insert(0, "message_id", ids("OM", shard * 1_000_000, len(outreach), 7))
    crng = stream(seed, shard, "contracts")
    contracts = _contracts(crng, campaigns, outreach, accounts)
    contracts["contract_id"] = ids("CT", shard * 100_000, len(contracts), 7)
    deliverables = _deliverables(crng, contracts, campaigns, window)
    deliverables["deliverable_id"] = ids("DL", shard * 300_000, len(deliverables), 7)
    codes, links = _codes_and_links(crng, campaigns, contracts, creators, accounts)
    return {
        "brands": brands,
        "campaigns": campaigns,
        "outreach": outreach,
        "contracts": contracts,
        "deliverables": deliverables,
        "promo_codes": codes,
        "tracking_links": links,
    }


def _codes_and_links(
    rng: np.random.Generator,
    campaigns: pd.DataFrame,
    contracts: pd.DataFrame,
    creators: pd.DataFrame,
    accounts: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    handles = creators.set_index("creator_id")["handle"]
    word = (
        contracts["campaign_id"]
        .map(campaigns.set_index("campaign_id")["name"])
        .str.split(" ")
        .str[0]
        .str.upper()
    )
    base = (
        handles.reindex(contracts["creator_id"])
        .str.replace(r"[^a-z]", "", regex=True)
        .str[:8]
        .str.upper()
        .to_numpy()
    )
    discount = pick(rng, (0.10, 0.15, 0.20), (0.4, 0.4, 0.2), len(contracts)).astype(float)
    code = [
        f"{b}{int(d * 100)}-{cid[2:]}"
        for b, d, cid in zip(base, discount, contracts["contract_id"], strict=False)
    ]
    creator_codes = pd.DataFrame(
        {
            "code": code,
            "campaign_id": contracts["campaign_id"].to_numpy(),
            "creator_id": contracts["creator_id"].to_numpy(),
            "discount_pct": discount,
            "sitewide": False,
        }
    )
    sitewide = pd.DataFrame(
        {
            "code": [
                f"{w}{s.strftime('%b').upper()}-{cid[2:]}"
                for w, s, cid in zip(
                    campaigns["name"].str.split(" ").str[0].str.upper(),
                    campaigns["start_date"],
                    campaigns["campaign_id"],
                    strict=False,
                )
            ],
            "campaign_id": campaigns["campaign_id"],
            "creator_id": None,
            "discount_pct": 0.10,
            "sitewide": True,
        }
    )
    codes = pd.concat([creator_codes, sitewide], ignore_index=True)
    platform = contracts["account_id"].map(accounts.set_index("account_id")["platform"])
    handle = handles.reindex(contracts["creator_id"]).to_numpy()
    domain = word.str.lower().to_numpy()
    utm_campaign = contracts["campaign_id"].str.lower().to_numpy()
    links = pd.DataFrame(
        {
            "link_id": np.char.add("LK", contracts["contract_id"].str[2:].to_numpy().astype(str)),
            "campaign_id": contracts["campaign_id"].to_numpy(),
            "creator_id": contracts["creator_id"].to_numpy(),
            "url": [
                f"https://{d}.example/shop?utm_source=influencer&utm_medium={p}&utm_campaign={c}&utm_content={h}"
                for d, p, c, h in zip(domain, platform, utm_campaign, handle, strict=False)
            ],
            "utm_source": "influencer",
            "utm_medium": platform.to_numpy(),
            "utm_campaign": utm_campaign,
            "utm_content": handle,
        }
    )
    return codes, links


def finish_campaigns(
    rng: np.random.Generator, campaigns: pd.DataFrame, contracts: pd.DataFrame, expected: pd.DataFrame
) -> pd.DataFrame:
    """Costs, budget and KPI targets of each campaign from its roster's contracts and expected results.

    `expected` holds per campaign: reach, engagements, clicks, conversions, revenue (planning estimates).
    Targets are the estimates times an ambition factor (0.8-1.25), so some campaigns beat them and some miss.
    """
    c = campaigns.copy()
    per = contracts.groupby("campaign_id")[["fee", "product_value", "shipping_cost"]].sum()
    creators = contracts.groupby("campaign_id").size()
    fees = per["fee"].reindex(c["campaign_id"]).fillna(0).to_numpy()
    other = (per["product_value"] + per["shipping_cost"]).reindex(c["campaign_id"]).fillna(0).to_numpy()
    n = len(c)
    amplify = np.where(rng.random(n) < 0.5, np.round(fees * rng.uniform(0.1, 0.3, n), 2), 0.0)
    agency = np.round(fees * rng.uniform(0.08, 0.15, n), 2)
    hours = np.round(
        20 + 6 * creators.reindex(c["campaign_id"]).fillna(0).to_numpy() * rng.uniform(0.8, 1.2, n), 1
    )
    hour_cost = np.round(rng.uniform(45, 70, n), 2)
    total = fees + other + amplify + agency + hours * hour_cost
    c["budget"] = np.round(total * rng.uniform(1.0, 1.1, n) / 100) * 100
    e = expected.reindex(c["campaign_id"]).fillna(0)
    ambition = lambda: rng.uniform(0.8, 1.25, n)  # noqa: E731
    c["target_reach"] = np.round(e["reach"].to_numpy() * ambition(), -2).astype(np.int64)
    er = np.where(e["reach"] > 0, e["engagements"] / e["reach"].where(e["reach"] > 0, 1), 0)
    c["target_engagement_rate"] = np.round(np.clip(er * ambition(), 0, 1), 4)
    c["target_clicks"] = np.round(e["clicks"].to_numpy() * ambition()).astype(np.int64)
    c["target_conversions"] = np.round(e["conversions"].to_numpy() * ambition()).astype(np.int64)
    c["target_roas"] = np.round(e["revenue"].to_numpy() / np.maximum(total, 1) * ambition(), 2)
    c["paid_amplification"] = amplify
    c["agency_fees"] = agency
    c["staff_hours"] = hours
    c["staff_hour_cost"] = hour_cost
    return c
