"""A gallery of every procedural style in each scene geometry × three demo products × two light
directions, to look at the surfaces, shadows and edges the pipeline produces, with one contact sheet
per scene (rows: styles) and `sheet.png` with each style in its own default scene."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from core.demo import ensure_demo_data
from core.imaging import export, masking
from core.imaging.backgrounds.procedural import STYLES
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.io import load_image, save_atomic
from core.imaging.pipeline import enhance
from core.imaging.staging.choice import SCENES, default_scene_for

PRODUCTS = ("shoes", "dress", "jeans")
LIGHTS = {"left": 150.0, "right": 30.0}
PALETTE = ["#f4efe6", "#d9cbb8", "#8c7b6b"]


def render_gallery(
    out_dir: Path,
    demo_dir: Path,
    *,
    size: int = 720,
    thumb: int = 200,
    styles: tuple[str, ...] = STYLES,
    products: tuple[str, ...] = PRODUCTS,
    scenes: tuple[str, ...] = SCENES,
) -> list[Path]:
    """Write `<scene>_<style>_<product>_<light>.jpg` for every combination, `sheet_<scene>.png` per
    scene and `sheet.png` (each style in its default scene); the sheets are the last paths."""
    out_dir = Path(out_dir)
    images = ensure_demo_data(Path(demo_dir)) / "images"
    loaded = {p: load_image(images / f"{p}.jpg") for p in products}
    masks = {p: masking.compute_mask(im).mask for p, im in loaded.items()}  # once, as the Studio does
    paths: list[Path] = []
    rows: dict[str, list[list[Image.Image]]] = {scene: [] for scene in scenes}
    defaults: list[list[Image.Image]] = []
    for style in styles:
        for scene in scenes:
            row: list[Image.Image] = []
            for product in products:
                for light, angle in LIGHTS.items():
                    options = EnhanceOptions(
                        style=style,
                        scene=scene,
                        preset="original",
                        palette=PALETTE,
                        light_angle=angle,
                        light_softness=0.5,
                        fill_ratio=0.72,
                    )
                    image = enhance(loaded[product], options, mask=masks[product]).image
                    image = image.resize((size, size), Image.Resampling.LANCZOS)
                    data, _ = export.encode(image, "jpeg", 88)
                    paths.append(save_atomic(out_dir / f"{scene}_{style}_{product}_{light}.jpg", data))
                    row.append(image.resize((thumb, thumb), Image.Resampling.LANCZOS))
            rows[scene].append(row)
            if scene == default_scene_for(style):
                defaults.append(row)
    for scene in scenes:
        paths.append(_sheet(rows[scene], styles, out_dir / f"sheet_{scene}.png", thumb))
    if len(defaults) == len(styles):
        paths.append(_sheet(defaults, styles, out_dir / "sheet.png", thumb))
    return paths


def _sheet(rows: list[list[Image.Image]], labels: tuple[str, ...], path: Path, thumb: int) -> Path:
    label_w = 110
    cols = max(len(r) for r in rows)
    sheet = Image.new("RGB", (label_w + cols * thumb, len(rows) * thumb), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for i, (row, label) in enumerate(zip(rows, labels, strict=True)):
        draw.text((8, i * thumb + thumb // 2 - 6), label, fill=(40, 40, 40))
        for j, im in enumerate(row):
            sheet.paste(im, (label_w + j * thumb, i * thumb))
    return save_atomic(path, export.encode(sheet, "png")[0])
