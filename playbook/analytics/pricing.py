"""The fee model: what a creator deal is worth, from the benchmark registry (module 06, capstone planning).

The fair rate is the transparent fee model of the reference (§7 item 5):

    fee per deliverable = CPM x expected views / 1000 x format uplift x usage-rights uplift
    expected views      = followers x reach rate (share of followers a post reaches or is watched by)

Each factor is a (low, typical, high) band. Two ranges come out of it:

- the **widest range** multiplies the low ends and the high ends of every factor (every source at its most
  extreme at once); it is honest about what the sources allow but spans 20x or more;
- the **fair range** keeps every factor at its typical value and lets only the CPM move between the
  *typical* values the sources publish (lowest, median, highest typical): the width left is the sources'
  disagreement about the going rate, which `width_reasons` shows factor by factor.

Amounts are US dollars, because the published CPMs and rate tables are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from playbook.analytics.undefined import ratio
from playbook.data.registry import (
    CPM_SOURCES,
    DEFAULT_TIER_PRESET,
    Benchmark,
    assign_tier,
    benchmark,
    cpm_band,
    format_uplift_id,
    load_benchmarks,
    reach_rate_id,
)
from playbook.data.registry import band as source_band
from playbook.data.schemas import PLATFORM_FORMATS

__all__ = [
    "CPM_SOURCES",
    "FairRate",
    "ask_position",
    "band_text",
    "contract_scenarios",
    "cpm_band",
    "default_format",
    "fair_rate",
    "format_uplift_id",
    "min_creator_fee",
    "rate_tables",
    "reach_rate_id",
    "source_band",
    "usage_uplifts",
    "width_reasons",
    "width_sentence",
]

ENDS = ("low", "typical", "high")
RULE_OF_THUMB_ID = "rate_rule_of_thumb_inbeat"
RULE_OF_THUMB_FOLLOWERS = 10_000  # the unit of rate_rule_of_thumb_inbeat: USD per 10K followers per post
Band = tuple[float, float, float]


@cache
def _benchmark(benchmark_id: str) -> Benchmark:
    """Cached registry lookup: the fee model asks for the same ids many times."""
    return benchmark(benchmark_id)


def _typicals_band(benchmark_ids: Sequence[str]) -> Band:
    """(lowest typical, median typical, highest typical) across sources: where their going rates sit."""
    values = [_benchmark(i).value for i in benchmark_ids]
    return min(values), float(np.median(values)), max(values)


# --------------------------------------------------------------------------- the factors
# `source_band`, `cpm_band`, `reach_rate_id` and `format_uplift_id` are `data.registry`'s (the generator
# prices the sample with the same lookups); re-exported here for the fee model's readers.
def _ends(benchmark_id: str) -> Band:
    """(low, typical, high) of a benchmark; a missing end takes the benchmark's value (`Benchmark.value`)."""
    b = _benchmark(benchmark_id)
    low, typical, high = (b.value if getattr(b, e) is None else float(getattr(b, e)) for e in ENDS)
    return low, typical, high


def _times(*factors: Band | float) -> Band:
    """Element-wise product of (low, typical, high) bands; a plain number scales all three ends."""
    out = [1.0, 1.0, 1.0]
    for factor in factors:
        band = factor if isinstance(factor, tuple) else (factor, factor, factor)
        out = [o * f for o, f in zip(out, band, strict=True)]
    return out[0], out[1], out[2]


def usage_uplifts(contracts: pd.DataFrame) -> dict[str, float]:
    """Usage-rights multiplier the team has paid, per usage_rights: median of ``contracts.usage_uplift``.

    The registry has no published figure for it (the reference only says rates rise with usage rights and
    exclusivity, §2.2), so the calculator uses the team's own contracts, or a value you pass.
    """
    return contracts.groupby("usage_rights")["usage_uplift"].median().astype(float).to_dict()


