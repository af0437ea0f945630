"""Frame, fit and score: the one path `train` and the horizon curve share.

`frame` builds every customer at every cutoff of the split (labelled rows for the category model,
all rows for who-buys), `fit_and_score` fits the category booster, the propensity booster and the
baselines on the training cutoffs and scores them all on the test cutoffs (scoring.score).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.utils.class_weight import compute_sample_weight

from core.predictor.baselines import fit_baselines
from core.predictor.data import EventData, Examples
from core.predictor.errors import TooLittleDataError
from core.predictor.features import feature_names, matrix, negative_rate
from core.predictor.propensity import fit_propensity
from core.predictor.registry import TrainedModel
from core.predictor.scoring import score
from core.predictor.split import CutoffSplit, split_cutoffs
from core.progress import Progress, report


@dataclass
class Fitted:
    """What fit_and_score made: the model, its baselines, the evaluation and the example split."""

    model: TrainedModel
    state: dict
    result: dict
    best_iteration: int
    x: np.ndarray
    """features of every row of the examples' frame"""
    parts: tuple[np.ndarray, np.ndarray, np.ndarray]
    """row positions in the frame of the labelled fit, validation and test examples"""


def frame(
    data: EventData, horizon: int, p: dict, categories: tuple[list[str], list[str]] | None = None
) -> tuple[Examples, CutoffSplit]:
    """(Examples, CutoffSplit): every customer with a purchase before each test cutoff, the buyers and
    a sample of the others (features.negative_rate) at the training cutoffs, and the label counts one
    horizon before each test cutoff (the naive volume forecast)."""
    categories_, classes = categories or data.categories()
    plan = split_cutoffs(data.grid(horizon), data.span, horizon, p)
    ex = data.examples(
        categories_,
        classes,
        plan.fit + plan.validation + plan.test,
        horizon,
        all_customers_from=plan.test_from,
        count_cutoffs=[t - pd.Timedelta(days=horizon) for t in plan.test],
        negative_ratio=float(p["negative_ratio"]),
    )
    return ex, plan


def fit_and_score(ex: Examples, plan: CutoffSplit, p: dict, progress: Progress | None = None) -> Fitted:
    """Fit on the training cutoffs, score on the test cutoffs; TooLittleDataError when a part is empty."""
    check_enough(ex, p)
    x_all = matrix(ex.frame, ex.categories)  # built once: category, propensity and scoring share it
    when = ex.frame["cutoff"]
    lab = ex.frame["target"].isin(ex.classes).to_numpy()
    parts = [np.flatnonzero(when.isin(c).to_numpy() & lab) for c in (plan.fit, plan.validation, plan.test)]
    _check_split(parts, plan, p)
    fit_idx, val_idx, test_idx = parts
    feats = feature_names(ex.categories)
    y = np.full(len(ex.frame), -1)
    y[lab] = ex.frame.loc[lab, "target"].map({c: i for i, c in enumerate(ex.classes)}).to_numpy()
    booster, best = fit_booster(x_all, y, fit_idx, val_idx, feats, len(ex.classes), p, progress)

    report(progress, 0.86, "Fitting who buys (propensity)…")
    bought = ex.frame["target"].notna().to_numpy().astype(np.float32)
    all_fit = np.flatnonzero(when.isin(plan.fit).to_numpy())
    all_val = np.flatnonzero(when.isin(plan.validation).to_numpy())
    # a sampled non-buyer stands for 1/rate of them, so P(buy) stays a probability
    rate = negative_rate(ex.counts, plan.test_from, float(p["negative_ratio"]))
    weight = np.where(bought > 0, 1.0, 1.0 / rate).astype(np.float32)
    propensity = fit_propensity(x_all, bought, weight, all_fit, all_val, feats, p)

    report(progress, 0.9, "Scoring against the baselines, with bootstrap intervals and the volume backtest…")
    train_idx = np.concatenate([fit_idx, val_idx])
    state = fit_baselines(
        ex.frame["last_category"].to_numpy()[train_idx], ex.frame["target"].to_numpy()[train_idx]
    )
    model = TrainedModel(
        booster=booster,
        meta={"classes": ex.classes, "categories": ex.categories, "features": feats},
        propensity=propensity,
    )
    result = score(model, ex, plan.test, state, n_train=len(train_idx), p=p, x=x_all)
    return Fitted(model, state, result, best, x_all, (fit_idx, val_idx, test_idx))


