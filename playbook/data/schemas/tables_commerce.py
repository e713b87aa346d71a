"""The contract's tables of deals and sales: contracts, deliverables, outreach, promo codes, tracking
links, orders, reported results and geo experiments (in the order `schemas.TABLES` lists them)."""

from __future__ import annotations

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
)
from playbook.data.schemas.vocabulary import (
    ARMS,
    CHANNELS,
    DEVICES,
    FORMATS,
    INCENTIVES,
    OUTREACH_OUTCOMES,
    PAYMENT_TERMS,
    REPORTERS,
    TEMPLATES,
    USAGE_RIGHTS,
)

__all__ = [
    "COMMERCE_TABLES",
]


COMMERCE_TABLES: tuple[Table, ...] = (
    Table(
        "contracts",
        "One contract per creator per campaign, with the inputs of the transparent fee model.",
        (
            key("contract_id", "Contract key."),
            ref("campaign_id", "Campaign."),
            ref("creator_id", "Creator."),
            ref("account_id", "Account the deliverables are posted on."),
            Field("signed_date", "date", "Signature date.", nullable=True),
            count("deliverables_count", "Number of deliverables.", nullable=True),
            Field(
                "cpm_assumed",
                "float",
                "CPM used to price the deal.",
                ge=0,
                unit="currency per 1,000 views",
                nullable=True,
            ),
            count(
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
            count("exclusivity_days", "Days the creator may not work with competitors.", nullable=True),
            money("fee", "Total creator fee for all deliverables.", nullable=True),
            money("product_value", "Cost of goods of gifted product.", nullable=True),
            money("shipping_cost", "Shipping of gifted product.", nullable=True),
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
    ),
    Table(
        "deliverables",
        "Each contracted piece of content from shipping to payment.",
        (
            key("deliverable_id", "Deliverable key."),
            ref("contract_id", "Contract."),
            Field("format", "str", "Format.", allowed=FORMATS, nullable=True),
            Field("product_shipped_date", "date", "Product shipped to the creator.", nullable=True),
            Field("due_date", "date", "Contracted posting date.", nullable=True),
            Field("draft_submitted_date", "date", "First draft received.", nullable=True),
            Field("revision_rounds", "int", "Revision rounds before approval.", ge=0, le=6, nullable=True),
            Field("approved_date", "date", "Final approval.", nullable=True),
            Field("posted_date", "date", "Actual posting date.", nullable=True),
            ref("post_id", "The resulting post.", nullable=True),
            Field("invoiced_date", "date", "Creator invoice received.", nullable=True),
            Field("paid_date", "date", "Payment sent.", nullable=True),
            money("amount", "Share of the contract fee for this deliverable.", nullable=True),
        ),
        foreign_keys=(
            ForeignKey("contract_id", "contracts", "contract_id"),
            ForeignKey("post_id", "posts", "post_id"),
        ),
        row_rules=(
            not_before("approved_date", "draft_submitted_date"),
            not_before("posted_date", "approved_date"),
            not_before("invoiced_date", "posted_date"),
            not_before("paid_date", "invoiced_date"),
        ),
    ),
    Table(
        "outreach",
        "Outreach messages and the funnel stage each reached, with timestamps.",
        (
            key("message_id", "Outreach key."),
            ref("campaign_id", "Campaign recruited for."),
            ref("creator_id", "Creator contacted."),
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
            not_before("replied_at", "sent_at"),
            not_before("negotiation_started_at", "replied_at"),
            not_before("agreed_at", "negotiation_started_at"),
        ),
    ),
    Table(
        "promo_codes",
        "Discount codes: creator codes credit their owner; site-wide codes credit nobody.",
        (
            key("code", "The code customers type."),
            ref("campaign_id", "Campaign."),
            ref("creator_id", "Owner; empty for site-wide codes.", nullable=True),
            share("discount_pct", "Discount as a fraction of order value.", nullable=True),
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
    ),
    Table(
        "tracking_links",
        "One UTM tracking link per creator per campaign.",
        (
            key("link_id", "Link key."),
            ref("campaign_id", "Campaign."),
            ref("creator_id", "Creator."),
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
    ),
    Table(
        "orders",
        "Store order ledger with the code and last tracked click of each order (not attributed yet).",
        (
            key("order_id", "Order key."),
            ref("brand_id", "Store's brand."),
            Field("ordered_at", "datetime", "Order time (UTC)."),
            Field("customer_id", "str", "Pseudonymous customer.", nullable=True),
            Field("new_customer", "bool", "First order of this customer.", nullable=True),
            money("order_value", "Revenue after discount."),
            money("margin", "Gross profit of the order (revenue - COGS).", nullable=True),
            ref("promo_code", "Code used, if any.", nullable=True),
            ref("link_id", "Last tracked influencer link clicked before the order, if any.", nullable=True),
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
            le("margin", "order_value"),
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
    ),
    Table(
        "reported_results",
        "Results as reported by the affiliate platform or by creators' screenshots, for reconciliation.",
        (
            ref("campaign_id", "Campaign."),
            ref("creator_id", "Creator."),
            Field("reported_by", "str", "Who reported.", allowed=REPORTERS),
            count("clicks", "Reported clicks.", nullable=True),
            count("conversions", "Reported conversions.", nullable=True),
            money("revenue", "Reported revenue.", nullable=True),
        ),
        unique_together=("campaign_id", "creator_id", "reported_by"),
        foreign_keys=(
            ForeignKey("campaign_id", "campaigns", "campaign_id"),
            ForeignKey("creator_id", "creators", "creator_id"),
        ),
    ),
    Table(
        "experiments",
        "Geo holdout experiments, with the true lift planted by the generator (ground truth).",
        (
            key("experiment_id", "Experiment key."),
            ref("campaign_id", "Campaign tested."),
            Field("design", "str", "Design.", allowed=("geo_holdout",)),
            Field("n_geos", "int", "Number of geos in the experiment.", ge=2),
            share("holdout_share", "Share of geos held out (control)."),
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
        row_rules=(not_before("end_date", "start_date"),),
    ),
    Table(
        "experiment_geo_daily",
        "Daily conversions and revenue per geo and arm of each experiment.",
        (
            ref("experiment_id", "Experiment."),
            Field("geo_id", "str", "Geo."),
            Field("arm", "str", "Arm.", allowed=ARMS),
            Field("date", "date", "Day."),
            count("population", "Addressable customers in the geo."),
            count("conversions", "Orders that day."),
            money("revenue", "Revenue that day."),
        ),
        unique_together=("experiment_id", "geo_id", "date"),
        foreign_keys=(ForeignKey("experiment_id", "experiments", "experiment_id"),),
    ),
)
