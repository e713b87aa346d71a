"""Multi-issue negotiation with a creator who remembers (module 06).

A deal is more than a fee. `Terms` holds the issues the course negotiates: fee, deliverables, usage rights
(term in months, territory, media), category exclusivity, whitelisting (ads run from the creator's handle:
Meta partnership ads, TikTok Spark Ads), payment terms and a kill fee.

Prices of the terms (`TermPrices`) come from the team's own contracts (usage uplifts it paid) and from
grade-"model" rows of the registry (our assumptions, named by id; no published figure sizes them):

    value of a package (USD)  = fair fee per piece x pieces x usage x exclusivity x whitelisting
    usage                     = 1 + min(cap, premium per month[media] x months x territory multiplier)
    exclusivity               = 1 + exclusivity premium per month x months
    whitelisting              = 1 + whitelisting premium per month x months
    creator's cost multiplier = (1 + payment premium x (days - 30) / 30) x (1 + cancellation premium x
                                (1 - kill fee share))
    fair price of a package   = value x creator's cost multiplier
    brand's cost              = fee x (1 + cancellation probability x kill fee share)
    brand's surplus           = value x brand value multiple x effort - brand's cost

Payment terms and the kill fee are where both sides can gain: they cost the creator more than they cost the
brand. The `Creator` has a private reservation price, an opening ask above it and **relationship memory**
(goodwill from 0 to 1): an offer below ``lowball_share_model`` of the fair price hurts goodwill, and lower
goodwill means a higher walk-away price, smaller concessions, a decline when it falls below the creator's
tolerance, lower effort on the content (``effort_floor_model`` at zero goodwill) and a higher ask at the next
booking. Everything about the creators is our model, not an industry rule; `simulate_openings` runs it over a
seeded population so the claim "lowballing does not pay" is a tested property of the model.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from playbook.analytics.pricing import usage_uplifts
from playbook.analytics.undefined import ratio
from playbook.data.registry import benchmark

__all__ = [
    "CONTRACT_CLAUSES",
    "MAX_ROUNDS",
    "MEDIA",
    "TERRITORIES",
    "Agreement",
    "Creator",
    "Deal",
    "Response",
    "TermPrices",
    "Terms",
    "agreement",
    "brand_cost",
    "brand_surplus",
    "clause_review",
    "creator_population",
    "effort",
    "fair_price",
    "negotiate",
    "package_value",
    "practice_creator",
    "price_breakdown",
    "respond",
    "round_outcome",
    "simulate_openings",
    "term_prices",
]

TERRITORIES: tuple[str, ...] = ("national", "regional", "global")
MEDIA: tuple[str, ...] = ("organic", "paid_social", "all_media")
# which of the team's usage_rights values prices a month of each medium: (usage_rights, months it covers)
USAGE_EVIDENCE: Mapping[str, tuple[str, int]] = {
    "organic": ("organic_30d", 1),
    "paid_social": ("paid_90d", 3),
}
PERPETUAL = "perpetual"
MODEL_IDS: Mapping[str, str] = {
    "regional": "usage_territory_regional_model",
    "global": "usage_territory_global_model",
    "all_media": "usage_media_all_model",
    "exclusivity": "exclusivity_premium_per_month_model",
    "whitelisting": "whitelisting_premium_per_month_model",
    "payment": "payment_premium_per_month_model",
    "cancellation_premium": "cancellation_premium_model",
    "cancellation_probability": "cancellation_probability_model",
    "lowball": "lowball_share_model",
    "effort_floor": "effort_floor_model",
    "brand_value": "brand_value_multiple_model",
}
# the brand's default tactics in the simulation (our choices)
BRAND_STEP = 0.5  # share of the gap to the creator's counter the brand closes each round
MAX_ROUNDS = 4  # offers before the creator walks away
REBOOK_RECOVERY = 0.5  # share of lost goodwill a creator recovers before the next booking
MEMORY_PREMIUM = 1.0  # next ask = ask x (1 + MEMORY_PREMIUM x (1 - goodwill))


# --------------------------------------------------------------------------- the issues
@dataclass(frozen=True)
class Terms:
    """One offer: fee (USD, all pieces) and the other issues of the deal."""

    fee: float
    deliverables: int = 1
    usage_months: int = 0
    territory: str = "national"
    media: str = "organic"
    exclusivity_months: int = 0
    whitelisting_months: int = 0
    payment_days: int = 30
    kill_fee_share: float = 0.0

    def __post_init__(self) -> None:
        checks = [
            ("fee", math.isfinite(self.fee) and self.fee >= 0, "a finite number >= 0"),
            ("deliverables", self.deliverables >= 1, "a whole number >= 1"),
            ("usage_months", self.usage_months >= 0, "months >= 0"),
            ("territory", self.territory in TERRITORIES, "one of " + ", ".join(TERRITORIES)),
            ("media", self.media in MEDIA, "one of " + ", ".join(MEDIA)),
            ("exclusivity_months", self.exclusivity_months >= 0, "months >= 0"),
            ("whitelisting_months", self.whitelisting_months >= 0, "months >= 0"),
            ("payment_days", 0 <= self.payment_days <= 365, "days from 0 to 365"),
            ("kill_fee_share", 0 <= self.kill_fee_share <= 1, "a share from 0 to 1"),
        ]
        for name, ok, expected in checks:
            if not ok:
                raise ValueError(f"Terms.{name}: expected {expected}, got {getattr(self, name)!r}")


@dataclass(frozen=True)
class TermPrices:
    """What each issue is worth, as fractions of the fee, with where each figure comes from."""

    usage_per_month: Mapping[str, float]
    usage_cap: float
    territory: Mapping[str, float]
    exclusivity_per_month: float
    whitelisting_per_month: float
    payment_per_month: float
    cancellation_premium: float
    cancellation_probability: float
    lowball_share: float
    effort_floor: float
    brand_value_multiple: float
    sources: Mapping[str, str] = field(default_factory=dict)


def term_prices(contracts: pd.DataFrame) -> TermPrices:
    """Prices of the issues: usage from the team's contracts, everything else from grade-"model" rows.

    Usage premium per month: organic = median uplift of ``organic_30d`` - 1 (one month); paid social =
    (median uplift of ``paid_90d`` - 1) / 3; all media = paid social x ``usage_media_all_model``; the cap is
    the median ``perpetual`` uplift - 1. Territory: national 1, regional and global from the model rows.
    """
    paid = usage_uplifts(contracts)
    missing = [u for u, _ in USAGE_EVIDENCE.values() if u not in paid] + (
        [PERPETUAL] * (PERPETUAL not in paid)
    )
    if missing:
        raise ValueError(f"contracts have no usage_rights {missing}: the usage prices are read from them")
    per_month = {m: (paid[u] - 1) / months for m, (u, months) in USAGE_EVIDENCE.items()}
    per_month["all_media"] = per_month["paid_social"] * benchmark(MODEL_IDS["all_media"]).value
    value = {k: benchmark(i).value for k, i in MODEL_IDS.items()}
    n = len(contracts)
    sources = {
        "usage": f"median uplifts paid in {n} team contracts (organic_30d, paid_90d, perpetual)",
        **{k: i for k, i in MODEL_IDS.items()},
    }
    return TermPrices(
        usage_per_month=per_month,
        usage_cap=paid[PERPETUAL] - 1,
        territory={"national": 1.0, "regional": value["regional"], "global": value["global"]},
        exclusivity_per_month=value["exclusivity"],
        whitelisting_per_month=value["whitelisting"],
        payment_per_month=value["payment"],
        cancellation_premium=value["cancellation_premium"],
        cancellation_probability=value["cancellation_probability"],
        lowball_share=value["lowball"],
        effort_floor=value["effort_floor"],
        brand_value_multiple=value["brand_value"],
        sources=sources,
    )


def _multipliers(terms: Terms, prices: TermPrices) -> dict[str, float]:
    """Each issue's multiplier (x): usage, exclusivity, whitelisting (value); payment, kill fee (cost)."""
    usage = prices.usage_per_month[terms.media] * terms.usage_months * prices.territory[terms.territory]
    return {
        "usage": 1 + min(prices.usage_cap, usage),
        "exclusivity": 1 + prices.exclusivity_per_month * terms.exclusivity_months,
        "whitelisting": 1 + prices.whitelisting_per_month * terms.whitelisting_months,
        "payment": 1 + prices.payment_per_month * (terms.payment_days - 30) / 30,
        "kill_fee": 1 + prices.cancellation_premium * (1 - terms.kill_fee_share),
    }


