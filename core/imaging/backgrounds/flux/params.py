"""FLUX generation parameters from config/photography.toml [flux] and the user's choices, range-checked.

Checked against the BFL API's ranges so a bad config fails with a clear `ConfigError` before any paid call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import ConfigError


def generation_params(
    flux: Mapping[str, Any], *, seed: int, steps: int | None, guidance: float | None
) -> tuple[dict[str, Any], int]:
    """Generation parameters, checked against the API's ranges so a bad config fails before any call."""
    try:
        params = {
            "seed": int(seed),
            "steps": int(steps if steps is not None else flux.get("steps", 50)),
            "guidance": float(guidance if guidance is not None else flux.get("guidance", 60.0)),
            "safety_tolerance": int(flux.get("safety_tolerance", 2)),
            "output_format": str(flux.get("output_format", "png")),
        }
        max_side = int(flux.get("max_side", 1440))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"config/photography.toml [flux] has a non-numeric value ({exc}); fix it") from None
    problems = [
        f"steps {params['steps']} (15-50)" if not 15 <= params["steps"] <= 50 else "",
        f"guidance {params['guidance']:g} (1.5-100)" if not 1.5 <= params["guidance"] <= 100 else "",
        f"safety_tolerance {params['safety_tolerance']} (0-6)"
        if not 0 <= params["safety_tolerance"] <= 6
        else "",
        f"output_format {params['output_format']!r} (png or jpeg)"
        if params["output_format"] not in ("png", "jpeg")
        else "",
        f"max_side {max_side} (256-4096)" if not 256 <= max_side <= 4096 else "",
    ]
    if any(problems):
        raise ConfigError(
            "FLUX settings out of range: "
            + ", ".join(p for p in problems if p)
            + "; fix config/photography.toml [flux] or the values you chose"
        )
    return params, max_side
