"""Which product photos belong to which category, and small before/after thumbnails for the summary.

Photos are filed by category: `DIR/<category>/*.jpg` (sub-folders), or `DIR/<category>.jpg`
(flat, like the demo photos). A category without photos can borrow another's via `aliases`.
"""

from __future__ import annotations

from pathlib import Path

from core.imaging.export import thumbnail
from core.imaging.zipsafe import IMAGE_SUFFIXES

__all__ = ["catalogue", "photos_for", "thumbnail"]


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


def _is_image(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".")
