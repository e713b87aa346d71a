"""Synthetic order ledger, partner-reported results and geo holdout experiments with a known true lift.

Influenced orders come from link clicks on sponsored posts (conversion per click drawn in the published
1-3% band). Half of them lose the tracked click (cookie-only tracking undercounts by 40-60%), some use
the creator's code, some codes leak to coupon sites after 48 hours, and a share of influenced buyers
would have bought anyway (20-60% non-incremental), which is what the holdout experiment reveals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.data.synth import calibration
from playbook.data.synth.common import Window, ids, lognormal_around, pick, stream

__all__ = [
    "BASE_ORDERS_PER_DAY",
    "CODE_ONLY",
    "CODE_USE",
    "GEOS",
    "LEAK_SHARE",
    "ORDER_VALUE",
    "TRUE_LIFT",
    "generate_experiments",
    "generate_orders",
    "reported_results",
]


ORDER_VALUE = {
    "beauty": 45,
    "fashion": 70,
    "fitness": 55,
    "food": 35,
    "travel": 150,
    "gaming": 60,
    "tech": 120,
    "parenting": 50,
    "home": 80,
    "finance": 30,
}  # model: median order value by category
CODE_USE = 0.55  # model: share of influenced buyers who type the creator's code
CODE_ONLY = 0.8  # model: buyers who never click but type the code, per click-through buyer
LEAK_SHARE = 0.35  # model: share of creator codes that reach coupon sites
GEOS = tuple(f"G{i:02d}" for i in range(1, 61))
BASE_ORDERS_PER_DAY = (3, 8)
# model: planted lift in the test geos. Campaigns of this size add about a hundred incremental orders, so
# only test markets where they are a large share of sales give a detectable lift
# (power grows with sqrt(incremental orders x lift)).
TRUE_LIFT = (0.5, 0.9)


def generate_orders(
    seed: int,
    shard: int,
    posts: pd.DataFrame,
    campaigns: pd.DataFrame,
    brands: pd.DataFrame,
    codes: pd.DataFrame,
    links: pd.DataFrame,
    accounts: pd.DataFrame,
    window: Window,
) -> pd.DataFrame:
    """The store ledger of every brand: baseline orders plus orders driven by sponsored posts."""
    rng = stream(seed, shard, "orders")
    cr_lo, cr_hi = calibration.band("conversion_rate_instagram_story_calculatorcity")
    undercount = np.mean(calibration.band("cookie_undercount_track360"))
    sp = posts[posts["sponsored"] & (posts["link_clicks"] > 0)].copy()
    sp["creator_id"] = sp["account_id"].map(accounts.set_index("account_id")["creator_id"])
    camp = campaigns.set_index("campaign_id")
    sp["brand_id"] = sp["campaign_id"].map(camp["brand_id"])
    cr = rng.uniform(cr_lo, cr_hi, len(sp))
    conv = rng.binomial(sp["link_clicks"].to_numpy(), cr)
    code_only = rng.binomial(sp["link_clicks"].to_numpy(), cr * CODE_ONLY)
    rows = np.repeat(np.arange(len(sp)), conv + code_only)
    only_code = (
        np.concatenate(
            [np.r_[np.zeros(a, bool), np.ones(b, bool)] for a, b in zip(conv, code_only, strict=False)]
        )
        if len(sp)
        else np.zeros(0, bool)
    )
    n = len(rows)
    src = sp.iloc[rows]
    click_at = (
        src["posted_at"].to_numpy()
        + pd.to_timedelta(np.round(rng.exponential(20 * 3600, n)), unit="s").to_numpy()
    )
    delay = np.where(rng.random(n) < 0.7, rng.exponential(3 * 3600, n), rng.uniform(1, 25, n) * 86400)
    ordered_at = click_at + pd.to_timedelta(np.round(delay), unit="s").to_numpy()
    link_key = links.set_index(["campaign_id", "creator_id"])["link_id"]
    link = link_key.reindex(pd.MultiIndex.from_arrays([src["campaign_id"], src["creator_id"]])).to_numpy()
    code_key = codes[~codes["sitewide"]].set_index(["campaign_id", "creator_id"])["code"]
    code = code_key.reindex(pd.MultiIndex.from_arrays([src["campaign_id"], src["creator_id"]])).to_numpy()
    lost = (rng.random(n) < undercount) | only_code
    use_code = (rng.random(n) < CODE_USE) | only_code
    influenced = pd.DataFrame(
        {
            "brand_id": src["brand_id"].to_numpy(),
            "ordered_at": ordered_at,
            "new_customer": rng.random(n) < 0.6,
            "promo_code": np.where(use_code, code, None),
            "link_id": np.where(lost, None, link),
            "click_at": np.where(lost, pd.NaT, click_at),
            "leaked_code": False,
        }
    )
    # leaked codes: coupon-site visitors use the code from 48 hours after the first post, no click
    leak_hours = calibration.value("code_leak_hours_bebuzz")
    first_post = sp.groupby(["campaign_id", "creator_id"])["posted_at"].min()
    leaky = first_post[rng.random(len(first_post)) < LEAK_SHARE]
    leak_rows = []
    for (cid, crid), t0 in leaky.items():
        k = int(rng.poisson(6))
        if k == 0:
            continue
        at = t0 + pd.Timedelta(hours=leak_hours) + pd.to_timedelta(rng.uniform(0, 30 * 86400, k), unit="s")
        leak_rows.append(
            pd.DataFrame(
                {
                    "brand_id": camp.at[cid, "brand_id"],
                    "ordered_at": at.floor("s"),
                    "new_customer": rng.random(k) < 0.3,
                    "promo_code": code_key.get((cid, crid)),
                    "link_id": None,
                    "click_at": pd.NaT,
                    "leaked_code": True,
                }
            )
        )
    baseline = _baseline_orders(rng, campaigns, brands, codes, links, window)
    ledger = pd.concat([influenced, *leak_rows, baseline], ignore_index=True)
    ledger = ledger[ledger["ordered_at"] <= window.as_of].copy()
    ledger["ordered_at"] = pd.to_datetime(ledger["ordered_at"]).dt.floor("s")
    ledger["click_at"] = pd.to_datetime(ledger["click_at"]).dt.floor("s")
    ledger = ledger.sort_values("ordered_at", kind="stable").reset_index(drop=True)
    category = ledger["brand_id"].map(brands.set_index("brand_id")["category"])
    n = len(ledger)
    gross = lognormal_around(rng, category.map(ORDER_VALUE).to_numpy(dtype=float), 0.5, n)
    discount = ledger["promo_code"].map(codes.set_index("code")["discount_pct"]).fillna(0).to_numpy()
    value = np.round(gross * (1 - discount), 2)
    margin = np.round(np.clip(value - gross * rng.uniform(0.4, 0.55, n), 0, None), 2)
    ledger["order_value"] = value
    ledger["margin"] = margin
    returning = rng.integers(0, 4000, n)
    ledger["customer_id"] = np.where(
        ledger["new_customer"],
        np.char.add("NC", np.char.zfill(np.arange(n).astype(str), 7)),
        np.char.add("RC", np.char.zfill(returning.astype(str), 7)),
    )
    ledger["device"] = pick(rng, ("mobile", "desktop", "tablet"), (0.72, 0.23, 0.05), n).astype(str)
    ledger["geo_id"] = pick(rng, GEOS, np.ones(len(GEOS)), n).astype(str)
    ledger["order_id"] = ids("OR", shard * 10_000_000, n, 9)
    return ledger


def _baseline_orders(
    rng: np.random.Generator,
    campaigns: pd.DataFrame,
    brands: pd.DataFrame,
    codes: pd.DataFrame,
    links: pd.DataFrame,
    window: Window,
) -> pd.DataFrame:
    """Orders nobody influenced: some use a site-wide code, a few carry an old or recent influencer click."""
    frames = []
    sitewide = codes[codes["sitewide"]].merge(
        campaigns[["campaign_id", "brand_id", "start_date", "end_date"]]
    )
    for b in brands["brand_id"]:
        per_day = rng.uniform(*BASE_ORDERS_PER_DAY)
        k = int(rng.poisson(per_day * window.days))
        at = window.start + pd.to_timedelta(rng.uniform(0, window.days * 86400, k), unit="s")
        at = at.floor("s")
        promo = np.full(k, None, dtype=object)
        own = sitewide[sitewide["brand_id"] == b]
        for row in own.itertuples():
            active = (
                (at >= row.start_date) & (at <= row.end_date + pd.Timedelta(days=1)) & (rng.random(k) < 0.12)
            )
            promo[active] = row.code
        brand_links = links[
            links["campaign_id"].isin(campaigns.loc[campaigns["brand_id"] == b, "campaign_id"])
        ]
        link = np.full(k, None, dtype=object)
        click = pd.Series(pd.NaT, index=range(k), dtype="datetime64[ns]")
        if len(brand_links):
            touched = rng.random(k) < 0.08
            link[touched] = brand_links["link_id"].to_numpy()[
                rng.integers(0, len(brand_links), touched.sum())
            ]
            gap_days = np.where(
                rng.random(touched.sum()) < 0.5,
                rng.uniform(35, 60, touched.sum()),
                rng.uniform(0.1, 20, touched.sum()),
            )
            click[touched] = (at[touched] - pd.to_timedelta(gap_days * 86400, unit="s")).floor("s")
        frames.append(
            pd.DataFrame(
                {
                    "brand_id": b,
                    "ordered_at": at,
                    "new_customer": rng.random(k) < 0.35,
                    "promo_code": promo,
                    "link_id": link,
                    "click_at": click.to_numpy(),
                    "leaked_code": False,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def reported_results(
    seed: int,
    shard: int,
    posts: pd.DataFrame,
    orders: pd.DataFrame,
    contracts: pd.DataFrame,
    codes: pd.DataFrame,
    links: pd.DataFrame,
    accounts: pd.DataFrame,
) -> pd.DataFrame:
    """What the affiliate platform (7-day click window + codes) and creators' screenshots report."""
    rng = stream(seed, shard, "orders")
    post_creator = posts["account_id"].map(accounts.set_index("account_id")["creator_id"])
    clicks = (
        posts[posts["sponsored"]]
        .groupby(["campaign_id", post_creator[posts["sponsored"]]])["link_clicks"]
        .sum()
    )
    by_link = orders.merge(links[["link_id", "campaign_id", "creator_id"]], on="link_id", how="left")
    in7 = (by_link["ordered_at"] - by_link["click_at"]) <= pd.Timedelta(days=7)
    by_code = orders.merge(
        codes.loc[~codes["sitewide"], ["code", "campaign_id", "creator_id"]],
        left_on="promo_code",
        right_on="code",
        how="left",
    )
    credit_c = by_code["campaign_id"].where(by_code["campaign_id"].notna(), by_link["campaign_id"].where(in7))
    credit_cr = by_code["creator_id"].where(by_code["creator_id"].notna(), by_link["creator_id"].where(in7))
    credited = pd.DataFrame(
        {"campaign_id": credit_c, "creator_id": credit_cr, "value": orders["order_value"]}
    ).dropna()
    agg = credited.groupby(["campaign_id", "creator_id"])["value"].agg(["size", "sum"])
    keys = contracts[["campaign_id", "creator_id"]].drop_duplicates()
    idx = pd.MultiIndex.from_frame(keys)
    platform = pd.DataFrame(
        {
            "campaign_id": keys["campaign_id"].to_numpy(),
            "creator_id": keys["creator_id"].to_numpy(),
            "reported_by": "platform",
            "clicks": clicks.reindex(idx).fillna(0).astype(np.int64).to_numpy(),
            "conversions": agg["size"].reindex(idx).fillna(0).astype(np.int64).to_numpy(),
            "revenue": np.round(agg["sum"].reindex(idx).fillna(0).to_numpy(), 2),
        }
    )
    shots = platform[rng.random(len(platform)) < 0.4].copy()
    inflate = rng.uniform(1.0, 1.35, len(shots))
    shots["reported_by"] = "creator_screenshot"
    shots["clicks"] = np.round(shots["clicks"] * inflate).astype(np.int64)
    shots["conversions"] = np.round(shots["conversions"] * inflate).astype(np.int64)
    shots["revenue"] = np.round(shots["revenue"] * inflate, 2)
    return pd.concat([platform, shots], ignore_index=True)


