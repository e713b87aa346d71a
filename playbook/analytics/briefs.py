"""The creative brief of one contracted creator (module 05) as plain data: its sections, every fact taken from
the data (campaign, brand, contract, deliverables, codes and links, competitors) or from the registry and the
disclosure rules, plus the team's own key messages, must-haves and no-gos. The course renders it
(`playbook.course.apps.outreach`: Markdown to copy, HTML to preview).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from playbook.analytics.compliance import VISIBLE_CHARS_ID, visible_limits
from playbook.data.disclosure_rules import disclosure_rules
from playbook.data.registry import benchmark, cite

__all__ = ["KPI_BY_OBJECTIVE", "USAGE_TEXT", "BriefContent", "Sections", "brand_handle", "brief_content"]

USAGE_TEXT: Mapping[str, str] = {
    "none": "No usage rights: the content stays on your channel; the brand may share or link to it only.",
    "organic_30d": "Organic usage for 30 days: the brand may repost the content on its own organic channels.",
    "paid_90d": "Paid usage for 90 days: the brand may run the content as ads (partnership ads).",
    "perpetual": "Perpetual usage: the brand may reuse the content in any channel without a time limit.",
}
KPI_BY_OBJECTIVE: Mapping[str, tuple[tuple[str, str], ...]] = {
    "awareness": (("target_reach", "reach (accounts)"),),
    "consideration": (("target_engagement_rate", "engagement rate (engagements / reach)"),),
    "conversion": (("target_clicks", "tracked link clicks"), ("target_conversions", "attributed orders")),
}


def brand_handle(name: str) -> str:
    """A brand's social handle as the sample writes it: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


Sections = tuple[tuple[str, tuple[str, ...]], ...]
"""A brief's content: (heading, lines) pairs in brief order."""


@dataclass(frozen=True)
class BriefContent:
    """A creative brief's title and sections, before rendering."""

    campaign_id: str
    creator_id: str
    title: str
    sections: Sections


def _lines(items: Iterable[str] | str) -> list[str]:
    raw = items.splitlines() if isinstance(items, str) else list(items)
    return [s.strip() for s in raw if s and s.strip()]


def _row(frame: pd.DataFrame, column: str, value: str, table: str) -> pd.Series:
    found = frame[frame[column] == value]
    if found.empty:
        raise KeyError(f"{table} has no {column} {value!r}")
    return found.iloc[0]


def _date(value: object) -> str:
    return "not set" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _kpi_lines(campaign: pd.Series) -> list[str]:
    lines = [f"Objective: {campaign['objective']}"]
    for column, label in KPI_BY_OBJECTIVE[campaign["objective"]]:
        value = campaign[column]
        shown = f"{value:.1%}" if column.endswith("_rate") else f"{value:,.0f}"
        lines.append(f"Campaign target for {label}: {shown} (all creators together)")
    return lines


def _deliverable_lines(tables: Mapping[str, pd.DataFrame], contract: pd.Series) -> list[str]:
    d = tables["deliverables"]
    d = d[d["contract_id"] == contract["contract_id"]].sort_values("due_date")
    platform = _row(tables["accounts"], "account_id", contract["account_id"], "accounts")["platform"]
    draft_days = benchmark("draft_lead_days_model").low
    lines = []
    for i, row in enumerate(d.itertuples(index=False), start=1):
        draft_by = row.due_date - pd.Timedelta(days=draft_days)
        lines.append(
            f"Deliverable {i}: {platform} {row.format.replace('_', ' ')}, draft by {_date(draft_by)}, "
            f"post on {_date(row.due_date)}"
        )
    return lines or [f"{contract['deliverables_count']} piece(s) of content: dates to agree"]


def _tracking_lines(tables: Mapping[str, pd.DataFrame], campaign_id: str, creator_id: str) -> list[str]:
    lines = []
    codes = tables.get("promo_codes", pd.DataFrame(columns=["campaign_id", "creator_id", "code"]))
    mine = codes[(codes["campaign_id"] == campaign_id) & (codes["creator_id"] == creator_id)]
    lines += [f"Use your discount code {c} in the caption or voice-over" for c in mine["code"]]
    links = tables.get("tracking_links", pd.DataFrame(columns=["campaign_id", "creator_id", "url"]))
    mine = links[(links["campaign_id"] == campaign_id) & (links["creator_id"] == creator_id)]
    lines += [f"Link to your tracking link only: {u}" for u in mine["url"]]
    return lines


def _competitor_lines(tables: Mapping[str, pd.DataFrame], brand: pd.Series) -> list[str]:
    ids = [] if pd.isna(brand["competitor_ids"]) else str(brand["competitor_ids"]).split("|")
    names = tables["brands"].set_index("brand_id")["name"].reindex(ids).dropna().tolist()
    return [f"No mention of competitors: {', '.join(names)}"] if names else []


