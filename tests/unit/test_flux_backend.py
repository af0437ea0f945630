"""FLUX as a Studio background: prompt, payload from the product layer, disk cache, restyle, settings."""

from __future__ import annotations

import base64
import concurrent.futures as cf
import io
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.errors import ConfigError
from core.imaging.backgrounds import new_background
from core.imaging.backgrounds.flux.backend import (
    FluxBackground,
    repaint_mask,
)
from core.imaging.backgrounds.flux.client import FluxClient
from core.imaging.backgrounds.flux.errors import FluxKeyMissing
from core.imaging.backgrounds.flux.prompt import build_prompt
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.pipeline import enhance
from core.settings import load_settings
from core.spend import SpendLedger
from core.trends.report import DEFAULT_SCENE
from tests.fakes.bfl import KEY, FakeBFL

SCENE = DEFAULT_SCENE.model_dump()


@pytest.fixture()
def fake() -> Iterator[FakeBFL]:
    with FakeBFL() as server:
        yield server


@pytest.fixture()
def photography() -> dict:
    return load_settings(env={}).section("photography")


def product_layer(size=(96, 64)) -> Image.Image:
    """A product: an opaque textured block with a one-pixel soft edge, transparent elsewhere."""
    rng = np.random.default_rng(5)
    rgba = np.zeros((size[1], size[0], 4), np.uint8)
    rgba[16:48, 24:72, :3] = rng.integers(0, 256, (32, 48, 3))
    rgba[16:48, 24:72, 3] = 255
    rgba[15, 24:72, :3], rgba[15, 24:72, 3] = (250, 10, 10), 128
    return Image.fromarray(rgba, "RGBA")


def backend(fake: FakeBFL, photography: dict, tmp_path: Path, **kw) -> FluxBackground:
    client = FluxClient(KEY, fake.url, poll_interval=0.01, backoff=0.01, deadline=5)
    return FluxBackground(client, photography, cache_dir=tmp_path / "flux", **kw)


def decoded(text: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(text, validate=True))))


def test_prompt_joins_scene_and_photography(photography: dict) -> None:
    prompt = build_prompt(SCENE, photography)
    assert prompt.startswith("a clean studio product photo on a warm neutral backdrop, soft window light.")
    for part in (
        "surfaces and textures: linen",
        "colour palette: warm white, beige, taupe",
        "lighting: soft window light",
        "mood: calm, natural",
        "shot on a full-frame mirrorless camera",
        "85 mm prime lens",
        "f/5.6",
        "softbox",
        "no text",
    ):
        assert part in prompt
    bare = build_prompt({"environment": "rooftop", "colors": ["#c8643b", "not-a-colour"]}, photography)
    assert bare.startswith("a product photo in a rooftop setting") and "colour palette: terracotta" in bare
    assert build_prompt(None, {}) == "a product photo in a studio setting."


def test_background_from_the_product_layer(fake: FakeBFL, photography: dict, tmp_path: Path) -> None:
    layer = product_layer()
    fn = backend(fake, photography, tmp_path, seed=11, steps=20, guidance=30)
    out = fn(layer, SCENE)
    assert out.mode == "RGB" and out.size == layer.size
    assert out.getpixel((0, 0)) == fake.color

    body = fake.seen("POST")[0].body
    sent, mask = decoded(body["image"]), decoded(body["mask"])
    alpha = np.asarray(layer)[..., 3]
    assert sent.shape[:2] == mask.shape == alpha.shape
    assert np.array_equal(mask == 255, alpha < 255)  # white = repaint everything that is not solid product
    assert np.array_equal(sent[alpha == 255], np.asarray(layer)[..., :3][alpha == 255])
    assert tuple(sent[0, 0]) == (0xF4, 0xEF, 0xE6)  # neutral fill hinted with the scene's first colour
    assert body["prompt"] == fn.prompt_for(SCENE) and "linen" in body["prompt"]
    assert (body["seed"], body["steps"], body["guidance"]) == (11, 20, 30.0)
    assert fn.outcomes[0].cost == 4.5 and not fn.outcomes[0].cached


def test_cache_hits_do_not_pay_twice(fake: FakeBFL, photography: dict, tmp_path: Path) -> None:
    layer = product_layer()
    first = backend(fake, photography, tmp_path)(layer, SCENE)
    again = backend(fake, photography, tmp_path)  # a fresh backend: the cache is on disk
    second = again(layer, SCENE)
    assert len(fake.seen("POST")) == 1
    assert np.array_equal(np.asarray(first), np.asarray(second))
    assert again.outcomes[0].cached and again.total_cost == 0.0
    assert len(list((tmp_path / "flux").glob("*.png"))) == 1
    assert KEY not in "".join(p.read_text() for p in (tmp_path / "flux").glob("*.json"))

    backend(fake, photography, tmp_path, seed=1)(layer, SCENE)  # another seed
    backend(fake, photography, tmp_path, prompt="on wet concrete")(layer, SCENE)  # another prompt
    backend(fake, photography, tmp_path, steps=30)(layer, SCENE)  # another parameter
    changed = product_layer()
    changed.putpixel((30, 30), (0, 0, 0, 255))
    backend(fake, photography, tmp_path)(changed, SCENE)  # another image
    assert len(fake.seen("POST")) == 5


