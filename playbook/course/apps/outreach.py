"""Course apps for module 05 (outreach and communication): funnel by group, volume planner, brief builder,
disclosure checker.

Each app is an object holding its widgets (`.widget`, shown when the app is the last expression of a cell)
and its computed result as attributes (`.result`, `.chart`, `.summary`), so tests drive it without a browser:
set `.value` on a control, call `.click()` on a button, read the attributes.

    app = FunnelByGroupApp(tables)
    app.by.value = "incentive"
    app.result          # one row per incentive: messages, replies, reply rate and its confidence interval
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import altair as alt
import ipywidgets as widgets
import pandas as pd

import playbook.viz.charts as charts
from playbook.analytics.compliance import (
    JURISDICTIONS,
    STATUSES,
    VISIBLE_CHARS_ID,
    check_disclosure,
    visible_limits,
)
from playbook.analytics.planning import (
    DEFAULT_MIN_GROUP,
    GROUPINGS,
    RATES,
    funnel_by_group,
    outreach_funnel,
    outreach_needed,
    planner_comparison,
)
from playbook.analytics.stats import DEFAULT_CONFIDENCE
from playbook.course.base import WidgetApp
from playbook.course.base import show as render
from playbook.data.disclosure_rules import disclosure_rules
from playbook.data.registry import benchmark, cite

__all__ = [
    "Brief",
    "BriefBuilderApp",
    "DisclosureApp",
    "FunnelByGroupApp",
    "OutreachPlannerApp",
    "WidgetApp",
    "brand_handle",
    "compliance_chart",
    "creative_brief",
    "group_rate_chart",
    "render",
]

REPLY_BENCHMARK = "reply_rate_creator_heepsy"
BLUE, ORANGE, VERMILLION, YELLOW, SKY = (charts.OKABE_ITO[i] for i in (4, 0, 5, 3, 1))
GREY = charts.NEUTRAL
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


# --------------------------------------------------------------------------- funnel with intervals


def group_rate_chart(frame: pd.DataFrame, rate: str, by: str, benchmark_id: str | None = None) -> alt.Chart:
    """Dot (rate) and line (confidence interval) per group of `funnel_by_group`; a dashed rule marks the
    benchmark's typical value when ``benchmark_id`` is given. Hollow dots are small groups."""
    data = frame.assign(size=lambda d: d["small"].map({True: "small group", False: "enough messages"}))
    y = alt.Y("group:N", title=by.replace("_", " "), sort=list(data["group"]))
    x_title = f"{rate.replace('_', ' ')} ({RATES[rate][0]} / {RATES[rate][1]})"
    tooltip = ["group:N", "trials:Q", "successes:Q", alt.Tooltip("rate:Q", format=".1%")]
    tooltip += [alt.Tooltip("ci_low:Q", format=".1%"), alt.Tooltip("ci_high:Q", format=".1%")]
    interval = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("ci_low:Q", title=x_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            x2="ci_high:Q",
            y=y,
            tooltip=tooltip,
        )
    )
    dots = (
        alt.Chart(data)
        .mark_point(size=90)
        .encode(
            x="rate:Q",
            y=y,
            fill=alt.Fill(
                "size:N",
                scale=alt.Scale(domain=["enough messages", "small group"], range=[BLUE, "white"]),
                title=None,
            ),
            tooltip=tooltip,
        )
    )
    labels = dots.mark_text(align="left", dx=8, dy=-10, fontSize=10).encode(
        text=alt.Text("trials:Q", format=",.0f")
    )
    layers: list[alt.Chart] = [interval, dots, labels]
    subtitle = "Dot: measured rate; line: confidence interval; number: messages in the denominator"
    if benchmark_id is not None:
        b = benchmark(benchmark_id)
        rule_data = pd.DataFrame({"value": [b.value], "source": [cite(benchmark_id)]})
        rule = (
            alt.Chart(rule_data)
            .mark_rule(strokeDash=[4, 4], color=VERMILLION)
            .encode(x="value:Q", tooltip=["source:N", alt.Tooltip("value:Q", format=".1%")])
        )
        layers.insert(0, rule)
        subtitle += f"; dashed: published rate ({benchmark_id}, grade {b.grade})"
    title = f"{rate.replace('_', ' ').capitalize()} by {by.replace('_', ' ')}"
    return alt.layer(*layers).properties(title=alt.TitleParams(title, subtitle=subtitle))


