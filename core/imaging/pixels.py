"""Fast gathers and scatters of pixels: numpy's general fancy indexing and broadcasting run slow inner
loops on H×W×3 uint8 images and N×1 columns, so the hot paths (edge colours, placing, compositing)
read whole pixels, flat indices and per-channel copies through these three."""

from __future__ import annotations

import cv2
import numpy as np


def as_pixels(img: np.ndarray) -> np.ndarray:
    """A view of `img` (H×W×3 uint8) as one 3-byte item per pixel (H×W): numpy gathers and scatters
    whole pixels several times faster than byte triples. An image whose pixels are not contiguous is
    read from a copy (writes to it are then lost: write only to contiguous images)."""
    if img.strides[-2:] != (3, 1):
        img = np.ascontiguousarray(img)
    return img.view("V3")[..., 0]


def where(on: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.nonzero` of a 2-D boolean, by its flat indices (numpy's 2-D nonzero is ten times slower)."""
    return np.divmod(np.flatnonzero(on), on.shape[1])


def thrice(values: np.ndarray) -> np.ndarray:
    """N values as N×3, each repeated per channel and contiguous (broadcasting an N×1 column over N×3
    is ten times slower; OpenCV's merge is the fastest copy)."""
    return cv2.merge((values, values, values)).reshape(-1, 3)
