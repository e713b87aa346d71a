"""Disclosure checker: the regulators' own cases per jurisdiction, hand-written captions, properties, frames
and the generated sample.

Each case names its source: D101 = FTC "Disclosures 101 for Social Media Influencers" (2019); 255 = 16 CFR 255
as revised 2023; RPC 2020 = the ASA/CMA label tiers; ASA 2021/2025 = ASA monitoring reports; CMA 2025;
UCPD = Directive 2005/29/EC; EU sweep = IP/24/708 (2024); DE = Medienanstalt NRW; FR = Loi 2023-451 as
amended 2024. The verdicts of the table in disclosure-rules.md section 7 are our reading (I) of those texts.
"""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from playbook.analytics.compliance import (
    VISIBLE_CHARS_ID,
    VISIBLE_LINES_ID,
    DisclosureCheck,
    check_captions,
    check_disclosure,
    compliance_summary,
    visible_limits,
)
from playbook.data.disclosure_rules import JURISDICTIONS, disclosure_rules
from playbook.data.loading import load
from playbook.data.registry import benchmark, cite
from playbook.data.synth.generate import SAMPLE_DIR, generate_shard, resolve_scale

X121 = "x" * 121  # then " #ad": the space is character 121, "#ad" characters 122-124, ending at 125

# --------------------------------------------------------------------------- the issue's cases (FTC)
# (caption, status under the FTC's rules, source)
FTC_CASES = [
    ("Advertisement: my morning routine with @acme", "compliant", "D101: 'advertisement' is clear"),
    ("Ad: my morning routine with @acme", "compliant", "D101: 'ad' is clear"),
    ("Sponsored by @acme: my morning routine", "compliant", "D101: 'sponsored' is clear"),
    ("@acme paid me to try this serum", "compliant", "255.5(a): says the nature of the connection"),
    ("Thanks to @acme for the free serum!", "compliant", "D101: 'Thanks to Acme brand for the free product'"),
    ("Thanks @acme!", "weak", "D101: stand-alone 'thanks' is vague"),
    ("Love my kit #AcmeAmbassador", "compliant", "D101: 'Acme Ambassador' on space-limited platforms"),
    ("Love my kit, proud ambassador", "weak", "D101: stand-alone 'ambassador' is vague"),
    ("New drop #spon", "weak", "D101: 'spon' is vague"),
    ("New drop #partner", "weak", "FTC blog 2017: '#partner' is unclear"),
]


@pytest.mark.parametrize(("caption", "status", "source"), FTC_CASES)
def test_ftc_cases_from_the_issue(caption: str, status: str, source: str) -> None:
    check = check_disclosure(caption, jurisdiction="US")
    assert check.status == status, f"{source}: {check.reasons}"


# The test captions of disclosure-rules.md section 7: (number, caption, keyword arguments, US, UK, EU, rule)
SECTION_7 = [
    (1, "#ad Loving my new @acme serum…", {}, "compliant", "compliant", "compliant", "clear label, upfront"),
    (2, "Ad – gifted | love this palette", {}, "compliant", "compliant", "compliant", "ASA 2025: 'Ad' first"),
    (3, "Sponsored by @acme: my routine", {}, "compliant", "risky", "risky", "D101; RPC 2020; DE"),
    (4, "Thanks to @acme for the free serum!", {}, "compliant", "weak", "risky", "D101; RPC 2020; EU sweep"),
    (5, "Obsessed w/ @acme sneakers #sp", {}, "weak", "weak", "weak", "D101: 'sp' is vague"),
    (6, "New @acme drop!! #collab", {}, "weak", "weak", "weak", "D101; CMA 2025; EU sweep"),
    (7, "Gifted by @acme ✨", {}, "compliant", "weak", "risky", "255.5 (I); ASA 2025 'gifted'"),
    (8, "Use code SARAH20 for 20% off @acme", {}, "missing", "missing", "missing", "CMA: codes alone"),
    (9, "(affiliate link in bio)", {}, "risky", "weak", "risky", "ASA 2021 '#affiliate/#aff'"),
    (10, "x" * 396 + " #ad", {}, "late", "late", "late", "D101: below 'more'"),
    (11, "y" * 250 + "\n#ad", {}, "late", "late", "late", "line 2 but past 125 characters (I)"),
    (12, "Sunset @acmehotel #travel #beach #ad #wanderlust", {}, "late", "late", "risky", "D101 hashtags"),
    (13, "Loving my new @acme serum", {"platform_label": True}, "review", "review", "review", "D101 tools"),
    (14, "Werbung | Mein Serum von @acme", {}, "compliant", "review", "compliant", "D101 language; DE"),
    (15, "#ad", {"platform": "youtube", "in_video": False}, "late", "risky", "risky", "D101: in the video"),
]