def _overlap_note(frame: pd.DataFrame) -> str:
    """A sentence saying whether the best and worst groups' intervals overlap."""
    known = frame.dropna(subset=["rate"])
    if len(known) < 2:
        return "Only one group has a defined rate: nothing to compare."
    best, worst = known.loc[known["rate"].idxmax()], known.loc[known["rate"].idxmin()]
    pair = f"<b>{html.escape(best['group'])}</b> and <b>{html.escape(worst['group'])}</b>"
    if best["ci_low"] <= worst["ci_high"]:
        return f"The intervals of {pair} overlap: the gap between them may be noise. Collect more messages."
    return f"The intervals of {pair} do not overlap: the gap is unlikely to be noise alone."


class FunnelByGroupApp(WidgetApp):
    """Pick a grouping and a rate; see the rate per group with its confidence interval and message count."""

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        *,
        confidence: float = DEFAULT_CONFIDENCE,
        min_group: int = DEFAULT_MIN_GROUP,
    ) -> None:
        self.tables = tables
        self.confidence = confidence
        self.min_group = min_group
        self.by = widgets.Dropdown(
            options=list(GROUPINGS),
            value="template",
            description="Group by",
            style={"description_width": "initial"},
        )
        self.rate = widgets.Dropdown(
            options=list(RATES),
            value="reply_rate",
            description="Rate",
            style={"description_width": "initial"},
        )
        self.summary = widgets.HTML()
        self.chart_out = widgets.Output()
        self.by.observe(lambda _: self.update(), names="value")
        self.rate.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.by, self.rate]), self.summary, self.chart_out])
        self.update()

    def update(self) -> None:
        """Recompute the table, chart and summary for the current controls."""
        by, rate = self.by.value, self.rate.value
        self.result = funnel_by_group(
            self.tables, by, rate, confidence=self.confidence, min_group=self.min_group
        )
        self.chart = group_rate_chart(
            self.result, rate, by, REPLY_BENCHMARK if rate == "reply_rate" else None
        )
        small = self.result.loc[self.result["small"], "group"].tolist()
        small_note = (
            f" Small groups (fewer than {self.min_group} messages): {html.escape(', '.join(small))}."
            if small
            else ""
        )
        self.summary.value = (
            f"<p>{_overlap_note(self.result)}{small_note} Intervals: {self.confidence:.0%} Wilson.</p>"
        )
        render(self.chart_out, self.chart)


# --------------------------------------------------------------------------- outreach volume planner


class OutreachPlannerApp(WidgetApp):
    """How many creators to contact: target, reply-rate source and follow-ups in; messages and days out."""

    SOURCES = ("published (Heepsy)", "measured in the sample")

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = tables
        self.target = widgets.IntSlider(
            value=10, min=1, max=60, description="Creators", style={"description_width": "initial"}
        )
        self.source = widgets.Dropdown(
            options=list(self.SOURCES), description="Reply rate", style={"description_width": "initial"}
        )
        self.followups = widgets.Checkbox(
            value=True, description="Send follow-ups", style={"description_width": "initial"}
        )
        self.summary = widgets.HTML()
        self.chart_out = widgets.Output()
        for control in (self.target, self.source, self.followups):
            control.observe(lambda _: self.update(), names="value")
        controls = widgets.HBox([self.target, self.source, self.followups])
        self.widget = widgets.VBox([controls, self.summary, self.chart_out])
        self.update()

    def update(self) -> None:
        """Recompute the plan (`planning.outreach_needed`) for the current controls."""
        measured = self.source.value == self.SOURCES[1]
        self.followups.disabled = measured  # a measured rate already includes the follow-ups sent
        reply = float(outreach_funnel(self.tables)["reply_rate"].iloc[0]) if measured else None
        self.result = outreach_needed(
            self.target.value,
            reply_rate=reply,
            followups=self.followups.value and not measured,
            tables=self.tables,
        )
        r = self.result
        self.comparison = planner_comparison(self.target.value, self.tables)
        sources = "; ".join(f"{i}: {html.escape(cite(i))}" for i in r["benchmark_ids"])
        self.summary.value = (
            f"<p>To sign <b>{r['target_creators']}</b> creators send <b>{r['messages_to_send']}</b> messages "
            f"(reply rate {r['reply_rate']:.0%} x agreed per reply {r['agree_rate']:.0%}, "
            f"{html.escape(str(r['agree_rate_source']))}): about {r['expected_replies']:.0f} replies, "
            f"{r['sending_days']} day(s) of sending. Heepsy's rule of thumb says {r['heepsy_rule_messages']}."
            f"</p><p style='font-size:smaller'>Sources: {sources}</p>"
        )
        self.chart = (
            alt.Chart(self.comparison)
            .mark_bar()
            .encode(
                x=alt.X("messages_to_send:Q", title="Messages to send"),
                y=alt.Y("assumption:N", title=None, sort=None),
                tooltip=["assumption:N", "messages_to_send:Q", "sending_days:Q"],
            )
            .properties(
                title=alt.TitleParams(f"Messages needed for {r['target_creators']} creators"),
                height=120,
            )
        )
        render(self.chart_out, self.chart)


