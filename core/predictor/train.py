"""Train, evaluate and save the purchase models (XGBoost `hist`, early stopping, seeded).

Cutoff framing (features.py): an example is (customer, cutoff T), features strictly before T. Two
models share the features: *what* (the category of the first apparel purchase in (T, T+H]) and *who*
(whether there is one). The split is on cutoffs (split.py): nothing learnt comes from a label window
that reaches into the test period; fit.py fits both and scoring.py judges them beside baselines in the
same framing, with bootstrap intervals, and backtests the volume forecast a campaign consumes.
"""

from __future__ import annotations

import platform
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.predictor.data import EventData, Examples, fingerprint
from core.predictor.errors import TooLittleDataError
from core.predictor.events import EventsInput
from core.predictor.explain import compute_shap
from core.predictor.fit import fit_and_score, frame
from core.predictor.params import model_data_params, resolve_params
from core.predictor.registry import TrainedModel, latest_model, new_model_dir, save_model
from core.predictor.scoring import score
from core.predictor.split import CutoffSplit
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
    per_category_lift, per_category_verdict, confusion_matrix and calibration.
    """
    settings = settings or load_settings()
    p = resolve_params(settings, **params)
    report(progress, 0.02, "Loading events with DuckDB…")
    ex, plan = frame_examples(events, p)
    report(
        progress,
        0.15,
        f"Built {len(ex.frame):,} customer-cutoffs ({len(ex.labelled):,} with a purchase in the window) at "
        f"{len(ex.cutoffs)} cutoffs from {ex.stats.events:,} apparel events",
    )
    fitted = fit_and_score(ex, plan, p, progress)
    fit_idx, val_idx, test_idx = fitted.parts

    report(progress, 0.95, "Computing SHAP explanations…")
    model_dir = Path(out_dir) if out_dir is not None else new_model_dir(settings.models_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    sample = _shap_sample(test_idx, int(p["shap_sample"]), int(p["seed"]))
    compute_shap(
        fitted.model.booster,
        fitted.x[sample],
        fitted.model.features,
        ex.classes,
        ex.frame["user_id"].to_numpy()[sample],
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
        "features": fitted.model.features,
        "params": p,
        "best_iteration": fitted.best_iteration,
        "propensity_rounds": fitted.model.propensity.num_boosted_rounds(),
        "split": split_info,
        "baselines": fitted.state,
        "metrics": fitted.result,
        "data": fingerprint(ex.stats),
        "load": ex.stats.to_dict(),
        "versions": _versions(),
    }
    save_model(model_dir, fitted.model.booster, meta, fitted.model.propensity)
    report(progress, 1.0, f"Saved model {model_dir.name}")
    return model_dir, fitted.result


def evaluate_model(model: TrainedModel, events: EventsInput, *, settings: Settings | None = None) -> dict:
    """Score a saved model at every cutoff of `events` (bring held-out data for an honest figure)."""
    p = resolve_params(settings, **model_data_params(model.meta, "min_test", "seed", "bootstrap_rounds"))
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
    n = int(ex.frame["target"].isin(model.classes).sum())
    if n < int(p["min_test"]):
        raise TooLittleDataError(
            f"only {n} examples in these events (need {p['min_test']}) to evaluate: {profile}; pass more events"
        )
    return score(model, ex, cutoffs, model.meta["baselines"], model.meta["metrics"]["n_train"], p)


def frame_examples(events: EventsInput, p: dict) -> tuple[Examples, CutoffSplit]:
    """What `train` builds before fitting: every customer at every cutoff of the split, and the split.
    Public so the benchmark times exactly this."""
    with EventData(events, p) as data:
        return frame(data, int(p["horizon_days"]), p)


def _shap_sample(test_idx: np.ndarray, n: int, seed: int) -> np.ndarray:
    if len(test_idx) <= n:
        return test_idx
    return np.sort(np.random.default_rng(seed).choice(test_idx, size=n, replace=False))


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
