"""Tests for the benchmark registry (datasets/benchmarks.csv) and the tier presets."""

from __future__ import annotations

import csv
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.analytics.benchmarks import (
    ANY,
    er_by_basis,
    filter_registry,
    niche_audience,
    niche_formats,
    niche_hashtags,
    profile_er_long,
    reach_by_format,
    tier_presets_compare,
)
from playbook.data import registry as bm
from playbook.data.registry import load_benchmarks

BENCHMARKS_CSV = bm.BENCHMARKS_FILE


# --------------------------------------------------------------------------- the committed files
def test_committed_benchmarks_validate():
    df = bm.load_benchmarks()
    assert tuple(df.columns) == bm.BENCHMARK_COLUMNS
    assert len(df) >= 150


def test_every_required_id_exists():
    ids = set(bm.load_benchmarks()["benchmark_id"])
    missing = [i for i in bm.REQUIRED_BENCHMARK_IDS if i not in ids]
    assert missing == []
    assert len(set(bm.REQUIRED_BENCHMARK_IDS)) == len(bm.REQUIRED_BENCHMARK_IDS)


def test_ids_unique_and_every_row_sourced_or_model():
    df = bm.load_benchmarks()
    assert df["benchmark_id"].is_unique
    model = df["grade"] == "model"
    assert (df.loc[~model, "source_url"].str.match(r"^https?://")).all()
    assert (df.loc[model, "source_url"] == "").all()
    assert (df.loc[model, "source_name"] == bm.MODEL_SOURCE_NAME).all()
    assert (df.loc[model, "notes"].str.len() > 20).all(), "model rows must explain their reasoning"


def test_file_is_plain_utf8_csv_with_lf_endings():
    data = BENCHMARKS_CSV.read_bytes()
    assert b"\r\n" not in data
    data.decode("utf-8")
    with BENCHMARKS_CSV.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert all(len(r) == len(bm.BENCHMARK_COLUMNS) for r in rows)


@pytest.mark.parametrize(
    ("benchmark_id", "low", "typical", "high"),
    [
        ("tier_share_instagram_nano_hypeauditor_2026", None, 0.815, None),
        ("er_instagram_micro_hypeauditor_2026", None, 0.0054, None),
        ("er_followers_instagram_nano_untapper_2026", 0.03, 0.04, 0.05),
        ("er_views_youtube_modash_1k_5k", 0.0147, 0.01745, 0.0202),
        ("reach_rate_tiktok_untapper", 1.0, None, None),
        ("payment_terms_net30_usual", 30, 30, 90),
        ("rate_instagram_mega_wordontheblock_2023", 10_000, None, None),
        ("revenue_per_follower_nano_beichert_2024", None, 0.265, None),
    ],
)
def test_spot_values_match_the_reference(benchmark_id, low, typical, high):
    b = bm.benchmark(benchmark_id)
    for got, want in ((b.low, low), (b.typical, typical), (b.high, high)):
        assert (got is None and want is None) or got == pytest.approx(want)


def test_modash_youtube_buckets_are_contiguous():
    df = bm.load_benchmarks().set_index("benchmark_id")
    keys = ["1k_5k", "5k_10k", "10k_50k", "50k_100k", "100k_500k", "500k_1m", "1m_plus"]
    rows = df.loc[[f"er_views_youtube_modash_{k}" for k in keys]]
    assert rows["followers_min"].iloc[1:].tolist() == rows["followers_max"].iloc[:-1].tolist()
    assert pd.isna(rows["followers_max"].iloc[-1])
    assert rows["notes"].str.contains("'High' = above").all()


# --------------------------------------------------------------------------- benchmark() / cite()
def test_cite_formats():
    assert bm.cite("er_instagram_micro_hypeauditor_2026") == (
        "HypeAuditor State of Influencer Marketing (2026), grade B, "
        "https://www.emarketer.com/content/smaller-creators-deliver-efficiency-roi-pressure-mounts"
    )
    assert bm.cite("reach_rate_youtube_stellar").startswith("Stellar help centre")
    assert "(undated), grade C, https://" in bm.cite("reach_rate_youtube_stellar")
    assert bm.cite("revision_rounds_model") == f"{bm.MODEL_SOURCE_NAME}, grade model"


