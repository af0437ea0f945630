"""Purchase Predictor benchmark, cutoff framing: feature building at 5M events, and training on ~6,000
customers beside a plain pandas + 200-tree XGBoost run of the same framing.

Generates REES46-format events (core.predictor.synthetic: a view-and-cart funnel before every
purchase) into a temporary file, then runs each measured stage in a fresh child process so its peak
RSS is its own (not the generator's). Prints one JSON object. Targets on 2 cores: 5,000,000 events ->
(customer, cutoff) features in <= 60 s within 2 GB; `train` on ~6,000 customers (category model,
propensity model, bootstrap intervals, volume backtest and SHAP included) no slower than the plain
pandas run (median of paired runs, taken in turn so a busy machine slows both alike).

    .venv/bin/python -m benchmarks.predictor                                 # full size
    .venv/bin/python -m benchmarks.predictor --events 300000 --repeat 1      # smoke run
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HORIZON, STEP, WARMUP, TEST_FROM = 14, 3, 7, 0.7


def _peak_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: the latter carries the parent's peak over exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # non-Linux fallback


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 2)


def _stage_features(path: str) -> dict:
    """What `train` builds: every customer with a purchase before each cutoff, labelled or not."""
    from core.predictor.params import DEFAULTS
    from core.predictor.train import frame_examples

    start = time.perf_counter()
    ex, _plan = frame_examples(path, dict(DEFAULTS))
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2),
        "events_read": ex.stats.rows_read,
        "events_per_second": round(ex.stats.rows_read / seconds),
        "apparel_events": ex.stats.events,
        "cutoffs": len(ex.cutoffs),
        "rows": len(ex.frame),
        "labelled_examples": len(ex.labelled),
        "features": ex.frame.shape[1] - 5,
        "peak_rss_mb": round(_peak_mb()),
        "cpu_seconds": _cpu_seconds(),
    }


def _stage_train(path: str, out: str) -> dict:
    from core.predictor.train import train

    start = time.perf_counter()
    model_dir, ev = train(path, Path(out))
    total = time.perf_counter() - start
    meta = json.loads((model_dir / "meta.json").read_text())
    return {
        "seconds": round(total, 2),
        "n_train": ev["n_train"],
        "n_test": ev["n_test"],
        "boosting_rounds": meta["best_iteration"] + 1,
        "accuracy": round(ev["accuracy"], 4),
        "best_baseline_accuracy": round(max(b["accuracy"] for b in ev["baselines"].values()), 4),
        "verdict": ev["verdict"]["word"],
        "share_mae": round(ev["share_forecast"]["model_mae"], 4),
        "naive_share_mae": round(ev["share_forecast"]["naive_mae"], 4),
        "share_forecast_chosen": ev["share_forecast"]["chosen"],
        "propensity_auc": round(ev["propensity"]["auc"], 4),
        "propensity_best_baseline_auc": round(
            ev["propensity"]["baselines"][ev["propensity"]["best_baseline"]]["auc"], 4
        ),
        "lift_top20": ev["propensity"]["lift_top20"],
        "peak_rss_mb": round(_peak_mb()),
        "cpu_seconds": _cpu_seconds(),
    }


def _stage_pandas(path: str) -> dict:
    """The yardstick: the same framing written plainly in pandas (a loop over cutoffs, groupbys per
    cutoff), then 200 depth-4 XGBoost trees (hist) for the category on the same split: no early
    stopping, no propensity model, no baselines, no bootstrap, no backtest, no SHAP."""
    import numpy as np
    import pandas as pd
    import xgboost as xgb

    start = time.perf_counter()
    df = pd.read_csv(path, usecols=["event_time", "event_type", "category_code", "brand", "price", "user_id"])
    df = df[df["category_code"].fillna("").str.startswith("apparel.")].copy()
    df["ts"] = pd.to_datetime(df["event_time"].str.replace(" UTC", ""), format="%Y-%m-%d %H:%M:%S")
    df["cat"] = df["category_code"].str.split(".").str[1]
    first, last = df["ts"].min(), df["ts"].max()
    cutoffs = pd.date_range(
        first.normalize() + pd.Timedelta(days=WARMUP), last - pd.Timedelta(days=HORIZON), freq=f"{STEP}D"
    )
    buys = df[df["event_type"] == "purchase"].sort_values(["ts", "cat"])
    browse = df[df["event_type"] != "purchase"]
    cats = sorted(df["cat"].unique())
    frames = []
    for t in cutoffs:
        before = buys[buys["ts"] < t]
        if before.empty:
            continue
        g = before.groupby("user_id")
        x = g.agg(
            n=("cat", "size"),
            last_ts=("ts", "max"),
            first_ts=("ts", "min"),
            avg_price=("price", "mean"),
            last_cat=("cat", "last"),
            last_price=("price", "last"),
        )
        x["days_since"] = (t - x["last_ts"]).dt.total_seconds() / 86400
        x["tenure"] = (t - x["first_ts"]).dt.total_seconds() / 86400
        share = (
            pd.crosstab(before["user_id"], before["cat"])
            .reindex(columns=cats, fill_value=0)
            .div(x["n"], axis=0)
        )
        parts = [
            x[["n", "days_since", "tenure", "avg_price", "last_price"]],
            share.add_prefix("share_"),
            pd.get_dummies(x["last_cat"]).reindex(columns=cats, fill_value=0).add_prefix("last_"),
        ]
        for d in (1, 7, 30):
            w = browse[(browse["ts"] < t) & (browse["ts"] >= t.normalize() - pd.Timedelta(days=d))]
            counts = pd.crosstab(w["user_id"], [w["event_type"], w["cat"]])
            counts.columns = [f"{a}_{d}d_{b}" for a, b in counts.columns]
            parts.append(counts.reindex(x.index, fill_value=0))
        after = buys[(buys["ts"] > t) & (buys["ts"] <= t + pd.Timedelta(days=HORIZON))]
        target = after.groupby("user_id")["cat"].first()
        row = pd.concat(parts, axis=1).fillna(0)
        row["target"] = target.reindex(row.index)
        row["cutoff"] = t
        frames.append(row[row["target"].notna()])
    data = pd.concat(frames).fillna(0)
    features_seconds = time.perf_counter() - start
    test_from = first + (last - first) * TEST_FROM
    test_start = min(t for t in cutoffs if t >= test_from)
    is_train = (data["cutoff"] + pd.Timedelta(days=HORIZON) <= test_start).to_numpy()
    is_test = (data["cutoff"] >= test_start).to_numpy()
    classes = sorted(data["target"].unique())
    y = data["target"].map({c: i for i, c in enumerate(classes)}).to_numpy()
    x = data.drop(columns=["target", "cutoff"]).to_numpy(dtype=np.float32)
    booster = xgb.train(
        {
            "objective": "multi:softprob",
            "num_class": len(classes),
            "tree_method": "hist",
            "eta": 0.15,
            "max_depth": 4,
            "max_bin": 128,
            "nthread": 2,
            "seed": 42,
        },
        xgb.DMatrix(x[is_train], label=y[is_train]),
        num_boost_round=200,
    )
    pred = booster.predict(xgb.DMatrix(x[is_test])).reshape(-1, len(classes)).argmax(axis=1)
    return {
        "seconds": round(time.perf_counter() - start, 2),
        "features_seconds": round(features_seconds, 2),
        "rows": len(data),
        "accuracy": round(float((pred == y[is_test]).mean()), 4),
        "peak_rss_mb": round(_peak_mb()),
        "cpu_seconds": _cpu_seconds(),
    }


def _child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", __spec__.name, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"stage {args[1]} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _generate(n_events: int, path: Path) -> dict:
    from core.predictor.synthetic import synthetic_events, write_events

    start = time.perf_counter()
    frame = synthetic_events(n_events, signal=True, seed=1)
    write_events(frame, path)
    return {
        "rows": len(frame),
        "customers": int(frame["user_id"].nunique()),
        "seconds": round(time.perf_counter() - start, 2),
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "format": path.suffix.lstrip("."),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=5_000_000, help="events for the feature benchmark")
    parser.add_argument("--customers", type=int, default=6_000, help="customers for the training comparison")
    parser.add_argument("--repeat", type=int, default=3, help="paired train/pandas runs (medians reported)")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--stage", choices=["features", "train", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        stage = {
            "features": lambda: _stage_features(args.path),
            "train": lambda: _stage_train(args.path, args.out),
            "pandas": lambda: _stage_pandas(args.path),
        }[args.stage]
        print(json.dumps(stage()))
        return

    from core.predictor.synthetic import events_per_user

    with tempfile.TemporaryDirectory(prefix="predictor-bench-") as tmp:
        big = Path(tmp) / f"events.{args.format}"
        generated = _generate(args.events, big)
        features = _child("--stage", "features", "--path", str(big))
        big.unlink()
        small = Path(tmp) / "train.csv"  # the pandas yardstick reads CSV
        generated_train = _generate(int(args.customers * events_per_user(True)), small)
        ours, plain = [], []
        for n in range(args.repeat):  # in turn, so a busy machine slows both alike
            ours.append(_child("--stage", "train", "--path", str(small), "--out", str(Path(tmp) / f"m{n}")))
            plain.append(_child("--stage", "pandas", "--path", str(small)))
    ratio = statistics.median(a["seconds"] / b["seconds"] for a, b in zip(ours, plain, strict=True))
    result = {
        "benchmark": "predictor",
        "generated": {"features": generated, "training": generated_train},
        "features": features,
        "training": {
            "train": ours[-1],
            "pandas_xgboost_200": plain[-1],
            "train_seconds_median": statistics.median(r["seconds"] for r in ours),
            "pandas_seconds_median": statistics.median(r["seconds"] for r in plain),
            "ratio_train_over_pandas_median": round(ratio, 3),
        },
        "targets": {"features_seconds": 60, "features_peak_rss_mb": 2048, "train_over_pandas": 1.0},
        "pass": {
            "features_seconds": features["seconds"] <= 60,
            "features_memory": features["peak_rss_mb"] <= 2048,
            "train_not_slower_than_pandas": ratio <= 1.0,
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