def price_breakdown(terms: Terms, fair_per_piece: float, prices: TermPrices) -> pd.DataFrame:
    """Each issue's multiplier: issue, multiplier (x), kind (value or creator's cost), source.

    The product of the "value" rows x fair fee per piece is `package_value`; of all rows, `fair_price`.
    """
    m = _multipliers(terms, prices)
    media = terms.media.replace("_", " ")
    rows = [
        ("pieces", float(terms.deliverables), "value", f"{fair_per_piece:,.2f} USD fair typical per piece"),
        (
            f"usage: {terms.usage_months} months, {terms.territory}, {media}",
            m["usage"],
            "value",
            prices.sources.get("usage", ""),
        ),
        (
            f"exclusivity: {terms.exclusivity_months} months",
            m["exclusivity"],
            "value",
            MODEL_IDS["exclusivity"],
        ),
        (
            f"whitelisting / partnership ads: {terms.whitelisting_months} months",
            m["whitelisting"],
            "value",
            MODEL_IDS["whitelisting"],
        ),
        (f"payment terms: Net-{terms.payment_days}", m["payment"], "creator's cost", MODEL_IDS["payment"]),
        (
            f"kill fee: {terms.kill_fee_share:.0%} of the fee",
            m["kill_fee"],
            "creator's cost",
            MODEL_IDS["cancellation_premium"],
        ),
    ]
    return pd.DataFrame(rows, columns=["issue", "multiplier", "kind", "source"])