def test_value_convenience():
    assert bm.benchmark("conversion_rate_all_lookfluence").value == pytest.approx(0.0218)  # typical
    assert bm.benchmark("er_same_industry_disagreement_apaya").value == pytest.approx((0.0026 + 0.038) / 2)
    assert bm.benchmark("reach_rate_tiktok_untapper").value == 1.0  # only low
    assert bm.benchmark("revision_rounds_model").is_model_assumption


def test_unknown_id_suggests_close_matches():
    with pytest.raises(KeyError, match="er_instagram_micro_hypeauditor_2026"):
        bm.benchmark("er_instagram_micro_hypeauditor_2025")


def test_benchmark_is_frozen():
    b = bm.benchmark("followup_uplift_woodpecker")
    with pytest.raises(AttributeError):
        b.typical = 2.0  # type: ignore[misc]


# --------------------------------------------------------------------------- validation errors
def _line_of(lines: list[str], benchmark_id: str) -> int:
    """1-based line number (header = line 1) of the first row with this id."""
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(benchmark_id + ","))


def _committed_rows() -> list[dict[str, str]]:
    with BENCHMARKS_CSV.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write_rows(tmp_path, rows: list[dict[str, str]]):
    """A copy of the registry with `rows`, as the loader reads it."""
    broken = tmp_path / "benchmarks.csv"
    with broken.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=bm.BENCHMARK_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return broken


def test_broken_copy_reports_every_problem_with_row_and_column(tmp_path):
    original = BENCHMARKS_CSV.read_bytes()
    rows = _committed_rows()
    by_id = {r["benchmark_id"]: r for r in rows}

    by_id["reply_rate_cold_backlinko"]["typical"] = "1.5"  # rate 1.5 with unit fraction
    low_high = by_id["reach_rate_instagram_feed_influencerfee"]  # low > high
    low_high["low"], low_high["typical"], low_high["high"] = "0.25", "", "0.10"
    no_url = by_id["tier_share_instagram_nano_hypeauditor_2023"]
    assert no_url["grade"] == "B"
    no_url["source_url"] = ""  # grade B without URL
    duplicate = dict(by_id["cpm_instagram_inzpire"])
    rows.append(duplicate)  # duplicated id, last line

    broken = _write_rows(tmp_path, rows)
    lines = broken.read_text(encoding="utf-8").splitlines()

    with pytest.raises(ValueError) as excinfo:
        bm.load_benchmarks(broken)
    message = str(excinfo.value)

    first_cpm = _line_of(lines, "cpm_instagram_inzpire")
    expected = [
        (len(lines), "benchmark_id", f"already used on row {first_cpm}"),
        (_line_of(lines, "reply_rate_cold_backlinko"), "typical", "fraction in [0, 1]"),
        (_line_of(lines, "reach_rate_instagram_feed_influencerfee"), "high", ">= low"),
        (_line_of(lines, "tier_share_instagram_nano_hypeauditor_2023"), "source_url", "http(s) URL"),
    ]
    for line, column, fragment in expected:
        pattern = rf"benchmarks\.csv row {line}, column {column}: expected [^\n]*{re.escape(fragment)}"
        assert re.search(pattern, message), f"missing problem on row {line}/{column}:\n{message}"
    assert message.count("benchmarks.csv row ") == len(expected)
    assert BENCHMARKS_CSV.read_bytes() == original


def test_bad_header_is_reported(tmp_path):
    broken = tmp_path / "benchmarks.csv"
    text = BENCHMARKS_CSV.read_text(encoding="utf-8").replace("benchmark_id,", "id,", 1)
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="row 1, column header"):
        bm.load_benchmarks(broken)


