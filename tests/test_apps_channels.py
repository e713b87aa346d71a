"""Apps of module 11 (Traditional plus digital): channel mix, influencer CPM reference, customer mix.

Worked examples use the hand-written minimal dataset of `tests/conftest.py`; the arithmetic is in comments.
"""

from __future__ import annotations

import pandas as pd
import pytest

from playbook.analytics import channels as chan
from playbook.course.apps import channels as ac
from playbook.data.registry import benchmark

# CP001 (USD) full cost: 2640 + 45 + 8.5 fees/product/shipping + 1500 agency + 3000 amplification
# + 60 h x 55 staff = 10,493.5; its posts have 36,000 + 120,000 = 156,000 impressions.
COST_CP001, IMPRESSIONS_CP001 = 10_493.5, 156_000


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The conftest minimal dataset, loaded once for this module (tests only read it)."""
    from conftest import write_minimal_dataset

    from playbook.data.loading import load

    return load(write_minimal_dataset(tmp_path_factory.mktemp("minimal")))


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    from playbook.data.loading import load
    from playbook.data.synth.generate import SAMPLE_DIR

    return load(SAMPLE_DIR)


# --------------------------------------------------------------------------- channel mix


def test_channel_mix_app_follows_its_controls(sample: dict[str, pd.DataFrame]) -> None:
    app = ac.ChannelMixApp(sample)
    # channels start at their published (or measured) costs; email and PR have none and start unfunded
    first = app.result.set_index("channel")
    search = chan.starting_channel_costs(sample).set_index("channel").loc["search"]
    assert app.cpm["search"].value == pytest.approx(round(4.66 * 0.0642 * 1000, 2))  # CPC x CTR x 1000
    assert first.loc["search", "conversions"] == pytest.approx(
        first.loc["search", "amount"] / search["cpa"], 1e-3
    )
    assert first.loc[["email", "pr"], ["amount", "conversions"]].to_numpy().tolist() == [[0, 0], [0, 0]]
    assert first.loc["total", "conversions"] > 0  # the unfunded channels leave the blend defined
    assert "WordStream by LocaliQ" in app.summary.value
    app.weights["email"].value = 0.0
    app.cpa["search"].value = 10.0
    app.partnership_ads.value = True
    expected = chan.channel_mix(
        float(app.budget.value),
        {c: w.value for c, w in app.weights.items()},
        {c: w.value for c, w in app.cpm.items()},
        {c: w.value for c, w in app.cpa.items()},
        True,
    )
    pd.testing.assert_frame_equal(app.result, expected)
    now = app.result.set_index("channel")
    assert now.loc["email", "amount"] == 0
    assert now.loc["search", "conversions"] == pytest.approx(now.loc["search", "amount"] / 10)
    app.weights["pr"].value = 0.5
    app.cpm["pr"].value = 20.0
    assert benchmark(chan.PARTNERSHIP_CTR_ID).source_name in app.summary.value
    assert len(app.out.outputs) == 1 and "image/svg+xml" in app.out.outputs[0]["data"]
    app.cpa["pr"].value = 0.0  # a free conversion is undefined, and so is the blend
    assert "Blended CPA n/a" in app.summary.value


# --------------------------------------------------------------------------- influencer CPM reference


# --------------------------------------------------------------------------- marketing + sales + service
def test_customer_mix_by_hand(minimal: dict[str, pd.DataFrame]) -> None:
    # OR000001: creator code MIA15, new customer; OR000002: site-wide code only, returning (no credit);
    # OR000003: CP002 link clicked 9 hours before, new customer
    mix = chan.customer_mix(minimal).set_index("route")
    assert mix.loc["creator code", ["new", "returning", "orders"]].tolist() == [1, 0, 1]
    assert mix.loc["tracking link", "new"] == 1
    assert mix.loc["no influencer credit", "returning"] == 1
    assert mix.loc["no influencer credit", "share_new"] == 0.0
    rows = next(iter(ac.customer_mix_chart(mix.reset_index()).to_dict()["datasets"].values()))
    assert len(rows) == 2 * len(chan.ROUTES)
