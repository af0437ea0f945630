"""The Studio's larger panels: mask corrections with a brush, and the result with its QA and downloads."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import streamlit as st
from PIL import Image
from streamlit_drawable_canvas import st_canvas

from core.imaging import export, refine
from core.imaging.enhance_options import EnhanceOptions, EnhanceResult

ADD, REMOVE = "#00c853", "#ff1744"


def corrections(preview: Image.Image, key: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Add/remove brush strokes drawn on the cut-out (streamlit-drawable-canvas)."""
    with st.expander("Correct the mask with a brush", expanded=False):
        c1, c2 = st.columns(2)
        mode = c1.radio(
            "Brush", ["Add to product", "Remove from product"], horizontal=True, key="studio_brush"
        )
        width = c2.slider("Brush size", 4, 60, 20, key="studio_brush_size")
        st.caption("Green strokes add to the product, red strokes remove; use the canvas toolbar to undo.")
        st.space(36)  # the canvas draws its undo toolbar just above itself: room for it, not over the caption
        canvas = st_canvas(
            stroke_width=width,
            stroke_color=ADD if mode.startswith("Add") else REMOVE,
            background_image=preview,
            width=preview.width,
            height=preview.height,
            drawing_mode="freedraw",
            return_image_data=True,
            key=f"studio_canvas_{key}",
        )
        data = canvas.image_data if canvas is not None else None
        if data is None or data.ndim != 3 or not data[..., 3].any():
            return None, None
        add, remove = refine.strokes_from_canvas(data)
        st.caption(f"Corrections applied: {add.mean():.1%} of the canvas added, {remove.mean():.1%} removed.")
    return add, remove


def result_panel(result: EnhanceResult, name: str, options: EnhanceOptions) -> None:
    """The result, its two verdicts (marketplace compliance; quality) with reasons, and the downloads.
    Captions and file names say what was produced (a preset may have replaced the chosen style)."""
    st.subheader("Result")
    left, right = st.columns([3, 2])
    made = f"{result.background} · {options.preset}"
    left.image(result.image, caption=f"{made} · {result.image.width}×{result.image.height}", width="stretch")
    with right:
        st.markdown("**Quality report**")
        f = result.qa.figures()
        m1, m2 = st.columns(2)
        m1.metric("Preset compliance", "pass" if result.qa.compliant else "fail")
        m2.metric("Quality", result.qa.quality)
        m1.metric("Fill ratio", f"{f['fill_ratio']:.0%}")
        m2.metric("Sharpness", f"{f['sharpness']:.0f}")
        m1.metric("Mask coverage", f"{f['mask_coverage']:.1%}")
        m2.metric("Upscale", f"{f['upscale']:.1f}×")
        for issue in result.qa.compliance:
            st.error(f"Not compliant: {issue}")
        for issue in result.qa.quality_issues:
            st.warning(f"Quality: {issue}")
        others = [w for w in result.qa.warnings if not w.startswith(("quality —", "not compliant —"))]
        for w in others:
            st.warning(w)
        if not result.qa.warnings:
            st.success("Compliant and good quality: no warnings.")
        for note in result.notes:
            st.caption(f"ℹ️ {note}")
        st.caption("Timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()))
        data, ext = result.encode()
        stem = Path(name).stem or "product"
        st.download_button(
            f"Download {ext.upper()}",
            data,
            file_name=f"{stem}_{result.background}_{options.preset}.{ext}",
            mime=f"image/{'jpeg' if ext == 'jpg' else ext}",
            key="studio_download",
            type="primary",
            on_click="ignore",  # a download that reruns the page re-registers the deferred ones below
        )
        # full-size PNGs are encoded only when asked for, not on every rerun; no download reruns the page,
        # so a deferred button's file id stays the one the browser holds (any order works)
        st.download_button(
            "Download mask (PNG)",
            lambda: export.encode(Image.fromarray(result.mask, "L"), "png")[0],
            file_name=f"{stem}_mask.png",
            mime="image/png",
            key="studio_download_mask",
            on_click="ignore",
        )
        st.download_button(
            "Download cut-out (PNG)",
            result.cutout_png,
            file_name=f"{stem}_cutout.png",
            mime="image/png",
            key="studio_download_cutout",
            on_click="ignore",
        )
        qa_json = json.dumps(
            {
                "file": name,
                "background": result.background,
                **f,
                **result.qa.verdicts(),
                "warnings": result.qa.warnings,
            },
            indent=2,
        )
        st.download_button(
            "Download QA report (JSON)",
            qa_json,
            file_name=f"{stem}_qa.json",
            mime="application/json",
            key="studio_download_qa",
            on_click="ignore",
        )