def test_model_rows_need_no_url_but_others_need_undated_note(tmp_path):
    rows = _committed_rows()
    rows[0]["year"], rows[0]["notes"] = "", "undated"  # says 'undated' but not that the page shows no date
    rows[1]["year"] = "1890"
    rows[2]["year"], rows[2]["notes"] = "", "a help page; undated page"
    broken = _write_rows(tmp_path, rows)
    with pytest.raises(ValueError) as excinfo:
        bm.load_benchmarks(broken)
    assert "row 2, column notes: expected 'undated page'" in str(excinfo.value)
    assert "row 3, column year: expected an integer year in 1990-2030" in str(excinfo.value)
    assert "row 4," not in str(excinfo.value)


# --------------------------------------------------------------------------- grades (issue 13)
def test_no_grade_a_row_lacks_a_year_or_cites_a_third_party():
    df = bm.load_benchmarks()
    a = df[df["grade"].str.startswith("A")]
    assert len(a) >= 1
    assert a["year"].notna().all(), a.loc[a["year"].isna(), "benchmark_id"].tolist()
    for row in a.itertuples():
        assert not re.search(r"\bvia\b|reported by|citing|upload", row.source_name, re.IGNORECASE), row
        assert not any(host in row.source_url for host in bm.THIRD_PARTY_HOSTS), row
    assert set(bm.GRADE_RUBRIC) == {"A", "B", "C", "D", "model"}


def test_loader_refuses_an_undated_or_second_hand_grade_a_row(tmp_path):
    rows = _committed_rows()
    rows[0].update(grade="A", year="", notes="undated")  # a help page without a date
    rows[1].update(grade="A", year="2020", source_name="Somebody (via a blog)")
    rows[2].update(grade="A/B", year="2020", source_url="https://zbook.org/read/some-upload.html")
    broken = _write_rows(tmp_path, rows)
    with pytest.raises(ValueError) as excinfo:
        bm.load_benchmarks(broken)
    text = str(excinfo.value)
    assert "row 2, column year: expected a year for a grade-A row" in text
    assert (
        "row 3, column grade: expected B or lower" in text
        and "row 4, column grade: expected B or lower" in text
    )


def test_a_figure_reported_by_a_third_party_is_grade_c_at_best(tmp_path):
    # rubric C: "via", "reported by" or "citing" a third party; a copy of the document itself may stay B
    rows = _committed_rows()
    rows[0].update(
        grade="B", source_name="Some Report 2024 (via a marketing blog)", source_url="https://blog.example"
    )
    rows[1].update(
        grade="B/C", source_name="Survey (as reported by a newspaper)", source_url="https://news.example"
    )
    rows[2].update(
        grade="B", source_name="Report 2020 (via dokumen.tips)", source_url="https://dokumen.tips/x.html"
    )
    rows[3].update(grade="C", source_name="Report (via a blog)", source_url="https://blog.example")
    broken = _write_rows(tmp_path, rows)
    with pytest.raises(ValueError) as excinfo:
        bm.load_benchmarks(broken)
    text = str(excinfo.value)
    assert (
        "row 2, column grade: expected C or lower" in text
        and "row 3, column grade: expected C or lower" in text
    )
    assert "row 4, column grade" not in text and "row 5, column grade" not in text
    committed = bm.load_benchmarks()
    reported = committed[committed["source_name"].str.contains(bm.REPORTED_NAMES)]
    copies = reported["source_url"].map(lambda url: any(h in url for h in bm.THIRD_PARTY_HOSTS))
    assert len(reported) > 60 and reported.loc[~copies, "grade"].str[0].isin(["C", "D"]).all()


