"""Course apps for module 06 (relationships and negotiation): fair-rate calculator, multi-issue negotiation,
contract-clause checklist, relationship health.

The apps arrange and display; the numbers come from `analytics.pricing` (the fee model, the fair range and
why it is as wide as it is), `analytics.negotiation` (the issues, their prices, the creator model, the
clause checklist) and `analytics.relationships` (health and team metrics).
"""

from __future__ import annotations

import html
import inspect
import math
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import altair as alt
import ipywidgets as widgets
import pandas as pd

import playbook.viz.charts as charts
from playbook.analytics.negotiation import (
    CONTRACT_CLAUSES,
    MEDIA,
    TERRITORIES,
    Terms,
    brand_surplus,
    clause_review,
    creator_population,
    effort,
    fair_price,
    price_breakdown,
    respond,
    term_prices,
)
from playbook.analytics.pricing import (
    FairRate,
    ask_position,
    band_text,
    contract_scenarios,
    fair_rate,
    rate_tables,
    usage_uplifts,
    width_reasons,
    width_sentence,
)
from playbook.analytics.relationships import relationship_health
from playbook.analytics.undefined import ratio
from playbook.course.base import WidgetApp, table_html
from playbook.course.base import show as render
from playbook.data.registry import DEFAULT_TIER_PRESET, cite
from playbook.data.schemas import PLATFORM_FORMATS

__all__ = [
    "ClauseChecklistApp",
    "FairRateApp",
    "HealthApp",
    "NegotiationApp",
    "fair_rate_chart",
    "health_chart",
    "team_ops_chart",
]

MAX_ROUNDS = 4  # our choice: offers before the creator walks away
PAYMENT_DAYS = (15, 30, 45, 60, 90)
WIDE = {"description_width": "initial"}  # labels shown in full, never cut to "Budget (U..."
BLUE, ORANGE, GREEN, VERMILLION = (charts.OKABE_ITO[i] for i in (4, 0, 2, 5))
DECISION_COLOURS = {"re-book": GREEN, "renegotiate": ORANGE, "drop": VERMILLION}
_HEALTH_DEFAULTS = {k: p.default for k, p in inspect.signature(relationship_health).parameters.items()}


def fair_rate_chart(
    fair: FairRate, tables: pd.DataFrame, ask_per_deliverable: float | None = None
) -> alt.LayerChart:
    """Per-deliverable ranges on a log scale: the fair range and the widest range of the fee model (blue),
    each published rate table (grey, by benchmark id), and the ask (orange rule). Open-ended published rates
    ("10,000+") show their low end."""
    model_rows = [
        {
            "range": name,
            "low": band[0],
            "typical": band[1],
            "high": band[2],
            "kind": "fair model",
            "source": "; ".join(fair.benchmark_ids),
        }
        for name, band in (
            ("fair range (sources' typical CPMs)", fair.fair_per_deliverable),
            ("widest range (every extreme at once)", fair.per_deliverable),
        )
    ]
    published = tables.assign(
        range=tables["benchmark_id"],
        high=tables["high"].fillna(tables["low"]),
        typical=tables["typical"].fillna(tables["low"]),
        kind="published",
    )[["range", "low", "typical", "high", "kind", "source"]]
    data = pd.concat([pd.DataFrame(model_rows), published], ignore_index=True)
    y = alt.Y("range:N", title=None, sort=list(data["range"]), axis=alt.Axis(labelLimit=360))
    colour = alt.Color(
        "kind:N", scale=alt.Scale(domain=["fair model", "published"], range=[BLUE, "#999999"]), title=None
    )
    tooltip = ["range:N", "source:N", alt.Tooltip("low:Q", format=",.0f")]
    tooltip.append(alt.Tooltip("typical:Q", format=",.0f"))
    tooltip.append(alt.Tooltip("high:Q", format=",.0f"))
    x = alt.X("low:Q", title="USD per deliverable", scale=alt.Scale(type="log"))
    bars = (
        alt.Chart(data).mark_rule(strokeWidth=6).encode(x=x, x2="high:Q", y=y, color=colour, tooltip=tooltip)
    )
    ticks = alt.Chart(data).mark_tick(color="black", thickness=2).encode(x="typical:Q", y=y, tooltip=tooltip)
    layers: list[alt.Chart] = [bars, ticks]
    subtitle = "Bar: low to high; tick: typical"
    if ask_per_deliverable is not None and not math.isnan(ask_per_deliverable):
        ask = pd.DataFrame({"ask": [ask_per_deliverable]})
        layers.append(
            alt.Chart(ask)
            .mark_rule(color=ORANGE, strokeDash=[5, 3], strokeWidth=2)
            .encode(x="ask:Q", tooltip=["ask:Q"])
        )
        subtitle += "; dashed orange: the creator's ask"
    title = f"Fair rate for a {fair.tier} {fair.platform} {fair.format.replace('_', ' ')}"
    return alt.layer(*layers).properties(title=alt.TitleParams(title, subtitle=subtitle), height=alt.Step(28))


