"""Industry figures as the course shows them (`playbook.course.figures`) and the unit wording they share with
the report appendix (`playbook.data.units`). Expected texts are written out by hand."""

from __future__ import annotations

import dataclasses
import re

import pytest

from playbook.course import figures
from playbook.course.figures import industry_figures
from playbook.data import registry
from playbook.data.units import number_text, published_text

# A registry row of our own, so the tests do not move when the registry's figures are corrected.
ROW = registry.Benchmark(
    benchmark_id="test_row",
    metric="reply_rate",
    platform="all",
    tier="all",
    format="all",
    followers_min=None,
    followers_max=None,
    low=None,
    typical=0.0253,
    high=None,
    unit="fraction",
    definition="replies / cold emails",
    source_name="Example Research",
    source_url="https://example.org/report",
    year=2024,
    grade="B",
    notes="",
)


@pytest.fixture
def fake_registry(monkeypatch: pytest.MonkeyPatch):
    """Rows by id in place of the registry: `fake_registry(id=Benchmark, ...)`."""

    def install(**rows: registry.Benchmark) -> None:
        monkeypatch.setattr(figures, "benchmark", lambda bid: rows[bid])

    return install


def test_a_fraction_reads_as_a_percentage() -> None:
    assert published_text(None, 0.0253, None, "fraction") == "2.53%"  # 0.0253 x 100
    assert published_text(None, -0.125, None, "fraction_change") == "-12.5%"
    assert published_text(None, 0.35, None, "fraction_change") == "+35%"
    assert (
        published_text(0.05, 0.1, 0.2, "fraction_of_fee_per_month")
        == "5% to 20% of the fee per month (typical 10%)"
    )


def test_a_range_without_a_typical_and_a_typical_without_a_range() -> None:
    assert published_text(0.0014, None, 0.021, "fraction") == "0.14% to 2.1%"
    assert published_text(None, 9.07, None, "usd_per_1000_impressions") == "9.07 USD per 1,000 impressions"
    assert published_text(5.0, 10.0, 15.0, "usd_per_1000_impressions") == (
        "5 to 15 USD per 1,000 impressions (typical 10)"
    )
    assert published_text(18.0, None, None, "years") == "from 18 years"
    assert published_text(None, None, 3.0, "days") == "up to 3 days"
    assert published_text(None, 1.0, None, "days") == "1 day"
    assert published_text(1.4, None, 1.5, "multiplier") == "1.4x to 1.5x"
    assert published_text(None, float("nan"), None, "usd") == ""


def test_a_typical_we_computed_says_midpoint(fake_registry) -> None:
    note = "typical = band midpoint; undated page"
    band = dataclasses.replace(ROW, low=0.03, typical=0.037, high=0.044, notes=note)  # (3% + 4.4%) / 2 = 3.7%
    fake_registry(
        band=band,
        skewed=dataclasses.replace(band, typical=0.04),  # the note is wrong here: 4% is not the midpoint
        published=dataclasses.replace(band, notes="undated page"),
    )
    values = [r.value for r in industry_figures(["band", "skewed", "published"]).rows]
    assert values == ["3% to 4.4% (midpoint 3.7%)", "3% to 4.4% (typical 4%)", "3% to 4.4% (typical 3.7%)"]
    assert (
        '3% to 4.4% <span style="white-space:nowrap">(midpoint 3.7%)</span>'
        in industry_figures(["band"])._repr_html_()
    )


def test_money_keeps_its_currency_and_large_numbers_their_digits() -> None:
    assert published_text(None, 1.3, None, "usd_billion") == "1.3 billion USD"
    assert published_text(None, 120_000.0, None, "inr") == "120,000 INR"
    # The report appendix printed these as 1.2e+05 and 1.05e+04 before (format ",.4g").
    assert published_text(1_000.0, 10_500.0, 20_000.0) == "1,000 to 20,000 (typical 10,500)"
    assert number_text(2_800_000.0) == "2,800,000"
    assert number_text(11.38) == "11.38"
    assert number_text(0.0014) == "0.0014"


def test_an_undated_row_and_a_model_assumption(fake_registry) -> None:
    model = dataclasses.replace(
        ROW, source_name=registry.MODEL_SOURCE_NAME, source_url="", year=None, grade="model"
    )
    fake_registry(undated=dataclasses.replace(ROW, year=None, grade="C"), model=model)
    table = industry_figures(["undated", "model"])
    assert [r.year for r in table.rows] == ["undated", "n/a (our assumption)"]
    page = table._repr_html_()
    assert ">undated</td>" in page
    assert "<a " not in page.split("</tr>")[2]  # the model row has no page to link to
    assert not re.search(r"\b(None|nan|NaN)\b", page)


def test_a_hostile_source_name_is_escaped_and_the_link_kept(fake_registry) -> None:
    hostile = dataclasses.replace(
        ROW,
        source_name='<script>alert("x")</script> & Co',
        source_url='https://example.org/?a=1&b="><img src=x onerror=alert(1)>',
        definition="<b>bold</b> claim",
    )
    fake_registry(hostile=hostile, js=dataclasses.replace(ROW, source_url="javascript:alert(1)"))
    page = industry_figures(["hostile", "js"])._repr_html_()
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</a>" in page
    assert 'href="https://example.org/?a=1&amp;b=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in page
    assert "javascript:" not in page  # not an http(s) page: the name shows as text


def test_a_registry_row_links_its_source_and_shows_where_it_applies() -> None:
    bid = "er_views_youtube_modash_1k_5k"
    b = registry.benchmark(bid)
    table = industry_figures([bid, "reply_rate_creator_heepsy"])
    page = table._repr_html_()
    assert f'<a href="{b.source_url}" target="_blank" rel="noopener noreferrer">{b.source_name}</a>' in page
    assert table.rows[0].applies_to.startswith("YouTube, nano tier, video, 1,000 to 5,000 followers")
    assert table.rows[1].applies_to == ""  # all platforms, tiers and formats
    assert "<th" in page and ">applies to</th>" in page


def test_the_applies_to_column_only_when_a_figure_is_narrower_than_all(fake_registry) -> None:
    fake_registry(a=ROW, b=dataclasses.replace(ROW, benchmark_id="b"))
    table = industry_figures(["a", "b"])
    assert table.header == ("figure", "published value", "source", "year", "grade")
    assert "replies / cold emails: 2.53% -- Example Research, 2024, grade B" in repr(table)
    with pytest.raises(TypeError, match="list of benchmark ids"):
        industry_figures("a")


def test_every_registry_row_reads_without_none_or_nan() -> None:
    ids = registry.load_benchmarks()["benchmark_id"].tolist()
    table = industry_figures(ids)
    assert all(r.value and r.year for r in table.rows)
    assert not re.search(r"\b(None|nan|NaN)\b|e\+0", "".join(r.value + r.year for r in table.rows))
