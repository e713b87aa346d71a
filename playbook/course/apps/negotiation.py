"""Course apps for module 06 (relationships and negotiation): fair-rate calculator, negotiation exercise,
relationship health.

The fair rate is the transparent fee model of the reference (§7 item 5), computed from the registry:

    fee per deliverable = CPM x expected views / 1000 x format uplift x usage-rights uplift
    expected views      = followers x reach rate (share of followers a post reaches or is watched by)

Each factor is a (low, typical, high) band, so the fair rate is a range: low multiplies the low ends, high
the high ends (the widest honest range, not a confidence interval). Amounts are US dollars, because the
published CPMs and rate tables are.
"""

from __future__ import annotations

import html
import inspect
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

import playbook.viz.charts as charts
from playbook.analytics.planning import cpm_band
from playbook.analytics.relationships import relationship_health
from playbook.analytics.undefined import ratio
from playbook.course.base import WidgetApp
from playbook.course.base import show as render
from playbook.data.registry import DEFAULT_TIER_PRESET, assign_tier, benchmark, cite, load_benchmarks
from playbook.data.schemas import PLATFORM_FORMATS

__all__ = [
    "DEFAULT_FLEXIBILITY",
    "FairRate",
    "FairRateApp",
    "HealthApp",
    "NegotiationApp",
    "ask_position",
    "contract_scenarios",
    "creator_response",
    "fair_rate",
    "fair_rate_chart",
    "format_uplift_id",
    "health_chart",
    "rate_tables",
    "reach_rate_id",
    "team_ops_chart",
    "usage_uplifts",
]

ENDS = ("low", "typical", "high")
# our choice: the practice creator accepts down to 15% below their ask (but never below the fair range)
DEFAULT_FLEXIBILITY = 0.15
DEFAULT_MAX_ROUNDS = 4  # our choice: offers before the creator walks away
RULE_OF_THUMB_ID = "rate_rule_of_thumb_inbeat"
RULE_OF_THUMB_FOLLOWERS = 10_000  # the unit of rate_rule_of_thumb_inbeat: USD per 10K followers per post
BLUE, ORANGE, GREEN, VERMILLION = (charts.OKABE_ITO[i] for i in (4, 0, 2, 5))
DECISION_COLOURS = {"re-book": GREEN, "renegotiate": ORANGE, "drop": VERMILLION}
_HEALTH_DEFAULTS = {k: p.default for k, p in inspect.signature(relationship_health).parameters.items()}


# --------------------------------------------------------------------------- the fair-rate model
def reach_rate_id(platform: str, fmt: str) -> str:
    """Benchmark id of the share of followers a post of this format reaches (Instagram) or is watched by.

    Instagram feed and carousel: ``reach_rate_instagram_feed_influencerfee``; reel: ``..._reel_...``;
    story and story_link: ``..._story_...``; TikTok: ``reach_rate_tiktok_untapper`` (a floor: "often more
    than 100%"); YouTube: ``reach_rate_youtube_stellar`` (a planning rule, one value).
    """
    if platform == "tiktok":
        return "reach_rate_tiktok_untapper"
    if platform == "youtube":
        return "reach_rate_youtube_stellar"
    if platform != "instagram":
        raise ValueError(f"unknown platform {platform!r}; expected instagram, tiktok or youtube")
    kind = {"feed": "feed", "carousel": "feed", "reel": "reel", "story": "story", "story_link": "story"}
    if fmt not in kind:
        raise ValueError(f"format {fmt!r} does not exist on instagram")
    return f"reach_rate_instagram_{kind[fmt]}_influencerfee"


def format_uplift_id(fmt: str) -> str | None:
    """HypeAuditor's price multiplier over a feed post for the format, or None for feed posts and stories.

    Video formats (reel, short_video, long_video): ``format_uplift_video_hypeauditor``; carousel:
    ``format_uplift_carousel_hypeauditor``; story_link: ``format_uplift_story_link_hypeauditor``. The source
    describes Instagram; applying it to TikTok and YouTube videos is our choice (as the sample's fee model).
    """
    ids = {
        "reel": "format_uplift_video_hypeauditor",
        "short_video": "format_uplift_video_hypeauditor",
        "long_video": "format_uplift_video_hypeauditor",
        "carousel": "format_uplift_carousel_hypeauditor",
        "story_link": "format_uplift_story_link_hypeauditor",
    }
    return ids.get(fmt)


def _ends(benchmark_id: str) -> tuple[float, float, float]:
    """(low, typical, high) of a benchmark; a missing end takes the benchmark's value (`Benchmark.value`)."""
    b = benchmark(benchmark_id)
    low, typical, high = (b.value if getattr(b, e) is None else float(getattr(b, e)) for e in ENDS)
    return low, typical, high


