"""Every influencer-marketing formula of the toolkit, in one place, with its basis spelled out.

Engagement rate has no single industry definition: the same creator scores 0.5% or 5% depending on the
denominator (followers, reach, impressions or views), the interactions counted and how posts are averaged
(reference §1.1, https://influencerdb.net/blog/ignoring-engagement-disastrous-for-influencer-marketing/).
So every ER here takes an `ERBasis`, and `ERBasis.label()` is the sentence every chart and report prints.

Undefined results (a zero denominator, missing data, no posts) are NaN with a reason, never inf and never a
silent 0 (see `playbook.analytics.undefined`). Functions work on scalars and on aligned pandas Series alike.

Amounts are in the campaign's currency. EMV is never part of any cost or return here: it lives in
`playbook.analytics.emv` as a relative index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from playbook.analytics.undefined import Undefined, ratio, reasons
from playbook.data.registry import benchmark
from playbook.data.schemas import INTERACTIONS, VIDEO_FORMATS

__all__ = [
    "ER_BY_FOLLOWERS",
    "ER_BY_IMPRESSIONS",
    "ER_BY_REACH",
    "ER_BY_VIEWS",
    "ER_LIKES_ONLY",
    "ER_YOUTUBE_MODASH",
    "INTERACTIONS_ALL",
    "LIKES_COMMENTS",
    "LIKES_ONLY",
    "CostBreakdown",
    "ERBasis",
    "cac",
    "campaign_cost",
    "conversion_rate",
    "cpa",
    "cpc",
    "cpe",
    "cpe_hypeauditor",
    "cpm",
    "cpv",
    "ctr",
    "incremental_conversions",
    "iroas",
    "lift",
    "post_engagement_rate",
    "profile_engagement_rate",
    "revenue_per_follower",
    "revenue_per_reach",
    "roas",
    "roi_margin",
    "roi_revenue",
    "view_rate",
]

Value = float | pd.Series
Denominator = Literal["followers", "reach", "impressions", "views"]
Agg = Literal["median", "mean", "total", "ratio_of_medians"]

INTERACTIONS_ALL: tuple[str, ...] = INTERACTIONS  # every interaction count of a post
LIKES_COMMENTS: tuple[str, ...] = ("likes", "comments")
LIKES_ONLY: tuple[str, ...] = ("likes",)  # Modash API: "ER is based on likes divided by followers"

_DENOMINATORS: tuple[str, ...] = ("followers", "reach", "impressions", "views")
_AGGS: tuple[str, ...] = ("median", "mean", "total", "ratio_of_medians")


# --------------------------------------------------------------------------- undefined-reason plumbing
def _as_reasons(why: pd.Series) -> pd.Series:
    """A reasons Series in the `analytics.undefined` form: object dtype, None where the value is defined."""
    why = why.astype(object)
    return why.where(why.notna(), None)


def _carry(out: Value, name: str, *inputs: object) -> Value:
    """Give every NaN of `out` a reason: an input's own reason first, else `name: missing data`."""
    if isinstance(out, pd.Series):
        own = out.attrs.get("reasons")
        why = pd.Series(None, index=out.index, dtype=object) if own is None else own.reindex(out.index)
        for x in inputs:
            if isinstance(x, pd.Series) and x.attrs.get("reasons") is not None:
                upstream = x.attrs["reasons"].reindex(out.index)
                why = upstream.where(upstream.notna(), why)
            elif isinstance(x, Undefined):
                why = why.where(why.notna(), x.reason)
        why = why.where(out.isna())
        why = why.where(why.notna() | out.notna(), f"{name}: missing data")
        out.attrs = {"reasons": _as_reasons(why)}
        return out
    if isinstance(out, Undefined):
        upstream = next((x.reason for x in inputs if isinstance(x, Undefined)), None)
        return Undefined(upstream) if upstream else out
    if math.isnan(out):
        upstream = next((x.reason for x in inputs if isinstance(x, Undefined)), None)
        return Undefined(upstream or f"{name}: missing data")
    return float(out)


def _div(num: Value, den: Value, name: str, *sources: object) -> Value:
    """`ratio(num, den, name)`, keeping the reason of an input (`sources`, default num and den) that was
    already undefined."""
    return _carry(ratio(num, den, name), name, *(sources or (num, den)))


