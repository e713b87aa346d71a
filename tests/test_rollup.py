"""Tests for playbook.analytics.rollup: worked examples, undefined results, properties, pandas equivalence.

Formulas (industry-facts 1.1 and 1.3): ER by reach = engagements / reach; ER by followers = median over posts
of engagements / followers; CPM = fees / impressions x 1000; CPE = fees / engagements; CPC = fees / clicks,
with engagements = likes + comments + shares + saves and the cost ratios over sponsored posts.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from playbook.analytics.rollup import ROLLUP_COLUMNS, kpi_rollup, rollup_sql
from playbook.data.loading import load
from playbook.data.synth.generate import SAMPLE_DIR, generate

NUMERIC = [c for c in ROLLUP_COLUMNS if c not in ("currency", "reasons")]
RATIOS = {"er_by_reach": "ER by reach", "er_by_followers": "ER by followers", "cpm": "CPM", "cpe": "CPE"}


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    return load(SAMPLE_DIR, tables=["posts", "accounts", "contracts", "campaigns"])


def pandas_rollup(t: dict[str, pd.DataFrame], by: str, sponsored_only: bool = False) -> pd.DataFrame:
    """An independent pandas implementation of the same rollup, used as the reference."""
    key = f"{by}_id"
    posts = t["posts"].merge(
        t["accounts"][["account_id", "creator_id", "followers"]], on="account_id", how="left"
    )
    if sponsored_only:
        posts = posts[posts["sponsored"]]
    posts = posts.assign(engagements=posts["likes"] + posts["comments"] + posts["shares"] + posts["saves"])
    posts["er_post"] = (posts["engagements"] / posts["followers"]).where(posts["followers"] > 0)
    groups = {
        "creator": t["accounts"]["creator_id"].drop_duplicates(),
        "account": t["accounts"]["account_id"],
        "campaign": t["campaigns"]["campaign_id"],
    }[by]
    index = pd.Index(sorted(groups), name=key)
    g = posts.dropna(subset=[key]).groupby(key)
    out = pd.DataFrame(index=index)
    out["posts"] = g.size().reindex(index, fill_value=0)
    for column in ("reach", "impressions", "views", "engagements", "link_clicks"):
        out[column] = g[column].sum().reindex(index, fill_value=0)
    out["er_by_reach"] = (out["engagements"] / out["reach"]).where(out["reach"] > 0)
    out["er_by_followers"] = g["er_post"].median().reindex(index)
    sponsored = posts[posts["sponsored"]].dropna(subset=[key]).groupby(key)
    out["sponsored_posts"] = sponsored.size().reindex(index, fill_value=0)
    for column in ("impressions", "engagements"):
        out[f"sponsored_{column}"] = sponsored[column].sum().reindex(index, fill_value=0)
    out["sponsored_clicks"] = sponsored["link_clicks"].sum().reindex(index, fill_value=0)
    contracts = t["contracts"].merge(
        t["campaigns"][["campaign_id", "currency"]], on="campaign_id", how="left"
    )
    c = contracts.groupby(key)
    out["contracts"] = c.size().reindex(index, fill_value=0)
    out["fees"] = c["fee"].sum().where(c["currency"].nunique() == 1).reindex(index)
    out["cpm"] = (out["fees"] * 1000 / out["sponsored_impressions"]).where(out["sponsored_impressions"] > 0)
    out["cpe"] = (out["fees"] / out["sponsored_engagements"]).where(out["sponsored_engagements"] > 0)
    out["cpc"] = (out["fees"] / out["sponsored_clicks"]).where(out["sponsored_clicks"] > 0)
    if sponsored_only:
        out = out[(out["posts"] > 0) | (out["contracts"] > 0)]
    return out


def assert_matches_pandas(t: dict[str, pd.DataFrame], by: str, sponsored_only: bool = False) -> None:
    ours = kpi_rollup(t, by=by, sponsored_only=sponsored_only).set_index(f"{by}_id")
    ref = pandas_rollup(t, by, sponsored_only)
    assert list(ours.index) == list(ref.index)
    columns = [c for c in NUMERIC if c in ref]
    pd.testing.assert_frame_equal(
        ours[columns].astype(float), ref[columns].astype(float), rtol=1e-12, check_names=False
    )


def at(frame: pd.DataFrame, key: str) -> pd.Series:
    return frame.set_index(frame.columns[0]).loc[key]


# --------------------------------------------------------------------------- worked examples (by hand)
def test_creator_worked_example(minimal_tables):
    # CR00001 owns AC000001 (52,000 followers: PO1 sponsored, PO2 organic) and AC000002 (120,000: PO3
    # sponsored). Engagements: PO1 2400+130+60+210 = 2,800; PO2 1800+95+12+80 = 1,987;
    # PO3 9100+420+800+650 = 10,970; total 15,757. Reach 30,000+21,000+90,000 = 141,000.
    r = at(kpi_rollup(minimal_tables, by="creator"), "CR00001")
    assert (r.posts, r.reach, r.impressions, r.engagements, r.link_clicks) == (
        3,
        141_000,
        181_000,
        15_757,
        1_420,
    )
    assert r.views == 41_000 + 0 + 150_000
    # ER by reach (industry-facts 1.1, ERR) = 15,757 / 141,000 = 0.111751...
    assert r.er_by_reach == pytest.approx(15_757 / 141_000)
    # ER by followers per post: 2,800/52,000 = 0.05385, 1,987/52,000 = 0.03821, 10,970/120,000 = 0.09142;
    # the median of three is the middle one, 0.05385.
    assert r.er_by_followers == pytest.approx(2_800 / 52_000)
    # Sponsored PO1 + PO3: impressions 36,000 + 120,000 = 156,000; engagements 13,770; clicks 1,420.
    # Fee (contract CT0001, USD) 2,640. CPM = 2,640 / 156,000 x 1000 = 16.923; CPE = 2,640 / 13,770 = 0.1917;
    # CPC = 2,640 / 1,420 = 1.859 (industry-facts 1.3).
    assert (r.sponsored_posts, r.sponsored_impressions, r.sponsored_engagements) == (2, 156_000, 13_770)
    assert (r.contracts, r.currency, r.fees) == (1, "USD", 2_640)
    assert r.cpm == pytest.approx(16.923077, rel=1e-6)
    assert r.cpe == pytest.approx(0.191721, rel=1e-5)
    assert r.cpc == pytest.approx(1.859155, rel=1e-6)
    assert pd.isna(r.reasons)


def test_campaign_worked_example(minimal_tables):
    # CP001: PO1 and PO3 (sponsored). Engagements 2,800 + 10,970 = 13,770; reach 30,000 + 90,000 = 120,000;
    # ER by reach = 13,770 / 120,000 = 0.11475. ER by followers: median of 0.053846 and 0.091417 = their
    # mean, 0.072631. CPM = 2,640 / 156,000 x 1000 = 16.923.
    r = at(kpi_rollup(minimal_tables, by="campaign"), "CP001")
    assert r.er_by_reach == pytest.approx(0.11475)
    assert r.er_by_followers == pytest.approx((2_800 / 52_000 + 10_970 / 120_000) / 2)
    assert r.cpm == pytest.approx(2_640 / 156_000 * 1000)
    # CP002 (EUR): PO5, 1,085 engagements on 9,000 reach = 0.120556; fee 180 over 11,000 impressions:
    # CPM = 16.364, CPE = 180 / 1,085 = 0.1659, CPC = 180 / 60 = 3.00 EUR.
    r = at(kpi_rollup(minimal_tables, by="campaign"), "CP002")
    assert (r.currency, r.er_by_reach, r.cpc) == ("EUR", pytest.approx(1_085 / 9_000), 3.0)
    assert r.cpm == pytest.approx(16.363636, rel=1e-6)


def test_account_grouping_attributes_fees_to_the_contract_account(minimal_tables):
    # Contract CT0001 is on AC000001, so its 2,640 fee is spread over AC000001's sponsored impressions only:
    # CPM = 2,640 / 36,000 x 1000 = 73.33. AC000002 has a sponsored post but no contract: fees undefined.
    out = kpi_rollup(minimal_tables, by="account")
    assert at(out, "AC000001").cpm == pytest.approx(73.333333, rel=1e-6)
    ac2 = at(out, "AC000002")
    assert math.isnan(ac2.fees) and math.isnan(ac2.cpm)
    assert "fees: no contract" in ac2.reasons and "CPM: missing data" in ac2.reasons


# --------------------------------------------------------------------------- undefined results
def test_creator_without_contract_has_undefined_costs_with_reasons(minimal_tables):
    r = at(kpi_rollup(minimal_tables), "CR00002")
    assert r.contracts == 0 and math.isnan(r.fees) and math.isnan(r.cpc)
    assert r.reasons.split("; ") == [
        "fees: no contract",
        "CPM: missing data",
        "CPE: missing data",
        "CPC: missing data",
    ]
    assert r.er_by_reach == pytest.approx(7_650 / 70_000)  # 6500+710+140+300 over 70,000


def test_zero_followers_gives_undefined_er_by_followers(minimal_tables):
    minimal_tables["accounts"].loc[minimal_tables["accounts"]["account_id"] == "AC000004", "followers"] = 0
    r = at(kpi_rollup(minimal_tables), "CR00003")
    assert math.isnan(r.er_by_followers)
    assert "ER by followers: followers is 0" in r.reasons
    assert r.er_by_reach == pytest.approx(1_085 / 9_000)  # unaffected


def test_no_posts_gives_zero_sums_and_undefined_ratios(minimal_tables):
    minimal_tables["posts"] = minimal_tables["posts"].iloc[0:0]
    out = kpi_rollup(minimal_tables)
    assert len(out) == 3 and (out[["posts", "reach", "engagements"]] == 0).all().all()
    assert out[["er_by_reach", "er_by_followers", "cpm", "cpe", "cpc"]].isna().all().all()
    r = at(out, "CR00001")
    assert "ER by reach: denominator is 0" in r.reasons and "ER by followers: no posts" in r.reasons
    # A fee was paid but nothing was posted: CPM is undefined because impressions are 0, not "missing".
    assert r.fees == 2_640 and "CPM: denominator is 0" in r.reasons


def test_zero_clicks_gives_undefined_cpc_not_inf(minimal_tables):
    minimal_tables["posts"].loc[minimal_tables["posts"]["post_id"] == "PO0000005", "link_clicks"] = 0
    r = at(kpi_rollup(minimal_tables), "CR00003")
    assert math.isnan(r.cpc) and r.reasons == "CPC: denominator is 0"
    assert r.cpm == pytest.approx(180 / 11_000 * 1000)


def test_fees_in_several_currencies_are_not_summed(minimal_tables):
    extra = (
        minimal_tables["contracts"]
        .iloc[[1]]
        .assign(contract_id="CT0003", creator_id="CR00001", account_id="AC000001")
    )
    minimal_tables["contracts"] = pd.concat([minimal_tables["contracts"], extra], ignore_index=True)
    r = at(kpi_rollup(minimal_tables), "CR00001")
    assert r.contracts == 2 and math.isnan(r.fees) and pd.isna(r.currency)
    assert "fees: contracts in several currencies (EUR|USD)" in r.reasons
    # by campaign each campaign keeps one currency: CP002 now has 180 + 180 = 360 EUR of fees.
    assert at(kpi_rollup(minimal_tables, by="campaign"), "CP002").fees == 360


def test_sponsored_only_counts_sponsored_posts_and_drops_idle_groups(minimal_tables):
    out = kpi_rollup(minimal_tables, sponsored_only=True)
    # CR00002 has only an organic post and no contract: dropped. CR00001 keeps PO1 and PO3.
    assert list(out["creator_id"]) == ["CR00001", "CR00003"]
    r = at(out, "CR00001")
    assert (r.posts, r.reach, r.engagements) == (2, 120_000, 13_770)


def test_reasons_explain_every_undefined_ratio(sample):
    for by in ("creator", "account", "campaign"):
        out = kpi_rollup(sample, by=by)
        for column, name in RATIOS.items():
            nan = out[column].isna()
            explained = out["reasons"].fillna("").str.contains(f"{name}:", regex=False)
            assert (nan == explained).all(), (by, column)
        assert not np.isinf(out[NUMERIC].to_numpy(float)).any()


def test_consistent_with_playbook_metrics(sample):
    from playbook.analytics import metrics

    out = kpi_rollup(sample, by="creator").set_index("creator_id")
    for basis, column in (
        (metrics.ERBasis("followers", last_n=None), "er_by_followers"),
        (metrics.ERBasis("reach", agg="total"), "er_by_reach"),
    ):
        profile = metrics.profile_engagement_rate(sample["posts"], sample["accounts"], basis, by="creator_id")
        er = profile.set_index("creator_id")["er"].reindex(out.index)
        pd.testing.assert_series_equal(out[column], er, rtol=1e-12, check_names=False)
    priced = out[out["fees"].notna()]
    pd.testing.assert_series_equal(
        priced["cpm"], metrics.cpm(priced["fees"], priced["sponsored_impressions"]), check_names=False
    )
    pd.testing.assert_series_equal(
        priced["cpc"], metrics.cpc(priced["fees"], priced["sponsored_clicks"]), check_names=False
    )


# --------------------------------------------------------------------------- API
def test_rejects_unknown_grouping():
    with pytest.raises(ValueError, match="by must be one of creator, account, campaign"):
        rollup_sql("brand")


def test_missing_table_or_file_is_named(minimal_tables, tmp_path):
    del minimal_tables["contracts"]
    with pytest.raises(KeyError, match="contracts"):
        kpi_rollup(minimal_tables)
    with pytest.raises(FileNotFoundError, match=r"posts\.parquet, posts\.csv or posts\.csv\.gz"):
        kpi_rollup(tmp_path)


def test_directory_and_tables_give_the_same_result(minimal_dataset, minimal_tables):
    for by in ("creator", "account", "campaign"):
        pd.testing.assert_frame_equal(kpi_rollup(minimal_dataset, by=by), kpi_rollup(minimal_tables, by=by))


def test_engine_caps_are_accepted(minimal_tables):
    capped = kpi_rollup(minimal_tables, threads=1, memory_limit="256MB")
    pd.testing.assert_frame_equal(capped, kpi_rollup(minimal_tables))


# --------------------------------------------------------------------------- equivalence and properties
@pytest.mark.parametrize("by", ["creator", "campaign", "account"])
def test_sample_matches_pandas(sample, by):
    assert_matches_pandas(sample, by)


def test_sample_sponsored_only_matches_pandas(sample):
    assert_matches_pandas(sample, "creator", sponsored_only=True)


def test_parquet_and_csv_inputs_give_the_same_result(tmp_path: Path):
    generate(out=tmp_path / "pq", scale=40, fmt="parquet")
    generate(out=tmp_path / "csv", scale=40, fmt="csv")
    assert (tmp_path / "pq" / "posts.parquet").is_file() and (tmp_path / "csv" / "posts.csv").is_file()
    for by in ("creator", "campaign"):
        from_parquet = kpi_rollup(tmp_path / "pq", by=by)
        assert len(from_parquet) > 0 and from_parquet["posts"].sum() > 0
        pd.testing.assert_frame_equal(from_parquet, kpi_rollup(tmp_path / "csv", by=by))


ACCOUNTS = pd.DataFrame(
    {"account_id": ["A1", "A2", "A3"], "creator_id": ["C1", "C1", "C2"], "followers": [1_000, 0, 50_000]}
)
CAMPAIGNS = pd.DataFrame({"campaign_id": ["K1", "K2"], "currency": ["USD", "EUR"]})
CONTRACTS = pd.DataFrame(
    {
        "campaign_id": ["K1", "K2"],
        "creator_id": ["C1", "C2"],
        "account_id": ["A1", "A3"],
        "fee": [500.0, 75.5],
    }
)
count = st.integers(0, 5_000)
post = st.tuples(st.sampled_from(["A1", "A2", "A3"]), st.sampled_from([None, "K1", "K2"]), *[count] * 8)


def posts_frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["account_id", "campaign_id", "likes", "comments", "shares", "saves", "views", "reach"]
    columns += ["impressions", "link_clicks"]
    frame = pd.DataFrame(rows, columns=columns).astype({c: "int64" for c in columns[2:]})
    frame["campaign_id"] = frame["campaign_id"].astype("str")
    frame["sponsored"] = frame["campaign_id"].notna()
    return frame


def tiny_tables(rows: list[tuple]) -> dict[str, pd.DataFrame]:
    return {"posts": posts_frame(rows), "accounts": ACCOUNTS, "contracts": CONTRACTS, "campaigns": CAMPAIGNS}


# Each example runs DuckDB (~50 ms): shrinking a failure could use Hypothesis's whole 5-minute shrink budget;
# the examples are at most 12 posts, small enough to read unshrunk.
QUICK = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow], "phases": [Phase.generate]}


@settings(max_examples=30, **QUICK)
@given(st.lists(post, max_size=12), st.sampled_from(["creator", "campaign", "account"]))
def test_property_matches_pandas_on_random_posts(rows, by):
    assert_matches_pandas(tiny_tables(rows), by)


@settings(max_examples=15, **QUICK)
@given(st.lists(post, min_size=1, max_size=10))
def test_property_doubling_every_post_keeps_rates_and_halves_unit_costs(rows):
    once = kpi_rollup(tiny_tables(rows))
    twice = kpi_rollup(tiny_tables(rows + rows))
    assert (twice["posts"] == 2 * once["posts"]).all() and (twice["reach"] == 2 * once["reach"]).all()
    for column in ("er_by_reach", "er_by_followers"):
        pd.testing.assert_series_equal(twice[column], once[column], rtol=1e-12)
    for column in ("cpm", "cpe", "cpc"):
        pd.testing.assert_series_equal(twice[column] * 2, once[column], rtol=1e-12)
