"""JupyterLab in Debian's Chromium: two course modules run top to bottom, every widget draws, a control
changes its output, the news pop-up stays off, and no request leaves the machine.

The server runs from this .venv on a free local port with a known token, over a temporary copy of the two
notebooks (so Run All and autosave never touch the repository), with its own config, settings and workspace
folders (so the learner's own JupyterLab state plays no part). Every request the page makes is routed: to
127.0.0.1 it goes through, anything else is recorded and aborted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import browser, require_chromium

from playbook.data.layout import NOTEBOOKS_DIR
from playbook.kernel import LAB_OVERRIDES, PROJECT_KERNEL, install_lab_settings, lab_settings_file

MODULES = ("05_outreach_and_communication", "06_relationships_and_negotiation")
TOKEN = "playbook-browser-test"
LOCAL = re.compile(r"^(?:https?|wss?)://(?:127\.0\.0\.1|localhost)(?::\d+)?/|^(?:data|blob):")
# Text a widget shows when the front end cannot draw it, or the repr a kernel prints without a front end.
BROKEN = re.compile(
    r"Error displaying widget|Loading widget|\b(?:IntSlider|FloatSlider|IntText|FloatText|Dropdown|VBox|HBox|"
    r"Button|Textarea|Text|Checkbox|RadioButtons|SelectMultiple|ToggleButtons|HTML|Output|Tab)\((?:value|children|"
    r"description|options|layout)="
)
# A widget view is an output panel without a rendered MIME type (text, HTML and SVG outputs carry one).
WIDGET_OUTPUT = ".jp-OutputArea-output:not([data-mime-type])"
# At least the apps each notebook shows (module 05: funnel, planner, brief, disclosure, quiz; 06: the
# negotiation app and the quiz), so a notebook whose apps silently vanished fails.
MIN_WIDGETS = {"05_outreach_and_communication": 5, "06_relationships_and_negotiation": 2}
# The notebook in front (JupyterLab keeps the other tabs in the page, hidden).
CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"
ALL_RAN = f"""() => {{
  const prompts = [...document.querySelectorAll('{CURRENT} .jp-CodeCell .jp-InputPrompt')]
    .map(e => e.textContent.trim());
  return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t));
}}"""
READY = f"""(cells) => document.querySelectorAll('{CURRENT} .jp-CodeCell').length === cells
  && document.body.innerText.includes('| Idle')"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A JupyterLab server on a free port over a copy of the two notebooks; yields its base URL."""
    require_chromium()
    root = tmp_path_factory.mktemp("lab")
    for module in MODULES:
        shutil.copy(NOTEBOOKS_DIR / f"{module}.ipynb", root)
    install_lab_settings()  # what `make setup` / `make lab` do; idempotent
    state = root / ".jupyter-state"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(state / "config"),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
    }
    port = _free_port()
    args = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
        f"--MappingKernelManager.default_kernel_name={PROJECT_KERNEL}",
        *(["--allow-root"] if os.getuid() == 0 else []),
    ]
    log = (root / "lab.log").open("w")
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=1)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start: {(root / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _code_cells(module: str) -> int:
    nb = json.loads((NOTEBOOKS_DIR / f"{module}.ipynb").read_text(encoding="utf-8"))
    return sum(c["cell_type"] == "code" for c in nb["cells"])


def _run_all(page: object, base: str, module: str) -> None:
    page.goto(f"{base}/lab/tree/{module}.ipynb?token={TOKEN}")
    page.wait_for_function(READY, arg=_code_cells(module), timeout=90_000)
    page.click('li.lm-MenuBar-item:has-text("Run")')
    page.click('li.lm-Menu-item:has-text("Run All Cells")')
    page.wait_for_function(ALL_RAN, timeout=150_000)


def _check_widgets_drew(page: object, module: str) -> int:
    outputs = page.locator(f"{CURRENT} {WIDGET_OUTPUT}")
    page.wait_for_function("() => !document.body.textContent.includes('Loading widget')", timeout=30_000)
    count = outputs.count()
    assert count >= MIN_WIDGETS[module], f"{module}: {count} widget outputs"
    for i in range(count):
        assert outputs.nth(i).locator(".jupyter-widgets").count() > 0, f"{module}: widget {i} did not draw"
    # the outputs only (not the code), on screen or not
    text = "\n".join(page.locator(f"{CURRENT} .jp-OutputArea").all_text_contents())
    assert not BROKEN.search(text), f"{module}: {BROKEN.search(text).group(0)!r} in the notebook"
    assert "Traceback" not in text, f"{module}: a cell raised"
    return count


def test_lab_settings_file_turns_the_news_off(tmp_path: Path) -> None:
    path = install_lab_settings(tmp_path)
    assert path == lab_settings_file(tmp_path) and path.read_text() == LAB_OVERRIDES.read_text()
    settings = json.loads(path.read_text())["@jupyterlab/apputils-extension:notification"]
    assert settings == {"fetchNews": "false", "checkForUpdates": False}


def test_two_modules_run_in_jupyterlab_offline_with_every_widget_drawn(lab: str) -> None:
    external: list[str] = []
    page_errors: list[str] = []
    with browser() as b:
        context = b.new_context(viewport={"width": 1400, "height": 1000})

        def route(r: object) -> None:
            if LOCAL.match(r.request.url):
                r.continue_()
            else:
                external.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        page.on("websocket", lambda ws: None if LOCAL.match(ws.url) else external.append(ws.url))

        # the project's settings reach JupyterLab as the defaults: news "Never", no update check
        page.goto(f"{lab}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={TOKEN}")
        schema = json.loads(page.locator("body").inner_text())["schema"]["properties"]
        assert schema["fetchNews"]["default"] == "false" and schema["checkForUpdates"]["default"] is False

        drawn = {}
        for module in MODULES:
            _run_all(page, lab, module)
            drawn[module] = _check_widgets_drew(page, module)
            if module == "05_outreach_and_communication":
                # one control, one output: the disclosure checker's caption
                app = page.locator(f"{CURRENT} .jp-OutputArea-output", has=page.locator("text=Labels found"))
                app.scroll_into_view_if_needed()
                before = app.text_content()
                assert "weak" in before
                app.locator("textarea").first.fill("#ad Loving my new skincare routine with @lumenstudio")
                page.wait_for_function(
                    "(b) => { const e = [...document.querySelectorAll('.jp-OutputArea-output')]"
                    ".find(o => o.textContent.includes('Labels found')); return e && e.textContent !== b; }",
                    arg=before,
                    timeout=20_000,
                )
                after = app.text_content()
                assert "compliant" in after and "Labels found: #ad" in after
        assert not page.locator(".Toastify__toast", has_text="news").count(), "the news pop-up showed"
        context.close()
    assert external == [], f"requests left the machine: {external}"
    assert page_errors == [], page_errors
    assert all(n > 0 for n in drawn.values()), drawn
