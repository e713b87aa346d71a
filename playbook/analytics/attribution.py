"""Order-level attribution by promo code and tracking link, reconciliation of sources, leaked-code signals.

Attribution follows Modash's priority rules (industry-facts §1.5; benchmark
``attribution_window_days_modash``, https://help.modash.io/en/articles/13717414-tracking-sales-and-revenue-per-creator):

1. a creator's discount code credits the creator who owns it, and beats a tracking link;
2. otherwise the last tracked click within the window (30 days by default, last touch) credits that link's
   creator;
3. site-wide codes credit nobody and do not block link attribution;
4. a campaign's code or link is live from the campaign's ``start_date``: an order placed before that date,
   or a click before it, cannot be the campaign's (our rule: a link cannot be clicked, nor a code given out,
   before the campaign exists; a reused link would otherwise credit sales made months earlier).

Every order gets a ``rule`` ("code", "link", "none") and a plain-language ``reason``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from playbook.analytics.undefined import ratio
from playbook.data.registry import benchmark

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "LEAK_SIGNALS",
    "LEAK_WEIGHTS",
    "Tables",
    "attribute_orders",
    "campaign_attribution",
    "campaign_orders",
    "campaign_window_days",
    "default_window_days",
    "detect_leaked_codes",
    "orders_before_start",
    "reconcile",
]


CODE, LINK, NONE = "code", "link", "none"
ATTRIBUTION_COLUMNS = ("credited_campaign_id", "credited_creator_id", "rule", "reason")
LEAK_SIGNALS = ("no_click_share", "late_share", "returning_share", "geo_diversity", "after_tail_share")
LEAK_WEIGHTS = MappingProxyType(
    {
        "no_click_share": 1.0,
        "late_share": 1.0,
        "returning_share": 1.0,
        "geo_diversity": 0.5,
        "after_tail_share": 0.5,
    }
)  # our choice: order-behaviour signals count fully, the noisier geo and tail signals half
_DAY = pd.Timedelta(days=1)

Tables = Mapping[str, pd.DataFrame]


def default_window_days() -> int:
    """Last-touch click window in days: benchmark ``attribution_window_days_modash`` (30)."""
    return int(benchmark("attribution_window_days_modash").value)


def campaign_window_days(campaign: pd.Series) -> int:
    """A campaign's click window in days: its `attribution_window_days`, or `default_window_days()` when the
    data leaves it empty (an import from a tracker sheet has none)."""
    value = campaign["attribution_window_days"]
    return default_window_days() if pd.isna(value) else int(value)


def _campaign(tables: Tables, campaign_id: str) -> pd.Series:
    campaigns = tables["campaigns"].set_index("campaign_id")
    if campaign_id not in campaigns.index:
        known = ", ".join(sorted(campaigns.index))
        raise ValueError(f"unknown campaign_id {campaign_id!r}; known campaign ids: {known}")
    return campaigns.loc[campaign_id]


# --------------------------------------------------------------------------- attribute orders
def _lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """``table[key]`` per key, NaT/NaN where missing, on the keys' index (``Series.map`` with a datetime
    mapper fails on an empty string Series in pandas 3)."""
    return pd.Series(table.reindex(keys.to_numpy()).to_numpy(), index=keys.index, dtype=table.dtype)


def _last_touches(
    orders: pd.DataFrame, clicks: pd.DataFrame | None, window: float, live_from: pd.Series | None
) -> pd.DataFrame:
    """Per order (same index): the last click overall and the last click within the window, with ages.
    A click before its link went live (`live_from`, link_id -> campaign start) is no touch."""
    own = orders.loc[orders["link_id"].notna(), ["order_id", "link_id", "click_at"]]
    frames = [own] if clicks is None else [own, clicks[["order_id", "link_id", "click_at"]]]
    touches = pd.concat(frames, ignore_index=True).dropna(subset=["link_id", "click_at"])
    touches = touches.merge(orders[["order_id", "ordered_at"]], on="order_id", how="inner")
    touches = touches[touches["click_at"] <= touches["ordered_at"]]
    touches["age_days"] = (touches["ordered_at"] - touches["click_at"]) / _DAY
    touches = touches.sort_values(["order_id", "click_at"], kind="stable")
    early = pd.Series(False, index=touches.index)
    if live_from is not None:
        starts = _lookup(touches["link_id"], live_from)
        early = starts.notna() & (touches["click_at"] < starts)
    touches, early_touches = touches[~early], touches[early]

    def last(frame: pd.DataFrame) -> pd.DataFrame:
        found = frame.drop_duplicates("order_id", keep="last").set_index("order_id")
        return found[["link_id", "age_days"]].reindex(orders["order_id"]).set_axis(orders.index)

    any_click, in_window = last(touches), last(touches[touches["age_days"] <= window])
    return pd.DataFrame(
        {
            "link_early": last(early_touches)["link_id"].astype("str"),
            "link_any": any_click["link_id"].astype("str"),
            "age_any": any_click["age_days"].astype("float64"),
            "link_in": in_window["link_id"].astype("str"),
            "age_in": in_window["age_days"].astype("float64"),
        }
    )


def _ago(age_days: pd.Series) -> pd.Series:
    """'3.2 days', or '5.0 hours' under one day."""
    hours = (age_days * 24).map("{:.1f} hours".format).astype("str")
    return age_days.map("{:.1f} days".format).astype("str").where(age_days >= 1, hours)


def _join(parts: list[pd.Series]) -> pd.Series:
    """Join the non-empty strings of aligned Series with '; '."""
    out = parts[0]
    for part in parts[1:]:
        glue = pd.Series(np.where((out != "") & (part != ""), "; ", ""), index=out.index)
        out = out + glue + part
    return out


def _reasons(s: pd.DataFrame, window: float) -> pd.Series:
    """Plain-language reason per order from the attribution state frame built in `attribute_orders`."""
    empty = pd.Series("", index=s.index, dtype="str")

    def when(mask: pd.Series, text: pd.Series) -> pd.Series:
        return text.where(mask, empty).fillna("")

    beaten = s["creator_code"] & s["link_in"].notna()
    same = s["code_owner"] == s["link_owner"]
    by_code = (
        when(s["creator_code"], "creator code " + s["code"])
        + when(beaten & ~same, " (beats link " + s["link_in"] + ")")
        + when(beaten & same, " (the same creator's link " + s["link_in"] + " was also clicked)")
    )
    by_link = when(s["by_link"], "link " + s["link_in"] + " clicked " + _ago(s["age_in"]) + " before") + when(
        s["by_link"] & s["sitewide"], " (site-wide code " + s["code"] + " does not block links)"
    )
    none = ~s["creator_code"] & ~s["by_link"]
    early = none & s["before_start"].notna()
    out_of_window = none & s["link_any"].notna() & s["link_in"].isna()
    last_click = "link " + s["link_any"] + " clicked " + _ago(s["age_any"]) + " before"
    by_none = _join(
        [
            when(
                none & s["link_any"].isna() & s["link_early"].notna(),
                "link " + s["link_early"] + " clicked before its campaign started (not live yet)",
            ),
            when(
                early,
                "placed before its campaign " + s["before_start"] + ": code " + s["code"] + " was not live",
            ),
            when(none & s["sitewide"], "site-wide code " + s["code"] + ": credits nobody"),
            when(none & s["unknown_code"], "code " + s["code"] + " is not in promo_codes: credits nobody"),
            when(out_of_window, f"click outside the {window:g}-day window (" + last_click + ")"),
            when(none & s["link_in"].notna(), "link " + s["link_in"] + " is not in tracking_links"),
        ]
    )
    by_none = by_none.where(by_none != "", "no creator code and no tracked click")
    return (by_code + by_link).where(~none, by_none)


def attribute_orders(
    orders: pd.DataFrame,
    promo_codes: pd.DataFrame,
    tracking_links: pd.DataFrame,
    window_days: float | None = None,
    clicks: pd.DataFrame | None = None,
    explain: bool = True,
    campaigns: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Credit each order to a campaign and creator: creator code, else last-touch link, else nobody.

    Returns ``orders`` plus ``credited_campaign_id``, ``credited_creator_id``, ``rule`` and ``reason``
    (the sentence saying why; left out with ``explain=False``, which saves a third of the time).
    A click counts when ``0 <= ordered_at - click_at <= window_days`` (default: benchmark
    ``attribution_window_days_modash``, 30 days). ``clicks`` is an optional click log (order_id, link_id,
    click_at) for ledgers that keep every touch; the ledger's own ``link_id``/``click_at`` is always a touch.
    With ``campaigns`` (campaign_id, start_date), codes and links are live from their campaign's start: an
    earlier click is no touch and an earlier order is not credited by the code (rule 4 above).
    """
    window = default_window_days() if window_days is None else window_days
    out = orders.copy()
    codes = promo_codes.set_index("code")
    links = tracking_links.set_index("link_id")
    code = out["promo_code"].astype("str")
    known = code.isin(codes.index)
    sitewide = code.isin(codes.index[codes["sitewide"].astype(bool)])
    if campaigns is None:
        live_from, code_start = None, pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    else:
        starts = pd.to_datetime(campaigns.set_index("campaign_id")["start_date"])
        live_from = _lookup(links["campaign_id"], starts)
        code_start = _lookup(code.map(codes["campaign_id"]), starts)
    state = _last_touches(out, clicks, window, live_from)
    state["code"] = code
    too_early = known & ~sitewide & code_start.notna() & (out["ordered_at"] < code_start)
    state["before_start"] = (
        code.map(codes["campaign_id"]) + " started " + code_start.dt.strftime("%Y-%m-%d")
    ).where(too_early)
    state["creator_code"] = known & ~sitewide & code.map(codes["creator_id"]).notna() & ~too_early
    state["sitewide"] = sitewide
    state["unknown_code"] = code.notna() & ~known
    state["by_link"] = ~state["creator_code"] & state["link_in"].isin(links.index)
    state["code_owner"] = code.map(codes["campaign_id"] + "/" + codes["creator_id"])
    state["link_owner"] = state["link_in"].map(links["campaign_id"] + "/" + links["creator_id"])

    for column, key in (("credited_campaign_id", "campaign_id"), ("credited_creator_id", "creator_id")):
        via_code = code.map(codes[key]).where(state["creator_code"])
        via_link = state["link_in"].map(links[key]).where(state["by_link"])
        out[column] = via_code.fillna(via_link).astype("str")
    rule = np.select([state["creator_code"], state["by_link"]], [CODE, LINK], NONE)
    out["rule"] = pd.Series(rule, index=out.index, dtype="str")
    if explain:
        out["reason"] = _reasons(state, window).astype("str")
    return out


