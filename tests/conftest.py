# ruff: noqa: E501  (the hand-written CSV rows below are data, kept one row per line)
"""Shared fixtures: a tiny hand-written valid dataset covering every table of the data contracts.

Use the `minimal_dataset` fixture (a temp directory of CSV files) or `minimal_tables` (the loaded
DataFrames). Keys are consistent across tables and every row satisfies every rule, so a test can
corrupt one cell and expect exactly that problem.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

# CI (CI=true) draws the same hypothesis examples on every run, so a submission's result does not depend on
# luck; local runs keep drawing new ones (and keep failures in .hypothesis/ to replay them). No profile has a
# deadline: hypothesis' per-example deadline is a timed assertion, and on a loaded 2-core machine it failed
# a correct property (speed is measured by benchmarks/, never asserted).
settings.register_profile("local", deadline=None)
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "local")

MINIMAL_CSV: dict[str, str] = {
    "creators": """\
creator_id,handle,country,niche,topics,safety_flags,joined_date
CR00001,glowwithmia,US,beauty,skincare|makeup,,2023-01-10
CR00002,techtom,GB,tech,phones|laptops,profanity,2023-02-01
CR00003,fitfrida,SE,fitness,running|yoga,,2023-03-15
""",
    "accounts": """\
account_id,creator_id,platform,handle,followers,following,posts_count,account_created,snapshot_date,audience_credibility,likers_credibility
AC000001,CR00001,instagram,glowwithmia,52000,410,830,2019-05-01,2024-03-01,0.86,0.9
AC000002,CR00001,tiktok,glowwithmia,120000,150,400,2020-07-12,2024-03-01,0.8,0.84
AC000003,CR00002,youtube,techtom,310000,20,250,2016-02-20,2024-03-01,0.92,0.95
AC000004,CR00003,instagram,fitfrida,18000,900,1200,2018-09-09,2024-03-01,0.75,0.78
""",
    "audience": """\
account_id,dimension,bucket,share
AC000001,country,US,0.6
AC000001,country,GB,0.4
AC000001,age,18-24,0.7
AC000001,age,25-34,0.3
AC000001,gender,female,0.8
AC000001,gender,male,0.2
""",
    "follower_daily": """\
account_id,date,followers,following
AC000001,2024-02-28,51800,409
AC000001,2024-02-29,51900,410
AC000001,2024-03-01,52000,410
""",
    "brands": """\
brand_id,name,category,country,competitor_ids
BR001,Glowly,beauty,US,BR002
BR002,Lumen Skin,beauty,GB,BR001
BR003,Stride,fitness,SE,
""",
    "campaigns": """\
campaign_id,brand_id,name,objective,currency,budget,start_date,end_date,target_country,target_age,target_reach,target_engagement_rate,target_clicks,target_conversions,target_roas,paid_amplification,agency_fees,staff_hours,staff_hour_cost,attribution_window_days
CP001,BR001,Spring glow,consideration,USD,20000,2024-03-01,2024-03-31,US,18-24,500000,0.04,8000,400,2.5,3000,1500,60,55,7
CP002,BR003,Run season,awareness,EUR,8000.5,2024-04-01,2024-04-30,SE,25-34,200000,0.03,1000,50,1.2,0,500,25.5,48,30
""",
    "posts": """\
post_id,account_id,platform,format,posted_at,sponsored,campaign_id,caption,likes,comments,shares,saves,views,reach,impressions,link_clicks,provenance
PO0000001,AC000001,instagram,reel,2024-03-05 18:30:00,true,CP001,"Morning routine with @glowly #ad",2400,130,60,210,41000,30000,36000,320,measured
PO0000002,AC000001,instagram,feed,2024-03-07 09:00:00,false,,"Sunday self-care, what's yours?",1800,95,12,80,0,21000,25000,0,measured
PO0000003,AC000002,tiktok,short_video,2024-03-10 20:15:00,true,CP001,#ad glow in 30 seconds,9100,420,800,650,150000,90000,120000,1100,estimated
PO0000004,AC000003,youtube,long_video,2024-03-12 16:00:00,false,,,6500,710,140,300,98000,70000,88000,45,self_reported
PO0000005,AC000004,instagram,carousel,2024-04-03T07:45:00,true,CP002,5 stretches before a run #ad,900,40,25,120,0,9000,11000,60,measured
""",
    "comments": """\
comment_id,post_id,commenter_id,text,kind,commented_at
CM0000001,PO0000001,U9001,Which serum is this?,specific,2024-03-05 19:02:10
CM0000002,PO0000001,U9002,Nice!!,generic,2024-03-05 19:05:00
CM0000003,PO0000003,U9003,🔥🔥,emoji,2024-03-10 21:00:00
""",
    "contracts": """\
