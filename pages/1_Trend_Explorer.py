"""Trend Explorer."""

from __future__ import annotations

import streamlit as st

from ui.common import demo_dir, page_setup

settings = page_setup("Trend Explorer", "📈")
st.title("📈 Trend Explorer")
st.markdown("What colours, styles, materials, lighting and settings are rising in fashion communities, with evidence posts, and the photo scene they imply.")
demo = demo_dir(str(settings.demo_dir))
st.info("This page is being built. The demo data it will use is ready in `data/demo/`.")
