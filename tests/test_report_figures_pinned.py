"""The sample reports' figures are pinned: the metrics JSON of every sample campaign, as written before the
package moved into layer subpackages (`tests/fixtures/sample_report_metrics/`, rendered from commit 52ea31a),
must come back the same after any refactor. A figure whose definition changes on purpose updates its fixture
in the same commit, with the reason in the message.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from playbook.data.layout import SAMPLE_DIR
from playbook.reports.render import render_reports

FIXTURES = Path(__file__).parent / "fixtures" / "sample_report_metrics"
VOLATILE = {"generated_at", "data_dir", "report"}  # when and where it ran, not what it found


def _close(a: object, b: object, path: str) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}: only before" for k in a.keys() - b.keys()]
        out += [f"{path}.{k}: only after" for k in b.keys() - a.keys()]
        for k in a.keys() & b.keys():
            out += _close(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items before, {len(b)} after"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _close(x, y, f"{path}[{i}]")]
    if isinstance(a, float) and isinstance(b, float | int):
        if math.isnan(a) and math.isnan(float(b)):
            return []
        same = math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        return [] if same else [f"{path}: {a!r} before, {b!r} after"]
    return [] if a == b else [f"{path}: {a!r} before, {b!r} after"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    ids = sorted(p.name.split(".")[0] for p in FIXTURES.glob("*.metrics.json"))
    results = render_reports(ids, SAMPLE_DIR, out, jobs=2)
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    return out


@pytest.mark.parametrize(
    "fixture", sorted(FIXTURES.glob("*.metrics.json")), ids=lambda p: p.name.split(".")[0]
)
def test_sample_report_figures_match_the_pinned_metrics(rendered: Path, fixture: Path) -> None:
    before = {k: v for k, v in json.loads(fixture.read_text()).items() if k not in VOLATILE}
    after = {k: v for k, v in json.loads((rendered / fixture.name).read_text()).items() if k not in VOLATILE}
    assert len(before["figures"]) > 10  # the fixture is a real report's metrics, not an empty file
    assert _close(before, after, fixture.name.split(".")[0]) == []
