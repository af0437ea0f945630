"""Train, evaluate and save the next-category model (XGBoost `hist`, early stopping, seeded).

Cutoff framing (features.py): an example is (customer, cutoff T), features strictly before T, the
target the first apparel purchase in (T, T+H]. The split is on cutoffs (split.py): the model never
learns from a label window that reaches into the test period, and it is judged beside baselines in
the same framing and, for the campaign, on the category-share forecast.
"""

from __future__ import annotations

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
from core.predictor.data import EventData, Examples, fingerprint
from core.predictor.errors import TooLittleDataError
from core.predictor.evaluate import evaluation
from core.predictor.events import EventsInput
from core.predictor.explain import compute_shap
from core.predictor.features import browsed, feature_names, matrix
from core.predictor.params import model_data_params, resolve_params
from core.predictor.registry import TrainedModel, latest_model, new_model_dir, save_model
from core.predictor.shares import share_forecast
from core.predictor.split import CutoffSplit, split_cutoffs
from core.progress import Progress, report
from core.settings import Settings, load_settings


def train(
    events: EventsInput,
    out_dir: Path | None = None,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    **params: Any,
) -> tuple[Path, dict]:
    """Train on events, save under out_dir (default: a new id in settings.models_dir).

    Returns (model_dir, evaluation) where evaluation holds the SPEC's Evaluation JSON keys plus
    per_category_lift, confusion_matrix and calibration.
    """
    settings = settings or load_settings()
    p = resolve_params(settings, **params)
    report(progress, 0.02, "Loading events with DuckDB…")
    ex, plan = frame_examples(events, p)
    labelled = check_enough(ex, p)
    report(
        progress,
        0.15,
        f"Built {len(labelled):,} examples at {len(ex.cutoffs)} cutoffs from "
        f"{ex.stats.events:,} apparel events",
    )
    when = labelled["cutoff"]
    parts = [np.flatnonzero(when.isin(c).to_numpy()) for c in (plan.fit, plan.validation, plan.test)]
    _check_split(parts, plan, p)
    fit_idx, val_idx, test_idx = parts
    feats = feature_names(ex.categories)
    x = matrix(labelled, ex.categories)
    y = labelled["target"].map({c: i for i, c in enumerate(ex.classes)}).to_numpy()
    booster, best = fit_booster(x, y, fit_idx, val_idx, feats, len(ex.classes), p, progress)

    report(progress, 0.88, "Evaluating against the baselines and the naive share forecast…")
    train_idx = np.concatenate([fit_idx, val_idx])
    state = fit_baselines(
        labelled["last_category"].to_numpy()[train_idx], labelled["target"].to_numpy()[train_idx]
    )
    model = TrainedModel(
        booster=booster, meta={"classes": ex.classes, "categories": ex.categories, "features": feats}
    )
    test = labelled.iloc[test_idx]
    result = evaluate_rows(model, test, state, n_train=len(train_idx), x=x[test_idx])
    result.update(_forecast_figures(model, ex, plan.test, p))

    report(progress, 0.93, "Computing SHAP explanations…")
    model_dir = Path(out_dir) if out_dir is not None else new_model_dir(settings.models_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    sample = _shap_sample(test, int(p["shap_sample"]), int(p["seed"]))
    compute_shap(
        booster,
        x[labelled.index.get_indexer(sample.index)],
        feats,
        ex.classes,
        sample["user_id"].to_numpy(),
        model_dir,
    )
    split_info = {
        **plan.info(),
        "n_train": len(fit_idx),
        "n_validation": len(val_idx),
        "n_test": len(test_idx),
    }
    meta = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "classes": ex.classes,
        "categories": ex.categories,
        "features": feats,
        "params": p,
        "best_iteration": best,
        "split": split_info,
        "baselines": state,
        "metrics": result,
        "data": fingerprint(ex.stats),
        "load": ex.stats.to_dict(),
        "versions": _versions(),
    }
    save_model(model_dir, booster, meta)
    report(progress, 1.0, f"Saved model {model_dir.name}")
    return model_dir, result


