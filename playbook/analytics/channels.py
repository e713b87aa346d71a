"""Influencer work beside the other channels (modules 02 and 11): what influencer reach costs against the
registry's CPMs and paid media, the channel mix, who buys through influencer routes and what codes give away.

Costs are full costs (`metrics.campaign_cost`) in the campaign's currency; orders and revenue follow
`attribution` (creator code beats link, last click in the window). Counts never mix currencies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from playbook.analytics.attribution import attribute_orders, campaign_attribution
from playbook.analytics.kpis import campaign_kpis
from playbook.analytics.metrics import cac, campaign_cost, cpa
from playbook.analytics.planning import cpm_band
from playbook.analytics.rollup import kpi_rollup
from playbook.analytics.undefined import ratio
from playbook.data.registry import benchmark
from playbook.data.schemas import PLATFORMS

__all__ = [
    "CHANNELS",
    "PARTNERSHIP_CPA_ID",
    "PARTNERSHIP_CTR_ID",
    "ROUTES",
    "amplification_table",
    "campaign_customers",
    "channel_mix",
    "code_use_by_customer",
    "customer_mix",
    "influencer_cpm_reference",
    "measured_influencer_costs",
    "starting_channel_costs",
]

Tables = Mapping[str, pd.DataFrame]

ROUTES: Mapping[str, str] = {"code": "creator code", "link": "tracking link", "none": "no influencer credit"}

CHANNELS: tuple[str, ...] = ("influencer", "paid_social", "search", "email", "pr")

PARTNERSHIP_CPA_ID = "partnership_ads_cpa_change_meta_2022"

PARTNERSHIP_CTR_ID = "partnership_ads_ctr_uplift_meta_2022"


def _usd(kpis: pd.DataFrame) -> pd.DataFrame:
    return kpis[kpis["currency"] == "USD"]


def measured_influencer_costs(tables: Tables, kpis: pd.DataFrame | None = None) -> dict[str, float]:
    """Medians over the sample's USD campaigns of full-cost CPM (full cost / impressions x 1000) and CPA
    (full cost / attributed orders), from `kpis.campaign_kpis`. Used as the app's starting values."""
    usd = _usd(campaign_kpis(tables) if kpis is None else kpis)
    return {"cpm": float(usd["cpm"].median()), "cpa": float(usd["cpa"].median())}


# Published paid-media costs per channel: (CPC id, CTR id, cost-per-conversion id). CPM is derived.
PAID_MEDIA_IDS: Mapping[str, tuple[str, str, str]] = {
    "paid_social": (
        "paid_social_cpc_facebook_2024",
        "paid_social_ctr_facebook_2024",
        "paid_social_cpl_facebook_2024",
    ),
    "search": (
        "search_ads_cpc_wordstream_2024",
        "search_ads_ctr_wordstream_2024",
        "search_ads_cpl_wordstream_2024",
    ),
}


def starting_channel_costs(tables: Tables, kpis: pd.DataFrame | None = None) -> pd.DataFrame:
    """The channel-mix app's starting CPM and CPA per channel (USD), each with its basis and source.

    influencer: the sample's medians (`measured_influencer_costs`); paid social and search: the registry's
    published averages, CPM = CPC x CTR x 1000 (cost per click times clicks per 1,000 impressions) and CPA
    = cost per lead (a lead is a form, call or purchase: a sale costs at least that); email and PR: no
    published figure in the registry, so both are undefined with the reason (the learner types their own).
    """
    kpis = campaign_kpis(tables) if kpis is None else kpis
    measured, usd = measured_influencer_costs(tables, kpis), _usd(kpis)
    rows = [
        dict(
            channel="influencer",
            cpm=measured["cpm"],
            cpa=measured["cpa"],
            basis="full cost; CPA per attributed order",
            source=f"medians of {len(usd)} USD campaigns of the sample",
        )
    ]
    for channel, (cpc_id, ctr_id, cpl_id) in PAID_MEDIA_IDS.items():
        cpc, ctr, cpl = benchmark(cpc_id), benchmark(ctr_id), benchmark(cpl_id)
        sources = sorted({f"{b.source_name} ({b.year}, grade {b.grade})" for b in (cpc, ctr, cpl)})
        rows.append(
            dict(
                channel=channel,
                cpm=cpc.value * ctr.value * 1000,
                cpa=cpl.value,
                basis=f"CPM = CPC {cpc.value:.2f} x CTR {ctr.value:.2%} x 1000; CPA = cost per lead",
                source="; ".join(sources),
            )
        )
    why = "undefined: no published cost for this channel in the registry (type your own)"
    for channel in ("email", "pr"):
        rows.append(dict(channel=channel, cpm=math.nan, cpa=math.nan, basis="", source=why))
    return pd.DataFrame(rows).astype({"cpm": "float64", "cpa": "float64"})


