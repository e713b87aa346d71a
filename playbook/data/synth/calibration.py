"""Generator parameters derived from the benchmarks file, one function per modelling choice.

Every number the data generator uses either comes from `datasets/benchmarks.csv` through these functions
(by benchmark id, so the source and year travel with it) or is a row of grade `model` in that file.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

import numpy as np

from playbook.data.registry import Benchmark, reach_rate_id, tier_bounds
from playbook.data.registry import benchmark as _lookup

__all__ = [
    "CALIBRATION_PRESET",
    "ER_FOLLOWERS_INSTAGRAM",
    "ER_VIEWS_TIKTOK",
    "ER_VIEWS_YOUTUBE",
    "band",
    "benchmark",
    "er_curve",
    "expected_er",
    "follower_distribution",
    "fraud_probability",
    "reach_band",
    "value",
]


CALIBRATION_PRESET = "hootsuite_imh"  # the tier scheme HypeAuditor's 2026 shares and Untapper's bands follow

ER_FOLLOWERS_INSTAGRAM = {
    t: f"er_followers_instagram_{t}_untapper_2026" for t in ("nano", "micro", "mid", "macro", "mega")
}
ER_VIEWS_TIKTOK = {t: f"er_views_tiktok_{t}_untapper_2026" for t in ("nano", "micro", "mid", "macro", "mega")}
ER_VIEWS_YOUTUBE = tuple(
    f"er_views_youtube_modash_{b}"
    for b in ("1k_5k", "5k_10k", "10k_50k", "50k_100k", "100k_500k", "500k_1m", "1m_plus")
)


@cache
def benchmark(benchmark_id: str) -> Benchmark:
    """Cached benchmark lookup: the generator asks for the same ids thousands of times."""
    return _lookup(benchmark_id)


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _tier_range(tier: str) -> tuple[float, float]:
    for name, low, high in tier_bounds(CALIBRATION_PRESET):
        if name == tier:
            return float(low), float(high)
    raise KeyError(tier)


@lru_cache(maxsize=1)
def follower_distribution() -> tuple[float, float, float]:
    """Truncated normal on log10(followers): (mu, sigma, floor) fitted to published tier shares.

    Fits the nano share (HypeAuditor 2026, 81.5%) and the micro share (14.4%) of Instagram creators with at
    least 1,000 followers; the mega share (0.1% published) is left free and serves as a check.
    """
    floor = math.log10(_tier_range("nano")[0])
    nano_hi = math.log10(_tier_range("nano")[1])
    micro_hi = math.log10(_tier_range("micro")[1])
    target_nano = benchmark("tier_share_instagram_nano_hypeauditor_2026").value
    target_micro = benchmark("tier_share_instagram_micro_hypeauditor_2026").value

    def error(mu: float, sigma: float) -> float:
        tail = 1.0 - _phi((floor - mu) / sigma)
        if tail < 1e-12:
            return math.inf
        nano = (_phi((nano_hi - mu) / sigma) - _phi((floor - mu) / sigma)) / tail
        micro = (_phi((micro_hi - mu) / sigma) - _phi((nano_hi - mu) / sigma)) / tail
        return (nano - target_nano) ** 2 + (micro - target_micro) ** 2

    best = (math.inf, 0.0, 1.0)
    step_mu, step_sigma = 0.1, 0.05
    mus, sigmas = np.arange(-3.0, 4.0, step_mu), np.arange(0.2, 2.5, step_sigma)
    for _ in range(3):  # coarse grid, then two finer grids around the best point
        for mu in mus:
            for sigma in sigmas:
                err = error(float(mu), float(sigma))
                if err < best[0]:
                    best = (err, float(mu), float(sigma))
        step_mu, step_sigma = step_mu / 10, step_sigma / 10
        mus = np.arange(best[1] - 10 * step_mu, best[1] + 10 * step_mu, step_mu)
        sigmas = np.arange(max(0.05, best[2] - 10 * step_sigma), best[2] + 10 * step_sigma, step_sigma)
    return best[1], best[2], floor


def _tier_midpoint(tier: str) -> float:
    """Geometric middle of a tier in followers; the open mega tier is taken as 1M-10M."""
    low, high = _tier_range(tier)
    high = high if math.isfinite(high) else low * 10
    return math.sqrt(max(low, 1.0) * high)


def _loglog_fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    x = np.log10([p[0] for p in points])
    y = np.log10([p[1] for p in points])
    slope, intercept = np.polyfit(x, y, 1)
    return float(intercept), float(slope)


@cache
def er_curve(platform: str) -> tuple[float, float]:
    """(intercept, slope) of log10(ER) = intercept + slope * log10(followers), fitted to tier benchmarks.

    Instagram: ER by followers (all interactions), Untapper 2026 bands; TikTok: ER by views, Untapper 2026;
    YouTube: ER by views, Modash buckets. Each band's midpoint sits at the geometric middle of its bucket.
    """
    if platform == "instagram":
        points = [(_tier_midpoint(t), benchmark(i).value) for t, i in ER_FOLLOWERS_INSTAGRAM.items()]
    elif platform == "tiktok":
        points = [(_tier_midpoint(t), benchmark(i).value) for t, i in ER_VIEWS_TIKTOK.items()]
    elif platform == "youtube":
        points = []
        for bid in ER_VIEWS_YOUTUBE:
            b = benchmark(bid)
            low = b.followers_min or 1_000
            high = b.followers_max if b.followers_max and math.isfinite(b.followers_max) else low * 10
            points.append((math.sqrt(low * high), b.value))
    else:
        raise ValueError(f"unknown platform {platform!r}")
    return _loglog_fit(points)


def expected_er(platform: str, followers: np.ndarray) -> np.ndarray:
    """Median engagement rate for accounts of the given size (fraction; basis depends on the platform)."""
    intercept, slope = er_curve(platform)
    return 10 ** (intercept + slope * np.log10(np.maximum(followers, 1)))


def reach_band(platform: str, fmt: str) -> tuple[float, float]:
    """Share of followers a post reaches (Instagram) or watches (video platforms): (low, high) of the entry
    `registry.reach_rate_id` names; TikTok's entry is a floor and YouTube's one value, so the model spreads
    them (our modelling choice)."""
    b = benchmark(reach_rate_id(platform, fmt))
    if platform == "tiktok":
        low = b.low or 1.0
        return low * 0.5, low * 2.0  # "often more than 100%": centred on 100% (geometric), model spread x2
    if platform == "youtube":
        return b.value * 0.5, b.value * 1.5
    return float(b.low), float(b.high)


def fraud_probability(followers: np.ndarray) -> np.ndarray:
    """Probability that an account shows a fraud archetype, rising with size.

    Interpolates on log10(followers) from the overall Instagram prevalence (HypeAuditor 2023, 36.28%) at the
    geometric middle of nano to the >1M prevalence (about 60%) at 1M followers.
    """
    overall = benchmark("fraud_prevalence_instagram_hypeauditor_2023").value
    mega = benchmark("fraud_prevalence_instagram_mega_hypeauditor_2023").value
    x0, x1 = math.log10(_tier_midpoint("nano")), 6.0
    t = np.clip((np.log10(np.maximum(followers, 1)) - x0) / (x1 - x0), 0.0, 1.0)
    return overall + t * (mega - overall)


def value(benchmark_id: str) -> float:
    """Shortcut for a benchmark's central value."""
    return float(benchmark(benchmark_id).value)


def band(benchmark_id: str) -> tuple[float, float]:
    """(low, high) of a benchmark; a one-sided figure returns its value on the missing side."""
    b = benchmark(benchmark_id)
    low = b.low if b.low is not None else b.value
    high = b.high if b.high is not None else b.value
    return float(low), float(high)
