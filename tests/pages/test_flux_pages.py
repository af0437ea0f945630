"""FLUX on the Studio and Batch pages (AppTest), against the fake BFL server over real HTTP."""

from __future__ import annotations

import io
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT
from tests.fakes.bfl import KEY, FakeBFL
from ui.flux_controls import FLUX

STUDIO = str(PROJECT_ROOT / "pages" / "3_Enhancement_Studio.py")
BATCH = str(PROJECT_ROOT / "pages" / "4_Batch_Enhancement.py")


@pytest.fixture()
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[FakeBFL]:
    with FakeBFL(color=(20, 90, 200)) as server:
        monkeypatch.setenv("BFL_API_KEY", KEY)
        monkeypatch.setenv("BFL_API_URL", server.url)
        monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
        yield server


def _photo(turn: int = 0) -> bytes:
    """A product PNG with its own transparency: no cut-out model needed, so the test stays fast."""
    rng = np.random.default_rng(turn)
    rgba = np.zeros((120, 160, 4), np.uint8)
    rgba[..., :3] = rng.integers(0, 256, (120, 160, 3))
    yy, xx = np.mgrid[:120, :160]
    rgba[..., 3] = np.where(((xx - 80) / 40.0) ** 2 + ((yy - 60) / 35.0) ** 2 <= 1, 255, 0)
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").rotate(turn).save(buf, "PNG")
    return buf.getvalue()


def _texts(at: AppTest) -> str:
    parts = [
        *at.markdown,
        *at.caption,
        *at.error,
        *at.warning,
        *at.info,
        *at.success,
        *at.text_area,
        *at.sidebar.markdown,
    ]
    return " ".join(str(getattr(p, "value", "")) for p in parts)


def test_studio_flux_generates_keeps_product_and_reports_cost(fake: FakeBFL) -> None:
    at = AppTest.from_file(STUDIO, default_timeout=120)
    at.session_state["studio_source"] = "Upload"  # skip the demo photo's model cut-out: keeps the test fast
    at.run()
    at.file_uploader(key="studio_upload").set_value(("bag.png", _photo(), "image/png")).run()
    at.selectbox(key="studio_preset").set_value("original").run()
    assert not at.exception and not at.error
    at.radio(key="studio_flux_backend").set_value(FLUX).run()
    assert "warm neutral backdrop" in at.text_area[0].value and "85 mm prime lens" in at.text_area[0].value
    assert not fake.requests  # choosing FLUX alone bills nothing
    at.button(key="studio_flux_go").click().run()
    assert not at.exception and not at.error

    (post,) = fake.seen("POST")
    assert post.path == "/v1/flux-pro-1.0-fill" and post.headers["x-key"] == KEY
    result = at.session_state["studio_result"]
    out, layer = np.asarray(result.image), np.asarray(result.layer)
    solid = layer[..., 3] == 255
    assert solid.sum() > 3000 and np.array_equal(out[solid], layer[..., :3][solid])
    assert np.abs(out[2, 2].astype(int) - (20, 90, 200)).max() <= 3  # FLUX's scenery behind it
    texts = _texts(at)
    assert "Background: FLUX" in texts and "4.5 credits" in texts
    assert KEY not in texts

    # A new seed must be confirmed again; a moderated result is a plain warning and disarms FLUX.
    at.number_input(key="studio_flux_seed").set_value(9).run()
    assert len(fake.seen("POST")) == 1 and "Background: procedural" in _texts(at)
    fake.poll.append("Content Moderated")
    at.button(key="studio_flux_go").click().run()
    assert not at.exception
    assert any("FLUX moderation" in w.value and "another seed" in w.value for w in at.warning)
    assert "studio_flux_armed" not in at.session_state


def test_batch_flux_reports_moderation_per_file_and_cost(fake: FakeBFL) -> None:
    at = AppTest.from_file(BATCH, default_timeout=120).run()
    at.file_uploader(key="batch_files").set_value(
        [(f"p{i}.png", _photo(i * 90), "image/png") for i in range(3)]
    )
    at.selectbox(key="batch_preset").set_value("original")
    at.number_input(key="batch_workers").set_value(1)
    at.radio(key="batch_flux_backend").set_value(FLUX).run()
    assert "billed per image" in _texts(at)
    fake.poll.extend(["Pending", "Ready", "Request Moderated"])  # image 2 of 3 is refused
    at.button(key="batch_go").click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Done"], metrics["Failed"]) == ("2", "1")
    assert any("p1.png" in w.value and "moderation" in w.value for w in at.warning)
    assert "FLUX this batch: 2 background(s), 0 from the cache (free) · cost: 9 credits" in _texts(at)
    assert len(fake.seen("POST")) == 3 and KEY not in _texts(at)


def test_batch_stops_at_the_daily_budget_before_sending(
    fake: FakeBFL, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRENDSTUDIO_BFL_BUDGET_USD", "0.10")  # two fill calls at $0.05
    at = AppTest.from_file(BATCH, default_timeout=120).run()
    at.file_uploader(key="batch_files").set_value(
        [(f"p{i}.png", _photo(i * 90), "image/png") for i in range(3)]
    )
    at.selectbox(key="batch_preset").set_value("original")
    at.number_input(key="batch_workers").set_value(1)
    at.radio(key="batch_flux_backend").set_value(FLUX).run()
    at.button(key="batch_go").click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Done"], metrics["Failed"]) == ("2", "1")
    assert len(fake.seen("POST")) == 2  # the third image was never sent
    assert any(
        "p2.png" in w.value and "budget" in w.value and "nothing was sent" in w.value for w in at.warning
    )
    at.run()  # the sidebar is drawn before the batch runs: the next rerun shows what it spent
    assert "$0.09 spent · $0.01 left of $0.10" in " ".join(c.value for c in at.sidebar.caption)
