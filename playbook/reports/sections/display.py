"""Display helpers the sections share: a frame's display copy, muted notes, headline cards, and the
recorded headline figures (the notebook's last cell)."""

from __future__ import annotations

import math

import pandas as pd

from playbook.reports.context import ReportContext
from playbook.reports.figures.headline import headline
from playbook.reports.figures.tables import Missing
from playbook.reports.html import METRICS_MIMETYPE, Html, esc, fmt

__all__ = ["card", "missing_note", "note", "record_metrics", "shown_frame", "undefined_notes"]


def shown_frame(frame: pd.DataFrame, columns: list[tuple[str, str, str]], currency: str = "") -> pd.DataFrame:
    """A display copy of `frame`: [(header, column, kind)]; kind: a `fmt` kind, "handle" or "text".

    Amounts (money, price) carry the currency once, in their header, not in every cell."""

    def cell(value: object, kind: str) -> str:
        if kind == "text":
            return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        return f"@{value}" if kind == "handle" else fmt(value, kind)  # type: ignore[arg-type]

    def header(h: str, kind: str) -> str:
        return f"{h} ({currency})" if currency and kind in ("money", "price") else h

    return pd.DataFrame({header(h, kind): [cell(v, kind) for v in frame[c]] for h, c, kind in columns})


def note(text: str) -> Html:
    """A muted paragraph (escaped here)."""
    return Html(f'<p class="muted">{esc(text)}</p>')


def undefined_notes(frame: pd.DataFrame, columns: dict[str, str]) -> list[Html]:
    """One muted line listing why values are undefined: "ER by views of @x: views is 0 (...)"."""
    notes = [
        f"{name} of @{who}: {why}"
        for column, name in columns.items()
        for who, why in frame.loc[frame[column].isna(), ["handle", f"{column}_reason"]].itertuples(
            index=False
        )
        if isinstance(why, str)
    ]
    return [note("Not measurable: " + "; ".join(notes) + ".")] if notes else []


def card(label: str, value: str, detail: str = "") -> str:
    """One headline card (escaped here)."""
    more = f'<div class="detail">{esc(detail)}</div>' if detail else ""
    head = f'<div class="label">{esc(label)}</div><div class="value">{esc(value)}</div>'
    return f'<div class="card">{head}{more}</div>'


def missing_note(found: Missing) -> list[object]:
    """The one line a section shows instead of itself when the data cannot support it."""
    return [note(found.sentence())]


def record_metrics(ctx: ReportContext) -> None:
    """Emit the headline figures as a JSON output the runner reads (frontends show a one-line note)."""
    from IPython.display import display

    figures = headline(ctx)
    note = f"headline figures of {ctx.campaign_id!r} recorded for playbook report"
    display({METRICS_MIMETYPE: figures, "text/plain": note}, raw=True)
