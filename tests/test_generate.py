"""The seeded generator: byte-identical regeneration, contracts, and calibration sanity properties."""

from __future__ import annotations

import filecmp
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from playbook.data.loading import load
from playbook.data.registry import assign_tier, benchmark
from playbook.data.schemas import TABLES
from playbook.data.synth import calibration, generate


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate.generate(out=out, raw_out=out / "raw")
    return out


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    return load(generate.SAMPLE_DIR)


def test_committed_sample_is_exactly_what_the_generator_writes(regenerated: Path) -> None:
    for name in TABLES:
        committed = generate.SAMPLE_DIR / f"{name}.csv"
        assert committed.exists(), f"{committed} missing: run `make datasets`"
        assert filecmp.cmp(committed, regenerated / f"{name}.csv", shallow=False), (
            f"{committed.name} differs from a fresh `playbook datasets generate`; run `make datasets`"
        )
    raw_files = sorted(p.name for p in generate.RAW_DIR.iterdir())
    assert raw_files == sorted(p.name for p in (regenerated / "raw").iterdir())
    for name in raw_files:
        assert filecmp.cmp(generate.RAW_DIR / name, regenerated / "raw" / name, shallow=False), name


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    generate.generate(out=tmp_path, seed=7, scale=40)
    a = (tmp_path / "posts.csv").read_bytes()
    generate.generate(out=tmp_path / "again", seed=8, scale=40)
    assert a != (tmp_path / "again" / "posts.csv").read_bytes()


def test_sample_is_small_enough_to_commit() -> None:
    total = sum(p.stat().st_size for p in generate.SAMPLE_DIR.glob("*.csv"))
    assert total < 8_000_000, f"sample is {total / 1e6:.1f} MB"


def test_custom_scale_streams_to_parquet_and_validates(tmp_path: Path) -> None:
    written = generate.generate(out=tmp_path, seed=3, scale=60, fmt="parquet")
    assert all(p.suffix == ".parquet" for p in written.values())
    tables = load(tmp_path)
    assert len(tables["creators"]) == 60
    assert tables["posts"]["post_id"].is_unique


def test_exact_post_total_when_requested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        generate.SCALES, "tiny", generate.Scale(creators=90, shard_size=30, total_posts=2_000)
    )
    generate.generate(out=tmp_path, seed=5, scale="tiny", fmt="parquet")
    tables = load(tmp_path, tables=["creators", "accounts", "posts", "brands", "campaigns", "contracts"])
    assert len(tables["posts"]) == 2_000
    assert tables["creators"]["creator_id"].is_unique


def test_failed_generation_leaves_no_partial_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "posts.csv").write_text("keep me\n")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(generate, "_write_csv", boom)
    with pytest.raises(RuntimeError):
        generate.generate(out=tmp_path, scale=20)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posts.csv"]
    assert (tmp_path / "posts.csv").read_text() == "keep me\n"


# --- calibration: shapes published in the benchmarks file -------------------------------------------


def test_follower_fit_reproduces_the_published_tier_shares() -> None:
    mu, sigma, floor = calibration.follower_distribution()
    draws = 10 ** (mu + sigma * np.random.default_rng(0).standard_normal(400_000))
    draws = draws[draws >= 10**floor]
    tiers = pd.Series(assign_tier(draws)).value_counts(normalize=True)
    assert tiers["nano"] == pytest.approx(
        benchmark("tier_share_instagram_nano_hypeauditor_2026").value, abs=0.01
    )
    assert tiers["micro"] == pytest.approx(
        benchmark("tier_share_instagram_micro_hypeauditor_2026").value, abs=0.01
    )
    # the mega share was not fitted: it is a check of the shape (published 0.1%)
    assert tiers["mega"] < 0.005


def test_sample_tier_mix_within_published_range(sample: dict[str, pd.DataFrame]) -> None:
    accounts = sample["accounts"]
    main = accounts.sort_values("followers").drop_duplicates("creator_id", keep="last")
    share = pd.Series(assign_tier(main["followers"])).value_counts(normalize=True)
    low = benchmark("tier_share_instagram_nano_hypeauditor_2023").value
    high = benchmark("tier_share_instagram_nano_hypeauditor_2026").value
    assert low <= share["nano"] <= high + 0.03


def _organic_er(sample: dict[str, pd.DataFrame]) -> pd.DataFrame:
    posts = sample["posts"][~sample["posts"]["sponsored"]].merge(
        sample["accounts"][["account_id", "followers"]], on="account_id"
    )
    inter = posts[["likes", "comments", "shares", "saves"]].sum(axis=1)
    posts["er_followers"] = inter / posts["followers"]
    posts["er_views"] = inter / posts["views"].where(posts["views"] > 0)
    posts["tier"] = assign_tier(posts["followers"])
    return posts