# --------------------------------------------------------------------------- engagement-rate basis
@dataclass(frozen=True)
class ERBasis:
    """What an engagement rate divides, counts and averages.

    denominator: followers (account snapshot), reach, impressions or views of each post.
    interactions: post columns summed in the numerator, e.g. `INTERACTIONS_ALL` or `LIKES_ONLY`.
    agg: how posts are combined into a profile ER: "median" or "mean" of per-post ER, "total" =
        sum(interactions) / sum(denominator), "ratio_of_medians" = median(interactions) / median(denominator)
        (Modash YouTube).
    last_n: only the most recent N posts with a defined ER per profile; None = all posts.
    """

    denominator: Denominator = "followers"
    interactions: tuple[str, ...] = INTERACTIONS_ALL
    agg: Agg = "median"
    last_n: int | None = None

    def __post_init__(self) -> None:
        if self.denominator not in _DENOMINATORS:
            raise ValueError(
                f"denominator must be one of {', '.join(_DENOMINATORS)}; got {self.denominator!r}"
            )
        if self.agg not in _AGGS:
            raise ValueError(f"agg must be one of {', '.join(_AGGS)}; got {self.agg!r}")
        if not self.interactions or len(set(self.interactions)) != len(self.interactions):
            raise ValueError(f"interactions must be distinct post columns; got {self.interactions!r}")
        if self.last_n is not None and self.last_n < 1:
            raise ValueError(f"last_n must be >= 1 or None; got {self.last_n!r}")

    def numerator_label(self) -> str:
        """The counted interactions, e.g. "(likes + comments)" or "likes"."""
        joined = " + ".join(self.interactions)
        return f"({joined})" if len(self.interactions) > 1 else joined

    def formula(self) -> str:
        """Per-post formula, e.g. "(likes + comments) / followers"."""
        return f"{self.numerator_label()} / {self.denominator}"

    def label(self) -> str:
        """The sentence to print with every ER, e.g.
        "median over the last 12 posts of (likes + comments + shares + saves) / followers"."""
        window = "all posts" if self.last_n is None else f"the last {self.last_n} posts"
        if self.agg == "total":
            return f"sum of {self.numerator_label()} / sum of {self.denominator}, over {window}"
        if self.agg == "ratio_of_medians":
            return f"median of {self.numerator_label()} / median of {self.denominator}, over {window}"
        return f"{self.agg} over {window} of {self.formula()}"


def _window(benchmark_id: str) -> int:
    """A profile window in whole posts from the registry (a band midpoint such as 12.5 is rounded down)."""
    return int(benchmark(benchmark_id).value)


# Calculators average the last 10-15 posts (er_profile_window_posts_calculators, midpoint 12.5 -> 12).
_CALCULATOR_WINDOW = _window("er_profile_window_posts_calculators")
ER_BY_FOLLOWERS = ERBasis("followers", INTERACTIONS_ALL, "median", _CALCULATOR_WINDOW)
ER_BY_REACH = ERBasis("reach", INTERACTIONS_ALL, "median", _CALCULATOR_WINDOW)
# InsightIQ: median of per-post ER over the last 30 videos (er_profile_window_posts_insightiq); InsightIQ
# also drops outliers, which this preset does not.
ER_BY_VIEWS = ERBasis("views", INTERACTIONS_ALL, "median", _window("er_profile_window_posts_insightiq"))
# Modash YouTube: median engagements / median views over the last 30 videos (er_profile_window_videos_modash).
ER_YOUTUBE_MODASH = ERBasis(
    "views", INTERACTIONS_ALL, "ratio_of_medians", _window("er_profile_window_videos_modash")
)
# Modash API: average likes / followers, at most 500 posts (er_window_max_posts_modash) of about 60 days
# (er_window_days_modash; filter `posts` by date before calling to apply that part).
ER_LIKES_ONLY = ERBasis("followers", LIKES_ONLY, "mean", _window("er_window_max_posts_modash"))
# Buffer: engagements / impressions per post, averaged (er_impressions_instagram_buffer_2025).
ER_BY_IMPRESSIONS = ERBasis("impressions", INTERACTIONS_ALL, "mean", None)


# --------------------------------------------------------------------------- engagement rate
def _interactions(posts: pd.DataFrame, basis: ERBasis) -> pd.Series:
    missing = [c for c in basis.interactions if c not in posts.columns]
    if missing:
        raise ValueError(
            f"posts has no column(s) {', '.join(missing)} needed by ER basis {basis.formula()!r}"
        )
    return posts[list(basis.interactions)].astype("float64").sum(axis=1, skipna=False)


