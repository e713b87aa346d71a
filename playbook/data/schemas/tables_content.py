"""The contract's tables of creators, their accounts and audiences, brands, campaigns, posts and comments
(in the order `schemas.TABLES` lists them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playbook.data.schemas.spec import (
    Field,
    ForeignKey,
    RowRule,
    Table,
    count,
    key,
    le,
    money,
    not_before,
    ref,
    share,
    sum_le,
)
from playbook.data.schemas.vocabulary import (
    AGE_BUCKETS,
    ALL_PLATFORM_FORMATS,
    ALL_PLATFORMS,
    COMMENT_KINDS,
    COUNTRY_WORDS,
    CURRENCY_WORDS,
    FORMATS,
    INTERACTIONS,
    ISO_COUNTRIES,
    ISO_CURRENCIES,
    NICHES,
    OBJECTIVES,
    PROVENANCE,
    VIDEO_FORMATS,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONTENT_TABLES",
    "platform_format_valid",
]


def platform_format_valid(df: pd.DataFrame) -> pd.Series:
    """Row rule of `posts`: the format exists on the platform (`ALL_PLATFORM_FORMATS`)."""
    import pandas as pd

    allowed = {(p, f) for p, fs in ALL_PLATFORM_FORMATS.items() for f in fs}
    return pd.Series(
        [
            f is None or f != f or (p, f) in allowed
            for p, f in zip(df["platform"], df["format"], strict=False)
        ],
        index=df.index,
    )


CONTENT_TABLES: tuple[Table, ...] = (
    Table(
        "creators",
        "One row per creator (a person or duo), independent of platform.",
        (
            key("creator_id", "Creator key, e.g. CR00001."),
            Field("handle", "str", "Main handle without @.", unique=True),
            Field(
                "country",
                "str",
                "Country of residence (ISO 3166 alpha-2).",
                nullable=True,
                allowed=ISO_COUNTRIES,
                allowed_label=COUNTRY_WORDS,
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
    ),
    Table(
        "accounts",
        "One row per social account of a creator, with the profile snapshot taken on `snapshot_date`.",
        (
            key("account_id", "Account key, e.g. AC000001."),
            ref("creator_id", "Owner creator."),
            Field("platform", "str", "Platform.", allowed=ALL_PLATFORMS),
            Field("handle", "str", "Handle on this platform."),
            count("followers", "Followers (subscribers on YouTube) at snapshot.", nullable=True),
            count("following", "Accounts followed at snapshot.", nullable=True),
            count("posts_count", "Lifetime posts at snapshot.", nullable=True),
            Field("account_created", "date", "Account creation date.", nullable=True),
            Field("snapshot_date", "date", "Date of the profile snapshot.", nullable=True),
            share(
                "audience_credibility",
                "Share of followers judged to be real people (followers credibility).",
                nullable=True,
            ),
            share("likers_credibility", "Share of likers judged to be real people.", nullable=True),
        ),
        unique_together=("creator_id", "platform"),
        foreign_keys=(ForeignKey("creator_id", "creators", "creator_id"),),
        row_rules=(not_before("snapshot_date", "account_created"),),
    ),
    Table(
        "audience",
        "Audience mix of each account: share of followers per country, age bucket and gender.",
        (
            ref("account_id", "Account."),
            Field("dimension", "str", "Which breakdown.", allowed=("country", "age", "gender")),
            Field("bucket", "str", "Country code, age bucket (13-17 ... 45+) or gender."),
            share("share", "Share of the audience in this bucket; shares of one dimension sum to 1."),
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
    ),
    Table(
        "follower_daily",
        "Daily follower and following counts per account (end of day).",
        (
            ref("account_id", "Account."),
            Field("date", "date", "Day."),
            count("followers", "Followers at end of day."),
            count("following", "Following at end of day."),
        ),
        unique_together=("account_id", "date"),
        foreign_keys=(ForeignKey("account_id", "accounts", "account_id"),),
    ),
    Table(
        "brands",
        "Brands running campaigns, with their direct competitors.",
        (
            key("brand_id", "Brand key, e.g. BR001."),
            Field("name", "str", "Brand name.", unique=True),
            Field("category", "str", "Category, free text (compared with creator niches).", nullable=True),
            Field(
                "country",
                "str",
                "Home market.",
                nullable=True,
                allowed=ISO_COUNTRIES,
                allowed_label=COUNTRY_WORDS,
            ),
            Field("competitor_ids", "str", "Pipe-separated brand_ids of direct competitors.", nullable=True),
        ),
    ),
    Table(
        "campaigns",
        "Campaigns with objective, budget, dates, KPI targets and non-fee costs.",
        (
            key("campaign_id", "Campaign key, e.g. CP001."),
            ref("brand_id", "Brand."),
            Field("name", "str", "Campaign name."),
            Field("objective", "str", "Funnel objective; decides the KPI tree.", allowed=OBJECTIVES),
            Field(
                "currency",
                "str",
                "Currency of every amount of this campaign.",
                allowed=ISO_CURRENCIES,
                allowed_label=CURRENCY_WORDS,
            ),
            money(
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
                allowed_label=COUNTRY_WORDS,
            ),
            Field("target_age", "str", "Target age bucket.", allowed=AGE_BUCKETS, nullable=True),
            count(
                "target_reach", "KPI target: total reach (accounts); empty = no target set.", nullable=True
            ),
            share(
                "target_engagement_rate", "KPI target: engagements / reach; empty = no target.", nullable=True
            ),
            count("target_clicks", "KPI target: tracked link clicks; empty = no target.", nullable=True),
            count("target_conversions", "KPI target: attributed orders; empty = no target.", nullable=True),
            Field(
                "target_roas",
                "float",
                "KPI target: attributed revenue / total cost; empty = no target.",
                ge=0,
                unit="ratio",
                nullable=True,
            ),
            money(
                "paid_amplification", "Spend boosting creator posts as ads (partnership ads).", nullable=True
            ),
            money("agency_fees", "Platform and agency fees.", nullable=True),
            Field("staff_hours", "float", "Internal hours spent.", ge=0, unit="hours", nullable=True),
            money("staff_hour_cost", "Loaded cost of one internal hour.", nullable=True),
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
        row_rules=(not_before("end_date", "start_date"),),
    ),
    Table(
        "posts",
        "Posts with raw interaction counts; sponsored posts belong to a campaign.",
        (
            key("post_id", "Post key, e.g. PO0000001."),
            ref("account_id", "Account that posted."),
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
            ref("campaign_id", "Campaign of a sponsored post; empty for organic posts.", nullable=True),
            Field("caption", "str", "Caption text including hashtags and any disclosure.", nullable=True),
            count("likes", "Likes.", nullable=True),
            count("comments", "Comments.", nullable=True),
            count("shares", "Shares / reposts.", nullable=True),
            count("saves", "Saves / bookmarks.", nullable=True),
            count(
                "views", "Video views (3 s / platform definition); 0 for non-video formats.", nullable=True
            ),
            count("reach", "Unique accounts reached.", nullable=True),
            count("impressions", "Times shown, including repeats.", nullable=True),
            count("link_clicks", "Link clicks reported by the platform.", nullable=True),
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
                platform_format_valid,
            ),
            sum_le(INTERACTIONS, "reach"),
            le("reach", "impressions"),
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
    ),
    Table(
        "comments",
        "A sample of comments on posts, labelled by kind for comment-authenticity work.",
        (
            key("comment_id", "Comment key."),
            ref("post_id", "Post commented on."),
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
    ),
)