def _times(*factors: tuple[float, float, float] | float) -> tuple[float, float, float]:
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

    ``per_deliverable`` and ``total`` are (low, typical, high); total = per deliverable x deliverables.
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

    @property
    def low(self) -> float:
        return self.total[0]

    @property
    def typical(self) -> float:
        return self.total[1]

    @property
    def high(self) -> float:
        return self.total[2]

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

    CPM: `planning.cpm_band(platform)` (lowest low, median typical, highest high of the three CPM sources);
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
    b = load_benchmarks()
    rows = b[(b["metric"] == "creator_rate") & (b["platform"] == platform)]
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
        rule = benchmark(RULE_OF_THUMB_ID)
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


def fair_rate_chart(
    fair: FairRate, tables: pd.DataFrame, ask_per_deliverable: float | None = None
) -> alt.LayerChart:
    """Per-deliverable ranges on a log scale: the fair model's (blue) and each published rate table (grey, by
    benchmark id), with the ask (orange rule). Open-ended published rates ("10,000+") show their low end."""
    fair_row = {
        "range": "fair model (CPM x views x uplifts)",
        "low": fair.per_deliverable[0],
        "typical": fair.per_deliverable[1],
        "high": fair.per_deliverable[2],
        "kind": "fair model",
        "source": "; ".join(fair.benchmark_ids),
    }
    published = tables.assign(
        range=tables["benchmark_id"],
        high=tables["high"].fillna(tables["low"]),
        typical=tables["typical"].fillna(tables["low"]),
        kind="published",
    )[["range", "low", "typical", "high", "kind", "source"]]
    data = pd.concat([pd.DataFrame([fair_row]), published], ignore_index=True)
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


def _band_text(band: tuple[float, float, float]) -> str:
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
        self.deal = widgets.Dropdown(options=options, value="", description="Past deal")
        self.platform = widgets.Dropdown(options=["instagram", "tiktok", "youtube"], description="Platform")
        self.followers = widgets.BoundedIntText(value=25_000, min=0, max=50_000_000, description="Followers")
        self.format = widgets.Dropdown(options=list(PLATFORM_FORMATS["instagram"]), description="Format")
        usage = sorted(set(usage_uplifts(tables["contracts"])) | {"none"})
        self.usage = widgets.Dropdown(options=usage, value="none", description="Usage")
        self.deliverables = widgets.BoundedIntText(value=1, min=1, max=20, description="Pieces")
        self.ask = widgets.BoundedFloatText(value=500.0, min=0, max=10_000_000, description="Ask (USD)")
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
        self.summary.value = (
            f"<p>Fair fee for {f.deliverables} piece(s): <b>{_band_text(f.total)}</b> (low - typical - high)."
            f" The ask of {self.ask.value:,.0f} USD is <b>{self.position}</b> ({times}).</p>"
            f"<p>{factors}. Tier: {html.escape(f.tier)} ({html.escape(self.preset)}).</p>"
            f"<p style='font-size:smaller'>Sources: {sources}</p>"
        )
        render(self.chart_out, self.chart)


# --------------------------------------------------------------------------- negotiation exercise
def creator_response(
    offer: float, ask: float, fair: FairRate, *, flexibility: float = DEFAULT_FLEXIBILITY
) -> tuple[str, float | None, str]:
    """How the practice creator answers an offer (total fee, USD): (response, counter-offer, explanation).

    Our model of a reasonable creator, not an industry rule: below the fair range they decline (rates that
    are too low are the top reason creators turn deals down, reference §2.2); at or above their walk-away
    price, max(fair low, ask x (1 - ``flexibility``)) capped at the ask, they accept; in between they
    counter half-way between the offer and their current ask.
    """
    walk_away = min(ask, max(fair.low, ask * (1 - flexibility)))
    if offer < fair.low:
        return "declined", None, "below the fair range: the creator feels undervalued and declines"
    if offer >= walk_away:
        over = " (more than they asked for)" if offer > ask else ""
        return "accepted", None, f"the creator accepts{over}"
    counter = round((offer + ask) / 2, 2)
    return "countered", counter, f"the creator meets you half-way at {counter:,.2f} USD"


