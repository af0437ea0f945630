"""FLUX backend overhead on our side, measured offline against the local fake BFL server
(run in its own process by benchmarks/_peer.py; no key, no internet).

Prints one JSON object: for each output size, the seconds per background when BFL has to be called
(encode image + mask, submit, poll, download, resize, cache write; the fake answers instantly, so this is
pure client overhead) and when the disk cache answers (hash + decode), plus the payload size sent.
Usage: .venv/bin/python -m benchmarks.flux [--sizes 1080 2048] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import requests
from PIL import Image

from benchmarks._peer import fake_peer
from core.imaging.backgrounds.flux.backend import FluxBackground
from core.imaging.backgrounds.flux.client import FluxClient
from core.scene import DEFAULT_SCENE
from core.settings import load_settings


def _layer(side: int, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    rgba = np.zeros((side, side, 4), np.uint8)
    lo, hi = side // 8, side - side // 8
    rgba[lo:hi, lo:hi, :3] = rng.integers(0, 256, (hi - lo, hi - lo, 3))
    rgba[lo:hi, lo:hi, 3] = 255
    return Image.fromarray(rgba, "RGBA")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1080, 2048])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    photography = load_settings(env={}).section("photography")
    out: dict[str, object] = {"repeats": args.repeats}
    sent: list[int] = []
    with tempfile.TemporaryDirectory() as cache, fake_peer("bfl") as fake:
        session = requests.Session()  # records what each submission sends (image + mask, base64 in JSON)
        session.hooks["response"].append(
            lambda r, *_a, **_k: (
                sent.append(len(r.request.body or b"")) if r.request.method == "POST" else None
            )
        )
        client = FluxClient(fake.key, fake.url, poll_interval=0.01, session=session)
        for side in args.sizes:
            cold, warm = [], []
            for i in range(args.repeats):
                layer = _layer(side, seed=side * 100 + i)
                fn = FluxBackground(client, photography, cache_dir=Path(cache))
                t = time.perf_counter()
                fn(layer, dict(DEFAULT_SCENE))
                cold.append(time.perf_counter() - t)
                t = time.perf_counter()
                fn(layer, dict(DEFAULT_SCENE))
                warm.append(time.perf_counter() - t)
            out[str(side)] = {
                "sent_payload_mb": round(sent[-1] / 1e6, 2),
                "cold_seconds_median": round(statistics.median(cold), 3),
                "cache_hit_seconds_median": round(statistics.median(warm), 3),
            }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