def _denominator(
    posts: pd.DataFrame, basis: ERBasis, followers: pd.Series | pd.DataFrame | None
) -> pd.Series:
    if basis.denominator != "followers":
        return posts[basis.denominator].astype("float64")
    if followers is None:
        raise ValueError("ER by followers needs `followers`: a Series aligned to posts or the accounts table")
    if isinstance(followers, pd.DataFrame):
        by_account = followers.set_index("account_id")["followers"]
        return posts["account_id"].map(by_account).astype("float64")
    return followers.reindex(posts.index).astype("float64")


def post_engagement_rate(
    posts: pd.DataFrame,
    basis: ERBasis = ER_BY_FOLLOWERS,
    followers: pd.Series | pd.DataFrame | None = None,
) -> pd.Series:
    """Per-post ER = sum(basis.interactions) / basis.denominator, a fraction (x100 for %).

    `followers` is needed only for the followers basis: a Series aligned on the posts index (e.g. followers
    at posting time from `follower_daily`) or the `accounts` table (its snapshot count, joined on
    account_id). Zero or missing denominators give NaN with a reason in `result.attrs["reasons"]`; views
    are 0 for non-video formats, so ER by views is undefined for them. Only `basis.interactions` and
    `basis.denominator` matter per post (agg and last_n apply in `profile_engagement_rate`).
    Source: reference §1.1 table of ER variants.
    """
    den = _denominator(posts, basis, followers)
    name = f"ER by {basis.denominator}"
    out = ratio(_interactions(posts, basis), den, name)
    why = reasons(out).copy()
    zero = den == 0
    why[zero] = f"{name}: {basis.denominator} is 0"
    if basis.denominator == "views" and "format" in posts.columns:
        no_video = zero & ~posts["format"].isin(VIDEO_FORMATS)
        why[no_video] = f"{name}: views is 0 (" + posts.loc[no_video, "format"] + " posts have no views)"
    out.name = "er"
    out.attrs = {"reasons": _as_reasons(why), "basis": basis.formula()}
    return out


def _group_keys(posts: pd.DataFrame, accounts: pd.DataFrame, by: str) -> tuple[pd.Series, pd.Index]:
    """The group of each post and every group to report (all accounts' values when `by` is in accounts)."""
    if by in posts.columns:
        keys = posts[by]
    elif by in accounts.columns:
        keys = posts["account_id"].map(accounts.set_index("account_id")[by])
    else:
        raise ValueError(f"by={by!r} is neither a posts nor an accounts column")
    universe = keys.dropna()
    if by in accounts.columns:
        universe = pd.concat([accounts[by].dropna(), universe])
    return keys, pd.Index(universe.unique(), name=by).sort_values()


def profile_engagement_rate(
    posts: pd.DataFrame,
    accounts: pd.DataFrame,
    basis: ERBasis = ER_BY_FOLLOWERS,
    by: str = "account_id",
) -> pd.DataFrame:
    """Profile ER per `by` group (account_id, creator_id, platform, campaign_id...), one row per group.

    Posts with an undefined per-post ER (zero denominator, e.g. views on a feed post) are skipped and
    counted in `n_excluded`; of the rest, the `basis.last_n` most recent by posted_at are combined with
    `basis.agg` (median/mean of per-post ER, total = sum(interactions) / sum(denominator), or
    median(interactions) / median(denominator)). Columns: by, er (fraction), n_posts (posts used),
    n_excluded, basis (its label), reason (why er is NaN, else None). A group with no usable posts has NaN er.
    Sources: reference §1.1 "Profile-level ER" (last 10-15 posts; median of the last 30 posts).
    """
    er = post_engagement_rate(posts, basis, accounts if basis.denominator == "followers" else None)
    keys, universe = _group_keys(posts, accounts, by)
    frame = pd.DataFrame(
        {
            "key": keys.to_numpy(),
            "posted_at": posts["posted_at"].to_numpy(),
            "num": _interactions(posts, basis).to_numpy(),
            "den": _denominator(posts, basis, accounts).to_numpy(),
            "er": er.to_numpy(),
            "why": reasons(er).to_numpy(),
        }
    ).dropna(subset=["key"])
    usable = frame[frame["er"].notna()].sort_values("posted_at", ascending=False, kind="stable")
    if basis.last_n is not None:
        usable = usable.groupby("key", sort=False).head(basis.last_n)
    grouped = usable.groupby("key")
    if basis.agg in ("median", "mean"):
        value = grouped["er"].agg(basis.agg)
    else:
        pick = "sum" if basis.agg == "total" else "median"
        value = ratio(grouped["num"].agg(pick), grouped["den"].agg(pick), f"ER by {basis.denominator}")
    excluded = frame[frame["er"].isna()]
    first_reason = excluded.groupby("key")["why"].first()
    out = pd.DataFrame(index=universe)
    out["er"] = value.reindex(universe).astype("float64")
    out["n_posts"] = grouped.size().reindex(universe, fill_value=0).astype("int64")
    out["n_excluded"] = excluded.groupby("key").size().reindex(universe, fill_value=0).astype("int64")
    out["basis"] = basis.label()
    reason_text = first_reason.reindex(universe).where(
        out["n_excluded"] > 0, f"ER by {basis.denominator}: no posts"
    )
    out["reason"] = _as_reasons(reason_text.where(out["er"].isna()))
    out = out.reset_index()
    out.attrs = {"basis": basis.label()}
    return out


