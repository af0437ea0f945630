"""Safe image decoding and atomic writing.

Every photo enters through `load_image`, which turns whatever a user supplies into an sRGB RGB image
(plus its real alpha channel, if any) or raises a specific `ImagingError` that says what to do.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from core.imaging.errors import (
    EmptyImageError,
    ImageTooSmallError,
    NotAnImageError,
    PixelBombError,
    TruncatedImageError,
)

MAX_PIXELS = 64_000_000
"""Pixel cap: larger images are refused before decoding (decompression bombs)."""
MIN_SIDE = 16
"""Images with a shorter side than this hold no product worth cutting out."""

ImageSource = Image.Image | bytes | str | os.PathLike
_SRGB = ImageCms.createProfile("sRGB")


@dataclass
class LoadedImage:
    """A decoded photo: RGB pixels in sRGB, upright, and its real alpha channel when it has one."""

    rgb: Image.Image
    alpha: np.ndarray | None = None
    name: str = "image"
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        return self.rgb.size

    @cached_property
    def array(self) -> np.ndarray:
        """The RGB pixels as a (read-only) array, converted once: the mask, the edge colours and QA all
        read them, and each conversion of a PIL image copies the whole photo."""
        return np.asarray(self.rgb)


def load_image(source: ImageSource, *, max_pixels: int = MAX_PIXELS, name: str | None = None) -> LoadedImage:
    """Decode `source` (PIL image, bytes or path) safely; raise an `ImagingError` for bad input."""
    if isinstance(source, Image.Image):
        im, label = source, name or "image"
        _check_pixels(im, max_pixels, label)
    else:
        data, label = _read_bytes(source, name)
        im = _open(data, max_pixels, label)
    notes: list[str] = []
    frames = getattr(im, "n_frames", 1)
    if frames > 1:
        im.seek(0)
        notes.append(f"animated image: used the first of {frames} frames")
    _decode(im, label)
    if im.getexif().get(0x0112, 1) not in (0, 1):
        im = ImageOps.exif_transpose(im)
        notes.append("rotated upright from its EXIF orientation")
    im = _to_rgba_or_rgb(im, notes)
    im = _to_srgb(im, notes)
    if min(im.size) < MIN_SIDE:
        raise ImageTooSmallError(
            f"{label} is only {im.width}x{im.height} px; use a photo at least {MIN_SIDE} px on each side "
            "(ideally 1000 px or more)"
        )
    alpha = None
    if im.mode == "RGBA":
        a = np.asarray(im.getchannel("A"))
        if a.min() < 255:
            alpha = a.copy()
            notes.append("kept the image's own transparency as the mask")
        im = im.convert("RGB")
    return LoadedImage(rgb=im, alpha=alpha, name=label, notes=notes)


def save_atomic(path: Path, data: bytes) -> Path:
    """Write bytes through a temporary file and `os.replace`, so a crash never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _read_bytes(source: bytes | str | os.PathLike, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        data, label = bytes(source), name or "the upload"
    else:
        path = Path(source)
        label = name or path.name
        if not path.is_file():
            raise NotAnImageError(f"{path} does not exist or is not a file; check the path")
        data = path.read_bytes()
    if not data:
        raise EmptyImageError(f"{label} is empty (0 bytes); upload the photo again")
    return data, label


def _check_pixels(im: Image.Image, max_pixels: int, label: str) -> None:
    if im.width * im.height > max_pixels:
        raise PixelBombError(
            f"{label} declares {im.width}x{im.height} = {im.width * im.height / 1e6:.0f} megapixels, "
            f"over the {max_pixels / 1e6:.0f} MP limit; resize it below that (a product photo needs "
            "far less)"
        )


def _open(data: bytes, max_pixels: int, label: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise PixelBombError(
            f"{label} declares too many pixels to decode safely ({exc}); resize it first"
        ) from exc
    except UnidentifiedImageError as exc:
        raise NotAnImageError(
            f"{label} is not an image Trend Studio can read; upload a JPEG, PNG, WebP, GIF, TIFF or BMP"
        ) from exc
    _check_pixels(im, max_pixels, label)
    return im


def _decode(im: Image.Image, label: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im.load()
    except OSError as exc:
        if "truncated" in str(exc).lower() or "broken data stream" in str(exc).lower():
            raise TruncatedImageError(
                f"{label} is truncated (the file ends before the picture does); download or copy it again"
            ) from exc
        raise NotAnImageError(f"{label} could not be decoded ({exc}); re-save it as JPEG or PNG") from exc
    except (SyntaxError, ValueError, EOFError) as exc:
        raise NotAnImageError(
            f"{label} is damaged and could not be decoded; re-save it as JPEG or PNG"
        ) from exc


def _to_rgba_or_rgb(im: Image.Image, notes: list[str]) -> Image.Image:
    mode = im.mode
    if mode in ("RGB", "RGBA"):
        return im
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        top = 65535.0 if arr.max() > 255 else 255.0
        notes.append(f"{mode} high bit depth converted to 8-bit")
        return Image.fromarray(np.clip(arr * (255.0 / top), 0, 255).astype(np.uint8), "L").convert("RGB")
    if mode in ("LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in im.info):
        notes.append(f"{mode} image converted to RGBA")
        return im.convert("RGBA")
    if mode == "CMYK" and not im.info.get("icc_profile"):
        notes.append("CMYK converted to RGB")
    elif mode not in ("CMYK",):
        notes.append(f"{mode} image converted to RGB")
    if mode == "CMYK":
        return im  # converted with its ICC profile by _to_srgb when it has one
    return im.convert("RGB")


def _to_srgb(im: Image.Image, notes: list[str]) -> Image.Image:
    icc = im.info.get("icc_profile")
    alpha = im.getchannel("A") if im.mode == "RGBA" else None
    base = im.convert("RGB") if im.mode == "RGBA" else im
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            desc = ImageCms.getProfileDescription(src).strip().lower()
            if base.mode == "CMYK" or "srgb" not in desc:
                base = ImageCms.profileToProfile(base, src, _SRGB, outputMode="RGB")
                notes.append(f"colours converted from the embedded ICC profile ({desc or 'unnamed'}) to sRGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            notes.append("the embedded ICC profile is unreadable; colours used as they are")
    if base.mode != "RGB":
        base = base.convert("RGB")
    if alpha is not None:
        base = base.copy()
        base.putalpha(alpha)
    return base
