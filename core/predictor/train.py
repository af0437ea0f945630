"""Train, evaluate and save the next-category model (XGBoost `hist`, early stopping, seeded).

The split is temporal by default: the latest transitions (by the time of the purchase being
predicted) are the test set and the latest part of the rest is the early-stopping validation
slice, so the model never learns from the period it is judged on.
"""

from __future__ import annotations

import math
import platform
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.utils.class_weight import compute_sample_weight

from core.predictor.baselines import fit_baselines, predict_baselines
from core.predictor.data import Transitions, fingerprint, transitions
from core.predictor.errors import TooLittleDataError
from core.predictor.evaluate import evaluation
from core.predictor.events import EventsInput
from core.predictor.explain import compute_shap
from core.predictor.features import feature_names, matrix
from core.predictor.params import model_data_params, resolve_params
from core.predictor.registry import TrainedModel, latest_model, new_model_dir, save_model
from core.progress import Progress, report
from core.settings import Settings, load_settings


def train(
    events: EventsInput, out_dir: Path | None = None, *, settings: Settings | None = None,
    progress: Progress | None = None, **params: Any,
) -> tuple[Path, dict]:
    """Train on events, save under out_dir (default: a new id in settings.models_dir).

    Returns (model_dir, evaluation) where evaluation holds the SPEC's Evaluation JSON keys plus
    per_category_lift, confusion_matrix and calibration.
    """
    settings = settings or load_settings()
    p = resolve_params(settings, **params)
    report(progress, 0.02, "Loading events with DuckDB…")
    data = transitions(events, p)
    report(progress, 0.15, f"Built {len(data.frame):,} purchase rows from {data.stats.events:,} apparel events")
    labelled = _check_enough(data, p)
    train_idx, val_idx, test_idx, split_info = _split(labelled, p)
    feats = feature_names(data.categories)
    index = {c: i for i, c in enumerate(data.classes)}
    x = matrix(labelled, data.categories)
    y = labelled["target"].map(index).to_numpy()
    booster, best = _fit(x, y, train_idx, val_idx, feats, len(data.classes), p, progress)

    report(progress, 0.88, "Evaluating against the baselines…")
    fit_idx = np.concatenate([train_idx, val_idx])
    state = fit_baselines(labelled["last_category"].to_numpy()[fit_idx], labelled["target"].to_numpy()[fit_idx])
    model = TrainedModel(booster=booster, meta={"classes": data.classes, "categories": data.categories,
                                                "features": feats})
    test = labelled.iloc[test_idx]
    result = _evaluate_rows(model, test, state, n_train=len(fit_idx), x=x[test_idx])

    report(progress, 0.93, "Computing SHAP explanations…")
    model_dir = Path(out_dir) if out_dir is not None else new_model_dir(settings.models_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    sample = _shap_sample(test, int(p["shap_sample"]), int(p["seed"]))
    compute_shap(booster, x[labelled.index.get_indexer(sample.index)], feats, data.classes,
                 sample["user_id"].to_numpy(), model_dir)
    meta = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "classes": data.classes, "categories": data.categories, "features": feats,
        "params": p, "best_iteration": best, "split": split_info, "baselines": state,
        "metrics": result, "data": fingerprint(data.stats), "load": data.stats.to_dict(),
        "versions": _versions(),
    }
    save_model(model_dir, booster, meta)
    report(progress, 1.0, f"Saved model {model_dir.name}")
    return model_dir, result


def evaluate_model(model: TrainedModel, events: EventsInput, *, settings: Settings | None = None) -> dict:
    """Score a saved model on every purchase pair in `events` (bring held-out data for an honest figure)."""
    p = resolve_params(settings, **model_data_params(model.meta, "min_test"))
    data = transitions(events, p, categories=model.categories, classes=model.classes)
    labelled = data.labelled[data.labelled["target"].isin(model.classes)]
    if len(labelled) < int(p["min_test"]):
        raise TooLittleDataError(
            f"only {len(labelled)} purchase pairs in these events (need {p['min_test']}) to evaluate: "
            f"{_profile(data)}; pass more events")
    return _evaluate_rows(model, labelled, model.meta["baselines"], n_train=model.meta["metrics"]["n_train"])


def _evaluate_rows(model: TrainedModel, rows: pd.DataFrame, state: dict, n_train: int,
                   x: np.ndarray | None = None) -> dict:
    """Metrics on `rows`; `x` is their feature matrix when the caller already has it."""
    proba = model.predict_proba(matrix(rows, model.categories) if x is None else x)
    last = rows["last_category"].to_numpy()
    return evaluation(rows["target"].to_numpy(), proba, model.classes,
                      predict_baselines(state, last, model.classes), n_train=n_train)


def _profile(data: Transitions) -> str:
    s = data.stats
    return (f"{s.rows_read:,} rows read, {s.events:,} apparel events, {s.purchases:,} apparel purchases "
            f"by {s.users:,} users")