def test_large_layers_are_sent_smaller_and_returned_full_size(
    fake: FakeBFL, photography: dict, tmp_path: Path
) -> None:
    fn = backend(fake, photography, tmp_path)
    fn.max_side = 48
    out = fn(product_layer((200, 100)), SCENE)
    body = fake.seen("POST")[0].body
    assert decoded(body["image"]).shape[:2] == decoded(body["mask"]).shape == (24, 48)
    assert out.size == (200, 100)


def test_restyle_mode_uses_kontext(fake: FakeBFL, photography: dict, tmp_path: Path) -> None:
    fn = backend(fake, photography, tmp_path, mode="restyle", prompt="a terracotta plinth")
    out = fn(product_layer(), SCENE)
    post = fake.seen("POST")[0]
    assert post.path == "/v1/flux-kontext-pro" and "mask" not in post.body
    assert post.body["prompt"].startswith("Keep the product exactly as it is")
    assert post.body["prompt"].endswith("a terracotta plinth") and post.body["aspect_ratio"] == "3:2"
    assert out.size == (96, 64)
    with pytest.raises(ValueError, match="mode"):
        backend(fake, photography, tmp_path, mode="paint")


def test_the_pipeline_keeps_product_pixels_exact(fake: FakeBFL, photography: dict, tmp_path: Path) -> None:
    layer = product_layer()  # its own alpha is the mask; no shadow or edge wrap, so the rest is FLUX's
    options = EnhanceOptions(preset="original", shadow=False, refine_edges=False, harmonize=False)
    out = enhance(layer, options, background=backend(fake, photography, tmp_path)).image
    arr, src = np.asarray(out), np.asarray(layer)
    solid = src[..., 3] == 255
    assert np.array_equal(arr[solid], src[..., :3][solid])
    assert np.all(arr[src[..., 3] == 0] == fake.color)
    assert tuple(arr[15, 30]) != (250, 10, 10)  # the soft edge blends with the background


def test_new_background_flux_from_settings(fake: FakeBFL, tmp_path: Path) -> None:
    with pytest.raises(FluxKeyMissing, match="BFL_API_KEY"):
        new_background("flux", load_settings(env={"TRENDSTUDIO_DATA": str(tmp_path)}))
    settings = load_settings(
        env={"BFL_API_KEY": KEY, "BFL_API_URL": fake.url, "TRENDSTUDIO_DATA": str(tmp_path)}
    )
    seen: list[str] = []
    fn = new_background("flux", settings, seed=3, progress=lambda _f, m: seen.append(m))
    assert fn(product_layer(), SCENE).size == (96, 64)
    assert fn.params["steps"] == 50 and fn.params["guidance"] == 60.0  # from config/photography.toml
    assert list((settings.cache_dir / "flux").glob("*.png"))
    assert seen[0].startswith("Submitting") and seen[-1] == "FLUX image ready"


def test_layer_must_be_rgba(fake: FakeBFL, photography: dict, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="RGBA"):
        backend(fake, photography, tmp_path)(Image.new("RGB", (8, 8)), SCENE)
    assert repaint_mask(Image.new("RGBA", (4, 4), (0, 0, 0, 255))).getextrema() == (0, 0)


def _call(fn: FluxBackground, layer: Image.Image) -> tuple[int, int]:
    return fn(layer, SCENE).size


def test_backend_crosses_process_boundaries_and_ledgers_costs(
    fake: FakeBFL, photography: dict, tmp_path: Path
) -> None:
    spend = SpendLedger(tmp_path / "spend.sqlite3", {"bfl": 1.0}, prices={"bfl": {"flux-pro-1.0-fill": 0.05}})
    fn = backend(fake, photography, tmp_path, ledger=spend, run="batch-1", progress=lambda f, m: None)
    ctx = multiprocessing.get_context("spawn")  # how the batch runner ships work to its pool
    with cf.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        assert pool.submit(_call, fn, product_layer()).result(timeout=60) == (96, 64)
    assert fn(product_layer(), SCENE).size == (96, 64)  # same job in this process: a cache hit
    outcomes = fn.ledger_outcomes()
    assert [o.cached for o in outcomes] == [False, True]
    assert sum(o.cost or 0 for o in outcomes) == 4.5 and len(fake.seen("POST")) == 1
    today = spend.today("bfl")  # 4.5 credits reported by BFL = $0.045 settled, nothing left reserved
    assert today.spent_usd == pytest.approx(0.045) and today.reserved_usd == 0
    other = backend(fake, photography, tmp_path, ledger=spend, run="batch-2")
    assert other.ledger_outcomes() == []


def test_bad_flux_settings_fail_before_any_call(fake: FakeBFL, photography: dict, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"steps 70 \(15-50\), guidance 0.5 \(1.5-100\)"):
        backend(fake, photography, tmp_path, steps=70, guidance=0.5)
    broken = {**photography, "flux": {**photography["flux"], "safety_tolerance": "lax"}}
    with pytest.raises(ConfigError, match="non-numeric"):
        backend(fake, broken, tmp_path)
    assert not fake.requests


def test_cache_hit_names_the_original_task(fake: FakeBFL, photography: dict, tmp_path: Path) -> None:
    first = backend(fake, photography, tmp_path)
    first(product_layer(), SCENE)
    again = backend(fake, photography, tmp_path)
    again(product_layer(), SCENE)
    assert again.outcomes[0].cached and again.outcomes[0].task_id == first.outcomes[0].task_id
