"""The report's context: checked parameters, the data and the headline figures every section reads.

`build_context` is a report notebook's first call (`sections.build_context`, re-exported). The context
records, as sections run, the benchmarks they cite and the definitions they use (`ReportContext.cite`,
`ReportContext.define`), so the appendix lists exactly what the report used; `DEFINITIONS` and `SOURCES` are
those definitions and their reference pages.

The tables come from `data.cache.load_tables` (this kernel's memory, the user's cache or a validated load) as
shallow copies, so a report cannot change what the next report sees. Results several sections share are
kept in `ReportContext.memo` (see `reports.figures.report`). Nothing here draws: the kernel start-up that
imports the charts is `sections.startup`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from playbook.analytics.attribution import campaign_attribution, campaign_orders, campaign_window_days
from playbook.analytics.metrics import INTERACTIONS_ALL, ERBasis
from playbook.analytics.relationships import DEFAULT_HEALTH_RULES
from playbook.analytics.summary import campaign_figures
from playbook.data.cache import (
    Fingerprint,
    campaign_currencies,
    data_fingerprint,
    load_tables,
)
from playbook.data.registry import DEFAULT_TIER_PRESET, Benchmark, benchmark
from playbook.reports.html import esc, link
from playbook.reports.params import DEFAULT_ER_BASIS, check_campaign_ids, check_params

__all__ = [
    "DEFINITIONS",
    "SOURCES",
    "ReportContext",
    "build_context",
    "source_link",
]

# Reference pages of the definitions (definitions, not figures: figures come from the benchmark registry).
SOURCES: dict[str, tuple[str, str]] = {
    "er": (
        "https://influencerdb.net/blog/ignoring-engagement-disastrous-for-influencer-marketing/",
        "influencerdb: always state the denominator",
    ),
    "cpm": ("https://influencer-hero.com/blogs/influencer-cpm", "Influencer Hero: influencer CPM"),
    "cpe": (
        "https://katha-ads.com/blog/cost-per-engagement-cpe-in-influencer-marketing",
        "Katha: CPE and the total cost beyond fees",
    ),
    "cpa": (
        "https://www.yumpu.com/en/document/view/68767084/100-101-digital-marketing-associate-study-guide-2022/6",
        "Meta Blueprint glossary: cost per action",
    ),
    "roas": (
        "https://help.modash.io/en/articles/13717414-tracking-sales-and-revenue-per-creator",
        "Modash: sales, revenue and ROAS per creator",
    ),
    "lift": (
        "https://www.influencers-time.com/holdout-tests-for-measuring-influencer-incremental-lift/",
        "Influencers-Time: holdout tests",
    ),
    "conversion": ("https://taglab.net/?p=20597", "Taglab: conversion rate"),
    "disclosure": (
        "https://www.ftc.gov/business-guidance/resources/disclosures-101-social-media-influencers",
        "FTC: Disclosures 101 for Social Media Influencers (2019)",
    ),
}
# Definitions a section uses by name: term -> (definition, key of SOURCES; "" = our reporting rule).
DEFINITIONS: dict[str, tuple[str, str]] = {
    "Full cost": (
        "creator fees + product + shipping + platform/agency fees + paid amplification + staff hours x hour "
        "cost (metrics.campaign_cost)",
        "cpe",
    ),
    "Actual / target, verdict": (
        "actual / target per KPI (a target of 0 or none is no target); the verdict, the findings and the "
        "calls follow the rules listed below with their thresholds (analytics.verdicts)",
        "",
    ),
    "Creator cost": ("fee + gifted product + shipping of the creator's contract", "cpe"),
    "CPE, ROAS per creator": ("creator cost / engagements; attributed revenue / creator cost", "roas"),
    "Call (re-book / renegotiate / drop)": (
        "relationships.relationship_health on this campaign's deliverables: "
        + DEFAULT_HEALTH_RULES.describe(),
        "",
    ),
    "Health score": (
        "100 x weighted mean of on-time posting, revisions, ER against the tier band, cost against peers "
        "and our on-time payment (relationships.DEFAULT_HEALTH_WEIGHTS)",
        "",
    ),
    "CPM (fees)": ("creator fees / impressions x 1,000, the basis of the published CPMs", "cpm"),
    "Planned dates": (
        "shipped = due - shipping lead (low end of shipping_lead_days_heepsy); draft = due - draft lead "
        "(low end of draft_lead_days_model); approved = due - 1 day; posted = due date; paid = invoiced + "
        "payment terms (planning.campaign_timeline)",
        "",
    ),
    "Funnel stages": (
        "creators contacted, replying, negotiating and agreeing (outreach), contracted (contracts), then "
        "with every deliverable posted, invoiced and paid (deliverables)",
        "",
    ),
    "Paid late": ("paid after invoiced date + payment terms (relationships.deliverable_status)", ""),
    "Conversion rate (click-based)": (
        "orders credited to a tracking link / link clicks: orders by promo code have no click and are left "
        "out, so the rate compares like with like against the click-based benchmark",
        "conversion",
    ),
    "Leak score": (
        "weighted Stouffer sum of binomial z-scores of code-order signals (no tracked click, far from a "
        "post, returning customers, after the content tail, geo spread); suspected at 1 or more "
        "(attribution.detect_leaked_codes)",
        "",
    ),
    "Lift, iROAS": (
        "lift = treated / counterfactual - 1, counterfactual = treated pre x control test / control pre; "
        "iROAS = incremental revenue / full cost; 95% CIs from a geo bootstrap",
        "lift",
    ),
    "Disclosure status": (
        "under the FTC's rules (Disclosures 101, 2019; 16 CFR 255, 2023): compliant: a clear label (ad, "
        "advertisement, sponsored, paid partnership, thanks for the free product) seen without tapping "
        "'more'; "
        "late: a clear label hidden below 'more' or in hashtags; weak: #sp, #spon, #collab, thanks; risky: "
        "likely insufficient; review: the text cannot decide; missing: none (compliance.check_disclosure)",
        "disclosure",
    ),
}


def source_link(key: str) -> str:
    """Escaped link to the reference page of a definition ("" = our reporting rule)."""
    if not key:
        return esc("our reporting rule, not an industry figure")
    url, text = SOURCES[key]
    return link(url, text)


@dataclass(frozen=True)
class ReportContext:
    """Everything a section needs: checked parameters, the tables and the campaign's headline figures.

    `cited` (benchmark ids) and `defined` (term -> definition and source markup) fill up, in order, as
    sections run; `memo` keeps results several sections share.
    """

    campaign_id: str
    data_dir: Path
    currency: str
    er_basis: str
    tier_preset: str
    attribution_window_days: int
    window_is_parameter: bool
    fingerprint: Fingerprint
    tables: dict[str, pd.DataFrame]
    figures: dict[str, float | str]
    cited: dict[str, None] = field(default_factory=dict, compare=False, repr=False)
    defined: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def basis(self) -> ERBasis:
        """The report's ER: sum of (likes + comments + shares + saves) / sum of `er_basis` over the posts."""
        return ERBasis(self.er_basis, INTERACTIONS_ALL, "total", None)  # type: ignore[arg-type]

    @property
    def er_label(self) -> str:
        """ "ER by followers" etc.: the name every ER of the report carries."""
        return f"ER by {self.er_basis}"

    def cite(self, benchmark_id: str) -> Benchmark:
        """The registry entry `benchmark_id`, recorded for the appendix."""
        self.cited.setdefault(benchmark_id, None)
        return benchmark(benchmark_id)

    def define(self, term: str, definition: str | None = None, source: str = "") -> None:
        """Record a definition for the appendix: one of `DEFINITIONS` by term, or `definition` with
        `source` (escaped markup, e.g. from `link`)."""
        if definition is None:
            definition, key = DEFINITIONS[term]
            source = source_link(key)
        self.defined.setdefault(term, (definition, source))


