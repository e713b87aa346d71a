"""PDF copies of the HTML reports, printed by headless Chromium through Playwright's Python API.

Setup (two commands): `pip install 'influencer-team-playbook[pdf]'` (Playwright's Python package) and a
Chromium on the machine (Debian/Ubuntu: `sudo apt-get install chromium`; macOS/Windows: any installed Chrome
or Chromium, named with `PLAYBOOK_CHROMIUM`). Playwright is only the driver here: `playwright install`,
which downloads a browser, is never needed. The page prints with the report's print stylesheet (A4
landscape, tables at full width, no scroll boxes), so every column and chart is on paper; nothing is loaded
from the network (the report has no external resource). Each PDF is written to a temporary file and moved
into place (`data.io.atomic_path`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from playbook.data.io import atomic_path
from playbook.reports.params import ReportInputError

__all__ = ["CHROMIUM_ENV", "PDF_SETUP", "find_chromium", "print_pdfs"]

CHROMIUM_ENV = "PLAYBOOK_CHROMIUM"
_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PDF_SETUP = (
    "PDF output needs Playwright's Python package and a Chromium: pip install "
    "'influencer-team-playbook[pdf]' and sudo apt-get install chromium (or set "
    f"{CHROMIUM_ENV} to a Chrome/Chromium executable)"
)
# As root in a container, with the background networking a closed network refuses turned off.
_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]


def find_chromium() -> str | None:
    """The Chromium executable: `PLAYBOOK_CHROMIUM`, else the first of the usual names on this machine."""
    named = os.environ.get(CHROMIUM_ENV)
    for candidate in ([named] if named else []) + list(_CANDIDATES):
        found = candidate if os.access(candidate, os.X_OK) else shutil.which(candidate)
        if found:
            return found
    return None


def print_pdfs(html_paths: Iterable[Path]) -> list[Path]:
    """Print each HTML file to a PDF beside it (`<name>.pdf`); returns the PDF paths in order.

    Raises `ReportInputError` naming the setup when Playwright or Chromium is missing.
    """
    paths = [Path(p) for p in html_paths]
    if not paths:
        return []
    executable = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ReportInputError(f"no Playwright: {PDF_SETUP}") from None
    if executable is None:
        raise ReportInputError(f"no Chromium found: {PDF_SETUP}")
    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=_ARGS)
        try:
            page = browser.new_page()
            for html in paths:
                page.goto(html.resolve().as_uri(), wait_until="load")
                target = html.with_suffix(".pdf")
                with atomic_path(target) as tmp:
                    page.pdf(path=str(tmp), print_background=True, prefer_css_page_size=True)
                out.append(target)
        finally:
            browser.close()
    return out
