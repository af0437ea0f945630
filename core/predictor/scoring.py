"""Score a fitted model on some cutoffs: every figure of the evaluation JSON, in one place.

`train` (its test cutoffs), `evaluate` (a saved model on new events) and the horizon curve all call
`score`: category metrics beside the baselines with a bootstrap verdict, who buys (propensity) beside
its baselines, and the volume forecast backtested against "same as the last H days".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.predictor.baselines import predict_baselines
from core.predictor.bootstrap import Resamples
from core.predictor.data import Examples
from core.predictor.evaluate import evaluation
from core.predictor.features import browsed, matrix
from core.predictor.propensity import baseline_scores, propensity_report
from core.predictor.registry import TrainedModel
from core.predictor.shares import share_forecast
from core.predictor.verdict import category_verdict


def score(
    model: TrainedModel,
    ex: Examples,
    scored: list[pd.Timestamp],
    state: dict,
    n_train: int,
    p: dict,
    x: np.ndarray | None = None,
) -> dict:
    """The evaluation JSON on the cutoffs `scored` of `ex` (every customer there, labelled or not).

    `x` is the feature matrix of all of `ex.frame` when the caller already has it (no second build).
    """
    at = ex.frame["cutoff"].isin(scored).to_numpy()
    rows = ex.frame[at]
    xs = matrix(rows, model.categories) if x is None else x[at]
    proba, p_buy = model.predict_proba(xs), model.p_buy(xs)
    lab = rows["target"].isin(model.classes).to_numpy()
    labelled = rows[lab]
    index = {c: i for i, c in enumerate(model.classes)}
    preds = predict_baselines(
        state,
        labelled["last_category"].to_numpy(),
        browsed(labelled, model.categories),
        model.categories,
        model.classes,
    )
    y_true = labelled["target"].to_numpy()
    result = evaluation(y_true, proba[lab], model.classes, preds, n_train=n_train)
    seed, rounds = int(p["seed"]), int(p["bootstrap_rounds"])
    codes = {name: np.array([index[c] for c in v], dtype=int) for name, v in preds.items()}
    result["verdict"], result["per_category_verdict"] = category_verdict(
        result,
        np.array([index[c] for c in y_true], dtype=int),
        proba[lab].argmax(axis=1),
        codes,
        Resamples(labelled["user_id"].to_numpy(), rounds, seed),
    )
    cutoffs = rows["cutoff"].to_numpy()
    result["propensity"] = propensity_report(
        p_buy.astype(float),
        rows["target"].notna().to_numpy(),
        cutoffs,
        baseline_scores(rows),
        Resamples(rows["user_id"].to_numpy(), rounds, seed),
    )
    result["share_forecast"] = share_forecast(
        cutoffs, p_buy, proba, model.classes, ex.counts, ex.horizon_days
    )
    result["framing"] = _framing(ex, scored, p)
    return result


def _framing(ex: Examples, scored: list[pd.Timestamp], p: dict) -> dict:
    counts = ex.counts[ex.counts["cutoff"].isin(ex.cutoffs)]
    return {
        "kind": "cutoff",
        "horizon_days": ex.horizon_days,
        "cutoff_step_days": int(p["cutoff_step_days"]),
        "n_cutoffs": len(ex.cutoffs),
        "test_from": str(min(scored).date()),
        "n_test_cutoffs": len(scored),
        "examples": int(counts.loc[counts["target"] != "", "n"].sum()),
        "without_purchase": int(counts.loc[counts["target"] == "", "n"].sum()),
    }
