"""Batch Enhancement: many photos or a ZIP in; enhanced images, a report and a results ZIP out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from core.campaign.folders import new_run_dir
from core.errors import TrendStudioError
from core.imaging.backgrounds.paint import DEFAULT_PALETTE
from core.imaging.backgrounds.procedural import STYLES
from core.imaging.batch_session import BatchSession
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.presets import PRESETS
from core.imaging.scene import direction_in_scene, light_from_scene, studio_scene, suggest_style
from core.imaging.workers import default_workers
from core.imaging.zipsafe import IMAGE_SUFFIXES
from core.scene import DEFAULT_SCENE
from ui.auth import require_sign_in
from ui.batch_panels import results_panel
from ui.common import demo_dir, page_setup
from ui.flux_controls import flux_background, flux_controls
from ui.safe_text import md
from ui.studio_controls import scene_picker
from ui.uploads import save_uploads

require_sign_in()  # first: signed-out visitors see only the sign-in screen
settings = page_setup("Batch Enhancement", "🗂️")
st.title("🗂️ Batch Enhancement")
st.markdown(
    "Enhance a whole catalogue: many images or a ZIP, in parallel, resumable, with a per-image "
    "report and a ZIP of results. One bad file never stops the others."
)

FORMATS = {"Preset's format": None, "JPEG": "jpeg", "PNG": "png", "WebP": "webp"}


def _trend_scene() -> dict | None:
    chosen = studio_scene(settings)
    if chosen.problem:
        st.warning(f"The latest trend report could not be used: {md(chosen.problem)}")
    return chosen.scene if chosen.from_trends else None


# ------------------------------------------------------------------------------------------- inputs
source = st.radio(
    "Images",
    ["Upload photos or a ZIP", "Demo catalogue (6 product photos)"],
    horizontal=True,
    key="batch_source",
)
uploads = []
if source.startswith("Upload"):
    uploads = st.file_uploader(
        "Product photos, or a ZIP of them",
        accept_multiple_files=True,
        type=[s.lstrip(".") for s in sorted(IMAGE_SUFFIXES)] + ["zip"],
        key="batch_files",
    )
    st.caption(
        "ZIPs are checked first: unsafe paths, nested archives, non-images and oversized content are "
        "refused with a reason; everything else is processed."
    )

scene = None
c1, c2, c3, c4 = st.columns(4)
with c1:
    palette_choice = st.selectbox(
        "Palette", ["Latest trends", "Neutral default", "Custom"], key="batch_palette"
    )
    if palette_choice != "Neutral default":
        scene = _trend_scene()
        if scene is None and palette_choice == "Latest trends":
            st.caption("No trend report yet (run the Trend Explorer): the neutral palette is used.")
    custom = None
    if palette_choice == "Custom":
        cols = st.columns(3)
        custom = [
            c.color_picker(f"Colour {i + 1}", v, key=f"batch_colour_{i}")
            for i, (c, v) in enumerate(zip(cols, DEFAULT_PALETTE, strict=True))
        ]
with c2:
    suggested = suggest_style(scene) if palette_choice == "Latest trends" else "studio"
    style = st.selectbox("Background style", STYLES, index=STYLES.index(suggested), key="batch_style")
    scene_kind = scene_picker(style, scene, key="batch_scene")
    auto_light = st.checkbox(
        "Light as in each photo",
        value=direction_in_scene(scene) is None,
        key="batch_light_auto",
        help="On a plain backdrop a product's shadow shows which side its light came from",
    )
    light = st.slider(
        "Light comes from (°)",
        0,
        180,
        int(light_from_scene(scene).angle),
        key="batch_light",
        disabled=auto_light,
    )
with c3:
    preset = st.selectbox(
        "Preset",
        list(PRESETS),
        format_func=lambda p: PRESETS[p].label,
        index=list(PRESETS).index("web"),
        key="batch_preset",
    )
with c4:
    fmt = st.selectbox("Output format", list(FORMATS), key="batch_format")
    workers = st.number_input(
        "Parallel workers",
        1,
        32,
        default_workers(),
        key="batch_workers",
        help="One process per core by default; each keeps its own cut-out model.",
    )

if PRESETS[preset].style_note:  # said where the style is chosen, not only after the run
    c2.warning(f"{PRESETS[preset].style_note}.", icon="⚪")

flux_choice = flux_controls(settings, scene or DEFAULT_SCENE, key="batch")
if flux_choice is not None:
    st.caption(
        "FLUX is billed per image by BFL; an image already generated with the same prompt and "
        "settings comes from the cache for free. Moderated or failed images are reported per file."
    )

zips = sum(Path(f.name).suffix.lower() == ".zip" for f in uploads or [])
count = len(uploads) - zips if uploads else (0 if source.startswith("Upload") else 6)
parts = [f"{n} {word}{'s' if n > 1 else ''}" for n, word in ((count, "image"), (zips, "ZIP")) if n]
label = f"Enhance {' + '.join(parts)}" if parts else "Enhance images"
go = st.button(label, type="primary", disabled=count + zips == 0, key="batch_go")

# --------------------------------------------------------------------------------------------- run
if go:
    try:
        options = EnhanceOptions(
            style=style,
            scene=scene_kind,
            light_angle=None if auto_light else light,
            preset=preset,
            palette=custom,
            output_format=FORMATS[fmt],
        )
    except (ValueError, TrendStudioError) as exc:
        st.error(f"Invalid options: {exc}")
        st.stop()
    run_dir = new_run_dir(settings)
    session = BatchSession(run_dir.with_name(f"batch-{run_dir.name}"))
    background = flux_background(settings, flux_choice, run=str(session.run_dir))
    if uploads:
        sources = save_uploads(uploads, session.run_dir / "inputs")
    else:
        sources = sorted((demo_dir(str(settings.demo_dir)) / "images").glob("*.jpg"))
    try:
        plan = session.prepare(sources)
    except TrendStudioError as exc:
        st.error(str(exc))
        st.stop()
    bar = st.progress(0.0, text=f"Starting {len(plan.todo)} images on {workers} worker(s)…")
    live = st.empty()  # the results table, live while running; replaced by the final one below
    live.dataframe(pd.DataFrame(session.table()), hide_index=True)

    def on_row(row: dict, done: int, total: int) -> None:
        bar.progress(done / total, text=f"{done}/{total} · {row['file']}: {row['status']}")
        live.dataframe(pd.DataFrame(session.table()), hide_index=True)

    try:
        result = session.run(
            options, scene=scene, background=background, workers=int(workers), progress=on_row
        )
    except TrendStudioError as exc:
        st.error(str(exc))
        st.stop()
    bar.progress(1.0, text=f"Finished: {result.done} done, {result.failed} failed")
    live.empty()
    st.session_state["batch_run"] = {
        "rows": session.table(),
        "report": session.report_path,
        "zip": session.zip_path,
        "pairs": session.pairs,
        "seconds": session.seconds_per_image(),
        "flux": background.ledger_outcomes() if background.ledger is not None else [],
    }

# ----------------------------------------------------------------------------------------- results
run = st.session_state.get("batch_run")
if run is None:
    st.stop()

results_panel(run)
