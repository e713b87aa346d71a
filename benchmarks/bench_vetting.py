"""Detection quality of the audience-quality score against the generator's ground truth, vs naive baselines.

Usage: python benchmarks/bench_vetting.py [--creators 3000] [--seed 11] [--out DIR]

1. Tuning set: the committed seed-2026 sample. The default `suspected` cut-off (`SUSPECTED_BELOW`) is the
   F1-maximising integer threshold there; this script recomputes it and says whether it still matches.
2. Evaluation set: a fresh dataset of `--creators` creators generated with `--seed` (default 11) into a
   temporary directory. Nothing is tuned on it: the default threshold and weights are applied as they are.

For both sets it prints precision, recall, F1 and per-archetype recall of the score and of two naive
baselines, and the F1 ratio ours / baseline:
  - credibility: flag if followers credibility < the Modash line
    (`followers_credibility_fraud_threshold_modash`);
  - low ER: flag if the account's median ER is below the low end of its tier band (same bands as the score).
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import pandas as pd

from playbook.analytics import vetting
from playbook.data.loading import load
from playbook.data.registry import benchmark
from playbook.data.synth.generate import DEFAULT_SEED, SAMPLE_DIR, generate

ARCHETYPES = ("bought_followers", "bought_likes", "engagement_pod", "mass_follow")


def as_scores(account_ids: pd.Series, flagged: pd.Series) -> pd.DataFrame:
    """A baseline's flags in the shape `vetting.evaluate` reads (score 0 when flagged, else 100)."""
    flagged = flagged.fillna(False).astype(bool).to_numpy()
    return pd.DataFrame(
        {
            "account_id": account_ids.to_numpy(),
            "score": [0.0 if f else 100.0 for f in flagged],
            "suspected": flagged,
        }
    )


def baselines(tables: dict[str, pd.DataFrame], scores: pd.DataFrame) -> dict[str, pd.DataFrame]:
    line = benchmark("followers_credibility_fraud_threshold_modash").value
    credibility = scores["credibility_signal"] < line
    low = scores["er_benchmark_id"].map(lambda bid: benchmark(bid).low if isinstance(bid, str) else math.nan)
    low_er = scores["er"] < low
    return {
        f"credibility < {line:g}": as_scores(scores["account_id"], credibility),
        "ER below band low": as_scores(scores["account_id"], low_er),
    }


def fmt(x: object) -> str:
    return "  n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:5.3f}"


def report(name: str, tables: dict[str, pd.DataFrame], scores: pd.DataFrame) -> None:
    labels = tables["fraud_labels"]
    rows = {"audience_quality (ours)": vetting.evaluate(scores, labels)}
    rows |= {k: vetting.evaluate(v, labels) for k, v in baselines(tables, scores).items()}
    ours = rows["audience_quality (ours)"]
    print(f"\n== {name}: {ours['n']} accounts, base rate {ours['base_rate']:.3f} ==")
    head = f"{'method':<26} {'prec':>5} {'recall':>6} {'F1':>5} {'F1 ours/this':>12}  " + " ".join(
        f"{a[:14]:>14}" for a in ARCHETYPES
    )
    print(head)
    for method, r in rows.items():
        ratio = ours["f1"] / r["f1"] if r["f1"] and not math.isnan(r["f1"]) else math.nan
        per = " ".join(f"{fmt(r['recall_by_archetype'].get(a)):>14}" for a in ARCHETYPES)
        print(
            f"{method:<26} {fmt(r['precision'])} {fmt(r['recall']):>6} {fmt(r['f1'])} {ratio:>12.2f}  {per}"
        )
    print(f"confusion (ours): TP {ours['tp']}  FP {ours['fp']}  FN {ours['fn']}  TN {ours['tn']}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--creators", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=None, help="keep the generated dataset here")
    args = parser.parse_args()

    sample = load(SAMPLE_DIR)
    sample_scores = vetting.audience_quality(sample)
    curve = vetting.precision_recall_curve(sample_scores, sample["fraud_labels"])
    best = curve.loc[curve["f1"].idxmax()]
    print(
        f"tuning set: seed {DEFAULT_SEED} sample; "
        f"F1-maximising threshold {best['threshold']:.0f} (F1 {best['f1']:.3f})"
    )
    print(
        f"default SUSPECTED_BELOW = {vetting.SUSPECTED_BELOW:.0f}"
        + ("" if best["threshold"] == vetting.SUSPECTED_BELOW else "  <-- differs: revisit the default")
    )
    report(f"seed {DEFAULT_SEED} sample (tuning set)", sample, sample_scores)

    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        start = time.perf_counter()
        generate(out=out, seed=args.seed, scale=args.creators)
        generated = time.perf_counter() - start
        tables = load(out)
        start = time.perf_counter()
        scores = vetting.audience_quality(tables)
        scored = time.perf_counter() - start
    print(
        f"\nevaluation set: seed {args.seed}, {args.creators} creators (generated in {generated:.1f} s); "
        f"scored {len(scores)} accounts in {scored:.2f} s; "
        f"threshold {vetting.SUSPECTED_BELOW:.0f}, not tuned here"
    )
    report(f"seed {args.seed} ({args.creators} creators, evaluation set)", tables, scores)


if __name__ == "__main__":
    main()
