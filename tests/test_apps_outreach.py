"""Module 05 apps: funnel by group with Wilson intervals, outreach planner, brief builder, disclosure checker.

Apps are driven as a learner would (set `.value`, click buttons) without a browser; expected numbers are
worked out by hand in comments or counted independently from the raw table.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from playbook.analytics.compliance import compliance_summary
from playbook.analytics.planning import funnel_by_group
from playbook.course.apps.outreach import (
    BriefBuilderApp,
    DisclosureApp,
    FunnelByGroupApp,
    OutreachPlannerApp,
    compliance_chart,
    creative_brief,
    group_rate_chart,
)
from playbook.course.apps.outreach.funnel import _overlap_note
from playbook.data.loading import load
from playbook.data.registry import benchmark


@pytest.fixture(scope="module")
def minimal_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The conftest minimal dataset, loaded once per module (tests copy before changing a table)."""
    from conftest import write_minimal_dataset

    return load(write_minimal_dataset(tmp_path_factory.mktemp("minimal")))


# --------------------------------------------------------------------------- Wilson interval


# --------------------------------------------------------------------------- funnel by group


def test_group_rate_chart_marks_the_published_rate(outreach_tables: dict) -> None:
    result = funnel_by_group(outreach_tables, "incentive")
    spec = group_rate_chart(result, "reply_rate", "incentive", "reply_rate_creator_heepsy").to_dict()
    rule = spec["layer"][0]
    assert rule["mark"]["type"] == "rule"
    values = spec["datasets"][rule["data"]["name"]]
    assert values[0]["value"] == benchmark("reply_rate_creator_heepsy").value
    assert len(group_rate_chart(result, "agreed_per_sent", "incentive").to_dict()["layer"]) == 3


def test_funnel_app_follows_the_controls(sample: dict) -> None:
    app = FunnelByGroupApp(sample)
    app.by.value = "incentive"
    o = sample["outreach"]
    counted = o.groupby("incentive").agg(trials=("message_id", "size"), successes=("replied_at", "count"))
    result = app.result.set_index("group")
    assert result["trials"].to_dict() == counted["trials"].to_dict()
    assert result["successes"].to_dict() == counted["successes"].to_dict()
    assert "overlap" in app.summary.value and "Wilson" in app.summary.value
    app.rate.value = "agreed_per_sent"
    agreed = o.groupby("incentive")["agreed_at"].count()
    assert app.result.set_index("group")["successes"].to_dict() == agreed.to_dict()
    assert len(app.chart_out.outputs) == 1


def test_overlap_note_says_when_intervals_separate() -> None:
    app_frame = pd.DataFrame(
        {
            "group": ["a", "b"],
            "trials": [1000, 1000],
            "successes": [800, 200],
            "rate": [0.8, 0.2],
            "ci_low": [0.77, 0.17],
            "ci_high": [0.83, 0.23],
            "small": [False, False],
            "reason": [None, None],
        }
    )
    assert "do not overlap" in _overlap_note(app_frame)
    assert "nothing to compare" in _overlap_note(app_frame.iloc[:1])


# --------------------------------------------------------------------------- outreach planner
def test_planner_app_published_then_measured(sample: dict) -> None:
    o = sample["outreach"]
    sent, replied, agreed = len(o), o["replied_at"].notna().sum(), o["agreed_at"].notna().sum()
    app = OutreachPlannerApp(sample)
    app.target.value = 10
    # published: reply = min(1, Heepsy 0.4 x Woodpecker 1.4) = 0.56;
    # messages = ceil(10 / (0.56 x agreed / replied))
    heepsy = benchmark("reply_rate_creator_heepsy").value * benchmark("followup_uplift_woodpecker").value
    assert app.result["messages_to_send"] == math.ceil(10 / (min(1.0, heepsy) * agreed / replied) - 1e-9)
    assert not app.followups.disabled
    # measured: reply = replied / sent, so messages = ceil(10 / (replied / sent x agreed / replied))
    # = ceil(10 x sent / agreed); the follow-up box is switched off (the rate already includes them)
    app.source.value = app.SOURCES[1]
    assert app.followups.disabled
    assert app.result["messages_to_send"] == math.ceil(10 * sent / agreed - 1e-9)
    assert str(app.result["messages_to_send"]) in app.summary.value


