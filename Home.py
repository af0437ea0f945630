"""Home: what Trend Studio does, the flow at a glance, and what is active."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import streamlit as st

from core.campaign.errors import StageError
from core.campaign.history import list_runs
from core.campaign.inputs import campaign_config, make_inputs
from core.campaign.run import archive, load_run, new_run_dir, run_campaign
from core.errors import TrendStudioError
from core.predictor.registry import latest_model
from ui.common import demo_dir, page_setup

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
    st.markdown("#### 1 · Trends\nColours, styles, materials, lighting and settings rising on "
                "Reddit, and the photo **scene** they imply.")
    st.page_link("pages/1_Trend_Explorer.py", label="Trend Explorer", icon="📈")
with c2:
    st.markdown("#### 2 · Predictions\nNext apparel category per customer, measured against "
                "majority, repeat-last and Markov baselines, explained with SHAP.")
    st.page_link("pages/2_Purchase_Predictor.py", label="Purchase Predictor", icon="🎯")
with c3:
    st.markdown("#### 3 · Images\nExact cut-out, trend-aware background, believable shadow, "
                "marketplace presets with compliance checks — one photo or a whole batch.")
    st.page_link("pages/3_Enhancement_Studio.py", label="Enhancement Studio", icon="🖼️")
    st.page_link("pages/4_Batch_Enhancement.py", label="Batch Enhancement", icon="🗂️")

st.subheader("Campaign run")
st.caption("The three joined: the trend scene styles the photos of the categories customers are predicted "
           "to buy next. The same run is available headless: `python -m core run --out DIR`.")


@st.cache_data(show_spinner=False, max_entries=4)
def _zipped(run_dir: str, finished_at: str | None) -> bytes:
    return archive(run_dir)


def _start_run(top: int, per_category: int, analyzer: str) -> None:
    with st.status("Running the campaign…", expanded=True) as status:
        if latest_model(settings.models_dir) is None:
            st.write("No trained model yet: a quick model is trained on the demo events first "
                     "(about half a minute).")
        bar = st.progress(0.0, text="starting…")
        out = new_run_dir(settings)
        try:
            inputs = make_inputs(settings, top=top, per_category=per_category, analyzer=analyzer)
            run_campaign(out, inputs, settings=settings, progress=lambda f, m: bar.progress(f, text=m))
        except StageError as exc:
            status.update(label=f"Campaign stage '{exc.stage}' failed", state="error")
            st.error(str(exc))
        except TrendStudioError as exc:
            status.update(label="Campaign run could not start", state="error")
            st.error(str(exc))
            return
        else:
            status.update(label="Campaign run finished", state="complete", expanded=False)
        st.session_state["campaign_show"] = out.name  # show the new run


def _show_run(run: dict) -> None:
    fig = run.get("figures", {})
    failed = [s for s in run["stages"] if s["status"] == "failed"]
    if failed:
        st.error(f"Stage **{failed[0]['name']}** failed: {failed[0]['error']}")
    for warning in run.get("warnings", []):
        st.warning(warning)
    if fig.get("palette"):
        scene = fig.get("scene", {})
        swatches = "".join(f"<span style='display:inline-block;width:3rem;height:3rem;border-radius:.4rem;"
                           f"margin-right:.4rem;border:1px solid #ccc;background:{c}' title='{c}'></span>"
                           for c in fig["palette"])
        st.markdown(f"**Trend palette** {' '.join(f'`{c}`' for c in fig['palette'])}")
        st.markdown(swatches, unsafe_allow_html=True)
        st.caption(f"{scene.get('environment', '')}, {scene.get('lighting', '')} · background style "
                   f"**{fig.get('style', '—')}** · from {fig.get('posts', 0):,} posts")
    if fig.get("top_categories"):
        st.markdown("**Top categories by predicted share of next purchases**")
        st.dataframe([{"category": c["category"], "share": f"{c['share']:.1%}", "customers": c["customers"],
                       "photos": ", ".join(c["photos"])} for c in fig["top_categories"]], hide_index=True)
    root = Path(run["out_dir"])
    for item in fig.get("items", []):
        if not item.get("before"):
            st.warning(f"{item['category']}/{item['name']}: {item['error'] or 'no thumbnail'}")
            continue
        b, a = st.columns(2)
        b.image(str(root / item["before"]), caption=f"before · {item['category']}/{item['name']}")
        a.image(str(root / item["after"]), caption=f"after · {item['output']}")
    if root.is_dir():
        st.download_button("Download the run (zip)", _zipped(str(root), run.get("finished_at")),
                           file_name=f"campaign-{run['run_id']}.zip", mime="application/zip")


cfg = campaign_config(settings)
left, right = st.columns([1, 3])
with left:
    top = st.number_input("Top categories", min_value=1, max_value=10, value=int(cfg["top"]))
    per_category = st.number_input("Photos per category", min_value=1, max_value=10,
                                   value=int(cfg["per_category"]))
    analyzers = ["offline", "groq"] if settings.groq_api_key else ["offline"]
    analyzer = st.selectbox("Trend analyzer", analyzers, index=analyzers.index(cfg["analyzer"])
                            if cfg["analyzer"] in analyzers else 0,
                            help="groq needs GROQ_API_KEY; its answers are cached so a replay reads the same ones")
    clicked = st.button("Run campaign", type="primary", key="run_campaign")
with right:
    if clicked:
        _start_run(int(top), int(per_category), analyzer)
    try:
        runs = list_runs(settings)
    except TrendStudioError as exc:
        st.warning(f"Run history unavailable: {exc}")
        runs = pd.DataFrame()
    if runs.empty:
        st.info("No campaign run yet: press **Run campaign** to make the first one.")
    else:
        ids = list(runs["run_id"])
        if st.session_state.get("campaign_show") not in ids:
            st.session_state.pop("campaign_show", None)
        labels = {r.run_id: f"{r.run_id} · {r.status}"
                  + (f" at {r.failed_stage}" if isinstance(r.failed_stage, str) else "")
                  for r in runs.itertuples()}
        chosen = st.selectbox("Show run", ids, format_func=labels.get, key="campaign_show")
        try:
            _show_run(load_run(runs.loc[runs["run_id"] == chosen, "out_dir"].iloc[0]))
        except TrendStudioError as exc:
            st.warning(str(exc))
if not runs.empty:
    with st.expander(f"Earlier runs ({len(runs)})"):
        table = runs[["run_id", "started_at", "status", "failed_stage", "top_categories", "images_done",
                      "seconds"]].copy()
        table["top_categories"] = [", ".join(c["category"] for c in cats) for cats in table["top_categories"]]
        st.dataframe(table, hide_index=True)

st.subheader("Active data")
demo = demo_dir(str(settings.demo_dir))
manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
k1, k2, k3 = st.columns(3)
k1.metric("Demo posts", f"{manifest['posts']['count']:,}")
k2.metric("Demo events", f"{manifest['events']['count']:,}")
k3.metric("Demo product photos", len(manifest["images"]["files"]))
st.caption(
    "Every page falls back to this demo data when you bring nothing of your own. "
    f"Demo folder: `{demo}`."
)

st.subheader("Integrations")
for status in settings.integrations():
    (st.success if status.enabled else st.info)(f"**{status.name}** — {status.detail}")
