"""The three raw exports: read, clean, reconcile (part of `playbook.data.cleaning`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from playbook.data.cleaning._base import (
    Cleaned,
    _entries,
    _report,
    _text,
)
from playbook.data.cleaning.labels import (
    canonical_platform,
    normalise_code,
    normalise_country,
    normalise_handle,
)
from playbook.data.cleaning.rows import (
    drop_duplicates,
    flag_impossible_reach,
    split_refunds,
)
from playbook.data.cleaning.values import (
    parse_count,
    parse_dates,
    parse_money,
    parse_percent,
)
from playbook.data.layout import RAW_DIR
from playbook.data.schemas import INTERACTIONS

__all__ = [
    "CLEANERS",
    "clean_campaign_export",
    "clean_creator_export",
    "clean_export",
    "clean_orders_export",
    "read_raw",
    "reconcile_campaign_export",
    "reconcile_orders_export",
]


# --------------------------------------------------------------------------- the three exports
def read_raw(name: str | Path, directory: Path = RAW_DIR, encoding: str | None = "utf-8") -> pd.DataFrame:
    """A raw export as text: every cell a str, blanks as "" and spaces kept, so nothing is parsed yet.

    `encoding` is the file's encoding ("cp1252" for Excel on Windows, "utf-16"...); None detects it (and
    the separator) as `playbook import` does (`data.importers.reading.read_source`). Raises ValueError
    naming the file and the encoding when the bytes do not decode."""
    path = Path(directory) / name
    if encoding is None:
        from playbook.data.importers.reading import read_source

        return read_source(path).frame
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{path.name}: not {encoding} text ({err.reason} at byte {err.start}); pass encoding='cp1252' "
            "(Excel on Windows) or encoding=None to detect it"
        ) from None


def _apply(raw: pd.DataFrame, steps: Mapping[str, Callable[[pd.Series], Cleaned]]) -> tuple[dict, list]:
    values, reports = {}, []
    for col, step in steps.items():
        result = step(raw[col])
        values[col] = result.values
        reports.append(result.report)
    return values, reports


def _ids(text: pd.Series, column: str) -> Cleaned:
    """Identifiers stripped of spaces; blank ones are missing_id (flagged)."""
    raw = _text(text).str.strip()
    blank = raw == ""
    report = _report([_entries(blank, column, "missing_id", "flagged", text, note="blank identifier")])
    return Cleaned(raw.astype(object).where(~blank, None), report)


def _labels(text: pd.Series, column: str) -> Cleaned:
    """Free-text labels stripped of spaces; blank ones are missing_value (flagged)."""
    raw = _text(text).str.strip()
    blank = raw == ""
    report = _report([_entries(blank, column, "missing_value", "flagged", text, note="blank cell")])
    return Cleaned(raw.astype(object).where(~blank, None), report)


def _mapped(
    raw: pd.DataFrame, mapping: Mapping[str, str] | None, needed: Sequence[str], what: str
) -> pd.DataFrame:
    """`raw` with its columns renamed by `mapping` (source header -> expected name); a clear ValueError
    naming the missing columns and the columns found, never a KeyError."""
    frame = raw.rename(columns=dict(mapping or {}))
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what}: no column {', '.join(missing)}; the file has {', '.join(map(str, raw.columns))}. "
            "Pass mapping={'<your header>': '<expected name>'}, or use `playbook import` with a preset"
        )
    return frame


_CREATOR_COLUMNS = ("handle", "platform", "category", "followers", "engagement_rate", "country")
_CAMPAIGN_COLUMNS = (
    "post_id",
    "campaign_id",
    "platform",
    "influencer_category",
    "start_date",
    "engagements",
    "estimated_reach",
    "product_sales",
    "currency",
)


def clean_creator_export(
    raw: pd.DataFrame, mapping: Mapping[str, str] | None = None, rate_unit: str = "auto"
) -> Cleaned:
    """creator_export.csv: handle, platform, category, followers (Int64), engagement_rate (fraction),
    country (ISO code); then exact duplicates and near duplicates on (handle, platform) dropped.

    `mapping` renames another layout's headers to these names (e.g. {"username": "handle"}); `rate_unit`
    is `parse_percent`'s unit for engagement_rate."""
    raw = _mapped(raw, mapping, _CREATOR_COLUMNS, "creator export")
    values, reports = _apply(
        raw,
        {
            "handle": normalise_handle,
            "platform": canonical_platform,
            "category": lambda s: _labels(s, "category"),
            "followers": lambda s: parse_count(s, "followers"),
            "engagement_rate": lambda s: parse_percent(s, "engagement_rate", rate_unit),
            "country": normalise_country,
        },
    )
    deduped = drop_duplicates(raw, pd.DataFrame(values), ["handle", "platform"], "handle")
    return Cleaned(deduped.values, _report([*reports, deduped.report]))


