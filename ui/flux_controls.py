"""FLUX widgets shared by the Studio and Batch pages: backend selector, editable prompt, progress, cost.

Kept here so each page needs only a few lines: `choice = flux_controls(settings, scene, key=...)`, then
`fn = flux_background(settings, choice, progress=...)` as the pipeline's `background_fn`, and
`show_flux_cost(fn)` / `show_flux_error(exc)` after the run.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from core.errors import TrendStudioError
from core.imaging.flux import ProgressFn
from core.imaging.flux_backend import FluxBackground, build_prompt, make_background_fn
from core.imaging.flux_errors import FluxKeyRejected, FluxModerated
from core.settings import Settings

PROCEDURAL, FLUX = "Procedural", "FLUX (Black Forest Labs)"
_MODES = {"Fill the background (flux-pro-1.0-fill)": "fill", "Restyle (flux-kontext-pro)": "restyle"}


@dataclass(frozen=True)
class FluxChoice:
    """What the user picked for a FLUX run."""

    prompt: str
    seed: int
    steps: int
    guidance: float
    mode: str


def flux_controls(settings: Settings, scene: Mapping[str, Any] | None, *, key: str) -> FluxChoice | None:
    """Backend selector (FLUX only with a key) and the prompt editor; None means procedural."""
    enabled = settings.bfl_api_key is not None
    backend = st.radio(
        "Background backend", [PROCEDURAL, FLUX], horizontal=True, key=f"{key}_flux_backend",
        disabled=not enabled,
        help="FLUX generates a photographic scene around the product through the BFL API (paid per image); "
        "the product's own pixels are never repainted.",
    )
    if not enabled:
        st.caption("FLUX is off: set `BFL_API_KEY` (environment or `.streamlit/secrets.toml`) to enable it.")
        return None
    if backend != FLUX:
        return None
    photography = settings.section("photography")
    flux_cfg = photography.get("flux") or {}
    suggested = build_prompt(scene, photography)
    # Keyed by the suggestion, so a new trend scene refreshes the text while user edits survive reruns.
    prompt = st.text_area("FLUX prompt (pre-filled from the trend scene; edit freely)", value=suggested,
                          key=f"{key}_flux_prompt_{zlib.crc32(suggested.encode())}", height=150)
    c1, c2 = st.columns(2)
    mode = _MODES[c1.selectbox("FLUX mode", list(_MODES), key=f"{key}_flux_mode")]
    seed = int(c2.number_input("Seed", min_value=0, max_value=2**31 - 1, value=0, step=1, key=f"{key}_flux_seed"))
    with st.expander("FLUX advanced settings"):
        steps = st.slider("Steps", 15, 50, int(flux_cfg.get("steps", 50)), key=f"{key}_flux_steps")
        guidance = st.slider("Guidance", 1.5, 100.0, float(flux_cfg.get("guidance", 60.0)),
                             key=f"{key}_flux_guidance")
    if not prompt.strip():
        st.warning("The FLUX prompt is empty: the scene's suggestion will be used.")
    return FluxChoice(prompt=prompt.strip() or suggested, seed=seed, steps=steps, guidance=guidance, mode=mode)


def flux_background(settings: Settings, choice: FluxChoice, *, progress: ProgressFn | None = None
                    ) -> FluxBackground:
    """The pipeline's `background_fn` for this choice (raises FluxKeyMissing without a key)."""
    return make_background_fn(settings, prompt=choice.prompt, seed=choice.seed, steps=choice.steps,
                              guidance=choice.guidance, mode=choice.mode, progress=progress)


def progress_bar(label: str = "FLUX") -> ProgressFn:
    """A ProgressFn drawing a Streamlit progress bar (call from the script thread only)."""
    bar = st.progress(0.0, text=f"{label}: starting…")
    last = [0.0]

    def update(message: str, fraction: float | None) -> None:
        if fraction is not None:
            last[0] = max(last[0], min(1.0, fraction))
        bar.progress(last[0], text=message)

    return update


def show_flux_cost(fn: FluxBackground | None) -> None:
    """The credits BFL reported for this run, and how many images came from the cache."""
    if fn is None or not fn.outcomes:
        return
    cached = sum(o.cached for o in fn.outcomes)
    known = [o.cost for o in fn.outcomes if not o.cached]
    if known and any(c is None for c in known):
        cost = "BFL did not report the cost"
    else:
        cost = f"{fn.total_cost:g} credits (≈ ${fn.total_cost / 100:.2f})"
    st.caption(f"FLUX: {len(fn.outcomes)} background(s), {cached} from the cache (free) · cost: {cost}")


def show_flux_error(exc: TrendStudioError) -> None:
    """Moderation is a warning (change the prompt), a rejected key or other failures are errors."""
    if isinstance(exc, FluxModerated):
        st.warning(f"FLUX moderation: {exc}")
    elif isinstance(exc, FluxKeyRejected):
        st.error(f"{exc}. The procedural backend still works without a key.")
    else:
        st.error(str(exc))