# --------------------------------------------------------------------------- cost metrics
def cpm(cost: Value, impressions: Value) -> Value:
    """CPM = cost / impressions x 1000 (currency per 1,000 impressions).

    Pass reach or views instead of impressions only on purpose: vendors differ (reference §1.3,
    https://influencer-hero.com/blogs/influencer-cpm; benchmarks cpm_*)."""
    return _div(cost * 1000, impressions, "CPM", cost, impressions)


def cpe(cost: Value, engagements: Value) -> Value:
    """CPE = cost / engagements (currency per engagement); say which interactions count.

    Source: https://katha-ads.com/blog/cost-per-engagement-cpe-in-influencer-marketing (benchmarks cpe_*)."""
    return _div(cost, engagements, "CPE")


def cpe_hypeauditor(price: Value, n_posts: Value, likes: Value, comments: Value) -> Value:
    """HypeAuditor CPE: post cost = price / posts in the campaign; CPE = post cost / (likes + comments).

    Currency per engagement. Source: https://help.hypeauditor.com/en/articles/3546047-what-is-cpe-and-how-is-it-calculated
    """
    post_cost = _div(price, n_posts, "post cost")
    return _div(post_cost, likes + comments, "CPE (HypeAuditor)", post_cost, likes, comments)


def cpc(cost: Value, clicks: Value) -> Value:
    """CPC = cost / link clicks (currency per click); clicks come from the tracking link or UTM (§1.3)."""
    return _div(cost, clicks, "CPC")


def cpv(cost: Value, views: Value) -> Value:
    """CPV = cost / video views (currency per view); a "view" differs by platform
    (video_view_min_seconds_creatoriq, https://creatoriq.com/creator-marketing-benchmarks)."""
    return _div(cost, views, "CPV")


def cpa(cost: Value, conversions: Value) -> Value:
    """CPA = cost / conversions (currency per conversion; "cost per action / acquisition", reference §1.3)."""
    return _div(cost, conversions, "CPA")


def cac(cost: Value, new_customers: Value) -> Value:
    """CAC = cost / new customers (currency per new customer; returning customers do not count, §1.3)."""
    return _div(cost, new_customers, "CAC")


# --------------------------------------------------------------------------- rate metrics
def ctr(clicks: Value, impressions: Value) -> Value:
    """CTR = link clicks / impressions, a fraction (the consideration KPI of industry-facts section 7 item 14;
    clicks from the tracking link or UTM, section 1.3)."""
    return _div(clicks, impressions, "CTR")


def view_rate(video_views: Value, video_impressions: Value) -> Value:
    """View rate = video views / impressions of video posts, a fraction (the awareness KPI of
    industry-facts section 7 item 14). Count only video posts on both sides: a photo has no views.
    A "view" differs by platform (video_view_min_seconds_creatoriq)."""
    return _div(video_views, video_impressions, "view rate")


# --------------------------------------------------------------------------- outcome metrics
def conversion_rate(conversions: Value, clicks: Value) -> Value:
    """Conversion rate = conversions / clicks, a fraction: 1,000 clicks and 50 purchases give 0.05.

    The other common denominator is audience reached (reference §1.4, https://taglab.net/?p=20597)."""
    return _div(conversions, clicks, "conversion rate")


