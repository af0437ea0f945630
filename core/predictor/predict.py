"""Who buys and what at a cutoff, per customer, and the category volume forecast a campaign consumes."""

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
from core.predictor.shares import MODEL, NAIVE, buyer_counts, expected_buyers
from core.settings import Settings

COLUMNS = ["user_id", "last_category", "predicted_category", "confidence", "top3", "p_buy"]
SHARE_COLUMNS = [
    "category",
    "customers",
    "share",
    "expected_buyers",
    "forecast",
    "model_share",
    "naive_share",
    "mean_confidence",
]


@dataclass
class Forecast:
    cutoff: pd.Timestamp
    horizon_days: int
    predictions: pd.DataFrame
    """COLUMNS, one row per customer with an apparel purchase before the cutoff, likeliest buyer first."""
    shares: pd.DataFrame
    """category_shares(): the forecast buyers and shares of the purchases in (cutoff, cutoff + horizon]."""
    chosen: str = MODEL
    """the forecast the shares follow: the one with the lower backtest error ("model" or "naive")"""


def forecast(
    model_dir_or_model: Path | str | TrainedModel,
    events: EventsInput,
    *,
    at: str | None = None,
    top: int | None = None,
    settings: Settings | None = None,
) -> Forecast:
    """Score every customer with an apparel purchase before the cutoff `at` (default: end of the data):
    who buys (p_buy) and what (the category if they buy); `top` keeps the likeliest buyers only.

    The cutoff is a day (midnight); only events before it are read, as in training. The shares follow
    the forecast the model's backtest chose (meta metrics.share_forecast.chosen).
    """
    model = (
        model_dir_or_model if isinstance(model_dir_or_model, TrainedModel) else load_model(model_dir_or_model)
    )
    p = resolve_params(settings, **model_data_params(model.meta))
    horizon = int(p["horizon_days"])
    chosen = model.meta.get("metrics", {}).get("share_forecast", {}).get("chosen", MODEL)
    with EventData(events, p) as data:
        if data.span is None:
            return _empty(pd.Timestamp(at or "1970-01-01"), horizon, model.classes, chosen)
        cutoff = cutoff_at(at, data.span[1])
        ex = data.examples(
            model.categories,
            model.classes,
            [cutoff],
            horizon,
            all_customers_from=cutoff,
            count_cutoffs=[cutoff - pd.Timedelta(days=horizon)],
        )
    rows = ex.frame
    if rows.empty:
        return _empty(cutoff, horizon, model.classes, chosen)
    x = matrix(rows, model.categories)
    proba, p_buy = model.predict_proba(x), model.p_buy(x)
    classes = np.array(model.classes, dtype=object)
    top3 = np.argsort(-proba, axis=1, kind="stable")[:, :3]
    out = pd.DataFrame(
        {
            "user_id": rows["user_id"].to_numpy(),
            "last_category": rows["last_category"].to_numpy(),
            "predicted_category": classes[top3[:, 0]],
            "confidence": np.round(proba[np.arange(len(rows)), top3[:, 0]].astype(float), 4),
            "top3": ["|".join(t) for t in classes[top3]],
            "p_buy": np.round(p_buy.astype(float), 4),
        }
    )
    out = out.sort_values(["p_buy", "user_id"], ascending=[False, True], ignore_index=True)
    naive = buyer_counts(ex.counts, cutoff - pd.Timedelta(days=horizon), model.classes)
    if chosen == NAIVE and naive.sum() == 0:
        chosen = MODEL  # nobody bought in the last H days: there is no naive forecast to use
    shares = category_shares(out, expected_buyers(p_buy, proba), naive, model.classes, chosen)
    return Forecast(cutoff, horizon, out if top is None else out.head(int(top)), shares, chosen)


def category_shares(
    predictions: pd.DataFrame, expected: np.ndarray, naive: np.ndarray, classes: list[str], chosen: str
) -> pd.DataFrame:
    """Per category: the `chosen` forecast's buyers (`expected_buyers`) and `share` of the next H days'
    purchases, both forecasts' shares beside it, which one it is (`forecast`), and how many customers
    have the category as their top prediction (`customers`).

    The model's buyers are Σ P(buy) · P(category | buy); counting top predictions would hand the
    largest class far more than its share.
    """
    top = predictions.groupby("predicted_category").agg(
        customers=("user_id", "size"), mean_confidence=("confidence", "mean")
    )
    model, naive = np.asarray(expected, dtype=float), np.asarray(naive, dtype=float)
    used = naive if chosen == NAIVE else model
    frame = pd.DataFrame(
        {
            "category": classes,
            "share": np.round(used / max(used.sum(), 1e-12), 4),
            "expected_buyers": np.round(used, 1),
            "forecast": chosen,
            "model_share": np.round(model / max(model.sum(), 1e-12), 4),
            "naive_share": np.round(naive / max(naive.sum(), 1e-12), 4),
        }
    )
    frame["customers"] = frame["category"].map(top["customers"]).fillna(0).astype(int)
    frame["mean_confidence"] = frame["category"].map(top["mean_confidence"]).fillna(0.0).round(4)
    frame = frame[frame["category"] != OTHER]  # the pooled rare classes are not a category
    ordered = frame.sort_values(["share", "category"], ascending=[False, True], ignore_index=True)
    return ordered[SHARE_COLUMNS]


def _empty(cutoff: pd.Timestamp, horizon: int, classes: list[str], chosen: str) -> Forecast:
    predictions = pd.DataFrame(columns=COLUMNS)
    zeros = np.zeros(len(classes))
    return Forecast(
        cutoff, horizon, predictions, category_shares(predictions, zeros, zeros, classes, chosen), chosen
    )
