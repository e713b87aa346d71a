"""The contract's tables of the team (members, tasks), topic trends and the generator's ground-truth
labels (in the order `schemas.TABLES` lists them)."""

from __future__ import annotations

from playbook.data.schemas.spec import Field, ForeignKey, RowRule, Table, count, key, not_before, ref
from playbook.data.schemas.vocabulary import ALL_PLATFORMS, FRAUD_ARCHETYPES, ROLES, TASK_CATEGORIES

__all__ = [
    "OPERATIONS_TABLES",
]


OPERATIONS_TABLES: tuple[Table, ...] = (
    Table(
        "team",
        "Team members and weekly capacity.",
        (
            key("member_id", "Member key."),
            Field("name", "str", "Name."),
            Field("role", "str", "Role.", allowed=ROLES),
            Field("weekly_capacity_hours", "float", "Hours available per week.", ge=0, le=60, unit="hours"),
            Field("start_date", "date", "Joined the team."),
        ),
    ),
    Table(
        "tasks",
        "Team tasks with estimates, due dates and completion.",
        (
            key("task_id", "Task key."),
            ref("member_id", "Owner."),
            ref("campaign_id", "Campaign; empty for programme work.", nullable=True),
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
            not_before("due_date", "created_date"),
            not_before("done_date", "created_date"),
            RowRule(
                "actual_iff_done",
                "actual_hours is present exactly when done_date is",
                ("actual_hours", "done_date"),
                lambda df: df["actual_hours"].isna() == df["done_date"].isna(),
            ),
        ),
    ),
    Table(
        "topic_daily",
        "Daily volume of posts and engagements per hashtag/topic and platform.",
        (
            Field("date", "date", "Day."),
            Field("platform", "str", "Platform.", allowed=ALL_PLATFORMS),
            Field("topic", "str", "Hashtag (with #) or topic."),
            count("posts", "Posts using it that day."),
            count("engagements", "Engagements on those posts."),
        ),
        unique_together=("date", "platform", "topic"),
    ),
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
    ),
    Table(
        "fraud_labels",
        "Ground truth fraud archetype per account (none for clean accounts).",
        (
            key("account_id", "Account."),
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
    ),
)
