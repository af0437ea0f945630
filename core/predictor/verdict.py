"""Verdicts with intervals: the model against its best baseline, overall and per category, and the one
sentence that says what the model is good for on the data at hand.

One rule everywhere (bootstrap.word): "beats" only when the whole 95% interval of the difference is
above 0, "worse" only when below, "level" otherwise. The headline word follows the accuracy difference
against the best-accuracy baseline; a category "wins" when its F1 difference against that category's
best baseline is above 0 throughout its interval.
"""

from __future__ import annotations

import numpy as np

from core.predictor.bootstrap import BEATS, WORSE, Resamples, accuracy_diffs, f1_per_class, interval, word

NAMES = {
    "majority": "majority class",
    "last_category": "repeat-last",
    "markov": "Markov",
    "recent_browsing": "most-browsed",
    "recency": "recency",
    "frequency": "frequency",
    "browsing": "browsing",
}


def category_verdict(
    ev: dict, y: np.ndarray, pred: np.ndarray, base: dict[str, np.ndarray], resamples: Resamples
) -> tuple[dict, dict]:
    """(`verdict{word, accuracy_diff_ci, macro_f1_diff_ci, ...}`, per category {vs, f1_diff, f1_diff_ci,
    word}); labels are integer class codes, `resamples` customer resamples of the same rows."""
    classes = list(ev["per_category"])
    k = len(classes)
    acc_name = max(ev["baselines"], key=lambda n: ev["baselines"][n]["accuracy"])
    f1_name = max(ev["baselines"], key=lambda n: ev["baselines"][n]["macro_f1"])
    acc_ci = interval(resamples.map(lambda w: accuracy_diffs(y, pred, base[acc_name], w)))
    model_f1 = resamples.map(lambda w: f1_per_class(y, pred, k, w))
    base_f1 = {name: resamples.map(lambda w, b=b: f1_per_class(y, b, k, w)) for name, b in base.items()}
    f1_ci = interval(model_f1.mean(axis=1) - base_f1[f1_name].mean(axis=1))
    verdict = {
        "word": word(acc_ci),
        "accuracy_diff": round(ev["accuracy"] - ev["baselines"][acc_name]["accuracy"], 4),
        "accuracy_diff_ci": acc_ci,
        "vs_accuracy": acc_name,
        "macro_f1_diff": round(ev["macro_f1"] - ev["baselines"][f1_name]["macro_f1"], 4),
        "macro_f1_diff_ci": f1_ci,
        "vs_macro_f1": f1_name,
        "macro_f1_word": word(f1_ci),
        "bootstrap_rounds": len(resamples),
    }
    per_category = {}
    for i, c in enumerate(classes):
        best = min(ev["per_category_lift"][c], key=lambda n: ev["per_category_lift"][c][n])
        ci = interval(model_f1[:, i] - base_f1[best][:, i])
        per_category[c] = {
            "vs": best,
            "f1_diff": round(ev["per_category_lift"][c][best], 4),
            "f1_diff_ci": ci,
            "word": word(ci),
        }
    return verdict, per_category


def verdict_sentence(ev: dict) -> str:
    """The headline in words, with the interval it rests on."""
    v = ev["verdict"]
    acc = ev["baselines"][v["vs_accuracy"]]["accuracy"]
    lo, hi = v["accuracy_diff_ci"]
    figures = (
        f"accuracy {ev['accuracy']:.3f} vs {acc:.3f} ({NAMES[v['vs_accuracy']]}), difference "
        f"{v['accuracy_diff']:+.3f} with a 95% interval [{lo:+.3f}, {hi:+.3f}] over customers; macro-F1 "
        f"{v['macro_f1_diff']:+.3f} [{v['macro_f1_diff_ci'][0]:+.3f}, {v['macro_f1_diff_ci'][1]:+.3f}] vs "
        f"{NAMES[v['vs_macro_f1']]}"
    )
    if v["word"] == BEATS:
        return f"For the next category the model beats the best baseline: {figures}."
    if v["word"] == WORSE:
        return (
            f"For the next category the model is worse than the best baseline: {figures}. Use the baseline."
        )
    return (
        f"For the next category the model is level with the best baseline (the interval includes 0): "
        f"{figures}. The baseline does as well."
    )


def good_for(ev: dict) -> str:
    """One sentence: what the model is good for on this data (who, what, how many), and what is not."""
    good, instead = [], []
    prop = ev.get("propensity") or {}
    if prop.get("auc") is not None:
        best = prop["best_baseline"]
        if prop["word"] == BEATS:
            good.append(
                f"ranking who buys in the next {ev['framing']['horizon_days']} days (AUC {prop['auc']:.2f} vs "
                f"{prop['baselines'][best]['auc']:.2f} for {NAMES[best]})"
            )
        else:
            instead.append(f"rank buyers by {NAMES[best]}")
    wins = sorted(c for c, v in ev.get("per_category_verdict", {}).items() if v["word"] == BEATS)
    if ev["verdict"]["word"] == BEATS:
        good.append("the next category overall")
    elif wins:
        good.append(f"spotting the next buyers of {_join(wins)}")
    else:
        instead.append(f"take the next category from {NAMES[ev['verdict']['vs_accuracy']]}")
    sf = ev["share_forecast"]
    if sf.get("chosen") == "model":
        good.append(f"category volumes (share error {sf['model_mae']:.4f} vs {sf['naive_mae']:.4f} naive)")
    elif sf.get("model_mae") is not None:
        instead.append(f"plan volumes on last {ev['framing']['horizon_days']} days' shares")
    head = (
        f"On this data the model is good for {_join(good)}"
        if good
        else "On this data the model adds nothing the baselines do not"
    )
    return head + (f"; {_join(instead)} instead." if instead else ".")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
