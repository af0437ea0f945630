"""Enhancement Studio: one product photo to a clean, on-trend, marketplace-ready image.

Thin page: widgets -> core.imaging -> render. The cut-out is cached per photo (st.cache_data), the
model session per process (st.cache_resource), the latest result per user (st.session_state).
"""

from __future__ import annotations

import json

import numpy as np
import streamlit as st

from core.errors import TrendStudioError
from core.imaging import masking
from core.imaging.backgrounds.base import Background
from core.imaging.io import LoadedImage, load_image
from core.imaging.pipeline import enhance
from core.imaging.preview import checker_preview, signature
from core.imaging.scene import studio_scene, suggest_style
from core.trends.scene import sources_summary
from ui.auth import require_sign_in
from ui.common import page_setup
from ui.flux_controls import flux_background_fn, show_flux_cost, show_flux_error
from ui.handoff import scene_for_studio, style_for_studio
from ui.safe_text import code, md
from ui.studio_controls import (
    export_options,
    light_picker,
    palette_picker,
    photo_source,
    scene_picker,
    style_picker,
)
from ui.studio_panels import corrections, result_panel

PREVIEW = 520

require_sign_in()  # first: signed-out visitors see only the sign-in screen
settings = page_setup("Enhancement Studio", "🖼️")
st.title("🖼️ Enhancement Studio")
st.markdown(
    "Upload a product photo and get an exact cut-out on a trend-aware background with a believable "
    "shadow, exported to a marketplace preset with a QA report."
)


@st.cache_resource(show_spinner="Loading the cut-out model…")
def _session():
    return masking.get_session()


@st.cache_data(show_spinner=False, max_entries=8)
def _load(data: bytes, name: str) -> LoadedImage:
    return load_image(data, name=name)


@st.cache_data(show_spinner="Cutting out the product…", max_entries=8)
def _auto_mask(
    data: bytes, name: str, mask_data: bytes | None, use_alpha: bool, grabcut: bool, matting: bool
):
    result = masking.compute_mask(
        _load(data, name),
        mask=mask_data,
        use_alpha=use_alpha,
        grabcut=grabcut,
        matting=matting,
        session=_session(),
    )
    return result.mask, result.source, result.notes


def _scene() -> tuple[dict, str]:
    """The Trend Explorer's hand-off, else the latest trend report, else the built-in scene."""
    chosen = studio_scene(settings, scene_for_studio())
    if chosen.problem:
        st.warning(f"Latest trend report unusable ({md(chosen.problem)}); using the built-in scene.")
    return chosen.scene, chosen.origin


def _background(scene: dict) -> Background:
    """Which background backend to use: the procedural styles (offline), or FLUX (with a key)."""
    background = flux_background_fn(settings, scene, key="studio")
    st.caption(f"Background: {background.label}")
    return background


scene, scene_origin = _scene()
st.caption(f"Scene from {scene_origin}: *{md(scene.get('prompt') or scene.get('environment', ''))}*")
if origin := sources_summary(scene):  # which fields the posts back, which are the house default
    st.caption(md(origin))

top_left, top_right = st.columns([2, 3])
with top_left:
    data, name, mask_data = photo_source(settings)
if data is None:
    st.info("Upload a product photo (JPEG, PNG, WebP…) or pick a demo image to start.")
    st.stop()
try:
    loaded = _load(data, name)
    mask, mask_source, mask_notes = _auto_mask(
        data,
        name,
        mask_data,
        st.session_state.studio_use_alpha,
        st.session_state.studio_grabcut,
        st.session_state.studio_matting,
    )
except TrendStudioError as exc:
    st.error(str(exc))
    st.stop()
rgb = np.asarray(loaded.rgb)
preview = checker_preview(rgb, mask, PREVIEW)
with top_right:
    b1, b2 = st.columns(2)
    b1.image(
        loaded.rgb, caption=f"Before · {code(name)} · {loaded.size[0]}×{loaded.size[1]}", width="stretch"
    )
    cutout_slot = b2.empty()  # shown again below with the brushed mask once the result has it
    cutout_slot.image(preview, caption=f"Cut-out ({mask_source})", width="stretch")
    for note in loaded.notes + mask_notes:
        st.caption(f"ℹ️ {note}")
add, remove = corrections(preview, signature(data, mask_data)[:10])

st.subheader("Look")
palette = palette_picker(scene)
light, auto_light = light_picker(scene)
style = style_picker(palette, light, style_for_studio() or suggest_style(scene))
scene_kind = scene_picker(style, scene, key="studio_scene_kind")
background = _background(scene)

st.subheader("Export")
options = export_options(style, palette, light, scene_kind, auto_light=auto_light)
strokes = b"" if add is None else np.packbits(add).tobytes() + np.packbits(remove).tobytes()
key = signature(
    data, mask.tobytes(), options.model_dump_json(), strokes, background.signature, json.dumps(scene)
)
if st.session_state.get("studio_signature") != key:
    try:
        with st.spinner("Enhancing…"):
            st.session_state.studio_result = enhance(
                loaded, options, mask=mask, scene=scene, background=background, add=add, remove=remove
            )
        st.session_state.studio_signature = key
        st.session_state.studio_name = name
    except TrendStudioError as exc:
        show_flux_error(exc, key="studio")
        st.stop()
show_flux_cost(background)
if add is not None:  # the brush edits flow into the cut-out preview, not only into the result
    brushed = checker_preview(rgb, st.session_state.studio_result.mask, PREVIEW)
    cutout_slot.image(brushed, caption=f"Cut-out ({mask_source} + brush)", width="stretch")
result_panel(st.session_state.studio_result, st.session_state.studio_name, options)
