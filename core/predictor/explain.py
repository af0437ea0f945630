"""SHAP explanations, computed once per model with XGBoost's exact TreeSHAP (pred_contribs).

Stored beside the model as `shap_global.json` (mean |SHAP| per class and feature) and
`shap.npz` (per-row values for a sample of test rows, loaded with allow_pickle=False), so the
page's global, beeswarm and per-customer views never recompute them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import xgboost as xgb

from core.predictor.errors import ModelLoadError

SHAP_FILE = "shap.npz"
GLOBAL_FILE = "shap_global.json"


def compute_shap(
    booster: xgb.Booster,
    x: np.ndarray,
    features: list[str],
    classes: list[str],
    user_ids: np.ndarray,
    model_dir: Path,
) -> dict:
    """Write the SHAP files for rows `x`; returns the global importance table."""
    contrib = booster.predict(xgb.DMatrix(x, feature_names=features), pred_contribs=True)
    contrib = np.asarray(contrib, dtype=np.float32).reshape(len(x), len(classes), len(features) + 1)
    mean_abs = np.abs(contrib[:, :, :-1]).mean(axis=0)  # (classes, features)
    table = {
        c: {f: float(v) for f, v in zip(features, mean_abs[i], strict=True)} for i, c in enumerate(classes)
    }
    np.savez_compressed(
        model_dir / SHAP_FILE,
        values=contrib,
        x=x.astype(np.float32),
        user_ids=np.asarray(user_ids, dtype=str),
    )
    (model_dir / GLOBAL_FILE).write_text(json.dumps({"rows": len(x), "mean_abs": table}), encoding="utf-8")
    return table


def global_importance(model_dir: Path, top: int = 15) -> pd.DataFrame:
    """Long table (feature, class, mean_abs_shap) for the `top` features overall."""
    path = Path(model_dir) / GLOBAL_FILE
    if not path.is_file():
        raise ModelLoadError(f"{model_dir} has no SHAP summary; retrain the model to compute it")
    table = json.loads(path.read_text(encoding="utf-8"))["mean_abs"]
    frame = pd.DataFrame(table)  # index feature, columns classes
    order = frame.sum(axis=1).sort_values(ascending=False).index[:top]
    long = (
        frame.loc[order]
        .reset_index(names="feature")
        .melt(id_vars="feature", var_name="class", value_name="mean_abs_shap")
    )
    return long


def _load(model_dir: Path) -> dict[str, np.ndarray]:
    path = Path(model_dir) / SHAP_FILE
    if not path.is_file():
        raise ModelLoadError(f"{model_dir} has no SHAP values; retrain the model to compute them")
    return _unpack(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _unpack(path: str, mtime_ns: int) -> dict[str, np.ndarray]:
    """Once per file version: the SHAP tab's three views would each decompress it on every rerun."""
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def explained_customers(model_dir: Path) -> list[str]:
    return list(dict.fromkeys(_load(model_dir)["user_ids"].tolist()))


def beeswarm(
    model_dir: Path, features: list[str], classes: list[str], cls: str, top: int = 12
) -> pd.DataFrame:
    """Per-row SHAP values for one class: (feature, shap, value, value_rank) for the top features."""
    data = _load(model_dir)
    values = data["values"][:, classes.index(cls), :-1]
    order = np.argsort(-np.abs(values).mean(axis=0))[:top]
    parts = []
    for j in order:
        col = data["x"][:, j]
        rank = pd.Series(col).rank(pct=True).to_numpy()  # colour by the value's percentile
        parts.append(
            pd.DataFrame(
                {
                    "feature": features[j],
                    "shap": values[:, j],
                    "value": col,
                    "value_rank": np.nan_to_num(rank, nan=0.5),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def waterfall(
    model_dir: Path,
    features: list[str],
    classes: list[str],
    user_id: str,
    cls: str | None = None,
    top: int = 10,
) -> dict:
    """One customer's explanation: base value, the largest contributions, the rest, and the output."""
    data = _load(model_dir)
    rows = np.flatnonzero(data["user_ids"] == str(user_id))
    if len(rows) == 0:
        raise ModelLoadError(f"customer {user_id} is not among the explained test rows")
    row = rows[-1]
    values = data["values"][row]  # (classes, features + 1), in margin (log-odds) units
    c = classes.index(cls) if cls else int(values.sum(axis=1).argmax())
    contrib = values[c, :-1]
    order = np.argsort(-np.abs(contrib))
    shown = order[:top]
    items = [
        {"feature": features[j], "value": float(data["x"][row, j]), "shap": float(contrib[j])} for j in shown
    ]
    rest = float(contrib[order[top:]].sum())
    return {
        "user_id": str(user_id),
        "class": classes[c],
        "base": float(values[c, -1]),
        "items": items,
        "rest": rest,
        "output": float(values[c].sum()),
    }
