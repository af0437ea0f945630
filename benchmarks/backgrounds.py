"""Procedural background speed: milliseconds to render each style at 2000x2000 (target <= 100 ms).
Prints one JSON object with wall and CPU time: on a shared, loaded machine the wall time is inflated
by waiting for a core, and the CPU time is the better estimate of the idle wall time.

    .venv/bin/python -m benchmarks.backgrounds [--repeats 5] [--side 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

from core.imaging.backgrounds.procedural import STYLES, render_background


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--side", type=int, default=2000)
    args = parser.parse_args()
    size = (args.side, args.side)
    box = (0.3 * args.side, 0.25 * args.side, 0.7 * args.side, 0.75 * args.side)
    result, cpu_ms = {}, {}
    for style in STYLES:
        render_background(style, (64, 64))  # warm-up
        times, cpu = [], []
        for seed in range(args.repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            render_background(style, size, seed=seed, product_box=box)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        result[style] = round(1000 * statistics.median(times), 1)
        cpu_ms[style] = round(1000 * statistics.median(cpu), 1)
    print(
        json.dumps(
            {
                "side": args.side,
                "median_wall_ms": result,
                "median_cpu_ms": cpu_ms,
                "max_median_wall_ms": max(result.values()),
                "target_ms": 100,
                "load_average_1min": round(os.getloadavg()[0], 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
