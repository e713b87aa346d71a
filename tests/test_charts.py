"""Tests for playbook.viz.charts: each builder from hand-made frames and from the sample, the theme, the row
guard, valid Vega-Lite, offline SVG, and that nothing lifts altair's 5,000-row limit."""

from __future__ import annotations

import math
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pytest

from playbook.analytics.rollup import kpi_rollup
from playbook.data.registry import TIER_ORDER, assign_tier, benchmark, cite
from playbook.viz import charts

ROOT = Path(__file__).resolve().parents[1]


def datasets(chart: alt.TopLevelMixin) -> dict[str, list[dict]]:
    """The inline data of a chart, validated against the Vega-Lite schema on the way."""
    return chart.to_dict(validate=True).get("datasets", {})


def rows_with(chart: alt.TopLevelMixin, field: str) -> pd.DataFrame:
    """The inline dataset that has `field` (the builder's main data)."""
    found = [pd.DataFrame(rows) for rows in datasets(chart).values() if rows and field in rows[0]]
    assert len(found) == 1, f"expected one dataset with {field!r}"
    return found[0]


def assert_small_valid_and_renders(chart: alt.TopLevelMixin, text: str) -> None:
    inline = datasets(chart)
    assert 0 < sum(len(rows) for rows in inline.values()) < charts.MAX_ROWS
    svg = charts.to_svg(chart)
    assert svg.lstrip().startswith("<svg") and text in svg


# --------------------------------------------------------------------------- theme, guard, grep
def test_theme_is_registered_enabled_and_applied():
    assert alt.theme.active == charts.THEME_NAME
    config = charts.funnel({"a": 2, "b": 1}).to_dict()["config"]
    assert config["font"] == charts.FONT
    assert config["range"]["category"] == list(charts.OKABE_ITO)
    assert config["range"]["heatmap"] == {"scheme": "viridis"}


def test_no_file_lifts_altairs_row_limit():
    needle = "disable_max_rows"
    scanned = [
        path
        for folder in ("playbook", "notebooks", "exercises", "solutions", "benchmarks")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".py", ".ipynb")
    ]
    assert any(p.name == "charts.py" for p in scanned)
    offenders = [str(p.relative_to(ROOT)) for p in scanned if needle in p.read_text(encoding="utf-8")]
    assert offenders == []


@pytest.mark.parametrize(
    ("builder", "frame"),
    [
        (
            charts.kpi_vs_target,
            pd.DataFrame({"kpi": [f"k{i}" for i in range(5001)], "actual": 1.0, "target": 1.0}),
        ),
        (
            charts.creator_scorecard,
            pd.DataFrame({"creator": [f"c{i}" for i in range(5001)], "metric": "cpm", "value": 1.0}),
        ),
        (charts.funnel, pd.DataFrame({"stage": [f"s{i}" for i in range(5001)], "count": 1})),
        (
            charts.timeline,
            pd.DataFrame(
                {"item": [f"t{i}" for i in range(5001)], "planned_start": pd.Timestamp("2025-01-01")}
            ).assign(planned_end=pd.Timestamp("2025-01-02")),
        ),
        (
            charts.trend_radar,
            pd.DataFrame({"topic": [f"#t{i}" for i in range(5001)], "volume": 5, "growth": 0.1}),
        ),
    ],
)
def test_more_than_5000_rows_raises_and_asks_to_aggregate(builder, frame):
    with pytest.raises(ValueError, match=r"5,001 rows.*limit 5,000.*aggregate first"):
        builder(frame)
    builder(frame.iloc[:50])  # the same frame, aggregated or filtered, charts fine


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="missing column"):
        charts.kpi_vs_target(pd.DataFrame({"kpi": ["reach"], "actual": [1.0]}))


