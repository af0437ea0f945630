"""Batch throughput and memory: images/min with 1 and 2 workers vs a plain rembg loop; peak memory
of the whole run (this process and its workers) for a batch and for a batch twice as large.

    .venv/bin/python benchmarks/batch.py              # 40 images of ~1024 px (targets: >= 1.7x, flat memory)
    .venv/bin/python benchmarks/batch.py --images 6   # a quick check

Inputs are the demo product photos and deterministic variants of them (mirrored, rotated,
re-coloured, slightly rescaled around 1024 px), written to a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from PIL import Image, ImageEnhance, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import PROJECT_ROOT  # noqa: E402
from core.demo import ensure_demo_data  # noqa: E402
from core.imaging.batch import plan_batch, run_batch  # noqa: E402
from core.imaging.pipeline import EnhanceOptions  # noqa: E402
from core.provision import configure_rembg  # noqa: E402


def make_inputs(folder: Path, count: int) -> list[Path]:
    """`count` distinct ~1024 px product photos derived from the demo images."""
    demo = sorted((ensure_demo_data(PROJECT_ROOT / "data" / "demo") / "images").glob("*.jpg"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        img = Image.open(demo[i % len(demo)]).convert("RGB")
        variant = i // len(demo)
        if variant % 2:
            img = ImageOps.mirror(img)
        if variant % 3 == 1:
            img = img.rotate(4 * (variant % 5) - 8, resample=Image.Resampling.BICUBIC, fillcolor=img.getpixel((0, 0)))
        img = ImageEnhance.Color(img).enhance(0.8 + 0.1 * (variant % 5))
        side = 960 + 32 * (variant % 5)
        img = img.resize((side, side), Image.Resampling.LANCZOS)
        path = folder / f"product-{i:03d}.jpg"
        img.save(path, quality=92)
        paths.append(path)
    return paths


class PeakMemory:
    """Samples the memory of this process plus all its children every 50 ms: the sum of RSS (counts
    pages shared between forked workers once per worker) and of PSS (shares them out: the real total)."""

    def __init__(self) -> None:
        self.peak_rss = self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            rss = pss = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a worker may exit between the calls
                    info = proc.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def time_batch(inputs: list[Path], out: Path, workers: int) -> dict:
    with PeakMemory() as mem:
        start = time.perf_counter()
        result = run_batch(plan_batch(inputs, out, force=True), EnhanceOptions(), workers=workers)
        seconds = time.perf_counter() - start
    return {"images": len(inputs), "workers": workers, "done": result.done, "failed": result.failed,
            "seconds": round(seconds, 2), "images_per_min": round(60 * len(inputs) / seconds, 1),
            "peak_rss_mb": round(mem.peak_rss / 2**20, 1), "peak_pss_mb": round(mem.peak_pss / 2**20, 1)}


def time_rembg_loop(inputs: list[Path]) -> dict:
    """The naive baseline: one session, `rembg.remove` on each photo in turn, PNG written."""
    configure_rembg()
    from rembg import new_session, remove

    start = time.perf_counter()
    session = new_session("u2netp")
    with tempfile.TemporaryDirectory() as tmp:
        for path in inputs:
            remove(Image.open(path), session=session).save(Path(tmp) / f"{path.stem}.png")
    seconds = time.perf_counter() - start
    return {"images": len(inputs), "seconds": round(seconds, 2),
            "images_per_min": round(60 * len(inputs) / seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=40, help="batch size (memory is also measured at half)")
    args = parser.parse_args()
    n = max(2, args.images)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = make_inputs(root / "in", n)
        one = time_batch(inputs, root / "out1", workers=1)
        two = time_batch(inputs, root / "out2", workers=2)
        half = time_batch(inputs[: n // 2], root / "out-half", workers=2)
        loop = time_rembg_loop(inputs)
    speedup = two["images_per_min"] / one["images_per_min"]
    print(json.dumps({
        "benchmark": "batch",
        "cpu_cores": psutil.cpu_count(logical=True),
        "images": n,
        "workers_1": one,
        "workers_2": two,
        "rembg_remove_loop": loop,
        "speedup_2_vs_1": round(speedup, 2),
        "speedup_target": 1.7,
        "speedup_ok": speedup >= 1.7,
        "peak_memory_mb": {f"{half['images']}_images": {k: half[k] for k in ("peak_pss_mb", "peak_rss_mb")},
                           f"{n}_images": {k: two[k] for k in ("peak_pss_mb", "peak_rss_mb")}},
        "memory_growth_ratio": round(two["peak_pss_mb"] / half["peak_pss_mb"], 2),
        "memory_flat_ok": two["peak_pss_mb"] <= 1.15 * half["peak_pss_mb"],
    }, indent=2))


if __name__ == "__main__":
    main()
