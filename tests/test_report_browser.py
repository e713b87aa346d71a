"""What a brand manager sees: two sample reports in headless Chromium at 1400 px and 400 px, and one printed
to PDF (`playbook report --pdf`). Skips loudly without Chromium unless PLAYBOOK_REQUIRE_BROWSER=1."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_support import browser, require_chromium

from playbook.data.layout import SAMPLE_DIR
from playbook.reports.render import render_reports

REPORTS = (
    "CP000007",
    "CP000008",
)  # a conversion campaign with a holdout; an awareness one with a big creator


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_chromium()
    out = tmp_path_factory.mktemp("browser-reports")
    results = render_reports(list(REPORTS), SAMPLE_DIR, out, jobs=2, pdf=True)
    assert all(r.ok and r.pdf_path is not None for r in results), [r.error for r in results]
    return out


@pytest.mark.parametrize("width", [1400, 400])
def test_no_horizontal_overflow(rendered: Path, width: int) -> None:
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": width, "height": 900})
        for name in (*REPORTS, "index"):
            page.goto((rendered / f"{name}.html").as_uri())
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{name}.html is {scroll} px wide in a {width} px window"


class _Headers(HTMLParser):
    """The header cells of the first table after the heading `after`."""

    def __init__(self, after: str) -> None:
        super().__init__()
        self.after, self.state, self.text, self.headers = after, "before", "", []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "th" and self.state == "in":
            self.text = ""
        if tag == "h2":
            self.text = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self.text.strip() == self.after:
            self.state = "in"
        elif tag == "th" and self.state == "in":
            self.headers.append(self.text.strip())
        elif tag == "table" and self.state == "in" and self.headers:
            self.state = "done"

    def handle_data(self, data: str) -> None:
        self.text += data


def test_the_pdf_has_every_scorecard_column(rendered: Path) -> None:
    from pypdf import PdfReader

    parser = _Headers("Creator scorecards")
    parser.feed((rendered / "CP000007.html").read_text(encoding="utf-8"))
    assert {"creator", "ROAS", "on-time posts", "health", "call"} <= set(parser.headers)
    reader = PdfReader(rendered / "CP000007.pdf")
    raw = " ".join(page.extract_text() or "" for page in reader.pages)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw))  # NFKC: the "ﬁ" ligature is "fi"
    flat = text.replace(" ", "")
    missing = [h for h in parser.headers if h.replace(" ", "") not in flat]
    assert missing == [], f"scorecard columns missing from the PDF: {missing}"
    assert len(reader.pages) >= 5
    assert "Most important findings" in text