def _check_enough(data: Transitions, p: dict) -> pd.DataFrame:
    labelled = data.labelled
    need = int(p["min_transitions"])
    if len(labelled) < need:
        raise TooLittleDataError(
            f"too little data to train: {len(labelled)} consecutive apparel purchase pairs, need at least "
            f"{need} ({_profile(data)}; prefix '{p['apparel_prefix']}'). Use a longer period of events, "
            "or the demo events")
    if len(data.classes) < 2:
        raise TooLittleDataError(
            f"every next purchase is '{data.classes[0] if data.classes else '-'}'; at least two categories "
            "are needed to learn anything. Use more events or lower min_class_support")
    return labelled.reset_index(drop=True)


def _split(rows: pd.DataFrame, p: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    """(train, validation, test) positions; validation is the latest slice of the non-test rows."""
    order = np.lexsort((rows["user_id"].to_numpy(), rows["next_ts"].to_numpy()))
    n = len(rows)
    if p["split"] == "user":
        users = np.sort(rows["user_id"].unique())
        rng = np.random.default_rng(int(p["seed"]))
        test_users = set(rng.choice(users, size=max(1, math.ceil(len(users) * float(p["test_fraction"]))),
                                    replace=False).tolist())
        is_test = rows["user_id"].isin(test_users).to_numpy()
    elif p["test_cutoff"]:
        cutoff = pd.Timestamp(p["test_cutoff"]).tz_localize(None)
        is_test = (rows["next_ts"] >= cutoff).to_numpy()
    else:
        is_test = np.zeros(n, dtype=bool)
        is_test[order[n - math.ceil(n * float(p["test_fraction"])):]] = True
    rest = order[~is_test[order]]
    test = order[is_test[order]]
    n_val = max(1, math.ceil(len(rest) * float(p["validation_fraction"])))
    train_idx, val_idx = rest[:-n_val], rest[-n_val:]
    if len(test) < int(p["min_test"]) or len(train_idx) < int(p["min_test"]):
        raise TooLittleDataError(
            f"the {p['split']} split leaves {len(train_idx)} training and {len(test)} test pairs "
            f"(need {p['min_test']} each); use more events or change test_fraction/test_cutoff")
    info = {"kind": p["split"], "n_train": int(len(train_idx)), "n_validation": int(len(val_idx)),
            "n_test": int(len(test)),
            "test_from": str(rows["next_ts"].to_numpy()[test].min()),
            "train_until": str(rows["next_ts"].to_numpy()[rest].max())}
    return train_idx, val_idx, test, info


class _ProgressCallback(xgb.callback.TrainingCallback):
    def __init__(self, progress: Progress | None, rounds: int) -> None:
        self.progress, self.rounds = progress, rounds

    def after_iteration(self, model, epoch: int, evals_log) -> bool:
        if self.progress is not None and (epoch % 5 == 0 or epoch + 1 == self.rounds):
            loss = evals_log.get("validation", {}).get("mlogloss", [float("nan")])[-1]
            report(self.progress, 0.2 + 0.65 * (epoch + 1) / self.rounds,
                   f"Boosting round {epoch + 1}/{self.rounds} · validation log-loss {loss:.3f}")
        return False


def _fit(x: np.ndarray, y: np.ndarray, train_idx: np.ndarray, val_idx: np.ndarray, feats: list[str],
         n_classes: int, p: dict, progress: Progress | None) -> tuple[xgb.Booster, int]:
    weight = compute_sample_weight("balanced", y[train_idx]) if p["class_weights"] else None
    dtrain = xgb.DMatrix(x[train_idx], label=y[train_idx], weight=weight, feature_names=feats)
    dval = xgb.DMatrix(x[val_idx], label=y[val_idx], feature_names=feats)
    params = {
        "objective": "multi:softprob", "num_class": n_classes, "tree_method": "hist",
        "eta": float(p["learning_rate"]), "max_depth": int(p["max_depth"]),
        "min_child_weight": float(p["min_child_weight"]), "subsample": float(p["subsample"]),
        "colsample_bytree": float(p["colsample_bytree"]), "max_bin": int(p["max_bin"]), "eval_metric": "mlogloss",
        "nthread": int(p["n_jobs"]), "seed": int(p["seed"]),
    }
    rounds = int(p["n_estimators"])
    booster = xgb.train(params, dtrain, num_boost_round=rounds, evals=[(dval, "validation")],
                        early_stopping_rounds=int(p["early_stopping_rounds"]), verbose_eval=False,
                        callbacks=[_ProgressCallback(progress, rounds)])
    best = int(getattr(booster, "best_iteration", rounds - 1))
    return booster[: best + 1], best


def _shap_sample(test: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    if len(test) <= n:
        return test
    return test.sample(n=n, random_state=seed).sort_index()


def _versions() -> dict:
    out = {"python": platform.python_version()}
    for pkg in ("xgboost", "duckdb", "numpy", "pandas", "scikit-learn"):
        try:
            out[pkg] = version(pkg)
        except Exception:  # noqa: BLE001 - a missing dist-info only loses a label
            out[pkg] = "unknown"
    return out


def provide_model(
    events: list[str], settings: Settings, params: dict[str, Any], *, progress: Progress | None = None
) -> tuple[Path, bool]:
    """The latest trained model, else a quick one trained on `events` (saved in the registry).

    Returns (model folder, whether it was trained now).
    """
    found = latest_model(settings.models_dir)
    if found is not None:
        return found, False
    model_dir, _ = train(events, None, settings=settings, progress=progress, **params)
    return model_dir, True
