"""Enhancement Studio: one product photo to a clean, on-trend, marketplace-ready image.

Thin page: widgets -> core.imaging -> render. The cut-out is cached per photo (st.cache_data), the
model session per process (st.cache_resource), the latest result per user (st.session_state).
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
import streamlit as st
from PIL import Image
from streamlit_drawable_canvas import st_canvas

from core.errors import TrendStudioError
from core.imaging import masking, refine
from core.imaging.backgrounds import STYLES, Background, Light, render_background
from core.imaging.io import LoadedImage, load_image
from core.imaging.pipeline import EnhanceOptions, EnhanceResult, enhance
from core.imaging.presets import PRESETS
from core.imaging.scene import light_from_scene, palette_from_scene, studio_scene, suggest_style
from core.trends.scene import sources_summary
from ui.auth import require_sign_in
from ui.common import demo_dir, page_setup
from ui.flux_controls import flux_background_fn, show_flux_cost, show_flux_error
from ui.handoff import scene_for_studio
from ui.swatches import show_swatches

PREVIEW = 520
ADD, REMOVE = "#00c853", "#ff1744"

require_sign_in()  # first: signed-out visitors see only the sign-in screen
settings = page_setup("Enhancement Studio", "🖼️")
st.title("🖼️ Enhancement Studio")
st.markdown("Upload a product photo and get an exact cut-out on a trend-aware background with a believable "
            "shadow, exported to a marketplace preset with a QA report.")


@st.cache_resource(show_spinner="Loading the cut-out model…")
def _session():
    return masking.get_session()


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


@st.cache_data(show_spinner=False, max_entries=8)
def _load(data: bytes, name: str) -> LoadedImage:
    return load_image(data, name=name)


@st.cache_data(show_spinner="Cutting out the product…", max_entries=8)
def _auto_mask(data: bytes, name: str, mask_data: bytes | None, use_alpha: bool, grabcut: bool, matting: bool):
    result = masking.compute_mask(_load(data, name), mask=mask_data, use_alpha=use_alpha, grabcut=grabcut,
                                  matting=matting, session=_session())
    return result.mask, result.source, result.notes


@st.cache_data(show_spinner=False, max_entries=16)
def _thumbnails(palette: tuple[str, ...], angle: float, softness: float) -> dict[str, bytes]:
    out = {}
    for style in STYLES:
        im = render_background(style, (200, 150), palette=list(palette), light=Light(angle, softness),
                               product_box=(70, 30, 130, 115))
        buf = io.BytesIO()
        im.save(buf, "PNG")
        out[style] = buf.getvalue()
    return out


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
        up = st.file_uploader("Product photo", type=["jpg", "jpeg", "png", "webp", "gif", "tif", "tiff", "bmp"],
                              key="studio_upload")
        if up is not None:
            data, name = up.getvalue(), up.name
    else:
        images = sorted((demo_dir(str(settings.demo_dir)) / "images").glob("*.jpg"))
        pick = st.selectbox("Demo image", [p.name for p in images], key="studio_demo")
        if pick:
            data, name = (demo_dir(str(settings.demo_dir)) / "images" / pick).read_bytes(), pick
    with st.expander("Advanced cut-out options"):
        mask_up = st.file_uploader("Your own mask (white = product)", type=["png", "jpg", "jpeg", "webp"],
                                   key="studio_mask_upload")
        st.checkbox("Use the photo's own transparency as the mask", value=True, key="studio_use_alpha")
        st.checkbox("Refine edges with GrabCut (slower)", value=False, key="studio_grabcut")
        st.checkbox("Alpha matting for hair, fur and lace (slower)", value=False, key="studio_matting")
    return data, name, (mask_up.getvalue() if mask_up is not None else None)


def _checker_preview(rgb: np.ndarray, mask: np.ndarray, side: int = PREVIEW) -> Image.Image:
    """The cut-out over a checkerboard, scaled to `side` px wide, for display and the brush canvas."""
    h, w = mask.shape
    scale = min(1.0, side / w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    fg = Image.fromarray(np.dstack([rgb, mask]), "RGBA").resize(size, Image.Resampling.BILINEAR)
    yy, xx = np.mgrid[0:size[1], 0:size[0]]
    board = np.where(((yy // 12 + xx // 12) % 2)[..., None] == 0, 235, 200).astype(np.uint8).repeat(3, 2)
    base = Image.fromarray(board, "RGB").convert("RGBA")
    return Image.alpha_composite(base, fg).convert("RGB")


def _corrections(preview: Image.Image, key: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Add/remove brush strokes drawn on the cut-out (streamlit-drawable-canvas)."""
    with st.expander("Correct the mask with a brush", expanded=False):
        c1, c2 = st.columns(2)
        mode = c1.radio("Brush", ["Add to product", "Remove from product"], horizontal=True, key="studio_brush")
        width = c2.slider("Brush size", 4, 60, 20, key="studio_brush_size")
        st.caption("Green strokes add to the product, red strokes remove; use the canvas toolbar to undo.")
        canvas = st_canvas(stroke_width=width, stroke_color=ADD if mode.startswith("Add") else REMOVE,
                           background_image=preview, width=preview.width, height=preview.height,
                           drawing_mode="freedraw", return_image_data=True, key=f"studio_canvas_{key}")
        data = canvas.image_data if canvas is not None else None
        if data is None or data.ndim != 3 or not data[..., 3].any():
            return None, None
        add, remove = refine.strokes_from_canvas(data)
        st.caption(f"Corrections applied: {add.mean():.1%} of the canvas added, {remove.mean():.1%} removed.")
    return add, remove


