"""The Trend Explorer's analyzer panel: analyzer and model choice, cost estimate, run, side by side.

Kept out of the page so the page stays thin and the offline flow is untouched: with the default
(offline) analyzer chosen, or no other analyzer usable, the panel is one line. Analyzers come from
the factory (`core.trends.analyzers`); nothing here knows which backend is which.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.errors import TrendStudioError
from core.settings import Settings
from core.trends.analyzers import ANALYZERS, DEFAULT_ANALYZER, Analyzer, new_analyzer
from core.trends.analyzers.compare import agreement, side_by_side
from core.trends.lexicon import CATEGORIES
from core.trends.posts import Post
from core.trends.report import Scene, TrendReport, save_report
from ui.handoff import send_scene_to_studio
from ui.safe_text import md
from ui.swatches import show_swatches


def render_llm_panel(
    posts: list[Post], offline: TrendReport, *, sources: list[str], settings: Settings, key: Any
) -> None:
    """Analyzer selector; with another analyzer: model, estimate before running, then both side by side."""
    analyzers = {name: new_analyzer(name, settings) for name in ANALYZERS}
    by_label = {a.label: name for name, a in analyzers.items()}
    others = [a for name, a in analyzers.items() if name != DEFAULT_ANALYZER]
    enabled = any(a.unavailable() is None for a in others)
    choice = st.radio(
        "Analyzer",
        list(by_label),
        horizontal=True,
        key="trend_analyzer",
        disabled=not enabled,
        help="The offline analyzer always runs; an LLM adds its reading of the same posts.",
    )
    if not enabled:
        for other in others:
            st.caption(
                f"{other.label} analysis is off: {other.unavailable()} to compare the offline analyzer "
                "with an LLM."
            )
        return
    name = by_label[choice]
    if name == DEFAULT_ANALYZER:
        return
    analyzer = _with_model(analyzers[name], settings)
    run_key = (key, name, analyzer.model)
    try:
        cost = _estimate(analyzer, posts, run_key)
    except TrendStudioError as exc:
        st.error(str(exc))
        return
    if cost:
        _estimate_metrics(cost)
    if st.button(f"Run {name.capitalize()} analysis", type="primary", icon="🤖"):
        bar = st.progress(0.0, f"Asking {analyzer.label} {analyzer.model or ''}…")
        result = analyzer.analyze(posts, sources=sources, progress=lambda f, msg: bar.progress(f, msg))
        bar.empty()
        save_report(result.report, None, settings)
        st.session_state["trend_llm_report"] = result.report
        st.session_state["trend_llm_fallback"] = result.fallback
        st.session_state["trend_llm_key"] = run_key
        st.session_state.pop(_ESTIMATE, None)  # those chunks are cached now: estimate again
        st.rerun()
    llm = (
        st.session_state.get("trend_llm_report") if st.session_state.get("trend_llm_key") == run_key else None
    )
    if llm is None:
        st.info(
            f"Press **Run {name.capitalize()} analysis** to compare the LLM's reading with the offline "
            "analyzer."
        )
        return
    if st.session_state.get("trend_llm_fallback"):
        st.warning(
            f"{analyzer.label} did not answer, so this is the offline analyzer again: {md(llm.meta.analyzer)}."
        )
    _side_by_side(offline, llm)


_ESTIMATE = "trend_llm_estimate"


def _estimate(analyzer: Analyzer, posts: list[Post], run_key: Any) -> dict[str, Any] | None:
    """The analyzer's cost estimate, computed once per posts window, analyzer and model (not on every
    rerun: it plans and hashes every chunk); dropped after a run, whose answers are cached."""
    held = st.session_state.get(_ESTIMATE)
    if held is not None and held[0] == run_key:
        return held[1]
    cost = analyzer.estimate(posts)
    st.session_state[_ESTIMATE] = (run_key, cost)
    return cost


def _with_model(analyzer: Analyzer, settings: Settings) -> Analyzer:
    """The analyzer with the model picked in a select box of the models its service lists today."""
    models = analyzer.models()
    if len(models) < 2:
        return analyzer
    model = st.columns([2, 3])[0].selectbox(
        "Model",
        models,
        index=models.index(analyzer.model),
        key="trend_llm_model",
        help="Chat models the service lists for your key today; the default comes from "
        "GROQ_MODEL / config/settings.toml.",
    )
    return new_analyzer(analyzer.name, settings, model=model)


def _estimate_metrics(cost: dict[str, Any]) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        "Posts the LLM reads",
        f"{cost['posts']:,}",
        help=f"of {cost['posts_total']:,}; larger sets are "
        "sampled evenly across time (config/llm.toml max_posts)",
    )
    c2.metric(
        "Requests",
        f"{cost['chunks'] - cost['cached_chunks']}",
        help=f"{cost['chunks']} chunks, {cost['cached_chunks']} already cached (free)",
    )
    c3.metric("Input tokens (est.)", f"{cost['input_tokens']:,}")
    price = cost["estimated_cost_usd"]
    c4.metric(
        "Cost (est., at most)",
        "unknown" if price is None else f"${price:.4f}",
        help=f"{cost['model']} list price; every completion counted at its full token budget "
        "(answer + reasoning tokens)",
    )


def _side_by_side(offline: TrendReport, llm: TrendReport) -> None:
    st.markdown(f"**Offline** ({md(offline.meta.analyzer)}) vs **LLM** ({md(llm.meta.analyzer)})")
    scores = agreement(offline, llm)
    cols = st.columns(len(CATEGORIES))
    for col, category in zip(cols, CATEGORIES, strict=True):
        value = scores[category]
        col.metric(
            f"Agreement: {category}",
            "—" if value is None else f"{value:.0%}",
            help="overlap (Jaccard) of the two analyzers' top-10 terms",
        )
    category = st.selectbox("Compare", CATEGORIES, key="trend_compare_category")
    st.dataframe(pd.DataFrame(side_by_side(offline, llm, category)), hide_index=True, width="stretch")
    left, right = st.columns(2)
    with left:
        _scene("Offline scene", offline.scene)
    with right:
        _scene("LLM scene", llm.scene)
        if st.button("Use the LLM scene in Studio", icon="🖼️"):
            send_scene_to_studio(llm.scene.model_dump())
    st.download_button(
        "LLM report JSON",
        llm.model_dump_json(indent=2),
        file_name="trend_report_llm.json",
        mime="application/json",
    )


def _scene(title: str, scene: Scene) -> None:
    show_swatches(scene.colors, size="1.1rem", title=title)
    # Plain text: these strings come from a model that read user posts, so no markdown/HTML.
    st.text(
        f"{scene.environment} · {scene.lighting} · {', '.join(scene.textures) or 'no textures'} · "
        f"{scene.mood or 'no mood'}"
    )
    st.code(scene.prompt or "(no prompt)", language=None, wrap_lines=True)
