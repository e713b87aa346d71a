"""Verdicts of a campaign report from a written rule set: the label, the findings that matter, the next step.

Every judgement a report makes is one of the rules below, with its threshold in `VerdictRules`; the report's
appendix prints `rules_text(rules)`, built from the same parameters, so prose never restates a threshold.

Rules (thresholds are our reporting choices unless a source is named):
- targets: each primary KPI of the objective (`PRIMARY_KPIS`) with a target is met when actual >= target;
  "no targets set" when no primary KPI has one (a missing target is never "met").
- break-even: full-cost ROAS = attributed revenue / full cost; below `break_even_roas` (1: revenue = cost)
  the campaign lost money on direct sales; margin ROI = (attributed margin - full cost) / full cost, below
  `break_even_margin_roi` (0) it lost money on margin. A conversion or consideration campaign that lost
  money can never read "on target"; an awareness campaign is judged on its awareness KPIs, and its findings
  still say what direct sales returned against the cost.
- significance: an incrementality test whose 95% interval of iROAS contains 0 is "not statistically
  significant" (the lift could be nothing).
- disclosure: every sponsored post must carry a clear and conspicuous disclosure (FTC Endorsement Guides,
  16 CFR 255.0(f) and 255.5, 2023); more than `max_undisclosed_share` not properly disclosed is a
  compliance failure.
- cost outlier: a creator whose fee CPM (fee / impressions x 1,000) is above `cpm_outlier_factor` x the high
  end of the published band for the platform (`planning.cpm_band`, same currency only).
- concentration: one creator taking more than `max_creator_cost_share` of the full cost.
- budget: the budget excludes staff (data dictionary, `campaigns.budget`), so spend against budget is the
  full cost without staff hours.
- creator calls: in a conversion campaign a creator with fewer than `min_orders_to_rebook` attributed orders
  is never re-booked; our late payments are a note for us, not a reason about the creator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

__all__ = [
    "PRIMARY_KPIS",
    "RULES",
    "CampaignEvidence",
    "CampaignVerdict",
    "CreatorCall",
    "CreatorCost",
    "Finding",
    "KpiResult",
    "VerdictRules",
    "campaign_verdict",
    "covers_cost",
    "creator_call",
    "rules_text",
]

# Our reporting choice after industry-facts.md section 7 item 14 (KPI tree by objective): the KPIs that
# decide the verdict.
PRIMARY_KPIS: dict[str, tuple[str, ...]] = {
    "awareness": ("reach",),
    "consideration": ("er_by_reach", "link_clicks"),
    "conversion": ("attributed_orders", "roas"),
}
# The late-payment note of `relationships.relationship_health` reasons: about us, not the creator.
_OUR_LATE_PAYMENTS = "we paid "


@dataclass(frozen=True)
class VerdictRules:
    """Thresholds of the rule set (see the module docstring); the appendix prints them from here."""

    break_even_roas: float = 1.0
    break_even_margin_roi: float = 0.0
    max_undisclosed_share: float = 0.0
    cpm_outlier_factor: float = 2.0
    max_creator_cost_share: float = 0.5
    min_orders_to_rebook: int = 1
    findings_in_summary: int = 3


RULES = VerdictRules()


@dataclass(frozen=True)
class KpiResult:
    """One KPI against its target (target NaN: none set)."""

    kpi: str
    label: str
    actual: float
    target: float

    @property
    def has_target(self) -> bool:
        return not math.isnan(self.target)

    @property
    def met(self) -> bool | None:
        """actual >= target; None when there is no target or the actual is undefined."""
        if not self.has_target or math.isnan(self.actual):
            return None
        return bool(self.actual >= self.target)


@dataclass(frozen=True)
class CreatorCost:
    """One creator's cost and fee CPM against the published band of the platform (NaN: no band)."""

    handle: str
    cost: float
    fee_cpm: float = math.nan
    band_low: float = math.nan
    band_high: float = math.nan


@dataclass(frozen=True)
class CampaignEvidence:
    """What the rules read; NaN is unknown (never zero). Amounts in the campaign's currency."""

    objective: str
    kpis: tuple[KpiResult, ...]
    full_cost: float
    cost_in_budget: float  # full cost without staff hours: the scope of the budget
    budget: float
    revenue: float
    margin: float
    iroas: float = math.nan
    iroas_ci_low: float = math.nan
    iroas_ci_high: float = math.nan
    sponsored_posts: int = 0
    posts_with_caption: int = 0
    undisclosed_posts: int = 0
    creators: tuple[CreatorCost, ...] = ()
    late_payments: int = 0
    currency: str = ""