# --------------------------------------------------------------------------- fair-rate calculator app
class FairRateApp(WidgetApp):
    """Fair-rate calculator: pick a past deal (or set platform, followers, format, usage and deliverables by
    hand) and compare the creator's ask with the fair range and the published rate tables."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], preset: str = DEFAULT_TIER_PRESET) -> None:
        self.tables = tables
        self.preset = preset
        self.scenarios = contract_scenarios(tables, preset)
        usd = self.scenarios[self.scenarios["currency"] == "USD"].sort_values(
            "ask_vs_typical", ascending=False
        )
        options = [("(set by hand)", "")] + [
            (f"{r.contract_id} @{r.handle} ({r.platform}, {r.followers:,} followers)", r.contract_id)
            for r in usd.itertuples()
        ]
        self.deal = widgets.Dropdown(
            options=options, value="", description="Past deal", style={"description_width": "initial"}
        )
        self.platform = widgets.Dropdown(
            options=["instagram", "tiktok", "youtube"],
            description="Platform",
            style={"description_width": "initial"},
        )
        self.followers = widgets.BoundedIntText(
            value=25_000,
            min=0,
            max=50_000_000,
            description="Followers",
            style={"description_width": "initial"},
        )
        self.format = widgets.Dropdown(
            options=list(PLATFORM_FORMATS["instagram"]),
            description="Format",
            style={"description_width": "initial"},
        )
        usage = sorted(set(usage_uplifts(tables["contracts"])) | {"none"})
        self.usage = widgets.Dropdown(
            options=usage, value="none", description="Usage", style={"description_width": "initial"}
        )
        self.deliverables = widgets.BoundedIntText(
            value=1, min=1, max=20, description="Pieces", style={"description_width": "initial"}
        )
        self.ask = widgets.BoundedFloatText(
            value=500.0,
            min=0,
            max=10_000_000,
            description="Ask (USD)",
            style={"description_width": "initial"},
        )
        self.summary = widgets.HTML()
        self.chart_out = widgets.Output()
        self._hold = 0
        self.deal.observe(lambda _: self._load_deal(), names="value")
        self.platform.observe(lambda _: self._formats(), names="value")
        for control in (self.followers, self.format, self.usage, self.deliverables, self.ask):
            control.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox(
            [
                self.deal,
                widgets.HBox([self.platform, self.followers, self.format]),
                widgets.HBox([self.usage, self.deliverables, self.ask]),
                self.summary,
                self.chart_out,
            ]
        )
        self.update()

    @contextmanager
    def _batch(self) -> Iterator[None]:
        """Change several controls with one recompute at the end instead of one per control."""
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1
        if not self._hold:
            self.update()

    def _formats(self) -> None:
        with self._batch():
            self.format.options = list(PLATFORM_FORMATS[self.platform.value])
            self.format.value = self.format.options[0]

    def _load_deal(self) -> None:
        if not self.deal.value:
            return
        row = self.scenarios.set_index("contract_id").loc[self.deal.value]
        with self._batch():
            self.platform.value = row["platform"]
            self.format.value = row["format"] if pd.notna(row["format"]) else self.format.options[0]
            self.followers.value = int(row["followers"])
            self.usage.value = row["usage_rights"]
            self.deliverables.value = int(row["deliverables"])
            self.ask.value = float(row["ask"])

    def update(self) -> None:
        """Recompute the fair range, the ask's position, the published rates and the chart."""
        if self._hold:
            return
        self.result = fair_rate(
            self.platform.value,
            int(self.followers.value),
            self.format.value,
            self.usage.value,
            int(self.deliverables.value),
            contracts=self.tables["contracts"],
            preset=self.preset,
        )
        f = self.result
        self.position, self.times_typical = ask_position(float(self.ask.value), f)
        self.rates = rate_tables(f.platform, f.followers, f.format)
        per_ask = float(self.ask.value) / f.deliverables
        self.chart = fair_rate_chart(f, self.rates, per_ask)
        times = "undefined" if math.isnan(self.times_typical) else f"{self.times_typical:.2f}x typical"
        factors = (
            f"CPM {f.cpm[0]:,.2f}-{f.cpm[2]:,.2f} USD; expected views {f.views[0]:,.0f}-{f.views[2]:,.0f} "
            f"(reach rate {f.reach_rate[0]:.0%}-{f.reach_rate[2]:.0%}); format uplift "
            f"x{f.format_uplift[0]:.2f}-{f.format_uplift[2]:.2f}; usage uplift x{f.usage_uplift:.2f} "
            f"({html.escape(f.usage_source)})"
        )
        sources = "; ".join(f"{i}: {html.escape(cite(i))}" for i in f.benchmark_ids)
        self.widths = width_reasons(f)
        self.summary.value = (
            f"<p>Fair fee for {f.deliverables} piece(s): <b>{band_text(f.fair_total)}</b> "
            f"(low - typical - high; widest range {band_text(f.total)}). "
            f"The ask of {self.ask.value:,.0f} USD is "
            f"<b>{self.position}</b> ({times}).</p>"
            f"<p><b>Why this wide:</b> {html.escape(width_sentence(f))}</p>"
            f"<p>{factors}. Tier: {html.escape(f.tier)} ({html.escape(self.preset)}).</p>"
            f"<p style='font-size:smaller'>Sources: {sources}</p>"
        )
        render(self.chart_out, self.chart)


