"""Purchase Predictor."""

from __future__ import annotations

import streamlit as st

from ui.common import demo_dir, page_setup

settings = page_setup("Purchase Predictor", "🎯")
st.title("🎯 Purchase Predictor")
st.markdown("Which apparel category each customer is likely to buy next, how accurate that is per category against honest baselines (majority, repeat-last, Markov), and why (SHAP).")
demo = demo_dir(str(settings.demo_dir))
st.info("This page is being built. The demo data it will use is ready in `data/demo/`.")
