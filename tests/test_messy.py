"""The messy raw exports: written atomically and deterministically, inputs untouched, and the manifest /
README counts equal what an independent detector finds in the files (so the cleaning lesson's answer key
is right). Each export must also still be cleanable back to the clean values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from playbook.data.loading import DataValidationError, empty_table, load, read_table
from playbook.data.schemas import TABLES
from playbook.data.synth.messy import DIRT_KINDS, dirt_manifest, write_raw_exports

FILES = ("creator_export.csv", "campaign_export.csv", "orders_export.csv")
PLATFORM_NAMES = ("Instagram", "TikTok", "YouTube")
PLATFORM_ALIASES = {
    "ig": "instagram",
    "insta": "instagram",
    "tt": "tiktok",
    "tik tok": "tiktok",
    "yt": "youtube",
}
SEED = 7


@pytest.fixture(scope="module")
def generated_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """A generated dataset of 40 creators (thousands of orders), so every kind of dirt shows up at scale."""
    from playbook.data.synth.generate import generate

    out = tmp_path_factory.mktemp("generated")
    generate(out=out, seed=11, scale=40)
    return load(out)


@pytest.fixture(params=["minimal", "generated"])
def tables(request: pytest.FixtureRequest) -> dict[str, pd.DataFrame]:
    name = "minimal_tables" if request.param == "minimal" else "generated_tables"
    return request.getfixturevalue(name)


def read(path: Path) -> pd.DataFrame:
    """Read an export exactly as text (no NA guessing, no whitespace stripping)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def platform_key(text: pd.Series) -> pd.Series:
    clean = text.str.strip().str.lower()
    return clean.map(lambda p: PLATFORM_ALIASES.get(p, p))


def detect(out: Path) -> dict[tuple[str, str, str], int]:
    """Count every kind of dirt straight from the files, without using the generator's flags."""
    creators, campaigns, orders = (read(out / f) for f in FILES)
    found: dict[tuple[str, str, str], int] = {}

    c, f = creators, "creator_export.csv"
    core = c["handle"].str.strip().str.lstrip("@")
    unique_rows = c.drop_duplicates()
    near_key = [
        unique_rows["handle"].str.strip().str.lstrip("@").str.lower(),
        platform_key(unique_rows["platform"]),
    ]
    found[(f, "handle", "at_prefix")] = c["handle"].str.startswith("@").sum()
    found[(f, "handle", "upper_case")] = ((core == core.str.upper()) & (core != core.str.lower())).sum()
    found[(f, "handle", "trailing_whitespace")] = (c["handle"] != c["handle"].str.rstrip()).sum()
    found[(f, "platform", "platform_spelling")] = (~c["platform"].isin(PLATFORM_NAMES)).sum()
    found[(f, "followers", "abbreviated_number")] = c["followers"].str.contains(r"[kKmMbB]$").sum()
    found[(f, "followers", "thousands_separator")] = c["followers"].str.contains(",").sum()
    found[(f, "engagement_rate", "percent_string")] = c["engagement_rate"].str.endswith("%").sum()
    found[(f, "engagement_rate", "missing_value")] = (c["engagement_rate"] == "").sum()
    found[(f, "country", "country_full_name")] = (c["country"].str.len() > 2).sum()
    found[(f, "country", "missing_value")] = (c["country"] == "").sum()
    found[(f, "handle", "near_duplicate_row")] = pd.DataFrame(near_key).T.duplicated().sum()
    found[(f, "*", "exact_duplicate_row")] = c.duplicated().sum()

    c, f = campaigns, "campaign_export.csv"
    found[(f, "campaign_id", "missing_id")] = (c["campaign_id"] == "").sum()
    found[(f, "platform", "platform_spelling")] = (~c["platform"].isin(PLATFORM_NAMES)).sum()
    found[(f, "influencer_category", "missing_value")] = (c["influencer_category"] == "").sum()
    found[(f, "start_date", "us_date")] = c["start_date"].str.fullmatch(r"\d{2}/\d{2}/\d{4}").sum()
    found[(f, "start_date", "excel_serial_date")] = c["start_date"].str.fullmatch(r"\d{5}").sum()
    over = c["engagements"].astype(int) > c["estimated_reach"].astype(int)
    found[(f, "estimated_reach", "engagements_exceed_reach")] = over.sum()
    found[(f, "product_sales", "currency_symbol")] = c["product_sales"].str.match(r"[$€£]").sum()
    found[(f, "product_sales", "thousands_separator")] = c["product_sales"].str.contains(",").sum()
    found[(f, "product_sales", "missing_value")] = (c["product_sales"] == "").sum()
    found[(f, "*", "exact_duplicate_row")] = c.duplicated().sum()

    c, f = orders, "orders_export.csv"
    refund = c["amount"].str.startswith("-")
    code = c["discount_code"]
    found[(f, "discount_code", "inconsistent_case")] = ((code != "") & (code != code.str.upper())).sum()
    found[(f, "amount", "refund_row")] = refund.sum()
    found[(f, "order_id", "duplicate_order_id")] = c.loc[~refund, "order_id"].duplicated().sum()
    found[(f, "order_date", "day_first_datetime")] = (
        c["order_date"].str.fullmatch(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}").sum()
    )
    found[(f, "amount", "currency_symbol")] = c["amount"].str.match(r"-?[$€£]").sum()
    found[(f, "amount", "currency_code_suffix")] = c["amount"].str.fullmatch(r"-?[\d.]+ [A-Z]{3}").sum()
    return {key: int(n) for key, n in found.items() if n}


