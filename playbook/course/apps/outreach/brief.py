"""Module 05: the creative brief of one contracted creator, built from the data plus the team's own words,
in Markdown (to copy) and HTML (to preview), and the app that builds it."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from playbook.analytics.compliance import VISIBLE_CHARS_ID, visible_limits
from playbook.course.base import WidgetApp
from playbook.data.disclosure_rules import disclosure_rules
from playbook.data.registry import benchmark, cite

__all__ = ["KPI_BY_OBJECTIVE", "USAGE_TEXT", "Brief", "BriefBuilderApp", "brand_handle", "creative_brief"]

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


_URL = re.compile(r"https?://[^\s`]+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|!&~])")
_LIST_START = re.compile(r"^(\s*\d*)([-+=.)])")  # a line start that Markdown would read as a list or rule


def _md(text: object) -> str:
    """Text safe inside Markdown: URLs as code spans (copied verbatim), every other Markdown or HTML special
    character backslash-escaped (CommonMark escapes any ASCII punctuation), so typed text stays text."""
    parts, last = [], 0
    raw = str(text)
    for m in _URL.finditer(raw):
        parts += [_MD_SPECIAL.sub(r"\\\1", raw[last : m.start()]), f"`{m.group()}`"]
        last = m.end()
    parts.append(_MD_SPECIAL.sub(r"\\\1", raw[last:]))
    return _LIST_START.sub(r"\1\\\2", "".join(parts))


Sections = tuple[tuple[str, tuple[str, ...]], ...]
"""A brief's content: (heading, lines) pairs in brief order."""


@dataclass(frozen=True)
class Brief:
    """A creative brief in two renderings of the same sections: ``markdown`` to copy, ``html`` to preview."""

    campaign_id: str
    creator_id: str
    sections: Sections
    markdown: str
    html: str


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


def creative_brief(
    tables: Mapping[str, pd.DataFrame],
    campaign_id: str,
    creator_id: str,
    key_messages: Iterable[str] | str = (),
    must_haves: Iterable[str] | str = (),
    no_gos: Iterable[str] | str = (),
) -> Brief:
    """A creative brief for one contracted creator, from the data plus the team's own words.

    From the data: campaign, brand, dates, market, objective and KPI targets (campaigns); deliverables with
    format, draft date (due - low end of ``draft_lead_days_model``) and posting date (deliverables);
    promo code and tracking link; competitors; usage rights and exclusivity, fee, payment terms and gifted
    product (contracts); the disclosure rules (US, `playbook.data.disclosure_rules`, with Instagram's visible
    length ``caption_visible_chars_instagram``) and the brand's reply time (``brand_reply_days_aspire``).
    The learner adds key messages, must-haves and no-gos (one per line). Every value is escaped in both
    renderings, so text typed by a learner cannot inject HTML or Markdown.
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
    return Brief(campaign_id, creator_id, frozen, _brief_markdown(title, frozen), _brief_html(title, frozen))


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


def _brief_markdown(title: str, sections: Sections) -> str:
    """Markdown: a title, one ## heading per section and a bullet per line, every text escaped (`_md`)."""
    out = [f"# {_md(title)}"]
    for heading, items in sections:
        out += ["", f"## {_md(heading)}", "", *[f"- {_md(i)}" for i in items]]
    return "\n".join(out) + "\n"


def _brief_html(title: str, sections: Sections) -> str:
    """HTML of the same sections, every text escaped with `html.escape`."""
    out = [f"<h3>{html.escape(title)}</h3>"]
    for heading, items in sections:
        out.append(f"<h4>{html.escape(heading)}</h4><ul>")
        out += [f"<li>{html.escape(i)}</li>" for i in items]
        out.append("</ul>")
    return "".join(out)


class BriefBuilderApp(WidgetApp):
    """Pick a campaign and a contracted creator, type key messages, must-haves and no-gos, build the brief.

    `.brief` holds the last `Brief`; `.preview` shows its HTML and `.copy_box` its Markdown to copy.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame], campaign_id: str | None = None) -> None:
        self.tables = tables
        campaigns = tables["campaigns"]
        options = [
            (f"{n} ({c})", c) for c, n in zip(campaigns["campaign_id"], campaigns["name"], strict=True)
        ]
        self.campaign = widgets.Dropdown(
            options=options,
            value=campaign_id or options[0][1],
            description="Campaign",
            style={"description_width": "initial"},
        )
        self.creator = widgets.Dropdown(description="Creator", style={"description_width": "initial"})
        area = {"layout": {"width": "32%", "height": "90px"}}
        self.key_messages = widgets.Textarea(placeholder="Key messages, one per line", **area)
        self.must_haves = widgets.Textarea(placeholder="Must-haves, one per line", **area)
        self.no_gos = widgets.Textarea(placeholder="No-gos, one per line", **area)
        self.build_button = widgets.Button(description="Build brief", button_style="primary")
        self.preview = widgets.HTML()
        self.copy_box = widgets.Textarea(layout={"width": "100%", "height": "220px"})
        self.campaign.observe(lambda _: self._creators(), names="value")
        self.build_button.on_click(lambda _: self.build())
        self._creators()
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.campaign, self.creator]),
                widgets.HBox([self.key_messages, self.must_haves, self.no_gos]),
                self.build_button,
                self.preview,
                widgets.HTML("<b>Markdown to copy</b>"),
                self.copy_box,
            ]
        )
        self.build()

    def _creators(self) -> None:
        contracts = self.tables["contracts"]
        ids = contracts.loc[contracts["campaign_id"] == self.campaign.value, "creator_id"]
        handles = self.tables["creators"].set_index("creator_id")["handle"]
        self.creator.options = [(f"@{handles.get(i, i)}", i) for i in ids]
        self.creator.value = ids.iloc[0] if len(ids) else None

    def build(self) -> Brief | None:
        """Build the brief for the current choices and show it; None when the campaign has no contract."""
        if self.creator.value is None:
            self.brief = None
            self.preview.value = "<p>This campaign has no contracted creator yet.</p>"
            self.copy_box.value = ""
            return None
        self.brief = creative_brief(
            self.tables,
            self.campaign.value,
            self.creator.value,
            self.key_messages.value,
            self.must_haves.value,
            self.no_gos.value,
        )
        self.preview.value = self.brief.html
        self.copy_box.value = self.brief.markdown
        return self.brief