def _disclosure_lines(handle: str, jurisdiction: str = "US") -> list[str]:
    """The brief's disclosure section, from the jurisdiction's rules and the registry's visible length."""
    rules = [r for r in disclosure_rules(jurisdiction) if r.kind == "label"]

    def terms(status: str) -> str:
        return ", ".join(dict.fromkeys(r.term for r in rules if r.status == status)) or "none listed"

    chars, lines = visible_limits("instagram") or (0, 0)
    sources = sorted({f"{r.publisher} ({r.year or 'undated'})" for r in rules if r.status == "compliant"})
    return [
        f"Open the caption with a clear label ({jurisdiction} rules): {terms('compliant')}. It must be seen "
        f"without tapping 'more' (Instagram shows {chars} characters and {lines} lines: "
        f"{cite(VISIBLE_CHARS_ID)})",
        f"Not clear enough: {terms('weak')}; likely insufficient: {terms('risky')} "
        f"(for @{handle} as for anyone)",
        "Video, Stories and live: say or show it in the content itself, not only in the description; "
        "turn on the platform's paid-partnership label as well",
        "Sources: " + "; ".join(sources),
    ]


def _payment_lines(contract: pd.Series, currency: str) -> list[str]:
    lines = [
        f"Fee: {contract['fee']:,.2f} {currency} for {contract['deliverables_count']} piece(s) of content",
        f"Payment terms: Net-{contract['payment_terms_days']} (paid within {contract['payment_terms_days']} "
        "days of your invoice; invoice after each post goes live)",
    ]
    if contract["product_value"] > 0:
        lead = benchmark("shipping_lead_days_heepsy")
        lines.append(
            f"Gifted product worth {contract['product_value']:,.2f} {currency}, shipped to arrive at least "
            f"{lead.low:.0f} days before your first posting date ({cite('shipping_lead_days_heepsy')})"
        )
    return lines


def brief_content(
    tables: Mapping[str, pd.DataFrame],
    campaign_id: str,
    creator_id: str,
    key_messages: Iterable[str] | str = (),
    must_haves: Iterable[str] | str = (),
    no_gos: Iterable[str] | str = (),
) -> BriefContent:
    """The sections of a creative brief for one contracted creator, from the data plus the team's own words.

    From the data: campaign, brand, dates, market, objective and KPI targets (campaigns); deliverables with
    format, draft date (due - low end of ``draft_lead_days_model``) and posting date (deliverables);
    promo code and tracking link; competitors; usage rights and exclusivity, fee, payment terms and gifted
    product (contracts); the disclosure rules (US, `playbook.data.disclosure_rules`, with Instagram's visible
    length ``caption_visible_chars_instagram``) and the brand's reply time (``brand_reply_days_aspire``).
    The learner adds key messages, must-haves and no-gos (one per line). KeyError when the campaign, its
    brand or the creator is unknown, or the creator has no contract in the campaign.
    """
    campaign = _row(tables["campaigns"], "campaign_id", campaign_id, "campaigns")
    contracts = tables["contracts"]
    contract = contracts[(contracts["campaign_id"] == campaign_id) & (contracts["creator_id"] == creator_id)]
    if contract.empty:
        raise KeyError(f"creator {creator_id!r} has no contract in campaign {campaign_id!r}")
    contract = contract.iloc[0]
    brand = _row(tables["brands"], "brand_id", campaign["brand_id"], "brands")
    creator = _row(tables["creators"], "creator_id", creator_id, "creators")
    handle = brand_handle(brand["name"])
    reply_days = benchmark("brand_reply_days_aspire").high
    sections = (
        ("Campaign", _campaign_lines(campaign, brand, creator)),
        ("Objective and KPIs", _kpi_lines(campaign)),
        ("Key messages", _lines(key_messages) or ["(add the key messages)"]),
        (
            "Must-haves",
            [*_lines(must_haves), *_tracking_lines(tables, campaign_id, creator_id), f"Tag @{handle}"],
        ),
        ("No-gos", [*_lines(no_gos), *_competitor_lines(tables, brand)] or ["(add the no-gos)"]),
        ("Deliverables", _deliverable_lines(tables, contract)),
        (
            "Approval",
            [
                "Send each draft before the draft date; we reply with specific feedback "
                f"within {reply_days:.0f} days ({cite('brand_reply_days_aspire')})"
            ],
        ),
        ("Usage rights", _usage_lines(contract)),
        ("Disclosure", _disclosure_lines(handle)),
        ("Payment", _payment_lines(contract, campaign["currency"])),
    )
    frozen = tuple((heading, tuple(items)) for heading, items in sections)
    title = f"Creative brief: {campaign['name']} x @{creator['handle']}"
    return BriefContent(campaign_id, creator_id, title, frozen)


def _campaign_lines(campaign: pd.Series, brand: pd.Series, creator: pd.Series) -> list[str]:
    return [
        f"Brand: {brand['name']} (@{brand_handle(brand['name'])})",
        f"Campaign: {campaign['name']}",
        f"Creator: @{creator['handle']}",
        f"Posting window: {_date(campaign['start_date'])} to {_date(campaign['end_date'])}",
        f"Audience: {campaign['target_country']}, age {campaign['target_age']}",
    ]


def _usage_lines(contract: pd.Series) -> list[str]:
    days = contract["exclusivity_days"]
    return [
        USAGE_TEXT.get(contract["usage_rights"], str(contract["usage_rights"])),
        f"Exclusivity: no work with competing brands for {days} days after posting"
        if days > 0
        else "Exclusivity: none",
    ]