contract_id,campaign_id,creator_id,account_id,signed_date,deliverables_count,cpm_assumed,expected_views,format_uplift,usage_rights,usage_uplift,exclusivity_days,fee,product_value,shipping_cost,payment_terms_days
CT0001,CP001,CR00001,AC000001,2024-02-20,2,25,40000,1.2,organic_30d,1.1,30,2640,45,8.5,30
CT0002,CP002,CR00003,AC000004,2024-03-20,1,18,10000,1,none,1,0,180,60,12,45
""",
    "deliverables": """\
deliverable_id,contract_id,format,product_shipped_date,due_date,draft_submitted_date,revision_rounds,approved_date,posted_date,post_id,invoiced_date,paid_date,amount
DL0001,CT0001,reel,2024-02-22,2024-03-05,2024-03-01,1,2024-03-03,2024-03-05,PO0000001,2024-03-08,2024-04-05,1320
DL0002,CT0001,short_video,2024-02-22,2024-03-10,2024-03-06,0,2024-03-07,2024-03-10,PO0000003,,,1320
DL0003,CT0002,carousel,2024-03-22,2024-04-03,2024-03-30,2,2024-04-02,2024-04-03,PO0000005,2024-04-04,,180
""",
    "outreach": """\
message_id,campaign_id,creator_id,channel,template,personalised,incentive,follow_ups,sent_at,replied_at,negotiation_started_at,agreed_at,outcome
OM0001,CP001,CR00001,email,personalised_pitch,true,fee,1,2024-02-01 10:00:00,2024-02-03 12:00:00,2024-02-05 09:00:00,2024-02-19 15:30:00,agreed
OM0002,CP001,CR00002,dm,generic_cold,false,product,3,2024-02-01 10:05:00,,,,no_reply
OM0003,CP002,CR00003,platform_invite,warm_reintro,yes,fee,0,2024-03-01 08:00:00,2024-03-01 09:30:00,2024-03-04 10:00:00,2024-03-18 11:00:00,agreed
""",
    "promo_codes": """\
code,campaign_id,creator_id,discount_pct,sitewide
MIA15,CP001,CR00001,0.15,false
SPRING10,CP001,,0.1,true
FRIDA20,CP002,CR00003,0.2,false
""",
    "tracking_links": """\
link_id,campaign_id,creator_id,url,utm_source,utm_medium,utm_campaign,utm_content
LK0001,CP001,CR00001,https://glowly.example/?utm_source=influencer&utm_medium=instagram&utm_campaign=spring_glow&utm_content=glowwithmia,influencer,instagram,spring_glow,glowwithmia
LK0002,CP002,CR00003,https://stride.example/?utm_source=influencer&utm_medium=instagram&utm_campaign=run_season&utm_content=fitfrida,influencer,instagram,run_season,fitfrida
""",
    "orders": """\
order_id,brand_id,ordered_at,customer_id,new_customer,order_value,margin,promo_code,link_id,click_at,device,geo_id,leaked_code
OR000001,BR001,2024-03-06 12:00:00,CU001,true,42.5,25,MIA15,LK0001,2024-03-06 11:40:00,mobile,G01,false
OR000002,BR001,2024-03-08 20:10:00,CU002,false,60,30,SPRING10,,,desktop,G02,true
OR000003,BR003,2024-04-05 07:00:00,CU003,true,80,35.5,,LK0002,2024-04-04 22:00:00,tablet,G03,false
""",
    "reported_results": """\
campaign_id,creator_id,reported_by,clicks,conversions,revenue
CP001,CR00001,platform,1400,52,2300
CP001,CR00001,creator_screenshot,1550,60,2600
CP002,CR00003,platform,60,3,240
""",
    "experiments": """\
experiment_id,campaign_id,design,n_geos,holdout_share,start_date,end_date,true_lift
EX001,CP001,geo_holdout,2,0.5,2024-03-01,2024-03-02,0.12
""",
    "experiment_geo_daily": """\
experiment_id,geo_id,arm,date,population,conversions,revenue
EX001,G01,treatment,2024-03-01,12000,14,610.5
EX001,G01,treatment,2024-03-02,12000,16,700
EX001,G02,control,2024-03-01,11800,12,540
EX001,G02,control,2024-03-02,11800,11,498.25
""",
    "team": """\
member_id,name,role,weekly_capacity_hours,start_date
TM01,Ana Ruiz,head_of_influencer,40,2022-01-10
TM02,Ben Osei,campaign_manager,37.5,2023-06-01
""",
    "tasks": """\
task_id,member_id,campaign_id,category,title,created_date,due_date,estimate_hours,actual_hours,done_date
TK0001,TM02,CP001,briefing,Write creative brief,2024-02-10,2024-02-15,4,5.5,2024-02-14
TK0002,TM01,,strategy,Quarterly plan,2024-02-01,2024-02-28,8,,
""",
    "topic_daily": """\
date,platform,topic,posts,engagements
2024-03-01,instagram,#glassskin,120,5400
2024-03-02,instagram,#glassskin,150,7100
2024-03-01,tiktok,#hybridrunning,40,2200
""",
    "trend_labels": """\
