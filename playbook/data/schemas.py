"""Data contracts: one declarative spec per table, turned into pandera schemas.

The spec is the single source of truth for column names, types, ranges, allowed values, keys and
descriptions. `data.loading` validates files against it and `data.dictionary` renders it as the
data dictionary (`datasets/README.md`), so the code, the data and the documentation cannot drift.
The spec imports neither pandas nor pandera (a row rule receives a DataFrame when it runs); pandera is
imported by `pandera_schema`, when data is validated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

__all__ = [
    "AGE_BUCKETS",
    "ALL_PLATFORMS",
    "ALL_PLATFORM_FORMATS",
    "ARMS",
    "CHANNELS",
    "COMMENT_KINDS",
    "COUNTRIES",
    "CURRENCIES",
    "DEVICES",
    "FORMATS",
    "FRAUD_ARCHETYPES",
    "GENDERS",
    "INCENTIVES",
    "INTERACTIONS",
    "KINDS",
    "NICHES",
    "OBJECTIVES",
    "OUTREACH_OUTCOMES",
    "PAYMENT_TERMS",
    "PLATFORMS",
    "PLATFORM_FORMATS",
    "PROVENANCE",
    "REPORTERS",
    "ROLES",
    "SAFETY_FLAGS",
    "SAMPLE_CURRENCIES",
    "TABLES",
    "TASK_CATEGORIES",
    "TEMPLATES",
    "USAGE_RIGHTS",
    "VIDEO_FORMATS",
    "Field",
    "ForeignKey",
    "RowRule",
    "Table",
    "pandera_schema",
]


if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa

# The platforms of the course and of the sample generator (the generator draws from these three only).
PLATFORMS = ("instagram", "tiktok", "youtube")
# Every platform the contract accepts, so real exports from other networks load ("other" for the rest).
ALL_PLATFORMS = (
    *PLATFORMS,
    "x",
    "facebook",
    "twitch",
    "pinterest",
    "linkedin",
    "snapchat",
    "threads",
    "other",
)
# The interaction counts of a post (the `posts` columns an engagement sum adds up).
INTERACTIONS: tuple[str, ...] = ("likes", "comments", "shares", "saves")
FORMATS = (
    "feed",
    "carousel",
    "reel",
    "story",
    "story_link",
    "short_video",
    "long_video",
    "text",
    "live",
    "pin",
)
# The formats of the course platforms (the generator draws from these).
PLATFORM_FORMATS = {
    "instagram": ("feed", "carousel", "reel", "story", "story_link"),
    "tiktok": ("short_video",),
    "youtube": ("short_video", "long_video"),
}
# Formats per accepted platform (our reading of each network's post types, 2026): X, Threads and LinkedIn
# carry text posts; Twitch streams (live) and clips (short_video); Pinterest pins; Snapchat stories and
# Spotlight (short_video); "other" accepts every format.
ALL_PLATFORM_FORMATS: dict[str, tuple[str, ...]] = {
    **PLATFORM_FORMATS,
    "x": ("text", "feed", "short_video", "long_video"),
    "facebook": ("text", "feed", "carousel", "reel", "story", "long_video", "live"),
    "twitch": ("live", "short_video"),
    "pinterest": ("pin", "short_video"),
    "linkedin": ("text", "feed", "carousel", "long_video", "live"),
    "snapchat": ("story", "short_video"),
    "threads": ("text", "feed", "carousel", "short_video"),
    "other": FORMATS,
}
VIDEO_FORMATS = ("reel", "short_video", "long_video", "live")
# The course's niche taxonomy (the generator draws from it); real data may carry any niche as free text and
# `data.vocab.course_niche` maps common wordings onto it.
NICHES = ("beauty", "fashion", "fitness", "food", "travel", "gaming", "tech", "parenting", "home", "finance")
# The markets of the sample generator; the contract accepts every ISO 3166-1 alpha-2 code (`ISO_COUNTRIES`).
COUNTRIES = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "CA", "AU", "BR", "MX", "IN")
AGE_BUCKETS = ("13-17", "18-24", "25-34", "35-44", "45+")
GENDERS = ("female", "male", "other")
SAFETY_FLAGS = ("profanity", "alcohol", "gambling", "politics", "controversy")
PROVENANCE = ("measured", "estimated", "self_reported")
COMMENT_KINDS = ("specific", "generic", "emoji", "pod")
OBJECTIVES = ("awareness", "consideration", "conversion")
# The sample's currencies; the contract accepts every ISO 4217 code (`ISO_CURRENCIES`).
SAMPLE_CURRENCIES = ("USD", "EUR", "GBP")
USAGE_RIGHTS = ("none", "organic_30d", "paid_90d", "perpetual")
PAYMENT_TERMS = (15, 30, 45, 60, 90)
CHANNELS = ("email", "dm", "platform_invite")
TEMPLATES = ("generic_cold", "personalised_pitch", "warm_reintro")
INCENTIVES = ("fee", "experience", "product")
OUTREACH_OUTCOMES = ("no_reply", "declined", "negotiation_failed", "agreed")
DEVICES = ("mobile", "desktop", "tablet")
ROLES = ("head_of_influencer", "campaign_manager", "creator_partnerships", "analyst", "content_coordinator")
TASK_CATEGORIES = (
    "strategy",
    "discovery",
    "outreach",
    "negotiation",
    "briefing",
    "approvals",
    "payments",
    "reporting",
    "relationship",
)
ARMS = ("treatment", "control")
FRAUD_ARCHETYPES = ("none", "bought_followers", "bought_likes", "engagement_pod", "mass_follow")
REPORTERS = ("platform", "creator_screenshot", "tracker_sheet")


def _iso_codes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """ISO 3166-1 alpha-2 country codes and ISO 4217 currency codes, from pycountry (maintained copies of
    the ISO tables, https://pypi.org/project/pycountry/)."""
    import pycountry

    countries = tuple(sorted(c.alpha_2 for c in pycountry.countries))
    currencies = tuple(sorted(c.alpha_3 for c in pycountry.currencies))
    return countries, currencies


ISO_COUNTRIES, ISO_CURRENCIES = _iso_codes()
CURRENCIES = ISO_CURRENCIES
_COUNTRY_WORDS = "an ISO 3166-1 alpha-2 country code (US, GB, ID, CO, TR...)"
_CURRENCY_WORDS = "an ISO 4217 currency code (USD, EUR, IDR...)"

KINDS = ("id", "str", "int", "float", "bool", "date", "datetime")


@dataclass(frozen=True)
class Field:
    """One column: its kind, meaning and the rules a value must satisfy."""

    name: str
    kind: str
    description: str
    nullable: bool = False
    unique: bool = False
    allowed: tuple | None = None
    ge: float | None = None
    le: float | None = None
    unit: str = ""
    allowed_label: str = ""  # words for a long `allowed` list (e.g. every ISO country code)

    def expected(self) -> str:
        """Human wording of what a valid value looks like (used in error messages and the dictionary)."""
        words = {
            "id": "a non-empty identifier",
            "str": "text",
            "int": "a whole number",
            "float": "a number",
            "bool": "true or false",
            "date": "a date YYYY-MM-DD",
            "datetime": "a timestamp YYYY-MM-DD HH:MM:SS",
        }[self.kind]
        parts = [words]
        if self.allowed_label:
            parts = [self.allowed_label]
        elif self.allowed is not None:
            parts = ["one of " + ", ".join(str(a) for a in self.allowed)]
        if self.ge is not None and self.le is not None:
            parts.append(f"between {self.ge:g} and {self.le:g}")
        elif self.ge is not None:
            parts.append(f">= {self.ge:g}")
        elif self.le is not None:
            parts.append(f"<= {self.le:g}")
        if self.unique:
            parts.append("unique")
        if not self.nullable:
            parts.append("required")
        return ", ".join(parts)


@dataclass(frozen=True)
class RowRule:
    """A rule across columns of one row; `check` returns True where a row is valid."""

    name: str
    description: str
    columns: tuple[str, ...]
    check: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class ForeignKey:
    """`column` of this table must match `ref_column` of `ref_table` (nulls allowed if the column is)."""

    column: str
    ref_table: str
    ref_column: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[Field, ...]
    unique_together: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    row_rules: tuple[RowRule, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _id(name: str, description: str, unique: bool = True) -> Field:
    return Field(name, "id", description, unique=unique)


def _ref(name: str, description: str, nullable: bool = False) -> Field:
    return Field(name, "id", description, nullable=nullable)


def _count(name: str, description: str, nullable: bool = False) -> Field:
    return Field(name, "int", description, nullable=nullable, ge=0, unit="count")


def _money(name: str, description: str, nullable: bool = False) -> Field:
    return Field(name, "float", description, nullable=nullable, ge=0, unit="campaign currency")


def _share(name: str, description: str, nullable: bool = False) -> Field:
    return Field(name, "float", description, nullable=nullable, ge=0, le=1, unit="fraction 0-1")


def _not_before(later: str, earlier: str) -> RowRule:
    """Row rule: `later` is empty or on/after `earlier`."""

    def check(df: pd.DataFrame) -> pd.Series:
        return df[later].isna() | df[earlier].isna() | (df[later] >= df[earlier])

    return RowRule(
        f"{later}_not_before_{earlier}", f"{later} is on or after {earlier}", (later, earlier), check
    )


def _sum_le(parts: tuple[str, ...], total: str) -> RowRule:
    def check(df: pd.DataFrame) -> pd.Series:
        return df[total].isna() | (df[list(parts)].sum(axis=1, skipna=True) <= df[total]).fillna(True)

    return RowRule(
        f"{'_'.join(parts)}_le_{total}",
        f"{' + '.join(parts)} <= {total} (unknown counts left out)",
        (*parts, total),
        check,
    )


def _le(small: str, big: str) -> RowRule:
    def check(df: pd.DataFrame) -> pd.Series:
        return df[small].isna() | df[big].isna() | (df[small] <= df[big])

    return RowRule(f"{small}_le_{big}", f"{small} <= {big}", (small, big), check)


def _platform_format_valid(df: pd.DataFrame) -> pd.Series:
    import pandas as pd

    allowed = {(p, f) for p, fs in ALL_PLATFORM_FORMATS.items() for f in fs}
    return pd.Series(
        [
            f is None or f != f or (p, f) in allowed
            for p, f in zip(df["platform"], df["format"], strict=False)
        ],
        index=df.index,
    )


TABLES: dict[str, Table] = {}


def _register(table: Table) -> None:
    TABLES[table.name] = table


_register(
    Table(
        "creators",
        "One row per creator (a person or duo), independent of platform.",
        (
            _id("creator_id", "Creator key, e.g. CR00001."),
            Field("handle", "str", "Main handle without @.", unique=True),
            Field(
                "country",
                "str",
                "Country of residence (ISO 3166 alpha-2).",
                nullable=True,
                allowed=ISO_COUNTRIES,
                allowed_label=_COUNTRY_WORDS,
            ),
            Field(
                "niche",
                "str",
                "Primary niche, free text (the course taxonomy: " + ", ".join(NICHES) + ").",
                nullable=True,
            ),
            Field(
                "topics",
                "str",
                "Pipe-separated topics the creator posts about, most frequent first.",
                nullable=True,
            ),
            Field("safety_flags", "str", "Pipe-separated brand-safety flags seen in content.", nullable=True),
            Field(
                "joined_date", "date", "Date the creator entered the brand's creator database.", nullable=True
            ),
        ),
    )
)

_register(
    Table(
        "accounts",
        "One row per social account of a creator, with the profile snapshot taken on `snapshot_date`.",
        (
            _id("account_id", "Account key, e.g. AC000001."),
            _ref("creator_id", "Owner creator."),
            Field("platform", "str", "Platform.", allowed=ALL_PLATFORMS),
            Field("handle", "str", "Handle on this platform."),
            _count("followers", "Followers (subscribers on YouTube) at snapshot.", nullable=True),
            _count("following", "Accounts followed at snapshot.", nullable=True),
            _count("posts_count", "Lifetime posts at snapshot.", nullable=True),
            Field("account_created", "date", "Account creation date.", nullable=True),
            Field("snapshot_date", "date", "Date of the profile snapshot.", nullable=True),
            _share(
                "audience_credibility",
                "Share of followers judged to be real people (followers credibility).",
                nullable=True,
            ),
            _share("likers_credibility", "Share of likers judged to be real people.", nullable=True),
        ),
        unique_together=("creator_id", "platform"),
        foreign_keys=(ForeignKey("creator_id", "creators", "creator_id"),),
        row_rules=(_not_before("snapshot_date", "account_created"),),
    )
)

_register(
    Table(
        "audience",
        "Audience mix of each account: share of followers per country, age bucket and gender.",
        (
            _ref("account_id", "Account."),
            Field("dimension", "str", "Which breakdown.", allowed=("country", "age", "gender")),
            Field("bucket", "str", "Country code, age bucket (13-17 ... 45+) or gender."),
            _share("share", "Share of the audience in this bucket; shares of one dimension sum to 1."),
        ),
        unique_together=("account_id", "dimension", "bucket"),
        foreign_keys=(ForeignKey("account_id", "accounts", "account_id"),),
        row_rules=(
            RowRule(
                "shares_sum_to_one",
                "the shares of one account and dimension sum to 1 (within 0.001)",
                ("account_id", "dimension", "share"),
                lambda df: (
                    (df.groupby(["account_id", "dimension"])["share"].transform("sum") - 1).abs() <= 0.001
                ),
            ),
        ),
    )
)

_register(
    Table(
        "follower_daily",
        "Daily follower and following counts per account (end of day).",
        (
            _ref("account_id", "Account."),
            Field("date", "date", "Day."),
            _count("followers", "Followers at end of day."),
            _count("following", "Following at end of day."),
        ),
        unique_together=("account_id", "date"),
        foreign_keys=(ForeignKey("account_id", "accounts", "account_id"),),
    )
)

_register(
    Table(
        "brands",
        "Brands running campaigns, with their direct competitors.",
        (
            _id("brand_id", "Brand key, e.g. BR001."),
            Field("name", "str", "Brand name.", unique=True),
            Field("category", "str", "Category, free text (compared with creator niches).", nullable=True),
            Field(
                "country",
                "str",
                "Home market.",
                nullable=True,
                allowed=ISO_COUNTRIES,
                allowed_label=_COUNTRY_WORDS,
            ),
            Field("competitor_ids", "str", "Pipe-separated brand_ids of direct competitors.", nullable=True),
        ),
    )
)

_register(
    Table(
        "campaigns",
        "Campaigns with objective, budget, dates, KPI targets and non-fee costs.",
        (
            _id("campaign_id", "Campaign key, e.g. CP001."),
            _ref("brand_id", "Brand."),
            Field("name", "str", "Campaign name."),
            Field("objective", "str", "Funnel objective; decides the KPI tree.", allowed=OBJECTIVES),
            Field(
                "currency",
                "str",
                "Currency of every amount of this campaign.",
                allowed=ISO_CURRENCIES,
                allowed_label=_CURRENCY_WORDS,
            ),
            _money(
                "budget",
                "Total budget including fees, product, amplification and agency fees.",
                nullable=True,
            ),
            Field("start_date", "date", "First posting day."),
            Field("end_date", "date", "Last posting day."),
            Field(
                "target_country",
                "str",
                "Main market.",
                nullable=True,
                allowed=ISO_COUNTRIES,
                allowed_label=_COUNTRY_WORDS,
            ),
            Field("target_age", "str", "Target age bucket.", allowed=AGE_BUCKETS, nullable=True),
            _count(
                "target_reach", "KPI target: total reach (accounts); empty = no target set.", nullable=True
            ),
            _share(
                "target_engagement_rate", "KPI target: engagements / reach; empty = no target.", nullable=True
            ),
            _count("target_clicks", "KPI target: tracked link clicks; empty = no target.", nullable=True),
            _count("target_conversions", "KPI target: attributed orders; empty = no target.", nullable=True),
            Field(
                "target_roas",
                "float",
                "KPI target: attributed revenue / total cost; empty = no target.",
                ge=0,
                unit="ratio",
                nullable=True,
            ),
            _money(
                "paid_amplification", "Spend boosting creator posts as ads (partnership ads).", nullable=True
            ),
            _money("agency_fees", "Platform and agency fees.", nullable=True),
            Field("staff_hours", "float", "Internal hours spent.", ge=0, unit="hours", nullable=True),
            _money("staff_hour_cost", "Loaded cost of one internal hour.", nullable=True),
            Field(
                "attribution_window_days",
                "int",
                "Default last-touch click window.",
                ge=1,
                le=90,
                unit="days",
                nullable=True,
            ),
        ),
        foreign_keys=(ForeignKey("brand_id", "brands", "brand_id"),),
        row_rules=(_not_before("end_date", "start_date"),),
    )
)

_register(
    Table(
        "posts",
        "Posts with raw interaction counts; sponsored posts belong to a campaign.",
        (
            _id("post_id", "Post key, e.g. PO0000001."),
            _ref("account_id", "Account that posted."),
            Field("platform", "str", "Platform.", allowed=ALL_PLATFORMS),
            Field(
                "format",
                "str",
                "Content format (must exist on the platform).",
                allowed=FORMATS,
                nullable=True,
            ),
            Field("posted_at", "datetime", "Publication time (UTC)."),
            Field("sponsored", "bool", "Paid partnership (the brand paid or gifted)."),
            _ref("campaign_id", "Campaign of a sponsored post; empty for organic posts.", nullable=True),
            Field("caption", "str", "Caption text including hashtags and any disclosure.", nullable=True),
            _count("likes", "Likes.", nullable=True),
            _count("comments", "Comments.", nullable=True),
            _count("shares", "Shares / reposts.", nullable=True),
            _count("saves", "Saves / bookmarks.", nullable=True),
            _count(
                "views", "Video views (3 s / platform definition); 0 for non-video formats.", nullable=True
            ),
            _count("reach", "Unique accounts reached.", nullable=True),
            _count("impressions", "Times shown, including repeats.", nullable=True),
            _count("link_clicks", "Link clicks reported by the platform.", nullable=True),
            Field("provenance", "str", "Where the metrics come from.", allowed=PROVENANCE),
        ),
        foreign_keys=(
            ForeignKey("account_id", "accounts", "account_id"),
            ForeignKey("campaign_id", "campaigns", "campaign_id"),
        ),
        row_rules=(
            RowRule(
                "platform_format_valid",
                "format exists on the platform",
                ("platform", "format"),
                _platform_format_valid,
            ),
            _sum_le(INTERACTIONS, "reach"),
            _le("reach", "impressions"),
            RowRule(
                "views_only_on_video",
                "views is 0 for non-video formats (feed, carousel, story, story_link)",
                ("format", "views"),
                lambda df: (
                    df["format"].isin(VIDEO_FORMATS) | df["format"].isna() | (df["views"].fillna(0) == 0)
                ),
            ),
            RowRule(
                "sponsored_has_campaign",
                "sponsored posts have a campaign_id and organic ones do not",
                ("sponsored", "campaign_id"),
                lambda df: df["sponsored"].astype(bool) == df["campaign_id"].notna(),
            ),
        ),
    )
)

_register(
    Table(
        "comments",
        "A sample of comments on posts, labelled by kind for comment-authenticity work.",
        (
            _id("comment_id", "Comment key."),
            _ref("post_id", "Post commented on."),
            Field("commenter_id", "str", "Pseudonymous commenter account.", nullable=True),
            Field("text", "str", "Comment text."),
            Field(
                "kind",
                "str",
                "Ground-truth kind (sample data only; leave empty in your own exports).",
                allowed=COMMENT_KINDS,
                nullable=True,
            ),
            Field("commented_at", "datetime", "Time of the comment (UTC).", nullable=True),
        ),
        foreign_keys=(ForeignKey("post_id", "posts", "post_id"),),
    )
)

_register(
    Table(
        "contracts",
        "One contract per creator per campaign, with the inputs of the transparent fee model.",
        (
            _id("contract_id", "Contract key."),
            _ref("campaign_id", "Campaign."),
            _ref("creator_id", "Creator."),
            _ref("account_id", "Account the deliverables are posted on."),
            Field("signed_date", "date", "Signature date.", nullable=True),
            _count("deliverables_count", "Number of deliverables.", nullable=True),
            Field(
                "cpm_assumed",
                "float",
                "CPM used to price the deal.",
                ge=0,
                unit="currency per 1,000 views",
                nullable=True,
            ),
            _count(
                "expected_views", "Expected views (or reach) per deliverable used in pricing.", nullable=True
            ),
            Field(
                "format_uplift", "float", "Format multiplier applied.", ge=1, unit="multiplier", nullable=True
            ),
            Field("usage_rights", "str", "Usage rights bought.", allowed=USAGE_RIGHTS, nullable=True),
            Field(
                "usage_uplift",
                "float",
                "Usage-rights / exclusivity multiplier.",
                ge=1,
                unit="multiplier",
                nullable=True,
            ),
            _count("exclusivity_days", "Days the creator may not work with competitors.", nullable=True),
            _money("fee", "Total creator fee for all deliverables.", nullable=True),
            _money("product_value", "Cost of goods of gifted product.", nullable=True),
            _money("shipping_cost", "Shipping of gifted product.", nullable=True),
            Field(
                "payment_terms_days",
                "int",
                "Net payment terms.",
                allowed=PAYMENT_TERMS,
                unit="days",
                nullable=True,
            ),
        ),
        unique_together=("campaign_id", "creator_id"),
        foreign_keys=(
            ForeignKey("campaign_id", "campaigns", "campaign_id"),
            ForeignKey("creator_id", "creators", "creator_id"),
            ForeignKey("account_id", "accounts", "account_id"),
        ),
    )
)

_register(
    Table(
        "deliverables",
        "Each contracted piece of content from shipping to payment.",
        (
            _id("deliverable_id", "Deliverable key."),
            _ref("contract_id", "Contract."),
            Field("format", "str", "Format.", allowed=FORMATS, nullable=True),
            Field("product_shipped_date", "date", "Product shipped to the creator.", nullable=True),
            Field("due_date", "date", "Contracted posting date.", nullable=True),
            Field("draft_submitted_date", "date", "First draft received.", nullable=True),
            Field("revision_rounds", "int", "Revision rounds before approval.", ge=0, le=6, nullable=True),
            Field("approved_date", "date", "Final approval.", nullable=True),
            Field("posted_date", "date", "Actual posting date.", nullable=True),
            _ref("post_id", "The resulting post.", nullable=True),
            Field("invoiced_date", "date", "Creator invoice received.", nullable=True),
            Field("paid_date", "date", "Payment sent.", nullable=True),
            _money("amount", "Share of the contract fee for this deliverable.", nullable=True),
        ),
        foreign_keys=(
            ForeignKey("contract_id", "contracts", "contract_id"),
            ForeignKey("post_id", "posts", "post_id"),
        ),
        row_rules=(
            _not_before("approved_date", "draft_submitted_date"),
            _not_before("posted_date", "approved_date"),
            _not_before("invoiced_date", "posted_date"),
            _not_before("paid_date", "invoiced_date"),
        ),
    )
)

_register(
    Table(
        "outreach",
        "Outreach messages and the funnel stage each reached, with timestamps.",
        (
            _id("message_id", "Outreach key."),
            _ref("campaign_id", "Campaign recruited for."),
            _ref("creator_id", "Creator contacted."),
            Field("channel", "str", "Channel.", allowed=CHANNELS),
            Field("template", "str", "Message template.", allowed=TEMPLATES),
            Field("personalised", "bool", "Message personalised to the creator's content."),
            Field("incentive", "str", "What was offered.", allowed=INCENTIVES),
            Field("follow_ups", "int", "Follow-ups sent after the first message.", ge=0, le=3),
            Field("sent_at", "datetime", "First message sent."),
            Field("replied_at", "datetime", "First reply.", nullable=True),
            Field("negotiation_started_at", "datetime", "Terms discussed.", nullable=True),
            Field("agreed_at", "datetime", "Deal agreed.", nullable=True),
            Field("outcome", "str", "Final outcome.", allowed=OUTREACH_OUTCOMES),
        ),
        unique_together=("campaign_id", "creator_id"),
        foreign_keys=(
            ForeignKey("campaign_id", "campaigns", "campaign_id"),
            ForeignKey("creator_id", "creators", "creator_id"),
        ),
        row_rules=(
            _not_before("replied_at", "sent_at"),
            _not_before("negotiation_started_at", "replied_at"),
            _not_before("agreed_at", "negotiation_started_at"),
        ),
    )
)

_register(
    Table(
        "promo_codes",
        "Discount codes: creator codes credit their owner; site-wide codes credit nobody.",
        (
            _id("code", "The code customers type."),
            _ref("campaign_id", "Campaign."),
            _ref("creator_id", "Owner; empty for site-wide codes.", nullable=True),
            _share("discount_pct", "Discount as a fraction of order value.", nullable=True),
            Field("sitewide", "bool", "Public site-wide code."),
        ),
        row_rules=(
            RowRule(
                "sitewide_has_no_owner",
                "site-wide codes have no creator_id and creator codes have one",
                ("sitewide", "creator_id"),
                lambda df: df["sitewide"].astype(bool) == df["creator_id"].isna(),
            ),
        ),
        foreign_keys=(
            ForeignKey("campaign_id", "campaigns", "campaign_id"),
            ForeignKey("creator_id", "creators", "creator_id"),
        ),
    )
)

_register(
    Table(
        "tracking_links",
        "One UTM tracking link per creator per campaign.",
        (
            _id("link_id", "Link key."),
            _ref("campaign_id", "Campaign."),
            _ref("creator_id", "Creator."),
            Field("url", "str", "Full URL with UTM parameters.", nullable=True),
            Field("utm_source", "str", "utm_source.", nullable=True),
            Field("utm_medium", "str", "utm_medium (platform).", nullable=True),
            Field("utm_campaign", "str", "utm_campaign.", nullable=True),
            Field("utm_content", "str", "utm_content (creator handle).", nullable=True),
        ),
        unique_together=("campaign_id", "creator_id"),
        foreign_keys=(
            ForeignKey("campaign_id", "campaigns", "campaign_id"),
            ForeignKey("creator_id", "creators", "creator_id"),
        ),
    )
)

_register(
    Table(
        "orders",
        "Store order ledger with the code and last tracked click of each order (not attributed yet).",
        (
            _id("order_id", "Order key."),
            _ref("brand_id", "Store's brand."),
            Field("ordered_at", "datetime", "Order time (UTC)."),
            Field("customer_id", "str", "Pseudonymous customer.", nullable=True),
            Field("new_customer", "bool", "First order of this customer.", nullable=True),
            _money("order_value", "Revenue after discount."),
            _money("margin", "Gross profit of the order (revenue - COGS).", nullable=True),
            _ref("promo_code", "Code used, if any.", nullable=True),
            _ref("link_id", "Last tracked influencer link clicked before the order, if any.", nullable=True),
            Field("click_at", "datetime", "Time of that click.", nullable=True),
            Field("device", "str", "Device.", allowed=DEVICES, nullable=True),
            Field("geo_id", "str", "Customer region (used by geo experiments).", nullable=True),
            Field(
                "leaked_code",
                "bool",
                "Ground truth (sample data only; leave empty in your own exports): the code reached this "
                "customer via a coupon site.",
                nullable=True,
            ),
        ),
        foreign_keys=(
            ForeignKey("brand_id", "brands", "brand_id"),
            ForeignKey("promo_code", "promo_codes", "code"),
            ForeignKey("link_id", "tracking_links", "link_id"),
        ),
        row_rules=(
            _le("margin", "order_value"),
            RowRule(
                "click_before_order",
                "click_at is empty or before ordered_at, and present exactly when link_id is",
                ("click_at", "ordered_at", "link_id"),
                lambda df: (
                    (df["click_at"].isna() == df["link_id"].isna())
                    & (df["click_at"].isna() | (df["click_at"] <= df["ordered_at"]))
                ),
            ),
        ),
    )
)

_register(
    Table(
        "reported_results",
        "Results as reported by the affiliate platform or by creators' screenshots, for reconciliation.",
        (
            _ref("campaign_id", "Campaign."),
            _ref("creator_id", "Creator."),
            Field("reported_by", "str", "Who reported.", allowed=REPORTERS),
            _count("clicks", "Reported clicks.", nullable=True),
            _count("conversions", "Reported conversions.", nullable=True),
            _money("revenue", "Reported revenue.", nullable=True),
        ),
        unique_together=("campaign_id", "creator_id", "reported_by"),
        foreign_keys=(
            ForeignKey("campaign_id", "campaigns", "campaign_id"),
            ForeignKey("creator_id", "creators", "creator_id"),
        ),
    )
)

_register(
    Table(
        "experiments",
        "Geo holdout experiments, with the true lift planted by the generator (ground truth).",
        (
            _id("experiment_id", "Experiment key."),
            _ref("campaign_id", "Campaign tested."),
            Field("design", "str", "Design.", allowed=("geo_holdout",)),
            Field("n_geos", "int", "Number of geos in the experiment.", ge=2),
            _share("holdout_share", "Share of geos held out (control)."),
            Field("start_date", "date", "First day."),
            Field("end_date", "date", "Last day."),
            Field(
                "true_lift",
                "float",
                "Ground truth relative lift planted in treated geos (sample data only; empty in real data).",
                ge=-1,
                nullable=True,
            ),
        ),
        foreign_keys=(ForeignKey("campaign_id", "campaigns", "campaign_id"),),
        row_rules=(_not_before("end_date", "start_date"),),
    )
)

_register(
    Table(
        "experiment_geo_daily",
        "Daily conversions and revenue per geo and arm of each experiment.",
        (
            _ref("experiment_id", "Experiment."),
            Field("geo_id", "str", "Geo."),
            Field("arm", "str", "Arm.", allowed=ARMS),
            Field("date", "date", "Day."),
            _count("population", "Addressable customers in the geo."),
            _count("conversions", "Orders that day."),
            _money("revenue", "Revenue that day."),
        ),
        unique_together=("experiment_id", "geo_id", "date"),
        foreign_keys=(ForeignKey("experiment_id", "experiments", "experiment_id"),),
    )
)

_register(
    Table(
        "team",
        "Team members and weekly capacity.",
        (
            _id("member_id", "Member key."),
            Field("name", "str", "Name."),
            Field("role", "str", "Role.", allowed=ROLES),
            Field("weekly_capacity_hours", "float", "Hours available per week.", ge=0, le=60, unit="hours"),
            Field("start_date", "date", "Joined the team."),
        ),
    )
)

_register(
    Table(
        "tasks",
        "Team tasks with estimates, due dates and completion.",
        (
            _id("task_id", "Task key."),
            _ref("member_id", "Owner."),
            _ref("campaign_id", "Campaign; empty for programme work.", nullable=True),
            Field("category", "str", "Kind of work.", allowed=TASK_CATEGORIES),
            Field("title", "str", "Short title."),
            Field("created_date", "date", "Created."),
            Field("due_date", "date", "Due."),
            Field("estimate_hours", "float", "Estimated effort.", ge=0, unit="hours"),
            Field("actual_hours", "float", "Actual effort once done.", nullable=True, ge=0, unit="hours"),
            Field("done_date", "date", "Completed.", nullable=True),
        ),
        foreign_keys=(
            ForeignKey("member_id", "team", "member_id"),
            ForeignKey("campaign_id", "campaigns", "campaign_id"),
        ),
        row_rules=(
            _not_before("due_date", "created_date"),
            _not_before("done_date", "created_date"),
            RowRule(
                "actual_iff_done",
                "actual_hours is present exactly when done_date is",
                ("actual_hours", "done_date"),
                lambda df: df["actual_hours"].isna() == df["done_date"].isna(),
            ),
        ),
    )
)

_register(
    Table(
        "topic_daily",
        "Daily volume of posts and engagements per hashtag/topic and platform.",
        (
            Field("date", "date", "Day."),
            Field("platform", "str", "Platform.", allowed=ALL_PLATFORMS),
            Field("topic", "str", "Hashtag (with #) or topic."),
            _count("posts", "Posts using it that day."),
            _count("engagements", "Engagements on those posts."),
        ),
        unique_together=("date", "platform", "topic"),
    )
)

_register(
    Table(
        "trend_labels",
        "Ground truth: the planted rising trends and their onset.",
        (
            Field("topic", "str", "Hashtag/topic."),
            Field("platform", "str", "Platform.", allowed=ALL_PLATFORMS),
            Field("onset_date", "date", "First day of the rise."),
            Field("daily_growth", "float", "Planted daily growth rate of volume after onset.", ge=0),
        ),
        unique_together=("topic", "platform"),
    )
)

_register(
    Table(
        "fraud_labels",
        "Ground truth fraud archetype per account (none for clean accounts).",
        (
            _id("account_id", "Account."),
            Field("archetype", "str", "Fraud archetype.", allowed=FRAUD_ARCHETYPES),
            Field("onset_date", "date", "Day the fraud started; empty for none.", nullable=True),
        ),
        row_rules=(
            RowRule(
                "onset_iff_fraud",
                "onset_date is empty exactly when archetype is none",
                ("archetype", "onset_date"),
                lambda df: (df["archetype"] == "none") == df["onset_date"].isna(),
            ),
        ),
        foreign_keys=(ForeignKey("account_id", "accounts", "account_id"),),
    )
)


@cache
def pandera_schema(table: Table) -> pa.DataFrameSchema:
    """Build the pandera schema of a table (values already parsed to their kinds); built once per table.

    Dtypes are those `playbook.data.loading.load` returns: nullable ints/bools use the pandas nullable dtypes
    (`Int64`, `boolean`), required ones plain numpy (`int64`, `bool`); floats are `float64` with NaN.
    """
    dtypes = {
        "id": "str",
        "str": "str",
        "int": "int64",
        "float": "float64",
        "bool": "bool",
        "date": "datetime64[ns]",
        "datetime": "datetime64[ns]",
    }
    import pandera.pandas as pa

    nullable_dtypes = {"int": "Int64", "bool": "boolean"}
    columns = {}
    for f in table.fields:
        dtype = nullable_dtypes.get(f.kind, dtypes[f.kind]) if f.nullable else dtypes[f.kind]
        checks = []
        if f.allowed is not None:
            checks.append(pa.Check.isin(list(f.allowed)))
        if f.ge is not None:
            checks.append(pa.Check.ge(f.ge))
        if f.le is not None:
            checks.append(pa.Check.le(f.le))
        if f.kind == "id":
            checks.append(pa.Check(lambda s: s.str.len() > 0, name="non_empty"))
        columns[f.name] = pa.Column(
            dtype, checks=checks, nullable=f.nullable, unique=f.unique, description=f.description
        )
    rules = [pa.Check(rule.check, name=rule.name, error=rule.description) for rule in table.row_rules]
    return pa.DataFrameSchema(
        columns,
        checks=rules,
        unique=list(table.unique_together) or None,
        strict=True,
        ordered=False,
        name=table.name,
    )