# --------------------------------------------------------------------------- negotiation exercise
def _deal_seed(contract_id: str) -> int:
    """A stable seed per deal, so the same deal always meets the same practice creator."""
    return zlib.crc32(contract_id.encode())


class NegotiationApp(WidgetApp):
    """Negotiate one deal on every issue with a creator who remembers (`analytics.negotiation`).

    `.history` lists the rounds; `.outcome` is "open", "agreed", "declined" or "walked away"; `.agreed`
    the signed `Terms`; `.creator` the creator now (its goodwill is the relationship memory: **Restart**
    keeps it, picking another deal meets a new creator).
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        contract_id: str | None = None,
        *,
        max_rounds: int = MAX_ROUNDS,
    ) -> None:
        self.tables = tables
        self.max_rounds = max_rounds
        self.prices = term_prices(tables["contracts"])
        scenarios = contract_scenarios(tables)
        usd = scenarios[scenarios["currency"] == "USD"]
        self.scenarios = (usd if len(usd) else scenarios).sort_values("ask", ascending=False)
        options = [
            (f"@{r.handle} ({r.platform}, {r.followers:,} followers)", r.contract_id)
            for r in self.scenarios.itertuples()
        ]
        default = contract_id or self.scenarios["contract_id"].iloc[0]
        self.deal = widgets.Dropdown(options=options, value=default, description="Deal", style=WIDE)
        self.offer = widgets.BoundedFloatText(
            value=0.0, min=0, max=10_000_000, description="Fee offer (USD)", style=WIDE
        )
        self.pieces = widgets.BoundedIntText(value=1, min=1, max=20, description="Pieces", style=WIDE)
        self.usage_months = widgets.IntSlider(
            value=0, min=0, max=24, description="Usage (months)", style=WIDE
        )
        self.territory = widgets.Dropdown(options=list(TERRITORIES), description="Territory", style=WIDE)
        self.media = widgets.Dropdown(options=list(MEDIA), description="Usage media", style=WIDE)
        self.exclusivity = widgets.IntSlider(
            value=0, min=0, max=12, description="Exclusivity (months)", style=WIDE
        )
        self.whitelisting = widgets.IntSlider(
            value=0, min=0, max=12, description="Whitelisting (months)", style=WIDE
        )
        self.payment_days = widgets.Dropdown(
            options=list(PAYMENT_DAYS), value=30, description="Payment (Net days)", style=WIDE
        )
        self.kill_fee = widgets.FloatSlider(
            value=0.0, min=0, max=1, step=0.05, description="Kill fee (share)", style=WIDE
        )
        self.send_button = widgets.Button(description="Send offer", button_style="primary")
        self.restart_button = widgets.Button(description="Restart (they remember)")
        self.history = pd.DataFrame()
        self.brief = widgets.HTML()
        self.terms_out = widgets.HTML()
        self.log = widgets.HTML()
        self.issue_controls = (
            self.pieces,
            self.usage_months,
            self.territory,
            self.media,
            self.exclusivity,
            self.whitelisting,
            self.payment_days,
            self.kill_fee,
        )
        self.deal.observe(lambda _: self.new_creator(), names="value")
        for control in self.issue_controls:
            control.observe(lambda _: self._show_terms(), names="value")
        self.send_button.on_click(lambda _: self.send())
        self.restart_button.on_click(lambda _: self.restart())
        self.widget = widgets.VBox(
            [
                self.deal,
                self.brief,
                widgets.HBox([self.pieces, self.usage_months, self.territory, self.media]),
                widgets.HBox([self.exclusivity, self.whitelisting, self.payment_days, self.kill_fee]),
                self.terms_out,
                widgets.HBox([self.offer, self.send_button, self.restart_button]),
                self.log,
            ]
        )
        self.new_creator()

    def terms(self) -> Terms:
        """The offer on the controls."""
        return Terms(
            fee=float(self.offer.value),
            deliverables=int(self.pieces.value),
            usage_months=int(self.usage_months.value),
            territory=self.territory.value,
            media=self.media.value,
            exclusivity_months=int(self.exclusivity.value),
            whitelisting_months=int(self.whitelisting.value),
            payment_days=int(self.payment_days.value),
            kill_fee_share=float(self.kill_fee.value),
        )

    def new_creator(self) -> None:
        """Meet the creator of the selected deal (full goodwill) and start the negotiation."""
        row = self.scenarios.set_index("contract_id").loc[self.deal.value]
        fmt = row["format"] if pd.notna(row["format"]) else PLATFORM_FORMATS[row["platform"]][0]
        self.fair = fair_rate(row["platform"], int(row["followers"]), fmt)
        self.handle = str(row["handle"])
        per_piece = self.fair.fair_per_deliverable[1]
        self.creator = creator_population(1, per_piece, seed=_deal_seed(self.deal.value))[0]
        self.pieces.value = int(row["deliverables"])
        self.restart()

    def restart(self) -> None:
        """Negotiate again with the same creator: their goodwill (memory of your last offers) stays."""
        self.history = pd.DataFrame(columns=["round", "offer", "response", "counter", "goodwill", "note"])
        self.outcome, self.agreed = "open", None
        self.current_ask = self.creator.ask(self.terms(), self.prices)
        self.offer.value = round(fair_price(self.terms(), self.creator.fair_per_piece, self.prices), 2)
        f = self.fair
        self.brief.value = (
            f"<p>@{html.escape(self.handle)}: {f.platform} {f.format.replace('_', ' ')}, {f.followers:,}"
            f" followers. Fair range per piece (no usage): {band_text(f.fair_per_deliverable)}. "
            f"Their goodwill towards you: <b>{self.creator.goodwill:.0%}</b>. "
            f"You have {self.max_rounds} offers.</p>"
        )
        self.log.value = ""
        self._show_terms()

    def _show_terms(self) -> None:
        """Price the terms on the controls: each issue's multiplier, the fair price and the creator's ask."""
        terms = self.terms()
        table = price_breakdown(terms, self.creator.fair_per_piece, self.prices)
        fair = fair_price(terms, self.creator.fair_per_piece, self.prices)
        if self.history.empty:
            self.current_ask = self.creator.ask(terms, self.prices)
        self.terms_out.value = (
            table_html(table) + f"<p>Fair price of these terms: <b>{fair:,.2f} USD</b>; the creator asks "
            f"<b>{self.current_ask:,.2f} USD</b>. Payment terms and the kill fee cost the creator more than "
            "they cost you: try them before cutting the fee.</p>"
        )

    def send(self) -> str:
        """Send the offer on the controls; returns the creator's response."""
        if self.outcome != "open":
            return self.outcome
        terms = self.terms()
        r = respond(self.creator, terms, self.current_ask, self.prices)
        self.creator = r.creator
        row = [len(self.history) + 1, terms.fee, r.kind, r.counter, self.creator.goodwill, r.note]
        self.history.loc[len(self.history)] = row
        if r.kind == "accepted":
            self.outcome, self.agreed = "agreed", terms
        elif r.kind == "declined":
            self.outcome = "declined"
        else:
            self.current_ask = float(r.counter)  # type: ignore[arg-type]
            if len(self.history) >= self.max_rounds:
                self.outcome = "walked away"
        self.log.value = self._log_html()
        return r.kind

    def _log_html(self) -> str:
        rows = "".join(
            f"<li>Offer {r.round}: {r.offer:,.2f} USD: {html.escape(r.note)} (goodwill {r.goodwill:.0%})</li>"
            for r in self.history.itertuples()
        )
        end = ""
        if self.outcome == "agreed" and self.agreed is not None:
            c, t = self.creator, self.agreed
            fair = fair_price(t, c.fair_per_piece, self.prices)
            surplus = brand_surplus(t, c.fair_per_piece, self.prices, c.goodwill)
            next_ask = c.ask(t, self.prices)
            end = (
                f"<p><b>Agreed at {t.fee:,.2f} USD</b> "
                f"({ratio(t.fee, fair, 'fee / fair price'):.2f}x the fair price). "
                f"Expected effort {effort(c.goodwill, self.prices):.0%}; the brand's surplus "
                f"{surplus:,.2f} USD; their ask for the same terms next time: {next_ask:,.2f} USD.</p>"
            )
        elif self.outcome == "declined":
            end = "<p><b>The creator declined.</b> Restart: they remember this offer.</p>"
        elif self.outcome == "walked away":
            end = "<p><b>The creator walked away</b> after your last offer. Restart to try again.</p>"
        return f"<ol style='list-style:none;padding:0'>{rows}</ol>{end}"


