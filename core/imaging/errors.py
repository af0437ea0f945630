"""Bad-input errors of the imaging pipeline; each message says what the user can do about it."""

from __future__ import annotations

from core.errors import TrendStudioError


class ImagingError(TrendStudioError):
    """Base class for every imaging problem a user can fix."""


class NotAnImageError(ImagingError):
    """The bytes are not a decodable image (wrong file, text, PDF, ...)."""


class EmptyImageError(ImagingError):
    """The file has zero bytes."""


class TruncatedImageError(ImagingError):
    """The file ends before the image data does (interrupted download or copy)."""


class PixelBombError(ImagingError):
    """The image declares more pixels than the cap (a decompression bomb or a huge scan)."""


class ImageTooSmallError(ImagingError):
    """The image is too small to cut out anything (e.g. a 1x1 tracking pixel)."""


class NoProductFoundError(ImagingError):
    """Neither the cut-out model nor the fallback found a product in the photo."""


class MaskError(ImagingError):
    """An uploaded mask cannot be used with the photo."""


class UnknownStyleError(ImagingError):
    """A background style name that does not exist."""


class UnknownPresetError(ImagingError):
    """An export preset name that does not exist."""


class ExportError(ImagingError):
    """The result could not be encoded in the requested format."""


class UnknownSceneError(ImagingError):
    """A scene geometry (`--scene`) that does not exist."""
