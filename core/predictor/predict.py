"""Each customer's next category at a cutoff, and the category-share forecast a campaign consumes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.predictor.data import EventData
from core.predictor.events import EventsInput
from core.predictor.features import OTHER, cutoff_at, matrix
from core.predictor.params import model_data_params, resolve_params
from core.predictor.registry import TrainedModel, load_model
from core.settings import Settings

COLUMNS = ["user_id", "last_category", "predicted_category", "confidence", "top3"]


@dataclass
class Forecast:
    cutoff: pd.Timestamp
    horizon_days: int
    predictions: pd.DataFrame
    """COLUMNS, one row per customer with an apparel purchase before the cutoff, most confident first."""
    shares: pd.DataFrame
    """category_shares(): the predicted share of the purchases in (cutoff, cutoff + horizon]."""


def forecast(
    model_dir_or_model: Path | str | TrainedModel,
    events: EventsInput,
    *,
    at: str | None = None,
    settings: Settings | None = None,
) -> Forecast:
    """Score every customer with an apparel purchase before the cutoff `at` (default: end of the data).

    The cutoff is a day (midnight); only events before it are read, as in training.
    """
    model = (
        model_dir_or_model if isinstance(model_dir_or_model, TrainedModel) else load_model(model_dir_or_model)
    )
    p = resolve_params(settings, **model_data_params(model.meta))
    horizon = int(p["horizon_days"])
    with EventData(events, p) as data:
        if data.span is None:
            return _empty(pd.Timestamp(at or "1970-01-01"), horizon, model.classes)
        cutoff = cutoff_at(at, data.span[1])
        rows = data.examples(
            model.categories, model.classes, [cutoff], horizon, all_customers_from=cutoff
        ).frame
    if rows.empty:
        return _empty(cutoff, horizon, model.classes)
    proba = model.predict_proba(matrix(rows, model.categories))
    classes = np.array(model.classes, dtype=object)
    top = np.argsort(-proba, axis=1, kind="stable")[:, :3]
    out = pd.DataFrame(
        {
            "user_id": rows["user_id"].to_numpy(),
            "last_category": rows["last_category"].to_numpy(),
            "predicted_category": classes[top[:, 0]],
            "confidence": np.round(proba[np.arange(len(rows)), top[:, 0]].astype(float), 4),
            "top3": ["|".join(t) for t in classes[top]],
        }
    )
    out = out.sort_values(["confidence", "user_id"], ascending=[False, True], ignore_index=True)
    return Forecast(cutoff, horizon, out, category_shares(out, proba.mean(axis=0), model.classes))


def category_shares(predictions: pd.DataFrame, mean_proba: np.ndarray, classes: list[str]) -> pd.DataFrame:
    """Per category: `share` = the mean predicted probability over every scored customer (the share
    forecast, what a campaign consumes) and `customers` = how many have it as their top prediction.

    Counting top predictions alone would hand the largest class far more than its share.
    """
    top = predictions.groupby("predicted_category").agg(
        customers=("user_id", "size"), mean_confidence=("confidence", "mean")
    )
    frame = pd.DataFrame({"category": classes, "share": np.round(np.asarray(mean_proba, dtype=float), 4)})
    frame["customers"] = frame["category"].map(top["customers"]).fillna(0).astype(int)
    frame["mean_confidence"] = frame["category"].map(top["mean_confidence"]).fillna(0.0).round(4)
    frame = frame[frame["category"] != OTHER]  # the pooled rare classes are not a category
    ordered = frame.sort_values(["share", "category"], ascending=[False, True], ignore_index=True)
    return ordered[["category", "customers", "share", "mean_confidence"]]


def _empty(cutoff: pd.Timestamp, horizon: int, classes: list[str]) -> Forecast:
    predictions = pd.DataFrame(columns=COLUMNS)
    return Forecast(
        cutoff, horizon, predictions, category_shares(predictions, np.zeros(len(classes)), classes)
    )
