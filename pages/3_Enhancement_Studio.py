"""Enhancement Studio."""

from __future__ import annotations

import streamlit as st

from ui.common import demo_dir, page_setup

settings = page_setup("Enhancement Studio", "🖼️")
st.title("🖼️ Enhancement Studio")
st.markdown("Upload a product photo and get an exact cut-out on a trend-aware background with a believable shadow, exported to a marketplace preset with a QA report.")
demo = demo_dir(str(settings.demo_dir))
st.info("This page is being built. The demo data it will use is ready in `data/demo/`.")
