"""The cut-out's outermost opaque ring re-weighed by its colour, on a product with known truth: a navy
disc on white paper whose edge pixels blend 30 % navy with 70 % paper, and a mask that calls them
opaque (as an enlarged cut-out model's mask does)."""

from __future__ import annotations

import cv2
import numpy as np

from core.imaging.edges import decontaminate
from core.imaging.rim import HALF, unmix_rim

NAVY = np.array([30, 40, 110], np.float32)
PAPER = np.array([235, 232, 226], np.float32)


def _disc(blend: float = 0.3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The photo, its too-generous mask, and the ring of blended pixels."""
    h = w = 300
    inner = np.zeros((h, w), np.uint8)
    cv2.circle(inner, (150, 150), 90, 255, -1)
    outer = cv2.dilate(inner, np.ones((3, 3), np.uint8))
    ring = (outer > 0) & (inner == 0)
    rgb = np.empty((h, w, 3), np.float32)
    rgb[:] = PAPER
    rgb[inner > 0] = NAVY
    rgb[ring] = blend * NAVY + (1 - blend) * PAPER
    return rgb.astype(np.uint8), outer, ring


def test_a_blended_edge_called_opaque_is_made_soft_and_recoloured() -> None:
    rgb, mask, ring = _disc()
    out = unmix_rim(rgb, mask)
    assert (out[ring] < 255).mean() > 0.95  # the blend is no longer opaque
    assert (out[ring] >= HALF).all()  # but the outline stays where it was
    assert (out[~ring] == mask[~ring]).all()  # nothing else changes
    colours = decontaminate(rgb, out)[ring].astype(np.float32)
    before = np.abs(rgb[ring].astype(np.float32) - NAVY).mean()
    after = np.abs(colours - NAVY).mean()
    assert after < 0.3 * before  # the seam of old paper is now navy


def test_a_clean_edge_stays_opaque() -> None:
    rgb, mask, ring = _disc(blend=1.0)  # the ring is the product's own colour
    out = unmix_rim(rgb, mask)
    assert (out == mask).all()


def test_an_edge_like_its_background_is_left_alone() -> None:
    rgb, mask, ring = _disc()
    rgb[:] = PAPER  # nothing to tell product from background by: the projection is not trusted
    assert (unmix_rim(rgb, mask) == mask).all()
