"""AppTest of the Groq panel of the Trend Explorer, with GROQ_API_KEY and GROQ_BASE_URL aimed at the fake."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.fakes.groq import TEST_KEY, FakeGroq, error

PANEL = """
import streamlit as st
from core.settings import load_settings
from core.trends.analyzers.offline import analyze
from tests.support.llm import demo_posts
from ui.llm_panel import render_llm_panel

settings = load_settings()
posts = demo_posts(300)
if "offline" not in st.session_state:
    st.session_state["offline"] = analyze(posts, sources=["demo"], settings=settings)
render_llm_panel(posts, st.session_state["offline"], sources=["demo"], settings=settings, key=1)
"""


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _all_text(at: AppTest) -> str:
    parts = [
        str(e.value)
        for kind in ("markdown", "caption", "text", "code", "info", "warning", "error")
        for e in at.get(kind)
    ]
    return "\n".join(parts)


@pytest.fixture()
def fake(monkeypatch, tmp_path):
    from core.trends.analyzers.groq import models

    models.forget()
    with FakeGroq() as server:
        monkeypatch.setenv("GROQ_API_KEY", TEST_KEY)
        monkeypatch.setenv("GROQ_BASE_URL", server.base_url)
        monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
        yield server


def test_without_a_key_groq_is_disabled(monkeypatch, tmp_path, demo_dir):
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    at = AppTest.from_string(PANEL, default_timeout=60).run()
    assert not at.exception
    assert at.radio[0].disabled and at.radio[0].value == "Offline"
    assert "set GROQ_API_KEY" in at.caption[0].value


def test_estimate_then_run_then_side_by_side(fake, demo_dir):
    at = AppTest.from_string(PANEL, default_timeout=60).run()
    assert not at.radio[0].disabled
    at.radio[0].set_value("Groq LLM").run()
    metrics = {m.label: m.value for m in at.metric}
    chunks = int(metrics["Requests"])
    assert metrics["Posts the LLM reads"] == "299"  # the AutoModerator post is dropped
    assert chunks >= 1 and metrics["Cost (est., at most)"].startswith("$")
    assert not fake.requests  # nothing is sent before the user asks
    _button(at, "Run Groq analysis").click().run()
    assert not at.exception
    assert len(fake.requests) == chunks
    llm = at.session_state["trend_llm_report"]
    assert llm.meta.analyzer == "groq:openai/gpt-oss-120b"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Requests"] == "0"  # a rerun would be served from the cache
    assert metrics["Agreement: colors"].endswith("%") and int(metrics["Agreement: colors"][:-1]) > 0
    table = at.dataframe[0].value
    assert list(table.columns[:3]) == ["rank", "offline", "offline share"] and len(table) >= 3
    assert any(m.value.startswith("**LLM scene**") for m in at.markdown)
    assert not at.warning and TEST_KEY not in _all_text(at)


def test_the_model_select_box_offers_groqs_listed_chat_models(fake, demo_dir):
    at = AppTest.from_string(PANEL, default_timeout=60).run()
    at.radio[0].set_value("Groq LLM").run()
    box = next(s for s in at.selectbox if s.label == "Model")
    assert box.value == "openai/gpt-oss-120b"  # the configured default
    assert {"openai/gpt-oss-20b", "qwen/qwen3.6-27b"} <= set(box.options)
    assert not [m for m in box.options if "whisper" in m] and "llama-3.3-70b-versatile" not in box.options
    box.set_value("openai/gpt-oss-20b").run()
    _button(at, "Run Groq analysis").click().run()
    assert not at.exception and fake.requests
    assert {r.body["model"] for r in fake.requests} == {"openai/gpt-oss-20b"}
    assert at.session_state["trend_llm_report"].meta.analyzer == "groq:openai/gpt-oss-20b"
    assert fake.model_lists == 1  # listed once, then cached across reruns


def test_groq_failure_is_shown_and_the_offline_report_used(fake, demo_dir):
    fake.default = lambda body: error(401, "Invalid API Key", code="invalid_api_key")
    at = AppTest.from_string(PANEL, default_timeout=60).run()
    at.radio[0].set_value("Groq LLM").run()
    _button(at, "Run Groq analysis").click().run()
    assert not at.exception
    assert "key rejected" in at.warning[0].value and "offline" in at.warning[0].value
    assert TEST_KEY not in _all_text(at)


def test_trend_explorer_page_with_groq_side_by_side(fake, demo_dir):
    """The real page: demo corpus, offline report, then Groq via the analyzer selector."""
    from core import PROJECT_ROOT

    at = AppTest.from_file(str(PROJECT_ROOT / "Home.py"), default_timeout=90).run()
    at = at.switch_page("pages/1_Trend_Explorer.py").run()
    _button(at, "Load posts").click().run()
    assert not at.exception
    selector = next(r for r in at.radio if r.label == "Analyzer")
    assert selector.value == "Offline" and not selector.disabled
    assert "Run Groq analysis" not in [b.label for b in at.button]
    selector.set_value("Groq LLM").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Posts the LLM reads"] == "600" and int(metrics["Requests"]) == 12
    _button(at, "Run Groq analysis").click().run()
    assert not at.exception and len(fake.requests) == 12
    assert at.session_state["trend_llm_report"].meta.analyzer == "groq:openai/gpt-oss-120b"
    assert at.session_state["trend_report"].meta.analyzer == "offline"
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Agreement: colors"].rstrip("%")) >= 20  # both find the planted colours
    assert any(m.value.startswith("**LLM scene**") for m in at.markdown)
    assert "LLM report JSON" in [d.label for d in at.get("download_button")]
    assert TEST_KEY not in _all_text(at)


def test_the_cost_estimate_is_not_recomputed_on_every_rerun(fake, demo_dir, monkeypatch):
    from core.trends.analyzers.groq import analyzer as groq_analyzer

    calls = []
    real = groq_analyzer.estimate
    monkeypatch.setattr(groq_analyzer, "estimate", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = AppTest.from_string(PANEL, default_timeout=60).run()
    at.radio[0].set_value("Groq LLM").run()
    at.run()
    at.run()
    assert len(calls) == 1
    _button(at, "Run Groq analysis").click().run()
    assert len(calls) == 2  # after a run its chunks are cached: estimated once more
    assert {m.label: m.value for m in at.metric}["Requests"] == "0"
