"""Purchase Predictor benchmark: feature building at 5M events, training at 100k transitions.

Generates REES46-format events (core.predictor.synthetic) into a temporary file, then runs each
measured stage in a fresh child process so its peak RSS is its own (not the generator's).
Prints one JSON object. Targets on 2 cores: 5,000,000 events -> features in <= 60 s within 2 GB;
training on 100,000 transitions in <= 60 s.

    .venv/bin/python -m benchmarks.predictor                      # full size
    .venv/bin/python -m benchmarks.predictor --events 200000 --transitions 10000   # smoke run
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVENTS_PER_TRANSITION = 9.0  # what the generator yields on average (browse_mean=6)


def _peak_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: the latter carries the parent's peak over exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # non-Linux fallback


def _cpu_seconds() -> float:
    """CPU time of this process: comparable across runs even on a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 2)


def _stage_features(path: str) -> dict:
    from core.predictor.data import transitions
    from core.predictor.params import DEFAULTS

    start = time.perf_counter()
    data = transitions(path, dict(DEFAULTS))
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "events_read": data.stats.rows_read,
            "events_per_second": round(data.stats.rows_read / seconds), "apparel_events": data.stats.events,
            "purchase_rows": len(data.frame), "transitions": len(data.labelled),
            "features": data.frame.shape[1] - 6, "peak_rss_mb": round(_peak_mb()), "cpu_seconds": _cpu_seconds()}


def _stage_train(path: str, out: str) -> dict:
    from core.predictor.train import train

    marks: dict[str, float] = {}

    def progress(fraction: float, message: str) -> None:
        if message.startswith("Built"):
            marks["features_done"] = time.perf_counter()
        elif message.startswith("Evaluating"):
            marks["fit_done"] = time.perf_counter()

    start = time.perf_counter()
    model_dir, ev = train(path, Path(out), progress=progress)
    total = time.perf_counter() - start
    meta = json.loads((model_dir / "meta.json").read_text())
    return {"seconds_total": round(total, 2),
            "seconds_fit": round(marks["fit_done"] - marks["features_done"], 2),
            "transitions": ev["n_train"] + ev["n_test"], "n_train": ev["n_train"], "n_test": ev["n_test"],
            "boosting_rounds": meta["best_iteration"] + 1, "accuracy": round(ev["accuracy"], 4),
            "macro_f1": round(ev["macro_f1"], 4),
            "best_baseline_macro_f1": round(max(b["macro_f1"] for b in ev["baselines"].values()), 4),
            "peak_rss_mb": round(_peak_mb()), "cpu_seconds": _cpu_seconds()}


def _child(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", __spec__.name, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"stage {args[1]} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _generate(n_events: int, path: Path) -> dict:
    from core.predictor.synthetic import synthetic_events, write_events

    start = time.perf_counter()
    frame = synthetic_events(n_events, signal=True, seed=1)
    write_events(frame, path)
    return {"rows": len(frame), "seconds": round(time.perf_counter() - start, 2),
            "file_mb": round(path.stat().st_size / 2**20, 1), "format": path.suffix.lstrip(".")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=5_000_000, help="events for the feature benchmark")
    parser.add_argument("--transitions", type=int, default=100_000, help="transitions for the training benchmark")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--stage", choices=["features", "train"], help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage == "features":
        print(json.dumps(_stage_features(args.path)))
        return
    if args.stage == "train":
        print(json.dumps(_stage_train(args.path, args.out)))
        return

    with tempfile.TemporaryDirectory(prefix="predictor-bench-") as tmp:
        big = Path(tmp) / f"events.{args.format}"
        generated = _generate(args.events, big)
        features = _child("--stage", "features", "--path", str(big))
        big.unlink()
        small = Path(tmp) / f"train.{args.format}"
        generated_train = _generate(int(args.transitions * EVENTS_PER_TRANSITION), small)
        training = _child("--stage", "train", "--path", str(small), "--out", str(Path(tmp) / "model"))
    result = {
        "benchmark": "predictor",
        "generated": {"features": generated, "training": generated_train},
        "features": features,
        "training": training,
        "targets": {"features_seconds": 60, "features_peak_rss_mb": 2048, "training_seconds": 60},
        "pass": {"features_seconds": features["seconds"] <= 60,
                 "features_memory": features["peak_rss_mb"] <= 2048,
                 "training_seconds": training["seconds_total"] <= 60},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