def generate_experiments(
    seed: int,
    shard: int,
    campaigns: pd.DataFrame,
    orders: pd.DataFrame,
    links: pd.DataFrame,
    codes: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Geo holdouts on up to two conversion campaigns: daily conversions per geo with a planted lift.

    Incremental conversions in treated geos are sized to the campaign's influenced orders x (1 - the
    non-incremental share), so naive attributed ROAS and iROAS tell different stories, as they do in practice.
    """
    rng = stream(seed, shard, "experiments")
    min_days = int(calibration.value("holdout_min_days_influencers_time"))
    per_arm = int(calibration.value("geo_count_per_arm_girardmedia"))
    nonincr = np.mean(calibration.band("nonincremental_share_girardmedia"))
    conversion = campaigns[campaigns["objective"] == "conversion"]
    code_campaign = codes.loc[~codes["sitewide"]].set_index("code")["campaign_id"]
    link_campaign = links.set_index("link_id")["campaign_id"]
    driven = orders["promo_code"].map(code_campaign).fillna(orders["link_id"].map(link_campaign))
    size = driven.value_counts().reindex(conversion["campaign_id"]).fillna(0).to_numpy()
    # the two conversion campaigns that drive the most orders get a holdout: tests are run where they can
    # be powered (see the power analysis in playbook.analytics.incrementality)
    chosen = conversion.iloc[np.lexsort((conversion["campaign_id"].to_numpy(), -size))[:2]]
    exp_rows, daily = [], []
    n_geos = 3 * per_arm
    for j, c in enumerate(chosen.itertuples()):
        eid = f"EX{shard:04d}{j + 1:02d}"
        start = c.start_date
        end = max(c.end_date, start + pd.Timedelta(days=min_days - 1))
        camp_links = links.loc[links["campaign_id"] == c.campaign_id, "link_id"]
        camp_codes = codes.loc[(codes["campaign_id"] == c.campaign_id) & ~codes["sitewide"], "code"]
        influenced = orders["link_id"].isin(camp_links) | orders["promo_code"].isin(camp_codes)
        incremental = max(influenced.sum() * (1 - nonincr), 20)
        aov = float(orders.loc[influenced, "order_value"].mean()) if influenced.any() else 60.0
        lift = float(np.round(rng.uniform(*TRUE_LIFT), 3))
        geos = np.array([f"GX{j}{g:02d}" for g in range(n_geos)])
        arm = np.where(rng.permutation(n_geos) < per_arm, "control", "treatment")
        population = np.round(lognormal_around(rng, 40_000, 0.5, n_geos)).astype(np.int64)
        test_days = (end - start).days + 1
        treated_pop = population[arm == "treatment"].sum()
        rate = incremental / (lift * treated_pop * test_days)
        dates = pd.date_range(start - pd.Timedelta(days=min_days), end, freq="D")
        geo_effect = lognormal_around(rng, 1.0, 0.15, n_geos)
        dow = 1 + 0.15 * np.sin(2 * np.pi * dates.day_of_week.to_numpy() / 7)
        in_test = np.asarray(dates >= start)
        mean = population[:, None] * rate * geo_effect[:, None] * dow[None, :]
        mean = mean * np.where((arm == "treatment")[:, None] & in_test[None, :], 1 + lift, 1.0)
        conv = rng.poisson(mean)
        revenue = np.round(conv * aov * lognormal_around(rng, 1.0, 0.1, conv.size).reshape(conv.shape), 2)
        daily.append(
            pd.DataFrame(
                {
                    "experiment_id": eid,
                    "geo_id": np.repeat(geos, len(dates)),
                    "arm": np.repeat(arm, len(dates)),
                    "date": np.tile(dates.to_numpy(), n_geos),
                    "population": np.repeat(population, len(dates)),
                    "conversions": conv.ravel(),
                    "revenue": revenue.ravel(),
                }
            )
        )
        exp_rows.append(
            {
                "experiment_id": eid,
                "campaign_id": c.campaign_id,
                "design": "geo_holdout",
                "n_geos": n_geos,
                "holdout_share": round(per_arm / n_geos, 4),
                "start_date": start,
                "end_date": end,
                "true_lift": lift,
            }
        )
    columns = [
        "experiment_id",
        "campaign_id",
        "design",
        "n_geos",
        "holdout_share",
        "start_date",
        "end_date",
        "true_lift",
    ]
    experiments = pd.DataFrame(exp_rows, columns=columns)
    geo_columns = ["experiment_id", "geo_id", "arm", "date", "population", "conversions", "revenue"]
    geo_daily = pd.concat(daily, ignore_index=True) if daily else pd.DataFrame(columns=geo_columns)
    return experiments, geo_daily
