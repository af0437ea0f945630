"""Who buys: P(any apparel purchase in (T, T+H]) per customer at a cutoff, judged like a campaign uses it.

Every customer with an apparel purchase before T is scored from the same features as the category
model. On the test cutoffs it is measured by ROC-AUC, PR-AUC, calibration and cumulative gains beside
three baselines in the same framing: `recency` (fewer days since the last purchase ranks higher),
`frequency` (purchases before T) and `browsing` (apparel views in the 7 days before T). Gains rank the
customers within each cutoff (a campaign picks its top 20% at one cutoff) and pool the counts over the
test cutoffs; tied scores share their buyers evenly (the expected value of a random order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import average_precision_score, roc_auc_score

from core.predictor.bootstrap import Resamples, interval, weighted_auc, word

BASELINES = ("recency", "frequency", "browsing")
GAINS_AT = tuple(round(0.05 * k, 2) for k in range(21))
TOP = 0.2
_CAL_BINS = 10


def baseline_scores(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each baseline's score per row: higher = more likely to buy."""
    return {
        "recency": -rows["days_since_purchase"].to_numpy(dtype=float),
        "frequency": rows["n_purchases"].to_numpy(dtype=float),
        "browsing": rows["views_7d"].to_numpy(dtype=float),
    }


def fit_propensity(
    x: np.ndarray,
    bought: np.ndarray,
    weight: np.ndarray,
    fit_idx: np.ndarray,
    val_idx: np.ndarray,
    feats: list[str],
    p: dict,
) -> xgb.Booster:
    """A shallow binary booster, early-stopped on the validation cutoffs, then (refit) boosted that many
    rounds on training + validation cutoffs: the buying rate drifts over time (early cutoffs see only
    the first, most loyal customers), and the latest cutoffs are the closest to the ones scored."""
    params = {
        "objective": "binary:logistic",
        "tree_method": "hist",
        "eta": float(p["propensity_learning_rate"]),
        "max_depth": int(p["propensity_max_depth"]),
        "min_child_weight": 5.0,
        "max_bin": int(p["max_bin"]),
        "eval_metric": "logloss",
        "nthread": int(p["n_jobs"]),
        "seed": int(p["seed"]),
    }
    dfit = xgb.DMatrix(x[fit_idx], label=bought[fit_idx], weight=weight[fit_idx], feature_names=feats)
    dval = xgb.DMatrix(x[val_idx], label=bought[val_idx], weight=weight[val_idx], feature_names=feats)
    booster = xgb.train(
        params,
        dfit,
        num_boost_round=int(p["propensity_rounds"]),
        evals=[(dval, "validation")],
        early_stopping_rounds=int(p["early_stopping_rounds"]),
        verbose_eval=False,
    )
    best = int(getattr(booster, "best_iteration", int(p["propensity_rounds"]) - 1))
    if not p["refit"]:
        return booster[: best + 1]
    both = np.concatenate([fit_idx, val_idx])
    dall = xgb.DMatrix(x[both], label=bought[both], weight=weight[both], feature_names=feats)
    return xgb.train(params, dall, num_boost_round=best + 1, verbose_eval=False)


def propensity_report(
    score: np.ndarray,
    bought: np.ndarray,
    cutoffs: np.ndarray,
    baselines: dict[str, np.ndarray],
    resamples: Resamples,
) -> dict:
    """`propensity{auc, pr_auc, lift_top20, baselines, gains, calibration, best_baseline, auc_diff_ci,
    word}`; `resamples` (customer bootstrap of the same rows) give the AUC difference's interval."""
    bought = np.asarray(bought, dtype=bool)
    if len(bought) == 0 or bought.all() or not bought.any():
        return {
            "auc": None,
            "pr_auc": None,
            "lift_top20": None,
            "baselines": {},
            "gains": [],
            "word": "level",
        }
    model_gains = _gains(score, bought, cutoffs)
    out: dict = {
        "auc": float(roc_auc_score(bought, score)),
        "pr_auc": float(average_precision_score(bought, score)),
        "lift_top20": _lift(model_gains),
        "base_rate": float(bought.mean()),
        "rows": int(len(bought)),
        "buyers": int(bought.sum()),
        "baselines": {},
    }
    curves = {"model": model_gains}
    for name, s in baselines.items():
        curves[name] = _gains(s, bought, cutoffs)
        out["baselines"][name] = {
            "auc": float(roc_auc_score(bought, s)),
            "pr_auc": float(average_precision_score(bought, s)),
            "lift_top20": _lift(curves[name]),
        }
    out["gains"] = [
        {"share": f, "random": f, **{k: round(float(v[i]), 4) for k, v in curves.items()}}
        for i, f in enumerate(GAINS_AT)
    ]
    best = max(out["baselines"], key=lambda n: out["baselines"][n]["auc"])
    ci = interval(
        resamples.map(lambda w: weighted_auc(score, bought, w) - weighted_auc(baselines[best], bought, w))
    )
    out.update(best_baseline=best, auc_diff_ci=ci, word=word(ci), calibration=_calibration(score, bought))
    return out


def _gains(score: np.ndarray, bought: np.ndarray, cutoffs: np.ndarray) -> np.ndarray:
    """Share of all buyers found in the top f of each cutoff's customers, for f in GAINS_AT."""
    found = np.zeros(len(GAINS_AT))
    frame = pd.DataFrame({"s": np.asarray(score, dtype=float), "y": bought, "c": cutoffs})
    for _, part in frame.groupby("c", sort=False):
        # one point per distinct score (ties share their buyers), descending
        block = part.groupby("s")["y"].agg(["size", "sum"]).sort_index(ascending=False)
        xs = np.concatenate([[0.0], np.cumsum(block["size"].to_numpy())])
        ys = np.concatenate([[0.0], np.cumsum(block["sum"].to_numpy())])
        found += np.interp(np.asarray(GAINS_AT) * len(part), xs, ys)
    return found / max(1, int(bought.sum()))


def _lift(gains: np.ndarray) -> float:
    return round(float(gains[GAINS_AT.index(TOP)] / TOP), 4)


def _calibration(score: np.ndarray, bought: np.ndarray) -> dict:
    """Predicted vs observed buying rate in score deciles, the Brier score, and expected vs actual buyers."""
    order = np.argsort(score, kind="stable")
    bins = []
    for part in np.array_split(order, _CAL_BINS):
        if len(part):
            bins.append(
                {
                    "mean_predicted": float(score[part].mean()),
                    "observed": float(bought[part].mean()),
                    "count": int(len(part)),
                }
            )
    return {
        "bins": bins,
        "brier": float(((score - bought) ** 2).mean()),
        "expected_buyers": float(score.sum()),
        "actual_buyers": int(bought.sum()),
    }
