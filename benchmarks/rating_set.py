"""The fixed set of ten enhanced photos that blind reviewers rate 1-5 ("would a picky e-commerce editor
publish this?"). Same photos, styles and scenes every time, so rounds compare; the numbered files are
shuffled with a fixed seed so a reviewer cannot tell the demo renders from the real photos by order.

    .venv/bin/python -m benchmarks.rating_set --out /tmp/rating/set_a

Writes OUT/01.png ... OUT/10.png and OUT/map.json (number -> photo, style, scene), and prints the map.
Five real photos come from ../shared/data/masks (skipped if absent), five are the demo products.
"""

from __future__ import annotations

import argparse
import io
import json
import random
from pathlib import Path

from PIL import Image

from core import PROJECT_ROOT
from core.demo import ensure_demo_data
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.pipeline import enhance

SHARED = PROJECT_ROOT.parent / "shared" / "data" / "masks" / "images"
REAL = [  # (ECSSD photo, style, scene, light)
    ("0679.jpg", "studio", None, None),  # a brass bell on its chain
    ("0728.jpg", "wood", None, 150.0),  # a bench end
    ("0900.jpg", "concrete", None, None),  # a rusted car
    ("0895.jpg", "studio", None, 30.0),  # a painted gorilla statue on a plinth
    ("0318.jpg", "marble", None, None),  # two plates of sliced potato
]
DEMO = [  # (demo photo stem, style, scene, light)
    ("jacket", "studio", None, None),
    ("dress", "linen", None, 150.0),
    ("shoes", "wood", None, 30.0),
    ("shoes", "podium", None, None),
    ("jeans", "concrete", None, None),
]


def build(out: Path) -> dict[str, dict]:
    demo_dir = ensure_demo_data(PROJECT_ROOT / "data" / "demo") / "images"
    jobs = [(SHARED / name, *rest) for name, *rest in REAL if (SHARED / name).is_file()]
    jobs += [(next(demo_dir.glob(f"{stem}.*")), *rest) for stem, *rest in DEMO]
    order = list(range(len(jobs)))
    random.Random(21).shuffle(order)
    out.mkdir(parents=True, exist_ok=True)
    shown: dict[str, dict] = {}
    for number, index in enumerate(order, start=1):
        path, style, scene, light = jobs[index]
        options = EnhanceOptions(style=style, scene=scene, light_angle=light, preset="web")
        result = enhance(path, options)
        name = f"{number:02d}.png"
        data, _ = result.encode()  # what the user downloads (WebP for the web preset), shown losslessly
        Image.open(io.BytesIO(data)).convert("RGB").save(out / name)
        shown[name] = {"photo": path.name, "style": style, "scene": scene, "light": light}
    (out / "map.json").write_text(json.dumps(shown, indent=1))
    return shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    print(json.dumps(build(parser.parse_args().out), indent=1))


if __name__ == "__main__":
    main()
