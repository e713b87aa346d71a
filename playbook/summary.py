"""Plain-text campaign summary printed by `playbook summary` and `make report`.

Figures (all computed from the validated tables, amounts in the campaign's currency):
- full cost = creator fees + product + shipping + paid amplification + agency fees + staff hours x hour cost
- reach, engagements (likes + comments + shares + saves) and link clicks summed over the campaign's posts
- ER by reach = engagements / reach
- attributed orders: the creator's promo code wins; otherwise the creator's tracking link if the click came
  at most `attribution_window_days` before the order (last touch). Site-wide codes credit nobody.
- ROAS = attributed revenue / full cost
"""

from __future__ import annotations

import math

import pandas as pd


def _ratio(num: float, den: float) -> float:
    return num / den if den else math.nan


def attributed_orders(tables: dict[str, pd.DataFrame], campaign_id: str, window_days: int) -> pd.DataFrame:
    """Orders credited to the campaign: code first, then a tracked click within the window."""
    orders = tables["orders"]
    codes = tables["promo_codes"]
    links = tables["tracking_links"]
    own_codes = codes.loc[(codes["campaign_id"] == campaign_id) & ~codes["sitewide"], "code"]
    any_creator_code = orders["promo_code"].isin(codes.loc[~codes["sitewide"], "code"])
    by_code = orders["promo_code"].isin(own_codes)
    own_links = links.loc[links["campaign_id"] == campaign_id, "link_id"]
    in_window = (orders["ordered_at"] - orders["click_at"]) <= pd.Timedelta(days=window_days)
    by_link = orders["link_id"].isin(own_links) & in_window & ~any_creator_code
    return orders[by_code | by_link]


def campaign_figures(tables: dict[str, pd.DataFrame], campaign_id: str) -> dict[str, float | str]:
    """Headline figures of one campaign (see the module docstring for the formulas)."""
    campaigns = tables["campaigns"].set_index("campaign_id")
    if campaign_id not in campaigns.index:
        known = ", ".join(campaigns.index[:20])
        raise KeyError(f"unknown campaign {campaign_id!r}; known campaign ids: {known}")
    c = campaigns.loc[campaign_id]
    contracts = tables["contracts"][tables["contracts"]["campaign_id"] == campaign_id]
    posts = tables["posts"][tables["posts"]["campaign_id"] == campaign_id]
    cost = float(
        contracts[["fee", "product_value", "shipping_cost"]].to_numpy().sum()
        + c["paid_amplification"]
        + c["agency_fees"]
        + c["staff_hours"] * c["staff_hour_cost"]
    )
    engagements = float(posts[["likes", "comments", "shares", "saves"]].to_numpy().sum())
    reach = float(posts["reach"].sum())
    orders = attributed_orders(tables, campaign_id, int(c["attribution_window_days"]))
    revenue = float(orders["order_value"].sum())
    return {
        "campaign_id": campaign_id,
        "name": str(c["name"]),
        "objective": str(c["objective"]),
        "currency": str(c["currency"]),
        "start": c["start_date"].date().isoformat(),
        "end": c["end_date"].date().isoformat(),
        "creators": float(len(contracts)),
        "posts": float(len(posts)),
        "full_cost": cost,
        "budget": float(c["budget"]),
        "reach": reach,
        "target_reach": float(c["target_reach"]),
        "engagements": engagements,
        "er_by_reach": _ratio(engagements, reach),
        "target_engagement_rate": float(c["target_engagement_rate"]),
        "link_clicks": float(posts["link_clicks"].sum()),
        "target_clicks": float(c["target_clicks"]),
        "attributed_orders": float(len(orders)),
        "target_conversions": float(c["target_conversions"]),
        "attributed_revenue": revenue,
        "roas": _ratio(revenue, cost),
        "target_roas": float(c["target_roas"]),
    }


def _line(label: str, value: str, target: str = "", word: str = "target") -> str:
    return f"  {label:<22}{value:>16}{f'   {word} {target}' if target else ''}"


def campaign_summary_text(tables: dict[str, pd.DataFrame], campaign_id: str | None = None) -> str:
    """A readable block per campaign (all campaigns when `campaign_id` is None)."""
    ids = [campaign_id] if campaign_id else list(tables["campaigns"]["campaign_id"])
    blocks = []
    for cid in ids:
        f = campaign_figures(tables, cid)
        cur = f["currency"]
        blocks.append(
            "\n".join(
                [
                    f"{f['campaign_id']}  {f['name']}  ({f['objective']}, {f['start']} to {f['end']})",
                    _line("creators / posts", f"{f['creators']:.0f} / {f['posts']:.0f}"),
                    _line("full cost", f"{f['full_cost']:,.0f} {cur}", f"{f['budget']:,.0f} {cur}", "budget"),
                    _line("reach", f"{f['reach']:,.0f}", f"{f['target_reach']:,.0f}"),
                    _line("ER by reach", f"{f['er_by_reach']:.2%}", f"{f['target_engagement_rate']:.2%}"),
                    _line("link clicks", f"{f['link_clicks']:,.0f}", f"{f['target_clicks']:,.0f}"),
                    _line(
                        "attributed orders",
                        f"{f['attributed_orders']:,.0f}",
                        f"{f['target_conversions']:,.0f}",
                    ),
                    _line("attributed revenue", f"{f['attributed_revenue']:,.0f} {cur}"),
                    _line("ROAS (full cost)", f"{f['roas']:.2f}", f"{f['target_roas']:.2f}"),
                ]
            )
        )
    return "\n\n".join(blocks)
