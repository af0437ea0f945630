"""Drawing a scene: each procedural style becomes materials on the stage's floor and backdrop, lit by
the key light and seen through the camera, with depth of field (the backdrop softer than the product's
plane). Rendered at a modest size and resized: a 2000-px scene stays under 150 ms."""

from __future__ import annotations

import functools
import math

import cv2
import numpy as np

from core.imaging.backgrounds.paint import Light, Palette, fbm, spread, tint
from core.imaging.backgrounds.procedural import render_array
from core.imaging.staging.camera import KeyLight, Stage
from core.imaging.staging.falloff import light_map, vignette
from core.imaging.staging.harmony import grade
from core.imaging.staging.podium import draw_podium

RENDER_SIDE = 600
"""Longest side a scene is drawn at before it is resized to the canvas."""
TEXTURE_SIDE = 512
TEXTURED = ("wood", "marble", "linen", "concrete", "terrazzo")
"""Styles whose look is a surface material (the tabletop scene's floor)."""
_TILE = 1.15
"""World width one material tile covers, in canvas widths at the product's depth."""


def render_stage(
    style: str,
    stage: Stage,
    *,
    palette: list[str] | None,
    seed: int,
    light: Light,
    focus_sigma: float = 0.8,
) -> np.ndarray:
    """The scene behind the product (uint8 RGB at `stage.size`); `focus_sigma` is the blur (canvas px)
    of the product's own plane, so the floor at the base is as sharp as the product and no sharper."""
    w, h = stage.size
    if style == "white":
        return np.full((h, w, 3), 255, np.uint8)
    p = Palette(palette)
    key = KeyLight.from_light(light)
    if stage.kind == "flat-lay":
        surface = "studio" if style == "podium" else style  # seen from above, a podium is just paper
        return render_array(surface, stage.size, palette=palette, seed=seed, light=light, finish=_flat_finish)
    s = min(1.0, RENDER_SIDE / max(w, h))
    rw, rh = max(16, round(w * s)), max(16, round(h * s))
    u = (np.arange(rw, dtype=np.float32) + 0.5) / s
    v = (np.arange(rh, dtype=np.float32) + 0.5) / s
    y, z, ny, nz = (a.astype(np.float32) for a in stage.profile(v))
    x = (u[None, :] - stage.centre_x) * z[:, None] / stage.focal
    rng = np.random.default_rng(seed)
    floor, wall = _materials(style, p, rng, seed, light, x, y, z, stage, s)
    on_floor = (ny > 0.5)[:, None, None]
    img = np.where(on_floor, floor, wall) if stage.kind == "tabletop" else floor
    # lighting is smooth: worked out on every 4th row and column, then enlarged
    shade = _shading(key, stage, x[::4, ::4], y[::4], z[::4], ny[::4], nz[::4])
    img = img * spread(cv2.resize(shade, (rw, rh), interpolation=cv2.INTER_LINEAR))
    if stage.kind == "tabletop":
        img = img * _junction(v, stage.wall_row, s)[:, None, None]
    img = img * light_map(stage, key, style, (rw, rh))
    if style == "bokeh":
        img = _bokeh_lights(img, p, rng, v < stage.wall_row)
    if style == "window-light":
        img = _window(img, key, x, y, z, ny)
    img = _defocus(img, z, stage, focus_sigma * s)
    if stage.podium_radius > 0:  # it stands at the product's depth: as sharp as the product
        img = draw_podium(img, stage, key, p, s)
    out = grade((np.clip(img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8))  # graded at the render size
    if (rw, rh) != (w, h):
        out = cv2.resize(out, (w, h), interpolation=cv2.INTER_LINEAR)
    return out


def _flat_finish(flat: np.ndarray) -> np.ndarray:
    """A flat-lay's surface: a lens's gentle fall-off and the house grade (at the render size)."""
    h, w = flat.shape[:2]
    return grade(cv2.multiply(flat, vignette(w, h, 0.1), dtype=cv2.CV_8U))


def _materials(style, p: Palette, rng, seed, light, x, y, z, stage: Stage, s):
    """Floor and wall colour (float RGB at render size). Textured styles lay their material on the
    floor in perspective (looked up by world position); the others are seamless paper."""
    rh, rw = z.shape[0], x.shape[1]
    paper = {
        "studio": p.lighten(p.light, 0.25),
        "gradient": p.lighten(p.mid, 0.15),
        "podium": p.lighten(p.light, 0.3),
        "window-light": p.lighten(p.light, 0.3),
        "bokeh": p.darken(p.dark, 0.55),
    }
    wall = _plaster(p, rng, rh, rw, style) if stage.kind == "tabletop" else None
    if style not in TEXTURED:
        tone = paper.get(style, p.lighten(p.light, 0.25))
        grain = 0.985 + 0.03 * _soft_noise(rng, rh, rw)
        if style != "gradient":
            return tint(tone, grain, np.float32), wall
        t = np.clip((y / max(stage.eye_height, 1e-3)) * 0.5, 0, 1)[:, None, None]
        flat = tint(tone, grain) * (1 - t) + p.lighten(p.light, 0.35) * t
        return flat.astype(np.float32), wall
    tex = _texture(style, tuple(_hex(p)), seed)
    tile = _TILE * stage.size[0] / stage.focal
    depth = z + y  # distance along the surface (the cove and wall continue the floor)
    front = float(depth[-1])
    tx = ((x / tile + 0.5) * TEXTURE_SIDE).astype(np.float32)
    ty = np.broadcast_to(((depth - front)[:, None] / tile * TEXTURE_SIDE + 20.0), x.shape).astype(np.float32)
    floor = cv2.remap(tex, tx, ty, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)
    return floor.astype(np.float32) * (1.0 / 255.0), wall


@functools.lru_cache(maxsize=24)
def _texture(style: str, palette: tuple[str, ...], seed: int) -> np.ndarray:
    """A tile of the style's material (uint8), a touch softened so the far floor does not shimmer;
    kept for reuse, since a batch or the Studio draws the same material again and again."""
    tex = render_array(
        style, (TEXTURE_SIDE, TEXTURE_SIDE), palette=list(palette), seed=seed, light=Light(90, 1)
    )
    if style == "wood":
        tex = tex.transpose(1, 0, 2)  # planks run away from the camera
    tex = cv2.GaussianBlur(np.ascontiguousarray(tex), (0, 0), 0.6)
    tex.flags.writeable = False
    return tex


def clear_material_cache() -> None:
    """Forget the material tiles drawn so far (the next scene renders its material from scratch)."""
    _texture.cache_clear()


def _hex(p: Palette) -> list[str]:
    """The palette back as hex colours (the material renderer takes hex)."""
    return ["#" + "".join(f"{round(float(c) * 255):02x}" for c in col) for col in p.colors]


def _plaster(p: Palette, rng, h: int, w: int, style: str) -> np.ndarray:
    """A painted wall far behind the table: the palette's light tone, barely mottled."""
    base = p.lighten(p.light, 0.3) if style != "bokeh" else p.darken(p.dark, 0.7)
    mottle = 0.97 + 0.05 * _soft_noise(rng, h, w)
    return tint(base, mottle, np.float32)


def _soft_noise(rng, h: int, w: int) -> np.ndarray:
    """Large, soft mottling (paper, plaster), made at a quarter size and enlarged."""
    small = fbm(rng, max(4, h // 4), max(4, w // 4), max(h, w) / 10, 3)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _shading(key: KeyLight, stage: Stage, x, y, z, ny, nz) -> np.ndarray:
    """Ambient plus the key light's Lambert term and a broad pool centred towards the light's side;
    normalised so the floor right at the product's base keeps the material's own tone."""
    d = -key.travel
    dz = min(d[2], -0.85 * d[1])  # the backdrop is lit too (a studio aims a light at it)
    # floor and wall each take their own Lambert term; the cove blends them (a true normal would put a
    # bright band where it faces the light, which a real paper sweep does not show)
    lam = (ny * max(d[1], 0.0) + (1.0 - ny) * max(-dz, 0.0))[:, None] + 0.0 * x
    lx = 0.9 * d[0] * stage.eye_height / max(d[1], 0.2) * 0.6
    dist2 = (x - lx) ** 2 + ((z - 1.0)[:, None]) ** 2 * 0.6 + ((y - 0.3 * stage.eye_height)[:, None]) ** 2
    pool = 1.0 / (1.0 + dist2 / (1.1 + 1.5 * key.softness))
    raw = key.ambient + (1.0 - key.ambient) * lam * (0.55 + 0.45 * pool)
    ref = key.ambient + (1.0 - key.ambient) * max(d[1], 0.0) * (0.55 + 0.45 / (1.0 + (lx**2) / 1.5))
    # the backdrop is brighter on the light's side and falls off toward its top
    side = np.clip(x * (0.9 / max(stage.size[0] / stage.focal, 0.1)), -1.0, 1.0) * float(d[0])
    height = np.clip(y / (3.0 * max(stage.eye_height, 0.05)), 0.0, 1.0)[:, None]
    raw = raw * (1.0 + (1.0 - ny)[:, None] * (0.09 * side - 0.07 * height))
    return (raw / max(ref, 1e-3) * 0.98).astype(np.float32)


def _junction(v: np.ndarray, row: float, s: float) -> np.ndarray:
    """Where the table meets the wall light is blocked a little: a soft dark crease."""
    d = (v - row) * s
    return (1.0 - 0.16 * np.exp(-((d / 6.0) ** 2)) - 0.05 * np.exp(-((d / 25.0) ** 2))).astype(np.float32)


def _bokeh_lights(img, p: Palette, rng, wall_rows: np.ndarray) -> np.ndarray:
    h, w = img.shape[:2]
    lights = np.zeros_like(img)
    top = max(2, int(wall_rows.sum()))
    for _ in range(40):
        c = (int(rng.random() * w), int(rng.random() * top))
        r = max(1, int(w * (0.015 + 0.05 * rng.random())))
        col = p.lighten(p.colors[int(rng.integers(len(p.colors)))], 0.3) * (0.2 + 0.35 * rng.random())
        cv2.circle(lights, c, r, tuple(float(v) for v in col), -1, lineType=cv2.LINE_AA)
    return img + cv2.GaussianBlur(lights, (0, 0), max(1.0, w / 300))


def _window(img, key: KeyLight, x, y, z, ny) -> np.ndarray:
    """Sunlight through a window: bright panes thrown on the wall on the side away from the light."""
    dx = -math.cos(math.radians(key.angle))
    wx = x - 0.35 * dx
    panes = ((np.abs(np.sin(wx * 9.0)) > 0.18) & (np.abs(wx) < 0.7)).astype(np.float32)
    band = ((y[:, None] > 0.08) & (y[:, None] < 0.9) & (ny[:, None] < 0.5)).astype(np.float32)
    gobo = cv2.GaussianBlur(panes * band, (0, 0), 2.0 + 8.0 * key.softness)
    return img * (1.0 + 0.22 * gobo[..., None] * np.array([1.0, 0.97, 0.9], np.float32))


def _defocus(img: np.ndarray, z: np.ndarray, stage: Stage, sigma: float) -> np.ndarray:
    """Depth of field focused on the product: blur grows with |1 - 1/z| (the circle of confusion of a
    lens focused at depth 1); a sharp level and two blurry ones (made and blended at half size)."""
    h, w = img.shape[:2]
    coc = np.abs(1.0 - 1.0 / np.maximum(z, 1e-3))
    t = np.clip(coc / 0.55, 0.0, 1.0).astype(np.float32) * 2.0  # 0 sharp, 1 mid, 2 far
    far_sigma = max(h, w) * 0.011
    sharp = img if sigma < 0.3 else cv2.GaussianBlur(img, (0, 0), sigma)
    half = cv2.resize(img, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    mid = cv2.GaussianBlur(half, (0, 0), (sigma + far_sigma * 0.45) / 2)
    far = cv2.GaussianBlur(half, (0, 0), (sigma + far_sigma) / 2)
    t_half = cv2.resize(t[:, None], (1, h // 2), interpolation=cv2.INTER_AREA)[:, :, None]
    hi = np.clip(t_half - 1.0, 0, 1)
    soft = cv2.resize(mid * (1 - hi) + far * hi, (w, h), interpolation=cv2.INTER_LINEAR)
    lo = np.clip(t, 0, 1)[:, None, None]
    return sharp * (1 - lo) + soft * lo
