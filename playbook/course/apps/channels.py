"""Apps and tables for module 11 Traditional plus digital: the channel mix, and marketing, sales and customer
service working from one plan.

- `channel_mix` / `ChannelMixApp`: split a budget across influencer, paid social, search, email and PR with
  the learner's own cost assumptions. Influencer defaults are measured on the sample; the registry's CPM
  bands and Meta's partnership-ads figures (``partnership_ads_*_meta_2022``) are shown beside them.
- `customer_mix`, `campaign_customers`, `code_use_by_customer`: who buys through influencer work (new or
  returning customers), CPA next to CAC, and creator codes used by customers the brand already had.

Amounts are in each campaign's (brand's) currency; functions that compare campaigns keep a currency column
and never add amounts across currencies.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import altair as alt
import ipywidgets as widgets
import pandas as pd

from playbook.analytics.attribution import attribute_orders, campaign_attribution
from playbook.analytics.kpis import campaign_kpis
from playbook.analytics.metrics import cac, campaign_cost, cpa
from playbook.analytics.planning import cpm_band
from playbook.analytics.rollup import kpi_rollup
from playbook.analytics.undefined import ratio
from playbook.course.base import show_chart as _show
from playbook.course.base import table_html as _table_html
from playbook.data.registry import benchmark
from playbook.data.schemas import PLATFORMS

__all__ = [
    "CHANNELS",
    "PARTNERSHIP_CPA_ID",
    "PARTNERSHIP_CTR_ID",
    "ROUTES",
    "ChannelMixApp",
    "campaign_customers",
    "channel_mix",
    "channel_mix_chart",
    "code_use_by_customer",
    "customer_mix",
    "customer_mix_chart",
    "influencer_cpm_reference",
    "measured_influencer_costs",
]

Tables = Mapping[str, pd.DataFrame]
CHANNELS: tuple[str, ...] = ("influencer", "paid_social", "search", "email", "pr")
PARTNERSHIP_CPA_ID = "partnership_ads_cpa_change_meta_2022"
PARTNERSHIP_CTR_ID = "partnership_ads_ctr_uplift_meta_2022"
ROUTES: Mapping[str, str] = {"code": "creator code", "link": "tracking link", "none": "no influencer credit"}


def _fmt(value: float, spec: str = ",.0f") -> str:
    """A number for the summary, or "n/a" when it is undefined."""
    return "n/a" if pd.isna(value) else format(value, spec)


# --------------------------------------------------------------------------- what influencer reach costs
def _usd(kpis: pd.DataFrame) -> pd.DataFrame:
    return kpis[kpis["currency"] == "USD"]


def measured_influencer_costs(tables: Tables, kpis: pd.DataFrame | None = None) -> dict[str, float]:
    """Medians over the sample's USD campaigns of full-cost CPM (full cost / impressions x 1000) and CPA
    (full cost / attributed orders), from `apps_strategy.campaign_kpis`. Used as the app's starting values."""
    usd = _usd(campaign_kpis(tables) if kpis is None else kpis)
    return {"cpm": float(usd["cpm"].median()), "cpa": float(usd["cpa"].median())}


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