def check_enough(ex: Examples, p: dict) -> None:
    """TooLittleDataError with a one-line reason unless there are enough labelled examples and classes."""
    labelled = ex.labelled[ex.labelled["target"].isin(ex.classes)]
    need = int(p["min_examples"])
    if len(labelled) < need:
        s = ex.stats
        raise TooLittleDataError(
            f"too little data to train: {len(labelled)} examples (a customer with an apparel purchase before "
            f"a cutoff who buys again within {ex.horizon_days} days), need at least {need} "
            f"({s.rows_read:,} rows read, {s.events:,} apparel events, {s.purchases:,} apparel purchases by "
            f"{s.users:,} users; prefix '{p['apparel_prefix']}'). Use a longer period of events, or the demo events"
        )
    if len(ex.classes) < 2:
        raise TooLittleDataError(
            f"every purchase is '{ex.classes[0] if ex.classes else '-'}'; at least two categories "
            "are needed to learn anything. Use more events or lower min_class_support"
        )


def fit_booster(
    x: np.ndarray,
    y: np.ndarray,
    fit_idx: np.ndarray,
    val_idx: np.ndarray,
    feats: list[str],
    n_classes: int,
    p: dict,
    progress: Progress | None = None,
) -> tuple[xgb.Booster, int]:
    """Boost on `fit_idx` rows with early stopping on `val_idx` rows, then (refit) boost that many rounds
    on both, so the model learns from the same examples as the baselines; returns (booster, best round)."""
    weight = compute_sample_weight("balanced", y[fit_idx]) if p["class_weights"] else None
    dtrain = xgb.DMatrix(x[fit_idx], label=y[fit_idx], weight=weight, feature_names=feats)
    dval = xgb.DMatrix(x[val_idx], label=y[val_idx], feature_names=feats)
    params = {
        "objective": "multi:softprob",
        "num_class": n_classes,
        "tree_method": "hist",
        "eta": float(p["learning_rate"]),
        "max_depth": int(p["max_depth"]),
        "min_child_weight": float(p["min_child_weight"]),
        "subsample": float(p["subsample"]),
        "colsample_bytree": float(p["colsample_bytree"]),
        "max_bin": int(p["max_bin"]),
        "eval_metric": "mlogloss",
        "nthread": int(p["n_jobs"]),
        "seed": int(p["seed"]),
    }
    rounds = int(p["n_estimators"])
    booster = xgb.train(
        params,
        dtrain,
        num_boost_round=rounds,
        evals=[(dval, "validation")],
        early_stopping_rounds=int(p["early_stopping_rounds"]),
        verbose_eval=False,
        callbacks=[_ProgressCallback(progress, rounds)],
    )
    best = int(getattr(booster, "best_iteration", rounds - 1))
    if not p["refit"]:
        return booster[: best + 1], best
    both = np.concatenate([fit_idx, val_idx])
    weight = compute_sample_weight("balanced", y[both]) if p["class_weights"] else None
    dall = xgb.DMatrix(x[both], label=y[both], weight=weight, feature_names=feats)
    return xgb.train(params, dall, num_boost_round=best + 1, verbose_eval=False), best


def _check_split(parts: list[np.ndarray], plan: CutoffSplit, p: dict) -> None:
    fit_idx, val_idx, test_idx = parts
    if len(test_idx) < int(p["min_test"]) or len(fit_idx) < int(p["min_test"]) or len(val_idx) == 0:
        raise TooLittleDataError(
            f"the split on cutoffs leaves {len(fit_idx)} training, {len(val_idx)} validation and {len(test_idx)} "
            f"test examples (need {p['min_test']} to train and to test; test from {plan.test_from.date()}); "
            "use more events or change test_from/test_cutoff"
        )


class _ProgressCallback(xgb.callback.TrainingCallback):
    def __init__(self, progress: Progress | None, rounds: int) -> None:
        self.progress, self.rounds = progress, rounds

    def after_iteration(self, model, epoch: int, evals_log) -> bool:
        if self.progress is not None and (epoch % 5 == 0 or epoch + 1 == self.rounds):
            loss = evals_log.get("validation", {}).get("mlogloss", [float("nan")])[-1]
            report(
                self.progress,
                0.2 + 0.65 * (epoch + 1) / self.rounds,
                f"Boosting round {epoch + 1}/{self.rounds} · validation log-loss {loss:.3f}",
            )
        return False