topic,platform,onset_date,daily_growth
#glassskin,instagram,2024-02-25,0.08
""",
    "fraud_labels": """\
account_id,archetype,onset_date
AC000001,none,
AC000002,none,
AC000003,none,
AC000004,bought_followers,2023-11-02
""",
}


def write_minimal_dataset(directory: Path) -> Path:
    """Write the minimal valid dataset as `<table>.csv` files into `directory` and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in MINIMAL_CSV.items():
        (directory / f"{name}.csv").write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def minimal_dataset(tmp_path: Path) -> Path:
    """A temp directory holding the minimal valid dataset (every table, a few rows each)."""
    return write_minimal_dataset(tmp_path / "minimal")


@pytest.fixture
def minimal_tables(minimal_dataset: Path) -> dict[str, pd.DataFrame]:
    """The minimal dataset loaded and validated by `playbook.data.loading.load`."""
    from playbook.data.loading import load

    return load(minimal_dataset)


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    """The committed sample dataset, loaded and validated once per test module."""
    from playbook.data.loading import load
    from playbook.data.synth.generate import SAMPLE_DIR

    return load(SAMPLE_DIR)


@pytest.fixture(scope="module")
def minimal_once(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The minimal dataset loaded once per module (hypothesis tests cannot use function-scoped fixtures)."""
    from playbook.data.loading import load

    return load(write_minimal_dataset(tmp_path_factory.mktemp("minimal")))


def notebook_headings(nb: dict) -> set[str]:
    """The `## ` section lines of a notebook's markdown cells (nb as parsed JSON or an nbformat node)."""
    return {
        line.strip()
        for cell in nb["cells"]
        if cell["cell_type"] == "markdown"
        for line in "".join(cell["source"]).splitlines()
        if line.startswith("## ")
    }


# --------------------------------------------------------- shared by the analytics tests and the app tests
def _schema_frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table with the schema's columns and dtypes from a few hand-written rows."""
    from playbook.data.loading import empty_table

    empty = empty_table(name)
    return pd.DataFrame(rows, columns=empty.columns).astype(empty.dtypes.to_dict())


def outreach_message(i: int, incentive: str, replied: bool, agreed: bool) -> dict:
    t = pd.Timestamp("2024-01-01 09:00")
    return {
        "message_id": f"OM{i:04d}",
        "campaign_id": "CP001",
        "creator_id": f"CR{i:05d}",
        "channel": "email",
        "template": "generic_cold",
        "personalised": False,
        "incentive": incentive,
        "follow_ups": 0,
        "sent_at": t,
        "replied_at": t + pd.Timedelta(days=1) if replied else pd.NaT,
        "negotiation_started_at": t + pd.Timedelta(days=2) if agreed else pd.NaT,
        "agreed_at": t + pd.Timedelta(days=3) if agreed else pd.NaT,
        "outcome": "agreed" if agreed else ("declined" if replied else "no_reply"),
    }


@pytest.fixture
def outreach_tables() -> dict[str, pd.DataFrame]:
    # fee: 4 sent, 2 replied, 1 agreed; product: 2 sent, none replied
    rows = [
        outreach_message(1, "fee", True, True),
        outreach_message(2, "fee", True, False),
        outreach_message(3, "fee", False, False),
        outreach_message(4, "fee", False, False),
        outreach_message(5, "product", False, False),
        outreach_message(6, "product", False, False),
    ]
    return {"outreach": _schema_frame("outreach", rows)}


def _geo_rows() -> pd.DataFrame:
    """EX001 (CP001, test 2024-03-01 to 03-02): two treated and two control geos of 10,000 people each.

    Pre (Feb 28-29): every geo 5 conversions and 25.00 revenue a day. Test: treated 8+7 and 7+8 conversions,
    32.50 a day; control 6 a day, 27.50 a day. Mar 3 is after the test and must be ignored by the estimate.
    """
    rows = []
    plan = {
        "T1": ("treatment", [5, 5, 8, 7, 9], [25, 25, 32.5, 32.5, 40]),
        "T2": ("treatment", [5, 5, 7, 8, 9], [25, 25, 32.5, 32.5, 40]),
        "C1": ("control", [5, 5, 6, 6, 9], [25, 25, 27.5, 27.5, 40]),
        "C2": ("control", [5, 5, 6, 6, 9], [25, 25, 27.5, 27.5, 40]),
    }
    dates = pd.date_range("2024-02-28", periods=5, freq="D")
    for geo, (arm, conversions, revenue) in plan.items():
        for date, conv, rev in zip(dates, conversions, revenue, strict=True):
            rows.append(("EX001", geo, arm, date, 10_000, conv, rev))
    columns = ["experiment_id", "geo_id", "arm", "date", "population", "conversions", "revenue"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"population": "int64", "conversions": "int64", "revenue": "float64"})


@pytest.fixture(scope="module")
def holdout(minimal_once) -> dict[str, pd.DataFrame]:
    return dict(minimal_once, experiment_geo_daily=_geo_rows())
