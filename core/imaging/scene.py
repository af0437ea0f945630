"""Reading a trend report's `scene` (plain data) and turning it into light, palette and style."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import TrendStudioError
from core.imaging.backgrounds.paint import DEFAULT_PALETTE, Light, hex_to_rgb
from core.imaging.backgrounds.procedural import STYLES
from core.imaging.errors import ImagingError
from core.scene import DEFAULT_SCENE, default_scene
from core.settings import Settings

_DIRECTIONS = (
    ("left", 150.0),
    ("right", 30.0),
    ("overhead", 90.0),
    ("top", 90.0),
    ("above", 90.0),
    ("back", 90.0),
    ("rim", 90.0),
    ("side", 165.0),
)
_SOFT = ("soft", "diffuse", "overcast", "window", "cloud", "even", "north")
_HARD = ("hard", "direct", "harsh", "sun", "dramatic", "spot", "noon", "contrast")
_STYLE_WORDS = (
    ("marble", "marble"),
    ("terrazzo", "terrazzo"),
    ("wood", "wood"),
    ("oak", "wood"),
    ("linen", "linen"),
    ("paper", "linen"),
    ("cotton", "linen"),
    ("concrete", "concrete"),
    ("stone", "concrete"),
    ("urban", "concrete"),
    ("street", "concrete"),
    ("bokeh", "bokeh"),
    ("night", "bokeh"),
    ("city lights", "bokeh"),
    ("window", "window-light"),
    ("podium", "podium"),
    ("plinth", "podium"),
    ("pedestal", "podium"),
    ("gradient", "gradient"),
    ("white", "white"),
    ("studio", "studio"),
)


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
        raise SceneError(
            f"{path.name} has no 'scene' object; is it a trend report from `python -m core trends`?"
        )
    return {**DEFAULT_SCENE, **scene, "colors": palette_from_scene(scene)}


@dataclass(frozen=True)
class StudioScene:
    """The scene the Studio works with, and where it came from (for a caption)."""

    scene: dict[str, Any]
    origin: str
    from_trends: bool
    """False when it is the built-in default."""
    problem: str | None = None
    """Why the latest trend report could not be used (it was skipped for the default)."""


def studio_scene(settings: Settings, handed: Mapping[str, Any] | None = None) -> StudioScene:
    """The one fallback order: the scene handed over by the Trend Explorer, else the latest trend
    report's, else the built-in default. A broken latest report is reported, not raised."""
    if handed:
        return StudioScene(dict(handed), "the Trend Explorer", True)
    problem = None
    try:
        scene = load_scene(settings.latest_report_path)
    except TrendStudioError as exc:
        scene, problem = None, str(exc)
    if scene:
        return StudioScene(scene, "the latest trend report", True)
    return StudioScene(default_scene(), "the built-in default (no trend report yet)", False, problem)


def _lighting_words(scene: dict[str, Any] | None) -> str:
    return f"{(scene or {}).get('lighting', '')} {(scene or {}).get('mood', '')}".lower()


def direction_in_scene(scene: dict[str, Any] | None) -> float | None:
    """The light's angle the scene's lighting words name ("light from the left"), or None."""
    text = _lighting_words(scene)
    return next((a for word, a in _DIRECTIONS if word in text), None)


def light_from_scene(scene: dict[str, Any] | None) -> Light:
    """Light direction and softness read from the scene's lighting words."""
    text = _lighting_words(scene)
    named = direction_in_scene(scene)
    angle = Light().angle if named is None else named
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
    """The procedural style a scene names: its setting first ("studio setting" -> studio, even beside a
    linen texture), its textures only when the setting names no style."""
    if not scene:
        return "studio"
    setting = str(scene.get("environment", "")).lower()
    textures = " ".join(map(str, scene.get("textures") or [])).lower()
    by_setting = next((s for word, s in _STYLE_WORDS if word in setting), None)
    if by_setting is None and "studio" not in setting:
        by_setting = next((s for word, s in _STYLE_WORDS if word in textures), None)
    return by_setting if by_setting in STYLES else "studio"


def _is_hex(value: Any) -> bool:
    try:
        hex_to_rgb(str(value))
    except ValueError:
        return False
    return True