@pytest.mark.parametrize(("number", "caption", "kwargs", "us", "uk", "eu", "rule"), SECTION_7)
def test_reference_captions_per_jurisdiction(
    number: int, caption: str, kwargs: dict, us: str, uk: str, eu: str, rule: str
) -> None:
    got = {j: check_disclosure(caption, jurisdiction=j, **kwargs) for j in JURISDICTIONS}
    assert {j: c.status for j, c in got.items()} == {"US": us, "UK": uk, "EU": eu}, (number, rule)


def test_every_decision_names_its_source_rule() -> None:
    rules = {r.rule_id: r for r in disclosure_rules()}
    for _, caption, kwargs, *_ in SECTION_7:
        for j in JURISDICTIONS:
            check = check_disclosure(caption, jurisdiction=j, **kwargs)
            assert all(rules[i].jurisdiction == j for i in check.rule_ids)
            if check.status != "missing":
                assert check.rule_ids, (caption, j)
                assert any(rules[i].publisher in check.reasons for i in check.rule_ids)


def test_rules_file_carries_a_source_for_every_rule() -> None:
    rules = disclosure_rules()
    assert {r.jurisdiction for r in rules} == set(JURISDICTIONS)
    for r in rules:
        assert r.url.startswith("https://") and r.publisher and r.document and r.quote
        assert r.evidence in ("V", "V2", "I")
    # the FTC's clear words are quoted from Disclosures 101 (2019)
    ftc = {r.rule_id: r for r in disclosure_rules("US")}
    assert ftc["us_ad"].year == 2019 and "disclosures-101" in ftc["us_ad"].url


def test_bad_rules_file_names_row_and_column(tmp_path) -> None:
    good = (disclosure_rules()[0],)
    assert good
    src = (SAMPLE_DIR.parent / "disclosure_rules.csv").read_text(encoding="utf-8").splitlines()
    src[2] = src[2].replace(",US,", ",USA,", 1)
    bad = tmp_path / "disclosure_rules.csv"
    bad.write_text("\n".join(src) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"row 3, column jurisdiction"):
        disclosure_rules(path=bad)
    with pytest.raises(ValueError, match="unknown jurisdiction"):
        disclosure_rules("FR")


# --------------------------------------------------------------------------- placement and parsing
# (caption, expected US status, expected line of the deciding label, expected char offset)
CASES = [
    ("#ad Morning routine with @glowly", "compliant", 1, 0),
    ("Morning routine with @glowly #AD", "compliant", 1, 29),  # case-insensitive
    ("Great day out #adventure #travel", "missing", None, None),  # #adventure is not #ad
    ("#ad_campaign launch day", "missing", None, None),  # underscore continues the hashtag
    ("Best serum #ad.\nline two", "compliant", 1, 11),  # "#ad." at the end of line 1
    ("Best serum #ad, honestly", "compliant", 1, 11),
    ("line 1\nline 2\n#ad on line 3", "compliant", 3, 14),  # 7 + 7 characters before line 3
    ("line 1\nline 2\nline 3\n#ad on line 4", "late", 4, 21),  # Instagram shows 3 lines
    ("New drop #sp", "weak", 1, 9),
    ("New drop #collab", "weak", 1, 9),
    ("New drop, thanks @glowly!", "weak", 1, 10),
    ("Thank you @glowly for the kit", "weak", 1, 0),  # no word saying the kit was free
    ("Thank you @glowly for this gift!", "compliant", 1, 0),  # D101's example, in other words
    ("Proud of this #partnership", "missing", None, None),  # not on the FTC's lists
    ("Paid partnership with @glowly", "compliant", 1, 0),
    ("Loving it. PAID PARTNERSHIP with @glowly", "compliant", 1, 11),
    ("✨🔥#ad new drop", "compliant", 1, 2),  # emoji just before #ad: two code points
    ("line 1\r\nline 2\r\n#sponsored", "compliant", 3, 14),  # Windows endings count as one break
    ("line 1\r\nline 2\r\nline 3\r\n#sponsored", "late", 4, 21),
    ("", "missing", None, None),
    ("   \n  ", "missing", None, None),
    (None, "missing", None, None),
    (X121 + " #ad", "compliant", 1, 122),  # ends at character 125: still visible
    (X121 + "x #ad", "late", 1, 123),  # ends at character 126: past the 125-character cut
    ("#sp first\n\n\n\n#ad at the end", "late", 5, 13),  # a late clear label outranks an early weak one
    ("#sponsored up top\n\n\n\n#ad again", "compliant", 1, 0),
    ("#ad #skincare #glow new drop", "compliant", 1, 0),  # leading a group of hashtags is not buried
]


