"""Safe loading: every bad or unusual input from the SPEC's image list."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from core.imaging.errors import (
    EmptyImageError,
    ImageTooSmallError,
    NotAnImageError,
    PixelBombError,
    TruncatedImageError,
)
from core.imaging.io import load_image, save_atomic


def _bytes(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def _photo(w: int = 64, h: int = 48) -> Image.Image:
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8), "RGB")


def test_plain_jpeg_loads_as_rgb():
    loaded = load_image(_bytes(_photo(), "JPEG"))
    assert loaded.rgb.mode == "RGB" and loaded.size == (64, 48) and loaded.alpha is None


def test_non_image_bytes_are_refused_with_what_to_do():
    with pytest.raises(NotAnImageError, match="upload a JPEG, PNG"):
        load_image(b"%PDF-1.4 this is not a photo", name="brief.pdf")


def test_empty_file_is_refused(tmp_path):
    p = tmp_path / "empty.jpg"
    p.write_bytes(b"")
    with pytest.raises(EmptyImageError, match="empty"):
        load_image(p)


def test_truncated_jpeg_is_refused():
    data = _bytes(_photo(256, 256), "JPEG", quality=95)
    with pytest.raises(TruncatedImageError, match="truncated"):
        load_image(data[: len(data) // 2])


def test_pixel_bomb_is_refused_before_decoding():
    bomb = _bytes(Image.new("1", (9000, 9000)), "PNG")  # 81 MP in a few kB
    assert len(bomb) < 50_000
    with pytest.raises(PixelBombError, match="megapixels"):
        load_image(bomb)
    with pytest.raises(PixelBombError):
        load_image(_bytes(_photo(100, 100), "PNG"), max_pixels=5_000)


def test_cmyk_jpeg_becomes_rgb():
    cmyk = Image.new("CMYK", (40, 40), (0, 255, 255, 0))  # pure red in CMYK
    loaded = load_image(_bytes(cmyk, "JPEG", quality=95))
    r, g, b = np.asarray(loaded.rgb)[20, 20]
    assert loaded.rgb.mode == "RGB" and r > 200 and g < 60 and b < 60


def test_sixteen_bit_png_is_scaled_to_eight_bit():
    arr = np.full((32, 32), 40000, dtype=np.uint16)
    loaded = load_image(_bytes(Image.fromarray(arr), "PNG"))
    assert loaded.rgb.mode == "RGB"
    assert abs(int(np.asarray(loaded.rgb)[0, 0, 0]) - round(40000 / 65535 * 255)) <= 1


def test_palette_png_with_transparency_keeps_alpha_as_mask():
    im = Image.new("P", (40, 40), 0)
    im.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    im.paste(1, (10, 10, 30, 30))
    loaded = load_image(_bytes(im, "PNG", transparency=0))
    assert loaded.alpha is not None
    assert loaded.alpha[20, 20] == 255 and loaded.alpha[2, 2] == 0
    assert tuple(np.asarray(loaded.rgb)[20, 20]) == (200, 30, 30)


def test_la_image_alpha_is_kept():
    la = Image.new("LA", (30, 30), (128, 0))
    la.paste((50, 255), (5, 5, 25, 25))
    loaded = load_image(_bytes(la, "PNG"))
    assert loaded.alpha is not None and loaded.alpha.mean() > 0
    assert tuple(np.asarray(loaded.rgb)[15, 15]) == (50, 50, 50)


def test_opaque_rgba_has_no_mask():
    loaded = load_image(_bytes(_photo().convert("RGBA"), "PNG"))
    assert loaded.alpha is None


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_animation_uses_first_frame(fmt):
    frames = [Image.new("RGB", (32, 32), c) for c in ((250, 0, 0), (0, 250, 0), (0, 0, 250))]
    buf = io.BytesIO()
    frames[0].save(buf, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    loaded = load_image(buf.getvalue())
    r, g, b = np.asarray(loaded.rgb)[16, 16]
    assert r > 200 and g < 40 and b < 40
    assert any("first of 3 frames" in n for n in loaded.notes)


def test_exif_orientation_is_applied():
    im = Image.new("RGB", (60, 30), (0, 0, 255))
    im.paste((255, 0, 0), (0, 0, 10, 30))  # red strip on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW to display
    loaded = load_image(_bytes(im, "JPEG", exif=exif, quality=95))
    assert loaded.size == (30, 60)
    top = np.asarray(loaded.rgb)[2, 15]
    assert top[0] > 200 and top[2] < 60  # the left strip is now at the top
    assert any("EXIF" in n for n in loaded.notes)


def test_one_pixel_image_is_too_small():
    with pytest.raises(ImageTooSmallError, match="1x1"):
        load_image(_bytes(Image.new("RGB", (1, 1)), "PNG"))


def test_unreadable_icc_profile_is_noted_not_fatal():
    loaded = load_image(_bytes(_photo(), "PNG", icc_profile=b"garbage profile"))
    assert loaded.rgb.mode == "RGB"
    assert any("ICC" in n for n in loaded.notes)


def test_missing_path_says_so(tmp_path):
    with pytest.raises(NotAnImageError, match="does not exist"):
        load_image(tmp_path / "nope.jpg")


def test_save_atomic_replaces_whole_file(tmp_path):
    target = tmp_path / "sub" / "out.bin"
    save_atomic(target, b"first")
    save_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["out.bin"]