def test_rows_corrected_in_issue_13():
    # Woodpecker: the uplift is the sequence's reply rate with follow-ups over without (9% -> 13%)
    ratio = (
        bm.benchmark("reply_rate_with_followup_woodpecker").value
        / bm.benchmark("reply_rate_no_followup_woodpecker").value
    )
    assert ratio == pytest.approx(bm.benchmark("followup_uplift_woodpecker").value, abs=0.05)
    assert "opening email alone" in bm.benchmark("followup_uplift_woodpecker").definition
    # RhythmOne: its programmes of January-June 2015, not "H1 2016"
    rhythm = bm.benchmark("emv_per_dollar_rhythmone_2015")
    assert rhythm.year == 2015 and "2016" not in rhythm.definition
    # Tomoson: a poll of what businesses say they earn, not EMV
    tomoson = bm.benchmark("claimed_return_per_dollar_tomoson_2015")
    assert tomoson.metric == "claimed_return_per_dollar" and "self-reported" in tomoson.definition
    # Meta partnership ads: no proxy URL, and no grade A for a copy
    meta = bm.benchmark("partnership_ads_ctr_uplift_meta_2022")
    assert "rhythmusic" not in meta.source_url and not meta.grade.startswith("A")
    # the made-up "first three lines" FTC rule is gone; Instagram's own figures replace it
    with pytest.raises(KeyError):
        bm.benchmark("disclosure_max_line_ftc")
    assert bm.benchmark("caption_visible_chars_instagram").source_name == "Instagram Help Center"
    # dating pass: figures re-pointed to the page that prints them (Econsultancy's 73%, Linqia's 2018 report)
    assert bm.benchmark("finding_influencer_challenge_econsultancy").source_name == "Econsultancy"
    linqia = bm.benchmark("programs_per_year_2_5_linqia_2018")
    assert linqia.year == 2018 and "2018" in linqia.source_url


# --------------------------------------------------------------------------- tiers
def test_tier_presets_file():
    presets = bm.load_tier_presets()
    assert set(presets["preset"]) == {"hootsuite_imh", "later_fohr_2021", "imh_2024", "hypeauditor_pre2021"}
    assert bm.DEFAULT_TIER_PRESET == "hootsuite_imh"
    assert presets["source_url"].str.match(r"^https?://").all()
    assert "mid" not in bm.load_tier_presets().query("preset == 'imh_2024'")["tier"].tolist()


def test_tier_bounds_default():
    assert bm.tier_bounds() == [
        ("nano", 1_000, 10_000),
        ("micro", 10_000, 50_000),
        ("mid", 50_000, 500_000),
        ("macro", 500_000, 1_000_000),
        ("mega", 1_000_000, math.inf),
    ]


@pytest.mark.parametrize(
    ("preset", "examples"),
    [
        (
            "hootsuite_imh",
            {999: "sub_nano", 1_000: "nano", 9_999: "nano", 10_000: "micro", 49_999: "micro", 50_000: "mid",
             499_999: "mid", 500_000: "macro", 999_999: "macro", 1_000_000: "mega", 50_000_000: "mega"},
        ),
        (
            "later_fohr_2021",
            {0: "nano", 999: "nano", 9_999: "nano", 10_000: "micro", 99_999: "micro", 100_000: "mid",
             500_000: "macro", 1_000_000: "mega"},
        ),
        (
            "imh_2024",
            {999: "sub_nano", 1_000: "nano", 10_000: "micro", 99_999: "micro", 100_000: "macro",
             999_999: "macro", 1_000_000: "mega"},
        ),
        (
            "hypeauditor_pre2021",
            {999: "sub_nano", 1_000: "nano", 4_999: "nano", 5_000: "micro", 20_000: "mid", 30_000: "mid",
             100_000: "macro", 1_000_000: "mega"},
        ),
    ],
)  # fmt: skip
def test_assign_tier_worked_examples(preset, examples):
    followers = pd.Series(list(examples), index=[f"c{i}" for i in range(len(examples))], name="followers")
    tiers = bm.assign_tier(followers, preset)
    assert isinstance(tiers, pd.Series)
    assert tiers.index.equals(followers.index)
    assert tiers.cat.ordered
    assert tiers.tolist() == list(examples.values())
    for count, tier in examples.items():
        assert bm.assign_tier(count, preset) == tier