def clean_campaign_export(
    raw: pd.DataFrame, mapping: Mapping[str, str] | None = None, dayfirst: bool | None = False
) -> Cleaned:
    """campaign_export.csv: ids, platform, start_date (datetime), engagements and estimated_reach (Int64,
    a reach below the engagements rejected), product_sales (amount in the row's currency); then exact
    duplicates and near duplicates on post_id dropped. `mapping` renames another layout's headers to these
    names. `dayfirst` decides slash dates a column leaves ambiguous (`parse_dates`): False by default because
    the export this cleaner is written for puts the month first (`messy.DIRT_KINDS` us_date); pass None to
    detect the order per column (a column that does not decide is rejected) or True for day-first dates."""
    raw = _mapped(raw, mapping, _CAMPAIGN_COLUMNS, "campaign export")
    values, reports = _apply(
        raw,
        {
            "post_id": lambda s: _ids(s, "post_id"),
            "campaign_id": lambda s: _ids(s, "campaign_id"),
            "platform": canonical_platform,
            "influencer_category": lambda s: _labels(s, "influencer_category"),
            "start_date": lambda s: parse_dates(s, "start_date", dayfirst),
            "engagements": lambda s: parse_count(s, "engagements"),
            "estimated_reach": lambda s: parse_count(s, "estimated_reach"),
        },
    )
    reach = flag_impossible_reach(values["engagements"], values["estimated_reach"])
    values["estimated_reach"] = reach.values
    money = parse_money(raw["product_sales"], raw["currency"], "product_sales")
    values["product_sales"] = money.values["amount"]
    values["currency"] = money.values["currency"]
    deduped = drop_duplicates(raw, pd.DataFrame(values), ["post_id"])
    return Cleaned(deduped.values, _report([*reports, reach.report, money.report, deduped.report]))


def clean_orders_export(raw: pd.DataFrame) -> Cleaned:
    """orders_export.csv: order_date (datetime), amount + currency, discount_code (upper case); then
    refunds marked (`is_refund`) and orders exported twice dropped (`split_refunds`)."""
    values, reports = _apply(
        raw,
        {
            "order_id": lambda s: _ids(s, "order_id"),
            "order_date": lambda s: parse_dates(s, "order_date"),
            "customer_id": lambda s: _ids(s, "customer_id"),
            "discount_code": normalise_code,
        },
    )
    money = parse_money(raw["amount"], None, "amount")
    frame = pd.DataFrame(values).assign(amount=money.values["amount"], currency=money.values["currency"])
    split = split_refunds(
        frame[["order_id", "order_date", "customer_id", "amount", "currency", "discount_code"]]
    )
    return Cleaned(split.values, _report([*reports, money.report, split.report]))


CLEANERS: Mapping[str, Callable[[pd.DataFrame], Cleaned]] = {
    "creator_export.csv": clean_creator_export,
    "campaign_export.csv": clean_campaign_export,
    "orders_export.csv": clean_orders_export,
}


def clean_export(name: str, raw: pd.DataFrame | None = None, directory: Path = RAW_DIR) -> Cleaned:
    """Clean one raw export (read from `directory` unless `raw` is given) with its `CLEANERS` entry."""
    if name not in CLEANERS:
        raise KeyError(f"unknown export {name!r}; expected one of {', '.join(CLEANERS)}")
    return CLEANERS[name](read_raw(name, directory) if raw is None else raw)


