"""Influencer Team Playbook: a runnable course and analytics toolkit for influencer marketing teams.

The public API, for a notebook or an analyst's script. Every name is imported on first use, so
``import playbook`` costs nothing until you call something::

    import playbook

    tables = playbook.load(playbook.SAMPLE_DIR)           # every table, validated against the contracts
    kpis = playbook.campaign_kpis(tables)                 # every KPI of every campaign (undefined: reason)
    result = playbook.render_report("CP000007", out_dir="reports")   # the offline HTML review

The layers behind it (import from them directly for anything else):
``playbook.data`` (contracts, loading, registry, io), ``playbook.analytics`` (formulas and rules),
``playbook.viz`` (charts), ``playbook.course`` (widget apps), ``playbook.reports`` (campaign reports).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "SAMPLE_DIR",
    "DataValidationError",
    "benchmark",
    "campaign_figures",
    "campaign_kpis",
    "load",
    "load_benchmarks",
    "render_report",
    "render_reports",
]

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "SAMPLE_DIR": "playbook.data.layout",
    "DataValidationError": "playbook.data.problems",
    "load": "playbook.data.loading",
    "benchmark": "playbook.data.registry",
    "load_benchmarks": "playbook.data.registry",
    "campaign_kpis": "playbook.analytics.kpis",
    "campaign_figures": "playbook.analytics.summary",
    "render_report": "playbook.reports.render",
    "render_reports": "playbook.reports.render",
}

if TYPE_CHECKING:
    from playbook.analytics.kpis import campaign_kpis
    from playbook.analytics.summary import campaign_figures
    from playbook.data.layout import SAMPLE_DIR
    from playbook.data.loading import load
    from playbook.data.problems import DataValidationError
    from playbook.data.registry import benchmark, load_benchmarks
    from playbook.reports.render import render_report, render_reports


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562) and keep it, so later lookups are plain attributes."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'playbook' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