# --------------------------------------------------------------------------- the channel mix
def channel_mix(
    budget: float,
    shares: Mapping[str, float],
    cpm: Mapping[str, float],
    cpa_assumed: Mapping[str, float],
    partnership_ads: bool = False,
) -> pd.DataFrame:
    """Split `budget` across channels and forecast impressions and conversions from the user's assumptions.

    share = the channel's weight / sum of weights; amount = budget x share; impressions = amount / CPM x
    1000; conversions = amount / CPA. With `partnership_ads` (partnership ads run alongside brand-handle ads
    in paid social) the paid-social CPA is multiplied by ``partnership_ads_cpa_change_meta_2022``. The last
    row, "total", sums amounts, impressions and conversions; its CPA is budget / conversions (blended) and
    its CPM budget / impressions x 1000. Undefined values (a CPM or CPA of 0, all weights 0) are NaN.
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
    out["impressions"] = ratio(out["amount"] * 1000, out["cpm"], "impressions")
    out["conversions"] = ratio(out["amount"], out["cpa"], "conversions")
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


def channel_mix_chart(mix: pd.DataFrame) -> alt.HConcatChart:
    """Two bar panels per channel: budget and expected conversions (input: `channel_mix`; its total row is
    left out)."""
    data = mix[mix["channel"] != "total"]
    base = alt.Chart(data).encode(y=alt.Y("channel:N", title=None, sort=list(CHANNELS)))
    amount = base.mark_bar().encode(
        x=alt.X("amount:Q", title="Budget"), tooltip=["channel:N", alt.Tooltip("amount:Q", format=",.0f")]
    )
    conversions = base.mark_bar(color="#009E73").encode(
        x=alt.X("conversions:Q", title="Expected conversions (your assumptions)"),
        tooltip=["channel:N", alt.Tooltip("conversions:Q", format=",.0f")],
    )
    return alt.hconcat(
        amount.properties(title="Budget by channel", width=240),
        conversions.properties(title="Conversions by channel", width=240),
    )


class ChannelMixApp:
    """Channel-mix planner: budget, a weight, a CPM and a CPA per channel (the user's assumptions), and a
    partnership-ads switch. Influencer CPM and CPA start at the sample's measured medians and so does every
    other channel: a neutral start that changes nothing until you type your own channel costs.

    Controls: `budget`, `weights[channel]`, `cpm[channel]`, `cpa[channel]`, `partnership_ads`. Results:
    `result` (`channel_mix`), `chart`, `summary` (HTML with the registry's view beside your assumptions).
    """

    def __init__(self, tables: Tables, kpis: pd.DataFrame | None = None, budget: int | None = None) -> None:
        kpis = campaign_kpis(tables) if kpis is None else kpis
        measured = measured_influencer_costs(tables, kpis)
        self.reference = influencer_cpm_reference(tables, kpis)
        if budget is None:
            budget = max(1_000, round(float(_usd(kpis)["full_cost"].sum()), -3))
        self.budget = widgets.IntSlider(
            value=int(budget),
            min=1_000,
            max=max(1_000_000, int(budget)),
            step=1_000,
            description="Budget (USD)",
            continuous_update=False,
            style={"description_width": "initial"},
            layout={"width": "520px"},
        )
        self.weights: dict[str, widgets.FloatSlider] = {}
        self.cpm: dict[str, widgets.BoundedFloatText] = {}
        self.cpa: dict[str, widgets.BoundedFloatText] = {}
        rows = [widgets.HTML("<b>Channel</b>"), widgets.HTML("<b>Weight</b>")]
        rows += [widgets.HTML("<b>CPM (USD)</b>"), widgets.HTML("<b>CPA (USD)</b>")]
        for channel in CHANNELS:
            self.weights[channel] = widgets.FloatSlider(
                value=1.0, min=0.0, max=1.0, step=0.05, continuous_update=False
            )
            self.cpm[channel] = widgets.BoundedFloatText(value=round(measured["cpm"], 2), min=0, max=1e6)
            self.cpa[channel] = widgets.BoundedFloatText(value=round(measured["cpa"], 2), min=0, max=1e6)
            rows += [widgets.HTML(channel.replace("_", " ")), self.weights[channel]]
            rows += [self.cpm[channel], self.cpa[channel]]
        grid = widgets.GridBox(rows, layout=widgets.Layout(grid_template_columns="120px 260px 130px 130px"))
        self.partnership_ads = widgets.Checkbox(
            value=False,
            description="Run partnership ads alongside brand ads in paid social",
            style={"description_width": "initial"},
            indent=False,
        )
        controls = [self.budget, *self.weights.values(), *self.cpm.values(), *self.cpa.values()]
        for control in [*controls, self.partnership_ads]:
            control.observe(lambda _: self.update(), names="value")
        self.summary = widgets.HTML()
        self.out = widgets.Output()
        self.widget = widgets.VBox([self.budget, grid, self.partnership_ads, self.summary, self.out])
        self.update()

    def update(self) -> None:
        """Recompute the mix, chart and summary from the controls."""
        self.result = channel_mix(
            float(self.budget.value),
            {c: w.value for c, w in self.weights.items()},
            {c: w.value for c, w in self.cpm.items()},
            {c: w.value for c, w in self.cpa.items()},
            self.partnership_ads.value,
        )
        total = self.result.iloc[-1]
        shown = self.result.copy()
        shown["share"] = shown["share"].map(lambda v: "n/a" if pd.isna(v) else f"{v:.0%}")
        ctr, cpa_change = benchmark(PARTNERSHIP_CTR_ID), benchmark(PARTNERSHIP_CPA_ID)
        self.summary.value = (
            f"<p><b>Blended CPA {_fmt(total['cpa'], ',.2f')} USD</b>, {_fmt(total['conversions'])} "
            f"conversions and {_fmt(total['impressions'])} impressions from {_fmt(total['amount'])} USD.</p>"
            + _table_html(shown)
            + "<p><b>What the registry and the sample say about influencer CPM</b> (USD per 1,000 "
            "impressions):</p>"
            + _table_html(self.reference)
            + f"<p>Partnership ads alongside brand-handle ads: CTR x{ctr.value:g} and CPA "
            + f"x{cpa_change.value:g} vs brand-handle ads alone ({html.escape(ctr.source_name)}, "
            + f"{ctr.year}, grade {ctr.grade}).</p>"
        )
        self.chart = channel_mix_chart(self.result)
        _show(self.out, self.chart)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


# --------------------------------------------------------------------------- marketing + sales + service
def _attributed(tables: Tables, window_days: float | None) -> pd.DataFrame:
    orders = attribute_orders(tables["orders"], tables["promo_codes"], tables["tracking_links"], window_days)
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


def customer_mix_chart(mix: pd.DataFrame) -> alt.Chart:
    """Stacked bars: new vs returning orders per route (input: `customer_mix`)."""
    long = mix[["route", "new", "returning"]].melt(id_vars="route", var_name="customer", value_name="orders")
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                "orders:Q", stack="normalize", title="Share of the route's orders", axis=alt.Axis(format="%")
            ),
            y=alt.Y("route:N", title=None, sort=list(ROUTES.values())),
            color=alt.Color("customer:N", title="Customer"),
            tooltip=["route:N", "customer:N", "orders:Q"],
        )
        .properties(title="Who buys through influencer routes", width=420)
    )


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
