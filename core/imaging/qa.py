"""A quality report for each output: numbers plus readable warnings that say what to do."""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from core.imaging.presets import cut_by_frame, frame_fill

QA_SIDE = 512
"""Longest side at which the input is measured."""
SHARPNESS_MIN = 400.0
"""Below this the photo is soft. On the demo renders and 30 real photos in focus the measure is 890 or
more; the same photos blurred by a Gaussian of 2 px reach at most 53 (1.2 px: at most 500)."""
CLIP_MAX = 0.08
UPSCALE_MAX = 2.5
"""Enlarging the product more than this makes it visibly soft: a quality failure, not just a warning."""


@dataclass
class QAReport:
    sharpness: float
    """Variance of the Laplacian over the product at 512 px (higher = crisper)."""
    clipped_dark: float
    clipped_bright: float
    """Shares of product pixels crushed to black / blown to white."""
    mask_coverage: float
    """Share of the input photo covered by the product."""
    touches_border: bool
    fill_ratio: float
    """The product's longer extent as a share of the output frame."""
    upscale: float
    compliant: bool
    compliance: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    width: int = 0
    height: int = 0
    quality_issues: list[str] = field(default_factory=list)
    """Why the image would not pass a picky reviewer (upscaled, soft, clipped), apart from the marketplace's
    rules: compliance says "the marketplace accepts it", quality says "it looks good"."""

    @property
    def quality(self) -> str:
        """`good`, or `poor` when there is any quality issue."""
        return "poor" if self.quality_issues else "good"

    def verdicts(self) -> dict[str, str]:
        """The two verdicts and their reasons, as report.csv and the tables show them."""
        return {
            "quality": self.quality,
            "quality_issues": "; ".join(self.quality_issues),
            "compliance_issues": "; ".join(self.compliance),
        }

    def figures(self) -> dict[str, float]:
        return {
            "width": self.width,
            "height": self.height,
            "sharpness": round(self.sharpness, 1),
            "clipped_dark": round(self.clipped_dark, 4),
            "clipped_bright": round(self.clipped_bright, 4),
            "mask_coverage": round(self.mask_coverage, 4),
            "touches_border": int(self.touches_border),
            "fill_ratio": round(self.fill_ratio, 4),
            "upscale": round(self.upscale, 3),
            "compliant": int(self.compliant),
        }


def sharpness(work_rgb: np.ndarray, work_mask: np.ndarray) -> float:
    """Variance of the Laplacian (at working size) over the product's detail: the tenth of the pixels
    of the product and its outline with the steepest gradient. Focus shows at edges; a plain product
    in focus (a smooth tee) has few of them, so the whole interior's variance would call it soft."""
    solid = (work_mask >= 128).astype(np.uint8)
    band = cv2.dilate(solid, np.ones((7, 7), np.uint8)) > 0
    if not solid.any():
        return 0.0
    grey = cv2.cvtColor(work_rgb, cv2.COLOR_RGB2GRAY)
    lap = cv2.Laplacian(grey, cv2.CV_32F)[band]
    steep = cv2.magnitude(cv2.Sobel(grey, cv2.CV_32F, 1, 0), cv2.Sobel(grey, cv2.CV_32F, 0, 1))[band]
    return float(lap[steep >= np.percentile(steep, 90)].var())


def _clipped(rgb: np.ndarray, solid: np.ndarray, n: int) -> tuple[float, float]:
    """Shares of the product's pixels (`solid`: 0/255) whose every channel is at most 5 (crushed) or at
    least 250 (blown); with OpenCV's per-channel max/min (numpy's over an N×3 gather is slow)."""
    if n == 0 or not rgb.size:
        return 0.0, 0.0
    r, g, b = cv2.split(rgb)
    hi, lo = cv2.max(cv2.max(r, g), b), cv2.min(cv2.min(r, g), b)
    dark = cv2.countNonZero(cv2.bitwise_and(cv2.compare(hi, 5, cv2.CMP_LE), solid))
    bright = cv2.countNonZero(cv2.bitwise_and(cv2.compare(lo, 250, cv2.CMP_GE), solid))
    return dark / n, bright / n


def assess(
    work_rgb: np.ndarray,
    work_mask: np.ndarray,
    out_alpha: np.ndarray,
    *,
    upscale: float,
    compliance: list[str],
    size: tuple[int, int],
    fill: float | None = None,
    sharp: float | None = None,
) -> QAReport:
    """Measure the input product (at working size) and the output framing. `fill` is the fill the
    marketplace measures (pure-white presets: see `presets.visible_fill`); default: the product's.
    `sharp`: `sharpness` of the same input when the caller has it already (it is not measured twice)."""
    solid = cv2.compare(work_mask, 128, cv2.CMP_GE)
    count = cv2.countNonZero(solid)
    n = max(count, 1)
    sharp = sharpness(work_rgb, work_mask) if sharp is None else sharp
    dark, bright = _clipped(work_rgb, solid, n)
    coverage = count / solid.size
    touches = bool(cut_by_frame(work_mask))
    fill = frame_fill(out_alpha) if fill is None else fill
    quality: list[str] = []
    if upscale > UPSCALE_MAX:
        quality.append(f"upscaled {upscale:.1f}x (> {UPSCALE_MAX}x): soft; use a larger photo")
    if sharp < SHARPNESS_MIN:
        quality.append(f"soft: sharpness {sharp:.0f} < {SHARPNESS_MIN:.0f}; use a sharper, in-focus photo")
    if dark > CLIP_MAX:
        quality.append(f"clipped: {dark:.0%} of the product crushed to black; use a brighter exposure")
    if bright > CLIP_MAX:
        quality.append(f"clipped: {bright:.0%} of the product blown out to white; use a darker exposure")
    warnings: list[str] = [f"quality — {q}" for q in quality]
    if coverage < 0.02:
        warnings.append(f"the product covers only {coverage:.1%} of the photo; crop closer or shoot nearer")
    elif coverage > 0.9:
        warnings.append(
            f"the mask covers {coverage:.0%} of the photo; check the cut-out or paint the "
            "background with the 'remove' brush"
        )
    if touches:
        warnings.append("the product touches the photo's edge and may be cut off; shoot with some margin")
    if fill < 0.3:
        warnings.append(f"the product fills only {fill:.0%} of the frame; raise the fill ratio")
    if 2.0 < upscale <= UPSCALE_MAX:
        warnings.append(f"the product was enlarged {upscale:.1f}x and may look soft; use a larger photo")
    warnings.extend(f"not compliant — {c}" for c in compliance)
    return QAReport(
        sharpness=sharp,
        clipped_dark=dark,
        clipped_bright=bright,
        mask_coverage=coverage,
        touches_border=touches,
        fill_ratio=fill,
        upscale=upscale,
        compliant=not compliance,
        compliance=list(compliance),
        warnings=warnings,
        width=size[0],
        height=size[1],
        quality_issues=quality,
    )