class NegotiationApp(WidgetApp):
    """Negotiate one deal: send offers, read the creator's answers, agree within the fair range.

    `.history` lists the rounds; `.outcome` is "open", "agreed" or "walked away"; `.agreed_fee` the deal.
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        contract_id: str | None = None,
        *,
        flexibility: float = DEFAULT_FLEXIBILITY,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
    ) -> None:
        self.tables = tables
        self.flexibility = flexibility
        self.max_rounds = max_rounds
        scenarios = contract_scenarios(tables)
        usd = scenarios[(scenarios["currency"] == "USD") & (scenarios["ask_vs_typical"] > 1)]
        self.scenarios = (usd if len(usd) else scenarios).sort_values("ask", ascending=False)
        options = [
            (f"@{r.handle} ({r.platform}, ask {r.ask:,.0f})", r.contract_id)
            for r in self.scenarios.itertuples()
        ]
        in_range = self.scenarios[self.scenarios["position"] == "fair, above typical"]
        default = contract_id or (in_range if len(in_range) else self.scenarios)["contract_id"].iloc[0]
        self.deal = widgets.Dropdown(options=options, value=default, description="Deal")
        self.offer = widgets.BoundedFloatText(value=0.0, min=0, max=10_000_000, description="Offer (USD)")
        self.send_button = widgets.Button(description="Send offer", button_style="primary")
        self.restart_button = widgets.Button(description="Restart")
        self.brief = widgets.HTML()
        self.log = widgets.HTML()
        self.deal.observe(lambda _: self.restart(), names="value")
        self.send_button.on_click(lambda _: self.send())
        self.restart_button.on_click(lambda _: self.restart())
        self.widget = widgets.VBox(
            [
                self.deal,
                self.brief,
                widgets.HBox([self.offer, self.send_button, self.restart_button]),
                self.log,
            ]
        )
        self.restart()

    def restart(self) -> None:
        """Start the negotiation of the selected deal again."""
        row = self.scenarios.set_index("contract_id").loc[self.deal.value]
        self.fair = fair_rate(
            row["platform"],
            int(row["followers"]),
            row["format"] if pd.notna(row["format"]) else "feed",
            row["usage_rights"],
            int(row["deliverables"]),
            contracts=self.tables["contracts"],
        )
        self.ask = float(row["ask"])
        self.current_ask = self.ask
        self.history = pd.DataFrame(columns=["round", "offer", "response", "counter", "note"])
        self.outcome, self.agreed_fee = "open", None
        self.offer.value = round(self.fair.typical, 2)
        f = self.fair
        self.brief.value = (
            f"<p>@{html.escape(str(row['handle']))} asks <b>{self.ask:,.2f} USD</b> for {f.deliverables} "
            f"{f.platform} {f.format.replace('_', ' ')} piece(s), {f.followers:,} followers, usage rights "
            f"{html.escape(f.usage_rights)}. Your fair range: {_band_text(f.total)}."
            f" You have {self.max_rounds} offers.</p>"
        )
        self.log.value = ""

    def send(self) -> str:
        """Send the current offer; returns the creator's response."""
        if self.outcome != "open":
            return self.outcome
        offer = float(self.offer.value)
        response, counter, note = creator_response(
            offer, self.current_ask, self.fair, flexibility=self.flexibility
        )
        self.history.loc[len(self.history)] = [len(self.history) + 1, offer, response, counter, note]
        if response == "accepted":
            self.outcome, self.agreed_fee = "agreed", offer
        elif counter is not None:
            self.current_ask = counter
        if self.outcome == "open" and len(self.history) >= self.max_rounds:
            self.outcome = "walked away"
        self.log.value = self._log_html()
        return response

    def _log_html(self) -> str:
        rows = "".join(
            f"<li>Offer {r.round}: {r.offer:,.2f} USD: {html.escape(r.note)}</li>"
            for r in self.history.itertuples()
        )
        end = ""
        if self.outcome == "agreed":
            saved = self.ask - self.agreed_fee
            side = "below" if saved >= 0 else "above"
            times = ratio(self.agreed_fee, self.fair.typical, "agreed / fair typical")
            end = (
                f"<p><b>Agreed at {self.agreed_fee:,.2f} USD</b>: {times:.2f}x the fair typical, "
                f"{abs(saved):,.2f} USD {side} the first ask.</p>"
            )
        elif self.outcome == "walked away":
            end = "<p><b>The creator walked away.</b> Restart and open closer to the fair range.</p>"
        return f"<ol style='list-style:none;padding:0'>{rows}</ol>{end}"


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
            value=d["min_performance"], min=0.1, max=1.5, step=0.05, description="Min perf."
        )
        self.max_late_posts = widgets.IntSlider(
            value=d["max_late_posts"], min=1, max=6, description="Max late"
        )
        self.max_cost_ratio = widgets.FloatSlider(
            value=d["max_cost_ratio"], min=1.0, max=4.0, step=0.1, description="Max cost"
        )
        self.cost_metric = widgets.Dropdown(
            options=["cpe", "cpm"], value=d["cost_metric"], description="Cost per"
        )
        self.creator = widgets.Dropdown(description="Creator")
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
