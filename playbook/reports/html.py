"""Executed report notebook -> one self-contained HTML page without code; index page; safe file output.

The page has no script and loads nothing from the network: styles are inline, charts are SVG images
embedded as `data:` URIs (an SVG inside `<img>` cannot run script or fetch anything). Markdown cells go
through a small converter that escapes everything and knows headings, lists, bold, inline code and
http(s) links. HTML outputs come from `playbook.reports.sections`, which escapes user text; as a second
line of defence an output holding script, event handlers, frames or external resources is shown as
escaped text instead. Text written to CSV is neutralised against spreadsheet formulas (OWASP "CSV
injection": a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front).

Inside the kernel, report sections return display objects that `bundle` turns into MIME bundles: `Html`
(markup built from escaped values with `html_table`, `link`, `bullets`), DataFrames (rendered escaped by
pandas) and altair charts (their Vega-Lite spec, which the runner renders to SVG offline in its own
process, `playbook.viz.svg`; `output_html` renders any spec still without an SVG, e.g. in a notebook
executed by plain papermill).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import math
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.data.io import atomic_write_group
from playbook.data.units import unit_text  # re-exported: the sections import it from here
from playbook.viz.svg import CHART_MIMETYPE, SVG_MIMETYPE, render_chart_outputs

__all__ = [
    "CSS",
    "METRICS_MIMETYPE",
    "NOT_AVAILABLE",
    "PROSE_CHARS",
    "SKIP_TAG",
    "Html",
    "bullets",
    "bundle",
    "csv_text",
    "esc",
    "fmt",
    "frame_html",
    "html_table",
    "index_html",
    "is_number_text",
    "is_passive_html",
    "link",
    "markdown_html",
    "metrics_output",
    "neutralise_formula",
    "notebook_html",
    "output_html",
    "page",
    "safe_slug",
    "show",
    "unit_text",
    "write_files_atomically",
]


if TYPE_CHECKING:
    from nbformat import NotebookNode

SKIP_TAG = "skip-in-report"
# The output the report notebook's last cell displays: its headline figures for the runner (shown by no
# frontend; skipped in the HTML).
METRICS_MIMETYPE = "application/vnd.playbook.analytics.metrics+json"
_RESERVED_SLUGS = {"index", "con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}
_IN_TAG = r"<[^<>]*?"  # text is escaped, so a real "<" always opens a tag
_ACTIVE = re.compile(
    r"<\s*/?\s*(?:script|iframe|frame|object|embed|link|meta|base|form|svg|math|style|template)\b"
    rf"|{_IN_TAG}\son[a-z]+\s*="
    rf"|{_IN_TAG}(?:javascript|vbscript|data):"
    rf"|{_IN_TAG}\b(?:src|srcset|poster|action|formaction|background)\s*="
    rf"|{_IN_TAG}url\(",
    re.IGNORECASE,
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;
  max-width:64rem;padding:0 1rem;color:#1f2328;line-height:1.45;overflow-wrap:break-word}
h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.25rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem}
.scroll{overflow-x:auto;max-width:100%}
table.data{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
table.data th,table.data td{border-bottom:1px solid #d8dee4;padding:.3rem .6rem;text-align:left;
  vertical-align:top}
table.data th{background:#f6f8fa}
table.data .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.data .prose{min-width:14rem}
pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
pre.stderr{color:#9a6700}
.muted{color:#59636e}
.verdict{padding:.5rem .8rem;border-left:4px solid #9a6700;background:#fff8c5}
.verdict.good{border-color:#1a7f37;background:#dafbe1}
.verdict.bad{border-color:#cf222e;background:#ffebe9}
.verdict.neutral{border-color:#59636e;background:#f6f8fa}
.tone{padding:.1rem .4rem;border-radius:.3rem;white-space:nowrap}
.tone.good{background:#dafbe1;color:#116329}.tone.warn{background:#fff8c5;color:#7d4e00}
.tone.bad{background:#ffebe9;color:#a40e26}.tone.neutral{background:#f6f8fa;color:#59636e}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.6rem;margin:.8rem 0}
.card{border:1px solid #d0d7de;border-radius:.4rem;padding:.5rem .7rem;break-inside:avoid}
.card .label{font-size:.8rem;color:#59636e;text-transform:uppercase;letter-spacing:.03em}
.card .value{font-size:1.35rem;font-weight:600}
.card .detail{font-size:.85rem;color:#59636e}
.next{padding:.5rem .8rem;border-left:4px solid #8250df;background:#fbefff}
.note{padding:.5rem .8rem;border-left:4px solid #0969da;background:#ddf4ff}
ul.tree,ul.tree ul{list-style:none;padding-left:1.2rem;border-left:1px solid #d0d7de;margin:.3rem 0}
ul.tree li{margin:.25rem 0}
img.chart{max-width:100%;height:auto}
@media screen and (max-width:40rem){img.chart{max-width:none}}
body.wide{max-width:90rem}
.index td{white-space:nowrap}.index td:nth-child(3){white-space:normal;min-width:9rem}
footer{margin-top:3rem;font-size:.85rem;color:#59636e}
@media print{
  @page{size:A4 landscape;margin:12mm}
  body{max-width:none;margin:0;padding:0;font-size:10pt}
  .scroll{overflow:visible}
  table.data{font-size:8pt;width:100%;page-break-inside:auto}
  table.data th,table.data td{padding:.15rem .3rem}
  table.data .num{white-space:normal}
  table.data .prose{min-width:8rem}
  tr,img.chart,.card,.verdict,.next{break-inside:avoid}
  h2,h3{break-after:avoid}
  a{color:inherit;text-decoration:none}
}
""".strip()


