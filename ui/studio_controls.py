"""The Studio's input controls: the photo (demo or upload, with cut-out options), the look (palette,
light, background style) and the export settings, which together make the EnhanceOptions."""

from __future__ import annotations

import streamlit as st

from core.imaging.backgrounds.paint import Light
from core.imaging.backgrounds.procedural import STYLES
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.presets import PRESETS
from core.imaging.preview import style_thumbnails
from core.imaging.scene import direction_in_scene, light_from_scene, palette_from_scene
from core.imaging.staging.choice import SCENES, choose_scene, scene_from_trend
from core.settings import Settings
from ui.common import demo_dir
from ui.swatches import show_swatches

PHOTO_TYPES = ["jpg", "jpeg", "png", "webp", "gif", "tif", "tiff", "bmp"]


def photo_source(settings: Settings) -> tuple[bytes | None, str, bytes | None]:
    """The photo (bytes, name) and an optional uploaded mask."""
    kind = st.radio("Photo", ["Demo image", "Upload"], horizontal=True, key="studio_source")
    data, name = None, ""
    if kind == "Upload":
        up = st.file_uploader("Product photo", type=PHOTO_TYPES, key="studio_upload")
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


def palette_picker(scene: dict) -> list[str]:
    """The trend palette, or three colours picked by hand (starting from it)."""
    trend = palette_from_scene(scene)
    how = st.radio("Palette", ["From trends", "Pick by hand"], horizontal=True, key="studio_palette_mode")
    if how == "From trends":
        show_swatches(trend, size="1.1rem", codes=True)
        return trend
    cols = st.columns(3)
    defaults = (trend + trend + trend)[:3]
    return [cols[i].color_picker(f"Colour {i + 1}", defaults[i], key=f"studio_color_{i}") for i in range(3)]


def light_picker(scene: dict) -> tuple[Light, bool]:
    """Light direction and softness, starting from the scene's, and whether the photo's own light
    decides the side (when the scene names none): the product keeps the shading it was shot in."""
    scene_light = light_from_scene(scene)
    l1, l2, l3 = st.columns([1, 2, 2])
    auto = l1.checkbox(
        "Light as in the photo",
        value=direction_in_scene(scene) is None,
        key="studio_light_auto",
        help="On a plain backdrop the product's shadow shows which side its light came from; the scene "
        "is lit from that side (otherwise from the angle here)",
    )
    angle = l2.slider(
        "Light comes from (°: 0 = right, 90 = above, 180 = left)",
        0,
        180,
        int(scene_light.angle),
        key="studio_light",
        disabled=auto,
    )
    softness = l3.slider("Light softness", 0.0, 1.0, float(scene_light.softness), 0.05, key="studio_softness")
    return Light(angle, softness), auto


@st.cache_data(show_spinner=False, max_entries=16)
def _thumbnails(palette: tuple[str, ...], angle: float, softness: float) -> dict[str, bytes]:
    return style_thumbnails(list(palette), Light(angle, softness))


def style_picker(palette: list[str], light: Light, default: str) -> str:
    """A thumbnail of each background style in this palette and light, and the choice of one."""
    thumbs = _thumbnails(tuple(palette), light.angle, light.softness)
    cols = st.columns(6)
    for i, style in enumerate(STYLES):
        cols[i % 6].image(thumbs[style], caption=style, width="stretch")
    # A run that stops before this widget (Upload chosen, no photo yet) drops its state; the choice is
    # kept beside it, for as long as the scene suggests the same style, so a new photo keeps the style.
    suggested, kept = st.session_state.get("studio_style_kept", (default, default))
    start = kept if suggested == default and kept in STYLES else default
    choice = st.radio(
        "Background style",
        STYLES,
        index=STYLES.index(start),
        horizontal=True,
        key="studio_style",
        on_change=_keep_style,  # runs first in the next run, even one that stops before this widget
        args=(default,),
    )
    st.session_state["studio_style_kept"] = (default, choice)
    note = PRESETS[st.session_state.get("studio_preset", "web")].style_note
    if note:  # said where the style is chosen: the preset will not use it
        st.warning(f"{note}.", icon="⚪")
    return choice


def _keep_style(default: str) -> None:
    st.session_state["studio_style_kept"] = (default, st.session_state["studio_style"])


def scene_picker(style: str, trend: dict | None, key: str) -> str | None:
    """The scene geometry: Auto (None: the trend scene's, else flat-lay for a photo of an item lying
    flat, else the style's own) or one chosen by hand."""
    auto = choose_scene(None, trend, style)
    if not scene_from_trend(trend):  # then the photo decides before the style
        auto += "; flat-lay for an item photographed lying flat"
    labels = {"": f"Auto ({auto})", **{s: s for s in SCENES}}
    pick = st.selectbox(
        "Scene",
        list(labels),
        format_func=labels.get,
        key=key,
        help="tabletop: the material as a floor running back to a soft wall; sweep: a seamless paper "
        "cove; flat-lay: seen from straight above (garments laid flat)",
    )
    return pick or None


def export_options(
    style: str, palette: list[str], light: Light, scene: str | None = None, *, auto_light: bool = False
) -> EnhanceOptions:
    """The export widgets (preset, placement, fill, quality, shadow, reflection, seed) and the look,
    as the pipeline's options (`auto_light`: the photo's own light decides the side)."""
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
    return EnhanceOptions(
        style=style,
        scene=scene,
        preset=preset,
        palette=palette,
        light_angle=None if auto_light else light.angle,
        light_softness=light.softness,
        placement=placement,
        fill_ratio=fill if auto_fill is not None else None,
        shadow=shadow,
        reflection=reflection,
        seed=int(seed),
        quality=quality,
    )
