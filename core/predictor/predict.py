"""Each customer's next category from their latest purchase and the browsing since."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from core.predictor.data import transitions
from core.predictor.events import EventsInput
from core.predictor.features import OTHER, matrix
from core.predictor.params import model_data_params, resolve_params
from core.predictor.registry import TrainedModel, load_model
from core.settings import Settings

COLUMNS = ["user_id", "last_category", "predicted_category", "confidence", "top3"]


def predict_next(model_dir_or_model: Path | str | TrainedModel, events: EventsInput, *,
                 settings: Settings | None = None) -> pd.DataFrame:
    """One row per customer with at least one apparel purchase, most confident first.

    `top3` is a "|"-joined string (e.g. "tshirt|jeans|shoes") so the frame writes to CSV as is.
    """
    model = (model_dir_or_model if isinstance(model_dir_or_model, TrainedModel)
             else load_model(model_dir_or_model))
    p = resolve_params(settings, **model_data_params(model.meta))
    rows = transitions(events, p, categories=model.categories, classes=model.classes).latest
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    proba = model.predict_proba(matrix(rows, model.categories))
    classes = np.array(model.classes, dtype=object)
    top = np.argsort(-proba, axis=1)[:, :3]
    out = pd.DataFrame({
        "user_id": rows["user_id"].to_numpy(),
        "last_category": rows["last_category"].to_numpy(),
        "predicted_category": classes[top[:, 0]],
        "confidence": np.round(proba[np.arange(len(rows)), top[:, 0]].astype(float), 4),
        "top3": ["|".join(t) for t in classes[top]],
    })
    return out.sort_values(["confidence", "user_id"], ascending=[False, True], ignore_index=True)


def category_shares(predictions: pd.DataFrame) -> pd.DataFrame:
    """Predicted share of next purchases per category: customers whose top prediction it is."""
    grouped = predictions.groupby("predicted_category").agg(
        customers=("user_id", "size"), mean_confidence=("confidence", "mean")
    )
    grouped = grouped.reset_index().rename(columns={"predicted_category": "category"})
    grouped["share"] = (grouped["customers"] / len(predictions)).round(4)
    grouped["mean_confidence"] = grouped["mean_confidence"].round(4)
    grouped = grouped[grouped["category"] != OTHER]  # the pooled rare classes are not a category
    ordered = grouped.sort_values(["customers", "category"], ascending=[False, True], ignore_index=True)
    return ordered[["category", "customers", "share", "mean_confidence"]]
