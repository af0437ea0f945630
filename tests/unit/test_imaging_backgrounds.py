"""Procedural backgrounds: every style, deterministic by seed, any size, palette-driven."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from PIL import Image

from core.imaging.backgrounds import new_background
from core.imaging.backgrounds.base import BackgroundJob
from core.imaging.backgrounds.paint import Light
from core.imaging.backgrounds.procedural import STYLES, render_background
from core.imaging.errors import ImagingError, UnknownStyleError

REQUIRED = {
    "studio",
    "white",
    "gradient",
    "marble",
    "linen",
    "concrete",
    "terrazzo",
    "wood",
    "bokeh",
    "window-light",
    "podium",
}


def test_all_required_styles_exist():
    assert set(STYLES) >= REQUIRED


@pytest.mark.parametrize("style", STYLES)
def test_style_is_deterministic_and_sized(style):
    a = render_background(style, (321, 203), seed=7, palette=["#aa3355", "#f0e0d0", "#223344"])
    b = render_background(style, (321, 203), seed=7, palette=["#aa3355", "#f0e0d0", "#223344"])
    assert a.size == (321, 203) and a.mode == "RGB"
    assert np.array_equal(np.asarray(a), np.asarray(b))


@pytest.mark.parametrize("style", ["marble", "terrazzo", "concrete", "bokeh", "linen", "wood"])
def test_textured_styles_change_with_seed(style):
    a = np.asarray(render_background(style, (200, 200), seed=1))
    b = np.asarray(render_background(style, (200, 200), seed=2))
    assert not np.array_equal(a, b)


def test_white_is_pure_white():
    assert (np.asarray(render_background("white", (64, 48))) == 255).all()


def test_palette_drives_the_colour():
    warm = np.asarray(render_background("gradient", (100, 100), palette=["#ff8040", "#c04010"])).mean((0, 1))
    cool = np.asarray(render_background("gradient", (100, 100), palette=["#4080ff", "#1040c0"])).mean((0, 1))
    assert warm[0] > warm[2] and cool[2] > cool[0]


def test_large_canvas_is_rendered_and_resized():
    im = render_background("marble", (4000, 3000), seed=0)
    assert im.size == (4000, 3000)


def test_light_direction_moves_the_window_light():
    left = np.asarray(render_background("window-light", (400, 300), light=Light(angle=150))).astype(float)
    right = np.asarray(render_background("window-light", (400, 300), light=Light(angle=30))).astype(float)
    assert not np.allclose(left, right)


def test_unknown_style_lists_the_choices():
    with pytest.raises(UnknownStyleError, match="marble"):
        render_background("plaid", (10, 10))


def test_new_background_makes_each_backend_and_refuses_unknown_names():
    job = BackgroundJob(
        size=(64, 48),
        scene={},
        style="marble",
        palette=["#204080", "#e0e0e0"],
        seed=3,
        light=Light(),
        product_box=(16, 12, 48, 36),
        layer=lambda: Image.new("RGBA", (64, 48)),
    )
    procedural = new_background("procedural")
    made = procedural.render(job)
    assert made.size == (64, 48) and procedural.signature is None and procedural.ledger is None
    same = render_background(
        "marble", (64, 48), palette=job.palette, seed=3, light=Light(), product_box=job.product_box
    )
    assert np.array_equal(np.asarray(made), np.asarray(same))  # the procedural styles, unchanged
    assert pickle.loads(pickle.dumps(procedural)).render(job).tobytes() == made.tobytes()  # ships to workers
    with pytest.raises(ImagingError, match="procedural, flux"):
        new_background("sdxl")


def test_gallery_renders_every_style_in_each_scene_with_products_and_both_lights(demo_dir, tmp_path):
    from PIL import Image

    from core.imaging.gallery import render_gallery

    paths = render_gallery(
        tmp_path,
        demo_dir,
        size=160,
        thumb=40,
        styles=("marble", "podium"),
        products=("shoes",),
        scenes=("tabletop", "sweep"),
    )
    names = sorted(p.name for p in paths)
    assert names == sorted(
        [
            f"{scene}_{style}_shoes_{light}.jpg"
            for scene in ("tabletop", "sweep")
            for style in ("marble", "podium")
            for light in ("left", "right")
        ]
        + ["sheet_tabletop.png", "sheet_sweep.png", "sheet.png"]
    )
    assert Image.open(tmp_path / "sheet.png").size == (110 + 2 * 40, 2 * 40)  # a row per style
    left = np.asarray(Image.open(tmp_path / "sweep_podium_shoes_left.jpg")).astype(int)
    right = np.asarray(Image.open(tmp_path / "sweep_podium_shoes_right.jpg")).astype(int)
    assert np.abs(left - right).mean() > 1  # the light direction changes shading and shadows


def test_linen_reads_as_cloth_not_a_printed_grid():
    """At a product photo's scale a linen's threads are under a millimetre: its over-under weave must
    not dominate the fine detail (a strong one read to blind raters as a grid of crosses, 'busy')."""
    grey = render_background("linen", (720, 720), seed=0).convert("L")
    g = np.asarray(grey, np.float32) - np.asarray(grey, np.float32).mean()
    power = np.abs(np.fft.fft2(g)) ** 2
    f = np.fft.fftfreq(720)
    fine = np.hypot(*np.meshgrid(f, f, indexing="ij")) > 1 / 12  # detail finer than 12 px
    assert (
        power[fine].max() / power[fine].sum() < 0.08
    )  # the weave's one frequency: 0.11 when it read as a grid
    assert g.std() > 2.0  # still a cloth, not a flat colour
