"""Who buys, how many, and how sure: tests that bite.

Random purchase timing -> the propensity model is no better than its best baseline; browsing before
buying -> it is; the volume forecast the campaign uses is always the one with the lower backtest
error; every "beats" needs a whole 95% interval above 0.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.predictor.bootstrap import Resamples, accuracy_diffs, interval, weighted_auc, word
from core.predictor.propensity import _gains
from core.predictor.shares import choose, forecast_sentence, share_forecast
from core.predictor.synthetic import timed_events, write_events
from core.predictor.train import train

FAST = {
    "n_estimators": 40,
    "learning_rate": 0.3,
    "max_depth": 4,
    "shap_sample": 50,
    "early_stopping_rounds": 10,
    "bootstrap_rounds": 200,
}


@pytest.fixture(scope="module")
def timed(tmp_path_factory):
    """(evaluation with random timing, evaluation where browsing announces a purchase)."""
    out = []
    for ahead in (False, True):
        folder = tmp_path_factory.mktemp(f"timed{ahead}")
        frame = timed_events(3000, browse_ahead=ahead, seed=5)
        out.append(train(write_events(frame, folder / "events.csv"), folder / "model", **FAST)[1])
    return out


def test_with_random_purchase_timing_the_propensity_model_is_no_better_than_its_best_baseline(timed):
    prop = timed[0]["propensity"]
    best = max(b["auc"] for b in prop["baselines"].values())
    assert abs(prop["auc"] - 0.5) < 0.03 and abs(best - 0.5) < 0.03  # nothing to know
    assert prop["word"] != "beats" and prop["auc_diff_ci"][0] <= 0, prop["auc_diff_ci"]
    assert abs(prop["lift_top20"] - 1) < 0.15  # the top 20% hold about 20% of the buyers
    assert timed[0]["verdict"]["word"] != "beats"  # the next category is random too


def test_where_browsing_precedes_buying_the_propensity_model_beats_its_best_baseline(timed):
    prop = timed[1]["propensity"]
    assert prop["best_baseline"] == "browsing" and prop["baselines"]["browsing"]["auc"] > 0.53
    assert prop["word"] == "beats" and prop["auc_diff_ci"][0] > 0
    assert prop["auc"] > prop["baselines"]["browsing"]["auc"] + 0.02
    assert prop["lift_top20"] > prop["baselines"]["browsing"]["lift_top20"] > 1


@pytest.mark.parametrize("which", [0, 1])
def test_the_chosen_volume_forecast_is_the_lower_backtest_error(timed, which):
    sf = timed[which]["share_forecast"]
    assert sf["chosen"] == ("model" if sf["model_mae"] < sf["naive_mae"] else "naive")
    means = {k: np.mean([c[k] for c in sf["cutoffs"]]) for k in ("model_mae", "naive_mae", "model_count_mae")}
    assert all(math.isclose(sf[k], v) for k, v in means.items())


def test_choose_always_picks_the_lower_error_and_says_by_how_much():
    rng = np.random.default_rng(0)
    classes = ["a", "b", "c"]
    cutoffs = pd.date_range("2019-11-01", periods=6, freq="3D")
    for _ in range(30):  # random forecasts and outcomes: whichever wins, it is the one chosen
        counts = pd.DataFrame(
            [
                {"cutoff": t, "target": c, "n": int(rng.integers(0, 50))}
                for t in [*cutoffs, *(cutoffs - pd.Timedelta(days=14))]
                for c in classes
            ]
        )
        rows = np.repeat(cutoffs.to_numpy(), 20)
        proba = rng.dirichlet(np.ones(3), size=len(rows))
        sf = share_forecast(rows, rng.random(len(rows)), proba, classes, counts, 14)
        assert sf["chosen"] == choose(sf["model_mae"], sf["naive_mae"])
        assert sf[f"{sf['chosen']}_mae"] == min(sf["model_mae"], sf["naive_mae"])
    assert choose(0.01, 0.01) == "naive" and choose(None, 0.02) == "naive" and choose(0.01, None) == "model"
    said = forecast_sentence({"model_mae": 0.012, "naive_mae": 0.008, "chosen": "naive"}, 14)
    assert 'naive "same as the last 14 days"' in said and "33% lower than the model's (0.0120)" in said
    said = forecast_sentence({"model_mae": 0.008, "naive_mae": 0.010, "chosen": "model"}, 7)
    assert "0.0080 is 20% lower than" in said


def test_bootstrap_rules_and_weighted_auc():
    assert (
        word([0.001, 0.05]) == "beats" and word([-0.05, -0.001]) == "worse" and word([-0.01, 0.02]) == "level"
    )
    users = np.repeat(np.arange(400), 3)
    resamples = Resamples(users, 50, seed=1)
    w = np.concatenate(list(resamples.chunks()))
    assert w.shape == (50, 1200) and np.allclose(w.sum(axis=1), 1200)
    assert (w.reshape(50, 400, 3) == w.reshape(50, 400, 3)[:, :, :1]).all()  # a customer's rows move together
    assert np.array_equal(w, np.concatenate(list(Resamples(users, 50, seed=1).chunks())))  # fixed seed
    resamples.chunk = 7  # chunks bound the memory, not the draws
    assert np.array_equal(resamples.map(lambda c: c), w)
    rng = np.random.default_rng(3)
    score, y = rng.random(1200), rng.random(1200) < 0.3
    from sklearn.metrics import roc_auc_score

    assert math.isclose(weighted_auc(score, y, np.ones((1, 1200)))[0], roc_auc_score(y, score))
    tied = np.round(score, 1)  # ties count half, as sklearn
    assert math.isclose(weighted_auc(tied, y, np.ones((1, 1200)))[0], roc_auc_score(y, tied))
    # two equally good random guessers: the accuracy difference's interval includes 0
    truth, a, b = (rng.integers(0, 4, 1200) for _ in range(3))
    assert word(interval(resamples.map(lambda c: accuracy_diffs(truth, a, b, c)))) == "level"
    boot = weighted_auc(score, y, w)  # many resamples at once, as one chunk holds them
    assert boot.shape == (50,) and abs(np.median(boot) - roc_auc_score(y, score)) < 0.03


def test_gains_pool_cutoffs_and_share_tied_buyers_evenly():
    cut = np.array(["t1"] * 10 + ["t2"] * 10)
    bought = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0] * 2, dtype=bool)
    perfect = _gains(np.tile(np.arange(10)[::-1], 2), bought, cut)  # the two buyers first at each cutoff
    assert perfect[4] == 1.0  # top 20% of each cutoff hold every buyer
    flat = _gains(np.zeros(20), bought, cut)  # all tied: the expected share of a random order
    assert np.allclose(flat, np.linspace(0, 1, 21))


def test_non_buyers_are_sampled_at_training_cutoffs_only_and_weighted_back(tmp_path):
    """Few repeat buyers (a real shop): features are built for ~3 non-buyers per buyer at the training
    cutoffs, for everyone at the test cutoffs, and P(buy) still adds up to about the actual buyers."""
    from core.predictor.params import resolve_params
    from core.predictor.train import frame_examples

    path = write_events(timed_events(3000, browse_ahead=True, seed=8, rate_per_day=0.008), tmp_path / "e.csv")
    p = resolve_params(**FAST)
    ex, plan = frame_examples(path, p)
    counts = ex.counts[ex.counts["cutoff"].isin(ex.cutoffs)]
    training = ex.frame["cutoff"] < plan.test_from
    labelled = ex.frame["target"].notna()
    assert (~labelled & training).sum() < 1.3 * p["negative_ratio"] * (labelled & training).sum()
    at_test = counts[counts["cutoff"] >= plan.test_from]["n"].sum()
    assert (~training).sum() == at_test  # every customer at the test cutoffs
    before = counts[(counts["cutoff"] < plan.test_from) & (counts["target"] == "")]["n"].sum()
    assert (~labelled & training).sum() < 0.6 * before  # the sample is a real cut
    _, ev = train(path, tmp_path / "m", **FAST)
    cal = ev["propensity"]["calibration"]
    assert abs(cal["expected_buyers"] - cal["actual_buyers"]) < 0.25 * cal["actual_buyers"], cal


def test_good_for_names_only_what_won_its_interval():
    from core.predictor.verdict import good_for

    ev = {
        "framing": {"horizon_days": 14},
        "propensity": {
            "auc": 0.52,
            "best_baseline": "frequency",
            "word": "level",
            "baselines": {"frequency": {"auc": 0.53}},
        },
        "verdict": {"word": "level", "vs_accuracy": "markov"},
        "per_category_verdict": {"shoes": {"word": "level"}, "sock": {"word": "worse"}},
        "share_forecast": {"model_mae": 0.012, "naive_mae": 0.008, "chosen": "naive"},
    }
    said = good_for(ev)
    assert said.startswith("On this data the model adds nothing the baselines do not;")
    assert "rank buyers by frequency" in said and "from Markov" in said and "last 14 days' shares" in said
    ev["per_category_verdict"]["sock"]["word"] = "beats"
    ev["propensity"].update(word="beats", auc=0.61)
    said = good_for(ev)
    assert said.startswith(
        "On this data the model is good for ranking who buys in the next 14 days (AUC 0.61"
    )
    assert "spotting the next buyers of sock" in said and "shoes" not in said