# --------------------------------------------------------------------------- contract checklist
class ClauseChecklistApp(WidgetApp):
    """Tick the clauses a draft contract has; see what each missing one leaves open (`clause_review`)."""

    def __init__(self, included: tuple[str, ...] = ("deliverables and dates", "payment terms and invoicing")):
        self.boxes = {
            name: widgets.Checkbox(value=name in included, description=name, indent=False, style=WIDE)
            for name, _, _ in CONTRACT_CLAUSES
        }
        self.summary = widgets.HTML()
        for box in self.boxes.values():
            box.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox(
            [
                widgets.GridBox(
                    list(self.boxes.values()), layout={"grid_template_columns": "repeat(3, 1fr)"}
                ),
                self.summary,
            ]
        )
        self.update()

    def update(self) -> None:
        """Recompute the review: missing clauses first, with the risk each leaves open."""
        self.result = clause_review([n for n, b in self.boxes.items() if b.value])
        missing = self.result[~self.result["included"]]
        self.summary.value = (
            f"<p><b>{len(missing)} of {len(self.result)} clauses missing.</b></p>"
            + table_html(missing[["clause", "settles", "risk_if_missing"]])
        )


# --------------------------------------------------------------------------- relationship health
def health_chart(health: pd.DataFrame, min_performance: float, max_cost_ratio: float) -> alt.LayerChart:
    """Each creator's performance vs benchmark (x) and cost vs campaign peers (y), coloured by the
    re-book / renegotiate / drop call, with the rule thresholds as dashed lines (log scales: ratios)."""
    data = health.dropna(subset=["performance_ratio", "cost_ratio"])
    data = data[(data["performance_ratio"] > 0) & (data["cost_ratio"] > 0)]
    points = (
        alt.Chart(data)
        .mark_circle(size=70, opacity=0.8)
        .encode(
            x=alt.X(
                "performance_ratio:Q", scale=alt.Scale(type="log"), title="Median ER / tier benchmark typical"
            ),
            y=alt.Y("cost_ratio:Q", scale=alt.Scale(type="log"), title="Cost per result / campaign median"),
            color=alt.Color(
                "recommendation:N",
                scale=alt.Scale(domain=list(DECISION_COLOURS), range=list(DECISION_COLOURS.values())),
                title="Call",
            ),
            tooltip=[
                "handle:N",
                "recommendation:N",
                "reasons:N",
                alt.Tooltip("health_score:Q", format=".0f"),
            ],
        )
    )
    vline = alt.Chart(pd.DataFrame({"x": [min_performance]})).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    hline = alt.Chart(pd.DataFrame({"y": [max_cost_ratio]})).mark_rule(strokeDash=[4, 4]).encode(y="y:Q")
    subtitle = "Dashed: the drop rule on performance and the renegotiate rule on cost (our thresholds)"
    return alt.layer(points, vline, hline).properties(
        title=alt.TitleParams("Relationship health of contracted creators", subtitle=subtitle)
    )


