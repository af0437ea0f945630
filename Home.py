"""Home: what Trend Studio does, the flow at a glance, the campaign run, and what is active."""

from __future__ import annotations

import json

import streamlit as st

from ui.auth import require_sign_in
from ui.campaign_panel import campaign_panel
from ui.common import demo_dir, page_setup
from ui.handoff import Page

require_sign_in()  # first: signed-out visitors see only the sign-in screen
settings = page_setup("Home", "🧵")

st.title("🧵 Trend Studio")
st.markdown(
    "Find what is **rising in fashion communities**, predict **which apparel category each "
    "customer buys next** (with honest per-category accuracy), and turn plain product photos "
    "into **on-trend, marketplace-ready images** — offline by default, live integrations when "
    "keys are set."
)

st.subheader("The flow")
c1, c2, c3 = st.columns(3)
with c1:
    st.markdown(
        "#### 1 · Trends\nColours, styles, materials, lighting and settings rising on "
        "Reddit, and the photo **scene** they imply."
    )
    st.page_link(Page.TRENDS, label="Trend Explorer", icon="📈")
with c2:
    st.markdown(
        "#### 2 · Predictions\nEach customer's next apparel category in the coming two weeks, "
        "measured against majority, repeat-last, most-browsed and Markov baselines, explained with SHAP."
    )
    st.page_link(Page.PREDICTOR, label="Purchase Predictor", icon="🎯")
with c3:
    st.markdown(
        "#### 3 · Images\nExact cut-out, trend-aware background, believable shadow, "
        "marketplace presets with compliance checks — one photo or a whole batch."
    )
    st.page_link(Page.STUDIO, label="Enhancement Studio", icon="🖼️")
    st.page_link(Page.BATCH, label="Batch Enhancement", icon="🗂️")

campaign_panel(settings)

st.subheader("Active data")
demo = demo_dir(str(settings.demo_dir))
manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
k1, k2, k3 = st.columns(3)
k1.metric("Demo posts", f"{manifest['posts']['count']:,}")
k2.metric("Demo events", f"{manifest['events']['count']:,}")
k3.metric("Demo product photos", len(manifest["images"]["files"]))
st.caption(
    f"Every page falls back to this demo data when you bring nothing of your own. Demo folder: `{demo}`."
)

st.subheader("Integrations")
for status in settings.integrations():
    (st.success if status.enabled else st.info)(f"**{status.name}** — {status.detail}")
