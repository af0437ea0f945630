"""Backgrounds that go behind the original cut-out: procedural styles and the FLUX backend (`flux/`)."""

from core.imaging.backgrounds.procedural import (
    DEFAULT_PALETTE,
    STYLES,
    Light,
    check_style,
    hex_to_rgb,
    render_background,
)

__all__ = ["DEFAULT_PALETTE", "STYLES", "Light", "check_style", "hex_to_rgb", "render_background"]
