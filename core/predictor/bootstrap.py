"""Bootstrap intervals over customers (fixed seed): every "better than" the page states carries one.

Examples of one customer at several cutoffs are not independent, so customers (not rows) are
resampled: each draw gives every row its customer's draw count as a weight. A difference "beats" only
when its whole 95% interval is above 0, is "worse" only when it is below, and is "level" otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LEVEL, BEATS, WORSE = "level", "beats", "worse"


def customer_weights(users: np.ndarray, n_boot: int, seed: int) -> np.ndarray:
    """(n_boot, rows) weights: how often each row's customer was drawn in each resample."""
    codes, uniques = pd.factorize(pd.Series(users).astype(str))
    n = len(uniques)
    rng = np.random.default_rng(seed)
    if n == 0:
        return np.zeros((n_boot, 0), dtype=np.float32)
    draws = rng.integers(0, n, size=(n_boot, n))
    counts = np.stack([np.bincount(d, minlength=n) for d in draws]).astype(np.float32)
    return counts[:, codes]


def interval(values: np.ndarray) -> list[float]:
    """The 95% percentile interval, rounded for JSON."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return [0.0, 0.0]
    lo, hi = np.percentile(values, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def word(ci: list[float]) -> str:
    """beats | level | worse: the one rule for every interval the product shows."""
    if ci[0] > 0:
        return BEATS
    if ci[1] < 0:
        return WORSE
    return LEVEL


def accuracy_diffs(y: np.ndarray, model: np.ndarray, base: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per resample: model accuracy - baseline accuracy (labels as integer codes)."""
    diff = (model == y).astype(np.float32) - (base == y).astype(np.float32)
    total = weights.sum(axis=1)
    return (weights @ diff) / np.maximum(total, 1)


def f1_per_class(y: np.ndarray, pred: np.ndarray, n_classes: int, weights: np.ndarray) -> np.ndarray:
    """(resamples, classes) F1 of `pred`; a class with no true or predicted row scores 0 (as sklearn)."""
    eye = np.eye(n_classes, dtype=np.float32)
    actual, predicted = eye[y], eye[pred]
    tp = weights @ (actual * predicted)
    denom = weights @ actual + weights @ predicted
    return np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)


def weighted_auc(score: np.ndarray, positive: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per resample: ROC-AUC with row weights (ties count half), from one sort of the scores."""
    uniq, inv = np.unique(np.asarray(score, dtype=np.float64), return_inverse=True)
    pos = np.asarray(positive, dtype=bool)
    out = np.full(len(weights), np.nan)
    for b, w in enumerate(weights):
        wp = np.bincount(inv[pos], w[pos], minlength=len(uniq))
        wn = np.bincount(inv[~pos], w[~pos], minlength=len(uniq))
        total = wp.sum() * wn.sum()
        if total > 0:
            out[b] = float((wp * (np.cumsum(wn) - 0.5 * wn)).sum() / total)
    return out
