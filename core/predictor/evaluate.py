"""The category model's evaluation JSON (SPEC keys) plus per-category lift, confusion matrix and calibration."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    log_loss,
    precision_recall_fscore_support,
)

from core.predictor.baselines import BASELINES

CALIBRATION_BINS = 10


def evaluation(
    y_true: np.ndarray,
    proba: np.ndarray,
    classes: list[str],
    baseline_preds: dict[str, np.ndarray],
    n_train: int,
) -> dict:
    """Every figure the page, the CLI and the campaign read, as plain JSON types."""
    labels = np.arange(len(classes))
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[c] for c in y_true], dtype=int)
    pred = proba.argmax(axis=1)
    prec, rec, f1, support = precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
    top3 = np.argsort(-proba, axis=1)[:, :3]
    out: dict = {
        "accuracy": float(accuracy_score(y, pred)),
        "balanced_accuracy": _balanced(y, pred),
        "macro_f1": float(f1_score(y, pred, labels=labels, average="macro", zero_division=0)),
        "weighted_f1": float(f1_score(y, pred, labels=labels, average="weighted", zero_division=0)),
        "top3_accuracy": float((top3 == y[:, None]).any(axis=1).mean()),
        "log_loss": float(log_loss(y, np.clip(proba, 1e-15, 1), labels=labels)),
        "n_train": int(n_train),
        "n_test": int(len(y)),
        "per_category": {
            c: {
                "precision": float(prec[i]),
                "recall": float(rec[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, c in enumerate(classes)
        },
        "baselines": {},
    }
    lift: dict[str, dict[str, float]] = {c: {} for c in classes}
    for name in BASELINES:
        b = np.array([index[c] for c in baseline_preds[name]], dtype=int)
        out["baselines"][name] = {
            "accuracy": float(accuracy_score(y, b)),
            "macro_f1": float(f1_score(y, b, labels=labels, average="macro", zero_division=0)),
        }
        b_f1 = precision_recall_fscore_support(y, b, labels=labels, zero_division=0)[2]
        for i, c in enumerate(classes):
            lift[c][name] = float(f1[i] - b_f1[i])
    out["per_category_lift"] = lift
    out["confusion_matrix"] = {
        "labels": list(classes),
        "matrix": confusion_matrix(y, pred, labels=labels).tolist(),
    }
    out["calibration"] = _calibration(y, proba)
    return out


def _balanced(y: np.ndarray, pred: np.ndarray) -> float:
    # sklearn's balanced accuracy averages recall over the classes present in y_true
    return float(balanced_accuracy_score(y, pred)) if len(y) else 0.0


def _calibration(y: np.ndarray, proba: np.ndarray) -> dict:
    """Reliability of the top-1 confidence, multiclass Brier score and expected calibration error."""
    conf = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    which = np.clip(np.digitize(conf, edges[1:-1]), 0, CALIBRATION_BINS - 1)
    bins, ece = [], 0.0
    for b in range(CALIBRATION_BINS):
        mask = which == b
        if not mask.any():
            continue
        mean_conf, acc = float(conf[mask].mean()), float(correct[mask].mean())
        ece += mask.mean() * abs(mean_conf - acc)
        bins.append(
            {
                "lower": float(edges[b]),
                "upper": float(edges[b + 1]),
                "mean_confidence": mean_conf,
                "accuracy": acc,
                "count": int(mask.sum()),
            }
        )
    onehot = np.zeros_like(proba)
    onehot[np.arange(len(y)), y] = 1.0
    return {
        "bins": bins,
        "brier": float(((proba - onehot) ** 2).sum(axis=1).mean()),
        "expected_calibration_error": float(ece),
    }
