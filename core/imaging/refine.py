"""Mask refinement and user corrections, all in numpy/OpenCV on uint8 or float32 arrays.

The network sees a 320 px thumbnail; these steps bring its soft mask back to the photo's edges
(guided filter), drop stray specks, fill pinholes, feather the rim, and merge the user's
add/remove brush strokes.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.imaging.colours import colour_centres, lab_at, nearest, sample


def guided_upsample(
    soft: np.ndarray, guide: np.ndarray, *, radius: int | None = None, eps: float = 1e-4
) -> np.ndarray:
    """Resize a soft mask (float 0..1) to `guide`'s size and snap its edges to the guide's edges.

    He et al.'s guided filter on the grey guide: cheap (box filters only) and it recovers
    the detail the 320 px network output cannot have.
    """
    h, w = guide.shape[:2]
    p = cv2.resize(soft.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    r = radius or max(2, round(max(h, w) / 160))
    # only around the product: where the soft mask stays below GUIDED_FLOOR within reach of the
    # filter, its output stays far below the half-way alpha, so the plain upsample is kept there
    on = (p > GUIDED_FLOOR).view(np.uint8)
    rows, cols = np.flatnonzero(on.max(axis=1)), np.flatnonzero(on.max(axis=0))
    if rows.size == 0:
        return np.clip(p, 0.0, 1.0)
    pad = 3 * r + 2
    y0, y1 = _even(max(0, int(rows[0]) - pad), min(h, int(rows[-1]) + 1 + pad), h)
    x0, x1 = _even(max(0, int(cols[0]) - pad), min(w, int(cols[-1]) + 1 + pad), w)
    inner = _guided(p[y0:y1, x0:x1], guide[y0:y1, x0:x1], r, eps)
    out = np.clip(p, 0.0, 1.0, out=p)  # the plain upsample is a fresh array: clipped in place
    out[y0:y1, x0:x1] = inner
    return out


def _even(lo: int, hi: int, length: int) -> tuple[int, int]:
    """The span grown by a pixel (within 0..length) to an even size: the filter's half-size fit then
    takes OpenCV's exact 2x2 area resize, not its 2-3x slower fractional path."""
    if (hi - lo) % 2:
        hi, lo = (hi + 1, lo) if hi < length else (hi, max(0, lo - 1))
    return lo, hi


GUIDED_FLOOR = 0.1
"""Soft-mask value below which the guided filter is not run (far from the 0.5 that makes product)."""


GUIDED_SUBSAMPLE_FROM = 4
"""Filter radius (px) from which the linear coefficients are fitted at half size (He & Sun's fast
guided filter): the coefficients are smooth at that radius, the edges come from the full-size guide."""


_UNIT = np.arange(256, dtype=np.float32) / 255.0
"""8-bit grey -> float32 0..1 as one table lookup (the same values as converting and dividing)."""


