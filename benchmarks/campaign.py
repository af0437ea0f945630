"""Campaign run on the demo data: seconds per stage, total, and peak memory, in a throwaway data folder
(so no model exists and the quick model is trained, as on a fresh install), then a replay of it.

    .venv/bin/python -m benchmarks.campaign                          # config defaults (top 3 x 3 photos)
    .venv/bin/python -m benchmarks.campaign --top 1 --per-category 1 # a quick check

Prints JSON: stage seconds of the first run (training included) and of the replay, and whether the
replay's trend report, predictions and images were byte-identical.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

import psutil

from core.campaign.inputs import make_inputs
from core.campaign.run import replay, run_campaign
from core.demo import ensure_demo_data
from core.settings import load_settings


def _peak_rss(stop: threading.Event, out: list[float]) -> None:
    proc = psutil.Process()
    while not stop.wait(0.05):
        out[0] = max(out[0], proc.memory_info().rss / 2**20)


def _identical(a: Path, b: Path) -> bool:
    names = [
        "trend_report.json",
        "predictions.csv",
        "category_shares.csv",
        *(p.relative_to(a).as_posix() for p in sorted((a / "images").rglob("*.webp"))),
    ]
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=None)
    parser.add_argument("--per-category", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(env={"TRENDSTUDIO_DATA": tmp})
        ensure_demo_data(settings.demo_dir)
        peak, stop = [0.0], threading.Event()
        watcher = threading.Thread(target=_peak_rss, args=(stop, peak), daemon=True)
        watcher.start()
        t = time.perf_counter()
        first = run_campaign(
            Path(tmp) / "run",
            make_inputs(settings, top=args.top, per_category=args.per_category),
            settings=settings,
        )
        first_s = time.perf_counter() - t
        t = time.perf_counter()
        again = replay(Path(tmp) / "run" / "run.json", Path(tmp) / "replay", settings=settings)
        replay_s = time.perf_counter() - t
        stop.set()
        watcher.join()
        fig = first["figures"]
        print(
            json.dumps(
                {
                    "images": fig["images_done"],
                    "images_failed": fig["images_failed"],
                    "model_trained": fig.get("model_trained"),
                    "model_accuracy": fig.get("model_accuracy"),
                    "top_categories": [c["category"] for c in fig["top_categories"]],
                    "first_run_s": round(first_s, 2),
                    "first_run_stages_s": {s["name"]: s["seconds"] for s in first["stages"]},
                    "replay_s": round(replay_s, 2),
                    "replay_stages_s": {s["name"]: s["seconds"] for s in again["stages"]},
                    "replay_byte_identical": _identical(Path(tmp) / "run", Path(tmp) / "replay"),
                    "peak_rss_mb": round(peak[0], 1),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
