"""Model registry: `<root>/<id>/model.json` (XGBoost's own JSON) + `meta.json`.

Only JSON is ever written or read here (and an .npz of SHAP numbers loaded with
allow_pickle=False elsewhere); a model folder from anyone can be opened without running code.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import xgboost as xgb

from core.predictor.errors import ModelLoadError

MODEL_FILE = "model.json"
PROPENSITY_FILE = "propensity.json"
META_FILE = "meta.json"
FORMAT = 3  # 2: cutoff framing (features before a cutoff, target within a horizon); 3: + propensity


@dataclass
class TrainedModel:
    """A loaded model: the category booster, the propensity booster (who buys) and what they need to
    build their inputs and name their outputs."""

    booster: xgb.Booster
    meta: dict
    path: Path | None = None
    propensity: xgb.Booster | None = None
    classes: list[str] = field(init=False)
    categories: list[str] = field(init=False)
    features: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.classes = list(self.meta["classes"])
        self.categories = list(self.meta["categories"])
        self.features = list(self.meta["features"])

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, columns in `classes` order."""
        if len(x) == 0:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        proba = self.booster.predict(xgb.DMatrix(x, feature_names=self.features))
        return proba.reshape(len(x), len(self.classes))

    def p_buy(self, x: np.ndarray) -> np.ndarray:
        """P(any apparel purchase in (T, T+H]) per row."""
        if self.propensity is None:
            raise ModelLoadError("this model has no propensity booster; retrain it (python -m core train …)")
        if len(x) == 0:
            return np.zeros(0, dtype=np.float32)
        return self.propensity.predict(xgb.DMatrix(x, feature_names=self.features))


def new_model_dir(root: Path) -> Path:
    """A fresh, sortable id: UTC time plus a short random suffix."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(root) / f"{stamp}-{secrets.token_hex(3)}"


def save_model(model_dir: Path, booster: xgb.Booster, meta: dict, propensity: xgb.Booster) -> Path:
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(model_dir / MODEL_FILE))
    propensity.save_model(str(model_dir / PROPENSITY_FILE))
    meta = {"format": FORMAT, "id": model_dir.name, **meta}
    (model_dir / META_FILE).write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")
    return model_dir


def read_meta(model_dir: Path) -> dict:
    path = Path(model_dir) / META_FILE
    if not path.is_file():
        raise ModelLoadError(f"{model_dir} has no {META_FILE}: train a model first (python -m core train …)")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelLoadError(f"{path} is not valid JSON ({exc}); retrain the model") from exc
    missing = [k for k in ("classes", "categories", "features") if k not in meta]
    if missing:
        raise ModelLoadError(f"{path} lacks {', '.join(missing)}; it was not written by this predictor")
    if meta.get("format", 1) < FORMAT:
        raise ModelLoadError(
            f"{Path(model_dir).name} was trained before this version (no purchase propensity, or the "
            "retired purchase-pair framing that scored the cart before each purchase); retrain it "
            "(python -m core train …)"
        )
    return meta


def load_model(model_dir: Path | str) -> TrainedModel:
    """Open a model folder (only its JSON files are read)."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelLoadError(
            f"model folder {model_dir} does not exist; train one or pick one from the registry"
        )
    meta = read_meta(model_dir)
    model_path = model_dir / MODEL_FILE
    if not model_path.is_file():
        raise ModelLoadError(f"{model_dir} has no {MODEL_FILE}; the model folder is incomplete, retrain it")
    boosters = []
    for path in (model_path, model_dir / PROPENSITY_FILE):
        if not path.is_file():
            raise ModelLoadError(
                f"{model_dir} has no {path.name}; the model folder is incomplete, retrain it"
            )
        booster = xgb.Booster()
        try:
            booster.load_model(str(path))
        except xgb.core.XGBoostError as exc:
            raise ModelLoadError(f"{path} is not an XGBoost JSON model ({str(exc)[:200]})") from exc
        boosters.append(booster)
    return TrainedModel(booster=boosters[0], meta=meta, path=model_dir, propensity=boosters[1])


def list_models(root: Path | str) -> list[dict]:
    """Every readable model's meta under root (plus its `path`), newest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for child in root.iterdir():
        if not (child / META_FILE).is_file() or not (child / MODEL_FILE).is_file():
            continue
        try:
            meta = read_meta(child)
        except ModelLoadError:
            continue
        found.append({**meta, "path": str(child)})
    return sorted(found, key=lambda m: (str(m.get("created", "")), m["path"]), reverse=True)


def latest_model(root: Path | str) -> Path | None:
    models = list_models(root)
    return Path(models[0]["path"]) if models else None
