"""Predictor parameters: built-in defaults < config/predictor.toml < keyword overrides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.predictor.errors import PredictorError
from core.settings import Settings, load_settings

DEFAULTS: dict[str, Any] = {
    "apparel_prefix": "apparel",
    "memory_limit": "768MB",
    "threads": 2,
    "horizon_days": 14,
    "cutoff_step_days": 3,
    "warmup_days": 7,
    "min_examples": 60,
    "min_class_support": 5,
    "min_test": 20,
    "test_from": 0.7,
    "test_cutoff": "",
    "validation_fraction": 0.15,
    "n_estimators": 300,
    "learning_rate": 0.15,
    "max_depth": 6,
    "min_child_weight": 1.0,
    "max_bin": 128,
    "subsample": 0.9,
    "colsample_bytree": 0.9,
    "early_stopping_rounds": 20,
    "refit": True,
    "class_weights": False,
    "n_jobs": 2,
    "seed": 42,
    "shap_sample": 300,
    "propensity_rounds": 200,
    "propensity_learning_rate": 0.1,
    "propensity_max_depth": 4,
    "negative_ratio": 3.0,
    "bootstrap_rounds": 200,
}


def resolve_params(settings: Settings | None = None, **overrides: Any) -> dict[str, Any]:
    """Merged parameters; an unknown name is an error rather than silently ignored."""
    settings = settings or load_settings()
    params = dict(DEFAULTS)
    for source, values in (
        ("config/predictor.toml", settings.section("predictor")),
        ("arguments", overrides),
    ):
        params.update(check_params(values, source))
    return params


def check_params(values: Mapping[str, Any], source: str = "arguments") -> dict[str, Any]:
    """The given parameters (None = default), checked: unknown names and out-of-range values are refused
    with a PredictorError naming `source`. Callers that hold training parameters (a campaign's inputs)
    check them when they are built, long before training starts."""
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise PredictorError(
            f"unknown predictor parameter(s) in {source}: {', '.join(unknown)}; "
            f"known: {', '.join(sorted(DEFAULTS))}"
        )
    given = {k: v for k, v in values.items() if v is not None}
    if any(not 0 < float(given.get(k, 0.5)) < 1 for k in ("test_from", "validation_fraction")):
        raise PredictorError("test_from and validation_fraction must be between 0 and 1")
    for key in ("horizon_days", "cutoff_step_days"):
        if key in given and int(given[key]) < 1:
            raise PredictorError(f"{key} must be a whole number of days >= 1, not {given[key]!r}")
    return given


def model_data_params(meta: dict, *extra: str) -> dict[str, Any]:
    """The loading parameters a saved model was trained with, so new events are read the same way."""
    keep = (
        "apparel_prefix",
        "memory_limit",
        "threads",
        "horizon_days",
        "cutoff_step_days",
        "warmup_days",
        *extra,
    )
    return {k: meta.get("params", {}).get(k) for k in keep}