def test_assign_tier_categories():
    hoot = bm.assign_tier(np.array([5_000, 2_000_000]))
    assert isinstance(hoot, pd.Categorical)
    assert list(hoot.categories) == ["sub_nano", *bm.TIER_ORDER]
    later = bm.assign_tier(np.array([5]), "later_fohr_2021")
    assert list(later.categories) == list(bm.TIER_ORDER)  # nano starts at 0: no sub_nano
    imh = bm.assign_tier(np.array([5_000]), "imh_2024")
    assert list(imh.categories) == ["sub_nano", "nano", "micro", "macro", "mega"]
    assert pd.isna(bm.assign_tier(np.array([np.nan]))[0])
    assert hoot.min() == "nano" and hoot.max() == "mega"


def test_tier_conclusions_change_with_the_preset():
    assert bm.assign_tier(30_000, "hootsuite_imh") == "micro"
    assert bm.assign_tier(30_000, "hypeauditor_pre2021") == "mid"
    # Same creators, same ERs: the "micro" median ER depends on the tier preset.
    creators = pd.DataFrame(
        {
            "followers": [2_000, 8_000, 15_000, 30_000, 45_000, 200_000],
            "er": [0.06, 0.04, 0.03, 0.02, 0.015, 0.01],
        }
    )

    def micro_median_er(preset: str) -> float:
        tiers = bm.assign_tier(creators["followers"], preset)
        return creators.groupby(tiers, observed=True)["er"].median()["micro"]

    micro_er = {preset: micro_median_er(preset) for preset in ("hootsuite_imh", "hypeauditor_pre2021")}
    assert micro_er["hootsuite_imh"] == pytest.approx(0.02)  # 15K, 30K, 45K
    assert micro_er["hypeauditor_pre2021"] == pytest.approx(0.035)  # 8K, 15K


def test_assign_tier_rejects_unknown_preset_and_negative_counts():
    with pytest.raises(ValueError, match="known presets: hootsuite_imh"):
        bm.assign_tier(10, "instagram_2030")
    with pytest.raises(ValueError, match=">= 0"):
        bm.assign_tier(np.array([-1, 5]))


def test_tier_preset_names_without_pandas_match_the_checked_table():
    from playbook.data.layout import tier_preset_names

    assert tier_preset_names() == tuple(sorted(bm.load_tier_presets()["preset"].unique()))


# --------------------------------------------------------------------------- one lookup of what prices what
def test_cpm_band_combines_the_three_rate_cards():
    (low, typical, high), ids = bm.cpm_band("instagram")
    rows = [bm.benchmark(i) for i in ids]
    assert ids == tuple(f"cpm_instagram_{s}" for s in bm.CPM_SOURCES)
    assert low == min(r.low for r in rows) and high == max(r.high for r in rows)
    assert typical == pytest.approx(float(np.median([r.value for r in rows])))


def test_reach_rate_and_format_uplift_ids():
    assert bm.reach_rate_id("instagram", "carousel") == "reach_rate_instagram_feed_influencerfee"
    assert bm.reach_rate_id("instagram", "story_link") == "reach_rate_instagram_story_influencerfee"
    assert bm.reach_rate_id("tiktok", "short_video") == "reach_rate_tiktok_untapper"
    with pytest.raises(ValueError, match="does not exist on instagram"):
        bm.reach_rate_id("instagram", "long_video")
    assert bm.format_uplift_id("feed") is None and bm.format_uplift("feed") == 1.0  # the basis itself
    assert bm.format_uplift("reel") == bm.benchmark("format_uplift_video_hypeauditor").value


# ------------------------------------------------------------------- moved from test_apps_benchmarks.py
FOLLOWERS_MEDIAN = "all interactions / followers, median"


LIKES_MEAN = "likes / followers, mean (Modash API)"


REACH_MEDIAN = "all interactions / reach, median"


VIEWS_MEDIAN = "all interactions / views, median (video only)"


