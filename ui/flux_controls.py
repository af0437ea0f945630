"""FLUX widgets shared by the Studio and Batch pages: backend selector, editable prompt, progress, cost.

Kept here so each page needs only a few lines: `background = flux_background_fn(settings, scene, key=...)`
gives the pipeline's background backend (from `new_background`), then `show_flux_cost(background)` /
`show_flux_error(exc)`. The Batch page, which has its own run button, uses `flux_controls` +
`flux_background` directly.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from core.errors import TrendStudioError
from core.imaging.backgrounds import new_background
from core.imaging.backgrounds.base import Background
from core.imaging.backgrounds.flux.backend import FluxBackground, FluxOutcome, credits_to_usd
from core.imaging.backgrounds.flux.errors import FluxKeyRejected, FluxModerated
from core.imaging.backgrounds.flux.prompt import build_prompt
from core.progress import Progress
from core.settings import Settings
from core.trends.scene import sources_summary
from ui.safe_text import md

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
        "Background backend",
        [PROCEDURAL, FLUX],
        horizontal=True,
        key=f"{key}_flux_backend",
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
    prompt = st.text_area(
        "FLUX prompt (pre-filled from the trend scene; edit freely)",
        value=suggested,
        key=f"{key}_flux_prompt_{zlib.crc32(suggested.encode())}",
        height=150,
        help=md(sources_summary(scene or {})) or None,
    )  # which scene fields the posts back
    c1, c2 = st.columns(2)
    mode = _MODES[c1.selectbox("FLUX mode", list(_MODES), key=f"{key}_flux_mode")]
    seed = int(
        c2.number_input("Seed", min_value=0, max_value=2**31 - 1, value=0, step=1, key=f"{key}_flux_seed")
    )
    with st.expander("FLUX advanced settings"):
        steps = st.slider("Steps", 15, 50, int(flux_cfg.get("steps", 50)), key=f"{key}_flux_steps")
        guidance = st.slider(
            "Guidance", 1.5, 100.0, float(flux_cfg.get("guidance", 60.0)), key=f"{key}_flux_guidance"
        )
    if not prompt.strip():
        st.warning("The FLUX prompt is empty: the scene's suggestion will be used.")
    return FluxChoice(
        prompt=prompt.strip() or suggested, seed=seed, steps=steps, guidance=guidance, mode=mode
    )


def flux_background(
    settings: Settings, choice: FluxChoice | None, *, progress: Progress | None = None, run: str = ""
) -> Background:
    """The pipeline's background for this choice: FLUX (raises FluxKeyMissing without a key), or the
    procedural backend when FLUX was not chosen (`choice` None)."""
    if choice is None:
        return new_background("procedural", settings)
    return new_background(
        "flux",
        settings,
        prompt=choice.prompt,
        seed=choice.seed,
        steps=choice.steps,
        guidance=choice.guidance,
        mode=choice.mode,
        progress=progress,
        run=run,
    )


def flux_background_fn(settings: Settings, scene: Mapping[str, Any] | None, *, key: str) -> Background:
    """Controls plus an explicit "Generate with FLUX" button (every call is billed), for pages that
    re-run the pipeline on each widget change. Procedural unless FLUX is chosen and confirmed."""
    choice = flux_controls(settings, scene, key=key)
    if choice is None:
        return flux_background(settings, None)
    armed = f"{key}_flux_armed"
    if st.button(
        "Generate with FLUX",
        key=f"{key}_flux_go",
        type="primary",
        help="Billed per image by BFL; the same image, prompt and settings again come from the cache.",
    ):
        st.session_state[armed] = choice
    if st.session_state.get(armed) != choice:
        st.info(
            "Press **Generate with FLUX** to call the API (billed per image); until then the result "
            "uses the procedural background."
        )
        return flux_background(settings, None)
    held = st.session_state.get(f"{key}_flux_fn")
    if held is None or held[0] != choice:  # one backend per choice: its cost log spans the session
        held = (choice, flux_background(settings, choice))
        st.session_state[f"{key}_flux_fn"] = held
    held[1].progress = progress_bar(st.empty())
    return held[1]


def progress_bar(slot: Any | None = None) -> Progress:
    """A `Progress` drawing a progress bar in `slot` (an `st.empty()`), created on the first update so
    nothing shows unless FLUX is actually called. Call it from the script thread only."""
    slot = slot if slot is not None else st.empty()
    last = [0.0]

    def update(fraction: float | None, message: str) -> None:
        if fraction is not None:
            last[0] = max(last[0], min(1.0, fraction))
        slot.progress(last[0], text=message)

    return update


def show_flux_cost(source: Background | list[FluxOutcome] | None, *, scope: str = "this session") -> None:
    """The credits BFL reported, and how many backgrounds came from the cache (free); nothing for a free
    backend."""
    outcomes = (
        source.outcomes
        if isinstance(source, FluxBackground)
        else (source if isinstance(source, list) else [])
    )
    if not outcomes:
        return
    cached = sum(o.cached for o in outcomes)
    paid = [o.cost for o in outcomes if not o.cached]
    total = sum(c or 0.0 for c in paid)
    cost = f"{total:g} credits (≈ ${credits_to_usd(total):.2f})"
    if any(c is None for c in paid):
        cost += " (BFL did not report the cost of some)"
    st.caption(f"FLUX {scope}: {len(outcomes)} background(s), {cached} from the cache (free) · cost: {cost}")


def show_flux_error(exc: TrendStudioError, *, key: str | None = None) -> None:
    """Moderation is a warning (change the prompt), a rejected key or other failures are errors.
    With `key`, the page's FLUX confirmation is withdrawn so a rerun does not call (and bill) again."""
    if key is not None:
        st.session_state.pop(f"{key}_flux_armed", None)
    if isinstance(exc, FluxModerated):
        st.warning(f"FLUX moderation: {exc}")
    elif isinstance(exc, FluxKeyRejected):
        st.error(f"{exc}. The procedural backend still works without a key.")
    else:
        st.error(str(exc))