# --------------------------------------------------------------------------- kpi_vs_target
def test_kpi_vs_target_shares_and_status_by_hand():
    frame = pd.DataFrame(
        {
            "kpi": ["Reach", "ER by reach", "CPM", "Clicks"],
            "actual": [520_000, 0.035, 18.0, 40],
            "target": [500_000, 0.04, 20.0, 0],
            "unit": ["accounts", "fraction", "USD", "clicks"],
            "higher_is_better": [True, True, False, True],
        }
    )
    chart = charts.kpi_vs_target(frame)
    data = rows_with(chart, "share_of_target").set_index("kpi")
    # 520,000 / 500,000 = 1.04 (met); 0.035 / 0.04 = 0.875 (missed); CPM 18 / 20 = 0.9, met because lower
    # is better; a target of 0 leaves the share undefined, never inf, with the reason in the tooltip.
    assert data.loc["Reach", "share_of_target"] == pytest.approx(1.04)
    assert data.loc["ER by reach", "share_of_target"] == pytest.approx(0.875)
    assert data.loc["CPM", "share_of_target"] == pytest.approx(0.9)
    assert data["share_of_target"].isna().tolist() == [False, False, False, True]
    assert data["status"].tolist() == ["met", "missed", "met", "undefined"]
    assert data.loc["Clicks", "why_undefined"] == "share of target: denominator is 0"
    assert data.loc["Reach", "label"] == "520,000 / 500,000 accounts"
    assert_small_valid_and_renders(chart, "Reach")


def test_kpi_vs_target_rejects_duplicate_kpis():
    with pytest.raises(ValueError, match="one row per kpi"):
        charts.kpi_vs_target(pd.DataFrame({"kpi": ["a", "a"], "actual": [1, 2], "target": [1, 1]}))


def test_kpi_vs_target_from_the_sample(sample):
    campaign = sample["campaigns"].iloc[0]
    result = kpi_rollup(sample, by="campaign").set_index("campaign_id").loc[campaign["campaign_id"]]
    frame = pd.DataFrame(
        {
            "kpi": ["Reach", "ER by reach", "Link clicks"],
            "actual": [result["reach"], result["er_by_reach"], result["link_clicks"]],
            "target": [
                campaign["target_reach"],
                campaign["target_engagement_rate"],
                campaign["target_clicks"],
            ],
            "unit": ["accounts", "engagements ÷ reach", "clicks"],
        }
    )
    assert_small_valid_and_renders(charts.kpi_vs_target(frame), "Link clicks")


# --------------------------------------------------------------------------- creator_scorecard
def test_scorecard_percentiles_respect_direction_by_hand():
    frame = pd.DataFrame(
        {
            "creator": ["ann", "bo", "cy"] * 2,
            "metric": ["CPM"] * 3 + ["ER by reach"] * 3,
            "value": [10.0, 20.0, 30.0, 0.02, 0.05, 0.01],
            "higher_is_better": [False] * 3 + [True] * 3,
        }
    )
    data = rows_with(charts.creator_scorecard(frame), "score").set_index(["metric", "creator"])["score"]
    # CPM, lower is better: ranks of -10, -20, -30 among 3 -> ann 3/3, bo 2/3, cy 1/3.
    assert data["CPM"].tolist() == pytest.approx([1.0, 2 / 3, 1 / 3])
    # ER, higher is better: 0.02 -> 2/3, 0.05 -> 1, 0.01 -> 1/3.
    assert data["ER by reach"].tolist() == pytest.approx([2 / 3, 1.0, 1 / 3])


def test_scorecard_keeps_given_scores_and_rejects_duplicates():
    frame = pd.DataFrame({"creator": ["a", "b"], "metric": "fit", "value": [70.0, 40.0], "score": [0.7, 0.4]})
    assert rows_with(charts.creator_scorecard(frame), "score")["score"].tolist() == [0.7, 0.4]
    with pytest.raises(ValueError, match=r"one row per \(creator, metric\)"):
        charts.creator_scorecard(pd.concat([frame, frame]))


def test_scorecard_from_the_sample_rollup(sample):
    rollup = kpi_rollup(sample, by="creator").nlargest(12, "reach").rename(columns={"creator_id": "creator"})
    long = rollup.melt(
        id_vars="creator", value_vars=["er_by_reach", "er_by_followers", "cpm"], var_name="metric"
    )
    chart = charts.creator_scorecard(long)
    assert len(rows_with(chart, "score")) == 36
    assert_small_valid_and_renders(chart, "er_by_reach")


