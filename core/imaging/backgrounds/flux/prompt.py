"""The FLUX prompt: the trend scene (what to show) in words, then the photography config (how to shoot it).

FLUX follows words better than colour codes, so scene colours become the nearest named colours of
config/photography.toml [palette].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.imaging.backgrounds.paint import hex_to_rgb

_NEUTRAL = (128, 128, 128)


def build_prompt(scene: Mapping[str, Any] | None, photography: Mapping[str, Any]) -> str:
    """A FLUX prompt: the trend scene (what), then camera, lens, composition and lighting (how)."""
    scene = scene or {}
    palette = _palette_names(scene.get("colors") or [], photography.get("palette") or {})
    what = str(scene.get("prompt") or "").strip().rstrip(".")
    if not what:
        what = f"a product photo in a {scene.get('environment') or 'studio'} setting"
    details = [
        f"setting: {scene['environment']}" if scene.get("environment") else "",
        f"surfaces and textures: {', '.join(map(str, scene['textures']))}" if scene.get("textures") else "",
        f"colour palette: {', '.join(palette)}" if palette else "",
        f"lighting: {scene['lighting']}" if scene.get("lighting") else "",
        f"mood: {scene['mood']}" if scene.get("mood") else "",
    ]
    cam, comp, light, style = (
        photography.get(k) or {} for k in ("camera", "composition", "lighting", "style")
    )
    how = [
        _join("shot on a", cam.get("body"), cam.get("lens"), cam.get("aperture"), cam.get("iso")),
        _join("", comp.get("framing"), comp.get("angle"), comp.get("depth_of_field")),
        _join("", light.get("setup"), light.get("quality")),
        _join("", style.get("finish")),
        _join("", style.get("avoid")),
    ]
    parts = [what, "; ".join(d for d in details if d)] + [h for h in how if h]
    return ". ".join(p for p in parts if p) + "."


def first_colour(scene: Mapping[str, Any] | None) -> tuple[int, int, int]:
    colors = (scene or {}).get("colors") or []
    rgb = _hex(colors[0]) if colors else None
    return rgb or _NEUTRAL


def _hex(value: Any) -> tuple[int, int, int] | None:
    try:
        return tuple(round(c * 255) for c in hex_to_rgb(str(value)))  # type: ignore[return-value]
    except ValueError:
        return None


def _palette_names(colors: list[Any], palette: Mapping[str, str]) -> list[str]:
    """Nearest named colour for each hex (FLUX follows words better than codes); unknowns are skipped."""
    named = [(name, rgb) for name, code in palette.items() if (rgb := _hex(code))]
    out: list[str] = []
    for value in colors:
        rgb = _hex(value)
        if rgb is None:
            continue
        if not named:
            out.append(f"#{rgb[0]:02x}{rgb[1]:02x}{rgb[2]:02x}")
            continue
        name = min(named, key=lambda item: sum((a - b) ** 2 for a, b in zip(item[1], rgb, strict=True)))[0]
        if name not in out:
            out.append(name)
    return out


def _join(prefix: str, *values: Any) -> str:
    items = [str(v).strip() for v in values if v not in (None, "")]
    if not items:
        return ""
    return f"{prefix} {', '.join(items)}".strip() if prefix else ", ".join(items)