# --------------------------------------------------------------------------- reconciliation
def reconcile_campaign_export(
    cleaned: pd.DataFrame, tables: Mapping[str, pd.DataFrame], recover_ids: bool = True
) -> pd.DataFrame:
    """The cleaned campaign export against the clean sample, one row per campaign.

    Sample side: the sponsored posts of each campaign (posts table); engagements = likes + comments +
    shares + saves. Export side: rows of the campaign; with `recover_ids`, a blank campaign_id is looked up
    by post_id in the posts table (the system of record) and counted in `recovered`. Columns: campaign_id,
    export_posts, sample_posts, export_engagements, sample_engagements, engagements_match, export_reach
    (rejected reach left out), sample_reach, reach_rejected (rows), recovered.
    """
    posts = tables["posts"]
    sponsored = posts[posts["sponsored"].astype(bool) & posts["campaign_id"].notna()]
    export = cleaned.copy()
    missing = export["campaign_id"].isna()
    recovered = pd.Series(False, index=export.index)
    if recover_ids:
        lookup = export.loc[missing, "post_id"].map(posts.set_index("post_id")["campaign_id"])
        export.loc[missing, "campaign_id"] = lookup
        recovered[missing] = lookup.notna()
    export["campaign_id"] = export["campaign_id"].fillna("(missing id)")
    export["reach_rejected"] = export["estimated_reach"].isna()
    export["recovered"] = recovered
    e = export.groupby("campaign_id").agg(
        export_posts=("post_id", "size"),
        export_engagements=("engagements", "sum"),
        export_reach=("estimated_reach", "sum"),
        reach_rejected=("reach_rejected", "sum"),
        recovered=("recovered", "sum"),
    )
    s = sponsored.assign(engagements=sponsored[list(INTERACTIONS)].sum(axis=1))
    s = s.groupby("campaign_id").agg(
        sample_posts=("post_id", "size"),
        sample_engagements=("engagements", "sum"),
        sample_reach=("reach", "sum"),
    )
    out = e.join(s, how="outer").fillna(0).astype("int64")
    out["engagements_match"] = out["export_engagements"] == out["sample_engagements"]
    columns = [
        "export_posts",
        "sample_posts",
        "export_engagements",
        "sample_engagements",
        "engagements_match",
        "export_reach",
        "sample_reach",
        "reach_rejected",
        "recovered",
    ]
    return out[columns].rename_axis("campaign_id").reset_index()


def reconcile_orders_export(cleaned: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Sales rows of the cleaned orders export against the sample's orders table.

    One row per currency of the export (the sample side: the same order ids' `order_value`), then a row
    "all" whose sample side is the whole orders table, so orders missing from the export show up. Columns:
    currency, export_orders, export_revenue, sample_orders, sample_revenue, refunds, refunded (amount,
    positive), revenue_match (equal to the cent per order).
    """
    orders = tables["orders"]
    sales = cleaned[~cleaned["is_refund"]]
    refunds = cleaned[cleaned["is_refund"]]
    matched = sales.assign(sample_value=sales["order_id"].map(orders.set_index("order_id")["order_value"]))
    g = matched.groupby("currency")
    out = pd.DataFrame(
        {
            "export_orders": g.size(),
            "export_revenue": g["amount"].sum(),
            "sample_orders": g["sample_value"].count(),
            "sample_revenue": g["sample_value"].sum(),
            "refunds": refunds.groupby("currency").size(),
            "refunded": -refunds.groupby("currency")["amount"].sum(),
        }
    ).fillna(0)
    out.loc["all"] = [
        len(sales),
        sales["amount"].sum(),
        len(orders),
        orders["order_value"].sum(),
        len(refunds),
        -refunds["amount"].sum(),
    ]
    out[["export_orders", "sample_orders", "refunds"]] = out[
        ["export_orders", "sample_orders", "refunds"]
    ].astype("int64")
    cents = 0.005 * out["export_orders"].clip(lower=1)
    out["revenue_match"] = (out["export_orders"] == out["sample_orders"]) & (
        (out["export_revenue"] - out["sample_revenue"]).abs() <= cents
    )
    return out.rename_axis("currency").reset_index()