# --------------------------------------------------------------------------- funnel
def test_funnel_conversions_by_hand():
    chart = charts.funnel({"contacted": 100, "replied": 40, "agreed": 10, "paid": 0})
    data = rows_with(chart, "of_previous")
    # 40/100 = 40%, 10/40 = 25%, 0/10 = 0%; from the first stage: 100%, 40%, 10%, 0%.
    assert data["of_previous"].tolist()[1:] == pytest.approx([0.4, 0.25, 0.0])
    assert data["of_previous"].isna().tolist()[0]
    assert data["of_first"].tolist() == pytest.approx([1.0, 0.4, 0.1, 0.0])
    assert data["label"].tolist()[:2] == ["100", "40 (40% of previous)"]
    assert_small_valid_and_renders(chart, "contacted")


def test_funnel_after_an_empty_stage_is_undefined_not_inf():
    data = rows_with(
        charts.funnel(pd.DataFrame({"stage": ["a", "b", "c"], "count": [5, 0, 0]})), "of_previous"
    )
    assert data["of_previous"].tolist()[1] == 0.0 and math.isnan(data["of_previous"].tolist()[2])
    with pytest.raises(ValueError, match="counts >= 0"):
        charts.funnel({"a": -1})


def test_funnel_from_the_sample_outreach_to_payment(sample):
    outreach, deliverables = sample["outreach"], sample["deliverables"]
    paid = deliverables.merge(sample["contracts"][["contract_id"]])
    stages = {
        "contacted": outreach["sent_at"].notna().sum(),
        "replied": outreach["replied_at"].notna().sum(),
        "negotiating": outreach["negotiation_started_at"].notna().sum(),
        "agreed": outreach["agreed_at"].notna().sum(),
        "posted": paid.loc[paid["posted_date"].notna(), "contract_id"].nunique(),
        "paid": paid.loc[paid["paid_date"].notna(), "contract_id"].nunique(),
    }
    chart = charts.funnel(stages)
    assert rows_with(chart, "stage")["stage"].tolist() == list(stages)
    assert_small_valid_and_renders(chart, "negotiating")


# --------------------------------------------------------------------------- timeline
def test_timeline_status_and_days_late_by_hand():
    day = pd.Timestamp
    frame = pd.DataFrame(
        {
            "item": ["late", "early", "open"],
            "planned_start": [day("2025-01-01")] * 3,
            "planned_end": [day("2025-01-10")] * 3,
            "actual_end": [day("2025-01-12"), day("2025-01-08"), pd.NaT],
        }
    )
    chart = charts.timeline(frame, as_of=day("2025-01-15"))
    data = rows_with(chart, "days_late").set_index("item")
    # 12 Jan - 10 Jan = 2 days late; 8 Jan - 10 Jan = -2 (early); open items have no lateness yet and are
    # drawn up to as_of.
    assert data["status"].tolist() == ["late", "on time", "open"]
    assert data.loc["late", "days_late"] == 2 and data.loc["early", "days_late"] == -2
    assert pd.isna(data.loc["open", "days_late"])
    assert data.loc["open", "actual_end"].startswith("2025-01-15")
    assert data.loc["late", "actual_start"].startswith("2025-01-01")  # no actual start: the planned one
    assert_small_valid_and_renders(chart, "early")


def test_timeline_rejects_repeated_items():
    frame = pd.DataFrame({"item": ["a", "a"], "planned_start": pd.Timestamp("2025-01-01")})
    with pytest.raises(ValueError, match="one row per item"):
        charts.timeline(frame.assign(planned_end=pd.Timestamp("2025-01-02")))


def test_timeline_from_the_sample_tasks(sample):
    tasks = sample["tasks"].nsmallest(40, "created_date")
    frame = pd.DataFrame(
        {
            "item": tasks["title"] + " (" + tasks["task_id"] + ")",
            "planned_start": tasks["created_date"],
            "planned_end": tasks["due_date"],
            "actual_end": tasks["done_date"],
            "group": tasks["member_id"],
        }
    )
    chart = charts.timeline(frame)
    assert len(rows_with(chart, "status")) == 40
    assert_small_valid_and_renders(chart, "Planned vs actual")


