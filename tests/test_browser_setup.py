"""The browser tests' set-up itself: Debian's Chromium starts headless under Playwright and renders a page."""

from __future__ import annotations

from browser_support import browser


def test_chromium_renders_a_local_page() -> None:
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 400, "height": 300})
        page.set_content("<p id='x' style='width:100px'>hello</p>")
        assert page.inner_text("#x") == "hello"
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