@dataclass(frozen=True)
class Finding:
    """One judgement: `rule` (a key of `rules_text`), severity (0 most important), text and next step."""

    rule: str
    severity: int
    text: str
    next_step: str = ""


@dataclass(frozen=True)
class CampaignVerdict:
    """The label and tone (good, warn, bad, neutral) of the headline, its reason and the ranked findings."""

    label: str
    tone: str
    text: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    next_step: str = ""

    def top(self, rules: VerdictRules = RULES) -> tuple[Finding, ...]:
        """The findings for the executive summary (`findings_in_summary` of them)."""
        return self.findings[: rules.findings_in_summary]


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _money(value: float, currency: str) -> str:
    return f"{value:,.0f} {currency}".strip()


def margin_roi(margin: float, full_cost: float) -> float:
    """(attributed margin - full cost) / full cost; NaN when either is unknown or the cost is 0."""
    if math.isnan(margin) or math.isnan(full_cost) or full_cost == 0:
        return math.nan
    return (margin - full_cost) / full_cost


def is_significant(ci_low: float, ci_high: float) -> bool | None:
    """False when the 95% interval contains 0, True when it does not, None without an interval."""
    if math.isnan(ci_low) or math.isnan(ci_high):
        return None
    return not (ci_low <= 0 <= ci_high)


def covers_cost(roas: float, rules: VerdictRules = RULES) -> bool | None:
    """The break-even rule on full-cost ROAS (attributed revenue / full cost): True when it reaches
    `rules.break_even_roas` (1: revenue = cost), False below it (the campaign lost money on direct
    sales), None when ROAS is undefined."""
    if math.isnan(roas):
        return None
    return roas >= rules.break_even_roas


def _loss(e: CampaignEvidence, rules: VerdictRules) -> Finding | None:
    if math.isnan(e.full_cost) or e.full_cost <= 0 or math.isnan(e.revenue):
        return None
    roas = e.revenue / e.full_cost
    m_roi = margin_roi(e.margin, e.full_cost)
    on_margin = not math.isnan(m_roi) and m_roi < rules.break_even_margin_roi
    covered = covers_cost(roas, rules)
    if covered and not on_margin:
        return None
    cur = e.currency
    if not covered:
        text = (
            f"Lost money on direct sales: attributed revenue {_money(e.revenue, cur)} against a full cost of "
            f"{_money(e.full_cost, cur)} (ROAS {roas:.2f}, break-even {rules.break_even_roas:g})"
        )
    else:
        text = f"Revenue covered the full cost (ROAS {roas:.2f}), but not on margin"
    if not math.isnan(m_roi):
        text += f"; margin ROI {m_roi:.0%}"
    if e.objective == "awareness":
        text = f"{text}. An awareness campaign: judged on reach, this is what direct sales returned"
        step = "Judge the next awareness campaign on reach and CPM; do not expect it to pay back in sales."
        return Finding("break-even", 3, text + ".", step)
    step = "Cut cost per order before re-running: fewer, cheaper creators with proven orders, or lower fees."
    return Finding("break-even", 0, text + ".", step)


def _significance(e: CampaignEvidence) -> Finding | None:
    significant = is_significant(e.iroas_ci_low, e.iroas_ci_high)
    if significant is None:
        return None
    interval = f"iROAS {e.iroas:.2f}, 95% interval {e.iroas_ci_low:.2f} to {e.iroas_ci_high:.2f}"
    if significant:
        return Finding(
            "significance", 4, f"The holdout test shows a statistically significant lift ({interval})."
        )
    return Finding(
        "significance",
        1,
        f"The lift is not statistically significant: {interval} includes 0, so the campaign may have added "
        "no sales at all.",
        "Repeat the holdout with more geos or a longer test before scaling the spend.",
    )


def _disclosure(e: CampaignEvidence, rules: VerdictRules) -> Finding | None:
    if e.posts_with_caption == 0:
        return None
    share = e.undisclosed_posts / e.posts_with_caption
    if share <= rules.max_undisclosed_share:
        return None
    most = "Most" if share > 0.5 else "Some"
    return Finding(
        "disclosure",
        0 if share > 0.5 else 2,
        f"{most} sponsored posts were not properly disclosed: {e.undisclosed_posts} of "
        f"{e.posts_with_caption} ({_pct(share)}), a legal risk under the FTC Endorsement Guides.",
        "Have every creator fix the disclosure of the live posts (#ad in the first line) and check captions "
        "before approval.",
    )