@pytest.mark.parametrize(("caption", "status", "line", "char"), CASES)
def test_hand_written_captions(caption: str | None, status: str, line: int | None, char: int | None) -> None:
    check = check_disclosure(caption)
    assert (check.status, check.line, check.char) == (status, line, char), check.reasons


def test_nan_caption_is_missing() -> None:
    assert check_disclosure(math.nan).status == "missing"  # type: ignore[arg-type]


def test_tokens_are_listed_in_caption_order_and_result_is_frozen() -> None:
    check = check_disclosure("#collab drop\nthanks @glowly #ad")
    assert check.tokens == ("#collab", "thanks @glowly", "#ad")
    assert check.status == "compliant" and check.line == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        check.status = "missing"  # type: ignore[misc]


def test_overlapping_labels_keep_the_better_verdict() -> None:
    # FR: "collaboration commerciale" is a label; "collaboration" alone is vague (EU sweep 2024)
    assert check_disclosure("Collaboration commerciale avec @acme", jurisdiction="EU").status == "compliant"
    assert check_disclosure("En collaboration avec @acme", jurisdiction="EU").status == "weak"


def test_uk_wants_the_label_at_the_beginning() -> None:
    # ASA/CAP: a prominent 'Ad' label at the beginning; the FTC only asks that it is seen before "more"
    assert check_disclosure("Loving this serum #ad", jurisdiction="UK").status == "risky"
    assert check_disclosure("Loving this serum #ad", jurisdiction="US").status == "compliant"


def test_visible_length_comes_from_the_registry_and_unknown_platforms_need_review() -> None:
    assert visible_limits("instagram") == (
        int(benchmark(VISIBLE_CHARS_ID).value),
        int(benchmark(VISIBLE_LINES_ID).value),
    )
    assert visible_limits("tiktok") is None  # no published figure: unknown, not a guess
    assert check_disclosure("Loving this serum #ad", platform="tiktok").status == "review"
    assert check_disclosure("#ad Loving this serum", platform="tiktok").status == "compliant"


def test_reasons_say_why() -> None:
    deep = check_disclosure("a\nb\nc\n#ad")
    assert "hidden behind 'more'" in deep.reasons and "FTC" in deep.reasons
    assert "#sp" in check_disclosure("nice #sp").reasons
    assert "a discount code" in check_disclosure("Use code SARAH20 for 20% off").reasons


# --------------------------------------------------------------------------- properties
SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="#@", blacklist_categories=("Cs",)), max_size=300
)
TOKENS = ["#ad", "#sponsored", "Paid partnership", "#sp", "#spon", "#partner", "#collab", "thanks @glowly"]
STATUSES_WITH_A_LABEL = ("compliant", "review", "risky", "late", "weak")


@given(SAFE_TEXT | st.text(max_size=300))
def test_valid_token_at_the_very_start_is_compliant(text: str) -> None:
    assert check_disclosure("#ad " + text).status == "compliant"


@given(st.lists(SAFE_TEXT, min_size=1, max_size=6), st.data())
def test_removing_every_token_leaves_missing(fragments: list[str], data: st.DataObject) -> None:
    assume(not re.search(r"paid\s+partnership", " ".join(fragments), re.IGNORECASE))
    tokens = [data.draw(st.sampled_from(TOKENS)) for _ in fragments]
    with_tokens = " ".join(f"{f} {t}" for f, t in zip(fragments, tokens, strict=True))
    assert check_disclosure(with_tokens).status in STATUSES_WITH_A_LABEL
    assert check_disclosure(" ".join(fragments)).status == "missing"


@given(st.lists(SAFE_TEXT, max_size=6), st.sampled_from(TOKENS))
def test_line_endings_do_not_change_the_result(lines: list[str], token: str) -> None:
    assume(not any("\r" in line or "\n" in line for line in lines))
    unix = "\n".join([*lines, token])
    assert check_disclosure(unix.replace("\n", "\r\n")) == check_disclosure(unix)


