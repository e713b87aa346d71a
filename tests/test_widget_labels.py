"""Widget labels are shown in full: every course widget with a description sets a description width
(ipywidgets cuts labels at about 80 px otherwise, e.g. "Budget (U...")."""

from __future__ import annotations

import ast
from pathlib import Path

import playbook.course

LABELLED = {
    "Dropdown",
    "IntSlider",
    "FloatSlider",
    "BoundedFloatText",
    "BoundedIntText",
    "Checkbox",
    "SelectMultiple",
    "Text",
    "Textarea",
    "IntText",
    "FloatText",
    "ToggleButtons",
    "RadioButtons",
    "DatePicker",
    "SelectionSlider",
    "FloatLogSlider",
    "IntRangeSlider",
    "FloatRangeSlider",
    "Select",
    "Combobox",
}


def test_every_described_widget_sets_its_description_width() -> None:
    offenders = []
    for path in Path(playbook.course.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            keywords = {k.arg for k in node.keywords}
            if name in LABELLED and "description" in keywords and not keywords & {"style", None}:
                offenders.append(f"{path.name}:{node.lineno} {name}")
    assert not offenders, f"widgets whose label can be cut: {offenders}"
