"""The label-painting routes (a few parts by table lookup, many by gather) agree with the rules."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from core.imaging.refine import attach_faint_parts, fill_holes


def _reference(alpha: np.ndarray, floor: int = 64) -> np.ndarray:
    faint = alpha >= floor
    n, labels = cv2.connectedComponents(faint.view(np.uint8), connectivity=8)
    joined = np.zeros(n, bool)
    joined[labels[alpha >= 128]] = True
    joined[0] = False
    out = alpha.copy()
    out[joined[labels] & faint] = 255
    return out


@pytest.mark.parametrize("specks", [5, 400])
def test_faint_parts_join_the_product(specks: int) -> None:
    rng = np.random.default_rng(specks)
    alpha = np.zeros((160, 200), np.uint8)
    alpha[40:120, 60:140] = 200
    alpha[120:150, 95:105] = 90  # a faint leg joined to the body
    ys, xs = rng.integers(0, 160, specks), rng.integers(0, 200, specks)
    alpha[ys, xs] = rng.integers(64, 128, specks).astype(np.uint8)  # faint specks, many on their own
    out = attach_faint_parts(alpha)
    assert np.array_equal(out, _reference(alpha))
    assert (out[120:150, 95:105] == 255).all()


@pytest.mark.parametrize("holes", [3, 300])
def test_pinholes_fill_by_either_route(holes: int) -> None:
    alpha = np.zeros((200, 200), np.uint8)
    alpha[20:180, 20:180] = 255
    rng = np.random.default_rng(holes)
    ys, xs = rng.integers(25, 175, holes), rng.integers(25, 175, holes)
    alpha[ys, xs] = 0  # enclosed pinholes, each its own part
    out = fill_holes(alpha)
    assert (out[20:180, 20:180] == 255).all()
    assert (out[:20] == 0).all()