def roas(revenue: Value, cost: Value) -> Value:
    """ROAS = attributed revenue / cost (a multiplier). Zero revenue gives 0; zero cost is undefined.

    Source (reference §1.4): https://help.modash.io/en/articles/13717414-tracking-sales-and-revenue-per-creator
    """
    return _div(revenue, cost, "ROAS")


def roi_revenue(revenue: Value, cost: Value) -> Value:
    """Revenue ROI = (revenue - cost) / cost, a fraction (equals ROAS - 1; it ignores margins).

    Source: https://sproutsocial.com/insights/influencer-marketing-roi (reference §1.4)."""
    return _div(revenue - cost, cost, "ROI (revenue)", revenue, cost)


def roi_margin(gross_profit: Value, cost: Value) -> Value:
    """Margin ROI = (gross profit - total cost) / total cost, a fraction; the version to teach (§1.4).

    Use the full cost (`campaign_cost(...).total`); EMV is never a return."""
    return _div(gross_profit - cost, cost, "ROI (margin)", gross_profit, cost)


def revenue_per_follower(revenue: Value, followers: Value) -> Value:
    """Revenue per follower = revenue / followers of the sponsoring creator (currency per follower).

    Beichert, Bayerl, Goldenberg & Lanz (2024), Journal of Marketing 88(4), doi:10.1177/00222429231217471
    (benchmarks revenue_per_follower_nano_beichert_2024, revenue_per_follower_macro_beichert_2024)."""
    return _div(revenue, followers, "revenue per follower")


def revenue_per_reach(revenue: Value, reach: Value) -> Value:
    """Revenue per reach = revenue / accounts reached (currency per account reached).

    Beichert et al. (2024), https://sage.cnpereading.com/doi/10.1177/00222429231217471."""
    return _div(revenue, reach, "revenue per reach")


def lift(cr_treated: Value, cr_control: Value) -> Value:
    """Lift = (CR_treated - CR_control) / CR_control, a fraction (0.25 = +25%). Reference §1.6."""
    return _div(cr_treated - cr_control, cr_control, "lift", cr_treated, cr_control)


def incremental_conversions(conv_treated: Value, cr_control: Value, n_treated: Value) -> Value:
    """Incremental conversions = conv_treated - CR_control x N_treated (a count; may be negative). §1.6."""
    return _carry(
        conv_treated - cr_control * n_treated, "incremental conversions", conv_treated, cr_control, n_treated
    )


def iroas(incremental_revenue: Value, spend: Value) -> Value:
    """iROAS = incremental revenue / spend (a multiplier), from a holdout or geo test (reference §1.6)."""
    return _div(incremental_revenue, spend, "iROAS")


# --------------------------------------------------------------------------- full cost
_COST_PARTS: dict[str, str] = {
    "creator_fees": "creator fees (contracts.fee)",
    "product": "gifted product (contracts.product_value)",
    "shipping": "shipping (contracts.shipping_cost)",
    "platform_agency_fees": "platform and agency fees (campaigns.agency_fees)",
    "paid_amplification": "paid amplification (campaigns.paid_amplification)",
    "staff": "staff cost (campaigns.staff_hours x campaigns.staff_hour_cost)",
}


