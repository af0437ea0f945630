"""What `enhance` takes and gives: the user's options (self-validating) and the result it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.imaging import compose, export, presets, qa
from core.imaging.backgrounds.paint import hex_to_rgb
from core.imaging.backgrounds.procedural import check_style
from core.imaging.errors import ImagingError
from core.imaging.staging.choice import check_scene


class EnhanceOptions(BaseModel):
    """Everything a user can choose; every field has a sensible default.

    Options check themselves when built (and on assignment): a bad style, preset, format or palette
    colour raises its own error (UnknownStyleError, UnknownPresetError, ExportError, ImagingError) with
    a message the user can act on, so the stages downstream only use them.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    style: str = "studio"
    preset: str = "web"
    palette: list[str] | None = None
    """Hex colours; None = the scene's colours (or the built-in palette without a scene)."""
    scene: str | None = None
    """Scene geometry: `tabletop`, `sweep` or `flat-lay`; None = the trend scene's, else the style's own."""
    light_angle: float | None = None
    """Degrees counter-clockwise from the right the light comes from (90 = above); None = from the scene."""
    light_softness: float | None = Field(default=None, ge=0.0, le=1.0)
    placement: Literal["center", "thirds"] = "center"
    fill_ratio: float | None = Field(default=None, gt=0.05, le=1.0)
    shadow: bool = True
    reflection: bool = False
    seed: int = 0
    output_format: str | None = None
    quality: int = Field(default=90, ge=1, le=100)
    use_alpha: bool = True
    """Reuse an input's own transparency as the mask."""
    refine_edges: bool = True
    grabcut: bool = False
    """Also refine the rim with GrabCut (slower; helps low-contrast edges)."""
    feather: float = Field(default=0.0, ge=0.0, le=20.0)
    alpha_matting: bool = False
    """Closed-form alpha matting of the rim (hair, fur, lace); size-guarded, ~0.5 s."""
    harmonize: bool = True

    @field_validator("style")
    @classmethod
    def _known_style(cls, style: str) -> str:
        return check_style(style)

    @field_validator("scene")
    @classmethod
    def _known_scene(cls, scene: str | None) -> str | None:
        return check_scene(scene) if scene else None

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, preset: str) -> str:
        presets.get_preset(preset)
        return preset

    @field_validator("output_format")
    @classmethod
    def _known_format(cls, fmt: str | None) -> str | None:
        if fmt:
            export.normalise_format(fmt)
        return fmt

    @field_validator("palette")
    @classmethod
    def _hex_palette(cls, palette: list[str] | None) -> list[str] | None:
        for c in palette or []:
            try:
                hex_to_rgb(c)
            except ValueError:
                raise ImagingError(
                    f"palette colour {c!r} is not a #rrggbb hex colour; fix the palette"
                ) from None
        return palette

    @property
    def export_preset(self) -> presets.Preset:
        """The preset these options name (size, format, compliance rules)."""
        return presets.get_preset(self.preset)


@dataclass
class EnhanceResult:
    image: Image.Image
    """The final RGB image at the preset's size."""
    mask: np.ndarray
    """uint8 product mask at the input's size."""
    qa: qa.QAReport
    timings: dict[str, float]
    mask_source: str
    format: str
    background: str = ""
    """What is actually behind the product: the style used (a preset may replace the chosen one) or `flux`."""
    notes: list[str] = field(default_factory=list)
    _rgb: np.ndarray | None = None
    _layer: compose.Layer | None = None
    _encoded: tuple[bytes, str] | None = None
    _quality: int = 90

    @property
    def cutout(self) -> Image.Image:
        """The product on transparency (RGBA, input size; edge colours decontaminated); built on demand."""
        return Image.fromarray(np.dstack([self._rgb, self.mask]), "RGBA")

    def cutout_png(self) -> bytes:
        """The cut-out as PNG bytes: the Studio's download and `python -m core cutout` write this."""
        return export.encode(self.cutout, "png")[0]

    @property
    def layer(self) -> Image.Image:
        """The placed product (RGBA, output size) exactly as composited."""
        return Image.fromarray(self._layer.rgba(), "RGBA")

    def encode(self) -> tuple[bytes, str]:
        """The output file's bytes and extension, per the preset (or the chosen format)."""
        if self._encoded is None:
            self._encoded = export.encode(self.image, self.format, self._quality)
        return self._encoded