def package_value(terms: Terms, fair_per_piece: float, prices: TermPrices) -> float:
    """What the content and rights are worth at the going rate (USD): fair per piece x pieces x usage x
    exclusivity x whitelisting."""
    m = _multipliers(terms, prices)
    return fair_per_piece * terms.deliverables * m["usage"] * m["exclusivity"] * m["whitelisting"]


def fair_price(terms: Terms, fair_per_piece: float, prices: TermPrices) -> float:
    """The fee a creator at the going rate asks for these terms (USD): package value x payment x kill fee."""
    m = _multipliers(terms, prices)
    return package_value(terms, fair_per_piece, prices) * m["payment"] * m["kill_fee"]


def brand_cost(terms: Terms, prices: TermPrices) -> float:
    """Expected cost to the brand (USD): fee x (1 + cancellation probability x kill fee share)."""
    return terms.fee * (1 + prices.cancellation_probability * terms.kill_fee_share)


def effort(goodwill: float, prices: TermPrices) -> float:
    """Share of the content's value a creator delivers: effort floor + (1 - floor) x goodwill."""
    return prices.effort_floor + (1 - prices.effort_floor) * goodwill


def brand_surplus(terms: Terms, fair_per_piece: float, prices: TermPrices, goodwill: float) -> float:
    """Brand's gain from a signed deal (USD): package value x brand value multiple x effort - brand's cost."""
    value = package_value(terms, fair_per_piece, prices) * prices.brand_value_multiple
    return value * effort(goodwill, prices) - brand_cost(terms, prices)


# --------------------------------------------------------------------------- the creator
@dataclass(frozen=True)
class Creator:
    """A practice creator (our model). Prices are per piece in USD, for a package at the going rate.

    reservation_share: their walk-away price / the fair typical (private); ask_markup: opening ask /
    walk-away price; pride: how hard a lowball hits goodwill (exponent); concession: share of the gap they
    give up per round at full goodwill; tolerance: the goodwill below which they decline; goodwill: memory.
    """

    fair_per_piece: float
    reservation_share: float = 0.9
    ask_markup: float = 1.3
    pride: float = 2.0
    concession: float = 0.5
    tolerance: float = 0.6
    goodwill: float = 1.0

    def ask(self, terms: Terms, prices: TermPrices) -> float:
        """Opening ask for the terms (USD): fair price x reservation share x markup x memory premium."""
        memory = 1 + MEMORY_PREMIUM * (1 - self.goodwill)
        return (
            fair_price(terms, self.fair_per_piece, prices) * self.reservation_share * self.ask_markup * memory
        )

    def walk_away(self, terms: Terms, prices: TermPrices) -> float:
        """Lowest fee they accept (USD): fair price x reservation share x (2 - goodwill)."""
        return fair_price(terms, self.fair_per_piece, prices) * self.reservation_share * (2 - self.goodwill)


