"""The shared FLUX widgets in a tiny app: selector gating, pre-filled prompt, cost, errors, no key leaks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from tests.fakes.bfl import KEY, FakeBFL, Reply
from ui.safe_text import md


def _app() -> None:
    import streamlit as st
    from PIL import Image

    from core.errors import TrendStudioError
    from core.settings import load_settings
    from core.trends.report import DEFAULT_SCENE
    from ui.flux_controls import flux_background_fn, show_flux_cost, show_flux_error

    settings = load_settings()
    fn = flux_background_fn(settings, DEFAULT_SCENE.model_dump(), key="t")
    st.write(f"backend: {'procedural' if fn.name == 'procedural' else fn.mode}")
    if fn.name == "flux":
        layer = Image.new("RGBA", (40, 30), (0, 0, 0, 0))
        layer.paste((200, 30, 30, 255), (10, 10, 30, 20))
        try:
            out = fn(layer, DEFAULT_SCENE.model_dump())
            st.write(f"background: {out.size}")
        except TrendStudioError as exc:
            show_flux_error(exc)
        show_flux_cost(fn)


@pytest.fixture()
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[FakeBFL]:
    with FakeBFL() as server:
        monkeypatch.setenv("BFL_API_KEY", KEY)
        monkeypatch.setenv("BFL_API_URL", server.url)
        monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
        yield server


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.error, *at.warning, *at.text_area, *at.sidebar.markdown]
    return " ".join(str(getattr(p, "value", "")) for p in parts)


def test_without_a_key_flux_is_disabled() -> None:
    at = AppTest.from_function(_app, default_timeout=30).run()
    assert not at.exception
    assert at.radio[0].disabled and at.radio[0].value == "Procedural"
    assert "BFL_API_KEY" in _texts(at) and "backend: procedural" in _texts(at)


def test_flux_run_shows_prompt_cost_and_hides_the_key(fake: FakeBFL) -> None:
    at = AppTest.from_function(_app, default_timeout=30).run()
    assert not at.radio[0].disabled
    at.radio[0].set_value("FLUX (Black Forest Labs)").run()
    prompt = at.text_area[0].value
    assert "warm neutral backdrop" in prompt and "85 mm prime lens" in prompt
    # the prompt's help says where the scene came from (here: nothing from posts yet), escaped as
    # Markdown (its reasons can quote posts and the LLM)
    assert at.text_area[0].help == md("Every scene field is the house default (no trend report yet).")
    at.text_area[0].set_value("on a terracotta plinth, late afternoon sun").run()
    assert "backend: procedural" in _texts(at) and not fake.requests  # nothing billed before the button
    assert any("Generate with FLUX" in i.value for i in at.info)
    at.button[0].click().run()
    assert not at.exception
    assert "backend: fill" in _texts(at) and "background: (40, 30)" in _texts(at)
    assert "4.5 credits" in _texts(at) and "0 from the cache" in _texts(at)
    assert fake.seen("POST")[0].body["prompt"] == "on a terracotta plinth, late afternoon sun"
    at.run()  # a rerun (any widget change) with the same job: served from the cache, free
    assert len(fake.seen("POST")) == 1 and "2 background(s), 1 from the cache" in _texts(at)
    at.text_area[0].set_value("on wet concrete").run()  # a new prompt must be confirmed again
    assert "backend: procedural" in _texts(at) and len(fake.seen("POST")) == 1
    assert KEY not in _texts(at)


@pytest.mark.parametrize(
    ("script", "where", "text"),
    [
        ("Content Moderated", "warning", "FLUX moderation"),
        ("Error", "error", "failed on BFL's side"),
    ],
)
def test_flux_failures_are_shown_plainly(fake: FakeBFL, script: str, where: str, text: str) -> None:
    fake.poll.append(script)
    at = AppTest.from_function(_app, default_timeout=30).run()
    at.radio[0].set_value("FLUX (Black Forest Labs)").run()
    at.button[0].click().run()
    assert not at.exception
    assert any(text in e.value for e in getattr(at, where))


def test_rejected_key_is_an_error_without_the_key(fake: FakeBFL) -> None:
    fake.always = Reply(401, {"detail": "Not authenticated"})
    at = AppTest.from_function(_app, default_timeout=30).run()
    at.radio[0].set_value("FLUX (Black Forest Labs)").run()
    at.button[0].click().run()
    assert any("key rejected" in e.value for e in at.error)
    assert KEY not in _texts(at)
