"""The campaign's image stages: which photos belong to which predicted category, enhancing them, and
small before/after thumbnails for the summary.

Photos are filed by category: `DIR/<category>/*.jpg` (sub-folders), or `DIR/<category>.jpg`
(flat, like the demo photos). A category without photos can borrow another's via `aliases`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from core.campaign.errors import CampaignError
from core.errors import TrendStudioError
from core.imaging.backgrounds.base import Background
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.export import thumbnail
from core.imaging.pipeline import REPORT_FIELDS, enhance_file, write_report
from core.imaging.zipsafe import IMAGE_SUFFIXES
from core.progress import Progress


def catalogue(folder: Path) -> dict[str, list[Path]]:
    """Category -> its photos (sorted by name), from sub-folders and top-level file stems."""
    folder = Path(folder)
    found: dict[str, list[Path]] = {}
    for child in sorted(folder.iterdir()) if folder.is_dir() else []:
        if child.is_dir():
            files = sorted(p for p in child.iterdir() if _is_image(p))
            if files:
                found.setdefault(child.name.lower(), []).extend(files)
        elif _is_image(child):
            found.setdefault(child.stem.lower(), []).append(child)
    return found


def photos_for(category: str, photos: dict[str, list[Path]], aliases: dict[str, str]) -> list[Path]:
    """A category's own photos, else those of its alias (e.g. shirt -> tshirt)."""
    key = category.lower()
    if photos.get(key):
        return photos[key]
    alias = aliases.get(key)
    return photos.get(alias.lower(), []) if alias else []


def select(
    shares: pd.DataFrame, folder: Path, *, top: int, per_category: int, aliases: dict[str, str]
) -> tuple[list[dict[str, Any]], list[str], list[tuple[str, Path]]]:
    """The `top` predicted categories (by share) that have photos in `folder`.

    Returns (one summary row per chosen category, categories skipped for lack of photos,
    the (category, photo) pairs to enhance). Raises CampaignError when no category has photos.
    """
    if not folder.is_dir():
        raise CampaignError(
            f"the images folder {folder} does not exist; file photos as "
            "DIR/<category>/*.jpg and pass --images DIR"
        )
    photos = catalogue(folder)
    chosen, without, selected = [], [], []
    for row in shares.itertuples(index=False):
        if len(chosen) == top:
            break
        files = photos_for(row.category, photos, aliases)[:per_category]
        if not files:
            without.append(row.category)
            continue
        chosen.append(
            {
                "category": row.category,
                "share": row.share,
                "customers": row.customers,
                "mean_confidence": row.mean_confidence,
                "photos": [f.name for f in files],
            }
        )
        selected.extend((row.category, f) for f in files)
    if not chosen:
        raise CampaignError(
            f"none of the predicted categories ({', '.join(shares['category'])}) has "
            f"photos in {folder}; file them as {folder}/<category>/*.jpg"
        )
    return chosen, without, selected


def enhance_selected(
    selected: list[tuple[str, Path]],
    out: Path,
    options: EnhanceOptions,
    *,
    scene: dict[str, Any],
    background: Background,
    thumb_size: int,
    progress: Progress,
    warn: Callable[[str], None],
) -> list[dict[str, Any]]:
    """Enhance each (category, photo) into out/images/<category>/, with before/after thumbnails and
    out/images/report.csv; returns one summary item per photo (a failed photo is an item with its error)."""
    rows, items = [], []
    for n, (category, path) in enumerate(selected):
        progress(n / len(selected), f"enhancing {category}/{path.name} ({n + 1}/{len(selected)})")
        row = enhance_file(path, out / "images" / category, options, scene=scene, background=background)
        row["category"] = category
        rows.append(row)
        items.append(_item(out, category, path, row, thumb_size, warn))
    write_report(rows, out / "images" / "report.csv", ["category", *REPORT_FIELDS])
    return items


def _item(
    out: Path, category: str, path: Path, row: dict[str, Any], size: int, warn: Callable[[str], None]
) -> dict[str, Any]:
    item = {
        "category": category,
        "name": path.name,
        "status": row["status"],
        "error": row["error"],
        "output": "",
        "before": "",
        "after": "",
        "compliant": row.get("compliant"),
    }
    if row["status"] != "done":
        return item
    output = Path(row["output"])
    thumbs = out / "thumbs"
    item["output"] = output.relative_to(out).as_posix()
    try:
        thumbnail(path, thumbs / "before" / category / f"{path.stem}.jpg", size)
        thumbnail(output, thumbs / "after" / category / f"{path.stem}.jpg", size)
    except (TrendStudioError, OSError) as exc:
        warn(f"no thumbnails for {category}/{path.name} ({exc}); the enhanced image is kept")
        return item
    item.update(
        before=f"thumbs/before/{category}/{path.stem}.jpg",
        after=f"thumbs/after/{category}/{path.stem}.jpg",
    )
    return item


def _is_image(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".")
