"""Capstone steps 3 and 4: the plan against the closest sample campaign, and the report's headlines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from playbook.course.base import fmt as _fmt
from playbook.viz import charts

Tables = Mapping[str, pd.DataFrame]

__all__ = ["comparison_chart", "report_headlines"]


def comparison_chart(comparison: pd.DataFrame) -> alt.LayerChart:
    """`charts.kpi_vs_target`: each actual cost per result as a share of the plan's typical value (lower is
    better; the currencies are in the title when they differ)."""
    frame = comparison.rename(columns={"plan_typical": "target"})[["kpi", "actual", "target"]]
    frame = frame.assign(higher_is_better=False)
    plan_cur, actual_cur = comparison.attrs.get("plan_currency"), comparison.attrs.get("actual_currency")
    note = "" if plan_cur == actual_cur else f" (plan in {plan_cur}, campaign in {actual_cur})"
    return charts.kpi_vs_target(frame, title=f"Actual cost per result vs the plan's typical{note}")


# --------------------------------------------------------------------------- 4. the report
def _headline(value: object) -> str:
    """A headline figure as text: thousands separators from 1 up, four significant digits below."""
    if isinstance(value, float):
        return _fmt(value, ",.2f" if abs(value) >= 1 or value == 0 else ".4g")
    return str(value)


def report_headlines(result: Any) -> pd.DataFrame:
    """Headline figures of a `report.ReportResult` as figure / value rows (the metrics JSON's `figures`
    and its verdict); a failed report gives one row with the error."""
    if not result.ok:
        return pd.DataFrame([{"figure": "error", "value": str(result.error)}])
    figures = dict(result.metrics.get("figures") or {})
    verdict = result.metrics.get("verdict") or {}
    rows = [{"figure": k, "value": _headline(v)} for k, v in figures.items()]
    rows.append({"figure": "verdict", "value": f"{verdict.get('label', '')}: {verdict.get('text', '')}"})
    rows.append({"figure": "report file", "value": str(result.html_path)})
    return pd.DataFrame(rows).astype({"value": str})