# --------------------------------------------------------------------------- per-campaign summaries
def _brand_orders(tables: Tables, campaign: pd.Series) -> pd.DataFrame:
    orders = tables["orders"]
    return orders[orders["brand_id"] == campaign["brand_id"]]


def _campaign_creators(tables: Tables, campaign_id: str, *extra: pd.Series) -> pd.Index:
    """Creators contracted on the campaign plus any others credited or reported (sorted)."""
    contracts = tables["contracts"]
    found = [contracts.loc[contracts["campaign_id"] == campaign_id, "creator_id"], *extra]
    return pd.Index(sorted(set(pd.concat(found).dropna())), name="creator_id", dtype="str")


def campaign_orders(tables: Tables, campaign_id: str, window_days: float | None = None) -> pd.DataFrame:
    """The brand's orders that `attribute_orders` credits to this campaign: one row per order, with the
    rule (code or link) and the credited creator.

    The window defaults to the campaign's ``attribution_window_days`` (`campaign_window_days`).
    """
    return _credited(tables, campaign_id, window_days, start_rule=True)


def _credited(tables: Tables, campaign_id: str, window_days: float | None, start_rule: bool) -> pd.DataFrame:
    campaign = _campaign(tables, campaign_id)
    window = campaign_window_days(campaign) if window_days is None else window_days
    attributed = attribute_orders(
        _brand_orders(tables, campaign),
        tables["promo_codes"],
        tables["tracking_links"],
        window,
        explain=False,
        campaigns=tables["campaigns"] if start_rule else None,
    )
    return attributed[attributed["credited_campaign_id"] == campaign_id]