def _cost_outliers(e: CampaignEvidence, rules: VerdictRules) -> Finding | None:
    """One finding naming every creator whose fee CPM is above `cpm_outlier_factor` x the band's high end,
    dearest first."""
    over = [
        c
        for c in e.creators
        if not (math.isnan(c.fee_cpm) or math.isnan(c.band_high))
        and c.fee_cpm > rules.cpm_outlier_factor * c.band_high
    ]
    if not over:
        return None
    over.sort(key=lambda c: c.fee_cpm / c.band_high, reverse=True)
    named = ", ".join(
        f"@{c.handle} {c.fee_cpm:,.0f} per 1,000 impressions (band {c.band_low:,.0f} to {c.band_high:,.0f})"
        for c in over[:3]
    )
    more = f" and {len(over) - 3} more" if len(over) > 3 else ""
    return Finding(
        "cost-outlier",
        2,
        f"Creator fees far above the published CPM band (over {rules.cpm_outlier_factor:g}x its high end): "
        f"{named}{more}.",
        f"Renegotiate @{over[0].handle}'s fee towards the published CPM band.",
    )


def _concentration(e: CampaignEvidence, rules: VerdictRules) -> Finding | None:
    """The creator with the largest creator cost, when it is more than `max_creator_cost_share` of the
    campaign's full cost (and there are at least two creators)."""
    costs = [c for c in e.creators if not math.isnan(c.cost)]
    if len(costs) < 2 or math.isnan(e.full_cost) or e.full_cost <= 0:
        return None
    top = max(costs, key=lambda c: c.cost)
    share = top.cost / e.full_cost
    if share <= rules.max_creator_cost_share:
        return None
    return Finding(
        "concentration",
        2,
        f"One creator took most of the budget: @{top.handle} cost {_money(top.cost, e.currency)}, "
        f"{_pct(share)} of the full cost.",
        "Spread the budget over more creators so one result does not decide the campaign.",
    )


def _budget(e: CampaignEvidence) -> Finding | None:
    if math.isnan(e.budget) or math.isnan(e.cost_in_budget) or e.budget <= 0:
        return None
    use = e.cost_in_budget / e.budget
    if use <= 1:
        return None
    return Finding(
        "budget",
        2,
        f"Over budget: spend without staff {_money(e.cost_in_budget, e.currency)} is {_pct(use)} of the "
        f"budget of {_money(e.budget, e.currency)}.",
        "Hold the next campaign's contracts to the budget before signing.",
    )


def _late_payments(e: CampaignEvidence) -> Finding | None:
    if e.late_payments <= 0:
        return None
    n = e.late_payments
    return Finding(
        "our-payments",
        5,
        f"We paid {n} creator invoice{'s' if n != 1 else ''} late.",
        "Pay invoices on their terms.",
    )


def _targets(e: CampaignEvidence) -> tuple[list[KpiResult], list[KpiResult], list[KpiResult]]:
    primary = [k for k in e.kpis if k.kpi in PRIMARY_KPIS.get(e.objective, ())]
    with_target = [k for k in primary if k.has_target]
    met = [k for k in with_target if k.met]
    return primary, with_target, met


def campaign_verdict(e: CampaignEvidence, rules: VerdictRules = RULES) -> CampaignVerdict:
    """The headline label and tone, its one-line reason and the findings ranked by severity.

    Label: "no targets set" (no primary KPI has a target), else "on target" (every primary KPI with a target
    met), "partly on target" or "off target"; a conversion or consideration campaign that lost money on full
    cost or margin (rule break-even) reads "... but lost money" and is never good.
    """
    primary, with_target, met = _targets(e)
    loss = _loss(e, rules)
    lost_money = loss is not None and loss.severity == 0
    if not with_target:
        label, tone = "no targets set", "neutral"
        text = "The data sets no target for the primary KPIs of a " + e.objective + " campaign"
    else:
        n, total = len(met), len(with_target)
        label = "on target" if n == total else "off target" if n == 0 else "partly on target"
        tone = "good" if n == total else "bad" if n == 0 else "warn"
        text = f"{n} of {total} primary KPI{'s' if total != 1 else ''} with a target met"
        undefined = [k.label for k in with_target if k.met is None]
        if undefined:
            text += f" ({', '.join(undefined)} not measurable)"
    if lost_money:
        label = f"{label}, but lost money" if label != "off target" else "off target, lost money"
        tone = "bad" if tone in ("bad", "neutral") or label.startswith("off") else "warn"
    missing = [k.label for k in primary if not k.has_target]
    if missing and with_target:
        text += f"; no target set for {', '.join(missing)}"
    found = [
        loss,
        _significance(e),
        _disclosure(e, rules),
        _cost_outliers(e, rules),
        _concentration(e, rules),
        _budget(e),
        _late_payments(e),
    ]
    ranked = tuple(sorted((f for f in found if f is not None), key=lambda f: f.severity))
    step = next((f.next_step for f in ranked if f.next_step and f.severity <= 2), "")
    if not step:
        step = (
            "Set targets for the primary KPIs before the next campaign."
            if not with_target
            else "Re-book the creators with the best results and keep the set-up."
            if tone == "good"
            else "Keep the creators who met their numbers and replace the rest."
        )
    return CampaignVerdict(label, tone, text, ranked, step)


