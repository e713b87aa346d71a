"""The Undefined convention: NaN with a reason, never inf or a silent 0."""

from __future__ import annotations

import math

import pandas as pd

from playbook.analytics.undefined import Undefined, ratio, reason, reasons


def test_scalar_ratio_and_reasons() -> None:
    assert ratio(500.0, 100_000.0, "CPM") == 0.005
    zero = ratio(10.0, 0.0, "CPM")
    assert math.isnan(zero) and reason(zero) == "CPM: denominator is 0"
    missing = ratio(None, 3.0, "CPE")
    assert isinstance(missing, Undefined) and reason(missing) == "CPE: missing data"
    assert reason(2.0) is None
    assert reason(float("nan")) == "undefined (no reason recorded)"


def test_series_ratio_reasons_align_and_concat() -> None:
    out = ratio(
        pd.Series([1.0, 2.0, None], index=list("abc")), pd.Series([2.0, 0.0, 1.0], index=list("abc")), "ER"
    )
    assert out["a"] == 0.5 and math.isnan(out["b"]) and math.isnan(out["c"])
    assert list(reasons(out)) == [None, "ER: denominator is 0", "ER: missing data"]
    assert not any(math.isinf(v) for v in out.dropna())
    both = pd.concat([out, out])  # attrs must not break pandas operations
    assert len(both) == 6
    plain = pd.Series([1.0, float("nan")])
    assert list(reasons(plain)) == [None, "undefined (no reason recorded)"]