# --------------------------------------------------------------------------- creative brief
def test_creative_brief_escapes_what_the_learner_types(minimal_tables: dict) -> None:
    typed = "<script>alert(1)</script> *now* [link](http://x) # heading"
    brief = creative_brief(minimal_tables, "CP001", "CR00001", typed, no_gos="1. no swearing")
    assert "<script>" not in brief.html and "&lt;script&gt;" in brief.html
    assert "<script>" not in brief.markdown
    assert (
        "\\<script\\>" in brief.markdown and "\\*now\\*" in brief.markdown and "\\[link\\]" in brief.markdown
    )
    assert "- 1\\. no swearing" in brief.markdown  # not read as a numbered list
    # URLs are code spans, copied verbatim
    assert "`https://glowly.example/?utm_source=influencer&utm_medium=instagram" in brief.markdown


def test_brief_builder_app(minimal_tables: dict) -> None:
    app = BriefBuilderApp(minimal_tables)
    assert app.campaign.value == "CP001" and app.creator.value == "CR00001"
    app.campaign.value = "CP002"
    assert [value for _, value in app.creator.options] == ["CR00003"]
    app.key_messages.value = "Warm up before every run\nStretch after"
    app.no_gos.value = "No injury advice"
    app.build_button.click()
    assert app.brief.creator_id == "CR00003"
    assert dict(app.brief.sections)["Key messages"] == ("Warm up before every run", "Stretch after")
    assert app.copy_box.value == app.brief.markdown and app.preview.value == app.brief.html
    # a campaign without contracts: no brief, a message instead
    tables = {**minimal_tables, "contracts": minimal_tables["contracts"].iloc[:1]}
    app = BriefBuilderApp(tables, campaign_id="CP002")
    assert app.creator.value is None and app.brief is None and "no contracted creator" in app.preview.value


# --------------------------------------------------------------------------- disclosure
def test_disclosure_app_statuses() -> None:
    app = DisclosureApp("#ad Morning routine with @glowly")
    assert app.result.status == "compliant" and "compliant" in app.summary.value
    app.caption.value = "Morning routine\nsecond\nthird\nfourth #ad"  # line 4: Instagram shows 3 lines
    assert app.result.status == "late" and app.result.line == 4
    app.caption.value = "Thanks to @glowly for the free serum"  # FTC yes, UK no, EU risky
    assert {j: r.status for j, r in app.results.items()} == {"US": "compliant", "UK": "weak", "EU": "risky"}
    app.caption.value = "Loving my new serum"
    assert app.result.status == "missing"
    app.platform_label.value = True  # the platform's label alone: the text cannot decide
    assert app.result.status == "review" and "review" in app.summary.value
    app.caption.value = "#ad"
    app.platform.value = "youtube"
    app.in_video.value = "no, description only"
    assert app.result.status == "late" and app.results["UK"].status == "risky"


def test_disclosure_app_escapes_tokens() -> None:
    app = DisclosureApp("<b>#sp</b>")
    assert app.result.status == "weak" and "<b>" not in app.summary.value


def test_apps_display_as_their_widget_tree() -> None:
    bundle = DisclosureApp("#ad hello")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_compliance_chart_draws_the_published_share(minimal_tables: dict) -> None:
    summary = compliance_summary(minimal_tables["posts"])
    spec = compliance_chart(summary).to_dict()
    rule = spec["layer"][1]
    published = spec["datasets"][rule["data"]["name"]][0]["published_share"]
    assert published == benchmark("disclosure_full_compliance_imh_2020").value
    bars = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert len(bars) == 6 * len(summary)  # one bar segment per status and campaign
