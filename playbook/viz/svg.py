"""Vega-Lite specs to SVG, offline, without importing altair.

`spec_to_svg` renders a spec (altair's `chart.to_dict()`) with vl-convert, which bundles Vega and
Vega-Lite and refuses every external data URL here; the Vega-Lite version comes from the spec's
`$schema`. `stable_svg_ids` renumbers element ids so an SVG does not depend on what the process rendered
before it. Report kernels display charts as Vega-Lite JSON (`CHART_MIMETYPE`) and the report
runner has them rendered (`chart_svg`) by a helper process while the kernel computes the next sections,
so on two cores the rendering costs a report almost no time (on a thread of the runner it would not:
vl-convert holds the GIL for part of each conversion and delays the runner's handling of the kernel).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "CHART_MIMETYPE",
    "SVG_MIMETYPE",
    "chart_svg",
    "render_chart_outputs",
    "spec_to_svg",
    "stable_svg_ids",
    "start_engine",
    "unrendered_charts",
    "vegalite_version",
]

# The Vega-Lite MIME type JupyterLab renders; nbformat stores `+json` data as JSON (altair 6's own
# "application/vnd.vegalite.v6.json" would have to be a string).
CHART_MIMETYPE = "application/vnd.vegalite.v6+json"
SVG_MIMETYPE = "image/svg+xml"
_SCHEMA = re.compile(r"/vega-lite/v(\d+)\.(\d+)(?:\.\d+)?\.json$")
_SVG_ID = re.compile(r'\bid="([^"]+)"')


def vegalite_version(spec: dict[str, Any]) -> str:
    """`"6.4"` from a spec's `$schema` (`https://vega.github.io/schema/vega-lite/v6.4.1.json`)."""
    found = _SCHEMA.search(str(spec.get("$schema", "")))
    if found is None:
        raise ValueError(f"not a Vega-Lite spec: $schema is {spec.get('$schema')!r}")
    return f"{found[1]}.{found[2]}"


def start_engine() -> None:
    """Start vl-convert's JavaScript engine (about 0.4 s, paid by the first conversion otherwise)."""
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{}]}})


def spec_to_svg(spec: dict[str, Any]) -> str:
    """The SVG of a Vega-Lite spec, rendered offline (external data URLs are refused)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(spec, vl_version=vegalite_version(spec), allowed_base_urls=[])


def stable_svg_ids(svg: str) -> str:
    """Element ids renumbered in order of appearance (`svg-id-0`, ...), references included.

    vega numbers ids such as `gradient_3` across every chart a process renders, so without this a report
    would depend on what was rendered before it.
    """
    for n, old in enumerate(dict.fromkeys(_SVG_ID.findall(svg))):
        svg = re.sub(rf'(?<=["#]){re.escape(old)}(?=[")])', f"svg-id-{n}", svg)
    return svg


def chart_svg(spec: dict[str, Any]) -> str:
    """`stable_svg_ids(spec_to_svg(spec))`: what a report shows for a chart (a module-level function, so
    a process pool can run it)."""
    return stable_svg_ids(spec_to_svg(spec))


def unrendered_charts(outputs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The data bundles of the display outputs that hold a Vega-Lite spec and no SVG yet."""
    found = []
    for output in outputs:
        data = output.get("data") or {}
        if isinstance(data.get(CHART_MIMETYPE), dict) and SVG_MIMETYPE not in data:
            found.append(data)
    return found


def render_chart_outputs(outputs: Iterable[dict[str, Any]]) -> int:
    """Add an `image/svg+xml` entry (`chart_svg`) to every display output that holds a Vega-Lite spec and no
    SVG yet; returns how many were rendered."""
    bundles = unrendered_charts(outputs)
    for data in bundles:
        data[SVG_MIMETYPE] = chart_svg(data[CHART_MIMETYPE])
    return len(bundles)