# --------------------------------------------------------------------------- frames
def _posts(rows: list[tuple[str, str, bool, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["post_id", "campaign_id", "sponsored", "caption"]).assign(
        account_id=lambda d: "AC" + d["post_id"]
    )


HAND_POSTS = _posts(
    [
        ("1", "CP1", True, "#ad new kit"),  # compliant
        ("2", "CP1", True, "new kit #sp"),  # weak
        ("3", "CP1", True, "a\nb\nc\nd #sponsored"),  # late: line 4
        ("4", "CP1", True, None),  # missing
        ("5", "CP2", True, "Paid partnership with @glowly"),  # compliant
        ("6", "CP2", True, "no tag here"),  # missing
        ("7", None, False, "organic #ad-free day"),  # organic: not required, whatever it says
    ]
)


def test_check_captions_marks_organic_posts_not_required() -> None:
    out = check_captions(HAND_POSTS)
    assert out["status"].tolist() == [
        "compliant",
        "weak",
        "late",
        "missing",
        "compliant",
        "missing",
        "not_required",
    ]
    assert out.index.equals(HAND_POSTS.index)
    assert out.loc[2, "line"] == 4 and pd.isna(out.loc[3, "line"]) and pd.isna(out.loc[6, "char"])
    assert out.loc[0, "tokens"] == "#ad" and out.loc[6, "tokens"] == ""
    assert str(out["line"].dtype) == "Int64"


def test_check_captions_matches_check_disclosure_row_by_row() -> None:
    out = check_captions(HAND_POSTS)
    for i, row in HAND_POSTS[HAND_POSTS["sponsored"]].iterrows():
        single: DisclosureCheck = check_disclosure(row["caption"])
        assert out.loc[i, "status"] == single.status and out.loc[i, "reasons"] == single.reasons


def test_summary_by_campaign_hand_computed() -> None:
    out = compliance_summary(HAND_POSTS).set_index("campaign_id")
    # CP1: 4 sponsored posts: 1 compliant, 1 late, 1 weak, 1 missing -> 0.25 each
    assert out.loc["CP1", "sponsored_posts"] == 4
    assert out.loc["CP1", ["share_compliant", "share_late", "share_weak", "share_missing"]].tolist() == [
        0.25,
        0.25,
        0.25,
        0.25,
    ]
    # CP2: 2 sponsored posts: 1 compliant, 1 missing -> 0.5 and 0.5
    assert out.loc["CP2", "share_compliant"] == 0.5 and out.loc["CP2", "share_missing"] == 0.5
    # published comparison: IMH 2020, 14% of sampled posts fully compliant
    assert (out["published_share"] == benchmark("disclosure_full_compliance_imh_2020").value).all()
    assert cite("disclosure_full_compliance_imh_2020") in out.loc["CP1", "published_source"]


def test_summary_overall_and_by_account() -> None:
    overall = compliance_summary(HAND_POSTS, by=None)
    # 6 sponsored posts, 2 compliant -> 2 / 6
    assert len(overall) == 1 and overall.loc[0, "sponsored_posts"] == 6
    assert overall.loc[0, "share_compliant"] == pytest.approx(2 / 6)
    by_account = compliance_summary(HAND_POSTS, by="account_id")
    assert len(by_account) == 6 and set(by_account["sponsored_posts"]) == {1}


def test_summary_with_no_sponsored_posts_is_undefined_with_reason() -> None:
    organic = HAND_POSTS[~HAND_POSTS["sponsored"]]
    overall = compliance_summary(organic, by=None)
    assert overall.loc[0, "sponsored_posts"] == 0 and np.isnan(overall.loc[0, "share_compliant"])
    assert "denominator is 0" in overall.loc[0, "reason"]
    assert compliance_summary(organic).empty


def test_summary_needs_the_group_column() -> None:
    with pytest.raises(KeyError, match="creator_id"):
        compliance_summary(HAND_POSTS, by="creator_id")


def test_minimal_dataset(minimal_tables: dict[str, pd.DataFrame]) -> None:
    out = check_captions(minimal_tables["posts"])
    assert out["status"].tolist() == ["compliant", "not_required", "compliant", "not_required", "compliant"]


# --------------------------------------------------------------------------- generated data
@pytest.fixture(scope="module")
def sample_posts() -> pd.DataFrame:
    return load(SAMPLE_DIR)["posts"]


def test_sample_organic_posts_are_not_required(sample_posts: pd.DataFrame) -> None:
    out = check_captions(sample_posts)
    assert (out.loc[~sample_posts["sponsored"], "status"] == "not_required").all()
    assert (out.loc[sample_posts["sponsored"], "status"] != "not_required").all()


def test_sample_compliant_share_is_near_the_generator_target(sample_posts: pd.DataFrame) -> None:
    # The generator draws compliant captions at the IMH 2020 rate; allow 4 binomial standard errors.
    target = benchmark("disclosure_full_compliance_imh_2020").value
    overall = compliance_summary(sample_posts, by=None)
    n = overall.loc[0, "sponsored_posts"]
    assert abs(overall.loc[0, "share_compliant"] - target) < 4 * math.sqrt(target * (1 - target) / n)


def test_checker_agrees_with_the_generator_hidden_labels() -> None:
    # Ground truth for evaluation only: the generator keeps the disclosure style it drew in `_disclosure`.
    posts = generate_shard(11, 0, 150, resolve_scale(150))["posts"]
    sponsored = posts[posts["sponsored"]]
    assert len(sponsored) > 50
    out = check_captions(posts)
    assert (out.loc[sponsored.index, "status"] == sponsored["_disclosure"]).all()
