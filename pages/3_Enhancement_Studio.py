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
from core.imaging.backgrounds import STYLES, Background, Light
from core.imaging.io import LoadedImage, load_image
from core.imaging.pipeline import EnhanceOptions, enhance
from core.imaging.presets import PRESETS
from core.imaging.preview import checker_preview, signature, style_thumbnails
from core.imaging.scene import light_from_scene, palette_from_scene, studio_scene, suggest_style
from core.trends.scene import sources_summary
from ui.auth import require_sign_in
from ui.common import demo_dir, page_setup
from ui.flux_controls import flux_background_fn, show_flux_cost, show_flux_error
from ui.handoff import scene_for_studio
from ui.studio_panels import corrections, result_panel
from ui.swatches import show_swatches

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


@st.cache_data(show_spinner=False, max_entries=16)
def _thumbnails(palette: tuple[str, ...], angle: float, softness: float) -> dict[str, bytes]:
    return style_thumbnails(list(palette), Light(angle, softness))


def _scene() -> tuple[dict, str]:
    """The Trend Explorer's hand-off, else the latest trend report, else the built-in scene."""
    chosen = studio_scene(settings, scene_for_studio())
    if chosen.problem:
        st.warning(f"Latest trend report unusable ({chosen.problem}); using the built-in scene.")
    return chosen.scene, chosen.origin


def _source() -> tuple[bytes | None, str, bytes | None]:
    """The photo (bytes, name) and an optional uploaded mask."""
    kind = st.radio("Photo", ["Demo image", "Upload"], horizontal=True, key="studio_source")
    data, name = None, ""
    if kind == "Upload":
        up = st.file_uploader(
            "Product photo",
            type=["jpg", "jpeg", "png", "webp", "gif", "tif", "tiff", "bmp"],
            key="studio_upload",
        )
        if up is not None:
            data, name = up.getvalue(), up.name
    else:
        images = sorted((demo_dir(str(settings.demo_dir)) / "images").glob("*.jpg"))
        pick = st.selectbox("Demo image", [p.name for p in images], key="studio_demo")
        if pick:
            data, name = (demo_dir(str(settings.demo_dir)) / "images" / pick).read_bytes(), pick
    with st.expander("Advanced cut-out options"):
        mask_up = st.file_uploader(
            "Your own mask (white = product)", type=["png", "jpg", "jpeg", "webp"], key="studio_mask_upload"
        )
        st.checkbox("Use the photo's own transparency as the mask", value=True, key="studio_use_alpha")
        st.checkbox("Refine edges with GrabCut (slower)", value=False, key="studio_grabcut")
        st.checkbox("Alpha matting for hair, fur and lace (slower)", value=False, key="studio_matting")
    return data, name, (mask_up.getvalue() if mask_up is not None else None)


def _style_picker(palette: list[str], light: Light, default: str) -> str:
    thumbs = _thumbnails(tuple(palette), light.angle, light.softness)
    cols = st.columns(6)
    for i, style in enumerate(STYLES):
        cols[i % 6].image(thumbs[style], caption=style, width="stretch")
    choice = st.radio(
        "Background style", STYLES, index=STYLES.index(default), horizontal=True, key="studio_style"
    )
    note = PRESETS[st.session_state.get("studio_preset", "web")].style_note
    if note:  # said where the style is chosen: the preset will not use it
        st.warning(f"{note}.", icon="⚪")
    return choice


def _palette_picker(scene: dict) -> list[str]:
    trend = palette_from_scene(scene)
    how = st.radio("Palette", ["From trends", "Pick by hand"], horizontal=True, key="studio_palette_mode")
    if how == "From trends":
        show_swatches(trend, size="1.1rem", codes=True)
        return trend
    cols = st.columns(3)
    defaults = (trend + trend + trend)[:3]
    return [cols[i].color_picker(f"Colour {i + 1}", defaults[i], key=f"studio_color_{i}") for i in range(3)]


def _background(scene: dict) -> Background:
    """Which background backend to use: the procedural styles (offline), or FLUX (with a key)."""
    background = flux_background_fn(settings, scene, key="studio")
    st.caption(f"Background: {background.label}")
    return background


scene, scene_origin = _scene()
st.caption(f"Scene from {scene_origin}: *{scene.get('prompt') or scene.get('environment', '')}*")
if origin := sources_summary(scene):  # which fields the posts back, which are the house default
    st.caption(origin)

top_left, top_right = st.columns([2, 3])
with top_left:
    data, name, mask_data = _source()
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
    b1.image(loaded.rgb, caption=f"Before · {name} · {loaded.size[0]}×{loaded.size[1]}", width="stretch")
    b2.image(preview, caption=f"Cut-out ({mask_source})", width="stretch")
    for note in loaded.notes + mask_notes:
        st.caption(f"ℹ️ {note}")
add, remove = corrections(preview, signature(data, mask_data)[:10])

st.subheader("Look")
scene_light = light_from_scene(scene)
palette = _palette_picker(scene)
l1, l2 = st.columns(2)
angle = l1.slider(
    "Light comes from (°: 0 = right, 90 = above, 180 = left)",
    0,
    180,
    int(scene_light.angle),
    key="studio_light",
)
softness = l2.slider("Light softness", 0.0, 1.0, float(scene_light.softness), 0.05, key="studio_softness")
style = _style_picker(palette, Light(angle, softness), suggest_style(scene))
background = _background(scene)

st.subheader("Export")
e1, e2, e3, e4 = st.columns(4)
preset = e1.selectbox(
    "Preset",
    list(PRESETS),
    index=list(PRESETS).index("web"),
    format_func=lambda p: PRESETS[p].label,
    key="studio_preset",
)
placement = e2.radio("Placement", ["center", "thirds"], horizontal=True, key="studio_placement")
auto_fill = PRESETS[preset].fill_ratio
fill = e3.slider(
    "Fill ratio",
    0.3,
    0.95,
    float(auto_fill or 0.75),
    0.01,
    key=f"studio_fill_{preset}",
    disabled=auto_fill is None,
    help="Share of the frame the product spans",
)
quality = e4.slider("Quality", 50, 100, PRESETS[preset].quality, key="studio_quality")
o1, o2, o3 = st.columns(3)
shadow = o1.checkbox("Shadow", value=True, key="studio_shadow")
reflection = o2.checkbox("Floor reflection", value=False, key="studio_reflection")
seed = o3.number_input("Seed", 0, 10_000, 0, key="studio_seed")

options = EnhanceOptions(
    style=style,
    preset=preset,
    palette=palette,
    light_angle=angle,
    light_softness=softness,
    placement=placement,
    fill_ratio=fill if auto_fill is not None else None,
    shadow=shadow,
    reflection=reflection,
    seed=int(seed),
    quality=quality,
)
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
result_panel(st.session_state.studio_result, st.session_state.studio_name, options)