def esc(value: object) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class Html:
    """Markup built from escaped values (`esc`, `html_table`, `link`): safe to place in a report as it is."""

    markup: str

    def _repr_html_(self) -> str:
        return self.markup


NOT_AVAILABLE = "n/a"  # shown for a value the data cannot give; the reason is printed next to the table
_NUMBER = re.compile(r"^[-+−]?[\d,.]+(?:%|x| days?(?: early| late)?)?$|^n/a$")


def fmt(value: float, kind: str, currency: str = "") -> str:
    """A figure for display: rate (12.3%), ratio (1.23), money (1,234 USD), price (0.12 USD: per-unit
    costs), days (3.5 days), lateness (2 days late, 2 days early, on the day) or count (1,234); an
    undefined (NaN) value reads "n/a" (its reason is shown beside the table)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_AVAILABLE
    if kind == "rate":
        return f"{value:.1%}" if abs(value) < 10 else f"{value:,.0%}"
    if kind == "ratio":
        return f"{value:.2f}"
    if kind == "money":
        return f"{value:,.0f} {currency}".strip()
    if kind == "price":
        return f"{value:,.2f} {currency}".strip()
    if kind == "days":
        return f"{value:,.1f} days"
    if kind == "lateness":
        days = abs(value)
        if days < 0.05:
            return "on the day"
        unit = "day" if round(days, 1) == 1 else "days"
        return f"{days:,.1f} {unit} {'late' if value > 0 else 'early'}".replace(".0 ", " ")
    return f"{value:,.0f}"


def is_number_text(text: str) -> bool:
    """True for a formatted figure ("1,234", "12.3%", "0.79", "n/a", "2 days late"): right-aligned."""
    return bool(_NUMBER.match(text.strip()))


PROSE_CHARS = 40  # our choice: longer than a name, an id or a figure with its unit
_TAGS = re.compile(r"<[^>]+>")


def html_table(header: Iterable[str], rows: Iterable[Iterable[str]], numeric: Iterable[int] = ()) -> Html:
    """A table of cells that are already escaped markup (header cells are escaped here), in a box that
    scrolls sideways when it is wider than the page; columns `numeric` (indexes) are right-aligned.
    A column holding sentences (a cell of more than `PROSE_CHARS` characters of text) keeps a readable
    width on a narrow screen; the box scrolls instead of squeezing it to a few letters per line."""
    right = set(numeric)
    rows = [list(row) for row in rows]
    prose = {
        i
        for row in rows
        for i, markup in enumerate(row)
        if i not in right and len(_TAGS.sub("", markup)) > PROSE_CHARS
    }

    def cell(tag: str, i: int, markup: str) -> str:
        css = "num" if i in right else "prose" if i in prose else ""
        return f'<{tag} class="{css}">{markup}</{tag}>' if css else f"<{tag}>{markup}</{tag}>"

    head = "".join(cell("th", i, esc(h)) for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return Html(
        f'<div class="scroll"><table class="data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
        "</table></div>"
    )


def frame_html(frame: object) -> Html:
    """A DataFrame of display text as an escaped table; columns whose every cell is a figure are
    right-aligned."""
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    cells = frame.astype("object").where(frame.notna(), "")
    numeric = [
        i
        for i, c in enumerate(cells.columns)
        if len(cells)
        and all(is_number_text(str(v)) for v in cells[c] if str(v) != "")
        and any(str(v) != "" for v in cells[c])
    ]
    rows = ([esc(v) for v in row] for row in cells.itertuples(index=False))
    return html_table([str(c) for c in cells.columns], rows, numeric)


def bullets(items: Iterable[str], css: str = "") -> Html:
    """A list of escaped text items."""
    attr = f' class="{esc(css)}"' if css else ""
    return Html(f"<ul{attr}>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>")


def link(url: str, text: str) -> str:
    """An escaped hyperlink to a source page (http/https only; anything else is shown as text)."""
    if not url.startswith(("https://", "http://")):
        return esc(text)
    return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(text)}</a>'


def bundle(obj: object) -> dict[str, str]:
    """The MIME bundle of one display object: `Html`, DataFrame, altair chart or plain text (escaped)."""
    if isinstance(obj, Html):
        return {"text/html": obj.markup}
    if isinstance(obj, str):
        return {"text/html": f"<p>{esc(obj)}</p>", "text/plain": obj}
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        return {"text/html": frame_html(obj).markup}
    import altair as alt

    if isinstance(obj, alt.TopLevelMixin):
        # Not validated against the Vega-Lite schema here (~10 ms a chart): tests/test_charts.py validates
        # every builder's output, and vl-convert rejects what it cannot render, naming the section.
        return {CHART_MIMETYPE: obj.to_dict(validate=False), "text/plain": "chart"}
    raise TypeError(f"a report section returned {type(obj).__name__}; expected Html, DataFrame, chart or str")


def show(objects: Iterable[object]) -> None:
    """Display the objects a report section returned, in order."""
    from IPython.display import display

    for obj in objects:
        display(bundle(obj), raw=True)


def safe_slug(campaign_id: str) -> str:
    """A file-name-safe slug of a campaign id: ASCII letters, digits, `-` and `_`, at most 60 of them.

    Ids that are not already such a slug (or are reserved names such as `index` or `CON`) get a short hash
    of the full id appended, so different ids never share a slug.
    """
    ascii_id = unicodedata.normalize("NFKD", campaign_id).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_id).strip("-_")[:60]
    if not slug or slug != campaign_id or slug.lower() in _RESERVED_SLUGS:
        digest = hashlib.sha256(campaign_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        slug = f"{slug}-{digest}" if slug else f"campaign-{digest}"
    return slug


# --------------------------------------------------------------------------- markdown and outputs
def _inline(text: str) -> str:
    """Escaped inline markdown: `code`, **bold**, *italic* and [text](http(s) URL) links."""
    out = esc(text)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"(?<![*\w])\*([^*]+)\*(?![*\w])", r"<em>\1</em>", out)
    return re.sub(
        r"\[([^\]]+)\]\((https?://[^\s()]+)\)", r'<a href="\2" rel="noopener noreferrer">\1</a>', out
    )


def markdown_html(source: str) -> str:
    """A safe subset of markdown: `#` headings, `-`/`*` lists, paragraphs; all text escaped."""
    blocks: list[str] = []
    items: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for line in source.splitlines():
        stripped = line.strip()
        heading = re.fullmatch(r"(#{1,6})\s+(.*)", stripped)
        if heading:
            flush()
            level = len(heading[1])
            blocks.append(f"<h{level}>{_inline(heading[2].strip())}</h{level}>")
        elif re.match(r"[-*]\s+", stripped):
            if para:
                flush()
            items.append(re.sub(r"^[-*]\s+", "", stripped))
        elif not stripped:
            flush()
        else:
            if items:
                flush()
            para.append(stripped)
    flush()
    return "\n".join(blocks)


def is_passive_html(markup: str) -> bool:
    """True when HTML has no script, style or frame element, event handler, `src` attribute or script URL.

    Section outputs never need any of them (charts come as images); text inside is escaped, so only real
    tags can match.
    """
    return _ACTIVE.search(markup) is None


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def _chart_img(src: str) -> str:
    """A chart image in a box that scrolls sideways: on a phone the chart keeps its size (readable labels)
    instead of shrinking to the screen; on a wide screen and in print it fits the page."""
    return f'<div class="scroll"><img class="chart" alt="chart" src="{src}"></div>'


def output_html(output: NotebookNode) -> str:
    """One cell output as HTML: SVG/PNG as embedded images, passive HTML as is, anything else escaped."""
    kind = output.get("output_type")
    if kind == "stream":
        name = "stderr" if output.get("name") == "stderr" else "stdout"
        return f'<pre class="{name}">{esc(_text(output.get("text", "")))}</pre>'
    if kind == "error":
        return (
            f'<pre class="stderr">{esc(output.get("ename", "Error"))}: {esc(output.get("evalue", ""))}</pre>'
        )
    data = output.get("data", {})
    if METRICS_MIMETYPE in data:
        return ""
    if CHART_MIMETYPE in data and SVG_MIMETYPE not in data:
        render_chart_outputs([output])
    if SVG_MIMETYPE in data:
        svg = base64.b64encode(_text(data[SVG_MIMETYPE]).encode("utf-8")).decode("ascii")
        return _chart_img(f"data:image/svg+xml;base64,{svg}")
    if "image/png" in data:
        png = re.sub(r"[^A-Za-z0-9+/=]", "", _text(data["image/png"]))
        return _chart_img(f"data:image/png;base64,{png}")
    if "text/html" in data:
        markup = _text(data["text/html"])
        return markup if is_passive_html(markup) else f"<pre>{esc(markup)}</pre>"
    if "text/plain" in data:
        return f"<pre>{esc(_text(data['text/plain']))}</pre>"
    return ""


def page(title: str, body: str, footer: str, wide: bool = False) -> str:
    """A complete HTML document: inline style, no script, no external resource. `wide` lets the page use
    more of a large screen (the index: one wide table per currency)."""
    opening = '<body class="wide">' if wide else "<body>"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n{opening}\n<h1>{esc(title)}</h1>\n"
        f"{body}\n<footer>{footer}</footer>\n</body>\n</html>\n"
    )


def notebook_html(nb: NotebookNode, title: str, footer: str) -> str:
    """The executed report notebook as a page: markdown cells and code outputs, never code.

    Cells tagged `skip-in-report` and the parameter cells are left out. `title` is escaped here;
    `footer` must already be escaped markup.
    """
    parts = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {SKIP_TAG, "parameters", "injected-parameters"}:
            continue
        if cell.cell_type == "markdown":
            parts.append(markdown_html(cell.source))
        elif cell.cell_type == "code":
            parts.extend(output_html(o) for o in cell.get("outputs", []))
    return page(title, "\n".join(p for p in parts if p), footer)


def metrics_output(nb: NotebookNode) -> dict | None:
    """The headline figures the notebook recorded (`record_metrics`), or None if it recorded none."""
    for cell in reversed(nb.cells):
        for output in cell.get("outputs", []):
            found = output.get("data", {}).get(METRICS_MIMETYPE)
            if isinstance(found, dict):
                return found
    return None


# --------------------------------------------------------------------------- index and files
_INDEX_META = ("report", "tone", "group", "totals")  # index row keys that steer the page, not columns


def index_html(rows: Sequence[Mapping[str, object]], title: str, footer: str) -> str:
    """The page comparing reports: one table per currency group, one row per campaign.

    Each row maps column label -> display text; meta keys: `report` (a file name in the same directory)
    links the first cell; `tone` (good, warn, bad, neutral) colours the `verdict` cell; `group` (e.g.
    "Amounts in USD") starts a table of its own, since amounts in different currencies are never added up;
    `totals` (a mapping column -> text) is that group's total row.
    """
    if not rows:
        return page(title, "<p>No reports.</p>", footer)
    columns = [c for c in rows[0] if c not in _INDEX_META]
    groups: dict[str, list[Mapping[str, object]]] = {}
    for row in rows:
        groups.setdefault(str(row.get("group") or ""), []).append(row)
    parts = []
    if len(groups) > 1:
        parts.append(
            '<p class="note">Campaigns in different currencies are listed in separate tables and never '
            "added up: the data has no exchange rates.</p>"
        )
    for name, members in groups.items():
        body = []
        for row in members:
            cells = [esc(row.get(c, "")) for c in columns]
            if row.get("report"):
                href = urllib.parse.quote(str(row["report"]))
                cells[0] = f'<a href="{esc(href)}">{cells[0]}</a>'
            if row.get("tone") and "verdict" in columns:
                i = columns.index("verdict")
                cells[i] = f'<span class="tone {esc(row["tone"])}">{cells[i]}</span>'
            body.append(cells)
        totals = next((r["totals"] for r in members if isinstance(r.get("totals"), Mapping)), None)
        if totals:
            body.append([f"<strong>{esc(totals.get(c, ''))}</strong>" for c in columns])
        numeric = [
            i
            for i, c in enumerate(columns)
            if all(is_number_text(str(r.get(c, ""))) for r in members if str(r.get(c, "")) != "")
            and any(str(r.get(c, "")) != "" for r in members)
        ]
        if name:
            parts.append(f"<h2>{esc(name)}</h2>")
        parts.append(f'<div class="index">{html_table(columns, body, numeric).markup}</div>')
    return page(title, "\n".join(parts), footer, wide=True)


def neutralise_formula(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading `'`; numbers and other text are unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(rows: Iterable[Mapping[str, object]]) -> str:
    """Rows as CSV text (header from the first row, CRLF line ends), every text cell neutralised against
    formulas."""
    buffer = io.StringIO()
    writer: csv.DictWriter | None = None
    for row in rows:
        if writer is None:
            # CRLF rows (RFC 4180): a cell holding a carriage return or a newline is then quoted, so a
            # campaign name with a line break stays in its row.
            writer = csv.DictWriter(buffer, fieldnames=list(row), lineterminator="\r\n")
            writer.writeheader()
        writer.writerow({k: neutralise_formula(v) for k, v in row.items()})
    return buffer.getvalue()


def write_files_atomically(files: Mapping[Path, str]) -> None:
    """Write the files of one report as a group (`data.io.atomic_write_group`)."""
    atomic_write_group(files)