def _guided(p: np.ndarray, guide: np.ndarray, r: int, eps: float) -> np.ndarray:
    g = cv2.LUT(cv2.cvtColor(guide, cv2.COLOR_RGB2GRAY), _UNIT) if guide.ndim == 3 else guide
    h, w = g.shape
    step = 2 if r >= GUIDED_SUBSAMPLE_FROM and min(h, w) >= 8 else 1
    if step > 1:
        size = (max(1, w // step), max(1, h // step))
        gs = cv2.resize(g, size, interpolation=cv2.INTER_AREA)
        ps = cv2.resize(p, size, interpolation=cv2.INTER_AREA)
        rs = max(1, round(r / step))
    else:
        gs, ps, rs = g, p, r
    k = (2 * rs + 1, 2 * rs + 1)

    def box(x: np.ndarray) -> np.ndarray:
        return cv2.boxFilter(x, -1, k, borderType=cv2.BORDER_REFLECT)

    mean_g, mean_p = box(gs), box(ps)
    var_g = box(gs * gs) - mean_g * mean_g
    cov_gp = box(gs * ps) - mean_g * mean_p
    a = cov_gp / (var_g + eps)
    b = mean_p - a * mean_g
    mean_a, mean_b = box(a), box(b)
    if step > 1:
        mean_a = cv2.resize(mean_a, (w, h), interpolation=cv2.INTER_LINEAR)
        mean_b = cv2.resize(mean_b, (w, h), interpolation=cv2.INTER_LINEAR)
    out = np.multiply(mean_a, g, out=mean_a)  # in place: each full-size temporary costs a pass
    out += mean_b
    return np.clip(out, 0.0, 1.0, out=out)


def keep_product_components(alpha: np.ndarray, *, min_share: float = 0.05) -> np.ndarray:
    """Zero the soft alpha outside connected parts smaller than `min_share` of the largest part."""
    reach = max(3, round(max(alpha.shape) / 200)) * 2 + 1
    box = bounds(alpha >= 128, reach // 2 + 1)  # every part lies inside, and the rim kept with it
    if box is None:
        return alpha
    y0, y1, x0, x1 = box
    binary = (alpha[y0:y1, x0:x1] >= 128).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if n <= 2:
        return alpha
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.zeros(n, dtype=bool)
    keep[1:] = areas >= min_share * areas.max()
    kept = keep[labels].astype(np.uint8)
    # keep the soft rim that belongs to kept parts, drop the rim of dropped ones
    near = cv2.dilate(kept, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach)))
    dropped = (binary > 0) & (kept == 0)
    out = np.zeros_like(alpha)
    inner = cv2.copyTo(alpha[y0:y1, x0:x1], near, np.zeros_like(binary))  # OpenCV's masked copy
    inner[dropped] = 0
    out[y0:y1, x0:x1] = inner
    return out


def fill_holes(
    alpha: np.ndarray, rgb: np.ndarray | None = None, *, max_share: float = 0.002, min_delta_e: float = 20.0
) -> np.ndarray:
    """Fill enclosed holes: pinholes smaller than `max_share` of the image always, and larger ones
    when `rgb` shows they are product the network missed (their colour is far from every colour of
    the background). Real openings (bag handles, a keyhole neckline) show the
    background through them and stay open."""
    # an enclosed hole lies inside the product's box, and a hole pixel on the box's edge is open
    # to the background beyond it (or is on the photo's edge): the box decides exactly
    box = bounds(alpha >= 128, 0)
    if box is None:
        return alpha
    y0, y1, x0, x1 = box
    holes = (alpha[y0:y1, x0:x1] < 128).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
    if n <= 1:
        return alpha
    h, w = alpha.shape
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    enclosed = (x > 0) & (y > 0) & (x + bw < x1 - x0) & (y + bh < y1 - y0)
    enclosed[0] = False
    fill_ids = enclosed & (stats[:, cv2.CC_STAT_AREA] <= max_share * h * w)
    candidates = enclosed & ~fill_ids
    if rgb is not None and candidates.any():
        background = alpha < 128  # the photo's background: every hole that is not enclosed
        background[y0:y1, x0:x1] &= _paint(np.zeros_like(holes), labels, enclosed) == 0
        fill_ids |= _missed_product(rgb, labels, stats, (y0, x0), candidates, sample(background), min_delta_e)
    out = alpha.copy()
    out[y0:y1, x0:x1] = _paint(alpha[y0:y1, x0:x1], labels, fill_ids)
    return out


def _paint(crop: np.ndarray, labels: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """`crop` made opaque on the labelled parts `parts` selects (label 0, never selected, is the rest):
    by OpenCV's table lookup when the labels fit a byte, else by a numpy gather."""
    if parts.size > 256:
        out = crop.copy()
        out[parts[labels]] = 255
        return out
    table = np.zeros(256, np.uint8)
    table[: parts.size][parts] = 255
    return cv2.max(crop, cv2.LUT(labels.astype(np.uint8), table))


def _missed_product(
    rgb: np.ndarray,
    labels: np.ndarray,
    stats: np.ndarray,
    origin: tuple[int, int],
    candidates: np.ndarray,
    background: np.ndarray,
    min_delta_e: float,
) -> np.ndarray:
    """Which candidate holes (`labels` of the box at `origin` in the photo) are coloured unlike any of
    the background's colours (a real opening shows the background through it); `background` holds
    flat indices of a sample of the photo's background; `stats` are the labelling's (each hole is
    looked for in its own box only)."""
    found = np.zeros_like(candidates)
    if background.size == 0:
        return found
    centres = colour_centres(lab_at(rgb, background), 8)
    for i in np.flatnonzero(candidates):
        x, y, bw, bh = stats[i, :4]
        ys, xs = np.divmod(np.flatnonzero(labels[y : y + bh, x : x + bw] == i), bw)
        ys, xs = ys + y + origin[0], xs + x + origin[1]
        inside = lab_at(rgb, ys * rgb.shape[1] + xs).mean(axis=0)
        found[i] = float(nearest(inside[None], centres)[0]) >= min_delta_e
    return found


def bounds(on: np.ndarray, pad: int) -> tuple[int, int, int, int] | None:
    """(y0, y1, x0, x1) of the set pixels, grown by `pad` within the frame; None when none is set.
    The mask rules and the edge band work on this box only."""
    u8 = on.view(np.uint8)  # OpenCV-speed reductions (numpy's over booleans are slow)
    rows = np.flatnonzero(u8.max(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(u8[rows[0] : rows[-1] + 1].max(axis=0))
    h, w = on.shape
    return (
        max(0, int(rows[0]) - pad),
        min(h, int(rows[-1]) + 1 + pad),
        max(0, int(cols[0]) - pad),
        min(w, int(cols[-1]) + 1 + pad),
    )


def feather(alpha: np.ndarray, radius: float) -> np.ndarray:
    """Soften the rim by `radius` px without eating into the solid interior."""
    if radius <= 0:
        return alpha
    blurred = cv2.GaussianBlur(alpha, (0, 0), radius)
    solid = cv2.erode(
        (alpha >= 250).astype(np.uint8), np.ones((3, 3), np.uint8), iterations=max(1, round(radius))
    )
    return cv2.copyTo(alpha, solid, blurred)  # the solid interior exactly as it was, in place


def sharpen_alpha(soft: np.ndarray, *, softness: float = 0.08) -> np.ndarray:
    """Map a soft 0..1 mask to uint8 alpha with a narrow ramp around 0.5 (crisp but anti-aliased)."""
    ramp = soft - 0.5  # the same arithmetic, in place (a 1024 px float mask is 4 MB a pass)
    ramp /= max(softness, 1e-3)
    ramp += 0.5
    np.clip(ramp, 0.0, 1.0, out=ramp)
    ramp *= 255.0
    ramp += 0.5
    return ramp.astype(np.uint8)


MATTE_MAX_PIXELS = 250_000
"""Size guard for alpha matting: the closed-form solver's memory and time grow with the pixel count,
so it runs on a copy no larger than this and the result is resized."""


def alpha_matte(
    rgb: np.ndarray, alpha: np.ndarray, *, max_pixels: int = MATTE_MAX_PIXELS, band: int | None = None
) -> np.ndarray:
    """Closed-form alpha matting (pymatting) in a band around the mask's edge: recovers hair, fur and
    translucent rims. The sure interior and exterior keep their full-resolution values."""
    from pymatting import estimate_alpha_cf

    h, w = alpha.shape
    scale = min(1.0, float(np.sqrt(max_pixels / (h * w))))
    size = (max(8, int(w * scale)), max(8, int(h * scale)))
    small_rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA) if scale < 1 else rgb
    small_a = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA) if scale < 1 else alpha
    band = band or max(2, round(max(size) / 120))
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * band + 1, 2 * band + 1))
    fg = (small_a >= 128).astype(np.uint8)
    trimap = np.full(fg.shape, 0.5)
    trimap[cv2.erode(fg, k) > 0] = 1.0
    trimap[cv2.dilate(fg, k) == 0] = 0.0
    if not (trimap == 1.0).any() or not (trimap == 0.0).any():
        return alpha
    matte = estimate_alpha_cf(small_rgb.astype(np.float64) / 255.0, trimap)
    unknown = cv2.resize((trimap == 0.5).astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0
    full = cv2.resize(np.clip(matte, 0, 1).astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    out = alpha.copy()
    out[unknown] = (full[unknown] * 255.0 + 0.5).astype(np.uint8)
    return out


def strokes_from_canvas(rgba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split a drawable-canvas RGBA layer into (add, remove) boolean masks: green adds, red removes."""
    rgba = np.asarray(rgba)
    painted = rgba[..., 3] > 0
    r, g = rgba[..., 0].astype(np.int16), rgba[..., 1].astype(np.int16)
    return painted & (g > r), painted & (r >= g)


def merge_strokes(
    mask: np.ndarray, *, add: np.ndarray | None = None, remove: np.ndarray | None = None
) -> np.ndarray:
    """Force brushed areas to foreground/background; stroke masks of any size are scaled to the mask."""
    out = mask.copy()
    h, w = mask.shape
    for strokes, value in ((add, 255), (remove, 0)):
        if strokes is None or not np.any(strokes):
            continue
        scaled = cv2.resize(np.asarray(strokes, dtype=np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
        out[scaled > 0] = value
    return out


SOLID_FROM_PX = 1.5
"""A pixel of the cut-out whose eight neighbours are all product (distance ≥ this, px at working size) is
opaque: the soft band of a solid product is its outermost pixel ring, never its interior."""
GHOST_PX = 2.0
"""A faint (alpha < 128) pixel farther than this outside the cut-out is not rim but a ghost: dropped."""


def solidify(alpha: np.ndarray, sharp: np.ndarray | None = None) -> np.ndarray:
    """Opaque inside, soft only at the rim: no semi-transparent 'ghost feet' on thin parts, no faint
    haze beside the product. `sharp` is the mask before rim feathering (default `alpha`): its pixels
    that count as product (≥ 128) stay at least as opaque as there, so feathering only softens
    outwards and the half-way contour (what counts as product, hence IoU) does not move. A thin part
    (no pixel with product all round) is made opaque whole. For network masks only: uploaded masks,
    a photo's own alpha and alpha matting (glass, hair, genuinely translucent products) keep theirs."""
    ref = alpha if sharp is None else sharp
    solid = (ref >= 128).astype(np.uint8)
    square = np.ones((3, 3), np.uint8)
    core = cv2.erode(solid, square, borderType=cv2.BORDER_REPLICATE)  # product all round
    thin = (solid > 0) & (cv2.dilate(core, square) == 0)
    reach = 2 * round(GHOST_PX) + 1
    near = cv2.dilate(solid, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach)))
    out = np.maximum(alpha, ref * solid)
    out[(core > 0) | thin] = 255
    out[(near == 0) & (out < 128)] = 0
    return out


FAINT_FLOOR = 64
"""Alpha (about 0.48 of the network's soft response) from which a faint region joined to the product
is taken as part of it: the network is half-sure of thin legs and handles, which otherwise come out
as ghosts or vanish (mean IoU on the shared photos +0.0004)."""


def attach_faint_parts(alpha: np.ndarray, floor: int = FAINT_FLOOR) -> np.ndarray:
    """Make opaque every faint pixel (≥ `floor`) connected through faint pixels to the product (≥ 128):
    hysteresis thresholding, as in an edge detector; faint specks on their own stay as they are."""
    box = bounds(alpha >= floor, 0)  # every faint region lies inside
    if box is None:
        return alpha
    y0, y1, x0, x1 = box
    crop = alpha[y0:y1, x0:x1]
    faint = crop >= floor
    n, labels = cv2.connectedComponents(faint.view(np.uint8), connectivity=8)
    out = alpha.copy()
    if n > 256:
        joined = np.zeros(n, bool)
        joined[labels[crop >= 128]] = True
        joined[0] = False
        out[y0:y1, x0:x1][joined[labels] & faint] = 255
        return out
    # a few parts (as always): OpenCV's histogram finds the parts holding product and its table
    # lookup paints them, instead of numpy gathers over the box (background, label 0, is not faint)
    solid = cv2.compare(crop, 128, cv2.CMP_GE)
    held = cv2.calcHist([labels.astype(np.uint8)], [0], solid, [256], [0, 256]).reshape(-1)[:n] > 0
    held[0] = False
    out[y0:y1, x0:x1] = _paint(crop, labels, held)
    return out
