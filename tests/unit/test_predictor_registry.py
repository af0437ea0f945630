"""Registry round-trip (JSON only), and the train/evaluate/predict CLI end to end."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from core.cli import main
from core.predictor.errors import ModelLoadError
from core.predictor.features import matrix
from core.predictor.registry import latest_model, list_models, load_model
from core.predictor.synthetic import synthetic_events, write_events
from core.predictor.train import train
from core.settings import load_settings

FAST = {
    "n_estimators": 20,
    "learning_rate": 0.3,
    "max_depth": 3,
    "shap_sample": 100,
    "early_stopping_rounds": 5,
}


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    return write_events(
        synthetic_events(20_000, signal=True, seed=4), tmp_path_factory.mktemp("ev") / "events.parquet"
    )


def test_registry_round_trip_newest_first(events, tmp_path):
    settings = load_settings()
    first, ev1 = train(events, tmp_path / "20250101-000000-aaaaaa", settings=settings, **FAST)
    second, _ = train(events, tmp_path / "20250102-000000-bbbbbb", settings=settings, seed=7, **FAST)
    listed = list_models(tmp_path)
    assert [m["path"] for m in listed] == [str(second), str(first)]
    assert latest_model(tmp_path) == second
    assert {p.name for p in first.iterdir()} == {
        "model.json",
        "propensity.json",
        "meta.json",
        "shap.npz",
        "shap_global.json",
    }
    meta = json.loads((first / "meta.json").read_text())
    for key in ("features", "classes", "params", "metrics", "data", "created", "versions", "baselines"):
        assert key in meta
    assert meta["metrics"] == ev1 and meta["data"]["sha256"] and meta["versions"]["xgboost"]
    model = load_model(first)
    # the reloaded booster reproduces the saved test metrics' inputs deterministically
    x = np.random.default_rng(0).random((5, len(model.features)), dtype=np.float32)
    proba = model.predict_proba(x)
    assert proba.shape == (5, len(model.classes)) and np.allclose(proba.sum(axis=1), 1, atol=1e-5)
    assert np.array_equal(proba, load_model(first).predict_proba(x))
    assert matrix(pd.DataFrame(x, columns=model.features), model.categories).shape == x.shape


def test_default_root_is_settings_models_dir(events):
    settings = load_settings()
    model_dir, _ = train(events, settings=settings, **FAST)
    assert model_dir.parent == settings.models_dir
    assert latest_model(settings.models_dir) is not None


def test_broken_model_folders_get_clear_errors(tmp_path, events):
    with pytest.raises(ModelLoadError, match="does not exist"):
        load_model(tmp_path / "missing")
    model_dir, _ = train(events, tmp_path / "m", **FAST)
    (model_dir / "model.json").write_text("{not json")
    with pytest.raises(ModelLoadError, match="not an XGBoost JSON model"):
        load_model(model_dir)
    meta = json.loads((model_dir / "meta.json").read_text())
    (model_dir / "meta.json").write_text(json.dumps({**meta, "format": 1}))
    with pytest.raises(ModelLoadError, match="retired purchase-pair framing"):
        load_model(model_dir)
    (model_dir / "meta.json").write_text(json.dumps({**meta, "format": 2}))
    with pytest.raises(ModelLoadError, match="no purchase propensity"):
        load_model(model_dir)
    (model_dir / "meta.json").write_text(json.dumps(meta))
    (model_dir / "model.json").unlink()
    with pytest.raises(ModelLoadError, match="no model.json"):
        load_model(model_dir)
    (model_dir / "meta.json").write_text("[]x")
    with pytest.raises(ModelLoadError, match="not valid JSON"):
        load_model(model_dir)
    assert list_models(tmp_path) == []


def test_cli_train_evaluate_predict(events, tmp_path, capsys):
    model_dir = tmp_path / "cli-model"
    assert (
        main(["train", str(events), "--out", str(model_dir), "--n-estimators", "20", "--horizon-days", "14"])
        == 0
    )
    trained = json.loads(capsys.readouterr().out)
    assert trained["n_test"] > 50 and trained["macro_f1"] > trained["baselines"]["markov"]["macro_f1"]
    assert trained["framing"]["horizon_days"] == 14 and trained["framing"]["kind"] == "cutoff"
    assert main(["evaluate", "--model", str(model_dir), str(events)]) == 0
    assert json.loads(capsys.readouterr().out).keys() == trained.keys()
    out = tmp_path / "pred" / "predictions.csv"
    assert main(["predict", "--model", str(model_dir), str(events), "--out", str(out)]) == 0
    pred = pd.read_csv(out)
    assert list(pred.columns) == [
        "user_id",
        "last_category",
        "predicted_category",
        "confidence",
        "top3",
        "p_buy",
    ]
    printed = json.loads(capsys.readouterr().out)
    assert len(pred) == printed["customers"] > 50 and printed["cutoff"] == "2019-12-31"
    assert printed["share_forecast"] == trained["share_forecast"]["chosen"]
    top = tmp_path / "pred" / "top.csv"
    assert main(["predict", "--model", str(model_dir), str(events), "--out", str(top), "--top", "10"]) == 0
    capsys.readouterr()
    target = pd.read_csv(top)  # the campaign's target list: the 10 likeliest buyers, likeliest first
    assert len(target) == 10 and target["p_buy"].is_monotonic_decreasing
    assert target["p_buy"].min() >= pred["p_buy"].nlargest(10).min()
    with pytest.raises(SystemExit):
        main(["predict", "--model", str(model_dir), str(events), "--out", str(top), "--top", "0"])
    assert "--top takes a whole number >= 1" in capsys.readouterr().err
    early = tmp_path / "pred" / "early.csv"
    assert (
        main(["predict", "--model", str(model_dir), str(events), "--out", str(early), "--at", "2019-10-20"])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["cutoff"] == "2019-10-20"
    assert 0 < len(pd.read_csv(early)) < len(pred)


def test_cli_reports_errors_on_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("event_time,event_type\n2019-10-01 00:00:00 UTC,view\n")
    assert main(["train", str(bad), "--out", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: bad.csv is missing columns category_code, price, user_id")
    assert (
        main(["predict", "--model", str(tmp_path / "none"), str(bad), "--out", str(tmp_path / "p.csv")]) == 1
    )
    assert "does not exist" in capsys.readouterr().err
    # a log too short to form any (customer, cutoff) example: non-zero, one line that says why
    short = write_events(synthetic_events(2_000, seed=1, span_days=12), tmp_path / "short.csv")
    assert main(["train", str(short), "--out", str(tmp_path / "m2")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: too little data to form any example") and err.count("\n") == 1