class HealthApp(WidgetApp):
    """Move the decision rules and see how many creators to re-book, renegotiate or drop, and why.

    Wraps `relationships.relationship_health`; `.result` is its frame, `.counts` the calls per decision.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = tables
        d = _HEALTH_DEFAULTS  # start from relationship_health's own defaults
        self.min_performance = widgets.FloatSlider(
            value=d["min_performance"],
            min=0.1,
            max=1.5,
            step=0.05,
            description="Min perf.",
            style={"description_width": "initial"},
        )
        self.max_late_posts = widgets.IntSlider(
            value=d["max_late_posts"],
            min=1,
            max=6,
            description="Max late",
            style={"description_width": "initial"},
        )
        self.max_cost_ratio = widgets.FloatSlider(
            value=d["max_cost_ratio"],
            min=1.0,
            max=4.0,
            step=0.1,
            description="Max cost",
            style={"description_width": "initial"},
        )
        self.cost_metric = widgets.Dropdown(
            options=["cpe", "cpm"],
            value=d["cost_metric"],
            description="Cost per",
            style={"description_width": "initial"},
        )
        self.creator = widgets.Dropdown(description="Creator", style={"description_width": "initial"})
        self.summary = widgets.HTML()
        self.detail = widgets.HTML()
        self.chart_out = widgets.Output()
        for control in (self.min_performance, self.max_late_posts, self.max_cost_ratio, self.cost_metric):
            control.observe(lambda _: self.update(), names="value")
        self.creator.observe(lambda _: self._detail(), names="value")
        rules = widgets.HBox(
            [self.min_performance, self.max_late_posts, self.max_cost_ratio, self.cost_metric]
        )
        self.widget = widgets.VBox([rules, self.summary, self.chart_out, self.creator, self.detail])
        self.update()

    def update(self) -> None:
        """Recompute health and calls with the current rules."""
        self.result = relationship_health(
            self.tables,
            cost_metric=self.cost_metric.value,
            min_performance=self.min_performance.value,
            max_late_posts=self.max_late_posts.value,
            max_cost_ratio=self.max_cost_ratio.value,
        )
        self.counts = (
            self.result["recommendation"].value_counts().reindex(list(DECISION_COLOURS), fill_value=0)
        )
        self.summary.value = "<p>" + ", ".join(f"<b>{n}</b> {k}" for k, n in self.counts.items()) + "</p>"
        self.chart = health_chart(self.result, self.min_performance.value, self.max_cost_ratio.value)
        keep = self.creator.value
        self.creator.options = [
            (f"@{h} ({r})", c)
            for c, h, r in zip(
                self.result["creator_id"], self.result["handle"], self.result["recommendation"], strict=True
            )
        ]
        self.creator.value = (
            keep if keep in set(self.result["creator_id"]) else self.result["creator_id"].iloc[0]
        )
        self._detail()
        render(self.chart_out, self.chart)

    def _detail(self) -> None:
        if self.creator.value is None:
            self.detail.value = ""
            return
        row = self.result.set_index("creator_id").loc[self.creator.value]
        self.detail.value = (
            f"<p><b>{html.escape(row['recommendation'])}</b> (health {row['health_score']:.0f}/100): "
            f"{html.escape(row['reasons'])}</p>"
        )


def team_ops_chart(ops: pd.DataFrame) -> alt.Chart:
    """Rates per campaign from `relationships.team_ops_metrics(tables, by="campaign_id")`: re-book, on-time
    posting, on-time payment and reply rate, one dot each (all are shares of 0 to 1)."""
    rates = ["rebook_rate", "on_time_posting_rate", "on_time_payment_rate", "reply_rate"]
    long = (
        ops[rates].reset_index().melt(id_vars=ops.index.name or "index", var_name="metric", value_name="rate")
    )
    key = ops.index.name or "index"
    return (
        alt.Chart(long)
        .mark_point(filled=True, size=70)
        .encode(
            x=alt.X("rate:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="Share"),
            y=alt.Y("metric:N", title=None, sort=rates),
            color=alt.Color("metric:N", legend=None),
            tooltip=[f"{key}:N", "metric:N", alt.Tooltip("rate:Q", format=".0%")],
        )
        .properties(title=alt.TitleParams("Team operations by campaign", subtitle="One dot per campaign"))
    )
