"""Batch throughput and memory: images/min with 1 and 2 workers vs a plain rembg loop; peak memory
of the whole run (a fresh process and all its workers) for a batch and for a batch twice as large.

    .venv/bin/python -m benchmarks.batch              # 40 images of ~1024 px (targets: >= 1.7x, flat memory)
    .venv/bin/python -m benchmarks.batch --images 6   # a quick check

Inputs are the demo product photos and deterministic variants of them (mirrored, rotated,
re-coloured, slightly rescaled around 1024 px), written to a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from PIL import Image, ImageEnhance, ImageOps

from core import PROJECT_ROOT
from core.demo import ensure_demo_data
from core.imaging.batch import plan_batch, run_batch
from core.imaging.enhance_options import EnhanceOptions
from core.provision import configure_rembg


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
            img = img.rotate(
                4 * (variant % 5) - 8, resample=Image.Resampling.BICUBIC, fillcolor=img.getpixel((0, 0))
            )
        img = ImageEnhance.Color(img).enhance(0.8 + 0.1 * (variant % 5))
        side = 960 + 32 * (variant % 5)
        img = img.resize((side, side), Image.Resampling.LANCZOS)
        path = folder / f"product-{i:03d}.jpg"
        img.save(path, quality=92)
        paths.append(path)
    return paths


class PeakMemory:
    """Samples a process and all its descendants every 250 ms: peak memory as the sum of RSS (counts
    pages shared between forked workers once per worker) and of PSS (shares them out: the real
    total), and the CPU time they used (last sample of each process)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss = self.peak_pss = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(self.pid)
            while not self._stop.is_set():
                rss = pss = 0
                for proc in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):  # a worker may exit between the calls
                        info = proc.memory_full_info()
                        rss += info.rss
                        pss += getattr(info, "pss", info.rss)
                        times = proc.cpu_times()
                        self._cpu[proc.pid] = times.user + times.system
                self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
                self._stop.wait(0.25)  # smaps reads cost CPU: sample sparingly

    @property
    def cpu_seconds(self) -> float:
        return sum(self._cpu.values())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _measure(mode: str, inputs: Path, count: int, workers: int = 1, threads: int | None = None) -> dict:
    """Run one configuration in a fresh interpreter (so earlier runs cannot inflate its memory).

    `threads` caps the child's onnxruntime/OpenCV threads (one core's worth for a single worker)."""
    cmd = [
        sys.executable,
        "-m",
        __spec__.name,
        "--child",
        mode,
        "--inputs",
        str(inputs),
        "--images",
        str(count),
        "--workers",
        str(workers),
    ]
    env = {**os.environ, **({"OMP_NUM_THREADS": str(threads)} if threads else {})}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    with PeakMemory(proc.pid) as mem:
        out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"benchmark child failed: {' '.join(cmd)}")
    figures = json.loads(out)
    if threads:
        figures["threads"] = threads
    figures["images_per_min"] = round(60 * count / figures["seconds"], 1)
    # CPU time of the whole process tree (start-up included): a load-independent cost per image
    figures["cpu_seconds_per_image"] = round(mem.cpu_seconds / count, 3)
    figures["peak_rss_mb"] = round(mem.peak_rss / 2**20, 1)
    figures["peak_pss_mb"] = round(mem.peak_pss / 2**20, 1)
    return figures


def _child(mode: str, inputs: list[Path], workers: int) -> dict:
    """Timed part of one configuration: imports done, pool start-up and every image included."""
    if os.environ.get("OMP_NUM_THREADS"):  # rembg reads it for onnxruntime; OpenCV needs telling
        import cv2

        cv2.setNumThreads(int(os.environ["OMP_NUM_THREADS"]))
    with tempfile.TemporaryDirectory() as tmp:
        if mode == "rembg":  # the naive baseline: one session, `rembg.remove` on each photo, PNG written
            configure_rembg()
            from rembg import new_session, remove

            start = time.perf_counter()
            session = new_session("u2netp")
            for path in inputs:
                remove(Image.open(path), session=session).save(Path(tmp) / f"{path.stem}.png")
            return {"images": len(inputs), "seconds": round(time.perf_counter() - start, 2)}
        start = time.perf_counter()
        result = run_batch(plan_batch(inputs, Path(tmp)), EnhanceOptions(), workers=workers)
        return {
            "images": len(inputs),
            "workers": workers,
            "done": result.done,
            "failed": result.failed,
            "seconds": round(time.perf_counter() - start, 2),
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--images", type=int, default=40, help="batch size (memory is also measured at half)")
    parser.add_argument("--child", choices=["batch", "rembg"], help=argparse.SUPPRESS)
    parser.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        inputs = sorted(args.inputs.glob("*.jpg"))[: args.images]
        print(json.dumps(_child(args.child, inputs, args.workers)))
        return
    n = max(2, args.images)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        make_inputs(folder, n)
        _measure("batch", folder, 2, workers=1)  # warm-up: disk caches and numba's cache, not timed
        one = _measure("batch", folder, n, workers=1)
        one_core = _measure("batch", folder, n, workers=1, threads=1)
        two = _measure("batch", folder, n, workers=2)
        half = _measure("batch", folder, n // 2, workers=2)
        loop = _measure("rembg", folder, n)
    speedup = two["images_per_min"] / one["images_per_min"]
    per_core = two["images_per_min"] / one_core["images_per_min"]
    memory = {f"{r['images']}_images": {k: r[k] for k in ("peak_pss_mb", "peak_rss_mb")} for r in (half, two)}
    print(
        json.dumps(
            {
                "benchmark": "batch",
                "cpu_cores": psutil.cpu_count(logical=True),
                "images": n,
                "workers_1": one,
                "workers_1_one_core": one_core,
                "workers_2": two,
                "rembg_remove_loop": loop,
                # `--workers 1` lets onnxruntime spread one image over every core, so on 2 cores it already
                # uses ~1.5 of them; the pool's own scaling is measured against a worker held to one core.
                "batch_1_worker_vs_rembg_loop": round(loop["images_per_min"] / one["images_per_min"], 2),
                "batch_vs_rembg_loop_target": 1.6,
                "speedup_2_vs_1": round(speedup, 2),
                "speedup_2_vs_1_one_core": round(per_core, 2),
                "speedup_target": 1.7,
                "speedup_ok": per_core >= 1.7,
                "peak_memory_2_workers_mb": memory,
                "memory_growth_ratio": round(two["peak_pss_mb"] / half["peak_pss_mb"], 2),
                "memory_flat_ok": two["peak_pss_mb"] <= 1.15 * half["peak_pss_mb"],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
