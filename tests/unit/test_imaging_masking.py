"""Masks against ground truth, GrabCut fallback, uploaded masks, refinement and brush strokes."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

from core.imaging import masking, refine
from core.imaging.errors import MaskError, NoProductFoundError
from core.imaging.io import load_image

IOU_FLOOR_SHARED = 0.8535
"""Measured 0.8538 on the 60 ECSSD photos (0.8528 before background pockets were carved, 0.8524 before
solid cut-outs; plain rembg u2netp: 0.8489)."""


def _truth(path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("L"))


def test_session_is_created_once():
    assert masking.get_session() is masking.get_session("u2netp")


def test_mask_iou_on_shared_photos_beats_plain_rembg_floor(shared_data):
    images = sorted((shared_data / "masks" / "images").glob("*.jpg"))
    assert len(images) >= 50
    ious = []
    for path in images:
        result = masking.compute_mask(load_image(path))
        truth = _truth(shared_data / "masks" / "masks" / f"{path.stem}.png")
        assert result.mask.shape == truth.shape and result.mask.dtype == np.uint8
        ious.append(masking.mask_iou(result.mask, truth))
    assert float(np.mean(ious)) >= IOU_FLOOR_SHARED


def test_mask_iou_on_demo_products(demo_dir):
    for path in sorted((demo_dir / "images").glob("*.jpg")):
        result = masking.compute_mask(load_image(path))
        assert result.source == "u2netp"
        assert masking.mask_iou(result.mask, _truth(demo_dir / "masks" / f"{path.stem}.png")) > 0.9, path.name


def _disc_scene(size: int = 240) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    img = np.clip(rng.normal(200, 12, (size, size, 3)), 0, 255).astype(np.uint8)
    truth = np.zeros((size, size), np.uint8)
    cv2.circle(truth, (size // 2, size // 2), size // 4, 255, -1)
    img[truth > 0] = (180, 30, 40)
    return img, truth


def test_grabcut_finds_a_product_from_a_rectangle():
    img, truth = _disc_scene()
    assert masking.mask_iou(masking.grabcut_mask(img), truth) > 0.9


def test_grabcut_refines_a_rough_mask():
    img, truth = _disc_scene()
    rough = cv2.dilate(truth, np.ones((15, 15), np.uint8))
    assert masking.mask_iou(masking.grabcut_mask(img, init=rough), truth) > masking.mask_iou(rough, truth)


def test_flat_photo_means_no_product():
    loaded = load_image(Image.new("RGB", (300, 300), (128, 128, 128)))
    with pytest.raises(NoProductFoundError, match="no product found"):
        masking.compute_mask(loaded)


def test_own_alpha_is_the_mask_unless_asked_otherwise(demo_dir):
    rgba = Image.open(demo_dir / "images" / "shoes.jpg").convert("RGBA")
    alpha = np.zeros((rgba.height, rgba.width), np.uint8)
    alpha[100:300, 200:400] = 255
    rgba.putalpha(Image.fromarray(alpha))
    loaded = load_image(rgba)
    assert masking.compute_mask(loaded).source == "alpha"
    assert np.array_equal(masking.compute_mask(loaded).mask, alpha)
    assert masking.compute_mask(loaded, use_alpha=False).source == "u2netp"


def test_uploaded_mask_is_resized_and_checked():
    loaded = load_image(Image.new("RGB", (200, 100), "white"))
    small = np.zeros((50, 100), np.uint8)
    small[10:40, 20:80] = 255
    result = masking.compute_mask(loaded, mask=Image.fromarray(small))
    assert result.source == "upload" and result.mask.shape == (100, 200)
    assert result.mask[50, 100] == 255 and result.mask[5, 5] == 0
    with pytest.raises(MaskError, match="shapes differ"):
        masking.load_mask(np.zeros((100, 100), np.uint8) + 255, (200, 100))
    with pytest.raises(MaskError, match="empty"):
        masking.load_mask(np.zeros((100, 200), np.uint8), (200, 100))


def test_strokes_add_and_remove():
    mask = np.zeros((100, 100), np.uint8)
    mask[20:60, 20:60] = 255
    canvas = np.zeros((50, 50, 4), np.uint8)  # drawn at half size
    canvas[40:45, 40:45] = (0, 200, 0, 255)  # green: add
    canvas[10:20, 10:20] = (220, 0, 0, 255)  # red: remove
    add, remove = refine.strokes_from_canvas(canvas)
    out = refine.merge_strokes(mask, add=add, remove=remove)
    assert out[85, 85] == 255 and out[25, 25] == 0 and out[50, 50] == 255
    assert out[5, 90] == 0


def test_specks_dropped_and_pinholes_filled_but_openings_kept():
    alpha = np.zeros((400, 400), np.uint8)
    alpha[100:300, 100:300] = 255
    alpha[150:250, 150:250] = 0  # a real opening (a bag handle)
    alpha[120:123, 120:123] = 0  # a pinhole
    alpha[10:14, 380:384] = 255  # a speck of background
    out = refine.fill_holes(refine.keep_product_components(alpha))
    assert out[12, 382] == 0
    assert out[121, 121] == 255
    assert out[200, 200] == 0


def test_guided_upsample_snaps_to_edges():
    img, truth = _disc_scene(320)
    soft = cv2.resize(truth, (40, 40), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    plain = cv2.resize(soft, (320, 320), interpolation=cv2.INTER_LINEAR)
    guided = refine.guided_upsample(soft, img)
    iou_plain = masking.mask_iou((plain * 255).astype(np.uint8), truth)
    iou_guided = masking.mask_iou(refine.sharpen_alpha(guided), truth)
    assert iou_guided > iou_plain


def test_alpha_matting_softens_only_the_rim_and_is_size_guarded(monkeypatch):
    rng = np.random.default_rng(5)
    size = 900
    yy, xx = np.mgrid[0:size, 0:size]
    dist = np.sqrt((yy - size / 2) ** 2 + (xx - size / 2) ** 2)
    true_alpha = np.clip((size / 4 + 6 - dist) / 12, 0, 1)  # a 12 px soft rim
    fg, bg = np.array([200, 40, 40]), np.array([40, 160, 60])
    img = true_alpha[..., None] * fg + (1 - true_alpha[..., None]) * bg + rng.normal(0, 2, (size, size, 3))
    img = np.clip(img, 0, 255).astype(np.uint8)
    hard = ((true_alpha >= 0.5) * 255).astype(np.uint8)
    seen = {}
    import pymatting

    real = pymatting.estimate_alpha_cf

    def spy(image, trimap, *a, **k):
        seen["pixels"] = image.shape[0] * image.shape[1]
        return real(image, trimap, *a, **k)

    monkeypatch.setattr(pymatting, "estimate_alpha_cf", spy)
    matted = refine.alpha_matte(img, hard, max_pixels=60_000)
    assert seen["pixels"] <= 60_000
    rim = (true_alpha > 0.1) & (true_alpha < 0.9)
    err_hard = np.abs(hard / 255 - true_alpha)[rim].mean()
    err_matte = np.abs(matted / 255 - true_alpha)[rim].mean()
    assert err_matte < err_hard * 0.8
    far = np.abs(dist - size / 4) > 20  # outside the unknown band: untouched
    assert np.array_equal(matted[far], hard[far])


def test_the_demo_sneakers_floor_shadow_is_dropped_from_its_cut_out(demo_dir):
    """The paper shaded under the sneaker's sole is not sneaker. Whether the debris rule saw it hung on
    k-means' random start (with two restarts the rule missed it on this render: 851 wrong pixels along
    the sole, a grainy crescent under the toe in every enhanced photo)."""
    rgb = np.asarray(Image.open(demo_dir / "images" / "shoes.jpg").convert("RGB"))
    truth = np.asarray(Image.open(demo_dir / "masks" / "shoes.png").convert("L")) >= 128
    alpha, _, _ = masking.auto_mask(masking.working_copy(rgb))
    ys, _ = np.nonzero((alpha >= 128) & ~truth)
    along_sole = int((ys > np.flatnonzero(truth.any(axis=1))[-1] - 15).sum())
    assert along_sole < 450, along_sole  # 296 now