@pytest.mark.parametrize(("platform", "basis"), [("instagram", "er_followers"), ("tiktok", "er_views")])
def test_median_engagement_rate_falls_with_tier(
    sample: dict[str, pd.DataFrame], platform: str, basis: str
) -> None:
    posts = _organic_er(sample)
    med = posts[posts["platform"] == platform].groupby("tier", observed=True)[basis].median()
    med = med[[t for t in ("nano", "micro", "mid") if t in med.index]]
    assert len(med) >= 2
    assert med.is_monotonic_decreasing, med


def test_nano_instagram_er_inside_published_band(sample: dict[str, pd.DataFrame]) -> None:
    posts = _organic_er(sample)
    nano = posts[(posts["platform"] == "instagram") & (posts["tier"] == "nano")]["er_followers"].median()
    b = benchmark("er_followers_instagram_nano_untapper_2026")
    assert b.low <= nano <= b.high


def test_counts_are_internally_consistent(sample: dict[str, pd.DataFrame]) -> None:
    posts = sample["posts"]
    assert (posts[["likes", "comments", "shares", "saves"]].sum(axis=1) <= posts["reach"]).all()
    assert (posts["reach"] <= posts["impressions"]).all()
    contracts = sample["contracts"]
    assert (contracts["fee"] > 0).all()


def test_campaign_roas_is_plausible(sample: dict[str, pd.DataFrame]) -> None:
    from playbook.analytics.summary import campaign_figures

    roas = [campaign_figures(sample, c)["roas"] for c in sample["campaigns"]["campaign_id"]]
    assert all(0.01 < r < 10 for r in roas), roas


def test_outreach_reply_and_late_payment_rates_follow_benchmarks(sample: dict[str, pd.DataFrame]) -> None:
    reply = sample["outreach"]["replied_at"].notna().mean()
    assert abs(reply - benchmark("reply_rate_creator_heepsy").value) < 0.1
    d = sample["deliverables"].merge(
        sample["contracts"][["contract_id", "payment_terms_days"]], on="contract_id"
    )
    paid = d[d["paid_date"].notna()]
    due = paid["invoiced_date"] + pd.to_timedelta(paid["payment_terms_days"], unit="D")
    late = (paid["paid_date"] > due).mean()
    assert abs(late - benchmark("late_payment_share_tipalti").value) < 0.12


def test_fraud_archetypes_leave_their_signals(sample: dict[str, pd.DataFrame]) -> None:
    labels = sample["fraud_labels"].merge(sample["accounts"], on="account_id")
    share = (labels["archetype"] != "none").mean()
    assert 0.25 < share < 0.5
    threshold = benchmark("followers_credibility_fraud_threshold_modash").value
    bought = labels[labels["archetype"] == "bought_followers"]
    clean = labels[labels["archetype"] == "none"]
    assert (bought["audience_credibility"] < threshold).mean() > 0.8
    assert (clean["audience_credibility"] >= threshold).mean() > 0.8
    daily = sample["follower_daily"].merge(bought[["account_id", "onset_date"]], on="account_id")
    jump = (
        daily.sort_values("date")
        .groupby("account_id")["followers"]
        .apply(lambda s: s.diff().max() / s.iloc[0])
    )
    assert (jump > 0.15).mean() > 0.9
    mass = labels[labels["archetype"] == "mass_follow"]
    peak = sample["follower_daily"][sample["follower_daily"]["account_id"].isin(mass["account_id"])]
    assert (
        peak.groupby("account_id")["following"].max()
        > benchmark("mass_follower_following_threshold_hivency").value
    ).all()


def test_planted_trends_rise_after_onset(sample: dict[str, pd.DataFrame]) -> None:
    daily = sample["topic_daily"]
    for t in sample["trend_labels"].itertuples():
        s = daily[(daily["topic"] == t.topic) & (daily["platform"] == t.platform)].set_index("date")["posts"]
        before = s[s.index < t.onset_date].tail(14).mean()
        after = s[s.index >= t.onset_date + pd.Timedelta(days=30)].head(14).mean()
        assert after > 3 * before, t.topic


def test_holdout_experiment_recovers_the_planted_lift(sample: dict[str, pd.DataFrame]) -> None:
    daily = sample["experiment_geo_daily"]
    for e in sample["experiments"].itertuples():
        d = daily[daily["experiment_id"] == e.experiment_id]
        test = d[d["date"] >= e.start_date].groupby("arm")["conversions"].sum()
        pre = d[d["date"] < e.start_date].groupby("arm")["conversions"].sum()
        # difference in differences on the ratio treatment / control; Poisson standard error of its log
        ratio = (test["treatment"] / test["control"]) / (pre["treatment"] / pre["control"])
        se = np.sqrt((1 / test).sum() + (1 / pre).sum())
        assert abs(np.log(ratio) - np.log1p(e.true_lift)) < 3 * se, (ratio - 1, e.true_lift, se)