# --------------------------------------------------------------------------- trend_radar
def test_trend_radar_labels_top_growth_and_drops_zero_volume():
    frame = pd.DataFrame(
        {"topic": ["#a", "#b", "#c", "#d"], "volume": [100, 50, 0, 10], "growth": [0.5, -0.1, 0.9, 0.2]}
    )
    data = rows_with(charts.trend_radar(frame, label_top=2), "flagged").set_index("topic")
    # #c has no volume (cannot sit on a log axis); of the rest the two fastest growers are #a and #d.
    assert list(data.index) == ["#a", "#b", "#d"]
    assert data["flagged"].tolist() == [True, False, True]
    given = frame.assign(flagged=[False, True, False, False])
    assert rows_with(charts.trend_radar(given), "flagged").set_index("topic")["flagged"].sum() == 1


def test_trend_radar_from_the_sample_topics(sample):
    daily = sample["topic_daily"]
    last = daily["date"].max()
    recent = daily[daily["date"] > last - pd.Timedelta(days=7)].groupby(["topic", "platform"])["posts"].sum()
    before = daily[daily["date"].between(last - pd.Timedelta(days=13), last - pd.Timedelta(days=7))]
    before = before.groupby(["topic", "platform"])["posts"].sum()
    frame = pd.DataFrame({"volume": recent, "growth": recent / before - 1}).reset_index()
    chart = charts.trend_radar(
        frame, volume_label="Posts, last 7 days", growth_label="Growth vs previous 7 days"
    )
    assert len(rows_with(chart, "growth")) == len(frame) < 500
    assert_small_valid_and_renders(chart, "Posts, last 7 days")


# --------------------------------------------------------------------------- tier_comparison
def test_tier_comparison_aggregates_by_hand():
    frame = pd.DataFrame(
        {"tier": ["micro", "nano", "nano", "nano", "nano"], "er_by_reach": [0.1, 0.01, 0.02, 0.03, 0.04]}
    )
    chart = charts.tier_comparison(frame, "er_by_reach")
    data = rows_with(chart, "median").set_index("tier")
    # nano: 0.01..0.04, median (0.02 + 0.03) / 2 = 0.025; q25 = 0.01 + 0.75 x 0.01 = 0.0175 (linear, pandas);
    # q75 = 0.03 + 0.25 x 0.01 = 0.0325. micro: one value, 0.1 everywhere.
    assert data.loc["nano", ["n", "q25", "median", "q75"]].tolist() == pytest.approx(
        [4, 0.0175, 0.025, 0.0325]
    )
    assert data.loc["micro", ["n", "median"]].tolist() == pytest.approx([1, 0.1])
    spec = chart.to_dict()
    assert spec["layer"][0]["encoding"]["x"]["sort"] == ["nano", "micro"]
    assert spec["layer"][0]["encoding"]["y"]["axis"]["format"] == ".1%"
    assert "ER by reach (engagements ÷ reach)" in spec["title"]["text"]


def test_tier_comparison_with_registry_bands(sample):
    ids = {t: f"er_followers_instagram_{t}_untapper_2026" for t in TIER_ORDER}
    bands = pd.DataFrame(
        {
            "tier": list(ids),
            "low": [benchmark(i).low for i in ids.values()],
            "high": [benchmark(i).high for i in ids.values()],
            "source": [cite(i) for i in ids.values()],
        }
    )
    rollup = kpi_rollup(sample, by="account").merge(
        sample["accounts"][["account_id", "platform", "followers"]]
    )
    instagram = rollup[rollup["platform"] == "instagram"].assign(tier=lambda f: assign_tier(f["followers"]))
    chart = charts.tier_comparison(instagram, "er_by_followers", bands=bands)
    band = rows_with(chart, "source")
    assert band["low"].tolist() == bands["low"].tolist() and band["source"].str.contains("Untapper").all()
    assert_small_valid_and_renders(chart, "ER by followers")


