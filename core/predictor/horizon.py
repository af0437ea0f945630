"""Accuracy vs horizon: how foresight decays as the campaign looks further ahead.

Computed on demand (the page's button): for each horizon H the events are re-framed, a quick model is
trained on the cutoff split and scored beside the baselines on its test cutoffs. The events are
loaded once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.predictor.baselines import fit_baselines
from core.predictor.data import EventData
from core.predictor.errors import TooLittleDataError
from core.predictor.events import EventsInput
from core.predictor.features import feature_names, matrix
from core.predictor.params import resolve_params
from core.predictor.registry import TrainedModel
from core.predictor.split import split_cutoffs
from core.predictor.train import check_enough, evaluate_rows, fit_booster
from core.progress import Progress, report
from core.settings import Settings

HORIZONS = (3, 7, 14, 30)
_QUICK_ROUNDS = 80


def horizon_curve(
    events: EventsInput,
    horizons: tuple[int, ...] = HORIZONS,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    **params: Any,
) -> pd.DataFrame:
    """One row per horizon: model, best-baseline and majority accuracy, macro-F1, test size (or why none)."""
    p = resolve_params(settings, **params)
    p["n_estimators"] = min(int(p["n_estimators"]), _QUICK_ROUNDS)
    rows = []
    with EventData(events, p) as data:
        categories, classes = data.categories()
        for n, horizon in enumerate(horizons):
            report(progress, n / len(horizons), f"Horizon {horizon} days: framing and training…")
            try:
                rows.append(_one(data, categories, classes, int(horizon), p))
            except TooLittleDataError as exc:
                rows.append({"horizon_days": int(horizon), "note": str(exc)})
    report(progress, 1.0, "Horizon curve done")
    return pd.DataFrame(rows)


def _one(data: EventData, categories: list[str], classes: list[str], horizon: int, p: dict) -> dict:
    plan = split_cutoffs(data.grid(horizon), data.span, horizon, p)
    ex = data.examples(categories, classes, plan.fit + plan.validation + plan.test, horizon)
    labelled = check_enough(ex, p)
    when = labelled["cutoff"]
    fit_idx, val_idx, test_idx = (
        np.flatnonzero(when.isin(c).to_numpy()) for c in (plan.fit, plan.validation, plan.test)
    )
    if min(len(fit_idx), len(val_idx), len(test_idx)) == 0:
        raise TooLittleDataError(f"no examples in one part of the split for a {horizon}-day horizon")
    feats = feature_names(categories)
    x = matrix(labelled, categories)
    y = labelled["target"].map({c: i for i, c in enumerate(classes)}).to_numpy()
    booster, _ = fit_booster(x, y, fit_idx, val_idx, feats, len(classes), p)
    train_idx = np.concatenate([fit_idx, val_idx])
    state = fit_baselines(
        labelled["last_category"].to_numpy()[train_idx], labelled["target"].to_numpy()[train_idx]
    )
    model = TrainedModel(
        booster=booster, meta={"classes": classes, "categories": categories, "features": feats}
    )
    ev = evaluate_rows(model, labelled.iloc[test_idx], state, n_train=len(train_idx), x=x[test_idx])
    return {
        "horizon_days": horizon,
        "model": ev["accuracy"],
        "best baseline": max(b["accuracy"] for b in ev["baselines"].values()),
        "majority": ev["baselines"]["majority"]["accuracy"],
        "macro_f1": ev["macro_f1"],
        "n_test": ev["n_test"],
        "note": "",
    }
