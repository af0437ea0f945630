"""FLUX through the Studio pipeline and the CLI: the product's own pixels survive exactly."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.cli import main
from core.imaging.backgrounds.flux.backend import FluxBackground
from core.imaging.backgrounds.flux.client import FluxClient
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.pipeline import enhance
from core.settings import load_settings
from tests.fakes.bfl import KEY, FakeBFL, Reply


@pytest.fixture()
def fake() -> Iterator[FakeBFL]:
    with FakeBFL(color=(20, 90, 200)) as server:
        yield server


def product_photo(path: Path | None = None, size=(160, 120)) -> Image.Image:
    """A textured product with its own transparency (so no cut-out model is needed)."""
    rng = np.random.default_rng(1)
    rgba = np.zeros((size[1], size[0], 4), np.uint8)
    rgba[..., :3] = rng.integers(0, 256, (size[1], size[0], 3))
    yy, xx = np.mgrid[: size[1], : size[0]]
    inside = ((xx - 80) / 40.0) ** 2 + ((yy - 60) / 35.0) ** 2 <= 1
    rgba[..., 3] = np.where(inside, 255, 0)
    img = Image.fromarray(rgba, "RGBA")
    if path is not None:
        img.save(path)
    return img


def test_enhance_with_flux_keeps_product_pixels_exact(fake: FakeBFL, tmp_path: Path) -> None:
    photo = product_photo()
    client = FluxClient(KEY, fake.url, poll_interval=0.01, deadline=5)
    fn = FluxBackground(client, load_settings(env={}).section("photography"), cache_dir=tmp_path)
    options = EnhanceOptions(preset="original", style="studio", shadow=True)
    result = enhance(photo, options, background=fn)

    out = np.asarray(result.image)
    src = np.asarray(photo)
    solid = result.mask == 255
    assert solid.sum() > 3000
    assert np.array_equal(out[solid], src[..., :3][solid])  # under the mask: the original pixels, unchanged
    assert tuple(out[2, 2]) == fake.color  # the corner is FLUX's scenery (far from the shadow)
    body = fake.seen("POST")[0].body
    assert "warm neutral backdrop" in body["prompt"]  # no trend report: the Studio's default scene
    assert fn.outcomes[0].cost == 4.5


def test_cli_backend_flux(
    fake: FakeBFL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = [tmp_path / "a.png", tmp_path / "b.png"]
    product_photo(inputs[0])
    product_photo().rotate(180).save(inputs[1])
    out = tmp_path / "out"
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("BFL_API_URL", fake.url)

    assert main(["enhance", *map(str, inputs), "--out", str(out), "--backend", "flux"]) == 1
    assert "BFL_API_KEY" in capsys.readouterr().err  # no key: a clear one-line error, nothing made
    assert not out.exists()

    monkeypatch.setenv("BFL_API_KEY", KEY)
    argv = ["enhance", *map(str, inputs), "--out", str(out), "--backend", "flux", "--preset", "original"]
    assert main([*argv, "--workers", "2"]) == 0  # worker processes: costs come back through the ledger
    captured = capsys.readouterr()
    assert "FLUX: 2 background(s), 0 from the cache, cost 9 credits" in captured.out
    assert KEY not in captured.out + captured.err
    rows = list(csv.DictReader((out / "report.csv").open()))
    assert [r["status"] for r in rows] == ["done", "done"]
    assert Image.open(out / "a.png").getpixel((2, 2))[:3] == fake.color

    assert main([*argv, "--workers", "1", "--force"]) == 0  # same jobs again: nothing paid twice
    captured = capsys.readouterr()
    assert "FLUX: 2 background(s), 2 from the cache, cost 0 credits" in captured.out
    assert "flux    FLUX background reused from the cache" in captured.err
    assert len(fake.seen("POST")) == 2

    assert (
        main(
            [
                "enhance",
                str(inputs[0]),
                "--out",
                str(tmp_path / "amz"),
                "--backend",
                "flux",
                "--preset",
                "amazon",
                "--workers",
                "1",
            ]
        )
        == 0
    )
    assert "amazon preset needs a pure white background; FLUX is not used" in capsys.readouterr().err
    assert len(fake.seen("POST")) == 2

    fake.always = Reply(401)
    product_photo().rotate(90, expand=True).save(tmp_path / "c.png")  # a new image: not in the cache
    assert (
        main(["enhance", str(tmp_path / "c.png"), "--out", str(out), "--backend", "flux", "--workers", "1"])
        == 1
    )
    err = capsys.readouterr().err
    assert "key rejected" in err and KEY not in err
