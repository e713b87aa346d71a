"""Headless Chromium for the tests that look at what a person sees (reports, PDFs, JupyterLab).

Debian's `chromium` package (`apt-get install chromium`) driven by Playwright's Python API with
`executable_path`; never `playwright install`, which downloads a browser and fails offline. Without
Chromium the browser tests skip with a loud reason naming the fix, unless `PLAYBOOK_REQUIRE_BROWSER=1`
(set by `.ci/run`), which turns the skip into a failure so CI always runs them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium")
REQUIRE_ENV = "PLAYBOOK_REQUIRE_BROWSER"
# As root in a container, with the background networking that this closed network refuses turned off.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
FIX = "install Debian's Chromium: sudo apt-get install chromium (the tests use /usr/bin/chromium)"


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM) is not None


def require_chromium() -> None:
    """Skip (loudly) or fail, per `PLAYBOOK_REQUIRE_BROWSER`, when Chromium is missing."""
    if chromium_available():
        return
    message = f"BROWSER CHECKS SKIPPED: no Chromium at {CHROMIUM}; {FIX}"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message} ({REQUIRE_ENV}=1 makes this a failure)")
    pytest.skip(message)


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium `Browser` (Playwright sync API); closed on exit."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield instance
        finally:
            instance.close()