# --------------------------------------------------------------------------- creative brief
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


# --------------------------------------------------------------------------- disclosure
_STATUS_COLOUR = {
    "compliant": "#2e7d32",
    "review": "#1f5fa8",
    "risky": "#b26a00",
    "late": "#b26a00",
    "weak": "#c62828",
    "missing": "#c62828",
}
_IN_VIDEO = {
    "not known / not a video": None,
    "yes, said or shown in the video": True,
    "no, description only": False,
}


class DisclosureApp(WidgetApp):
    """Type a caption; see its disclosure status under the US, UK and EU rules side by side, each with the
    reason and the rule's source (`compliance.check_disclosure`)."""

    def __init__(self, caption: str = "", platform: str = "instagram") -> None:
        self.caption = widgets.Textarea(
            value=caption,
            placeholder="Paste or type a caption",
            layout={"width": "100%", "height": "120px"},
        )
        style = {"description_width": "initial"}
        self.platform = widgets.Dropdown(
            options=["instagram", "tiktok", "youtube", "facebook"],
            value=platform,
            description="Platform",
            style=style,
        )
        self.platform_label = widgets.Checkbox(
            value=False,
            description="Platform's paid-partnership label is on",
            style=style,
            layout={"width": "auto"},
        )
        self.in_video = widgets.Dropdown(
            options=list(_IN_VIDEO),
            value="not known / not a video",
            description="Disclosed in the video?",
            style=style,
            layout={"width": "auto"},
        )
        self.summary = widgets.HTML()
        for control in (self.caption, self.platform, self.platform_label, self.in_video):
            control.observe(lambda _: self.update(), names="value")
        controls = widgets.HBox([self.platform, self.in_video], layout={"flex_flow": "row wrap"})
        self.widget = widgets.VBox([self.caption, controls, self.platform_label, self.summary])
        self.update()

    def update(self) -> None:
        """Check the current caption in every jurisdiction and show status, labels found and reasons."""
        self.results = {
            j: check_disclosure(
                self.caption.value,
                jurisdiction=j,
                platform=self.platform.value,
                platform_label=self.platform_label.value,
                in_video=_IN_VIDEO[self.in_video.value],
            )
            for j in JURISDICTIONS
        }
        self.result = self.results["US"]
        rows = "".join(
            f"<tr><td><strong>{j}</strong></td>"
            f"<td><strong style='color:{_STATUS_COLOUR.get(r.status, '#333')}'>"
            f"{html.escape(r.status)}</strong></td><td>{html.escape(r.reasons)}</td></tr>"
            for j, r in self.results.items()
        )
        tokens = ", ".join(self.result.tokens) or "none"
        self.summary.value = (
            "<table><tr><th>Rules</th><th>Status</th><th>Why (source)</th></tr>"
            f"{rows}</table><p>Labels found: {html.escape(tokens)}</p>"
        )


def compliance_chart(summary: pd.DataFrame) -> alt.LayerChart:
    """Stacked share of sponsored posts per disclosure status and campaign (`compliance.compliance_summary`
    with its default ``by="campaign_id"``), with the published share of fully compliant posts
    (``disclosure_full_compliance_imh_2020``) as a dashed rule."""
    statuses = list(STATUSES[:-1])
    long = summary.melt(
        id_vars=["campaign_id", "sponsored_posts"],
        value_vars=[f"share_{s}" for s in statuses],
        var_name="status",
        value_name="share",
    )
    long["status"] = long["status"].str.removeprefix("share_")
    long["order"] = long["status"].map({s: i for i, s in enumerate(statuses)})
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("campaign_id:N", title="Campaign"),
            x=alt.X("share:Q", stack="zero", title="Share of sponsored posts", axis=alt.Axis(format="%")),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=statuses, range=[BLUE, SKY, ORANGE, YELLOW, VERMILLION, GREY]),
                title="Disclosure",
            ),
            order="order:Q",
            tooltip=["campaign_id:N", "status:N", alt.Tooltip("share:Q", format=".0%"), "sponsored_posts:Q"],
        )
    )
    b = benchmark("disclosure_full_compliance_imh_2020")
    rule = (
        alt.Chart(pd.DataFrame({"published_share": [b.value]}))
        .mark_rule(strokeDash=[4, 4], color="black")
        .encode(x="published_share:Q", tooltip=[alt.Tooltip("published_share:Q", format=".0%")])
    )
    subtitle = f"Dashed line: published share of fully compliant posts ({b.source_name}, {b.year})"
    return alt.layer(bars, rule).properties(
        title=alt.TitleParams("Disclosure status of sponsored posts", subtitle=subtitle)
    )