def orders_before_start(
    tables: Tables, campaign_id: str, credited: pd.DataFrame | None = None, window_days: float | None = None
) -> int:
    """How many orders rule 4 alone keeps from the campaign: credited to it by code or link without the
    start-date rule, not with it (its code used, or its link clicked, before ``start_date``). ``credited``
    is `campaign_orders` when already computed."""
    credited = campaign_orders(tables, campaign_id, window_days) if credited is None else credited
    theirs = _credited(tables, campaign_id, window_days, start_rule=False)["order_id"]
    return int((~theirs.isin(credited["order_id"])).sum())


def campaign_attribution(
    tables: Tables, campaign_id: str, window_days: float | None = None, credited: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per creator of a campaign: orders and revenue credited by code, by link, in total; new customers.

    Columns: creator_id, orders_code, revenue_code, orders_link, revenue_link, orders, revenue, margin and
    new_customers (credited orders placed by first-time customers). Amounts in the campaign's currency.
    The window defaults to the campaign's ``attribution_window_days``. Contracted creators with no credited
    order get zeros. ``credited`` is `campaign_orders` already computed for this campaign and window.
    """
    mine = campaign_orders(tables, campaign_id, window_days) if credited is None else credited
    creators = _campaign_creators(tables, campaign_id, mine["credited_creator_id"])

    def count(mask: pd.Series) -> pd.Series:
        return mask.groupby(mine["credited_creator_id"]).sum().reindex(creators, fill_value=0).astype("int64")

    def total(mask: pd.Series, column: str = "order_value") -> pd.Series:
        value = mine[column].where(mask, 0.0)
        return value.groupby(mine["credited_creator_id"]).sum().reindex(creators, fill_value=0.0)

    is_code, is_link, every = mine["rule"] == CODE, mine["rule"] == LINK, mine["rule"] != NONE
    out = pd.DataFrame(
        {
            "orders_code": count(is_code),
            "revenue_code": total(is_code),
            "orders_link": count(is_link),
            "revenue_link": total(is_link),
            "orders": count(every),
            "revenue": total(every),
            "margin": total(every, "margin"),
            "new_customers": count(mine["new_customer"]),
        },
        index=creators,
    )
    return out.round({"revenue_code": 2, "revenue_link": 2, "revenue": 2, "margin": 2}).reset_index()


# --------------------------------------------------------------------------- reconciliation
def _store_figures(tables: Tables, campaign_id: str, orders: pd.DataFrame) -> pd.DataFrame:
    """Per creator: ``orders`` carrying the creator's code or link for the campaign, whatever the window."""
    codes, links = tables["promo_codes"], tables["tracking_links"]
    mine = (codes["campaign_id"] == campaign_id) & ~codes["sitewide"]
    own_codes = codes[mine].set_index("code")["creator_id"]
    own_links = links[links["campaign_id"] == campaign_id].set_index("link_id")["creator_id"]
    pairs = pd.concat(
        [
            pd.DataFrame({"order_id": orders["order_id"], "creator_id": orders["promo_code"].map(own_codes)}),
            pd.DataFrame({"order_id": orders["order_id"], "creator_id": orders["link_id"].map(own_links)}),
        ]
    )
    pairs = pairs.dropna().drop_duplicates()
    pairs["order_value"] = (
        pairs["order_id"].map(orders.set_index("order_id")["order_value"]).astype("float64")
    )
    by = pairs.groupby("creator_id")["order_value"]
    return pd.DataFrame({"store_conversions": by.size(), "store_revenue": by.sum().round(2)})


def _source_note(label: str, diff: pd.Series, value: pd.Series, tolerance: float, why: str) -> pd.Series:
    """'screenshot 28% above tracked: self-reported' where |diff| > tolerance; '' elsewhere."""
    pct = diff.abs().map("{:.0%}".format)
    above = diff > tolerance
    below = diff < -tolerance
    zero_tracked = diff.isna() & value.gt(0)
    text = pd.Series("", index=diff.index, dtype="str")
    text = text.where(~above, label + " " + pct + f" above tracked: {why}")
    text = text.where(~below, label + " " + pct + f" below tracked: {why}")
    return text.where(~zero_tracked, label + " reports " + value.map("{:,.2f}".format) + ", tracked 0")


def reconcile(
    tables: Tables,
    campaign_id: str,
    window_days: float | None = None,
    tolerance: float = 0.05,
    tracked: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per creator: platform-reported, screenshot, tracked (our attribution) and store figures side by side.

    ``tracked`` is ``campaign_attribution(tables, campaign_id, window_days)`` when the caller already has it.

    ``*_vs_tracked`` = (source revenue - tracked revenue) / tracked revenue, NaN where tracked revenue is 0
    or the source did not report. Store figures count every order carrying the creator's code or link,
    whatever the window, so they bound tracked figures from above. ``note`` explains each revenue gap
    larger than ``tolerance`` (our choice: 5%). Amounts in the campaign's currency.
    """
    campaign = _campaign(tables, campaign_id)
    if tracked is None:
        tracked = campaign_attribution(tables, campaign_id, window_days)
    tracked = tracked.set_index("creator_id")
    reported = tables["reported_results"]
    reported = reported[reported["campaign_id"] == campaign_id].set_index("creator_id")
    store = _store_figures(tables, campaign_id, _brand_orders(tables, campaign))
    creators = _campaign_creators(tables, campaign_id, tracked.index.to_series(), reported.index.to_series())
    out = pd.DataFrame(index=creators)
    for source, label in (("platform", "platform"), ("creator_screenshot", "screenshot")):
        rows = reported[reported["reported_by"] == source]
        out[f"{label}_conversions"] = rows["conversions"].reindex(creators).astype("Int64")
        out[f"{label}_revenue"] = rows["revenue"].reindex(creators).astype("float64")
    out["tracked_conversions"] = tracked["orders"].reindex(creators, fill_value=0)
    out["tracked_revenue"] = tracked["revenue"].reindex(creators, fill_value=0.0)
    out["store_conversions"] = store["store_conversions"].reindex(creators, fill_value=0).astype("int64")
    out["store_revenue"] = store["store_revenue"].reindex(creators, fill_value=0.0)

    whys = {
        "platform": "the platform applies its own click window and rules",
        "screenshot": "self-reported",
        "store": "counts orders outside the window or won by another creator's code",
    }
    notes = []
    for label, why in whys.items():
        value = out[f"{label}_revenue"]
        diff = ratio(value - out["tracked_revenue"], out["tracked_revenue"], f"{label} vs tracked revenue")
        out[f"{label}_vs_tracked"] = diff
        notes.append(_source_note(label, diff, value, tolerance, why))
    notes.append(
        pd.Series(np.where(out["platform_revenue"].isna(), "no platform report", ""), index=creators)
    )
    note = _join(notes)
    out["note"] = note.where(note != "", f"sources agree within {tolerance:.0%}")
    return out.reset_index()


# --------------------------------------------------------------------------- leaked codes
def _latest_post_before(tables: Tables, orders: pd.DataFrame) -> pd.Series:
    """Per order (same index): time of the creator's latest sponsored post in the campaign before it."""
    posts = tables["posts"]
    sponsored = posts.loc[posts["sponsored"], ["account_id", "campaign_id", "posted_at"]]
    creator = sponsored["account_id"].map(tables["accounts"].set_index("account_id")["creator_id"])
    sponsored = sponsored.assign(creator_id=creator).dropna(subset=["creator_id"]).sort_values("posted_at")
    left = orders[["ordered_at", "campaign_id", "creator_id"]].reset_index().sort_values("ordered_at")
    matched = pd.merge_asof(
        left,
        sponsored[["campaign_id", "creator_id", "posted_at"]],
        left_on="ordered_at",
        right_on="posted_at",
        by=["campaign_id", "creator_id"],
        direction="backward",
    )
    return matched.set_index("index")["posted_at"].reindex(orders.index)


def _code_order_flags(tables: Tables, leak_hours: float, tail_days: float) -> pd.DataFrame:
    """One row per order placed with a creator code, with its 0/1 leak signals."""
    codes = tables["promo_codes"]
    creator_codes = codes.loc[~codes["sitewide"], ["code", "campaign_id", "creator_id"]]
    orders = tables["orders"].merge(creator_codes, left_on="promo_code", right_on="code", how="inner")
    latest_post = _latest_post_before(tables, orders)
    far_from_post = latest_post.isna() | (
        orders["ordered_at"] - latest_post >= pd.Timedelta(hours=leak_hours)
    )
    end = orders["campaign_id"].map(tables["campaigns"].set_index("campaign_id")["end_date"])
    after_tail = orders["ordered_at"] >= end + _DAY + pd.Timedelta(days=tail_days)
    return pd.DataFrame(
        {
            "code": orders["code"],
            "geo_id": orders["geo_id"],
            "no_click_share": orders["link_id"].isna().astype(float),
            "late_share": far_from_post.astype(float),
            "returning_share": (~orders["new_customer"]).astype(float),
            "after_tail_share": after_tail.astype(float),
        }
    )


def _geo_diversity(code_orders: pd.DataFrame) -> pd.Series:
    """Per code: chance two of its orders come from different geos (Gini-Simpson); NaN under 2 orders."""
    counts = code_orders.groupby(["code", "geo_id"]).size()
    n = counts.groupby(level="code").sum()
    same = (counts * (counts - 1)).groupby(level="code").sum()
    return (1 - ratio(same, n * (n - 1), "geo diversity")).rename("geo_diversity")


def _z_scores(shares: pd.DataFrame, n: pd.Series, cap: float) -> tuple[pd.DataFrame, pd.Series]:
    """Binomial z per signal, (share - p) / sqrt(p (1 - p) / n), clipped to +-cap; and the pooled shares p."""
    z, pooled = {}, {}
    for signal in LEAK_SIGNALS:
        defined = shares[signal].notna() & (n > 0)
        p = ratio((shares[signal] * n)[defined].sum(), n[defined].sum(), f"pooled {signal}")
        pooled[signal] = p
        z[signal] = ratio(shares[signal] - p, np.sqrt(p * (1 - p) / n), f"{signal} z").clip(-cap, cap)
    return pd.DataFrame(z, index=shares.index), pd.Series(pooled)


def _leak_reasons(
    shares: pd.DataFrame, z: pd.DataFrame, pooled: pd.Series, cutoff: float, hours: float, tail: float
) -> pd.Series:
    """Name every signal whose z >= cutoff, with the code's share and the pooled share of all codes."""
    templates = {
        "no_click_share": "{:.0%} of code orders had no tracked click",
        "late_share": f"{{:.0%}} came {hours:g} h or more after the creator's latest post",
        "returning_share": "{:.0%} came from returning customers",
        "geo_diversity": "two code orders come from different geos {:.0%} of the time",
        "after_tail_share": f"{{:.0%}} came over {tail:g} days after the campaign end",
    }
    parts = []
    for signal, template in templates.items():
        text = shares[signal].map(template.format) + f" (all codes {pooled[signal]:.0%})"
        parts.append(text.where(z[signal] >= cutoff, "").fillna(""))
    return _join(parts)


def detect_leaked_codes(
    tables: Tables,
    campaign_id: str | None = None,
    *,
    leak_hours: float | None = None,
    tail_days: float | None = None,
    weights: Mapping[str, float] = LEAK_WEIGHTS,
    score_cutoff: float = 1.0,
    signal_cutoff: float = 1.0,
    z_cap: float = 3.0,
) -> pd.DataFrame:
    """Score each creator code for leakage to coupon sites from order behaviour; never reads ``leaked_code``.

    Signals, as shares of the code's orders: no tracked click; placed ``leak_hours`` or more after the
    creator's latest sponsored post in the campaign, or before any (default: benchmark
    ``code_leak_hours_bebuzz``, 48 h: leaked codes are used on coupon sites independently of posting);
    returning customers; placed more than ``tail_days`` after the campaign end (default: the high end of
    benchmark ``content_tail_weeks_influencers_time``, 4 weeks); and geo diversity (Gini-Simpson: the chance
    two code orders come from different geos). Each signal is a binomial z against the pooled share of every
    creator code in ``tables``, clipped to +-``z_cap``; the score is the weighted Stouffer sum
    ``sum(w z) / sqrt(sum w^2)`` over the signals defined for the code.

    Our choices, not industry figures: ``weights`` (``LEAK_WEIGHTS``), ``score_cutoff`` (suspected when
    score >= 1.0), ``signal_cutoff`` (a signal is named in ``reasons`` when z >= 1.0) and ``z_cap`` (3.0, so
    one rare signal cannot decide alone). ``campaign_id`` filters the rows; pooled shares use all codes.
    """
    hours = benchmark("code_leak_hours_bebuzz").value if leak_hours is None else leak_hours
    tail = 7 * benchmark("content_tail_weeks_influencers_time").high if tail_days is None else tail_days
    codes = tables["promo_codes"]
    codes = codes.loc[~codes["sitewide"], ["code", "campaign_id", "creator_id"]].set_index("code")
    flags = _code_order_flags(tables, hours, tail)
    n = flags.groupby("code").size().reindex(codes.index, fill_value=0).astype("int64")
    shares = flags.groupby("code")[[s for s in LEAK_SIGNALS if s != "geo_diversity"]].mean()
    shares = shares.reindex(codes.index).assign(geo_diversity=_geo_diversity(flags))[list(LEAK_SIGNALS)]
    z, pooled = _z_scores(shares, n.astype("float64"), z_cap)

    w = pd.Series({s: float(weights.get(s, 0.0)) for s in LEAK_SIGNALS})
    used = z.notna() & (w > 0)
    score = ratio((z.fillna(0.0) * w).sum(axis=1), np.sqrt((used * w**2).sum(axis=1)), "leak score")
    out = codes.assign(code_orders=n).join(shares)
    out["leak_score"] = score
    out["suspected_leak"] = score.ge(score_cutoff)
    reasons = _leak_reasons(shares, z, pooled, signal_cutoff, hours, tail)
    reasons = reasons.where(~(out["suspected_leak"] & (reasons == "")), "several weak signals together")
    reasons = reasons.where(reasons != "", "no leak signal")
    out["reasons"] = reasons.where(n > 0, "no code orders").astype("str")
    if campaign_id is not None:
        out = out[out["campaign_id"] == campaign_id]
    out = out.sort_values(["leak_score", "code_orders"], ascending=False, na_position="last", kind="stable")
    return out.reset_index()
