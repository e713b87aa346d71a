"""Cleaning functions: worked examples by hand, edge cases, round-trip properties, hand-made duplicate and
refund frames, and the full pipelines against the manifest of injected dirt (the ground truth).

Formats follow the raw-export conventions documented in `data.synth.messy.DIRT_KINDS` and the public Kaggle
files described in the reference (§5.2, §7 item 17): "12.5k" counts, "3.4%" rates, "$" prefixes, Excel serial
dates (days since 1899-12-30), US dates, day-first timestamps, refunds reusing order ids.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from playbook.data import cleaning as c
from playbook.data.loading import load
from playbook.data.synth.generate import DEFAULT_SEED, generate
from playbook.data.synth.messy import dirt_manifest, write_raw_exports


def _s(*values: str) -> pd.Series:
    return pd.Series(list(values), dtype=object)


def _kinds(result: c.Cleaned) -> list[tuple[int, str, str]]:
    return list(result.report[["row", "kind", "action"]].itertuples(index=False, name=None))


# --------------------------------------------------------------------------- counts
def test_parse_count_worked_examples():
    result = c.parse_count(_s("12.5k", "1.2M", "1,234", "2372", "3B", " 1.9K "))
    # 12.5 x 1,000 = 12,500; 1.2 x 1,000,000 = 1,200,000; "1,234" -> 1234; 3 x 10^9; 1.9 x 1,000 = 1,900
    assert result.values.tolist() == [12_500, 1_200_000, 1_234, 2_372, 3_000_000_000, 1_900]
    assert str(result.values.dtype) == "Int64"
    assert _kinds(result) == [
        (0, "abbreviated_number", "changed"),
        (1, "abbreviated_number", "changed"),
        (2, "thousands_separator", "changed"),
        (4, "abbreviated_number", "changed"),
        (5, "abbreviated_number", "changed"),
    ]
    notes = result.report.set_index("row")["note"]
    # one decimal of a thousand: 0.5 x 1,000 / 10 = +/- 50; one decimal of a million: +/- 50,000
    assert (
        notes[0].endswith("+/- 50")
        and notes[1].endswith("+/- 50,000")
        and notes[4].endswith("+/- 500,000,000")
    )


def test_parse_count_keeps_blanks_missing_and_rejects_the_rest():
    result = c.parse_count(_s("", "abc", "-5", "1.5", "12.5.1k"))
    assert result.values.isna().all()  # never a silent 0
    assert _kinds(result) == [
        (0, "missing_value", "flagged"),
        (1, "unparseable", "rejected"),
        (2, "unparseable", "rejected"),
        (3, "unparseable", "rejected"),
        (4, "unparseable", "rejected"),
    ]
    assert c.parse_count(pd.Series([], dtype=object)).report.empty


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_parse_count_round_trips_separators_and_bounds_abbreviations(n):
    plain, grouped = c.parse_count(_s(str(n), f"{n:,}")).values.tolist()
    assert plain == n and grouped == n
    if n >= 1000:
        abbreviated = c.parse_count(_s(f"{n / 1000:.1f}k")).values.iloc[0]
        assert abs(abbreviated - n) <= 50  # one decimal of a thousand


# --------------------------------------------------------------------------- rates and money
def test_parse_percent_worked_examples():
    result = c.parse_percent(_s("3.41%", "0.0341", "", "22", "150%", "n/a"))
    # "3.41%" -> 3.41 / 100 = 0.0341; a plain 0.0341 is already a fraction; "150%" -> 1.5 (a rate may pass 1)
    assert result.values.iloc[[0, 1, 4]].tolist() == pytest.approx([0.0341, 0.0341, 1.5])
    assert result.values.iloc[[2, 3, 5]].isna().all()
    assert _kinds(result) == [
        (0, "percent_string", "changed"),
        (2, "missing_value", "flagged"),
        (3, "ambiguous_rate", "rejected"),
        (4, "percent_string", "changed"),
        (5, "unparseable", "rejected"),
    ]


def test_parse_money_worked_examples():
    text = _s("$1,234.50", "€45.10", "45.10 EUR", "-$12.00", "1188.55", "", "£3 USD", "$5", "-45.10 GBP")
    currency = _s("USD", "EUR", "EUR", "USD", "GBP", "USD", "GBP", "CAD", "GBP")
    result = c.parse_money(text, currency)
    amounts = result.values["amount"].tolist()
    # "$1,234.50" -> 1234.50 USD; "-$12.00" -> -12.00; a plain amount takes the currency column
    assert amounts[:5] == [1234.5, 45.1, 45.1, -12.0, 1188.55] and amounts[7:] == [5.0, -45.1]
    assert result.values["currency"].tolist() == ["USD", "EUR", "EUR", "USD", "GBP", None, None, "CAD", "GBP"]
    kinds = _kinds(result)
    assert (0, "currency_symbol", "changed") in kinds and (0, "thousands_separator", "changed") in kinds
    assert (2, "currency_code_suffix", "changed") in kinds and (5, "missing_value", "flagged") in kinds
    assert (6, "currency_conflict", "rejected") in kinds  # a pound sign with a USD code: which is it?
    assert np.isnan(amounts[6])
    assert not any(row == 4 for row, _, _ in kinds)  # a clean plain amount is not reported


def test_parse_money_without_any_currency_is_flagged():
    result = c.parse_money(_s("12.00", "€3.00"))
    assert result.values["currency"].tolist() == [None, "EUR"]
    assert _kinds(result)[0] == (0, "missing_currency", "flagged")


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=-(10**8), max_value=10**8),
    st.sampled_from(["$", "€", "£", "USD", "EUR", "GBP"]),
    st.booleans(),
)
def test_parse_money_round_trips(cents, marker, grouped):
    value = cents / 100
    number = f"{abs(value):,.2f}" if grouped else f"{abs(value):.2f}"
    sign = "-" if value < 0 else ""
    text = f"{sign}{marker}{number}" if len(marker) == 1 else f"{sign}{number} {marker}"
    result = c.parse_money(_s(text))
    expected = {"$": "USD", "€": "EUR", "£": "GBP"}.get(marker, marker)
    assert result.values["amount"].iloc[0] == pytest.approx(value, abs=1e-9)
    assert result.values["currency"].iloc[0] == expected


# --------------------------------------------------------------------------- dates
def test_parse_dates_worked_examples():
    text = _s("2025-03-15", "03/15/2025", "15.03.2025 14:05", "45731", "45731.5", "02/30/2025", "", "soon")
    result = c.parse_dates(text)
    # Excel serial 45731 = 1899-12-30 + 45,731 days = 2025-03-15; .5 of a day = 12:00
    assert result.values.tolist()[:5] == [
        pd.Timestamp("2025-03-15"),
        pd.Timestamp("2025-03-15"),
        pd.Timestamp("2025-03-15 14:05"),
        pd.Timestamp("2025-03-15"),
        pd.Timestamp("2025-03-15 12:00"),
    ]
    assert result.values.iloc[5:].isna().all()
    assert _kinds(result) == [
        (1, "us_date", "changed"),
        (2, "day_first_datetime", "changed"),
        (3, "excel_serial_date", "changed"),
        (4, "excel_serial_date", "changed"),
        (5, "invalid_date", "rejected"),
        (6, "missing_value", "flagged"),
        (7, "unparseable", "rejected"),
    ]


def test_serial_numbers_outside_the_range_are_not_dates():
    result = c.parse_dates(_s("12", "999999"))
    assert result.values.isna().all() and set(result.report["kind"]) == {"unparseable"}


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_format_gives_the_same_day(day):
    serial = (pd.Timestamp(day) - pd.Timestamp("1899-12-30")).days
    text = _s(day.isoformat(), day.strftime("%m/%d/%Y"), day.strftime("%d.%m.%Y 00:00"), str(serial))
    assert set(c.parse_dates(text, dayfirst=False).values) == {
        pd.Timestamp(day)
    }  # one slash date: say its order


def test_slash_dates_take_their_order_from_the_column():
    day_first = c.parse_dates(_s("08/01/2022", "13/01/2022"))
    assert day_first.values.tolist() == [pd.Timestamp("2022-01-08"), pd.Timestamp("2022-01-13")]
    assert set(day_first.report["kind"]) == {"day_first_date"}
    month_first = c.parse_dates(_s("08/01/2022", "01/13/2022"))
    assert month_first.values[0] == pd.Timestamp("2022-08-01")
    ambiguous = c.parse_dates(_s("08/01/2022", "2022-01-09"))  # never guessed: rejected and reported
    assert ambiguous.values.isna().tolist() == [True, False]
    assert ambiguous.report[["kind", "action"]].values.tolist() == [["ambiguous_date", "rejected"]]
    assert c.parse_dates(_s("08/01/2022"), dayfirst=True).values[0] == pd.Timestamp("2022-01-08")
    assert c.parse_dates(_s("01-Jan-22", "Jan 6, 2024")).values.tolist() == [
        pd.Timestamp("2022-01-01"),
        pd.Timestamp("2024-01-06"),
    ]


def test_percent_unit_and_other_layouts():
    rate = c.parse_percent(_s("3.41", "0.5"), "conversion_rate", unit="percent")
    assert rate.values.tolist() == pytest.approx([0.0341, 0.005])
    assert c.parse_percent(_s("3.41"), unit="auto").values.isna().all()  # ambiguous without a unit
    raw = pd.DataFrame(
        {
            "username": ["@Ana"],
            "network": ["IG"],
            "category": ["beauty"],
            "followers": ["12.5K"],
            "ER": ["2.1"],
            "country": ["Brazil"],
        }
    )
    with pytest.raises(ValueError, match="no column handle, platform, engagement_rate"):
        c.clean_creator_export(raw)
    mapping = {"username": "handle", "network": "platform", "ER": "engagement_rate"}
    clean = c.clean_creator_export(raw, mapping=mapping, rate_unit="percent").values
    assert clean[["handle", "platform", "followers"]].values.tolist() == [["ana", "instagram", 12500]]
    assert clean["engagement_rate"].tolist() == pytest.approx([0.021])


def test_read_raw_takes_an_encoding(tmp_path):
    (tmp_path / "fees.csv").write_bytes("creator,fee\nCafé Ana,€1.200\n".encode("cp1252"))
    with pytest.raises(ValueError, match="encoding='cp1252'"):
        c.read_raw("fees.csv", tmp_path)
    assert c.read_raw("fees.csv", tmp_path, encoding="cp1252")["fee"].tolist() == ["€1.200"]


# --------------------------------------------------------------------------- names and codes
def test_canonical_platform_maps_spellings_to_ids():
    result = c.canonical_platform(
        _s("Instagram", "IG", "Tik Tok", "YT", "youtube", "Instagram ", "MySpace", "")
    )
    assert result.values.tolist() == [
        "instagram",
        "instagram",
        "tiktok",
        "youtube",
        "youtube",
        "instagram",
        None,
        None,
    ]
    spelled = result.report.loc[result.report["kind"] == "platform_spelling", "row"].tolist()
    assert spelled == [1, 2, 3, 4, 5]  # "Instagram" is the export's standard spelling
    assert _kinds(result)[-2:] == [(6, "unknown_platform", "rejected"), (7, "missing_value", "flagged")]
    ids = c.canonical_platform(_s("youtube"), standard=frozenset(c.PLATFORM_ALIASES.values()))
    assert ids.report.empty


def test_normalise_handle_reports_each_kind():
    result = c.normalise_handle(_s("@mia.glow  ", "@TOM_TECH", "Frida.runs", "plain", "  "))
    assert result.values.tolist() == ["mia.glow", "tom_tech", "frida.runs", "plain", None]
    assert _kinds(result) == [
        (0, "trailing_whitespace", "changed"),
        (0, "at_prefix", "changed"),
        (1, "at_prefix", "changed"),
        (1, "upper_case", "changed"),
        (2, "mixed_case", "changed"),
        (4, "trailing_whitespace", "changed"),
        (4, "leading_whitespace", "changed"),
        (4, "missing_id", "flagged"),
    ]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="@ abcXYZ._19", max_size=20))
@example("@ @")  # found by hypothesis: an "@" after the first one and a space
def test_normalising_a_handle_twice_changes_nothing(text):
    once = c.normalise_handle(_s(text)).values
    again = c.normalise_handle(once.fillna(""))
    assert again.values.fillna("").tolist() == once.fillna("").tolist()
    assert set(again.report["kind"]) <= {"missing_id"}


def test_normalise_country_and_code():
    country = c.normalise_country(_s("US", "United States", "uk", "us", "Atlantis", ""))
    assert country.values.tolist() == ["US", "US", "GB", "US", None, None]
    assert [k for _, k, _ in _kinds(country)] == [
        "country_full_name",
        "country_full_name",
        "lower_case_code",
        "unknown_country",
        "missing_value",
    ]
    codes = c.normalise_code(_s("MIA15", "mia15", "Mia15 ", ""))
    assert codes.values.tolist() == ["MIA15", "MIA15", "MIA15", None]  # a blank means no code: not reported
    assert _kinds(codes) == [
        (1, "inconsistent_case", "changed"),
        (2, "inconsistent_case", "changed"),
        (2, "trailing_whitespace", "changed"),
    ]


# --------------------------------------------------------------------------- rows
def test_drop_duplicates_tells_exact_from_near_copies():
    raw = pd.DataFrame(
        {
            "handle": ["@mia", "tom", "@mia", "Mia", "ana", ""],
            "platform": ["IG", "TT", "IG", "IG", "IG", "IG"],
            "followers": ["1.2k", "900", "1.2k", "1.2k", "50", "7"],
        }
    )
    cleaned = pd.DataFrame(
        {
            "handle": c.normalise_handle(raw["handle"]).values,
            "platform": c.canonical_platform(raw["platform"]).values,
        }
    )
    result = c.drop_duplicates(raw, cleaned, ["handle", "platform"])
    # row 2 repeats row 0 exactly; row 3 is the same account (mia on instagram) written differently;
    # row 5 has no handle, so it is never a near duplicate
    assert result.values.index.tolist() == [0, 1, 4, 5]
    assert _kinds(result) == [(2, "exact_duplicate_row", "dropped"), (3, "near_duplicate_row", "dropped")]
    assert result.report["column"].tolist() == ["*", "handle"]
    assert result.report["note"].tolist() == ["copy of row 0", "same key as row 0"]


def test_split_refunds_hand_made():
    orders = pd.DataFrame(
        {
            "order_id": ["A", "A", "B", "B", "C", "C", "D"],
            "amount": [50.0, -50.0, 20.0, 20.0, 10.0, 12.0, -5.0],
            "currency": ["USD"] * 7,
        }
    )
    result = c.split_refunds(orders)
    # A: a sale and its refund (kept, marked); B: the same sale twice (second dropped);
    # C: two different sales with one id (both kept, flagged); D: a refund without a sale
    assert result.values.index.tolist() == [0, 1, 2, 4, 5, 6]
    assert result.values["is_refund"].tolist() == [False, True, False, False, False, True]
    assert _kinds(result) == [
        (1, "refund_row", "flagged"),
        (3, "duplicate_order_id", "dropped"),
        (4, "conflicting_order_id", "flagged"),
        (5, "conflicting_order_id", "flagged"),
        (6, "refund_row", "flagged"),
        (6, "orphan_refund", "flagged"),
    ]


def test_flag_impossible_reach():
    engagements = pd.Series([50, 300, 10, None], dtype="Int64")
    reach = pd.Series([1000, 120, 10, 40], dtype="Int64")
    result = c.flag_impossible_reach(engagements, reach)
    # 300 engagements on 120 accounts reached is an ER by reach of 250%: the reach is rejected
    assert result.values.tolist() == [1000, pd.NA, 10, 40]
    assert _kinds(result) == [(1, "engagements_exceed_reach", "rejected")]


def test_reports_never_lose_a_row():
    text = _s("12k", "", "x", "1,000")
    for parser in (c.parse_count, c.parse_percent, c.parse_dates, c.normalise_handle, c.canonical_platform):
        result = parser(text)
        assert len(result.values) == len(text) and result.values.index.equals(text.index)
        assert set(result.report["action"]) <= {"changed", "rejected", "flagged"}


# --------------------------------------------------------------------------- the exports against ground truth
@pytest.mark.parametrize("name", list(c.CLEANERS))
def test_committed_exports_match_their_manifest(name, sample):
    manifest = dirt_manifest(sample, DEFAULT_SEED)
    expected = manifest[manifest["file"] == name].set_index(["column", "dirt_kind"])["rows_affected"]
    found = c.clean_export(name).counts().set_index(["column", "kind"])["rows"]
    assert found.reindex(expected.index).tolist() == expected.tolist()
    extra = found.index.difference(expected.index)
    # the only finding the manifest does not list: the near-duplicate copies' capitalised handles
    assert list(extra) == ([("handle", "mixed_case")] if name == "creator_export.csv" else [])


def test_cleaned_exports_reconcile_with_the_sample(sample):
    campaigns = c.reconcile_campaign_export(c.clean_export("campaign_export.csv").values, sample)
    assert campaigns["engagements_match"].all()
    assert (campaigns["export_posts"] == campaigns["sample_posts"]).all()
    # reach only falls short where an impossible reach was rejected
    short = campaigns["export_reach"] < campaigns["sample_reach"]
    assert (short == (campaigns["reach_rejected"] > 0)).all()
    assert campaigns["recovered"].sum() == 10  # every blank campaign id found through its post id
    orders = c.reconcile_orders_export(c.clean_export("orders_export.csv").values, sample)
    assert orders["revenue_match"].all()
    total = orders.set_index("currency").loc["all"]
    assert total["export_orders"] == total["sample_orders"] == len(sample["orders"])


def test_pipelines_hold_on_a_fresh_dataset(tmp_path):
    data = tmp_path / "data"
    generate(out=data, seed=7, scale=120)
    tables = load(data)
    write_raw_exports(tables, tmp_path / "raw", seed=7)
    manifest = dirt_manifest(tables, 7)
    for name in c.CLEANERS:
        expected = manifest[manifest["file"] == name].set_index(["column", "dirt_kind"])["rows_affected"]
        found = (
            c.clean_export(name, directory=tmp_path / "raw").counts().set_index(["column", "kind"])["rows"]
        )
        assert found.reindex(expected.index).tolist() == expected.tolist(), name
    cleaned = c.clean_export("campaign_export.csv", directory=tmp_path / "raw").values
    assert c.reconcile_campaign_export(cleaned, tables)["engagements_match"].all()


def test_reconcile_on_the_minimal_dataset(minimal_tables):
    export = pd.DataFrame(
        {
            "post_id": ["PO0000001", "PO0000003", "PO0000005"],
            "campaign_id": ["CP001", None, "CP002"],
            "engagements": pd.array([2800, 10970, 1085], dtype="Int64"),
            "estimated_reach": pd.array([30000, 90000, pd.NA], dtype="Int64"),
        }
    )
    out = c.reconcile_campaign_export(export, minimal_tables).set_index("campaign_id")
    # CP001: PO0000001 2400+130+60+210 = 2800 and PO0000003 9100+420+800+650 = 10970 -> 13770
    assert out.loc["CP001", "sample_engagements"] == 13_770 and out.loc["CP001", "recovered"] == 1
    # CP002: PO0000005 900+40+25+120 = 1085; its reach was rejected, so 0 of the sample's 9,000
    assert out.loc["CP002", "engagements_match"] and out.loc["CP002", "export_reach"] == 0
    unrecovered = c.reconcile_campaign_export(export, minimal_tables, recover_ids=False).set_index(
        "campaign_id"
    )
    assert unrecovered.loc["(missing id)", "export_engagements"] == 10_970
    assert not unrecovered.loc["CP001", "engagements_match"]


def test_clean_export_rejects_unknown_files():
    with pytest.raises(KeyError, match="unknown export"):
        c.clean_export("sales.csv")