def registry_frame() -> pd.DataFrame:
    """A hand-made registry: three ER rows (typical / midpoint / low-only) and one CPM row in another unit."""
    rows = [
        (
            "er_a",
            "engagement_rate",
            "instagram",
            "micro",
            "feed",
            0.02,
            0.03,
            0.04,
            "fraction",
            "ER by followers",
        ),
        (
            "er_b",
            "engagement_rate",
            "instagram",
            "nano",
            "all",
            0.04,
            None,
            0.08,
            "fraction",
            "likes / followers",
        ),
        ("er_c", "engagement_rate", "tiktok", "micro", "video", 0.10, None, None, "fraction", "ER by views"),
        ("cpm_a", "cpm", "instagram", "all", "all", 5.0, 10.0, 15.0, "usd", "cost per 1,000 impressions"),
        ("cpm_b", "cpm", "tiktok", "all", "all", None, 8.0, None, "eur", "cost per 1,000 views"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "benchmark_id",
            "metric",
            "platform",
            "tier",
            "format",
            "low",
            "typical",
            "high",
            "unit",
            "definition",
        ],
    )
    return frame.assign(
        source_name=["Src A", "Src B", "Src C", "Src D", "Src E"],
        year=pd.array([2021, 2023, None, 2024, 2024], dtype="Int64"),
        grade=["B", "C", "C", "B", "C"],
        source_url="https://example.org",
        notes="",
        followers_min=pd.NA,
        followers_max=pd.NA,
    )


@pytest.fixture(scope="module")
def sample_tables() -> dict[str, pd.DataFrame]:
    from playbook.data.loading import load
    from playbook.data.synth.generate import SAMPLE_DIR

    return load(SAMPLE_DIR)


def test_filter_registry_value_rule_and_filters() -> None:
    rows = filter_registry(registry_frame(), "engagement_rate")
    # value: typical if given (er_a 0.03), else the low-high midpoint (er_b (0.04 + 0.08) / 2 = 0.06),
    # else the one bound given (er_c 0.10), the rule of `Benchmark.value`; sorted by value
    assert rows["benchmark_id"].tolist() == ["er_a", "er_b", "er_c"]
    assert rows["value"].tolist() == pytest.approx([0.03, 0.06, 0.10])
    only = filter_registry(registry_frame(), "engagement_rate", platform="instagram", tier="micro")
    assert only["benchmark_id"].tolist() == ["er_a"]
    assert filter_registry(registry_frame(), "engagement_rate", fmt="story").empty


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_filter_registry_rows_always_match_the_filters(data: st.DataObject) -> None:
    registry = load_benchmarks()
    metric = data.draw(st.sampled_from(sorted(registry["metric"].unique())))
    rows = registry[registry["metric"] == metric]
    platform = data.draw(st.sampled_from([ANY, *sorted(rows["platform"].unique())]))
    tier = data.draw(st.sampled_from([ANY, *sorted(rows["tier"].unique())]))
    out = filter_registry(registry, metric, platform=platform, tier=tier)
    assert (out["metric"] == metric).all()
    assert platform == ANY or (out["platform"] == platform).all()
    assert tier == ANY or (out["tier"] == tier).all()
    both = out.dropna(subset=["low", "high"])
    assert ((both["value"] >= both["low"] - 1e-12) & (both["value"] <= both["high"] + 1e-12)).all()


def test_profile_er_worked_example(minimal_tables: dict[str, pd.DataFrame]) -> None:
    er = profile_er_long(minimal_tables).set_index(["account_id", "basis"])["er"]
    # AC000001 (52,000 followers): reel 2400 + 130 + 60 + 210 = 2,800; feed 1800 + 95 + 12 + 80 = 1,987
    # by followers, median of 2 posts: (2800 / 52000 + 1987 / 52000) / 2 = 0.0460288
    assert er["AC000001", FOLLOWERS_MEDIAN] == pytest.approx((2800 / 52000 + 1987 / 52000) / 2)
    # likes only, mean (Modash API): (2400 + 1800) / 2 / 52000 = 0.0403846
    assert er["AC000001", LIKES_MEAN] == pytest.approx(2100 / 52000)
    # by reach, median: (2800 / 30000 + 1987 / 21000) / 2 = 0.0939762
    assert er["AC000001", REACH_MEDIAN] == pytest.approx((2800 / 30000 + 1987 / 21000) / 2)
    # by views: only the reel has views: 2800 / 41000 = 0.0682927 (the feed post is excluded, not zero)
    assert er["AC000001", VIEWS_MEDIAN] == pytest.approx(2800 / 41000)
    # AC000004 posted one carousel (no views): ER by views undefined, NaN rather than 0
    assert math.isnan(er["AC000004", VIEWS_MEDIAN])


