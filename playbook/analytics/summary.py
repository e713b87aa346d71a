"""Plain-text campaign summary printed by `playbook summary` and `make report`.

Figures come from the analytics library, so the summary and the reports cannot disagree (amounts in the
campaign's currency):
- full cost: `metrics.campaign_cost` (fees + product + shipping + platform/agency fees + paid amplification +
  staff hours x hour cost); spend without staff = full cost - staff cost (`CostBreakdown.without_staff`),
  the scope of the budget, which excludes staff hours (data dictionary)
- reach, engagements (likes + comments + shares + saves) and link clicks summed over the campaign's posts;
  ER by reach = engagements / reach
- attributed orders and revenue: `attribution.campaign_attribution` (creator code first, otherwise last touch
  on a tracked link within the campaign's attribution window; site-wide codes credit nobody)
- ROAS = attributed revenue / full cost (`metrics.roas`)
The sums and KPIs come from `analytics.kpis` (`campaign_totals`, `kpi_values`), the one KPI computation.
"""

from __future__ import annotations

import pandas as pd

from playbook.analytics.kpis import KPIS, campaign_totals, kpi_values
from playbook.analytics.metrics import campaign_cost
from playbook.analytics.undefined import Undefined

__all__ = ["campaign_figures", "campaign_summary_text"]


def _number(value: object, why: str) -> float:
    """A campaign value as a float, or `Undefined(why)` when the data leaves it empty."""
    return Undefined(why) if pd.isna(value) else float(value)


def _target(campaign: pd.Series, key: str) -> dict[str, float]:
    """{target field: value} of KPI `key` (`kpis.KPIS[key].target`, a column of `campaigns`); undefined
    ("no target set") when the campaign leaves it empty."""
    field = str(KPIS[key].target)
    return {field: _number(campaign[field], "no target set")}


def campaign_figures(
    tables: dict[str, pd.DataFrame], campaign_id: str, credited: pd.DataFrame | None = None
) -> dict[str, float | str]:
    """Headline figures of one campaign: `kpis.campaign_totals` and `kpis.kpi_values` next to the campaign's
    targets (`kpis.KPIS` target fields); see the module docstring for the formulas. `credited` is
    `campaign_attribution(tables, campaign_id)` when the caller already has it."""
    campaigns = tables["campaigns"].set_index("campaign_id")
    if campaign_id not in campaigns.index:
        known = ", ".join(campaigns.index[:20])
        raise KeyError(f"unknown campaign {campaign_id!r}; known campaign ids: {known}")
    c = campaigns.loc[campaign_id]
    t = campaign_totals(tables, campaign_id, credited=credited)
    v = kpi_values(t)
    n_contracts = int((tables["contracts"]["campaign_id"] == campaign_id).sum())
    return {
        "campaign_id": campaign_id,
        "name": str(c["name"]),
        "objective": str(c["objective"]),
        "currency": str(c["currency"]),
        "start": c["start_date"].date().isoformat(),
        "end": c["end_date"].date().isoformat(),
        "creators": float(n_contracts),
        "posts": t["posts"],
        "full_cost": t["full_cost"],
        "budget": _number(c["budget"], "budget: not in the data"),
        "reach": t["reach"],
        **_target(c, "reach"),
        "engagements": t["engagements"],
        "er_by_reach": v["er_by_reach"],
        **_target(c, "er_by_reach"),
        "link_clicks": t["link_clicks"],
        **_target(c, "link_clicks"),
        "attributed_orders": t["attributed_orders"],
        **_target(c, "attributed_orders"),
        "attributed_revenue": t["attributed_revenue"],
        "roas": v["roas"],
        **_target(c, "roas"),
    }


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
                    _line("full cost", _show(f["full_cost"], ",.0f", f" {cur}")),
                    _line(
                        "spend without staff",
                        _show(campaign_cost(tables, cid).without_staff, ",.0f", f" {cur}"),
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
