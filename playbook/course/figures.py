"""Industry figures as a learner reads them: one HTML table per set of benchmark ids.

    from playbook.course.figures import industry_figures
    industry_figures(["reply_rate_creator_heepsy", "late_payment_share_tipalti"])

Every value comes from the benchmark registry (`playbook.data.registry.benchmark`); this module only words
it: the figure's definition, where it applies (platform, tier, format, follower band, left out when "all"),
the published value in its unit ("2.5% to 4% (typical 3%)", "9.07 USD per 1,000 impressions"; "midpoint"
instead of "typical" where the registry computed it, `registry.MIDPOINT_NOTE`), the source as a link, the year
("undated" when the page shows none) and the grade, whose rubric shows on hover. The registry's own frame
for other code stays `playbook.data.registry.benchmark_table`."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from playbook.data.registry import GRADE_RUBRIC, Benchmark, benchmark, benchmark_from_record, typical_word
from playbook.data.units import number_text, published_text

__all__ = ["FigureRow", "FiguresTable", "figures_from_frame", "industry_figures"]

PLATFORM_NAMES = {
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "facebook": "Facebook",
    "twitter": "Twitter (X)",
    "linkedin": "LinkedIn",
}
ALL = "all"
NO_MATH = "mathjax_ignore tex2jax_ignore"
HEADER = ("figure", "applies to", "published value", "source", "year", "grade")
# JupyterLab right-aligns every table cell; words read left-aligned and top-aligned. The figure and its value
# keep a readable width on a narrow screen; the box scrolls sideways instead of squeezing them.
_CELL = 'style="text-align:left;vertical-align:top"'
_WIDE_CELL = 'style="text-align:left;vertical-align:top;min-width:12em"'
_VALUE_CELL = 'style="text-align:left;vertical-align:top;min-width:9em"'
_YEAR_CELL = 'style="text-align:left;vertical-align:top;white-space:nowrap"'


@dataclass(frozen=True)
class FigureRow:
    """One benchmark in words (plain text; `FiguresTable` escapes it)."""

    benchmark_id: str
    figure: str
    applies_to: str
    value: str
    source: str
    source_url: str
    year: str
    grade: str
    notes: str


def _followers(b: Benchmark) -> str:
    """The follower band a figure covers: "10,000 to 50,000 followers", "from 1,000,000", "up to 5,000"."""
    low, high = b.followers_min, b.followers_max
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        return f"{number_text(low)} to {number_text(high)} followers"
    return f"from {number_text(low)} followers" if low is not None else f"up to {number_text(high)} followers"


def _applies_to(b: Benchmark) -> str:
    """Platform, tier, format and follower band, each left out when the figure covers all of them."""
    parts = [
        PLATFORM_NAMES.get(b.platform, b.platform) if b.platform != ALL else "",
        f"{b.tier} tier" if b.tier != ALL else "",
        b.format.replace("_", " ") if b.format != ALL else "",
        _followers(b),
    ]
    return ", ".join(p for p in parts if p)


def _figure_row(b: Benchmark) -> FigureRow:
    """The words of one registry row."""
    if b.is_model_assumption:
        year = "n/a (our assumption)"
    else:
        year = str(b.year) if b.year is not None else "undated"
    return FigureRow(
        benchmark_id=b.benchmark_id,
        figure=b.definition,
        applies_to=_applies_to(b),
        value=published_text(b.low, b.typical, b.high, b.unit, typical_word(b)),
        source=b.source_name,
        source_url=b.source_url,
        year=year,
        grade=b.grade,
        notes=b.notes,
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _source_html(row: FigureRow) -> str:
    """The source name as a link to its page (http/https only; otherwise, as for a model row, plain text)."""
    if not row.source_url.startswith(("https://", "http://")):
        return _esc(row.source)
    return (
        f'<a href="{_esc(row.source_url)}" target="_blank" rel="noopener noreferrer">{_esc(row.source)}</a>'
    )


def _value_html(value: str) -> str:
    """The value, its "(typical x)" or "(midpoint x)" kept on one line."""
    head, paren, tail = value.rpartition(" (")
    if not paren or not value.endswith(")"):
        return _esc(value)
    return f'{_esc(head)} <span style="white-space:nowrap">({_esc(tail)}</span>'


def _grade_html(grade: str) -> str:
    """The grade with its rubric (`GRADE_RUBRIC`, of its best grade: "B/C" -> B) shown on hover."""
    rubric = GRADE_RUBRIC.get(grade.split("/")[0], "")
    return f'<abbr title="{_esc(rubric)}">{_esc(grade)}</abbr>' if rubric else _esc(grade)


@dataclass(frozen=True)
class FiguresTable:
    """Benchmark rows shown as an escaped HTML table in a notebook (`_repr_html_`), as text elsewhere."""

    rows: tuple[FigureRow, ...]

    @property
    def header(self) -> tuple[str, ...]:
        """Column titles; "applies to" only when some figure is for one platform, tier, format or band."""
        return (
            HEADER if any(r.applies_to for r in self.rows) else tuple(h for h in HEADER if h != "applies to")
        )

    def _cells(self, row: FigureRow) -> list[str]:
        cells = {
            "figure": f'<td {_WIDE_CELL} title="{_esc(row.benchmark_id)}">{_esc(row.figure)}</td>',
            "applies to": f"<td {_CELL}>{_esc(row.applies_to or 'all')}</td>",
            "published value": f'<td {_VALUE_CELL} title="{_esc(row.notes)}">{_value_html(row.value)}</td>',
            "source": f"<td {_CELL}>{_source_html(row)}</td>",
            "year": f"<td {_YEAR_CELL}>{_esc(row.year)}</td>",
            "grade": f"<td {_CELL}>{_grade_html(row.grade)}</td>",
        }
        return [cells[h] for h in self.header]

    def _repr_html_(self) -> str:
        head = "".join(f"<th {_CELL}>{_esc(h)}</th>" for h in self.header)
        body = "".join("<tr>" + "".join(self._cells(r)) + "</tr>" for r in self.rows)
        caption = (
            '<caption style="caption-side:bottom;text-align:left;font-size:smaller">'
            "From the benchmark registry (playbook/resources/benchmarks.csv). Hover a figure for its id, a "
            "value for the registry's notes, a grade for its rubric.</caption>"
        )
        # JupyterLab's MathJax would typeset "$3,000 one day and $5,000" as a formula: the classes that
        # tell MathJax 3+ (JupyterLab 4) and MathJax 2 to leave the table alone.
        table = f'<table class="playbook-figures {NO_MATH}">{caption}<thead><tr>{head}</tr></thead>'
        return f'<div style="overflow-x:auto">{table}<tbody>{body}</tbody></table></div>'

    def __repr__(self) -> str:
        lines = []
        for r in self.rows:
            where = f" [{r.applies_to}]" if r.applies_to else ""
            lines.append(f"{r.figure}{where}: {r.value} -- {r.source}, {r.year}, grade {r.grade}")
        return "\n".join(lines)


def industry_figures(benchmark_ids: Sequence[str]) -> FiguresTable:
    """The registry rows `benchmark_ids`, in that order, as a table a learner reads at a glance (``KeyError``
    naming close ids for an unknown id)."""
    if isinstance(benchmark_ids, str):
        raise TypeError("industry_figures takes a list of benchmark ids, not one id: wrap it in [...]")
    return FiguresTable(tuple(_figure_row(benchmark(bid)) for bid in benchmark_ids))


def figures_from_frame(rows: pd.DataFrame) -> FiguresTable:
    """The same table for rows of a registry frame (`load_benchmarks` columns, e.g. a filtered selection)."""
    return FiguresTable(tuple(_figure_row(benchmark_from_record(r)) for r in rows.to_dict("records")))