def _style_picker(palette: list[str], light: Light, default: str) -> str:
    thumbs = _thumbnails(tuple(palette), light.angle, light.softness)
    cols = st.columns(6)
    for i, style in enumerate(STYLES):
        cols[i % 6].image(thumbs[style], caption=style, width="stretch")
    return st.radio("Background style", STYLES, index=STYLES.index(default), horizontal=True, key="studio_style")


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


def _signature(*parts: object) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
    return digest.hexdigest()


def _render_result(result: EnhanceResult, name: str, options: EnhanceOptions) -> None:
    st.subheader("Result")
    left, right = st.columns([3, 2])
    left.image(result.image, caption=f"{options.style} · {options.preset} · {result.image.width}×"
               f"{result.image.height}", width="stretch")
    with right:
        st.markdown("**Quality report**")
        f = result.qa.figures()
        m1, m2 = st.columns(2)
        m1.metric("Fill ratio", f"{f['fill_ratio']:.0%}")
        m2.metric("Sharpness", f"{f['sharpness']:.0f}")
        m1.metric("Mask coverage", f"{f['mask_coverage']:.1%}")
        m2.metric("Preset compliance", "pass" if result.qa.compliant else "fail")
        if result.qa.warnings:
            for w in result.qa.warnings:
                st.warning(w)
        else:
            st.success("No quality warnings.")
        for note in result.notes:
            st.caption(f"ℹ️ {note}")
        st.caption("Timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()))
        data, ext = result.encode()
        stem = Path(name).stem or "product"
        st.download_button(f"Download {ext.upper()}", data, file_name=f"{stem}_{options.style}_{options.preset}.{ext}",
                           mime=f"image/{'jpeg' if ext == 'jpg' else ext}", key="studio_download", type="primary")
        # full-size PNGs are encoded only when asked for, not on every rerun
        st.download_button("Download mask (PNG)", lambda: _png(Image.fromarray(result.mask, "L")),
                           file_name=f"{stem}_mask.png", mime="image/png", key="studio_download_mask",
                           on_click="ignore")
        st.download_button("Download cut-out (PNG)", lambda: _png(result.cutout), file_name=f"{stem}_cutout.png",
                           mime="image/png", key="studio_download_cutout", on_click="ignore")
        st.download_button("Download QA report (JSON)", json.dumps({"file": name, **f, "warnings": result.qa.warnings},
                           indent=2), file_name=f"{stem}_qa.json", mime="application/json", key="studio_download_qa")


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
    mask, mask_source, mask_notes = _auto_mask(data, name, mask_data, st.session_state.studio_use_alpha,
                                               st.session_state.studio_grabcut, st.session_state.studio_matting)
except TrendStudioError as exc:
    st.error(str(exc))
    st.stop()
rgb = np.asarray(loaded.rgb)
preview = _checker_preview(rgb, mask)
with top_right:
    b1, b2 = st.columns(2)
    b1.image(loaded.rgb, caption=f"Before · {name} · {loaded.size[0]}×{loaded.size[1]}", width="stretch")
    b2.image(preview, caption=f"Cut-out ({mask_source})", width="stretch")
    for note in loaded.notes + mask_notes:
        st.caption(f"ℹ️ {note}")
add, remove = _corrections(preview, _signature(data, mask_data)[:10])

st.subheader("Look")
scene_light = light_from_scene(scene)
palette = _palette_picker(scene)
l1, l2 = st.columns(2)
angle = l1.slider("Light comes from (°: 0 = right, 90 = above, 180 = left)", 0, 180, int(scene_light.angle),
                  key="studio_light")
softness = l2.slider("Light softness", 0.0, 1.0, float(scene_light.softness), 0.05, key="studio_softness")
style = _style_picker(palette, Light(angle, softness), suggest_style(scene))
background = _background(scene)

st.subheader("Export")
e1, e2, e3, e4 = st.columns(4)
preset = e1.selectbox("Preset", list(PRESETS), index=list(PRESETS).index("web"),
                      format_func=lambda p: PRESETS[p].label, key="studio_preset")
placement = e2.radio("Placement", ["center", "thirds"], horizontal=True, key="studio_placement")
auto_fill = PRESETS[preset].fill_ratio
fill = e3.slider("Fill ratio", 0.3, 0.95, float(auto_fill or 0.75), 0.01, key=f"studio_fill_{preset}",
                 disabled=auto_fill is None, help="Share of the frame the product spans")
quality = e4.slider("Quality", 50, 100, PRESETS[preset].quality, key="studio_quality")
o1, o2, o3 = st.columns(3)
shadow = o1.checkbox("Shadow", value=True, key="studio_shadow")
reflection = o2.checkbox("Floor reflection", value=False, key="studio_reflection")
seed = o3.number_input("Seed", 0, 10_000, 0, key="studio_seed")

options = EnhanceOptions(style=style, preset=preset, palette=palette, light_angle=angle, light_softness=softness,
                         placement=placement, fill_ratio=fill if auto_fill is not None else None, shadow=shadow,
                         reflection=reflection, seed=int(seed), quality=quality)
strokes = b"" if add is None else np.packbits(add).tobytes() + np.packbits(remove).tobytes()
signature = _signature(data, mask.tobytes(), options.model_dump_json(), strokes, background.signature,
                       json.dumps(scene))
if st.session_state.get("studio_signature") != signature:
    try:
        with st.spinner("Enhancing…"):
            st.session_state.studio_result = enhance(loaded, options, mask=mask, scene=scene,
                                                     background=background, add=add, remove=remove)
        st.session_state.studio_signature = signature
        st.session_state.studio_name = name
    except TrendStudioError as exc:
        show_flux_error(exc, key="studio")
        st.stop()
show_flux_cost(background)
_render_result(st.session_state.studio_result, st.session_state.studio_name, options)
