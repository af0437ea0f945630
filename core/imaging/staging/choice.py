"""Which scene geometry a photo is staged in. What decides, in order: the user's choice, then the trend
scene handed over from the Trend Explorer (when its words name a geometry), then the photo itself (an
item photographed lying flat from above is staged flat-lay whatever the style, see `flatlay`), then
the style's own default (studio-like styles on a seamless sweep, materials on a tabletop)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from core.imaging.errors import UnknownSceneError

SCENES = ("tabletop", "sweep", "flat-lay")
"""Scene geometries a user can choose (`--scene`, the Studio and the Batch page)."""
SWEEP_STYLES = frozenset({"studio", "white", "gradient", "window-light", "podium"})
"""Styles whose default scene is a seamless sweep; the textured ones and bokeh default to a tabletop."""
_WORDS = (
    ("flat lay", "flat-lay"),
    ("flat-lay", "flat-lay"),
    ("flatlay", "flat-lay"),
    ("top-down", "flat-lay"),
    ("top down", "flat-lay"),
    ("overhead shot", "flat-lay"),
    ("seamless", "sweep"),
    ("sweep", "sweep"),
    ("cyclorama", "sweep"),
    ("infinity cove", "sweep"),
    ("tabletop", "tabletop"),
    ("table top", "tabletop"),
    ("on a table", "tabletop"),
    ("countertop", "tabletop"),
    ("counter top", "tabletop"),
)


def check_scene(name: str) -> str:
    """`name` when it is a scene geometry, else a clear error listing the choices."""
    if name not in SCENES:
        raise UnknownSceneError(f"unknown scene {name!r}; choose one of: {', '.join(SCENES)}")
    return name


def scene_from_trend(scene: Mapping[str, Any] | None) -> str | None:
    """The geometry a trend scene's words name (environment, prompt, textures), or None."""
    if not scene:
        return None
    text = " ".join(
        str(scene.get(k, "")) for k in ("environment", "prompt", "composition", "setting")
    ).lower()
    text += " " + " ".join(map(str, scene.get("textures") or [])).lower()
    return next((kind for word, kind in _WORDS if word in text), None)


def default_scene_for(style: str) -> str:
    """The style's own geometry: sweep for studio-like styles, a tabletop for materials."""
    return "sweep" if style in SWEEP_STYLES else "tabletop"


def choose_scene(
    requested: str | None,
    trend: Mapping[str, Any] | None,
    style: str,
    flat_photo: Callable[[], bool] | None = None,
) -> str:
    """The scene geometry used: the user's choice, else the trend scene's, else flat-lay when the
    photo was taken top-down of an item lying flat (`flat_photo`, asked only when it decides), else
    the style's default."""
    if requested:
        return check_scene(requested)
    named = scene_from_trend(trend)
    if named:
        return named
    if flat_photo is not None and flat_photo():
        return "flat-lay"
    return default_scene_for(style)
