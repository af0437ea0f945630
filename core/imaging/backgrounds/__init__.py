"""Backgrounds that go behind the original cut-out, one backend per module (rembg's `new_session` shape).

`new_background(name, settings, ...)` is the one way to get a backend: `procedural` (offline styles,
`procedural.py`) or `flux` (Black Forest Labs, `flux/`). Every backend has `render(BackgroundJob)`, so
the pipeline, batches and pages use whichever they were given without asking which it is.
"""

from __future__ import annotations

from typing import Any

from core.imaging.backgrounds.base import Background
from core.imaging.backgrounds.procedural import ProceduralBackground
from core.imaging.errors import ImagingError
from core.settings import Settings

BACKENDS = ("procedural", "flux")


def new_background(name: str = "procedural", settings: Settings | None = None, **options: Any) -> Background:
    """The background backend called `name`, configured from `settings` (loaded when not given).

    `options` go to the backend: FLUX takes prompt, seed, steps, guidance, mode, progress, cache_dir,
    run and client (see `flux.backend.make_flux_background`); the procedural backend needs none and
    ignores them (its look comes from the options and scene of each job). Raises `FluxKeyMissing` when
    FLUX is asked for without a key, so callers can say so before any work.
    """
    if name == "procedural":
        return ProceduralBackground()
    if name == "flux":  # imported on demand: the HTTP client is not needed offline
        from core.imaging.backgrounds.flux.backend import make_flux_background
        from core.settings import load_settings

        return make_flux_background(settings or load_settings(), **options)
    raise ImagingError(f"unknown background backend {name!r}; choose one of: {', '.join(BACKENDS)}")