@dataclass(frozen=True)
class Response:
    """The creator's answer: "accepted", "countered" or "declined", a counter fee, goodwill after, why."""

    kind: str
    counter: float | None
    creator: Creator
    note: str


def respond(creator: Creator, terms: Terms, current_ask: float, prices: TermPrices) -> Response:
    """How the creator answers an offer.

    lowball = fee / fair price of the package; below ``lowball_share`` goodwill x= (lowball / share) ^ pride.
    Goodwill below tolerance: declined. Fee >= min(current ask, walk-away): accepted. Otherwise countered at
    max(walk-away, ask - concession x goodwill x (ask - fee)).
    """
    fair = fair_price(terms, creator.fair_per_piece, prices)
    share = terms.fee / fair if fair > 0 else math.inf
    note = ""
    if share < prices.lowball_share:
        hit = (share / prices.lowball_share) ** creator.pride
        creator = replace(creator, goodwill=creator.goodwill * hit)
        note = f"the offer is {share:.0%} of the fair price of these terms: the creator feels lowballed. "
    if creator.goodwill < creator.tolerance:
        return Response("declined", None, creator, note + "They decline and will remember it.")
    floor = creator.walk_away(terms, prices)
    if terms.fee >= min(current_ask, floor):
        return Response("accepted", None, creator, note + "The creator accepts.")
    counter = max(floor, current_ask - creator.concession * creator.goodwill * (current_ask - terms.fee))
    counter = min(counter, current_ask)
    return Response("countered", round(counter, 2), creator, note + f"They counter at {counter:,.2f} USD.")


def round_outcome(kind: str, rounds: int, max_rounds: int = MAX_ROUNDS) -> str:
    """Where a negotiation stands after the creator's ``kind`` of response ("accepted", "declined" or
    "countered") to offer number ``rounds``: "agreed", "declined", "walked away" (countered after the last of
    ``max_rounds`` offers) or "open"."""
    if kind == "accepted":
        return "agreed"
    if kind == "declined":
        return "declined"
    return "walked away" if rounds >= max_rounds else "open"


@dataclass(frozen=True)
class Deal:
    """Outcome of one negotiation: "agreed", "declined" or "walked away", the fee, rounds, goodwill after."""

    outcome: str
    fee: float
    rounds: int
    creator: Creator
    surplus: float


def negotiate(
    creator: Creator,
    terms: Terms,
    opening: float,
    prices: TermPrices,
    *,
    step: float = BRAND_STEP,
    max_rounds: int = MAX_ROUNDS,
) -> Deal:
    """Play a negotiation: the brand opens at ``opening`` (USD) with ``terms`` and closes ``step`` of the gap
    to each counter. Surplus: `brand_surplus` when agreed, 0 when there is no deal."""
    ask = creator.ask(terms, prices)
    offer = opening
    for round_ in range(1, max_rounds + 1):
        response = respond(creator, replace(terms, fee=offer), ask, prices)
        creator = response.creator
        outcome = round_outcome(response.kind, round_, max_rounds)
        if outcome == "agreed":
            signed = replace(terms, fee=offer)
            surplus = brand_surplus(signed, creator.fair_per_piece, prices, creator.goodwill)
            return Deal("agreed", offer, round_, creator, surplus)
        if outcome != "open":
            return Deal(outcome, math.nan, round_, creator, 0.0)
        ask = float(response.counter)  # type: ignore[arg-type]
        offer = offer + step * (ask - offer)
    return Deal("walked away", math.nan, max_rounds, creator, 0.0)


