"""analytics.briefs: the creative brief's content, every fact from the data (the conftest minimal dataset).

Rendering and escaping are tested with the app in test_apps_outreach.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from playbook.analytics.briefs import brand_handle, brief_content
from playbook.data.registry import benchmark


def test_brand_handle() -> None:
    assert brand_handle("Nomad & Sons") == "nomadsons"
    assert brand_handle("Harvest Works") == "harvestworks"


def test_brief_content_takes_every_fact_from_the_data(minimal_once: dict) -> None:
    brief = brief_content(
        minimal_once, "CP001", "CR00001", ["Glass skin in three steps"], "Show the serum", ""
    )
    sections = dict(brief.sections)
    assert list(sections) == [
        "Campaign",
        "Objective and KPIs",
        "Key messages",
        "Must-haves",
        "No-gos",
        "Deliverables",
        "Approval",
        "Usage rights",
        "Disclosure",
        "Payment",
    ]
    assert "Brand: Glowly (@glowly)" in sections["Campaign"]
    assert "Posting window: 2024-03-01 to 2024-03-31" in sections["Campaign"]
    # consideration campaign: its KPI is the engagement rate target, 0.04 -> 4.0%
    assert any("4.0%" in line for line in sections["Objective and KPIs"])
    # draft date = due date - draft_lead_days_model low end (3 days): 2024-03-05 -> 2024-03-02
    draft_days = benchmark("draft_lead_days_model").low
    draft_by = pd.Timestamp("2024-03-05") - pd.Timedelta(days=draft_days)
    assert sections["Deliverables"][0] == (
        f"Deliverable 1: instagram reel, draft by {draft_by:%Y-%m-%d}, post on 2024-03-05"
    )
    assert len(sections["Deliverables"]) == 2
    assert any("MIA15" in line for line in sections["Must-haves"])
    assert any("utm_content=glowwithmia" in line for line in sections["Must-haves"])
    # BR001's competitor BR002 is Lumen Skin
    assert "No mention of competitors: Lumen Skin" in sections["No-gos"]
    assert any("30 days" in line for line in sections["Usage rights"])
    assert sections["Payment"][0] == "Fee: 2,640.00 USD for 2 piece(s) of content"
    assert "Net-30" in sections["Payment"][1]
    chars, lines = (int(benchmark(f"caption_visible_{k}_instagram").value) for k in ("chars", "lines"))
    assert f"Instagram shows {chars} characters and {lines} lines" in sections["Disclosure"][0]
    assert "advertisement" in sections["Disclosure"][0] and "#sp" in sections["Disclosure"][1]


def test_brief_content_needs_a_contract(minimal_once: dict) -> None:
    with pytest.raises(KeyError, match="no contract"):
        brief_content(minimal_once, "CP001", "CR00003")
    with pytest.raises(KeyError, match="campaigns has no campaign_id"):
        brief_content(minimal_once, "CP999", "CR00001")