@dataclass(frozen=True)
class FairRate:
    """A fair fee range for one creator deal, in USD, with every factor and the benchmark ids used.

    ``per_deliverable`` and ``total`` are the widest (low, typical, high): every factor's low end times every
    low end, high times high; total = per deliverable x deliverables. ``fair_per_deliverable`` and
    ``fair_total`` are the fair range: every factor at its typical value, the CPM between the lowest and the
    highest *typical* CPM the sources publish (``cpm_typicals``). ``low``, ``typical`` and ``high`` read the
    fair range; `width_reasons` says why each range is as wide as it is.
    """

    platform: str
    followers: int
    format: str
    usage_rights: str
    deliverables: int
    tier: str
    cpm: tuple[float, float, float]
    reach_rate: tuple[float, float, float]
    views: tuple[float, float, float]
    format_uplift: tuple[float, float, float]
    usage_uplift: float
    usage_source: str
    per_deliverable: tuple[float, float, float]
    total: tuple[float, float, float]
    benchmark_ids: tuple[str, ...]
    cpm_typicals: tuple[float, float, float]
    fair_per_deliverable: tuple[float, float, float]
    fair_total: tuple[float, float, float]

    @property
    def low(self) -> float:
        """Low end of the fair range (USD, all pieces)."""
        return self.fair_total[0]

    @property
    def typical(self) -> float:
        """Typical fee (USD, all pieces): every factor at its typical value."""
        return self.fair_total[1]

    @property
    def high(self) -> float:
        """High end of the fair range (USD, all pieces)."""
        return self.fair_total[2]

    @property
    def width(self) -> float:
        """High / low of the fair range (x); undefined when low is 0."""
        return ratio(self.high, self.low, "fair range width")

    @property
    def widest_width(self) -> float:
        """High / low of the widest range (x); undefined when low is 0."""
        return ratio(self.total[2], self.total[0], "widest range width")

    def as_frame(self) -> pd.DataFrame:
        """Each factor of the formula as a row: factor, low, typical, high and where it comes from."""
        uplift_id = format_uplift_id(self.format)
        rows = [
            ("CPM (USD per 1,000 views)", self.cpm, ", ".join(self.benchmark_ids[:3])),
            ("reach rate (views / followers)", self.reach_rate, reach_rate_id(self.platform, self.format)),
            ("expected views per piece", self.views, f"{self.followers:,} followers x reach rate"),
            ("format uplift (x)", self.format_uplift, uplift_id or "feed post or story: no uplift"),
            ("usage-rights uplift (x)", (self.usage_uplift,) * 3, self.usage_source),
            ("fee per piece (USD)", self.per_deliverable, "CPM x views / 1000 x format x usage"),
            (f"fee for {self.deliverables} piece(s) (USD)", self.total, "fee per piece x pieces"),
            ("CPM, sources' typicals (USD)", self.cpm_typicals, "lowest, median, highest typical CPM"),
            (
                f"fair range for {self.deliverables} piece(s) (USD)",
                self.fair_total,
                "typical factors, CPM between the sources' typicals",
            ),
        ]
        return pd.DataFrame(
            [(name, *band, source) for name, band, source in rows],
            columns=["factor", "low", "typical", "high", "source"],
        )


def fair_rate(
    platform: str,
    followers: int,
    fmt: str,
    usage_rights: str = "none",
    deliverables: int = 1,
    *,
    contracts: pd.DataFrame | None = None,
    usage_uplift: float | None = None,
    preset: str = DEFAULT_TIER_PRESET,
) -> FairRate:
    """Fair fee range (USD): CPM x followers x reach rate / 1000 x format uplift x usage uplift x pieces.

    The widest range multiplies the factors' low ends and high ends; the fair range (``low`` / ``high``)
    keeps reach and format at their typical values and moves the CPM between the sources' typicals.

    CPM: `cpm_band(platform)` (lowest low, median typical, highest high of the three CPM sources);
    reach rate: `reach_rate_id`; format uplift: `format_uplift_id` (1 for feed posts and stories); usage
    uplift: ``usage_uplift`` if given, else the median the team paid for ``usage_rights`` in ``contracts``
    (`usage_uplifts`); "none" is 1 when neither is given. ``tier`` labels followers with ``preset``.
    """
    if not (isinstance(followers, int | np.integer) and followers >= 0):
        raise ValueError(f"followers must be a whole number >= 0; got {followers!r}")
    if not (isinstance(deliverables, int | np.integer) and deliverables >= 1):
        raise ValueError(f"deliverables must be a whole number >= 1; got {deliverables!r}")
    reach_id = reach_rate_id(platform, fmt)  # validates platform and format first
    cpm, cpm_ids = cpm_band(platform)
    reach = _ends(reach_id)
    uplift_id = format_uplift_id(fmt)
    uplift = _ends(uplift_id) if uplift_id else (1.0, 1.0, 1.0)
    if usage_uplift is not None:
        usage, source = float(usage_uplift), "given"
    elif contracts is not None and usage_rights in (paid := usage_uplifts(contracts)):
        usage, source = paid[usage_rights], f"median paid in {len(contracts)} past contracts"
    elif usage_rights == "none":
        usage, source = 1.0, "no usage rights: no uplift"
    else:
        raise ValueError(
            f"no usage uplift for {usage_rights!r}: pass usage_uplift or contracts that include it"
        )
    views = _times(reach, float(followers))
    per = _times(cpm, views, 1 / 1000, uplift, usage)
    typicals = _typicals_band(cpm_ids)
    fair_per = _times(typicals, views[1], 1 / 1000, uplift[1], usage)
    ids = (*cpm_ids, reach_id, *((uplift_id,) if uplift_id else ()))
    return FairRate(
        platform=platform,
        followers=int(followers),
        format=fmt,
        usage_rights=usage_rights,
        deliverables=int(deliverables),
        tier=str(assign_tier(int(followers), preset)),
        cpm=cpm,
        reach_rate=reach,
        views=views,
        format_uplift=uplift,
        usage_uplift=usage,
        usage_source=source,
        per_deliverable=per,
        total=_times(per, float(deliverables)),
        benchmark_ids=ids,
        cpm_typicals=typicals,
        fair_per_deliverable=fair_per,
        fair_total=_times(fair_per, float(deliverables)),
    )