def test_tier_comparison_of_all_sample_posts_by_platform(sample):
    posts = sample["posts"].merge(sample["accounts"][["account_id", "followers"]])
    posts["tier"] = assign_tier(posts["followers"])
    posts["er_by_reach"] = (posts["likes"] + posts["comments"] + posts["shares"] + posts["saves"]) / posts[
        "reach"
    ]
    assert len(posts) > 5000  # raw posts go in; the chart carries only tier x platform aggregates
    chart = charts.tier_comparison(posts, "er_by_reach", by="platform")
    data = rows_with(chart, "median")
    assert len(data) <= 6 * 3
    assert list(chart.to_dict()["layer"][0]["encoding"]["x"]["sort"]) == list(posts["tier"].cat.categories)
    nano_ig = posts[(posts["tier"] == "nano") & (posts["platform"] == "instagram")]["er_by_reach"]
    row = data[(data["tier"] == "nano") & (data["platform"] == "instagram")].iloc[0]
    assert row["median"] == pytest.approx(nano_ig.median()) and row["n"] == len(nano_ig)
    assert_small_valid_and_renders(chart, "instagram")


# --------------------------------------------------------------------------- to_svg
def test_to_svg_refuses_external_data():
    chart = alt.Chart(alt.Data(url="https://example.com/data.csv")).mark_point().encode(x="a:Q")
    with pytest.raises(ValueError, match="not allowed"):
        charts.to_svg(chart)


def test_to_svg_renders_nan_free_labels():
    svg = charts.to_svg(charts.funnel({"sent": 3, "replied": 0}))
    assert "NaN" not in svg and "Infinity" not in svg and np.char.count(svg, "<text").item() > 2


def test_builders_give_channel_objects_so_altair_never_rebuilds_its_class_table(monkeypatch):
    """A shorthand string, a list of them or an alt.value/alt.condition dict makes altair call `from_dict`,
    which builds a table over all ~570 schema classes each time (milliseconds per channel, a quarter of a
    second per report); channel objects skip it and give the same spec."""
    built = []
    real = alt.utils.schemapi._FromDict.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(alt.utils.schemapi._FromDict, "__init__", counting)
    day = pd.Timestamp("2025-01-01")
    tiers = pd.DataFrame({"tier": ["nano", "micro"], "platform": ["tiktok", "tiktok"], "er": [0.05, 0.03]})
    bands = pd.DataFrame({"tier": ["nano"], "low": [0.01], "high": [0.08], "source": ["x"]})
    every = [
        charts.kpi_vs_target(pd.DataFrame({"kpi": ["reach"], "actual": [5.0], "target": [4.0]})),
        charts.creator_scorecard(pd.DataFrame({"creator": ["a"], "metric": ["ER"], "value": [0.1]})),
        charts.funnel({"contacted": 10, "replied": 4}),
        charts.timeline(
            pd.DataFrame(
                {
                    "item": ["post"],
                    "planned_start": [day],
                    "planned_end": [day],
                    "actual_start": [day],
                    "actual_end": [day],
                }
            ),
            as_of=day,
        ),
        charts.trend_radar(
            pd.DataFrame(
                {"topic": ["a", "b"], "platform": ["tiktok"] * 2, "volume": [5, 9], "growth": [0.1, 0.5]}
            )
        ),
        charts.tier_comparison(tiers, "er", by="platform", bands=bands),
    ]
    assert len(every) == 6 and built == []


def test_report_charts_travel_as_vega_lite_json_of_altairs_version():
    from playbook.reports.html import bundle
    from playbook.viz.svg import CHART_MIMETYPE, vegalite_version

    chart = charts.funnel({"contacted": 10, "replied": 4})
    spec = bundle(chart)[CHART_MIMETYPE]
    assert spec == chart.to_dict()
    assert f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.lstrip('v').split('.')[0]}+json" == CHART_MIMETYPE
    assert vegalite_version(spec) == ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    with pytest.raises(ValueError, match="not a Vega-Lite spec"):
        vegalite_version({"mark": "point"})
