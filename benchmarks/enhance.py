"""Enhancement Studio benchmark: stage timings vs plain `rembg.remove`, mask IoU and interior
opacity vs plain rembg on the shared ground-truth masks, and peak memory for a 24-megapixel input.
Prints one JSON object.

    .venv/bin/python -m benchmarks.enhance            # full run
    .venv/bin/python -m benchmarks.enhance --quick    # a smoke run (fewer repeats/images)
    .venv/bin/python -m benchmarks.enhance --masks    # only the mask figures (all shared photos)

Timing: every enhance is followed by a plain remove of the same photo; `total_vs_plain_rembg` is the
ratio of the medians, `pairwise_ratio_min_median` the min and median of the per-pair ratios (on a
shared machine the pairs cancel most of the load drift).

Interior opacity: a solid product's cut-out must be opaque away from its rim. `*_ghost_share` is the
share of the cut-out's own interior (alpha >= 128, farther than INTERIOR_PX from its edge) whose
alpha is below 0.95; `*_truth_interior_below_095` the same share over the true mask's interior
(missed parts count too).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from core import PROJECT_ROOT
from core.demo import ensure_demo_data
from core.imaging import masking
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.io import load_image
from core.imaging.pipeline import enhance

os.environ.setdefault("U2NET_HOME", str(PROJECT_ROOT / "weights"))  # before the first rembg session
SHARED_MASKS = PROJECT_ROOT.parent / "shared" / "data" / "masks"
if not SHARED_MASKS.is_dir():
    SHARED_MASKS = Path("/work/shared/data/masks")
STAGES = ("load", "mask", "background", "composite", "export", "total")
INTERIOR_PX = 3
"""Distance (px, at the ~400 px photo size) from a mask's edge beyond which a pixel is interior."""
OPAQUE = round(0.95 * 255)


def _timings(images: list[Path], repeats: int, options: EnhanceOptions) -> dict:
    from rembg import remove

    session = masking.get_session()
    enhance(images[0], options)  # first call excluded (session warm-up)
    remove(Image.open(images[0]), session=session)
    ours: dict[str, list[float]] = {s: [] for s in STAGES}
    plain: list[float] = []
    pairs: list[float] = []  # each enhance over the plain remove run right after it: load drift cancels
    for _ in range(repeats):
        for path in images:
            t = enhance(path, options).timings
            ours["background"].append(t["background"])
            ours["composite"].append(t["place"] + t["composite"])
            ours["export"].append(t["qa"] + t["export"])
            for s in ("load", "mask", "total"):
                ours[s].append(t[s])
            t0 = time.perf_counter()
            img = Image.open(path)
            remove(img, session=session)
            plain.append(time.perf_counter() - t0)
            pairs.append(t["total"] / plain[-1])
    medians = {s: round(statistics.median(v), 4) for s, v in ours.items()}
    plain_median = statistics.median(plain)
    return {
        "median_seconds": medians,
        "plain_rembg_remove_seconds": round(plain_median, 4),
        "total_vs_plain_rembg": round(medians["total"] / plain_median, 3),
        "pairwise_ratio_min_median": [round(min(pairs), 3), round(statistics.median(pairs), 3)],
        "target_ratio": 1.5,
        "images": len(images),
        "repeats": repeats,
        "options": options.model_dump(),
    }


def _interior(mask: np.ndarray) -> np.ndarray:
    solid = (mask >= 128).astype(np.uint8)
    return cv2.distanceTransform(solid, cv2.DIST_L2, 3) > INTERIOR_PX


def _iou(limit: int | None) -> dict:
    from rembg import remove

    if not SHARED_MASKS.is_dir():
        return {"skipped": f"{SHARED_MASKS} not found"}
    session = masking.get_session()
    ours, plain = [], []
    ghosts: dict[str, list[int]] = {"ours": [0, 0], "plain": [0, 0]}
    truth_inner: dict[str, list[int]] = {"ours": [0, 0], "plain": [0, 0]}
    for path in sorted((SHARED_MASKS / "images").glob("*.jpg"))[:limit]:
        truth = np.asarray(Image.open(SHARED_MASKS / "masks" / f"{path.stem}.png").convert("L"))
        our_mask = masking.compute_mask(load_image(path)).mask
        plain_mask = np.asarray(remove(Image.open(path).convert("RGB"), session=session, only_mask=True))
        ours.append(masking.mask_iou(our_mask, truth))
        plain.append(masking.mask_iou(plain_mask, truth))
        for name, mask in (("ours", our_mask), ("plain", plain_mask)):
            own, true = _interior(mask), _interior(truth)
            ghosts[name][0] += int((mask[own] < OPAQUE).sum())
            ghosts[name][1] += int(own.sum())
            truth_inner[name][0] += int((mask[true] < OPAQUE).sum())
            truth_inner[name][1] += int(true.sum())
    out = {
        "images": len(ours),
        "ours_mean_iou": round(float(np.mean(ours)), 4),
        "plain_rembg_u2netp_mean_iou": round(float(np.mean(plain)), 4),
        "ours_median_iou": round(float(np.median(ours)), 4),
        "plain_rembg_u2netp_median_iou": round(float(np.median(plain)), 4),
    }
    for name in ("ours", "plain"):
        out[f"{name}_ghost_share"] = round(ghosts[name][0] / max(ghosts[name][1], 1), 5)
        out[f"{name}_truth_interior_below_095"] = round(
            truth_inner[name][0] / max(truth_inner[name][1], 1), 5
        )
    return out


def _peak_mb() -> float:
    """Peak resident memory of this process (VmHWM; a forked child inherits its parent's peak in
    getrusage, so the peak is reset through /proc/self/clear_refs first)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _memory_child(path: str, preset: str) -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    base = _peak_mb()
    masking.get_session()
    t0 = time.perf_counter()
    result = enhance(path, EnhanceOptions(preset=preset))
    seconds = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "preset": preset,
                "peak_rss_mb": round(_peak_mb(), 1),
                "rss_before_mb": round(base, 1),
                "seconds": round(seconds, 2),
                "output": list(result.image.size),
            }
        )
    )


def _memory(demo: Path, presets: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "24mp.jpg"
        Image.open(demo).convert("RGB").resize((6000, 4000), Image.Resampling.BICUBIC).save(big, quality=92)
        out = {}
        for preset in presets:
            proc = subprocess.run(
                [sys.executable, "-m", __spec__.name, "--memory-child", str(big), preset],
                capture_output=True,
                text=True,
                check=False,
            )
            lines = proc.stdout.strip().splitlines()
            out[preset] = (
                json.loads(lines[-1]) if proc.returncode == 0 and lines else {"error": proc.stderr[-500:]}
            )
        out["target_peak_mb"] = 1536
        return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 images, 1 repeat, 10 IoU photos")
    parser.add_argument("--masks", action="store_true", help="only the mask IoU and interior opacity")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--memory-child", nargs=2, metavar=("PATH", "PRESET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        _memory_child(*args.memory_child)
        return
    if args.masks:
        print(json.dumps({"mask_iou_shared": _iou(None)}, indent=2))
        return
    demo = ensure_demo_data(PROJECT_ROOT / "data" / "demo") / "images"
    images = sorted(demo.glob("*.jpg"))[: 2 if args.quick else None]
    report = {
        "timing_1024px": _timings(images, 1 if args.quick else args.repeats, EnhanceOptions()),
        "mask_iou_shared": _iou(10 if args.quick else None),
        "memory_24mp": _memory(images[0], ["web"] if args.quick else ["web", "original"]),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
