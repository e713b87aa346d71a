"""Synthetic team, task board and daily hashtag/topic volumes with planted rising trends."""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.data.schemas import PLATFORMS
from playbook.data.synth.common import Window, ids, lognormal_around, stream
from playbook.data.vocab import NICHE_TOPICS

__all__ = [
    "DECOY_SPIKES",
    "PLANTED_TRENDS",
    "TASK_PLAN",
    "TEAM",
    "generate_tasks",
    "generate_team",
    "generate_topics",
]


TEAM = (
    ("head_of_influencer", "Alex Morgan"),
    ("campaign_manager", "Priya Shah"),
    ("campaign_manager", "Tom Becker"),
    ("creator_partnerships", "Lucia Romero"),
    ("analyst", "Sam Okafor"),
    ("content_coordinator", "Jade Kim"),
)
# (category, owner role, hours per unit, unit, days before start (+) or after end (-) it is due)
TASK_PLAN = (
    ("strategy", "head_of_influencer", 6.0, "campaign", 35),
    ("discovery", "creator_partnerships", 8.0, "campaign", 30),
    ("outreach", "creator_partnerships", 0.25, "message", 21),
    ("negotiation", "creator_partnerships", 1.5, "contract", 14),
    ("briefing", "campaign_manager", 1.0, "contract", 10),
    ("approvals", "content_coordinator", 0.75, "deliverable", 0),
    ("payments", "content_coordinator", 0.25, "deliverable", -30),
    ("relationship", "creator_partnerships", 0.5, "contract", -7),
    ("reporting", "analyst", 8.0, "campaign", -10),
)
PLANTED_TRENDS = (
    ("#glassskin", "beauty", "tiktok"),
    ("#hybridtraining", "fitness", "instagram"),
    ("#cottagecorekitchen", "food", "tiktok"),
    ("#quietluxury", "fashion", "instagram"),
    ("#deskbuild", "tech", "youtube"),
    ("#slowtravel", "travel", "instagram"),
)
DECOY_SPIKES = (("#giveaway", "instagram"), ("#blackfriday", "tiktok"))


def generate_team(seed: int, shard: int, window: Window) -> pd.DataFrame:
    rng = stream(seed, shard, "team")
    n = len(TEAM)
    return pd.DataFrame(
        {
            "member_id": ids("TM", shard * 100, n, 5),
            "name": [name for _, name in TEAM],
            "role": [role for role, _ in TEAM],
            "weekly_capacity_hours": np.round(40 * rng.uniform(0.8, 0.95, n) * 2) / 2,
            "start_date": window.start - pd.to_timedelta(rng.integers(60, 1500, n), unit="D"),
        }
    )


