"""What every background backend is: one `render(job)` that returns an RGB image of `job.size`.

The pipeline builds a `BackgroundJob` from the options, the scene and the placed product, and asks the
backend it was given; it never asks which backend that is. Backends are made by
`core.imaging.backgrounds.new_background(name, settings, ...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from PIL import Image

from core.imaging.backgrounds.paint import Light
from core.spend import SpendLedger


@dataclass(frozen=True)
class BackgroundJob:
    """One background to make: the canvas, the look chosen, and the product placed on it."""

    size: tuple[int, int]
    """(width, height) of the output canvas."""
    scene: Mapping[str, Any]
    """The trend scene (plain data; empty when there is none)."""
    style: str
    palette: list[str]
    seed: int
    light: Light
    product_box: tuple[float, float, float, float] | None
    layer: Callable[[], Image.Image]
    """The placed product (RGBA at `size`, transparent where the background goes), built on demand
    so backends that do not look at it (procedural) cost no memory for it."""


@runtime_checkable
class Background(Protocol):
    """A background backend (procedural styles, FLUX, ...); picklable, so batches ship it to workers."""

    name: str
    """Which backend this is, for reports and logs ("procedural", "flux")."""
    label: str
    """What a page or the CLI says about it, e.g. "procedural (offline)"."""
    signature: str | None
    """What makes its output differ beyond the options and the scene (None: nothing), for caches and
    resumable batches."""
    ledger: SpendLedger | None
    """The spending ledger its paid images are capped by and logged in (None: it costs nothing)."""

    def render(self, job: BackgroundJob) -> Image.Image:
        """An RGB background of `job.size` (a backend may return another size; the pipeline resizes)."""
        ...