# --------------------------------------------------------------------------- simulation
def creator_population(n: int, fair_per_piece: float, seed: int = 0) -> list[Creator]:
    """``n`` creators drawn uniformly (our choices): reservation share 0.7-1.1, ask markup 1.1-1.6, pride
    1-3, concession 0.3-0.6, tolerance 0.5-0.8; all start at full goodwill."""
    rng = np.random.default_rng(seed)
    draws = {
        "reservation_share": rng.uniform(0.7, 1.1, n),
        "ask_markup": rng.uniform(1.1, 1.6, n),
        "pride": rng.uniform(1.0, 3.0, n),
        "concession": rng.uniform(0.3, 0.6, n),
        "tolerance": rng.uniform(0.5, 0.8, n),
    }
    return [Creator(fair_per_piece, **{k: float(v[i]) for k, v in draws.items()}) for i in range(n)]


def practice_creator(contract_id: str, fair_per_piece: float) -> Creator:
    """The practice creator of a deal: one draw of `creator_population` seeded with the CRC-32 of
    ``contract_id``, so the same deal always meets the same creator (at full goodwill)."""
    return creator_population(1, fair_per_piece, seed=zlib.crc32(contract_id.encode()))[0]


@dataclass(frozen=True)
class Agreement:
    """What a signed deal means (USD): the fair price of its terms, fee / fair price (NaN with a reason when
    the fair price is 0), the creator's expected effort, the brand's surplus and the creator's ask for the
    same terms next time (their goodwill as it stands)."""

    fair_price: float
    fee_vs_fair: float
    effort: float
    surplus: float
    next_ask: float


def agreement(terms: Terms, creator: Creator, prices: TermPrices) -> Agreement:
    """`Agreement` of ``terms`` signed with ``creator``: `fair_price`, fee / fair price, `effort` at their
    goodwill, `brand_surplus` and `Creator.ask` for the same terms."""
    fair = fair_price(terms, creator.fair_per_piece, prices)
    return Agreement(
        fair_price=fair,
        fee_vs_fair=ratio(terms.fee, fair, "fee / fair price"),
        effort=effort(creator.goodwill, prices),
        surplus=brand_surplus(terms, creator.fair_per_piece, prices, creator.goodwill),
        next_ask=creator.ask(terms, prices),
    )


def _opening(kind: str | float, creator: Creator, terms: Terms, prices: TermPrices) -> float:
    """The brand's first offer: "fair" = the fair price of the terms; a number = that share of the ask."""
    if kind == "fair":
        return fair_price(terms, creator.fair_per_piece, prices)
    return float(kind) * creator.ask(terms, prices)


