"""Batch Enhancement."""

from __future__ import annotations

import streamlit as st

from ui.common import demo_dir, page_setup

settings = page_setup("Batch Enhancement", "🗂️")
st.title("🗂️ Batch Enhancement")
st.markdown("Enhance a whole catalogue: many images or a ZIP, in parallel, resumable, with a per-image report and a ZIP of results.")
demo = demo_dir(str(settings.demo_dir))
st.info("This page is being built. The demo data it will use is ready in `data/demo/`.")
