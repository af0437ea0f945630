"""Flat-lay garments as rasters (numpy/OpenCV): a Canvas spans the photo's square seen from above and
collects the garment's outline, its layers (pockets, collar, waistband, rib bands: real thickness in
metres), bump-only details (stitching, seams, rivets), a colour map and a metal map. The mesh side
(scripts/demo_products_mesh.py) turns it into a thin fabric shell lying on the paper.

Coordinates: unit coordinates of the photo (x right, y down), lengths given in millimetres.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

RES = 2048
"""Texels across the photo square."""


@dataclass
class Garment:
    canvas: Canvas
    weave: str
    """Shader weave (scripts/demo_products_blender.py: knit, denim, twill, crepe, wool)."""
    thickness_mm: float
    wrinkle_mm: float
    key: tuple[float, float] = (160.0, 22.0)
    """The key light's azimuth and elevation in degrees (a padded garment is lit more from above, so
    its shadow falls below it as well as to its right)."""


def sym(half: list) -> list:
    """A symmetric outline from its right half (walked top to bottom, ending on the centre line)."""
    return half + [(1 - x, y) for x, y in reversed(half[:-1])]


def ripple(path: list, amp: float, waves: float, phase: float = 0.0) -> list:
    """A hem that falls in soft waves: the path resampled, its points moved up and down."""
    p = resample(path, 0.004)
    t = np.linspace(0, 1, len(p))
    wave = np.sin(2 * np.pi * waves * t + phase) + 0.5 * np.sin(2 * np.pi * waves * 1.7 * t + 2 * phase)
    p[:, 1] += amp * wave / 1.5 * np.sin(np.pi * t) ** 0.3
    return [tuple(x) for x in p]


def mirror(pts: list) -> list:
    return [(1 - x, y) for x, y in pts]


def srgb(r: int, g: int, b: int) -> np.ndarray:
    """sRGB 0..255 to linear (what Blender's shaders take)."""
    c = np.array([r, g, b], np.float32) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


def noise(shape: tuple[int, int], cells: float, rng: np.random.Generator, stretch: float = 1.0) -> np.ndarray:
    """Smooth zero-mean unit-std noise with features about shape/cells texels wide (stretched along x)."""
    h, w = shape
    small = rng.standard_normal((max(2, int(cells)) + 3, max(2, int(cells / stretch)) + 3)).astype(np.float32)
    big = cv2.resize(small, (w + 2 * w // int(cells), h + 2 * h // int(cells)), interpolation=cv2.INTER_CUBIC)
    out = big[h // int(cells) : h // int(cells) + h, w // int(cells) : w // int(cells) + w]
    out = cv2.GaussianBlur(out, (0, 0), max(w / cells / 4 * stretch, 1), sigmaY=max(h / cells / 4, 1))
    return (out - out.mean()) / (out.std() + 1e-9)


def arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float, n: int = 24) -> list:
    """Points of an elliptic arc (degrees, y down: 90 is straight down)."""
    a = np.radians(np.linspace(a0, a1, n))
    return list(zip(cx + rx * np.cos(a), cy + ry * np.sin(a), strict=True))


def resample(path: np.ndarray | list, step: float, closed: bool = False) -> np.ndarray:
    p = np.asarray(path, float)
    if closed:
        p = np.vstack([p, p[:1]])
    s = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(p, axis=0).T))])
    t = np.arange(0, s[-1] + 1e-12, step)
    return np.stack([np.interp(t, s, p[:, 0]), np.interp(t, s, p[:, 1])], 1)


def offset(path: np.ndarray | list, d: float) -> np.ndarray:
    """The polyline moved sideways by d (unit coordinates; positive = to the right walking along it,
    in the y-down frame that is the left of the drawing)."""
    p = np.asarray(path, float)
    t = np.gradient(p, axis=0)
    t /= np.linalg.norm(t, axis=1, keepdims=True) + 1e-12
    return p + d * np.stack([-t[:, 1], t[:, 0]], 1)