def influencer_cpm_reference(tables: Tables, kpis: pd.DataFrame | None = None) -> pd.DataFrame:
    """Influencer CPM (USD per 1,000 impressions) as the registry and the sample see it, one row per view.

    Registry: per platform, `planning.cpm_band` across ``cpm_<platform>_{wordontheblock_2023,
    influencerhero,inzpire}`` (lowest low, median typical, highest high; basis creator cost / impressions).
    Sample, USD campaigns, min / median / max across campaigns: creator-fee CPM (contract fees / sponsored
    impressions x 1000, `rollup.kpi_rollup`, the registry's basis) and full-cost CPM (everything the
    campaign cost, `campaign_kpis`).
    """
    rows = []
    for platform in PLATFORMS:
        (low, typical, high), ids = cpm_band(platform)
        basis = "creator cost / impressions x 1000"
        rows.append(
            dict(
                view=f"registry: {platform}",
                basis=basis,
                low=low,
                typical=typical,
                high=high,
                source="; ".join(ids),
            )
        )
    usd = _usd(campaign_kpis(tables) if kpis is None else kpis)
    rollup = kpi_rollup(tables, by="campaign")
    fee_cpm = rollup.loc[rollup["campaign_id"].isin(usd["campaign_id"]), "cpm"]
    for view, basis, values in (
        ("sample: creator fees", "contract fees / sponsored impressions x 1000", fee_cpm),
        ("sample: full cost", "full cost / impressions x 1000", usd["cpm"]),
    ):
        source = f"{len(values)} USD campaigns of the sample"
        rows.append(
            dict(
                view=view,
                basis=basis,
                low=values.min(),
                typical=values.median(),
                high=values.max(),
                source=source,
            )
        )
    return pd.DataFrame(rows)


def channel_mix(
    budget: float,
    shares: Mapping[str, float],
    cpm: Mapping[str, float],
    cpa_assumed: Mapping[str, float],
    partnership_ads: bool = False,
) -> pd.DataFrame:
    """Split `budget` across channels and forecast impressions and conversions from the user's assumptions.

    share = the channel's weight / sum of weights; amount = budget x share; impressions = amount / CPM x
    1000; conversions = amount / CPA (a channel given no budget adds none, whatever its costs). With
    `partnership_ads` (partnership ads run alongside brand-handle ads in paid social) the paid-social CPA
    is multiplied by ``partnership_ads_cpa_change_meta_2022``. The last row, "total", sums amounts,
    impressions and conversions; its CPA is budget / conversions (blended) and its CPM budget /
    impressions x 1000. Undefined values (a CPM or CPA of 0 on a funded channel, all weights 0) are NaN.
    """
    channels = list(shares)
    weights = pd.Series(shares, dtype="float64")
    if (weights < 0).any() or not math.isfinite(budget) or budget < 0:
        raise ValueError("budget and channel weights must be >= 0")
    out = pd.DataFrame({"channel": channels})
    out["share"] = ratio(weights, float(weights.sum()), "share").to_numpy()
    out["amount"] = float(budget) * out["share"]
    out["cpm"] = [float(cpm[c]) for c in channels]
    out["cpa_assumed"] = [float(cpa_assumed[c]) for c in channels]
    multiplier = benchmark(PARTNERSHIP_CPA_ID).value if partnership_ads else 1.0
    out["cpa"] = out["cpa_assumed"] * out["channel"].map({"paid_social": multiplier}).fillna(1.0)
    unused = out["amount"] == 0
    out["impressions"] = ratio(out["amount"] * 1000, out["cpm"], "impressions").mask(unused, 0.0)
    out["conversions"] = ratio(out["amount"], out["cpa"], "conversions").mask(unused, 0.0)
    total = {
        "channel": "total",
        "share": out["share"].sum(min_count=len(out)),
        "amount": out["amount"].sum(min_count=len(out)),
        "impressions": out["impressions"].sum(min_count=len(out)),
        "conversions": out["conversions"].sum(min_count=len(out)),
    }
    total["cpm"] = ratio(total["amount"] * 1000, total["impressions"], "CPM")
    total["cpa"] = cpa(total["amount"], total["conversions"])
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def _attributed(tables: Tables, window_days: float | None) -> pd.DataFrame:
    orders = attribute_orders(
        tables["orders"],
        tables["promo_codes"],
        tables["tracking_links"],
        window_days,
        campaigns=tables["campaigns"],
    )
    orders["route"] = orders["rule"].map(ROUTES)
    orders["customer"] = orders["new_customer"].map({True: "new", False: "returning"})
    return orders


