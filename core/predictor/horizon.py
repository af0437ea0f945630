"""Accuracy vs horizon: how foresight decays as the campaign looks further ahead.

Computed on demand (the page's button): for each horizon H the events are re-framed and quick models
go through train's own fit-and-score path (fit.py) on the cutoff split: the same figures, verdict
word and who-buys AUC as `train`, with fewer boosting rounds. The events are loaded once.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.predictor.data import EventData
from core.predictor.errors import TooLittleDataError
from core.predictor.events import EventsInput
from core.predictor.fit import fit_and_score, frame
from core.predictor.params import resolve_params
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
    p["propensity_rounds"] = min(int(p["propensity_rounds"]), _QUICK_ROUNDS)
    rows = []
    with EventData(events, p) as data:
        categories = data.categories()
        for n, horizon in enumerate(horizons):
            report(progress, n / len(horizons), f"Horizon {horizon} days: framing and training…")
            try:
                rows.append(_one(data, categories, int(horizon), p))
            except TooLittleDataError as exc:
                rows.append({"horizon_days": int(horizon), "note": str(exc)})
    report(progress, 1.0, "Horizon curve done")
    return pd.DataFrame(rows)


def _one(data: EventData, categories: tuple[list[str], list[str]], horizon: int, p: dict) -> dict:
    ex, plan = frame(data, horizon, p, categories)
    ev = fit_and_score(ex, plan, p).result
    prop = ev["propensity"]
    return {
        "horizon_days": horizon,
        "model": ev["accuracy"],
        "best baseline": max(b["accuracy"] for b in ev["baselines"].values()),
        "majority": ev["baselines"]["majority"]["accuracy"],
        "verdict": ev["verdict"]["word"],
        "macro_f1": ev["macro_f1"],
        "who-buys AUC": prop["auc"],
        "best who-buys baseline AUC": prop["baselines"][prop["best_baseline"]]["auc"]
        if prop["auc"]
        else None,
        "n_test": ev["n_test"],
        "note": "",
    }