def build_context(
    campaign_id: object,
    data_dir: object = None,
    *,
    currency: object = None,
    er_basis: object = DEFAULT_ER_BASIS,
    tier_preset: object = DEFAULT_TIER_PRESET,
    attribution_window_days: object = None,
) -> ReportContext:
    """Check the parameters, load the data (cached) and compute the campaign's headline figures.

    `attribution_window_days=None` keeps the campaign's own window; a number replaces it for this report.
    Raises `ReportInputError` for a bad parameter and `DataValidationError` for data breaking the contracts.
    """
    params = check_params(
        data_dir,
        currency=currency,
        er_basis=er_basis,
        tier_preset=tier_preset,
        attribution_window_days=attribution_window_days,
    )
    # the fingerprint before loading: a file changed meanwhile is seen next time
    fingerprint = data_fingerprint(params.data_dir)
    tables = load_tables(params.data_dir)
    (cid,) = check_campaign_ids([campaign_id], campaign_currencies(tables["campaigns"]), params.currency)
    if params.attribution_window_days is not None:
        tables["campaigns"] = tables["campaigns"].assign(
            attribution_window_days=params.attribution_window_days
        )
    row = tables["campaigns"].set_index("campaign_id").loc[cid]
    orders = campaign_orders(tables, cid)  # the campaign's window, or the report's: computed once
    credited = campaign_attribution(tables, cid, credited=orders)
    return ReportContext(
        campaign_id=cid,
        data_dir=params.data_dir,
        currency=str(row["currency"]),
        er_basis=params.er_basis,
        tier_preset=params.tier_preset,
        attribution_window_days=campaign_window_days(row),
        window_is_parameter=params.attribution_window_days is not None,
        fingerprint=fingerprint,
        tables=tables,
        figures=campaign_figures(tables, cid, credited),
        memo={"attribution": credited, "credited_orders": orders},
    )
