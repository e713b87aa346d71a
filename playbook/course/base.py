"""Small pieces every course app shares: display in a notebook, show results in an Output, format numbers.

Apps write into `ipywidgets.Output` with `append_display_data`, which works with and without a kernel
(tests build apps in plain pytest), unlike `with out: display(...)`.
"""

from __future__ import annotations

import altair as alt
import ipywidgets as widgets
import pandas as pd
from IPython.display import SVG

from playbook.analytics.undefined import reason
from playbook.viz.charts import to_svg

__all__ = [
    "LABEL_STYLE",
    "WidgetApp",
    "fmt",
    "num",
    "readable_numbers",
    "show",
    "show_chart",
    "table_html",
]

LABEL_STYLE: dict[str, str] = {"description_width": "initial"}
"""Style of a control whose label shows in full, never cut to "Budget (U..."."""


class WidgetApp:
    """Base of the course apps: displays `self.widget` in a notebook (as `course.quiz.QuizApp` does)."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def show(out: widgets.Output, *objects: object) -> None:
    """Replace what `out` displays with `objects`."""
    out.outputs = ()
    for obj in objects:
        out.append_display_data(obj)


def show_chart(out: widgets.Output, chart: alt.TopLevelMixin) -> None:
    """Show one chart in `out` as SVG rendered offline by vl-convert (no network, no JavaScript)."""
    show(out, SVG(to_svg(chart)))


def num(value: float) -> str:
    """Readable number: thousands separators from 100 up, three significant digits below."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def table_html(frame: pd.DataFrame) -> str:
    """An escaped HTML table with readable numbers and 'n/a' for missing values."""
    return frame.to_html(index=False, escape=True, border=0, na_rep="n/a", float_format=num)


def readable_numbers() -> None:
    """Make every table a notebook shows print floats with `num` (thousands separators, no 1.764310e+06)."""
    pd.set_option("display.float_format", num)


def fmt(value: float, spec: str = ",.2f") -> str:
    """`value` formatted with `spec`, or 'n/a (reason)' when it is undefined."""
    return f"n/a ({reason(value)})" if pd.isna(value) else format(value, spec)
