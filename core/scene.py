"""The photo scene a trend report hands the Studio, as plain data, and its one built-in default.

A scene is {environment, lighting, colors (#rrggbb), textures, mood, prompt}. The trends side types it
(`core.trends.report.Scene`), the imaging side reads it (`core.imaging.scene`); both start from here.
"""

from __future__ import annotations

import copy
from typing import Any

DEFAULT_SCENE: dict[str, Any] = {
    "environment": "studio",
    "lighting": "soft window light",
    "colors": ["#f4efe6", "#d9cbb8", "#8c7b6b"],
    "textures": ["linen"],
    "mood": "calm, natural",
    "prompt": "a clean studio product photo on a warm neutral backdrop, soft window light",
}
"""Used when no trend report exists yet, so the Studio always has a scene (read-only: copy it first)."""


def default_scene() -> dict[str, Any]:
    """A fresh copy of the default scene, safe to change."""
    return copy.deepcopy(DEFAULT_SCENE)