def ask_position(ask: float, fair: FairRate) -> tuple[str, float]:
    """Where an ask (total fee, USD) sits in the fair range, and ask / typical (undefined when typical is 0).

    Positions: "below the fair range" (ask < low), "fair, below typical", "fair, above typical",
    "above the fair range" (ask > high).
    """
    times = ratio(ask, fair.typical, "ask / fair typical")
    if ask < fair.low:
        return "below the fair range", times
    if ask > fair.high:
        return "above the fair range", times
    return ("fair, below typical" if ask <= fair.typical else "fair, above typical"), times


def rate_tables(platform: str, followers: int, fmt: str = "feed") -> pd.DataFrame:
    """Published per-post rates whose follower range holds ``followers`` on ``platform`` (registry metric
    ``creator_rate``), plus the inBEAT rule of thumb (``rate_rule_of_thumb_inbeat`` x followers / 10,000) on
    Instagram. Stories are priced with the story rows, every other format with the post / video rows.
    Columns: benchmark_id, source, year, grade, tier, followers_min, followers_max, low, typical, high
    (USD per post; high is missing for open-ended "10,000+" rows)."""
    rows = load_benchmarks()
    rows = rows[(rows["metric"] == "creator_rate") & (rows["platform"] == platform)]
    story = fmt in ("story", "story_link")
    rows = rows[(rows["format"] == "story") == story]
    low = rows["followers_min"].astype("Float64").fillna(0)
    high = rows["followers_max"].astype("Float64").fillna(math.inf)
    has_range = rows["followers_min"].notna() | rows["followers_max"].notna()
    rows = rows[has_range & (low <= followers) & (followers < high)].copy()
    out = rows.rename(columns={"source_name": "source"})[
        [
            "benchmark_id",
            "source",
            "year",
            "grade",
            "tier",
            "followers_min",
            "followers_max",
            "low",
            "typical",
        ]
    ].assign(high=rows["high"])
    if platform == "instagram" and not story:
        rule = _benchmark(RULE_OF_THUMB_ID)
        value = rule.value * followers / RULE_OF_THUMB_FOLLOWERS
        extra = {
            "benchmark_id": RULE_OF_THUMB_ID,
            "source": rule.source_name,
            "year": rule.year,
            "grade": rule.grade,
            "tier": "all",
            "low": value,
            "typical": value,
            "high": value,
        }
        out = pd.concat([out, pd.DataFrame([extra])], ignore_index=True)
    return out.reset_index(drop=True)


def band_text(band: Band) -> str:
    """ "low - typical - high USD" with thousands separators."""
    return f"{band[0]:,.0f} - {band[1]:,.0f} - {band[2]:,.0f} USD"