def test_er_by_basis_groups_by_platform_and_tier(minimal_tables: dict[str, pd.DataFrame]) -> None:
    long = profile_er_long(minimal_tables)
    by_platform = er_by_basis(long, by="platform").set_index(["group", "basis"])
    # instagram: AC000001 0.0460288 and AC000004 (900 + 40 + 25 + 120) / 18000 = 0.0602778 -> median 0.0531533
    expected = ((2800 / 52000 + 1987 / 52000) / 2 + 1085 / 18000) / 2
    assert by_platform.loc[("instagram", FOLLOWERS_MEDIAN), "median_er"] == pytest.approx(expected)
    assert by_platform.loc[("instagram", FOLLOWERS_MEDIAN), "n_accounts"] == 2
    assert by_platform.loc[("instagram", VIEWS_MEDIAN), "n_accounts"] == 1  # the carousel has no views
    by_tier = er_by_basis(long, by="tier", preset="hootsuite_imh", platform="instagram")
    # Hootsuite tiers: 18,000 is micro (10K-50K), 52,000 is mid (50K-500K)
    assert set(by_tier["group"]) == {"micro", "mid"}
    with pytest.raises(ValueError, match="by must be"):
        er_by_basis(long, by="niche")


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5_000_000), min_size=1, max_size=40))
def test_tier_shares_sum_to_one_under_every_preset(followers: list[int]) -> None:
    frame = pd.DataFrame({"followers": followers, "er": 0.02, "basis": "b", "platform": "instagram"})
    out = tier_presets_compare(frame, basis="b")
    assert out.groupby("preset")["share"].sum().to_numpy() == pytest.approx(1.0)
    assert (out.groupby("preset")["n_accounts"].sum() == len(followers)).all()


def test_reach_rate_is_undefined_for_zero_followers(minimal_tables: dict[str, pd.DataFrame]) -> None:
    tables = dict(minimal_tables)
    tables["accounts"] = minimal_tables["accounts"].assign(followers=0)
    out = reach_by_format(tables)
    assert out["reach_rate_median"].isna().all() and np.isfinite(out["er_by_reach_median"]).all()


def test_niche_hashtags_skip_disclosure_tags(minimal_tables: dict[str, pd.DataFrame]) -> None:
    tables = dict(minimal_tables)
    captions = ["Glow #SkinCare #ad", "#skincare and #spf", "#ad #sponsored", "", "#running #ad"]
    tables["posts"] = minimal_tables["posts"].assign(caption=captions)
    out = niche_hashtags(tables, top=2)
    beauty = out[out["niche"] == "beauty"]
    # beauty has 3 posts: #skincare on 2 (case folded) = 2/3, #spf on 1 = 1/3; #ad and #sponsored dropped
    assert beauty["hashtag"].tolist() == ["#skincare", "#spf"]
    assert beauty["share"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert out[out["niche"] == "fitness"]["hashtag"].tolist() == ["#running"]


def test_niche_tables_on_the_sample_are_small_enough_to_chart(sample_tables: dict[str, pd.DataFrame]) -> None:
    formats = niche_formats(sample_tables)
    assert formats.groupby("niche")["share"].sum().to_numpy() == pytest.approx(1.0)
    assert len(formats) < 5000 and len(niche_audience(sample_tables)) < 5000
    assert (niche_hashtags(sample_tables).groupby("niche").size() <= 4).all()
