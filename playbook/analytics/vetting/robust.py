"""Robust statistics the vetting components share: the modified z-score, peer groups and risk ramps.

Outliers use the robust (modified) z-score of Iglewicz & Hoaglin, as given in the NIST handbook
(https://www.itl.nist.gov/div898/handbook/eda/section3/eda35h.htm):

    z = 0.6745 * (x - median) / MAD
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd

from playbook.data.registry import SUB_NANO, assign_tier

__all__ = ["peer_groups", "peer_z", "ramp", "robust_z"]

_Z_SCALE = NormalDist().inv_cdf(0.75)  # 0.6745: 0.6745 / MAD estimates 1 / sd for normal data
_MEAN_AD_SCALE = math.sqrt(math.pi / 2)  # 1.2533: 1.2533 * mean |x - median| estimates sd for normal data


def ramp(x: pd.Series, start: float, full: float) -> pd.Series:
    """0 at or below `start`, 1 at or above `full`, linear between; NaN stays NaN."""
    return ((x - start) / (full - start)).clip(0.0, 1.0)


def _robust_z_by(values: pd.Series, keys: pd.Series | np.ndarray) -> pd.Series:
    median = values.groupby(keys).transform("median")
    dev = (values - median).abs()
    mad = dev.groupby(keys).transform("median")
    mean_ad = dev.groupby(keys).transform("mean")
    scale = (mad / _Z_SCALE).where(mad > 0, mean_ad * _MEAN_AD_SCALE)
    z = (values - median) / scale.where(scale > 0)
    return z.where(scale > 0, 0.0).where(values.notna())


def robust_z(values: pd.Series, groups: pd.Series | np.ndarray | None = None) -> pd.Series:
    """Modified z-score 0.6745 * (x - median) / MAD, within each group if `groups` is given.

    Source: Iglewicz & Hoaglin (1993) via NIST 1.3.5.17. When MAD is 0 (over half the values equal the
    median) the scale falls back to 1.2533 * mean |x - median|; when that is 0 too every value equals the
    median and z is 0. NaN values stay NaN and are ignored when computing medians.
    """
    keys = np.zeros(len(values), dtype=np.int64) if groups is None else groups
    return _robust_z_by(values.astype("float64"), keys)


def peer_groups(accounts: pd.DataFrame, preset: str) -> pd.DataFrame:
    """platform and tier (sub-nano counted as nano) per account, indexed by account_id."""
    tier = assign_tier(accounts["followers"], preset).astype(str).replace(SUB_NANO, "nano")
    return pd.DataFrame(
        {"platform": accounts["platform"].to_numpy(), "tier": tier.to_numpy()},
        index=pd.Index(accounts["account_id"], name="account_id"),
    )


def peer_z(values: pd.Series, peers: pd.DataFrame, min_peers: int) -> tuple[pd.Series, pd.Series]:
    """Robust z of `values` among platform x tier peers, or among the platform when that group is small.

    Returns (z, peer group label); z is NaN where even the platform has fewer than `min_peers` values.
    """
    frame = peers.assign(value=values.reindex(peers.index))
    known = frame["value"].notna()
    cell = frame["platform"] + "/" + frame["tier"]
    cell_n = known.groupby(cell).transform("sum")
    platform_n = known.groupby(frame["platform"]).transform("sum")
    group = cell.where(cell_n >= min_peers, frame["platform"]).where(platform_n >= min_peers)
    z = _robust_z_by(frame["value"], group.fillna("(too few peers)"))
    return z.where(group.notna()), group
