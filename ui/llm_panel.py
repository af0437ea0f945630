"""The Trend Explorer's Groq panel: analyzer choice, cost estimate, run, offline-vs-LLM side by side.

Kept out of the page so the page stays thin and the offline flow is untouched: with Offline chosen
(or no key) the panel is one line.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.errors import TrendStudioError
from core.settings import Settings
from core.trends.analyzers.compare import agreement, side_by_side
from core.trends.analyzers.groq.analyzer import analyze_with_groq, estimate
from core.trends.lexicon import CATEGORIES
from core.trends.posts import Post
from core.trends.report import Scene, TrendReport, save_report
from ui.handoff import send_scene_to_studio
from ui.swatches import show_swatches

ANALYZERS = ["Offline", "Groq LLM"]


def render_llm_panel(posts: list[Post], offline: TrendReport, *, sources: list[str], settings: Settings,
                     key: Any) -> None:
    """Analyzer selector; with Groq: estimate before running, then offline and LLM side by side."""
    enabled = settings.groq_api_key is not None
    choice = st.radio("Analyzer", ANALYZERS, horizontal=True, key="trend_analyzer", disabled=not enabled,
                      help="The offline analyzer always runs; Groq adds an LLM reading of the same posts.")
    if not enabled:
        st.caption("Groq LLM analysis is off: set GROQ_API_KEY (environment or .streamlit/secrets.toml) "
                   "to compare the offline analyzer with an LLM.")
        return
    if choice == "Offline":
        return
    run_key = (key, settings.groq_model)
    try:
        cost = estimate(posts, settings)
    except TrendStudioError as exc:
        st.error(str(exc))
        return
    _estimate_metrics(cost)
    if st.button("Run Groq analysis", type="primary", icon="🤖"):
        bar = st.progress(0.0, f"Asking Groq {settings.groq_model}…")
        llm = analyze_with_groq(posts, settings, sources=sources, progress=lambda f, msg: bar.progress(f, msg))
        bar.empty()
        save_report(llm, None, settings)
        st.session_state["trend_llm_report"] = llm
        st.session_state["trend_llm_key"] = run_key
        st.rerun()  # refresh the estimate: those chunks are cached now
    llm = st.session_state.get("trend_llm_report") if st.session_state.get("trend_llm_key") == run_key else None
    if llm is None:
        st.info("Press **Run Groq analysis** to compare the LLM's reading with the offline analyzer.")
        return
    if not llm.meta.analyzer.startswith("groq"):
        st.warning(f"Groq did not answer, so this is the offline analyzer again: {llm.meta.analyzer}.")
    _side_by_side(offline, llm)


def _estimate_metrics(cost: dict[str, Any]) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Posts the LLM reads", f"{cost['posts']:,}", help=f"of {cost['posts_total']:,}; larger sets are "
              "sampled evenly across time (config/llm.toml max_posts)")
    c2.metric("Requests", f"{cost['chunks'] - cost['cached_chunks']}",
              help=f"{cost['chunks']} chunks, {cost['cached_chunks']} already cached (free)")
    c3.metric("Input tokens (est.)", f"{cost['input_tokens']:,}")
    price = cost["estimated_cost_usd"]
    c4.metric("Cost (est., at most)", "unknown" if price is None else f"${price:.4f}",
              help=f"{cost['model']} list price; every completion counted at its full token budget")


def _side_by_side(offline: TrendReport, llm: TrendReport) -> None:
    st.markdown(f"**Offline** ({offline.meta.analyzer}) vs **LLM** ({llm.meta.analyzer})")
    scores = agreement(offline, llm)
    cols = st.columns(len(CATEGORIES))
    for col, category in zip(cols, CATEGORIES, strict=True):
        value = scores[category]
        col.metric(f"Agreement: {category}", "—" if value is None else f"{value:.0%}",
                   help="overlap (Jaccard) of the two analyzers' top-10 terms")
    category = st.selectbox("Compare", CATEGORIES, key="trend_compare_category")
    st.dataframe(pd.DataFrame(side_by_side(offline, llm, category)), hide_index=True, width="stretch")
    left, right = st.columns(2)
    with left:
        _scene("Offline scene", offline.scene)
    with right:
        _scene("LLM scene", llm.scene)
        if st.button("Use the LLM scene in Studio", icon="🖼️"):
            send_scene_to_studio(llm.scene.model_dump())
    st.download_button("LLM report JSON", llm.model_dump_json(indent=2), file_name="trend_report_llm.json",
                       mime="application/json")


def _scene(title: str, scene: Scene) -> None:
    show_swatches(scene.colors, size="1.1rem", title=title)
    # Plain text: these strings come from a model that read user posts, so no markdown/HTML.
    st.text(f"{scene.environment} · {scene.lighting} · {', '.join(scene.textures) or 'no textures'} · "
            f"{scene.mood or 'no mood'}")
    st.code(scene.prompt or "(no prompt)", language=None, wrap_lines=True)