# --------------------------------------------------------------------------- deals from the sample
def contract_scenarios(tables: Mapping[str, pd.DataFrame], preset: str = DEFAULT_TIER_PRESET) -> pd.DataFrame:
    """One row per contract with what the calculator needs: platform, followers, format (of its first
    deliverable), usage_rights, deliverables, ask (the contract fee), currency, the fair range (fair_low,
    fair_typical, fair_high, USD, from `fair_rate` with the team's median usage uplifts), the ask's position
    (`ask_position`) and ask / typical. Only USD campaigns compare like with like (no FX conversion)."""
    c = tables["contracts"].merge(
        tables["accounts"][["account_id", "platform", "followers"]], on="account_id"
    )
    c = c.merge(tables["campaigns"][["campaign_id", "currency"]], on="campaign_id")
    first = tables["deliverables"].sort_values("due_date").drop_duplicates("contract_id")
    c = c.merge(first[["contract_id", "format"]], on="contract_id", how="left")
    handles = tables["creators"].set_index("creator_id")["handle"]
    c["handle"] = c["creator_id"].map(handles)
    paid = usage_uplifts(tables["contracts"])
    fair = [
        fair_rate(p, int(f), fm, u, int(n), usage_uplift=paid[u], preset=preset)
        for p, f, fm, u, n in zip(
            c["platform"],
            c["followers"],
            c["format"].fillna("feed"),
            c["usage_rights"],
            c["deliverables_count"],
            strict=True,
        )
    ]
    c["fair_low"] = [r.low for r in fair]
    c["fair_typical"] = [r.typical for r in fair]
    c["fair_high"] = [r.high for r in fair]
    c["position"] = [ask_position(a, r)[0] for a, r in zip(c["fee"], fair, strict=True)]
    c["ask_vs_typical"] = ratio(c["fee"], c["fair_typical"], "ask / fair typical")
    columns = [
        *("contract_id", "campaign_id", "creator_id", "handle", "platform", "followers", "format"),
        *("usage_rights", "deliverables_count", "fee", "currency", "fair_low", "fair_typical", "fair_high"),
        *("position", "ask_vs_typical"),
    ]
    return c[columns].rename(columns={"deliverables_count": "deliverables", "fee": "ask"})


# --------------------------------------------------------------------------- why the ranges are wide
def width_reasons(fair: FairRate) -> pd.DataFrame:
    """How much each factor widens the ranges: factor, low, high, times (high / low), range.

    The widest range's width is the product of every factor's width (CPM, reach rate, format uplift);
    the fair range's width is the CPM sources' typicals alone (highest typical / lowest typical).
    """
    rows = [
        ("CPM, lowest low to highest high", fair.cpm[0], fair.cpm[2], "widest"),
        ("reach rate, low to high", fair.reach_rate[0], fair.reach_rate[2], "widest"),
        ("format uplift, low to high", fair.format_uplift[0], fair.format_uplift[2], "widest"),
        ("widest range (all of the above)", fair.total[0], fair.total[2], "widest"),
        ("CPM, the sources' typicals", fair.cpm_typicals[0], fair.cpm_typicals[2], "fair"),
        ("fair range (typical reach and format)", fair.low, fair.high, "fair"),
    ]
    out = pd.DataFrame(rows, columns=["factor", "low", "high", "range"])
    out.insert(3, "times", ratio(out["high"], out["low"], "high / low"))
    return out


def width_sentence(fair: FairRate) -> str:
    """One sentence on why the fair range is as wide as it is, read from `width_reasons`."""
    w = width_reasons(fair).set_index("factor")["times"]
    return (
        f"The widest range spans {fair.widest_width:,.1f}x because every factor's extremes multiply "
        f"(CPM {w.iloc[0]:,.1f}x, reach rate {w.iloc[1]:,.1f}x, format {w.iloc[2]:,.2f}x). The fair range "
        f"keeps reach and format at their typical values; its {fair.width:,.1f}x is the sources' "
        f"disagreement on the typical CPM ({fair.cpm_typicals[0]:,.2f} to {fair.cpm_typicals[2]:,.2f} USD)."
    )


# --------------------------------------------------------------------------- minimum cost of a creator
def default_format(platform: str) -> str:
    """The first (cheapest, no uplift) format the platform offers in `data.schemas.PLATFORM_FORMATS`."""
    if platform not in PLATFORM_FORMATS:
        raise ValueError(f"unknown platform {platform!r}; expected one of {', '.join(PLATFORM_FORMATS)}")
    return PLATFORM_FORMATS[platform][0]


def min_creator_fee(platform: str, followers_min: int, preset: str = DEFAULT_TIER_PRESET) -> float:
    """The fair typical fee (USD) of one piece, no usage rights, by a creator at the tier's lower bound.

    `fair_rate(platform, followers_min, default_format(platform)).typical`: the cheapest creator of a tier
    at the going rate; a plan that gives a tier less than this cannot book even one of its creators.
    """
    return fair_rate(platform, int(followers_min), default_format(platform), preset=preset).typical