class Canvas:
    """One garment seen from above on a square `frame_m` metres wide."""

    def __init__(self, frame_m: float, colour: np.ndarray, seed: int) -> None:
        self.frame = frame_m
        self.rng = np.random.default_rng(seed)
        self.mask = np.zeros((RES, RES), np.float32)
        self.layers = np.zeros((RES, RES), np.float32)
        """Height in metres of stacked fabric (geometry and bump)."""
        self.fine = np.zeros((RES, RES), np.float32)
        """Bump-only height in metres (stitching, seams, small hardware)."""
        self.colour = np.empty((RES, RES, 3), np.float32)
        self.colour[:] = colour
        self.metal = np.zeros((RES, RES), np.float32)
        self.loft = np.zeros((RES, RES), np.float32)
        """Padding and loft in metres (geometry only): what makes a padded garment a pillow, not a sheet."""
        self.folds: list[tuple] = []
        """Directed folds: (from, to, width mm, height mm)."""
        """Small creases in metres (geometry): what a garment keeps from being worn and folded."""

    # ---------------------------------------------------------------- units
    def mm(self, x: float) -> float:
        """Millimetres to unit coordinates."""
        return x / 1000.0 / self.frame

    def px(self, x_mm: float) -> float:
        return x_mm / 1000.0 / self.frame * RES

    def _fixed(self, pts: np.ndarray | list) -> np.ndarray:
        return np.round(np.asarray(pts, float) * RES * 16).astype(np.int32)

    # ---------------------------------------------------------------- regions
    def region(self, pts: np.ndarray | list, round_mm: float = 0.0) -> np.ndarray:
        """An anti-aliased filled polygon, corners rounded by `round_mm`."""
        img = np.zeros((RES, RES), np.uint8)
        cv2.fillPoly(img, [self._fixed(pts)], 255, cv2.LINE_AA, 4)
        out = img.astype(np.float32) / 255.0
        if round_mm > 0:
            s = self.px(round_mm)
            out = np.clip((cv2.GaussianBlur(out, (0, 0), s) - 0.5) * 2.0 * max(s / 2, 1) + 0.5, 0, 1)
        return out

    def stroke(self, path: np.ndarray | list, width_mm: float, closed: bool = False) -> np.ndarray:
        img = np.zeros((RES, RES), np.uint8)
        w = max(1, round(self.px(width_mm)))
        cv2.polylines(img, [self._fixed(path)], closed, 255, w, cv2.LINE_AA, 4)
        return img.astype(np.float32) / 255.0

    def body(self, region: np.ndarray, thickness_mm: float) -> None:
        """The garment itself: two layers of fabric lying flat."""
        self.mask = np.maximum(self.mask, region)
        self.layer(region, thickness_mm, roll_mm=1.0)

    def cut(self, region: np.ndarray) -> None:
        """An opening through the whole garment (a keyhole)."""
        self.mask *= 1 - region
        self.layers *= 1 - region

    def layer(self, region: np.ndarray, height_mm: float, roll_mm: float = 1.2) -> None:
        """Extra fabric on top (pocket, collar, band): its edge rolls over `roll_mm`."""
        soft = cv2.GaussianBlur(region, (0, 0), max(self.px(roll_mm), 0.5))
        self.layers += height_mm / 1000.0 * np.minimum(soft, region + 0.02) * (self.mask > 0)

    def puff(self, region: np.ndarray, height_mm: float, radius_mm: float, on_top: bool = False) -> None:
        """Padding: the panel rises from its edge like a pillow (a quarter ellipse over `radius_mm`, then
        a low crown), kept where higher than the loft already there, or stacked on it if `on_top`."""
        inside = cv2.distanceTransform((region > 0.5).astype(np.uint8), cv2.DIST_L2, 5) / self.px(1.0)
        edge = np.sqrt(1 - (1 - np.clip(inside / radius_mm, 0, 1)) ** 2)
        h = height_mm / 1000 * (0.65 * edge + 0.35 * np.clip(inside / (3 * radius_mm), 0, 1) ** 0.7)
        self.loft = self.loft + h if on_top else np.maximum(self.loft, h)

    def flatten(self, region: np.ndarray, factor: float, soft_mm: float) -> None:
        """Less loft over a region (a rib band, the zip's tape): the padding steps down softly."""
        self.loft *= 1 - (1 - factor) * cv2.GaussianBlur(region, (0, 0), self.px(soft_mm))

    def tint(self, region: np.ndarray, colour: np.ndarray, amount: float = 1.0) -> None:
        a = (region * amount)[..., None]
        self.colour = self.colour * (1 - a) + colour * a

    def shade(self, region: np.ndarray, factor: float) -> None:
        self.colour *= (1 + (factor - 1) * region)[..., None]

    # ---------------------------------------------------------------- lines
    def stitch(
        self,
        path: np.ndarray | list,
        colour: np.ndarray | None = None,
        dash_mm: float = 3.0,
        gap_mm: float = 1.4,
        closed: bool = False,
        thread_mm: float = 0.9,
    ) -> None:
        """A row of stitches: thread dashes on top, the fabric pulled down along the row."""
        pts = resample(path, self.mm(dash_mm + gap_mm) / 6, closed)
        if len(pts) < 7:
            return
        self.fine -= 0.35e-3 * cv2.GaussianBlur(self.stroke(pts, 1.6), (0, 0), self.px(0.6))
        dashes = np.zeros((RES, RES), np.uint8)
        w = max(1, round(self.px(thread_mm)))
        for i in range(0, len(pts) - 5, 6):
            a, b = self._fixed(pts[i]), self._fixed(pts[i + 4])
            cv2.line(dashes, tuple(a), tuple(b), 255, w, cv2.LINE_AA, 4)
        d = dashes.astype(np.float32) / 255.0
        self.fine += 0.45e-3 * cv2.GaussianBlur(d, (0, 0), 0.7)
        if colour is not None:
            self.tint(d, colour, 0.9)
        else:
            self.shade(d, 0.85)

    def seam(self, path: np.ndarray | list, depth_mm: float = 0.8, closed: bool = False) -> None:
        """A seam: a soft groove where two panels meet."""
        g = cv2.GaussianBlur(self.stroke(path, 1.2, closed), (0, 0), self.px(0.9))
        self.fine -= depth_mm / 1000.0 * g / max(float(g.max()), 1e-6)
        self.shade(g / max(float(g.max()), 1e-6), 0.95)

    def edge_stitch(self, pts: np.ndarray | list, inset_mm: float, colour=None, double: float = 0.0) -> None:  # noqa: ANN001
        """Topstitching `inset_mm` inside an edge path (and a second row `double` mm further in)."""
        self.stitch(offset(pts, self.mm(inset_mm)), colour)
        if double:
            self.stitch(offset(pts, self.mm(inset_mm + double)), colour)

    # ---------------------------------------------------------------- hardware
    def dome(
        self, c: tuple[float, float], r_mm: float, h_mm: float, colour: np.ndarray, metal: float
    ) -> None:
        """A rivet or button: a small dome of colour (and metal)."""
        yy, xx = np.ogrid[:RES, :RES]
        d = np.hypot(xx + 0.5 - c[0] * RES, yy + 0.5 - c[1] * RES) / self.px(r_mm)
        inside = np.clip((1 - d) * self.px(r_mm), 0, 1).astype(np.float32)
        self.fine += h_mm / 1000.0 * np.sqrt(np.clip(1 - d**2, 0, 1)).astype(np.float32)
        self.tint(inside, colour)
        self.metal = np.maximum(self.metal, inside * metal)

    # ---------------------------------------------------------------- texture
    def mottle(self, amount: float, cells: float = 24, stretch: float = 1.0) -> None:
        """Dye and fibre variation: the colour is never perfectly even."""
        n = noise((RES, RES), cells, self.rng, stretch) * 0.7 + noise((RES, RES), cells * 6, self.rng) * 0.3
        self.colour *= (1 + amount * n)[..., None]

    def grain(self, amount: float, size_mm: float, angle: float, stretch: float = 4.0) -> None:
        """The fabric's structure at the scale a photo resolves (a few mm): fine streaks `stretch` times
        longer than wide at `angle` degrees (90: the knit's vertical wales, 45: a twill's diagonal)."""
        n = noise((RES, RES), self.frame * 1000 / size_mm, self.rng, stretch)
        rot = cv2.getRotationMatrix2D((RES / 2, RES / 2), angle, 1.0)
        n = cv2.warpAffine(n, rot, (RES, RES), borderMode=cv2.BORDER_REFLECT)
        self.colour *= (1 + amount * n)[..., None]
        self.fine += 0.06e-3 * n

    def fold(self, a: tuple, b: tuple, width_mm: float, height_mm: float) -> None:
        self.folds.append((a, b, width_mm, height_mm))

    def creases(
        self, n: int, length_mm: tuple, height_mm: tuple, angle: float = 0.0, spread: float = 90.0
    ) -> None:
        """`n` soft creases inside the garment, at `angle` ± `spread` degrees (0 = across): broad and
        low, as a stylist leaves them, not sharp crumples."""
        ys, xs = np.nonzero(cv2.erode((self.mask > 0.5).astype(np.uint8), np.ones((9, 9), np.uint8)))
        for _ in range(n):
            i = self.rng.integers(len(xs))
            c = np.array([xs[i] + 0.5, ys[i] + 0.5]) / RES
            a = np.radians(angle + self.rng.uniform(-spread, spread))
            half = self.mm(self.rng.uniform(*length_mm)) / 2
            d = half * np.array([np.cos(a), np.sin(a)])
            h = self.rng.uniform(*height_mm)
            self.fold(tuple(c - d), tuple(c + d), h * 9.0, h)

    def warp(self, amount_mm: float, straight_x: float | None = None, cells: float = 4) -> None:
        """Nothing lies perfectly straight: bend every raster by a smooth displacement field with
        features 1/`cells` of the photo wide (none sideways near `straight_x`: a zip stays straight)."""
        dx = noise((RES, RES), cells, self.rng) * self.px(amount_mm)
        dy = noise((RES, RES), cells, self.rng) * self.px(amount_mm)
        gx, gy = np.meshgrid(np.arange(RES, dtype=np.float32), np.arange(RES, dtype=np.float32))
        if straight_x is not None:
            dx *= np.clip(np.abs(gx / RES - straight_x) / 0.15, 0, 1) ** 2
        mx, my = gx + dx, gy + dy

        def remap(a: np.ndarray) -> np.ndarray:
            return cv2.remap(a, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

        self.mask, self.layers, self.fine = remap(self.mask), remap(self.layers), remap(self.fine)
        self.colour, self.metal, self.loft = remap(self.colour), remap(self.metal), remap(self.loft)
        self.folds = [(self._shift(a, dx, dy), self._shift(b, dx, dy), w, h) for a, b, w, h in self.folds]

    def _shift(self, p: tuple, dx: np.ndarray, dy: np.ndarray) -> tuple:
        i, j = (min(RES - 1, max(0, int(p[k] * RES))) for k in (1, 0))
        return (p[0] - dx[i, j] / RES, p[1] - dy[i, j] / RES)

    def hem(self, edge: np.ndarray | list, depth_mm: float, rows: tuple = (0.0,), colour=None) -> None:  # noqa: ANN001
        """A turned-up hem `depth_mm` deep along an edge path (walked with the garment on its right,
        i.e. offsets go inwards): the extra fabric, its stitching rows (mm from the hem's top)."""
        inner = offset(edge, self.mm(depth_mm))
        band = self.region(np.vstack([np.asarray(edge, float), inner[::-1]]))
        self.layer(band * (self.mask > 0.5), 0.7, roll_mm=0.6)
        for r in rows:
            self.stitch(offset(edge, self.mm(depth_mm - 2 - r)), colour)