@dataclass(frozen=True)
class CostBreakdown:
    """Full cost of a campaign in its currency (reference §1.3 and §7 item 13).

    creator_fees include usage rights and exclusivity (priced into the fee); product is the cost of goods
    of gifted product. EMV is never part of cost or return: it is a relative index (`playbook.analytics.emv`).
    A component the data lacks is an `Undefined` (NaN with its reason), never 0, and so is the total then:
    a cost with a part unknown is unknown (`known_total` and `missing` say what is known).
    """

    creator_fees: float
    product: float
    shipping: float
    platform_agency_fees: float
    paid_amplification: float
    staff_hours: float
    staff_hour_cost: float
    currency: str = ""

    @property
    def staff_cost(self) -> float:
        """Internal cost = staff hours x loaded cost of one hour (undefined when either is unknown)."""
        return _carry(
            self.staff_hours * self.staff_hour_cost, "staff cost", self.staff_hours, self.staff_hour_cost
        )

    def components(self) -> dict[str, float]:
        """Amount of each component (see `_COST_PARTS` for the columns), NaN where unknown."""
        names = ("creator_fees", "product", "shipping", "platform_agency_fees", "paid_amplification")
        return {n: getattr(self, n) for n in names} | {"staff": self.staff_cost}

    @property
    def missing(self) -> tuple[str, ...]:
        """The components the data lacks, in words with their source columns."""
        return tuple(_COST_PARTS[n] for n, v in self.components().items() if math.isnan(v))

    @property
    def known_total(self) -> float:
        """Sum of the known components only: a lower bound of the full cost when `missing` is not empty."""
        return float(sum(v for v in self.components().values() if not math.isnan(v)))

    @property
    def without_staff(self) -> float:
        """Spend in the budget's scope = full cost - staff cost (the budget excludes staff hours: data
        dictionary, campaigns.budget); undefined when a non-staff component is unknown."""
        parts = {n: v for n, v in self.components().items() if n != "staff"}
        unknown = [_COST_PARTS[n] for n, v in parts.items() if math.isnan(v)]
        if unknown:
            return Undefined("spend without staff: not in the data: " + "; ".join(unknown))
        return float(sum(parts.values()))

    @property
    def total(self) -> float:
        """fees + product + shipping + platform/agency fees + paid amplification + staff cost; undefined
        (with the unknown components named) when any of them is unknown."""
        if self.missing:
            return Undefined("full cost: not in the data: " + "; ".join(self.missing))
        return float(sum(self.components().values()))

    def as_frame(self) -> pd.DataFrame:
        """One row per component: component, amount, share (of the total; NaN when it is 0 or unknown)."""
        amount = pd.Series(self.components(), dtype="float64")
        share = _div(amount, self.total, "cost share", amount, self.total)
        out = pd.DataFrame(
            {"component": amount.index, "amount": amount.to_numpy(), "share": share.to_numpy()}
        )
        out.attrs = {"currency": self.currency, "total": self.total, "missing": list(self.missing)}
        return out


def _contract_sum(values: pd.Series, label: str, recorded: bool) -> float:
    """Sum of one contracts column over a campaign's contracts; undefined when a value is unknown or when
    the data records no contracts at all (`recorded` False). A campaign without contracts in data that
    records contracts has none: its sum is 0."""
    if not recorded:
        return Undefined(f"{label}: the data has no contracts table")
    unknown = int(values.isna().sum())
    if unknown:
        return Undefined(f"{label}: unknown for {unknown} of {len(values)} contracts")
    return float(values.sum())


def _campaign_value(value: object, label: str) -> float:
    """A campaign-level amount, undefined (with the column named) when the data lacks it."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return Undefined(f"{label}: not in the data")
    return float(value)


def campaign_cost(tables: dict[str, pd.DataFrame], campaign_id: str) -> CostBreakdown:
    """Full cost of one campaign from `contracts` (fee, product_value, shipping_cost summed) and `campaigns`
    (agency_fees, paid_amplification, staff_hours, staff_hour_cost). Amounts in the campaign's currency.

    Unknown inputs stay unknown (`Undefined` components, an undefined total); earned media value is never
    part of this cost or of any ROI built on it. Raises ValueError listing the known campaign ids for an
    unknown id.
    """
    campaigns = tables["campaigns"].set_index("campaign_id")
    if campaign_id not in campaigns.index:
        known = ", ".join(sorted(campaigns.index))
        raise ValueError(f"unknown campaign_id {campaign_id!r}; known campaign ids: {known}")
    c = campaigns.loc[campaign_id]
    contracts = tables["contracts"]
    mine = contracts[contracts["campaign_id"] == campaign_id]
    recorded = not contracts.empty
    return CostBreakdown(
        creator_fees=_contract_sum(mine["fee"], "creator fees (contracts.fee)", recorded),
        product=_contract_sum(mine["product_value"], "gifted product (contracts.product_value)", recorded),
        shipping=_contract_sum(mine["shipping_cost"], "shipping (contracts.shipping_cost)", recorded),
        platform_agency_fees=_campaign_value(c["agency_fees"], "campaigns.agency_fees"),
        paid_amplification=_campaign_value(c["paid_amplification"], "campaigns.paid_amplification"),
        staff_hours=_campaign_value(c["staff_hours"], "campaigns.staff_hours"),
        staff_hour_cost=_campaign_value(c["staff_hour_cost"], "campaigns.staff_hour_cost"),
        currency=str(c["currency"]),
    )
