"""The vetting quality gate: precision, recall and F1 of the `suspected` call against the ground-truth fraud
labels, per archetype and over a grid of cut-offs. Measure it on a seed the weights were not tuned on
(`benchmarks/bench_vetting.py`, `tests/test_vetting.py`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from playbook.analytics.undefined import ratio

__all__ = ["evaluate", "precision_recall_curve"]


def _truth(scores: pd.DataFrame, fraud_labels: pd.DataFrame) -> pd.DataFrame:
    labels = fraud_labels.set_index("account_id")["archetype"]
    frame = scores[["account_id", "score", "suspected"]].copy()
    frame["archetype"] = frame["account_id"].map(labels)
    if frame["archetype"].isna().any():
        raise ValueError("some scored accounts have no fraud label")
    frame["fraud"] = frame["archetype"] != "none"
    return frame


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = ratio(float(tp), float(tp + fp), "precision")
    recall = ratio(float(tp), float(tp + fn), "recall")
    f1 = ratio(2.0 * tp, float(2 * tp + fp + fn), "F1")
    return precision, recall, f1


def evaluate(
    scores: pd.DataFrame, fraud_labels: pd.DataFrame, threshold: float | None = None
) -> dict[str, object]:
    """Precision, recall, F1 of "suspected" (score < threshold; the `suspected` column when None) against
    ground-truth archetypes (fraud = archetype != "none"), with per-archetype recall and the confusion
    counts. F1 = 2 TP / (2 TP + FP + FN). Undefined ratios are NaN with a reason."""
    frame = _truth(scores, fraud_labels)
    flagged = frame["suspected"] if threshold is None else frame["score"] < threshold
    tp = int((flagged & frame["fraud"]).sum())
    fp = int((flagged & ~frame["fraud"]).sum())
    fn = int((~flagged & frame["fraud"]).sum())
    tn = int((~flagged & ~frame["fraud"]).sum())
    precision, recall, f1 = _prf(tp, fp, fn)
    per_archetype = {
        str(a): ratio(
            float(flagged[frame["archetype"] == a].sum()), float((frame["archetype"] == a).sum()), a
        )
        for a in sorted(frame.loc[frame["fraud"], "archetype"].unique())
    }
    return {
        "threshold": threshold,
        "n": len(frame),
        "base_rate": ratio(float(frame["fraud"].sum()), float(len(frame)), "base rate"),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "recall_by_archetype": per_archetype,
    }


def precision_recall_curve(
    scores: pd.DataFrame, labels: pd.DataFrame, thresholds: Sequence[float] | None = None
) -> pd.DataFrame:
    """Precision, recall and F1 of "score < threshold" for each threshold (default 0, 1, ..., 100)."""
    frame = _truth(scores, labels)
    grid = np.arange(0.0, 101.0) if thresholds is None else np.asarray(thresholds, dtype="float64")
    flagged = frame["score"].to_numpy()[None, :] < grid[:, None]
    fraud = frame["fraud"].to_numpy()[None, :]
    tp, fp, fn = (flagged & fraud).sum(1), (flagged & ~fraud).sum(1), (~flagged & fraud).sum(1)
    curve = pd.DataFrame({"threshold": grid, "flagged": flagged.sum(1), "tp": tp, "fp": fp, "fn": fn})
    curve["precision"] = ratio(
        curve["tp"].astype(float), (curve["tp"] + curve["fp"]).astype(float), "precision"
    )
    curve["recall"] = ratio(curve["tp"].astype(float), (curve["tp"] + curve["fn"]).astype(float), "recall")
    curve["f1"] = ratio(2.0 * curve["tp"], (2 * curve["tp"] + curve["fp"] + curve["fn"]).astype(float), "F1")
    return curve