@dataclass(frozen=True)
class CreatorCall:
    """A creator's call after the objective rule, with the reasons that decided it."""

    call: str
    reasons: str


def creator_call(
    objective: str,
    orders: float,
    recommendation: str,
    reasons: str,
    rules: VerdictRules = RULES,
) -> CreatorCall:
    """`relationships.relationship_health`'s call, adjusted for the objective.

    Conversion campaigns: fewer than `min_orders_to_rebook` attributed orders (0 by default) turns re-book
    into drop (NaN orders: no tracking, the call stands with a note). The late-payment note (about us, not
    the creator) is removed from the reasons: the campaign's findings state it once.
    """
    kept = [r for r in str(reasons).split("; ") if r and not r.startswith(_OUR_LATE_PAYMENTS)]
    if objective == "conversion":
        if math.isnan(orders):
            kept.append("orders not measurable (no code or tracked link)")
        elif orders < rules.min_orders_to_rebook:
            kept = [r for r in kept if r != "no rule fired"]
            kept.insert(
                0,
                f"{orders:.0f} attributed orders in a conversion campaign (rule: re-book needs at "
                f"least {rules.min_orders_to_rebook})",
            )
            return CreatorCall("drop", "; ".join(kept))
    return CreatorCall(recommendation, "; ".join(kept) or "no rule fired")


def rules_text(rules: VerdictRules = RULES) -> list[tuple[str, str, str]]:
    """(rule, what it says with its threshold, source) for the report's appendix, from `rules`."""
    primary = "; ".join(f"{o}: {', '.join(k)}" for o, k in PRIMARY_KPIS.items())
    ours = "our reporting rule"
    return [
        (
            "targets",
            f"primary KPIs by objective ({primary}); met when actual >= target; no target set is never met",
            ours,
        ),
        (
            "break-even",
            f"lost money when full-cost ROAS < {rules.break_even_roas:g} or margin ROI < "
            f"{rules.break_even_margin_roi:.0%}; a conversion or consideration campaign that lost money is "
            "never on target; an awareness campaign is judged on reach and told what sales returned",
            ours,
        ),
        ("significance", "not statistically significant when the 95% interval of iROAS contains 0", ours),
        (
            "disclosure",
            f"a compliance failure when more than {rules.max_undisclosed_share:.0%} of sponsored "
            "posts with a caption are not properly disclosed",
            "FTC Endorsement Guides, 16 CFR 255.0(f) and 255.5 (2023)",
        ),
        (
            "cost-outlier",
            f"a creator's fee CPM above {rules.cpm_outlier_factor:g}x the high end of the "
            "published band of the platform",
            ours + "; bands from the benchmark registry",
        ),
        (
            "concentration",
            f"one creator taking more than {rules.max_creator_cost_share:.0%} of the campaign's full cost",
            ours,
        ),
        (
            "budget",
            "spend without staff hours against the budget, which excludes staff (data dictionary)",
            ours,
        ),
        (
            "creator call",
            f"in a conversion campaign, fewer than {rules.min_orders_to_rebook} attributed "
            "order(s) is never re-book; our late payments are not a reason about the creator",
            ours,
        ),
        ("summary", f"the {rules.findings_in_summary} most severe findings are shown first", ours),
    ]


def rule_parameters(rules: VerdictRules = RULES) -> dict[str, float]:
    """The thresholds by name (for the metrics JSON and tests)."""
    return {f.name: getattr(rules, f.name) for f in fields(rules)}
