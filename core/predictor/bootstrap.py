"""Bootstrap intervals over customers (fixed seed): every "better than" the page states carries one.

Examples of one customer at several cutoffs are not independent, so customers (not rows) are
resampled: each draw gives every row its customer's draw count as a weight. A difference "beats" only
when its whole 95% interval is above 0, is "worse" only when it is below, and is "level" otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

LEVEL, BEATS, WORSE = "level", "beats", "worse"
_CHUNK_CELLS = 4_000_000  # weights held at once (16 MB of float32)


class Resamples:
    """`n_boot` customer resamples of some rows (fixed seed), drawn lazily in chunks of weights so that
    memory stays bounded on millions of rows; `map(fn)` stacks fn(weights) over the chunks, where
    weights is (resamples in the chunk, rows): how often each row's customer was drawn."""

    def __init__(self, users: np.ndarray, n_boot: int, seed: int) -> None:
        codes, uniques = pd.factorize(pd.Series(users).astype(str))
        self.codes, self.n_customers = codes, len(uniques)
        self.n_boot, self.seed = int(n_boot), int(seed)
        self.chunk = max(1, min(self.n_boot, _CHUNK_CELLS // max(1, len(codes))))

    def __len__(self) -> int:
        return self.n_boot

    def chunks(self) -> Iterator[np.ndarray]:
        rng = np.random.default_rng(self.seed)
        n = self.n_customers
        for start in range(0, self.n_boot, self.chunk):
            k = min(self.chunk, self.n_boot - start)
            if n == 0:
                yield np.zeros((k, 0), dtype=np.float32)
                continue
            draws = rng.integers(0, n, size=(k, n))
            counts = np.stack([np.bincount(d, minlength=n) for d in draws]).astype(np.float32)
            yield counts[:, self.codes]

    def map(self, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        return np.concatenate([fn(w) for w in self.chunks()])


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
    """Per resample (row of `weights`): ROC-AUC with row weights, tied scores counting half, from one
    sort of the scores (sums per distinct score, then a running sum of the negatives below)."""
    order = np.argsort(np.asarray(score, dtype=np.float64), kind="stable")
    ranked = np.asarray(score, dtype=np.float64)[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]]) if len(ranked) else np.zeros(0, int)
    pos = np.asarray(positive, dtype=bool)[order]
    w = weights[:, order]
    if len(starts) == 0:
        return np.full(len(weights), np.nan)
    wp = np.add.reduceat(w * pos, starts, axis=1)
    wn = np.add.reduceat(w * ~pos, starts, axis=1)
    total = wp.sum(axis=1) * wn.sum(axis=1)
    below = np.cumsum(wn, axis=1) - 0.5 * wn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (wp * below).sum(axis=1) / total, np.nan)
