"""Module 06 app: negotiate one deal on every issue with a practice creator who remembers
(`analytics.negotiation`: the issues, their prices, the creator model, the round rule)."""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as widgets
import pandas as pd

from playbook.analytics.negotiation import (
    MAX_ROUNDS,
    MEDIA,
    TERRITORIES,
    Terms,
    agreement,
    fair_price,
    practice_creator,
    price_breakdown,
    respond,
    round_outcome,
    term_prices,
)
from playbook.analytics.pricing import band_text, contract_scenarios, fair_rate
from playbook.course.base import LABEL_STYLE, WidgetApp, table_html
from playbook.data.schemas import PLATFORM_FORMATS

__all__ = ["PAYMENT_DAYS", "NegotiationApp"]

PAYMENT_DAYS = (15, 30, 45, 60, 90)


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
        self.deal = widgets.Dropdown(options=options, value=default, description="Deal", style=LABEL_STYLE)
        self.offer = widgets.BoundedFloatText(
            value=0.0, min=0, max=10_000_000, description="Fee offer (USD)", style=LABEL_STYLE
        )
        self.pieces = widgets.BoundedIntText(value=1, min=1, max=20, description="Pieces", style=LABEL_STYLE)
        self.usage_months = widgets.IntSlider(
            value=0, min=0, max=24, description="Usage (months)", style=LABEL_STYLE
        )
        self.territory = widgets.Dropdown(
            options=list(TERRITORIES), description="Territory", style=LABEL_STYLE
        )
        self.media = widgets.Dropdown(options=list(MEDIA), description="Usage media", style=LABEL_STYLE)
        self.exclusivity = widgets.IntSlider(
            value=0, min=0, max=12, description="Exclusivity (months)", style=LABEL_STYLE
        )
        self.whitelisting = widgets.IntSlider(
            value=0, min=0, max=12, description="Whitelisting (months)", style=LABEL_STYLE
        )
        self.payment_days = widgets.Dropdown(
            options=list(PAYMENT_DAYS), value=30, description="Payment (Net days)", style=LABEL_STYLE
        )
        self.kill_fee = widgets.FloatSlider(
            value=0.0, min=0, max=1, step=0.05, description="Kill fee (share)", style=LABEL_STYLE
        )
        self.send_button = widgets.Button(description="Send offer", button_style="primary")
        self.restart_button = widgets.Button(description="Restart (they remember)", layout={"width": "auto"})
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
                widgets.GridBox(
                    list(self.issue_controls), layout={"grid_template_columns": "repeat(2, minmax(0, 1fr))"}
                ),
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
        self.creator = practice_creator(self.deal.value, per_piece)
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
        self.outcome = round_outcome(r.kind, len(self.history), self.max_rounds)
        if self.outcome == "agreed":
            self.agreed = terms
        if r.counter is not None:
            self.current_ask = float(r.counter)
        self.log.value = self._log_html()
        return r.kind

    def _log_html(self) -> str:
        rows = "".join(
            f"<li>Offer {r.round}: {r.offer:,.2f} USD: {html.escape(r.note)} (goodwill {r.goodwill:.0%})</li>"
            for r in self.history.itertuples()
        )
        end = ""
        if self.outcome == "agreed" and self.agreed is not None:
            a = agreement(self.agreed, self.creator, self.prices)
            end = (
                f"<p><b>Agreed at {self.agreed.fee:,.2f} USD</b> ({a.fee_vs_fair:.2f}x the fair price). "
                f"Expected effort {a.effort:.0%}; the brand's surplus {a.surplus:,.2f} USD; "
                f"their ask for the same terms next time: {a.next_ask:,.2f} USD.</p>"
            )
        elif self.outcome == "declined":
            end = "<p><b>The creator declined.</b> Restart: they remember this offer.</p>"
        elif self.outcome == "walked away":
            end = "<p><b>The creator walked away</b> after your last offer. Restart to try again.</p>"
        return f"<ol style='list-style:none;padding:0'>{rows}</ol>{end}"