def customer_mix(tables: Tables, window_days: float | None = None) -> pd.DataFrame:
    """Orders by route (creator code, tracking link, no influencer credit) and customer type (new or
    returning), with each route's share of new customers. Counts only, so currencies never mix.

    Routes follow `attribution.attribute_orders` (creator code beats link; last click within `window_days`,
    default ``attribution_window_days_modash``). share_new = new-customer orders / orders of the route.
    """
    orders = _attributed(tables, window_days)
    counts = orders.pivot_table(index="route", columns="customer", values="order_id", aggfunc="count")
    counts = (
        counts.reindex(index=list(ROUTES.values()), columns=["new", "returning"]).fillna(0).astype("int64")
    )
    counts["orders"] = counts["new"] + counts["returning"]
    counts["share_new"] = ratio(counts["new"], counts["orders"], "share of new customers")
    return counts.rename_axis("route").reset_index().rename_axis(None, axis=1)


def campaign_customers(tables: Tables) -> pd.DataFrame:
    """Per campaign: attributed orders, new and returning customers, CPA and CAC on the full cost.

    orders and new customers from `attribution.campaign_attribution` (the campaign's window); cpa = full
    cost / orders (`metrics.cpa`); cac = full cost / new customers (`metrics.cac`: returning customers do not
    count); share_new = new / orders. Amounts in the campaign's currency.
    """
    rows = []
    for c in tables["campaigns"].itertuples():
        credited = campaign_attribution(tables, c.campaign_id)
        cost = campaign_cost(tables, c.campaign_id).total
        orders, new = float(credited["orders"].sum()), float(credited["new_customers"].sum())
        rows.append(
            {
                "campaign_id": c.campaign_id,
                "objective": c.objective,
                "currency": c.currency,
                "full_cost": cost,
                "orders": orders,
                "new_customers": new,
                "returning_customers": orders - new,
                "share_new": ratio(new, orders, "share new"),
                "cpa": cpa(cost, orders),
                "cac": cac(cost, new),
            }
        )
    out = pd.DataFrame(rows)
    for column in ("share_new", "cpa", "cac"):
        out[column] = out[column].astype("float64")
    return out


def code_use_by_customer(tables: Tables, window_days: float | None = None) -> pd.DataFrame:
    """Creator-code orders per campaign split into new and returning customers, with the discount given.

    discount = order_value x d / (1 - d), d = the code's discount_pct (order_value is after the discount).
    returning_share = returning-customer code orders / code orders. Amounts in the campaign's currency.
    Returning customers already have a relationship with the brand: the CRM, email and service teams can
    reach them without paying a creator, so this is where one plan across the teams pays off.
    """
    orders = _attributed(tables, window_days)
    coded = orders[orders["rule"] == "code"].copy()
    pct = coded["promo_code"].map(tables["promo_codes"].set_index("code")["discount_pct"])
    coded["discount"] = ratio(coded["order_value"] * pct, 1 - pct, "discount")  # a 100% code: undefined
    coded["returning"] = ~coded["new_customer"].astype(bool)
    g = coded.groupby("credited_campaign_id")
    out = pd.DataFrame(
        {
            "code_orders": g.size(),
            "returning_orders": g["returning"].sum(),
            "discount_total": g["discount"].sum(),
            "discount_to_returning": coded["discount"]
            .where(coded["returning"], 0.0)
            .groupby(coded["credited_campaign_id"])
            .sum(),
        }
    ).rename_axis("campaign_id")
    out["returning_share"] = ratio(out["returning_orders"], out["code_orders"], "returning share")
    currency = tables["campaigns"].set_index("campaign_id")["currency"]
    out.insert(0, "currency", out.index.map(currency))
    return out.reset_index().astype({"returning_orders": "int64"})


def amplification_table(tables: Tables, kpis: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per campaign: paid amplification (partnership ads) spend, its share of full cost, CTR and CPA.

    share = campaigns.paid_amplification / full cost. Descriptive only: the campaigns differ in much more
    than amplification, so this does not measure its effect (use a split test for that).
    """
    kpis = campaign_kpis(tables) if kpis is None else kpis
    paid = tables["campaigns"].set_index("campaign_id")["paid_amplification"]
    out = kpis[["campaign_id", "objective", "currency", "full_cost", "ctr", "cpa"]].copy()
    out.insert(4, "paid_amplification", out["campaign_id"].map(paid))
    out.insert(5, "amplification_share", ratio(out["paid_amplification"], out["full_cost"], "share"))
    return out.sort_values("amplification_share", ascending=False, ignore_index=True)
