"""The fast WebP route writes Pillow's exact bytes, and Pillow stays the fallback."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from core.imaging import export, webp


def _photo() -> np.ndarray:
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:181, 0:243]
    base = np.dstack([xx, yy, (xx + yy) // 2]).astype(np.int16)
    return np.clip(base + rng.integers(-20, 20, base.shape), 0, 255).astype(np.uint8)


def test_fast_webp_is_pillows_bytes() -> None:
    rgb = _photo()
    buf = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buf, "WEBP", quality=90, method=export.WEBP_METHOD)
    fast = webp.encode_rgb(rgb, 90, export.WEBP_METHOD)
    assert fast is not None
    assert fast == buf.getvalue()
    assert export.encode(rgb, "webp")[0] == export.encode(Image.fromarray(rgb), "webp")[0] == fast


def test_webp_falls_back_to_pillow(monkeypatch) -> None:
    monkeypatch.setattr(webp, "encode_rgb", lambda *a, **k: None)
    data, ext = export.encode(_photo(), "webp")
    assert ext == "webp"
    assert Image.open(io.BytesIO(data)).size == (243, 181)
