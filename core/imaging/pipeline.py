"""One photo in, one marketplace-ready image out: load → mask → place in the scene (the camera stands
the base on its floor; cut sides flush) → draw the scene → its shadows → composite → QA → export. `enhance` is the library call; `enhance_file` is the never-raising batch unit."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

from core.errors import TrendStudioError
from core.imaging import compose, edges, export, masking, presets, qa
from core.imaging.backgrounds import new_background
from core.imaging.backgrounds.base import Background, BackgroundJob
from core.imaging.backgrounds.procedural import GLOSSY_STYLES, ProceduralBackground
from core.imaging.enhance_options import EnhanceOptions, EnhanceResult
from core.imaging.errors import ImagingError
from core.imaging.io import ImageSource, LoadedImage, load_image, save_atomic
from core.imaging.scene import palette_from_scene
from core.imaging.staging import harmony, placement, shadows
from core.imaging.staging.base import find_base
from core.imaging.staging.camera import KeyLight, Stage, build_stage
from core.imaging.staging.choice import choose_scene
from core.imaging.staging.flatlay import looks_flat_lay
from core.imaging.staging.hanging import floor_box, is_hanging
from core.imaging.staging.photo_light import key_light
from core.imaging.staging.render import render_stage
from core.imaging.staging.viewpoint import look_down

PROCEDURAL = new_background("procedural")
"""The default backend: offline procedural styles (pure-white presets always use it)."""


REPORT_FIELDS: list[str] = [
    "file",
    "status",
    "error",
    "seconds",
    "output",
    "mask_source",
    "width",
    "height",
    "sharpness",
    "clipped_dark",
    "clipped_bright",
    "mask_coverage",
    "touches_border",
    "fill_ratio",
    "upscale",
    "background",
    "compliant",
    "compliance_issues",
    "quality",
    "quality_issues",
    "warnings",
]


def enhance(
    image: ImageSource | LoadedImage,
    options: EnhanceOptions,
    *,
    mask: Any = None,
    scene: dict | None = None,
    background: Background = PROCEDURAL,
    add: np.ndarray | None = None,
    remove: np.ndarray | None = None,
) -> EnhanceResult:
    """Cut out, restage and export one photo. `mask` (array or image) replaces the automatic mask;
    `add`/`remove` are brush strokes (boolean arrays of any size) merged into it; `background` is a
    backend from `new_background`."""
    preset = options.export_preset
    timings: dict[str, float] = {}
    t0 = t = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal t
        now = time.perf_counter()
        timings[stage] = now - t
        t = now

    loaded = (
        image if isinstance(image, LoadedImage) else load_image(image)
    )  # the Studio passes its decoded photo
    lap("load")
    mres = masking.compute_mask(
        loaded,
        mask=mask,
        use_alpha=options.use_alpha,
        refine_edges=options.refine_edges,
        grabcut=options.grabcut,
        feather_px=options.feather,
        matting=options.alpha_matting,
        add=add,
        remove=remove,
    )
    rgb = _product_colours(loaded, mres)

    work = masking.working_copy(loaded.array, qa.QA_SIDE)
    work_mask = cv2.resize(mres.mask, (work.shape[1], work.shape[0]), interpolation=cv2.INTER_AREA)
    cut = presets.cut_by_frame(work_mask)
    sharpness = qa.sharpness(work, work_mask)
    lap("mask")

    light, light_note = key_light(options.light_angle, options.light_softness, scene, work, work_mask)
    style = preset.style_for(options.style)
    kind = choose_scene(options.scene, scene, style, lambda: looks_flat_lay(work, work_mask))
    canvas = preset.size or loaded.size
    fill = options.fill_ratio if options.fill_ratio is not None else preset.fill_ratio
    hangs = kind != "flat-lay" and is_hanging(work_mask)  # a bell on its chain stands on no podium
    layout = "podium" if style == "podium" and kind != "flat-lay" and not hangs else kind
    look = look_down(work_mask) if kind != "flat-lay" and not hangs else None
    where = placement.plan(
        mres.mask,
        canvas,
        fill_ratio=fill,
        cut=cut,
        scene=layout,
        placement=options.placement,
        light=light,
        rgb=rgb,
        pure_white=preset.pure_white,
        look=look,
    )
    layer = compose.place(rgb, mres.mask, where)
    stage = _stage_for(
        kind,
        canvas,
        where.target_box,
        layer.alpha,
        podium=layout == "podium",
        cut=cut,
        hangs=hangs,
        look=look,
    )
    notes = list(loaded.notes) + mres.notes + ([light_note] if light_note else [])
    lap("place")

    if preset.pure_white:
        if options.style != style or not isinstance(background, ProceduralBackground):
            notes.append(f"{preset.style_note}")
        background = PROCEDURAL
    palette = options.palette or palette_from_scene(scene)
    if isinstance(background, ProceduralBackground):  # the procedural styles are materials in the scene
        focus = harmony.focus_sigma(where.scale, sharpness)
        backdrop = render_stage(
            style, stage, palette=palette, seed=options.seed, light=light, focus_sigma=focus
        )
    else:
        job = BackgroundJob(
            size=canvas,
            scene=scene or {},
            style=style,
            seed=options.seed,
            light=light,
            palette=palette,
            product_box=where.target_box,
            layer=lambda: Image.fromarray(layer.rgba(), "RGBA"),
        )
        backdrop = _render(background, job)
    lap("background")

    key = KeyLight.from_light(light)
    shadow = None
    if options.shadow and not preset.pure_white:
        shadow = shadows.shadow_map(layer.alpha, stage, key, hanging=hangs)
    if options.reflection and not preset.pure_white:
        if produced_on_glossy(style, background):
            backdrop = backdrop.copy()
            shadows.reflect(backdrop, layer.rgb, layer.alpha)
        else:
            notes.append(f"no floor reflection: the {style} surface is matte, a reflection would look fake")
    if options.harmonize and not preset.pure_white and isinstance(background, ProceduralBackground):
        # a gentle nudge toward the light of the scene we drew (a generated scene's light is unknown)
        layer.rgb = harmony.nudge(layer.rgb, layer.alpha, harmony.surroundings(backdrop, where.target_box))
    out = compose.composite(backdrop, layer, shadow=shadow, wrap=0.25 if options.harmonize else 0.0)
    lap("composite")

    fmt = export.normalise_format(options.output_format or preset.format)
    issues = presets.check_compliance(preset, out, layer.alpha, fmt, expected_size=loaded.size, cut_sides=cut)
    visible = presets.visible_fill(out) if preset.pure_white else None
    figures = dict(upscale=where.scale, compliance=issues, size=canvas, fill=visible, sharp=sharpness)
    report = qa.assess(work, work_mask, layer.alpha, **figures)
    lap("qa")

    produced = style if isinstance(background, ProceduralBackground) else background.name
    result = EnhanceResult(
        image=Image.fromarray(out, "RGB"),
        mask=mres.mask,
        qa=report,
        timings=timings,
        mask_source=mres.source,
        format=fmt,
        background=produced,
        notes=notes,
        _rgb=rgb,
        _layer=layer,
        _quality=options.quality,
    )
    result.encode()
    lap("export")
    timings["total"] = time.perf_counter() - t0
    return result


def _stage_for(
    kind: str, canvas, box, alpha: np.ndarray, *, podium: bool, cut, hangs: bool = False, look: float | None
) -> Stage:
    """The camera for the placed product: its floor (or podium top) meets the lowest opaque pixels,
    not the box's soft-edged bottom, and a podium's top holds the whole base; a hanging product's
    floor is far below it."""
    if hangs:
        return build_stage(kind, canvas, floor_box(box, canvas[1]))
    base = find_base(alpha)
    if base is not None and "bottom" not in cut:
        box = (box[0], box[1], box[2], base.bottom + 1)
    back, line = (base.back, base.line) if base is not None else (None, None)
    bottom = "bottom" in cut
    return build_stage(
        kind, canvas, box, podium=podium, cut_bottom=bottom, back=back, base_line=line, look=look
    )


def produced_on_glossy(style: str, background: Background) -> bool:
    """A reflection is believable only on a glossy floor (a generated background is the user's call)."""
    return not isinstance(background, ProceduralBackground) or style in GLOSSY_STYLES


def _product_colours(loaded: LoadedImage, mres: masking.MaskResult) -> np.ndarray:
    """The photo's colours with the edge band decontaminated; an input's own transparency (used as the
    mask) already has clean colours and is left as it is."""
    rgb = loaded.array
    if loaded.alpha is not None and mres.source in ("alpha", "upload"):
        return rgb
    return edges.decontaminate(rgb, mres.mask)


def _render(background: Background, job: BackgroundJob) -> np.ndarray:
    bg = background.render(job)
    if not isinstance(bg, Image.Image):
        raise ImagingError("the background generator returned no image; try the procedural background")
    if bg.size != job.size:
        bg = bg.resize(job.size, Image.Resampling.LANCZOS)
    return np.asarray(bg if bg.mode == "RGB" else bg.convert("RGB"))


def enhance_file(
    path: Path,
    out_dir: Path,
    options: EnhanceOptions,
    *,
    scene: dict | None = None,
    background: Background = PROCEDURAL,
) -> dict[str, Any]:
    """Enhance one file into `out_dir`; never raises — a bad input gives status 'failed' and the reason."""

    def work(path: Path) -> dict[str, Any]:
        result = enhance(path, options, scene=scene, background=background)
        data, ext = result.encode()
        target = save_atomic(Path(out_dir) / f"{path.stem}.{ext}", data)
        return dict(
            output=str(target),
            mask_source=result.mask_source,
            background=result.background,
            warnings="; ".join(result.qa.warnings),
            **result.qa.figures(),
            **result.qa.verdicts(),
        )

    return _guarded(Path(path), REPORT_FIELDS, work)


def _guarded(path: Path, fields: list[str], work: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """Run `work` on one input and turn any failure into a report row with a readable reason."""
    row: dict[str, Any] = {k: "" for k in fields}
    row.update(file=str(path), status="failed")
    t0 = time.perf_counter()
    try:
        row.update(status="done", **work(path))
    except TrendStudioError as exc:
        row["error"] = str(exc)
    except MemoryError:
        row["error"] = f"{path.name} needs more memory than is available; resize it and try again"
    except Exception as exc:  # one bad input must never stop a batch
        row["error"] = f"unexpected error on {path.name}: {type(exc).__name__}: {exc}"
    row["seconds"] = round(time.perf_counter() - t0, 3)
    return row


def write_report(rows: list[dict[str, Any]], path: Path, fields: list[str] | None = None) -> Path:
    """Write report rows as CSV (atomically) in `fields` order (default REPORT_FIELDS)."""
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=fields or REPORT_FIELDS, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return save_atomic(Path(path), buf.getvalue().encode("utf-8"))


MASK_FIELDS: list[str] = ["file", "status", "error", "seconds", "output", "mask_source", "mask_coverage"]


def cutout_file(path: Path, out_dir: Path, *, use_alpha: bool = True) -> dict[str, Any]:
    """Write `out_dir/<stem>.png`: the product on transparency at the input's size, edge colours
    decontaminated (the same file as the Studio's cut-out download); never raises."""

    def work(path: Path) -> dict[str, Any]:
        loaded = load_image(path)
        mres = masking.compute_mask(loaded, use_alpha=use_alpha)
        rgba = Image.fromarray(np.dstack([_product_colours(loaded, mres), mres.mask]), "RGBA")
        target = save_atomic(Path(out_dir) / f"{path.stem}.png", export.encode(rgba, "png")[0])
        return dict(
            output=str(target),
            mask_source=mres.source,
            mask_coverage=round(float((mres.mask >= 128).mean()), 4),
        )

    return _guarded(Path(path), MASK_FIELDS, work)


def mask_file(path: Path, out_dir: Path, *, use_alpha: bool = True) -> dict[str, Any]:
    """Write `out_dir/<stem>.png` (8-bit single-channel alpha, input size); never raises."""

    def work(path: Path) -> dict[str, Any]:
        mres = masking.compute_mask(load_image(path), use_alpha=use_alpha)
        data, _ = export.encode(Image.fromarray(mres.mask, "L"), "png")
        target = save_atomic(Path(out_dir) / f"{path.stem}.png", data)
        return dict(
            output=str(target),
            mask_source=mres.source,
            mask_coverage=round(float((mres.mask >= 128).mean()), 4),
        )

    return _guarded(Path(path), MASK_FIELDS, work)
