"""Deterministic demo data: a post corpus, REES46 events and product photos with masks.

Every page and CLI command falls back to these when the user brings nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.demo.events import VERSION as EVENTS_VERSION
from core.demo.events import write_events
from core.demo.images import VERSION as IMAGES_VERSION
from core.demo.images import write_images
from core.demo.posts import planted_truth, write_posts

POSTS_FILE = "posts.jsonl"
EVENTS_FILE = "events.csv"
MANIFEST = "manifest.json"


def write_demo_data(out_dir: Path) -> dict:
    """Write every demo input into `out_dir` and a manifest of what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    n_posts = write_posts(out_dir / POSTS_FILE)
    n_events = write_events(out_dir / EVENTS_FILE)
    images = write_images(out_dir)
    manifest = {
        "posts": {"file": POSTS_FILE, "count": n_posts, "planted": planted_truth()},
        "events": {"file": EVENTS_FILE, "count": n_events, "version": EVENTS_VERSION},
        "images": _images_entry(images),
    }
    # the manifest is written last: its presence means the folder is complete
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _images_entry(images: list[Path]) -> dict:
    return {
        "files": [f"images/{p.name}" for p in images],
        "masks": [f"masks/{p.stem}.png" for p in images],
        "version": IMAGES_VERSION,
    }


def ensure_demo_data(out_dir: Path) -> Path:
    """Generate the demo folder once; later calls are free (demo events or photos of an older version
    are rewritten)."""
    path = out_dir / MANIFEST
    if not path.is_file():
        write_demo_data(out_dir)
        return out_dir
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("events", {}).get("version") != EVENTS_VERSION:
        n_events = write_events(out_dir / EVENTS_FILE)
        manifest["events"] = {"file": EVENTS_FILE, "count": n_events, "version": EVENTS_VERSION}
        path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    if manifest.get("images", {}).get("version") != IMAGES_VERSION:
        manifest["images"] = _images_entry(write_images(out_dir))
        path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return out_dir