def simulate_openings(
    openings: Sequence[str | float],
    terms: Terms,
    prices: TermPrices,
    *,
    fair_per_piece: float = 1000.0,
    n: int = 400,
    seed: int = 0,
) -> pd.DataFrame:
    """Each opening against the same seeded creators, twice: this campaign and the re-booking.

    Between bookings a creator recovers ``REBOOK_RECOVERY`` of lost goodwill; a creator who declined or
    walked away is not re-booked (surplus 0). Returns one row per opening: mean surplus of each booking
    and in total (USD), agreed share, mean fee / fair price, mean goodwill after, decline share.
    """
    fair = fair_price(terms, fair_per_piece, prices)
    rows = []
    for kind in openings:
        totals, first, second, agreed, fees, goodwill, declined = [], [], [], [], [], [], []
        for creator in creator_population(n, fair_per_piece, seed):
            deal = negotiate(creator, terms, _opening(kind, creator, terms, prices), prices)
            again = 0.0
            if deal.outcome == "agreed":
                c = deal.creator
                recovered = replace(c, goodwill=c.goodwill + REBOOK_RECOVERY * (1 - c.goodwill))
                # the re-booking opens fairly: the memory of the first deal is what differs
                again = negotiate(
                    recovered, terms, _opening("fair", recovered, terms, prices), prices
                ).surplus
            first.append(deal.surplus)
            second.append(again)
            totals.append(deal.surplus + again)
            agreed.append(deal.outcome == "agreed")
            fees.append(deal.fee / fair)
            goodwill.append(deal.creator.goodwill)
            declined.append(deal.outcome == "declined")
        rows.append(
            {
                "opening": kind if isinstance(kind, str) else f"{kind:.0%} of the ask",
                "surplus_first": float(np.mean(first)),
                "surplus_rebooking": float(np.mean(second)),
                "surplus_total": float(np.mean(totals)),
                "agreed_share": float(np.mean(agreed)),
                "fee_vs_fair": float(np.nanmean(fees)) if any(agreed) else math.nan,
                "goodwill_after": float(np.mean(goodwill)),
                "declined_share": float(np.mean(declined)),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- contract clauses
CONTRACT_CLAUSES: tuple[tuple[str, str, str], ...] = (
    (
        "deliverables and dates",
        "what is posted, where, in which format, by when, and how many revision rounds",
        "a dispute about what was bought; late or missing posts with no remedy",
    ),
    (
        "approval rights",
        "the brand reviews drafts before posting, within a stated number of days and rounds",
        "off-brief or non-compliant content goes live; or endless revisions the creator did not price",
    ),
    (
        "disclosure",
        "the creator discloses the relationship clearly in every post, as the rules of the audience's "
        "country require (module 05), and the brand checks it",
        "the brand answers for undisclosed advertising too (FTC, CMA and ASA hold both sides responsible)",
    ),
    (
        "IP ownership and licence",
        "who owns the content (usually the creator) and what licence the brand gets",
        "the brand cannot reuse the content, or the creator loses rights they did not mean to sell",
    ),
    (
        "usage rights: term, territory, media",
        "how long, in which countries and in which media (organic, paid social, all media) the brand may "
        "use the content, each priced",
        "unpaid usage the creator objects to, or paying for rights nobody uses",
    ),
    (
        "exclusivity",
        "which competing brands the creator may not work with, for how long, priced per month",
        "the creator posts for a competitor next week; or an unpaid restriction that sours the relationship",
    ),
    (
        "whitelisting / partnership ads / Spark Ads",
        "permission to run ads from the creator's handle (Meta partnership ads, TikTok Spark Ads), for how "
        "long and with what spend cap, priced per month",
        "ads cannot run from the handle, or run longer than the creator agreed",
    ),
    (
        "payment terms and invoicing",
        "amount, currency, Net days, what triggers the invoice, late-payment interest",
        "late payment, the commonest complaint of creators (module 06 team metrics)",
    ),
    (
        "tax forms",
        "the forms the payer needs before paying, by jurisdiction (in the US: Form W-9 from a US creator, "
        "W-8BEN from a foreign individual; Form 1099-NEC reports the payments)",
        "payments held at year end, or withholding the brand did not plan",
    ),
    (
        "kill fee",
        "what the creator is paid if the brand cancels after signing (a share of the fee)",
        "the creator prices the risk into the fee, or walks away from the next deal",
    ),
    (
        "termination",
        "when either side may end the deal (breach, missed dates, conduct) and what is owed",
        "no way out of a deal that has gone wrong",
    ),
    (
        "morals clause",
        "the brand may end the deal if the creator's conduct harms the brand (and the reverse)",
        "the brand is tied to a creator in a scandal",
    ),
)
"""(clause, what it settles, risk when it is missing): the checklist of module 06. Practice, not law:
the course does not give legal advice."""


def clause_review(included: Sequence[str]) -> pd.DataFrame:
    """The checklist with ``included`` marked: clause, included, what it settles, risk when missing.

    Missing clauses come first. Raises ValueError for a clause name the checklist does not have.
    """
    names = [c for c, _, _ in CONTRACT_CLAUSES]
    unknown = sorted(set(included) - set(names))
    if unknown:
        raise ValueError(f"unknown clause(s) {unknown}; expected some of {names}")
    out = pd.DataFrame(CONTRACT_CLAUSES, columns=["clause", "settles", "risk_if_missing"])
    out.insert(1, "included", out["clause"].isin(list(included)))
    return out.sort_values("included", kind="stable").reset_index(drop=True)
