"""Training honesty: beats every baseline on the demo events, cannot beat the majority on noise."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb

from core.predictor.errors import TooLittleDataError
from core.predictor.explain import beeswarm, explained_customers, global_importance, waterfall
from core.predictor.predict import COLUMNS, predict_next
from core.predictor.registry import load_model
from core.predictor.synthetic import synthetic_events, write_events
from core.predictor.train import evaluate_model, train

FAST = {"n_estimators": 60, "learning_rate": 0.3, "max_depth": 4, "n_jobs": 2, "shap_sample": 300,
        "early_stopping_rounds": 10}
SPEC_KEYS = {"accuracy", "balanced_accuracy", "macro_f1", "weighted_f1", "top3_accuracy", "log_loss",
             "n_train", "n_test", "per_category", "baselines"}
EXTRA_KEYS = {"per_category_lift", "confusion_matrix", "calibration"}


@pytest.fixture(scope="module")
def demo_model(demo_dir, tmp_path_factory):
    seen = []
    model_dir, result = train(demo_dir / "events.csv", tmp_path_factory.mktemp("m") / "demo",
                              progress=lambda f, m: seen.append((f, m)), **FAST)
    return model_dir, result, seen


def test_demo_model_beats_every_baseline_clearly(demo_model):
    _, ev, _ = demo_model
    best = max(b["macro_f1"] for b in ev["baselines"].values())
    assert ev["macro_f1"] > best + 0.3, (ev["macro_f1"], ev["baselines"])
    assert ev["accuracy"] > max(b["accuracy"] for b in ev["baselines"].values()) + 0.3
    assert ev["top3_accuracy"] >= ev["accuracy"]
    # every category with test support is predicted well above what the baselines manage
    for cat, lifts in ev["per_category_lift"].items():
        if ev["per_category"][cat]["support"] >= 30:
            assert min(lifts.values()) > 0.2, (cat, lifts)


def test_evaluation_json_has_the_spec_keys_and_consistent_extras(demo_model):
    _, ev, _ = demo_model
    assert set(ev) == SPEC_KEYS | EXTRA_KEYS
    assert set(ev["baselines"]) == {"majority", "last_category", "markov"}
    assert all(set(b) == {"accuracy", "macro_f1"} for b in ev["baselines"].values())
    assert all(set(v) == {"precision", "recall", "f1", "support"} for v in ev["per_category"].values())
    assert sum(v["support"] for v in ev["per_category"].values()) == ev["n_test"]
    cm = np.array(ev["confusion_matrix"]["matrix"])
    assert cm.sum() == ev["n_test"] and math.isclose(np.trace(cm) / cm.sum(), ev["accuracy"])
    cal = ev["calibration"]
    assert sum(b["count"] for b in cal["bins"]) == ev["n_test"]
    assert 0 < cal["brier"] < 1 and cal["expected_calibration_error"] < 0.1
    assert 0 < ev["log_loss"] < 1


def test_temporal_split_and_progress(demo_model):
    model_dir, ev, seen = demo_model
    meta = load_model(model_dir).meta
    split = meta["split"]
    assert split["kind"] == "temporal" and split["test_from"] >= split["train_until"]
    assert split["n_test"] == ev["n_test"] and split["n_train"] + split["n_validation"] == ev["n_train"]
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("Boosting round" in m for _, m in seen)


def test_no_signal_means_no_lift_over_majority(tmp_path):
    """Leakage test: the next category is independent of everything observable."""
    path = write_events(synthetic_events(45_000, signal=False, seed=11), tmp_path / "noise.csv")
    _, ev = train(path, tmp_path / "noise", **FAST)
    majority = ev["baselines"]["majority"]["accuracy"]
    noise = 3 * math.sqrt(majority * (1 - majority) / ev["n_test"])
    assert ev["n_test"] > 900
    assert ev["accuracy"] <= majority + noise, (ev["accuracy"], majority, noise)
    # the same generator with a browsing signal is learnable, so the check above can fail
    path = write_events(synthetic_events(20_000, signal=True, seed=11), tmp_path / "signal.csv")
    _, ev = train(path, tmp_path / "signal", **FAST)
    assert ev["accuracy"] > ev["baselines"]["majority"]["accuracy"] + 0.2


def test_too_small_dataset_gets_a_clear_message(shared_data, tmp_path):
    with pytest.raises(TooLittleDataError, match=r"too little data to train: 0 .*27 apparel events"):
        train(shared_data / "rees46" / "2019-Oct-first1000.csv", tmp_path / "m")


def test_predict_and_evaluate_with_the_saved_model(demo_model, demo_dir):
    model_dir, ev, _ = demo_model
    pred = predict_next(model_dir, demo_dir / "events.csv")
    assert list(pred.columns) == COLUMNS
    assert len(pred) == 3000 and pred["user_id"].is_unique
    assert pred["confidence"].between(0, 1).all()
    assert pred["confidence"].is_monotonic_decreasing
    top3 = pred["top3"].str.split("|")
    assert (top3.str.len() == 3).all() and (top3.str[0] == pred["predicted_category"]).all()
    again = evaluate_model(load_model(model_dir), demo_dir / "events.csv")
    assert set(again) == SPEC_KEYS | EXTRA_KEYS
    assert again["n_train"] == ev["n_train"] and again["n_test"] > ev["n_test"]


def test_shap_is_stored_once_and_adds_up(demo_model):
    model_dir, _, _ = demo_model
    model = load_model(model_dir)
    top = global_importance(model_dir, top=5)
    assert top["feature"].nunique() == 5
    assert any(f.startswith(("views_", "view_share_", "carts_", "last_view_is_")) for f in top["feature"])
    bees = beeswarm(model_dir, model.features, model.classes, "shoes", top=6)
    assert bees["feature"].nunique() == 6 and bees["value_rank"].between(0, 1).all()
    user = explained_customers(model_dir)[0]
    wf = waterfall(model_dir, model.features, model.classes, user)
    total = wf["base"] + sum(i["shap"] for i in wf["items"]) + wf["rest"]
    assert math.isclose(total, wf["output"], rel_tol=1e-4, abs_tol=1e-4)
    # the stored explanation matches the model's own margin for that customer's row
    with np.load(model_dir / "shap.npz", allow_pickle=False) as data:
        row = int(np.flatnonzero(data["user_ids"] == user)[-1])
        x = data["x"][row : row + 1]
    margin = model.booster.predict(xgb.DMatrix(x, feature_names=model.features), output_margin=True)
    assert math.isclose(float(margin.reshape(-1)[model.classes.index(wf["class"])]), wf["output"], abs_tol=1e-3)


def test_split_modes_keep_test_apart():
    from core.predictor.train import _split

    rng = np.random.default_rng(0)
    n = 2000
    rows = pd.DataFrame({"user_id": rng.integers(0, 300, n).astype(str),
                         "next_ts": pd.Timestamp("2019-10-01") + pd.to_timedelta(rng.integers(0, 60 * 86400, n), "s")})
    base = {"test_fraction": 0.2, "validation_fraction": 0.1, "test_cutoff": "", "min_test": 20, "seed": 1}
    tr, val, te, info = _split(rows, {**base, "split": "temporal"})
    assert len(te) == 400 and rows["next_ts"].iloc[te].min() >= rows["next_ts"].iloc[np.r_[tr, val]].max()
    assert rows["next_ts"].iloc[val].min() >= rows["next_ts"].iloc[tr].max()
    tr, val, te, info = _split(rows, {**base, "split": "temporal", "test_cutoff": "2019-11-15"})
    assert (rows["next_ts"].iloc[te] >= pd.Timestamp("2019-11-15")).all()
    assert (rows["next_ts"].iloc[np.r_[tr, val]] < pd.Timestamp("2019-11-15")).all()
    tr, val, te, info = _split(rows, {**base, "split": "user"})
    assert not set(rows["user_id"].iloc[te]) & set(rows["user_id"].iloc[np.r_[tr, val]])
    assert info["kind"] == "user" and sorted(np.r_[tr, val, te].tolist()) == list(range(n))
    with pytest.raises(TooLittleDataError, match="split leaves"):
        _split(rows, {**base, "split": "temporal", "test_cutoff": "2030-01-01"})
