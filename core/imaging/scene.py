"""Reading a trend report's `scene` (plain data) and turning it into light, palette and style."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.imaging.backgrounds import DEFAULT_PALETTE, STYLES, Light, hex_to_rgb
from core.imaging.errors import ImagingError

DEFAULT_SCENE: dict[str, Any] = {
    "environment": "studio",
    "lighting": "soft window light",
    "colors": list(DEFAULT_PALETTE),
    "textures": ["linen"],
    "mood": "calm, natural",
    "prompt": "a clean studio product photo on a warm neutral backdrop, soft window light",
}
"""The Studio's own default when no trend report exists (same look as the trends default)."""

_DIRECTIONS = (("left", 150.0), ("right", 30.0), ("overhead", 90.0), ("top", 90.0), ("above", 90.0),
               ("back", 90.0), ("rim", 90.0), ("side", 165.0))
_SOFT = ("soft", "diffuse", "overcast", "window", "cloud", "even", "north")
_HARD = ("hard", "direct", "harsh", "sun", "dramatic", "spot", "noon", "contrast")
_STYLE_WORDS = (("marble", "marble"), ("terrazzo", "terrazzo"), ("wood", "wood"), ("oak", "wood"),
                ("linen", "linen"), ("paper", "linen"), ("cotton", "linen"), ("concrete", "concrete"),
                ("stone", "concrete"), ("urban", "concrete"), ("street", "concrete"), ("bokeh", "bokeh"),
                ("night", "bokeh"), ("city lights", "bokeh"), ("window", "window-light"),
                ("podium", "podium"), ("plinth", "podium"), ("pedestal", "podium"), ("gradient", "gradient"),
                ("white", "white"), ("studio", "studio"))


class SceneError(ImagingError):
    """A trend report file that cannot be used as a scene."""


def load_scene(report_path: str | Path) -> dict[str, Any] | None:
    """The `scene` object of a trend report JSON, or None when the file does not exist."""
    path = Path(report_path)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SceneError(f"{path.name} is not valid JSON ({exc}); run `python -m core trends` again") from exc
    scene = data.get("scene") if isinstance(data, dict) else None
    if not isinstance(scene, dict):
        raise SceneError(f"{path.name} has no 'scene' object; is it a trend report from `python -m core trends`?")
    colors = [c for c in scene.get("colors") or [] if _is_hex(c)]
    return {**DEFAULT_SCENE, **scene, "colors": colors or list(DEFAULT_PALETTE)}


def light_from_scene(scene: dict[str, Any] | None) -> Light:
    """Light direction and softness read from the scene's lighting words."""
    text = f"{(scene or {}).get('lighting', '')} {(scene or {}).get('mood', '')}".lower()
    angle = next((a for word, a in _DIRECTIONS if word in text), 135.0)
    softness = 0.6
    if any(w in text for w in _HARD):
        softness = 0.25
    if any(w in text for w in _SOFT):
        softness = 0.75
    return Light(angle=angle, softness=softness)


def palette_from_scene(scene: dict[str, Any] | None) -> list[str]:
    colors = [c for c in (scene or {}).get("colors") or [] if _is_hex(c)]
    return colors or list(DEFAULT_PALETTE)


def suggest_style(scene: dict[str, Any] | None) -> str:
    """The procedural style that best matches the scene's environment and textures."""
    if not scene:
        return "studio"
    text = " ".join([str(scene.get("environment", "")), *map(str, scene.get("textures") or [])]).lower()
    style = next((s for word, s in _STYLE_WORDS if word in text), "studio")
    return style if style in STYLES else "studio"


def _is_hex(value: Any) -> bool:
    try:
        hex_to_rgb(str(value))
    except ValueError:
        return False
    return True
