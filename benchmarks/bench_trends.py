"""Rising-trend detection against planted trends: the robust detector beside a naive rule, in one run.

Usage: python benchmarks/bench_trends.py [--seeds 1 2 3]

Datasets: the committed sample's topic_daily, plus topic_daily regenerated for each seed with
`playbook.data.synth.ops.generate_topics(seed, WINDOW)` (6 planted logistic rises and 2 one-day decoy spikes,
#giveaway and #blackfriday, among 48 series of 120 days). Methods, both with their defaults:
  robust  `detect_rising`: robust z of log1p(posts) > 3 on 4 days in a row and a positive Theil-Sen slope;
  naive   `detect_rising_naive`: 7-day mean above 2 x the mean of the 28 days before.
Prints, per dataset and pooled: detection rate, median delay after onset, median lead time before the
trend goes mainstream (first day at half of its final 7-day mean), false positives, and robust / naive
ratios. Ground truth (trend_labels) is read only to score.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import pandas as pd

from playbook.analytics.trends import detect_rising, detect_rising_naive, lead_time
from playbook.data.loading import load
from playbook.data.synth.generate import SAMPLE_DIR, WINDOW
from playbook.data.synth.ops import generate_topics

METHODS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "robust": detect_rising,
    "naive": detect_rising_naive,
}


def _datasets(seeds: list[int]) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    sample = load(SAMPLE_DIR)
    out = {"sample": (sample["topic_daily"], sample["trend_labels"])}
    out |= {f"seed {s}": generate_topics(s, WINDOW) for s in seeds}
    return out


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _summary_row(dataset: str, method: str, table: pd.DataFrame, ms: float) -> dict:
    """One printed row from a `lead_time` table; delay and lead are medians over detected trends."""
    hits = table[table["outcome"] == "detected"]
    planted = int(table["outcome"].isin(["detected", "missed"]).sum())
    return {
        "dataset": dataset,
        "method": method,
        "detected": f"{len(hits)}/{planted}",
        "rate": len(hits) / planted if planted else float("nan"),
        "delay_d": _median(hits["delay_days"].dropna().tolist()),
        "lead_d": _median(hits["lead_days"].dropna().tolist()),
        "false_pos": int((table["outcome"] == "false_positive").sum()),
        "ms": round(ms, 1),
    }


def _ratio_line(label: str, robust: float, naive: float, unit: str = "") -> str:
    return f"  {label:<17}{robust:.2f} / {naive:.2f}{unit} = {robust / naive:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    rows = []
    scored: dict[str, list[pd.DataFrame]] = {m: [] for m in METHODS}
    timings: dict[str, list[float]] = {m: [] for m in METHODS}
    for name, (topic_daily, labels) in _datasets(args.seeds).items():
        for method, detect in METHODS.items():
            start = time.perf_counter()
            found = detect(topic_daily)
            ms = (time.perf_counter() - start) * 1000
            table = lead_time(found, labels, topic_daily)
            scored[method].append(table)
            timings[method].append(ms)
            rows.append(_summary_row(name, method, table, ms))
    pooled = {
        m: _summary_row("pooled", m, pd.concat(scored[m]), statistics.mean(timings[m])) for m in METHODS
    }
    shown = pd.DataFrame([*rows, *pooled.values()])
    print(shown.to_string(index=False, float_format="{:.2f}".format))
    robust, naive = pooled["robust"], pooled["naive"]
    print("\nrobust / naive (pooled; delay and lead are medians over detected trends):")
    print(_ratio_line("detection rate", robust["rate"], naive["rate"]))
    print(_ratio_line("median delay", robust["delay_d"], naive["delay_d"], " days"))
    print(_ratio_line("median lead time", robust["lead_d"], naive["lead_d"], " days"))
    print(f"  {'false positives':<17}{robust['false_pos']} / {naive['false_pos']}")


if __name__ == "__main__":
    main()