def as_dict(manifest: pd.DataFrame) -> dict[tuple[str, str, str], int]:
    return {(r.file, r.column, r.dirt_kind): r.rows_affected for r in manifest.itertuples()}


def test_writes_the_three_exports_and_readme(minimal_tables, tmp_path):
    paths = write_raw_exports(minimal_tables, tmp_path / "raw", SEED)
    assert set(paths) == {*FILES, "README.md"}
    assert all(p.is_file() and p.parent == tmp_path / "raw" for p in paths.values())
    readme = paths["README.md"].read_text(encoding="utf-8")
    assert all(f"## {f}" in readme for f in FILES)
    assert not list((tmp_path / "raw").glob("*.tmp")) and not list((tmp_path / "raw").glob(".*"))
    assert read(paths["creator_export.csv"]).columns.tolist() == [
        "handle",
        "platform",
        "category",
        "followers",
        "engagement_rate",
        "country",
    ]


def test_reruns_are_byte_identical_and_the_seed_matters(minimal_tables, tmp_path):
    first = write_raw_exports(minimal_tables, tmp_path / "a", SEED)
    again = write_raw_exports(minimal_tables, tmp_path / "b", SEED)
    over = write_raw_exports(minimal_tables, tmp_path / "a", SEED)  # overwrite in place
    other = write_raw_exports(minimal_tables, tmp_path / "c", SEED + 1)
    for name in first:
        assert first[name].read_bytes() == again[name].read_bytes() == over[name].read_bytes()
    assert b"\r\n" not in first["orders_export.csv"].read_bytes()
    assert any(first[f].read_bytes() != other[f].read_bytes() for f in FILES)


def test_inputs_are_not_modified(tables, tmp_path):
    before = {name: df.copy(deep=True) for name, df in tables.items()}
    write_raw_exports(tables, tmp_path, SEED)
    dirt_manifest(tables, SEED)
    assert set(tables) == set(before)
    for name, df in tables.items():
        pd.testing.assert_frame_equal(df, before[name])


def test_manifest_matches_what_is_in_the_files(tables, tmp_path):
    paths = write_raw_exports(tables, tmp_path, SEED)
    manifest = dirt_manifest(tables, SEED)
    assert manifest.columns.tolist() == ["file", "column", "dirt_kind", "rows_affected"]
    assert set(manifest["dirt_kind"]) <= set(DIRT_KINDS)
    assert (manifest["rows_affected"] > 0).all()
    assert as_dict(manifest) == detect(tmp_path)
    readme = paths["README.md"].read_text(encoding="utf-8")
    for r in manifest.itertuples():
        assert f"| {r.column} | {r.dirt_kind} | {r.rows_affected:,} |" in readme


def test_every_kind_of_dirt_is_injected(generated_tables):
    kinds = set(dirt_manifest(generated_tables, SEED)["dirt_kind"])
    assert kinds == set(DIRT_KINDS)


def test_counts_scale_with_the_data(generated_tables):
    manifest = as_dict(dirt_manifest(generated_tables, SEED))
    accounts = len(generated_tables["accounts"])
    assert 1 <= manifest[("creator_export.csv", "*", "exact_duplicate_row")] <= 0.05 * accounts + 1
    n_orders = len(generated_tables["orders"])
    assert manifest[("orders_export.csv", "order_date", "day_first_datetime")] > n_orders