def evaluate_model(model: TrainedModel, events: EventsInput, *, settings: Settings | None = None) -> dict:
    """Score a saved model at every cutoff of `events` (bring held-out data for an honest figure)."""
    p = resolve_params(settings, **model_data_params(model.meta, "min_test"))
    horizon = int(p["horizon_days"])
    with EventData(events, p) as data:
        cutoffs = data.grid(horizon)
        ex = data.examples(
            model.categories,
            model.classes,
            cutoffs,
            horizon,
            all_customers_from=cutoffs[0],
            count_cutoffs=[t - pd.Timedelta(days=horizon) for t in cutoffs],
        )
        profile = data.profile()
    labelled = ex.labelled[ex.labelled["target"].isin(model.classes)]
    if len(labelled) < int(p["min_test"]):
        raise TooLittleDataError(
            f"only {len(labelled)} examples in these events (need {p['min_test']}) to evaluate: "
            f"{profile}; pass more events"
        )
    result = evaluate_rows(model, labelled, model.meta["baselines"], n_train=model.meta["metrics"]["n_train"])
    result.update(_forecast_figures(model, ex, cutoffs, p))
    return result


def evaluate_rows(
    model: TrainedModel, rows: pd.DataFrame, state: dict, n_train: int, x: np.ndarray | None = None
) -> dict:
    """Metrics on labelled `rows`; `x` is their feature matrix when the caller already has it."""
    proba = model.predict_proba(matrix(rows, model.categories) if x is None else x)
    preds = predict_baselines(
        state,
        rows["last_category"].to_numpy(),
        browsed(rows, model.categories),
        model.categories,
        model.classes,
    )
    return evaluation(rows["target"].to_numpy(), proba, model.classes, preds, n_train=n_train)


def check_enough(ex: Examples, p: dict) -> pd.DataFrame:
    """The labelled examples whose target is a class, or TooLittleDataError with a one-line reason."""
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
    return labelled.reset_index(drop=True)


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


def frame_examples(events: EventsInput, p: dict) -> tuple[Examples, CutoffSplit]:
    """What `train` builds before fitting: labelled examples at every cutoff plus every customer at the
    test cutoffs (the share forecast), and the cutoff split. Public so the benchmark times exactly this."""
    horizon = int(p["horizon_days"])
    with EventData(events, p) as data:
        categories, classes = data.categories()
        plan = split_cutoffs(data.grid(horizon), data.span, horizon, p)
        naive = [t - pd.Timedelta(days=horizon) for t in plan.test]
        ex = data.examples(
            categories,
            classes,
            plan.fit + plan.validation + plan.test,
            horizon,
            all_customers_from=plan.test_from,
            count_cutoffs=naive,
        )
    return ex, plan


def _check_split(parts: list[np.ndarray], plan: CutoffSplit, p: dict) -> None:
    fit_idx, val_idx, test_idx = parts
    if len(test_idx) < int(p["min_test"]) or len(fit_idx) < int(p["min_test"]) or len(val_idx) == 0:
        raise TooLittleDataError(
            f"the split on cutoffs leaves {len(fit_idx)} training, {len(val_idx)} validation and {len(test_idx)} "
            f"test examples (need {p['min_test']} to train and to test; test from {plan.test_from.date()}); "
            "use more events or change test_from/test_cutoff"
        )


def _forecast_figures(model: TrainedModel, ex: Examples, scored: list[pd.Timestamp], p: dict) -> dict:
    """`framing` and `share_forecast`: every customer with a purchase before each scored cutoff."""
    rows = ex.frame[ex.frame["cutoff"].isin(scored)]
    proba = model.predict_proba(matrix(rows, model.categories))
    counts = ex.counts[ex.counts["cutoff"].isin(ex.cutoffs)]
    framing = {
        "kind": "cutoff",
        "horizon_days": ex.horizon_days,
        "cutoff_step_days": int(p["cutoff_step_days"]),
        "n_cutoffs": len(ex.cutoffs),
        "test_from": str(min(scored).date()),
        "n_test_cutoffs": len(scored),
        "examples": int(counts.loc[counts["target"] != "", "n"].sum()),
        "without_purchase": int(counts.loc[counts["target"] == "", "n"].sum()),
    }
    shares = share_forecast(rows["cutoff"].to_numpy(), proba, model.classes, ex.counts, ex.horizon_days)
    return {"framing": framing, "share_forecast": shares}


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
