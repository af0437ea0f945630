"""How many buy what: the volume forecast a campaign consumes, backtested against "same as last H days".

At a cutoff T the expected buyers of a category are Σ P(buy) · P(category | buy) over every customer
with an apparel purchase before T; its shares are those counts over their sum. The actual figures are
the first purchases in (T, T+H] of those customers; the naive forecast repeats the figures one horizon
earlier, (T-H, T]. Share and count errors are mean absolute differences over the classes, averaged
over the test cutoffs; `chosen` is whichever forecast has the lower share error, and it is the one
`predict` and the campaign use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MODEL, NAIVE = "model", "naive"


def expected_buyers(p_buy: np.ndarray, proba: np.ndarray) -> np.ndarray:
    """Per class: Σ P(buy) · P(class | buy) over the scored customers."""
    if len(p_buy) == 0:
        return np.zeros(proba.shape[1])
    return (np.asarray(p_buy, dtype=float)[:, None] * np.asarray(proba, dtype=float)).sum(axis=0)


def choose(model_mae: float | None, naive_mae: float | None) -> str:
    """The forecast with the lower backtest share error (naive on a tie or when the model has none)."""
    if model_mae is None:
        return NAIVE
    if naive_mae is None:
        return MODEL
    return MODEL if model_mae < naive_mae else NAIVE


def share_forecast(
    cutoffs: np.ndarray,
    p_buy: np.ndarray,
    proba: np.ndarray,
    classes: list[str],
    counts: pd.DataFrame,
    horizon_days: int,
) -> dict:
    """`share_forecast{model_mae, naive_mae, chosen, model_count_mae, naive_count_mae, cutoffs[...]}`;
    `cutoffs`/`p_buy`/`proba` have one row per scored customer."""
    per_cutoff = []
    step = pd.Timedelta(days=int(horizon_days))
    rows = pd.Series(np.arange(len(cutoffs))).groupby(pd.to_datetime(cutoffs)).indices
    for cutoff in sorted(rows):
        actual = buyer_counts(counts, cutoff, classes)
        naive = buyer_counts(counts, cutoff - step, classes)
        if actual.sum() == 0 or naive.sum() == 0:
            continue
        model = expected_buyers(p_buy[rows[cutoff]], proba[rows[cutoff]])
        shares = {k: v / v.sum() for k, v in (("predicted", model), ("actual", actual), ("naive", naive))}
        per_cutoff.append(
            {
                "cutoff": str(pd.Timestamp(cutoff).date()),
                "customers": int(len(rows[cutoff])),
                "buyers": int(actual.sum()),
                "expected_buyers": float(model.sum()),
                "model_mae": float(np.abs(shares["predicted"] - shares["actual"]).mean()),
                "naive_mae": float(np.abs(shares["naive"] - shares["actual"]).mean()),
                "model_count_mae": float(np.abs(model - actual).mean()),
                "naive_count_mae": float(np.abs(naive - actual).mean()),
                "shares": {
                    c: {
                        "predicted": float(shares["predicted"][i]),
                        "actual": float(shares["actual"][i]),
                        "naive": float(shares["naive"][i]),
                        "predicted_buyers": float(model[i]),
                        "actual_buyers": int(actual[i]),
                        "naive_buyers": int(naive[i]),
                    }
                    for i, c in enumerate(classes)
                },
            }
        )
    if not per_cutoff:
        return {
            "model_mae": None,
            "naive_mae": None,
            "chosen": NAIVE,
            "model_count_mae": None,
            "naive_count_mae": None,
            "cutoffs": [],
        }
    mean = {k: float(np.mean([c[k] for c in per_cutoff])) for k in per_cutoff[0] if k.endswith("_mae")}
    return {**mean, "chosen": choose(mean["model_mae"], mean["naive_mae"]), "cutoffs": per_cutoff}


def buyer_counts(counts: pd.DataFrame, cutoff: pd.Timestamp, classes: list[str]) -> np.ndarray:
    """Per class: customers (with a purchase before `cutoff`) whose first purchase in (cutoff, cutoff+H]
    is that class (label_counts() rows)."""
    if counts.empty:
        return np.zeros(len(classes))
    at = counts[(pd.to_datetime(counts["cutoff"]) == cutoff) & counts["target"].isin(classes)]
    return at.set_index("target")["n"].reindex(classes, fill_value=0).to_numpy(dtype=float)


def forecast_sentence(sf: dict, horizon_days: int) -> str:
    """Which volume forecast is used and by how much it won its backtest, in one sentence."""
    naive = f'the naive "same as the last {horizon_days} days"'
    if sf.get("model_mae") is None or sf.get("naive_mae") is None:
        return f"Category shares follow the {sf.get('chosen', MODEL)} forecast (no backtest was possible)."
    m, n = sf["model_mae"], sf["naive_mae"]
    if sf["chosen"] == MODEL:
        return (
            f"Category shares follow the model's forecast (Σ P(buy)·P(category | buy)): its backtest share "
            f"error {m:.4f} is {1 - m / n:.0%} lower than {naive} ({n:.4f})."
        )
    gap = f"{1 - n / m:.0%} lower than" if n < m else "no worse than"
    return f"Category shares follow {naive}: its backtest share error {n:.4f} is {gap} the model's ({m:.4f})."
