"""analytics.delivery: deliverable spans, on-time rates per stage, cycle times, payment punctuality.

Worked examples with the arithmetic next to each expected value (moved with the functions out of the
widget modules).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from playbook.analytics.delivery import (
    payment_punctuality,
    payment_terms_table,
)
from playbook.data.loading import load
from playbook.data.registry import benchmark


@pytest.fixture(scope="module")
def minimal_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The conftest minimal dataset, loaded once per module (tests copy before changing a table)."""
    from conftest import write_minimal_dataset

    return load(write_minimal_dataset(tmp_path_factory.mktemp("minimal")))


def test_payment_punctuality_on_both_bases(minimal_tables: dict) -> None:
    # as of the data's last event (2024-04-05): DL0001 invoiced 03-08 on Net-30 -> due 04-07, paid 04-05 on
    # time; DL0003 invoiced 04-04 on Net-45 -> due 05-19, not due yet; DL0002 not invoiced.
    now = payment_punctuality(minimal_tables).set_index("basis")
    assert now.loc["invoices", ["due", "late"]].tolist() == [1, 0]
    assert now.loc["creators", "share_late"] == 0.0
    # as of 2024-06-01 DL0003 is overdue: 1 of 2 invoices late, 1 of 2 creators (CR00003) paid late
    later = payment_punctuality(minimal_tables, as_of="2024-06-01").set_index("basis")
    assert later.loc["invoices", ["due", "late", "share_late"]].tolist() == [2, 1, 0.5]
    assert later.loc["creators", "share_late"] == 0.5
    assert later.loc["creators", "published_share"] == benchmark("late_payment_share_tipalti").value
    assert math.isnan(later.loc["invoices", "published_share"])


def test_payment_punctuality_without_invoices_is_undefined(minimal_tables: dict) -> None:
    d = minimal_tables["deliverables"].assign(invoiced_date=pd.NaT, paid_date=pd.NaT)
    out = payment_punctuality({**minimal_tables, "deliverables": d}).set_index("basis")
    assert out["due"].tolist() == [0, 0]
    assert out["share_late"].isna().all()
    assert out["reason"].str.contains("denominator is 0").all()


def test_payment_terms_table_worked_example(minimal_tables: dict) -> None:
    t = payment_terms_table(minimal_tables, as_of="2024-06-01").set_index("payment_terms_days")
    # Net-30: DL0001 paid 28 days after its invoice, on time; Net-45: DL0003 unpaid and overdue (late)
    assert t.loc[30, ["invoices_due", "late", "share_late", "median_days_to_pay"]].tolist() == [1, 0, 0.0, 28]
    assert t.loc[45, ["invoices_due", "late", "share_late"]].tolist() == [1, 1, 1.0]
    assert math.isnan(t.loc[45, "median_days_to_pay"])
    # had every contract been on Net-N: the one paid invoice (28 days) is late on neither term
    assert t["late_if_all_on_term"].tolist() == [0.0, 0.0]
    assert t["reason"].isna().all()
