"""The category-share forecast a campaign consumes, scored against the naive "same as last H days".

For each cutoff T the forecast is the mean of the model's predicted distributions over every customer
with a purchase before T: no hindsight about who will buy. The actual shares are those of the first
purchases in (T, T+H] of those customers; the naive forecast repeats the same shares one horizon
earlier, (T-H, T]. Errors are mean absolute differences over the classes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def share_forecast(
    cutoffs: np.ndarray, proba: np.ndarray, classes: list[str], counts: pd.DataFrame, horizon_days: int
) -> dict:
    """{model_mae, naive_mae, cutoffs: [...]}; `cutoffs`/`proba` are one row per scored customer."""
    per_cutoff = []
    step = pd.Timedelta(days=int(horizon_days))
    rows = pd.Series(np.arange(len(cutoffs))).groupby(pd.to_datetime(cutoffs)).indices
    for cutoff in sorted(rows):
        actual, buyers = _shares(counts, cutoff, classes)
        naive, _ = _shares(counts, cutoff - step, classes)
        if buyers == 0 or naive is None:
            continue
        predicted = proba[rows[cutoff]].mean(axis=0)
        per_cutoff.append(
            {
                "cutoff": str(pd.Timestamp(cutoff).date()),
                "customers": int(len(rows[cutoff])),
                "buyers": buyers,
                "model_mae": float(np.abs(predicted - actual).mean()),
                "naive_mae": float(np.abs(naive - actual).mean()),
                "shares": {
                    c: {
                        "predicted": float(predicted[i]),
                        "actual": float(actual[i]),
                        "naive": float(naive[i]),
                    }
                    for i, c in enumerate(classes)
                },
            }
        )
    if not per_cutoff:
        return {"model_mae": None, "naive_mae": None, "cutoffs": []}
    return {
        "model_mae": float(np.mean([c["model_mae"] for c in per_cutoff])),
        "naive_mae": float(np.mean([c["naive_mae"] for c in per_cutoff])),
        "cutoffs": per_cutoff,
    }


def _shares(counts: pd.DataFrame, cutoff: pd.Timestamp, classes: list[str]) -> tuple[np.ndarray | None, int]:
    """Shares of the first purchases in (cutoff, cutoff+H] per class, and how many there were."""
    at = counts[(pd.to_datetime(counts["cutoff"]) == cutoff) & counts["target"].isin(classes)]
    n = at.set_index("target")["n"].reindex(classes, fill_value=0).to_numpy(dtype=float)
    total = int(n.sum())
    return (n / total if total else None), total
