"""Training honesty in the cutoff framing: a cart before every purchase is never scored, a learnable
log beats every baseline and the naive share forecast, the demo's verdict is stated as it is."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb

from core.predictor.errors import TooLittleDataError
from core.predictor.explain import beeswarm, explained_customers, global_importance, waterfall
from core.predictor.predict import COLUMNS, SHARE_COLUMNS, forecast
from core.predictor.registry import load_model
from core.predictor.split import split_cutoffs
from core.predictor.synthetic import synthetic_events, write_events
from core.predictor.train import evaluate_model, train
from core.predictor.verdict import good_for, verdict_sentence

FAST = {
    "n_estimators": 60,
    "learning_rate": 0.3,
    "max_depth": 4,
    "n_jobs": 2,
    "shap_sample": 300,
    "early_stopping_rounds": 10,
}
SPEC_KEYS = {
    "accuracy",
    "balanced_accuracy",
    "macro_f1",
    "weighted_f1",
    "top3_accuracy",
    "log_loss",
    "n_train",
    "n_test",
    "per_category",
    "baselines",
    "framing",
    "share_forecast",
    "propensity",
    "verdict",
}
EXTRA_KEYS = {"per_category_lift", "per_category_verdict", "confusion_matrix", "calibration"}


@pytest.fixture(scope="module")
def demo_model(demo_dir, tmp_path_factory):
    seen = []
    model_dir, result = train(
        demo_dir / "events.csv",
        tmp_path_factory.mktemp("m") / "demo",
        progress=lambda f, m: seen.append((f, m)),
        **FAST,
    )
    return model_dir, result, seen


def test_a_cart_before_every_purchase_gives_nothing_when_the_next_category_is_random(tmp_path):
    """Leakage test: every purchase follows views and a cart of the very product minutes before it,
    and the category is independent of everything before. Only the majority class is honest."""
    frame = synthetic_events(60_000, signal=False, seed=11)
    buys = frame[frame["event_type"] == "purchase"]
    funnel = buys.merge(
        frame[frame["event_type"] == "cart"], on=["user_id", "category_code"], suffixes=("", "_c")
    )
    funnel = funnel[
        (funnel["ts_c"] < funnel["ts"]) & (funnel["ts"] - funnel["ts_c"] < pd.Timedelta(minutes=30))
    ]
    assert funnel[["user_id", "ts"]].drop_duplicates().shape[0] > 0.85 * len(
        buys
    )  # the funnel is there to read
    _, ev = train(write_events(frame, tmp_path / "noise.csv"), tmp_path / "noise", **FAST)
    majority = ev["baselines"]["majority"]["accuracy"]
    noise = 2 * math.sqrt(majority * (1 - majority) / ev["n_test"])
    assert ev["n_test"] > 3000
    assert abs(ev["accuracy"] - majority) <= max(noise, 0.01), (ev["accuracy"], majority)
    assert ev["macro_f1"] < 0.15 and ev["verdict"]["word"] != "beats"
    assert not any(v["word"] == "beats" for v in ev["per_category_verdict"].values())
    assert "good for the next category" not in good_for(ev)


def test_a_learnable_log_beats_every_baseline_and_the_naive_share_forecast(tmp_path):
    """Positive control for the test above: the same generator with a signal known at the cutoff."""
    _, ev = train(
        write_events(synthetic_events(90_000, signal=True, seed=11), tmp_path / "s.csv"),
        tmp_path / "signal",
        **FAST,
    )
    assert ev["accuracy"] > max(b["accuracy"] for b in ev["baselines"].values()) + 0.15
    assert ev["macro_f1"] > max(b["macro_f1"] for b in ev["baselines"].values()) + 0.15
    v = ev["verdict"]
    assert v["word"] == "beats" and v["accuracy_diff_ci"][0] > 0.1 and v["macro_f1_diff_ci"][0] > 0.1
    assert verdict_sentence(ev).startswith("For the next category the model beats the best baseline")
    sf = ev["share_forecast"]
    assert sf["model_mae"] < 0.8 * sf["naive_mae"] and sf["chosen"] == "model", sf
    assert len(sf["cutoffs"]) == ev["framing"]["n_test_cutoffs"]
    for c in sf["cutoffs"]:
        assert math.isclose(sum(v["predicted"] for v in c["shares"].values()), 1, abs_tol=1e-4)
        assert math.isclose(sum(v["predicted_buyers"] for v in c["shares"].values()), c["expected_buyers"])
        assert math.isclose(sum(v["actual"] for v in c["shares"].values()), 1, abs_tol=1e-9)
        assert c["customers"] > c["buyers"] > 0


def test_evaluation_json_has_the_spec_keys_and_consistent_extras(demo_model):
    _, ev, _ = demo_model
    assert set(ev) == SPEC_KEYS | EXTRA_KEYS
    assert set(ev["baselines"]) == {"majority", "last_category", "markov", "recent_browsing"}
    assert all(set(b) == {"accuracy", "macro_f1"} for b in ev["baselines"].values())
    assert all(set(v) == {"precision", "recall", "f1", "support"} for v in ev["per_category"].values())
    assert sum(v["support"] for v in ev["per_category"].values()) == ev["n_test"]
    f = ev["framing"]
    assert (f["kind"], f["horizon_days"], f["cutoff_step_days"]) == ("cutoff", 14, 3)
    assert f["n_cutoffs"] > f["n_test_cutoffs"] >= 3 and f["without_purchase"] > 0
    sf = ev["share_forecast"]
    assert {"model_mae", "naive_mae", "chosen", "model_count_mae", "naive_count_mae"} <= set(sf)
    assert sf["chosen"] == ("model" if sf["model_mae"] < sf["naive_mae"] else "naive")
    prop = ev["propensity"]
    assert {"auc", "pr_auc", "lift_top20", "baselines", "gains"} <= set(prop)
    assert set(prop["baselines"]) == {"recency", "frequency", "browsing"}
    assert prop["gains"][0]["model"] == 0 and math.isclose(prop["gains"][-1]["model"], 1)
    top20 = next(g for g in prop["gains"] if g["share"] == 0.2)
    assert math.isclose(prop["lift_top20"], top20["model"] / 0.2, abs_tol=1e-3)
    assert np.all(np.diff([g["model"] for g in prop["gains"]]) >= -1e-9)
    assert sum(b["count"] for b in prop["calibration"]["bins"]) == prop["rows"] > ev["n_test"]
    v = ev["verdict"]
    assert v["word"] in {"beats", "level", "worse"} and v["accuracy_diff_ci"][0] <= v["accuracy_diff"]
    assert v["accuracy_diff"] <= v["accuracy_diff_ci"][1] and len(v["macro_f1_diff_ci"]) == 2
    cm = np.array(ev["confusion_matrix"]["matrix"])
    assert cm.sum() == ev["n_test"] and math.isclose(np.trace(cm) / cm.sum(), ev["accuracy"])
    cal = ev["calibration"]
    assert sum(b["count"] for b in cal["bins"]) == ev["n_test"]
    assert 0 < cal["brier"] < 1 and 0 < ev["log_loss"] < 3


def test_demo_figures_are_honest_and_the_verdict_says_what_they_show(demo_model):
    _, ev, _ = demo_model
    best = max(b["accuracy"] for b in ev["baselines"].values())
    # the demo's funnel (a cart minutes before nearly every purchase) no longer inflates the accuracy
    assert ev["accuracy"] < 0.6 and abs(ev["accuracy"] - best) < 0.1
    # +0.012 on ~3,000 examples is within the noise: said as "level", with the interval
    v = ev["verdict"]
    assert v["word"] == "level" and v["accuracy_diff_ci"][0] < 0 < v["accuracy_diff_ci"][1]
    sentence = verdict_sentence(ev)
    assert "level with the best baseline" in sentence and f"{ev['accuracy']:.3f}" in sentence
    lo, hi = v["accuracy_diff_ci"]
    assert f"[{lo:+.3f}, {hi:+.3f}]" in sentence
    # who buys: the demo's buyers browse before buying, and the model ranks them better than recency
    prop = ev["propensity"]
    assert prop["word"] == "beats" and prop["auc"] > max(b["auc"] for b in prop["baselines"].values())
    assert prop["lift_top20"] > 2 and "ranking who buys" in good_for(ev)


def test_split_on_cutoffs_keeps_every_label_window_before_the_test(demo_model):
    model_dir, ev, seen = demo_model
    split = load_model(model_dir).meta["split"]
    horizon = pd.Timedelta(days=14)
    test_from = pd.Timestamp(split["test_from"])
    assert all(
        pd.Timestamp(t) + horizon <= test_from for t in split["fit_cutoffs"] + split["validation_cutoffs"]
    )
    first_val = pd.Timestamp(split["validation_cutoffs"][0])
    assert all(pd.Timestamp(t) + horizon <= first_val for t in split["fit_cutoffs"])
    assert split["n_test"] == ev["n_test"] and split["n_train"] + split["n_validation"] == ev["n_train"]
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("Boosting round" in m for _, m in seen)


def test_split_cutoffs_rules():
    grid = list(pd.date_range("2019-10-08", "2019-12-20", freq="3D"))
    span = (pd.Timestamp("2019-10-01"), pd.Timestamp("2020-01-03"))
    params = {"test_from": 0.7, "test_cutoff": "", "validation_fraction": 0.15}
    plan = split_cutoffs(grid, span, 14, params)
    assert plan.test_from >= span[0] + (span[1] - span[0]) * 0.7 and plan.test == [
        t for t in grid if t >= plan.test_from
    ]
    plan = split_cutoffs(grid, span, 14, {**params, "test_cutoff": "2019-11-30"})
    assert plan.test_from == pd.Timestamp("2019-12-01")  # the first grid day on or after it
    with pytest.raises(TooLittleDataError, match="no test cutoff"):
        split_cutoffs(grid, span, 14, {**params, "test_cutoff": "2020-02-01"})
    with pytest.raises(TooLittleDataError, match="training cutoff"):
        split_cutoffs(grid, span, 14, {**params, "test_cutoff": "2019-10-20"})


def test_too_small_dataset_gets_a_clear_message(shared_data, tmp_path):
    with pytest.raises(TooLittleDataError, match=r"too little data to form any example: .*27 apparel events"):
        train(shared_data / "rees46" / "2019-Oct-first1000.csv", tmp_path / "m")


def test_predict_at_a_cutoff_and_evaluate_with_the_saved_model(demo_model, demo_dir):
    model_dir, ev, _ = demo_model
    result = forecast(model_dir, demo_dir / "events.csv")
    pred = result.predictions
    assert list(pred.columns) == COLUMNS
    assert len(pred) == 3000 and pred["user_id"].is_unique
    assert pred["confidence"].between(0, 1).all() and pred["p_buy"].between(0, 1).all()
    assert pred["p_buy"].is_monotonic_decreasing  # likeliest buyer first: the campaign's target list
    top = forecast(model_dir, demo_dir / "events.csv", top=25).predictions
    assert len(top) == 25 and top.equals(pred.head(25))
    top3 = pred["top3"].str.split("|")
    assert (top3.str.len() == 3).all() and (top3.str[0] == pred["predicted_category"]).all()
    # the volume forecast: the one the backtest chose, less the pooled "other"
    shares = result.shares
    assert list(shares.columns) == SHARE_COLUMNS and result.chosen == ev["share_forecast"]["chosen"]
    assert (shares["forecast"] == result.chosen).all()
    assert 0.8 < shares["share"].sum() <= 1.0001 and shares["customers"].sum() <= len(pred)
    used = shares["model_share" if result.chosen == "model" else "naive_share"]
    assert np.allclose(shares["share"], used)
    shoes = shares.set_index("category").loc["shoes"]
    assert shoes["model_share"] < shoes["customers"] / len(pred)  # counting top predictions would inflate it
    # expected buyers = Σ p_buy · P(category | buy): fewer than the customers, about the buyers' count
    if result.chosen == "model":
        assert 0.05 * len(pred) < shares["expected_buyers"].sum() < pred["p_buy"].sum() + 1
    # an earlier cutoff scores only the customers who had bought before it
    events = pd.read_csv(demo_dir / "events.csv")
    buys = events[
        (events["event_type"] == "purchase") & events["category_code"].fillna("").str.startswith("apparel")
    ]
    early = forecast(model_dir, demo_dir / "events.csv", at="2019-11-01")
    assert str(early.cutoff.date()) == "2019-11-01"
    assert len(early.predictions) == buys.loc[buys["event_time"] < "2019-11-01", "user_id"].nunique() < 3000
    again = evaluate_model(load_model(model_dir), demo_dir / "events.csv")
    assert set(again) == SPEC_KEYS | EXTRA_KEYS
    assert again["n_train"] == ev["n_train"] and again["n_test"] > ev["n_test"]


def test_real_format_smoke_predict_and_evaluate_say_what_is_missing(demo_model, shared_data):
    """The first 1,000 rows of a real REES46 month: 27 apparel events, no apparel buyer to score."""
    real = shared_data / "rees46" / "2019-Oct-first1000.csv"
    model_dir, _, _ = demo_model
    result = forecast(model_dir, real)
    assert result.predictions.empty and list(result.predictions.columns) == COLUMNS
    assert list(result.shares.columns) == SHARE_COLUMNS
    with pytest.raises(TooLittleDataError, match="too little data to form any example"):
        evaluate_model(load_model(model_dir), real)


def test_shap_is_stored_once_and_adds_up(demo_model):
    model_dir, _, _ = demo_model
    model = load_model(model_dir)
    top = global_importance(model_dir, top=5)
    assert top["feature"].nunique() == 5
    bees = beeswarm(model_dir, model.features, model.classes, "shoes", top=6)
    assert bees["feature"].nunique() == 6 and bees["value_rank"].between(0, 1).all()
    user = explained_customers(model_dir)[0]
    wf = waterfall(model_dir, model.features, model.classes, user)
    total = wf["base"] + sum(i["shap"] for i in wf["items"]) + wf["rest"]
    assert math.isclose(total, wf["output"], rel_tol=1e-4, abs_tol=1e-4)
    with np.load(model_dir / "shap.npz", allow_pickle=False) as data:
        assert len(data["user_ids"]) <= 300  # SHAP stays bounded
        row = int(np.flatnonzero(data["user_ids"] == user)[-1])
        x = data["x"][row : row + 1]
    margin = model.booster.predict(xgb.DMatrix(x, feature_names=model.features), output_margin=True)
    assert math.isclose(
        float(margin.reshape(-1)[model.classes.index(wf["class"])]), wf["output"], abs_tol=1e-3
    )