def generate_tasks(
    seed: int,
    shard: int,
    team: pd.DataFrame,
    campaigns: pd.DataFrame,
    outreach: pd.DataFrame,
    contracts: pd.DataFrame,
    deliverables: pd.DataFrame,
    window: Window,
) -> pd.DataFrame:
    """Tasks per campaign sized by its outreach, contracts and deliverables; actuals overrun estimates."""
    rng = stream(seed, shard, "team")
    units = {
        "campaign": pd.Series(1, index=campaigns["campaign_id"]),
        "message": outreach.groupby("campaign_id").size(),
        "contract": contracts.groupby("campaign_id").size(),
        "deliverable": deliverables.groupby("_campaign_id").size(),
    }
    rows = []
    for c in campaigns.itertuples():
        for category, role, hours, unit, offset in TASK_PLAN:
            count = int(units[unit].get(c.campaign_id, 0))
            if count == 0:
                continue
            members = team.loc[team["role"] == role, "member_id"].to_numpy()
            owner = members[rng.integers(0, len(members))]
            batches = 1 if unit == "campaign" else max(1, min(4, count // 5))
            for b in range(batches):
                anchor = c.start_date if offset >= 0 else c.end_date
                due = anchor - pd.Timedelta(days=offset) + pd.Timedelta(days=int(b * 3))
                if category == "approvals":
                    due = c.start_date + (c.end_date - c.start_date) * (b + 1) / batches
                estimate = round(hours * (count if unit != "campaign" else 1) / batches, 1)
                created = due - pd.Timedelta(days=int(rng.integers(5, 15)))
                rows.append(
                    (
                        owner,
                        c.campaign_id,
                        category,
                        f"{category.title()} for {c.name} ({b + 1}/{batches})",
                        created.normalize(),
                        pd.Timestamp(due).normalize(),
                        max(estimate, 0.5),
                    )
                )
    tasks = pd.DataFrame(
        rows,
        columns=[
            "member_id",
            "campaign_id",
            "category",
            "title",
            "created_date",
            "due_date",
            "estimate_hours",
        ],
    )
    n = len(tasks)
    overrun = lognormal_around(rng, 1.15, 0.35, n)
    slip = np.where(rng.random(n) < 0.25, rng.integers(1, 10, n), -rng.integers(0, 3, n))
    done = tasks["due_date"] + pd.to_timedelta(slip, unit="D")
    done = done.where(done >= tasks["created_date"], tasks["created_date"])
    finished = done <= window.as_of
    tasks["actual_hours"] = np.where(finished, np.round(tasks["estimate_hours"] * overrun, 1), np.nan)
    tasks["done_date"] = done.where(finished)
    tasks.insert(0, "task_id", ids("TK", shard * 100_000, n, 7))
    return tasks


def generate_topics(seed: int, window: Window) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Daily volumes per hashtag and platform: weekly cycle, drift, planted logistic rises, decoy spikes."""
    rng = stream(seed, 0, "topics")
    dates = window.dates()
    days = len(dates)
    series = [(f"#{t}", p) for topics in NICHE_TOPICS.values() for t in topics[:4] for p in PLATFORMS]
    series += [(tag, p) for tag, _, p in PLANTED_TRENDS] + [(tag, p) for tag, p in DECOY_SPIKES]
    n = len(series)
    level = lognormal_around(rng, 300, 0.9, n)
    drift = rng.normal(0, 0.0015, n)
    dow = 1 + 0.12 * np.cos(2 * np.pi * (dates.day_of_week.to_numpy() - 5) / 7)
    t = np.arange(days)
    mean = level[:, None] * np.exp(drift[:, None] * t[None, :]) * dow[None, :]
    labels = []
    for tag, niche, platform in PLANTED_TRENDS:
        i = series.index((tag, platform))
        onset = int(rng.integers(30, days - 45))
        growth = float(np.round(rng.uniform(0.04, 0.09), 4))
        start_level = rng.uniform(15, 40)
        since = np.maximum(t - onset, 0)
        ceiling = start_level * 30
        rise = ceiling / (1 + (ceiling / start_level - 1) * np.exp(-growth * since))
        mean[i] = start_level * dow + np.where(t >= onset, rise - start_level, 0)
        labels.append((tag, platform, dates[onset], growth, niche))
    for tag, platform in DECOY_SPIKES:
        i = series.index((tag, platform))
        spike = int(rng.integers(20, days - 10))
        mean[i, spike] *= 8
    posts = rng.poisson(mean)
    eng_rate = lognormal_around(rng, 40, 0.4, n)
    engagements = rng.poisson(posts * eng_rate[:, None])
    topic_daily = pd.DataFrame(
        {
            "date": np.tile(dates.to_numpy(), n),
            "platform": np.repeat([p for _, p in series], days),
            "topic": np.repeat([s for s, _ in series], days),
            "posts": posts.ravel(),
            "engagements": engagements.ravel(),
        }
    )
    trend_labels = pd.DataFrame(labels, columns=["topic", "platform", "onset_date", "daily_growth", "niche"])
    return topic_daily, trend_labels
