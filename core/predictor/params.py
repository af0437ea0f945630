"""Predictor parameters: built-in defaults < config/predictor.toml < keyword overrides."""

from __future__ import annotations

from typing import Any

from core.predictor.errors import PredictorError
from core.settings import Settings, load_settings

DEFAULTS: dict[str, Any] = {
    "apparel_prefix": "apparel", "memory_limit": "768MB", "threads": 2,
    "min_transitions": 60, "min_class_support": 5, "min_test": 20,
    "split": "temporal", "test_fraction": 0.2, "test_cutoff": "", "validation_fraction": 0.15,
    "n_estimators": 300, "learning_rate": 0.15, "max_depth": 6, "min_child_weight": 1.0, "max_bin": 128,
    "subsample": 0.9, "colsample_bytree": 0.9, "early_stopping_rounds": 20, "class_weights": False,
    "n_jobs": 2, "seed": 42, "shap_sample": 600,
}


def resolve_params(settings: Settings | None = None, **overrides: Any) -> dict[str, Any]:
    """Merged parameters; an unknown name is an error rather than silently ignored."""
    settings = settings or load_settings()
    params = dict(DEFAULTS)
    for source, values in (("config/predictor.toml", settings.section("predictor")), ("arguments", overrides)):
        unknown = sorted(set(values) - set(DEFAULTS))
        if unknown:
            raise PredictorError(f"unknown predictor parameter(s) in {source}: {', '.join(unknown)}; "
                                 f"known: {', '.join(sorted(DEFAULTS))}")
        params.update({k: v for k, v in values.items() if v is not None})
    if params["split"] not in ("temporal", "user"):
        raise PredictorError(f"split must be 'temporal' or 'user', not {params['split']!r}")
    if not 0 < float(params["test_fraction"]) < 1 or not 0 < float(params["validation_fraction"]) < 1:
        raise PredictorError("test_fraction and validation_fraction must be between 0 and 1")
    return params


def model_data_params(meta: dict, *extra: str) -> dict[str, Any]:
    """The loading parameters a saved model was trained with, so new events are read the same way."""
    keep = ("apparel_prefix", "memory_limit", "threads", *extra)
    return {k: meta.get("params", {}).get(k) for k in keep}