def parse_number(text: pd.Series) -> pd.Series:
    """The cleaning the lesson expects: strip symbols, codes and separators, expand k/M/B."""
    t = text.str.strip().str.replace(r"[$€£,%]|\s*[A-Z]{3}$", "", regex=True)
    factor = t.str[-1].str.lower().map({"k": 1e3, "m": 1e6, "b": 1e9}).fillna(1.0)
    return t.str.rstrip("kKmMbB").astype(float) * factor


def parse_date(text: pd.Series) -> pd.Series:
    serial = text.str.fullmatch(r"\d+")
    us = text.str.contains("/")
    out = pd.to_datetime(text.where(~serial & ~us), format="%Y-%m-%d")
    out = out.fillna(pd.to_datetime(text.where(us), format="%m/%d/%Y"))
    days = pd.to_numeric(text.where(serial), errors="coerce")
    return out.fillna(pd.Timestamp("1899-12-30") + pd.to_timedelta(days, unit="D"))


def test_campaign_export_cleans_back_to_the_clean_values(tables, tmp_path):
    write_raw_exports(tables, tmp_path, SEED)
    raw = read(tmp_path / "campaign_export.csv").drop_duplicates()
    posts = tables["posts"].set_index("post_id")
    sponsored = posts[posts["sponsored"]]
    assert sorted(raw["post_id"]) == sorted(sponsored.index)
    campaign = sponsored.loc[raw["post_id"], "campaign_id"].to_numpy()
    start = tables["campaigns"].set_index("campaign_id").loc[campaign, "start_date"].to_numpy()
    assert (parse_date(raw["start_date"]).to_numpy() == start).all()
    has_id = raw["campaign_id"] != ""
    assert (raw.loc[has_id, "campaign_id"].to_numpy() == campaign[has_id.to_numpy()]).all()
    engagements = sponsored.loc[raw["post_id"], ["likes", "comments", "shares", "saves"]].sum(axis=1)
    assert (raw["engagements"].astype(int).to_numpy() == engagements.to_numpy()).all()
    sales = parse_number(raw.loc[raw["product_sales"] != "", "product_sales"])
    assert (sales >= 0).all()
    platform = platform_key(raw["platform"]).to_numpy()
    assert (platform == sponsored.loc[raw["post_id"], "platform"].to_numpy()).all()


def test_creator_and_order_exports_clean_back(tables, tmp_path):
    write_raw_exports(tables, tmp_path, SEED)
    creators = read(tmp_path / "creator_export.csv").drop_duplicates()
    handle = creators["handle"].str.strip().str.lstrip("@").str.lower()
    accounts = tables["accounts"].assign(key=tables["accounts"]["handle"].str.lower())
    merged = creators.assign(key=handle, plat=platform_key(creators["platform"])).merge(
        accounts, left_on=["key", "plat"], right_on=["key", "platform"], validate="many_to_one"
    )
    assert len(merged) == len(creators)
    followers = parse_number(merged["followers_x"])
    assert ((followers - merged["followers_y"]).abs() <= 0.05 * merged["followers_y"]).all()  # "12.5k": ±50

    orders = read(tmp_path / "orders_export.csv")
    sales = orders[~orders["amount"].str.startswith("-")].drop_duplicates("order_id")
    clean = tables["orders"].set_index("order_id").loc[sales["order_id"]]
    assert len(sales) == len(tables["orders"])
    assert (
        parse_number(sales["amount"]).round(2).to_numpy() == clean["order_value"].round(2).to_numpy()
    ).all()
    when = pd.to_datetime(sales["order_date"], format="%d.%m.%Y %H:%M").to_numpy()
    assert (when == clean["ordered_at"].dt.floor("min").to_numpy()).all()
    codes = sales["discount_code"].str.upper().replace("", None)
    assert codes.fillna("").tolist() == clean["promo_code"].fillna("").tolist()


def test_clean_loader_rejects_the_messy_campaign_file(minimal_tables, tmp_path):
    write_raw_exports(minimal_tables, tmp_path / "raw", SEED)
    fake = tmp_path / "campaigns.csv"
    shutil.copy(tmp_path / "raw" / "campaign_export.csv", fake)
    with pytest.raises(DataValidationError):
        read_table(fake, "campaigns")


def test_empty_tables_give_header_only_files(tmp_path):
    empty = {name: empty_table(name) for name in TABLES}
    paths = write_raw_exports(empty, tmp_path, SEED)
    assert dirt_manifest(empty, SEED).empty
    for f in FILES:
        assert read(paths[f]).empty
