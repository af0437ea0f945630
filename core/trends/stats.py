"""Momentum, significance and onset of a term's weekly mention series (all vectorised over terms)."""

from __future__ import annotations

import math

import numpy as np


def recent_split(n_weeks: int, fraction: float, min_recent: int) -> int:
    """Index of the first 'recent' week (0 when there is too little history to compare)."""
    if n_weeks < 2:
        return 0
    recent = max(min_recent, round(n_weeks * fraction))
    return max(1, n_weeks - min(recent, n_weeks - 1))


def momentum(term_w: np.ndarray, total_w: np.ndarray, split: int, prior: float) -> np.ndarray:
    """Relative change of the weighted mention rate, recent versus earlier (0 = flat, 1 = doubled).

    `term_w` is terms x weeks, `total_w` the weekly total weight; `prior` is a small rate added to
    both sides so a term going from 0 to a few mentions does not read as infinite growth.
    """
    if split <= 0:
        return np.zeros(term_w.shape[0])
    early = term_w[:, :split].sum(axis=1) / max(total_w[:split].sum(), 1e-12)
    recent = term_w[:, split:].sum(axis=1) / max(total_w[split:].sum(), 1e-12)
    return (recent + prior) / (early + prior) - 1.0


def rising_p_value(term_n: np.ndarray, total_n: np.ndarray, split: int) -> np.ndarray:
    """One-sided two-proportion z-test p-value that the recent mention rate exceeds the earlier one."""
    if split <= 0:
        return np.ones(term_n.shape[0])
    x1, n1 = term_n[:, :split].sum(axis=1), max(total_n[:split].sum(), 1)
    x2, n2 = term_n[:, split:].sum(axis=1), max(total_n[split:].sum(), 1)
    pooled = (x1 + x2) / (n1 + n2)
    se = np.sqrt(np.clip(pooled * (1 - pooled) * (1 / n1 + 1 / n2), 1e-18, None))
    z = (x2 / n2 - x1 / n1) / se
    return 0.5 * _erfc(z / math.sqrt(2.0))  # the normal survival function, without importing scipy.stats


_erfc = np.vectorize(math.erfc, otypes=[float])


def onset_week(counts: np.ndarray, totals: np.ndarray) -> int:
    """The week a term's mention rate changed, as the best single change point of a binomial model."""
    n = len(counts)
    if n < 2:
        return 0
    c = np.cumsum(counts, dtype=float)
    t = np.cumsum(totals, dtype=float)
    left_c, left_t = c[:-1], t[:-1]
    right_c, right_t = c[-1] - left_c, t[-1] - left_t
    ll = _binomial_ll(left_c, left_t) + _binomial_ll(right_c, right_t)
    return int(np.argmax(ll)) + 1


def _binomial_ll(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, x / np.maximum(n, 1e-12), 0.0)
        ll = np.where(x > 0, x * np.log(np.where(p > 0, p, 1.0)), 0.0)
        ll += np.where(n - x > 0, (n - x) * np.log(np.where(p < 1, 1 - p, 1.0)), 0.0)
    return ll


def pool_weeks(totals: np.ndarray, min_posts: float) -> np.ndarray:
    """A pool label per week: consecutive weeks are merged until each pool has `min_posts` posts (a short
    last pool joins the one before), so a week of one post is never read as a share on its own."""
    labels = np.zeros(len(totals), dtype=np.int64)
    pool, size = 0, 0.0
    for i, n in enumerate(totals):
        labels[i] = pool
        size += float(n)
        if size >= min_posts:
            pool, size = pool + 1, 0.0
    if len(totals) and 0 < size < min_posts and labels[-1] > 0:
        labels[labels == labels[-1]] -= 1
    return labels


def wilson_interval(x: np.ndarray, n: np.ndarray, z: float = 1.96) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of x successes in n trials (0..1 where n is 0)."""
    x, n = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    safe = np.maximum(n, 1.0)
    p = x / safe
    denom = 1 + z * z / safe
    centre = (p + z * z / (2 * safe)) / denom
    half = z * np.sqrt(p * (1 - p) / safe + z * z / (4 * safe * safe)) / denom
    empty = n <= 0
    return np.where(empty, 0.0, np.clip(centre - half, 0, 1)), np.where(
        empty, 1.0, np.clip(centre + half, 0, 1)
    )
