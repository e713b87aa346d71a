"""Data contracts: the minimal dataset loads with clean dtypes; each corruption is reported clearly."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from playbook.data.loading import (
    REQUIRED_TABLES,
    DataValidationError,
    Problem,
    dtype_of,
    empty_table,
    load,
    read_table,
)
from playbook.data.schemas import TABLES, pandera_schema

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO_ROOT / "playbook" / "resources" / "sample"


def set_cell(data_dir: Path, table: str, row: int, column: str, value: str) -> None:
    """Overwrite one cell (1-based data row) of `<table>.csv`, keeping everything else as text."""
    path = data_dir / f"{table}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row - 1, column] = value
    df.to_csv(path, index=False)


def edit_frame(data_dir: Path, table: str, edit: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    path = data_dir / f"{table}.csv"
    edit(pd.read_csv(path, dtype=str, keep_default_na=False)).to_csv(path, index=False)


def posts_parquet_with_text_likes(data_dir: Path) -> None:
    posts = load(data_dir, tables=["posts"])["posts"]
    posts.assign(likes=posts["likes"].astype(str)).to_parquet(data_dir / "posts.parquet")
    (data_dir / "posts.csv").unlink()


def load_error(data_dir: Path) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        load(data_dir)
    return info.value


# id: (corrupt the copy, expected problem (file, row, column), text of its report line, number of problems)
CORRUPTIONS: dict[str, tuple[Callable[[Path], None], tuple[str, int | None, str | None], str, int]] = {
    "likes_12.5k": (
        lambda d: set_cell(d, "posts", 2, "likes", "12.5k"),
        ("posts.csv", 2, "likes"),
        "posts.csv row 2, column likes: expected a whole number, >= 0; got '12.5k'",
        1,
    ),
    "fee_dollars": (
        lambda d: set_cell(d, "contracts", 1, "fee", "$1,200"),
        ("contracts.csv", 1, "fee"),
        "contracts.csv row 1, column fee: expected a number, >= 0; got '$1,200'",
        1,
    ),
    "engagement_rate_percent": (
        lambda d: set_cell(d, "campaigns", 2, "target_engagement_rate", "45%"),
        ("campaigns.csv", 2, "target_engagement_rate"),
        "campaigns.csv row 2, column target_engagement_rate: expected a number, between 0 and 1; got '45%'",
        1,
    ),
    "negative_followers": (
        lambda d: set_cell(d, "accounts", 3, "followers", "-5"),
        ("accounts.csv", 3, "followers"),
        "accounts.csv row 3, column followers: expected a whole number, >= 0; got '-5'",
        1,
    ),
    "unknown_platform": (
        lambda d: set_cell(d, "posts", 4, "platform", "myspace"),
        ("posts.csv", 4, "platform"),
        "posts.csv row 4, column platform: "
        "expected one of instagram, tiktok, youtube, x, facebook, twitch, pinterest, linkedin, snapchat, "
        "threads, other, required; got 'myspace'",
        1,
    ),
    "duplicate_post_id": (
        lambda d: set_cell(d, "posts", 2, "post_id", "PO0000001"),
        ("posts.csv", 2, "post_id"),
        "posts.csv row 2, column post_id: "
        "expected a non-empty identifier, unique, required; got 'PO0000001', same as row 1",
        2,
    ),
    "orphan_account_id": (
        lambda d: set_cell(d, "posts", 3, "account_id", "AC999999"),
        ("posts.csv", 3, "account_id"),
        "posts.csv row 3, column account_id: "
        "expected an account_id that exists in accounts.csv; got 'AC999999'",
        1,
    ),
    "engagements_above_reach": (
        lambda d: set_cell(d, "posts", 2, "reach", "100"),
        ("posts.csv", 2, None),
        "posts.csv row 2: expected likes + comments + shares + saves <= reach (unknown counts left out) "
        "(columns likes, comments, shares, saves, reach); "
        "got likes='1800', comments='95', shares='12', saves='80', reach='100'",
        1,
    ),
    "end_before_start": (
        lambda d: set_cell(d, "campaigns", 1, "end_date", "2024-02-01"),
        ("campaigns.csv", 1, None),
        "campaigns.csv row 1: expected end_date is on or after start_date (columns end_date, start_date); "
        "got end_date='2024-02-01', start_date='2024-03-01'",
        1,
    ),
    "date_day_first": (
        lambda d: set_cell(d, "creators", 2, "joined_date", "31/12/2024"),
        ("creators.csv", 2, "joined_date"),
        "creators.csv row 2, column joined_date: expected a date YYYY-MM-DD; got '31/12/2024'",
        1,
    ),
    "missing_column": (
        lambda d: edit_frame(d, "brands", lambda df: df.drop(columns="name")),
        ("brands.csv", None, "name"),
        "brands.csv column name: expected a column name (text, unique, required)",
        1,
    ),
    "missing_required_file": (
        lambda d: (d / "contracts.csv").unlink(),
        ("contracts.csv", None, None),
        "contracts.csv: expected a file contracts.csv",
        1,
    ),
    "row_with_extra_fields": (
        lambda d: (d / "team.csv").write_text("member_id,name\nTM01,Ana Ruiz,extra\n"),
        ("team.csv", None, None),
        "team.csv: expected a CSV or Parquet file of the team table; "
        "got rows with more fields than the header",
        1,
    ),
    "orphans_of_empty_table": (
        lambda d: edit_frame(d, "team", lambda df: df.iloc[:0]),
        ("tasks.csv", 1, "member_id"),
        "tasks.csv row 1, column member_id: expected a member_id that exists in team.csv; got 'TM02'",
        2,
    ),
    "parquet_wrong_type": (
        posts_parquet_with_text_likes,
        ("posts.parquet", None, "likes"),
        "posts.parquet column likes: expected a whole number, >= 0; got a Parquet column of type",
        1,
    ),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_corruption_is_reported(minimal_dataset: Path, name: str) -> None:
    corrupt, (file, row, column), line, count = CORRUPTIONS[name]
    corrupt(minimal_dataset)
    err = load_error(minimal_dataset)
    report = str(err)
    assert report.splitlines()[0] == f"{count} problem{'s' if count > 1 else ''} in {minimal_dataset}"
    assert len(err.problems) == count, report
    assert any((p.file, p.row, p.column) == (file, row, column) for p in err.problems), report
    assert line in report
    assert "Traceback" not in report


def test_minimal_dataset_loads_with_clean_dtypes(minimal_tables: dict[str, pd.DataFrame]) -> None:
    assert list(minimal_tables) == list(TABLES)
    for name, df in minimal_tables.items():
        assert list(df.columns) == TABLES[name].columns
        assert {c: str(t) for c, t in df.dtypes.items()} == {f.name: dtype_of(f) for f in TABLES[name].fields}
        assert len(df) > 0, f"{name} should have rows"
        pandera_schema(TABLES[name]).validate(df)
    posts = minimal_tables["posts"]
    assert posts["likes"].dtype == "Int64" and posts["likes"].tolist()[:2] == [2400, 1800]  # nullable counts
    assert posts["sponsored"].dtype == bool
    assert posts["campaign_id"].isna().tolist() == [False, True, False, True, False]
    assert posts["posted_at"].dtype == "datetime64[ns]"
    assert posts["posted_at"].iloc[4] == pd.Timestamp("2024-04-03 07:45:00")  # ISO 'T' form
    assert minimal_tables["outreach"]["personalised"].tolist() == [True, False, True]  # true/false/yes
    assert minimal_tables["deliverables"]["paid_date"].isna().sum() == 2
    assert minimal_tables["tasks"]["actual_hours"].dtype == "float64"


def test_parsing_accepts_plain_forms(minimal_dataset: Path) -> None:
    set_cell(minimal_dataset, "posts", 1, "likes", "2400.0")
    set_cell(minimal_dataset, "posts", 2, "sponsored", "NO")
    set_cell(minimal_dataset, "posts", 1, "sponsored", "1")
    set_cell(minimal_dataset, "experiments", 1, "true_lift", "-0.05")
    set_cell(minimal_dataset, "accounts", 1, "audience_credibility", "8.6e-01")
    tables = load(minimal_dataset)
    assert tables["posts"]["likes"].iloc[0] == 2400
    assert tables["posts"]["sponsored"].tolist()[:2] == [True, False]
    assert tables["experiments"]["true_lift"].iloc[0] == -0.05
    assert tables["accounts"]["audience_credibility"].iloc[0] == pytest.approx(0.86)


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("posts", "likes", "12.5"),
        ("posts", "likes", "1,800"),
        ("posts", "likes", "1e3"),
        ("posts", "sponsored", "maybe"),
        ("posts", "posted_at", "2024-03-07"),
        ("posts", "posted_at", "07/03/2024 09:00"),
        ("contracts", "fee", "2640 USD"),
        ("contracts", "fee", "2.6k"),
        ("campaigns", "start_date", "2024-02-30"),
        ("posts", "post_id", ""),
        ("posts", "post_id", " "),
    ],
)
def test_parsing_rejects(minimal_dataset: Path, table: str, column: str, value: str) -> None:
    set_cell(minimal_dataset, table, 2, column, value)
    with pytest.raises(DataValidationError) as info:
        read_table(minimal_dataset / f"{table}.csv", table)
    err = info.value
    assert [(p.file, p.row, p.column) for p in err.problems] == [(f"{table}.csv", 2, column)], str(err)
    assert TABLES[table].field(column).expected() in str(err)


def test_many_problems_in_many_files_make_one_error(minimal_dataset: Path) -> None:
    set_cell(minimal_dataset, "posts", 2, "likes", "12.5k")
    set_cell(minimal_dataset, "contracts", 1, "fee", "$1,200")
    set_cell(minimal_dataset, "creators", 2, "joined_date", "31/12/2024")
    set_cell(minimal_dataset, "orders", 1, "promo_code", "NOPE")
    (minimal_dataset / "brands.csv").unlink()
    err = load_error(minimal_dataset)
    found = {(p.file, p.row, p.column) for p in err.problems}
    assert found == {
        ("posts.csv", 2, "likes"),
        ("contracts.csv", 1, "fee"),
        ("creators.csv", 2, "joined_date"),
        ("orders.csv", 1, "promo_code"),
        ("brands.csv", None, None),
    }
    report = str(err)
    assert report.splitlines()[0] == f"5 problems in {minimal_dataset}"
    assert len(report.splitlines()) == 6
    assert (
        "orders.csv row 1, column promo_code: expected a code that exists in promo_codes.csv; got 'NOPE'"
        in report
    )


def test_broken_column_report_is_truncated(minimal_dataset: Path) -> None:
    def many_bad_posts(df: pd.DataFrame) -> pd.DataFrame:
        big = pd.concat([df] * 10, ignore_index=True)
        big["post_id"] = [f"PX{i:07d}" for i in range(len(big))]
        big["likes"] = "12.5k"
        return big

    edit_frame(minimal_dataset, "posts", many_bad_posts)
    (minimal_dataset / "deliverables.csv").unlink()
    (minimal_dataset / "comments.csv").unlink()
    err = load_error(minimal_dataset)
    assert len(err.problems) == 50
    lines = str(err).splitlines()
    assert lines[0] == f"50 problems in {minimal_dataset}"
    assert len(lines) == 1 + 20 + 1
    assert lines[-1] == "... and 30 more rows in posts.csv column likes with the same problem"


def test_failed_load_leaves_input_untouched(minimal_dataset: Path, minimal_tables: dict) -> None:
    set_cell(minimal_dataset, "posts", 2, "likes", "12.5k")
    minimal_tables["orders"].assign(margin=-1.0).to_parquet(minimal_dataset / "orders.parquet")
    (minimal_dataset / "orders.csv").unlink()
    (minimal_dataset / "notes.txt").write_text("not a table")
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in minimal_dataset.iterdir()}
    load_error(minimal_dataset)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in minimal_dataset.iterdir()}
    assert after == before


def test_tables_restricts_reading_and_fk_checks(minimal_dataset: Path) -> None:
    set_cell(minimal_dataset, "posts", 3, "account_id", "AC999999")  # orphan, but accounts is not read
    set_cell(minimal_dataset, "creators", 1, "niche", "astrology")  # broken, but creators is not read
    tables = load(minimal_dataset, tables=["posts", "campaigns"])
    assert list(tables) == ["posts", "campaigns"]
    with pytest.raises(DataValidationError, match="AC999999"):
        load(minimal_dataset, tables=["posts", "accounts"])
    with pytest.raises(ValueError, match="unknown table"):
        load(minimal_dataset, tables=["myspace"])


def test_missing_optional_tables_load_empty(minimal_dataset: Path) -> None:
    for path in minimal_dataset.iterdir():
        if path.name.removesuffix(".csv") not in REQUIRED_TABLES:
            path.unlink()
    tables = load(minimal_dataset)
    assert list(tables) == list(TABLES)
    for name in set(TABLES) - set(REQUIRED_TABLES):
        assert tables[name].empty
        pd.testing.assert_frame_equal(tables[name], empty_table(name))
        pandera_schema(TABLES[name]).validate(tables[name])


def test_gzip_and_parquet_files_load_the_same(minimal_dataset: Path, minimal_tables: dict) -> None:
    posts = pd.read_csv(minimal_dataset / "posts.csv", dtype=str, keep_default_na=False)
    posts.to_csv(minimal_dataset / "posts.csv.gz", index=False)
    (minimal_dataset / "posts.csv").unlink()
    minimal_tables["orders"].to_parquet(minimal_dataset / "orders.parquet")
    (minimal_dataset / "orders.csv").unlink()
    tables = load(minimal_dataset)
    pd.testing.assert_frame_equal(tables["posts"], minimal_tables["posts"])
    pd.testing.assert_frame_equal(tables["orders"], minimal_tables["orders"])
    (minimal_dataset / "posts.csv").write_text("post_id\n")
    with pytest.raises(DataValidationError, match=r"posts.csv: expected one file for table posts"):
        load(minimal_dataset)


def test_validate_false_parses_but_skips_rules(minimal_dataset: Path) -> None:
    set_cell(minimal_dataset, "posts", 2, "reach", "100")
    set_cell(minimal_dataset, "posts", 3, "account_id", "AC999999")
    tables = load(minimal_dataset, validate=False)
    assert tables["posts"]["reach"].iloc[1] == 100
    set_cell(minimal_dataset, "posts", 2, "likes", "12.5k")
    with pytest.raises(DataValidationError, match=r"got '12\.5k'"):
        load(minimal_dataset, validate=False)


def test_read_table_validates_one_file_alone(minimal_dataset: Path) -> None:
    set_cell(minimal_dataset, "posts", 3, "account_id", "AC999999")  # no FK check for one file
    posts = read_table(minimal_dataset / "posts.csv", "posts")
    assert len(posts) == 5 and posts["likes"].dtype == "Int64"  # nullable: real exports leave counts blank
    set_cell(minimal_dataset, "posts", 2, "likes", "-1")
    with pytest.raises(DataValidationError, match="row 2, column likes"):
        read_table(minimal_dataset / "posts.csv", "posts")


def test_missing_directory_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError) as info:
        load(tmp_path / "nope")
    assert info.value.problems == [
        Problem(str(tmp_path / "nope"), None, None, "a directory of data files", "no such directory")
    ]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "playbook.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO_ROOT, timeout=120, check=False)


def test_cli_validate_reports_problems_without_traceback(minimal_dataset: Path) -> None:
    set_cell(minimal_dataset, "posts", 2, "likes", "12.5k")
    set_cell(minimal_dataset, "posts", 3, "account_id", "AC999999")
    result = _cli("datasets", "validate", str(minimal_dataset))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"2 problems in {minimal_dataset}")
    assert "posts.csv row 2, column likes: expected a whole number, >= 0; got '12.5k'" in result.stderr
    assert "posts.csv row 3, column account_id" in result.stderr


def test_cli_validate_valid_dir_exits_0(minimal_dataset: Path) -> None:
    result = _cli("datasets", "validate", str(minimal_dataset))
    assert result.returncode == 0, result.stderr
    assert "all contracts hold" in result.stdout


def test_committed_sample_loads_without_problems() -> None:
    assert SAMPLE_DIR.is_dir(), (
        f"{SAMPLE_DIR} is missing: the sample is committed (`playbook datasets generate`)"
    )
    tables = load(SAMPLE_DIR)
    for name in REQUIRED_TABLES:
        assert len(tables[name]) > 0, f"sample {name} is empty"


@pytest.mark.parametrize(
    ("table", "edit", "expected"),
    [
        (
            "audience",
            lambda df: df.assign(share=df["share"].where(df.index != 0, "0.9")),
            "the shares of one account and dimension sum to 1",
        ),
        (
            "fraud_labels",
            lambda df: df.assign(onset_date=df["onset_date"].where(df["archetype"] != "none", "2025-03-10")),
            "onset_date is empty exactly when archetype is none",
        ),
        (
            "promo_codes",
            lambda df: df.assign(creator_id=df["creator_id"].where(df["sitewide"] != "true", "CR01")),
            "site-wide codes have no creator_id",
        ),
        (
            "posts",
            lambda df: df.assign(views=df["views"].where(~df["format"].isin(["feed", "carousel"]), "50")),
            "views is 0 for non-video formats",
        ),
        (
            "tasks",
            lambda df: df.assign(actual_hours=""),
            "actual_hours is present exactly when done_date is",
        ),
    ],
)
def test_cross_column_rules_are_enforced(
    minimal_dataset: Path, table: str, edit: Callable[[pd.DataFrame], pd.DataFrame], expected: str
) -> None:
    before = pd.read_csv(minimal_dataset / f"{table}.csv", dtype=str, keep_default_na=False)
    edit_frame(minimal_dataset, table, edit)
    after = pd.read_csv(minimal_dataset / f"{table}.csv", dtype=str, keep_default_na=False)
    assert not before.equals(after), "the edit must change the fixture, or the test proves nothing"
    report = str(load_error(minimal_dataset))
    assert f"{table}.csv row" in report and expected in report, report
