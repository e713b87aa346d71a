"""Plain-text campaign summary printed by `playbook summary` and `make report`.

Figures come from the analytics library, so the summary and the reports cannot disagree (amounts in the
campaign's currency):
- full cost: `metrics.campaign_cost` (fees + product + shipping + platform/agency fees + paid amplification +
  staff hours x hour cost)
- reach, engagements (likes + comments + shares + saves) and link clicks summed over the campaign's posts;
  ER by reach = engagements / reach
- attributed orders and revenue: `attribution.campaign_attribution` (creator code first, otherwise last touch
  on a tracked link within the campaign's attribution window; site-wide codes credit nobody)
- ROAS = attributed revenue / full cost (`metrics.roas`)
"""

from __future__ import annotations

import pandas as pd

from playbook.analytics.attribution import campaign_attribution
from playbook.analytics.metrics import INTERACTIONS_ALL, campaign_cost, roas
from playbook.analytics.undefined import ratio


def campaign_figures(
    tables: dict[str, pd.DataFrame], campaign_id: str, credited: pd.DataFrame | None = None
) -> dict[str, float | str]:
    """Headline figures of one campaign (see the module docstring for the formulas); `credited` is
    `campaign_attribution(tables, campaign_id)` when the caller already has it."""
    campaigns = tables["campaigns"].set_index("campaign_id")
    if campaign_id not in campaigns.index:
        known = ", ".join(campaigns.index[:20])
        raise KeyError(f"unknown campaign {campaign_id!r}; known campaign ids: {known}")
    c = campaigns.loc[campaign_id]
    posts = tables["posts"][tables["posts"]["campaign_id"] == campaign_id]
    cost = campaign_cost(tables, campaign_id).total
    engagements = float(posts[list(INTERACTIONS_ALL)].to_numpy().sum())
    reach = float(posts["reach"].sum())
    if credited is None:
        credited = campaign_attribution(tables, campaign_id)
    revenue = float(credited["revenue"].sum())
    n_contracts = int((tables["contracts"]["campaign_id"] == campaign_id).sum())
    return {
        "campaign_id": campaign_id,
        "name": str(c["name"]),
        "objective": str(c["objective"]),
        "currency": str(c["currency"]),
        "start": c["start_date"].date().isoformat(),
        "end": c["end_date"].date().isoformat(),
        "creators": float(n_contracts),
        "posts": float(len(posts)),
        "full_cost": float(cost),
        "budget": float(c["budget"]),
        "reach": reach,
        "target_reach": float(c["target_reach"]),
        "engagements": engagements,
        "er_by_reach": float(ratio(engagements, reach, "ER by reach")),
        "target_engagement_rate": float(c["target_engagement_rate"]),
        "link_clicks": float(posts["link_clicks"].sum()),
        "target_clicks": float(c["target_clicks"]),
        "attributed_orders": float(credited["orders"].sum()),
        "target_conversions": float(c["target_conversions"]),
        "attributed_revenue": revenue,
        "roas": float(roas(revenue, cost)),
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
