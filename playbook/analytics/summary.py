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
from playbook.analytics.undefined import Undefined, known_sum, ratio


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
    engagements = known_sum(posts[list(INTERACTIONS_ALL)], "engagements")
    reach = known_sum(posts["reach"], "reach")
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
        "full_cost": cost,
        "budget": _number(c["budget"], "budget: not in the data"),
        "reach": reach,
        "target_reach": _number(c["target_reach"], "no target set"),
        "engagements": engagements,
        "er_by_reach": ratio(engagements, reach, "ER by reach"),
        "target_engagement_rate": _number(c["target_engagement_rate"], "no target set"),
        "link_clicks": known_sum(posts["link_clicks"], "link clicks"),
        "target_clicks": _number(c["target_clicks"], "no target set"),
        "attributed_orders": float(credited["orders"].sum()),
        "target_conversions": _number(c["target_conversions"], "no target set"),
        "attributed_revenue": revenue,
        "roas": roas(revenue, cost),
        "target_roas": _number(c["target_roas"], "no target set"),
    }


def _number(value: object, why: str) -> float:
    """A campaign value as a float, or `Undefined(why)` when the data leaves it empty."""
    return Undefined(why) if pd.isna(value) else float(value)


def _show(value: float, spec: str, suffix: str = "") -> str:
    """A figure for the text summary, or "unknown" when it is undefined."""
    return "unknown" if pd.isna(value) else f"{value:{spec}}{suffix}"


def _line(label: str, value: str, target: str = "", word: str = "target") -> str:
    if target == "unknown":
        target = "not set" if word == "target" else "not in the data"
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
                    _line(
                        "full cost",
                        _show(f["full_cost"], ",.0f", f" {cur}"),
                        _show(f["budget"], ",.0f", f" {cur}"),
                        "budget",
                    ),
                    _line("reach", _show(f["reach"], ",.0f"), _show(f["target_reach"], ",.0f")),
                    _line(
                        "ER by reach",
                        _show(f["er_by_reach"], ".2%"),
                        _show(f["target_engagement_rate"], ".2%"),
                    ),
                    _line("link clicks", _show(f["link_clicks"], ",.0f"), _show(f["target_clicks"], ",.0f")),
                    _line(
                        "attributed orders",
                        _show(f["attributed_orders"], ",.0f"),
                        _show(f["target_conversions"], ",.0f"),
                    ),
                    _line("attributed revenue", _show(f["attributed_revenue"], ",.0f", f" {cur}")),
                    _line("ROAS (full cost)", _show(f["roas"], ".2f"), _show(f["target_roas"], ".2f")),
                ]
            )
        )
    return "\n\n".join(blocks)
