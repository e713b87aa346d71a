"""Module 06 app: the contract-clause checklist (`negotiation.clause_review`: what each missing clause
leaves open)."""

from __future__ import annotations

import ipywidgets as widgets

from playbook.analytics.negotiation import CONTRACT_CLAUSES, clause_review
from playbook.course.base import LABEL_STYLE, WidgetApp, table_html

__all__ = ["ClauseChecklistApp"]


class ClauseChecklistApp(WidgetApp):
    """Tick the clauses a draft contract has; see what each missing one leaves open (`clause_review`)."""

    def __init__(self, included: tuple[str, ...] = ("deliverables and dates", "payment terms and invoicing")):
        self.boxes = {
            name: widgets.Checkbox(value=name in included, description=name, indent=False, style=LABEL_STYLE)
            for name, _, _ in CONTRACT_CLAUSES
        }
        self.summary = widgets.HTML()
        for box in self.boxes.values():
            box.observe(lambda _: self.update(), names="value")
        self.widget = widgets.VBox(
            [
                widgets.GridBox(
                    list(self.boxes.values()), layout={"grid_template_columns": "repeat(3, 1fr)"}
                ),
                self.summary,
            ]
        )
        self.update()

    def update(self) -> None:
        """Recompute the review: missing clauses first, with the risk each leaves open."""
        self.result = clause_review([n for n, b in self.boxes.items() if b.value])
        missing = self.result[~self.result["included"]]
        self.summary.value = (
            f"<p><b>{len(missing)} of {len(self.result)} clauses missing.</b></p>"
            + table_html(missing[["clause", "settles", "risk_if_missing"]])
        )
