"""Scene render speed: milliseconds to draw every style in its default scene (camera, floor, backdrop,
key light, depth of field; the podium as a cylinder) at 2000x2000, target <= 150 ms. `cold` clears the
material cache first (a first render); `warm` is every later render of the same material (a batch, the
Studio). Prints one JSON object with wall and CPU time (on a shared, loaded machine CPU time is the
better estimate of the idle wall time).

    .venv/bin/python -m benchmarks.scene [--repeats 3] [--side 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

from core.imaging.backgrounds.paint import Light
from core.imaging.backgrounds.procedural import STYLES
from core.imaging.staging import render
from core.imaging.staging.camera import build_stage
from core.imaging.staging.choice import default_scene_for


def _time(style: str, side: int, repeats: int, cold: bool) -> tuple[float, float]:
    box = (0.38 * side, 0.2 * side, 0.62 * side, 0.86 * side)
    stage = build_stage(default_scene_for(style), (side, side), box, podium=style == "podium")
    wall, cpu = [], []
    for seed in range(repeats):
        if cold:
            render.clear_material_cache()
        t0, c0 = time.perf_counter(), time.process_time()
        render.render_stage(style, stage, palette=None, seed=0, light=Light(30 + 40 * seed, 0.5))
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return round(1000 * statistics.median(wall), 1), round(1000 * statistics.median(cpu), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--side", type=int, default=2000)
    args = parser.parse_args()
    render.render_stage(
        "studio", build_stage("sweep", (64, 64), (20, 10, 44, 56)), palette=None, seed=0, light=Light()
    )
    report: dict = {"side": args.side, "target_ms": 150}
    for mode in ("cold", "warm"):
        walls, cpus = {}, {}
        for style in STYLES:
            walls[style], cpus[style] = _time(style, args.side, args.repeats, mode == "cold")
        report[mode] = {
            "median_wall_ms": walls,
            "median_cpu_ms": cpus,
            "max_wall_ms": max(walls.values()),
            "max_cpu_ms": max(cpus.values()),
        }
    report["load_average_1min"] = round(os.getloadavg()[0], 2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
