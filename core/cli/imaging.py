"""`mask`, `cutout` and `enhance`."""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from core.imaging.staging.choice import SCENES

if TYPE_CHECKING:
    from core.imaging.backgrounds.base import Background
    from core.imaging.backgrounds.flux.backend import FluxOutcome


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "mask",
        help="cut out products: write DIR/<stem>.png alpha masks",
        description="Write an 8-bit single-channel alpha mask per input, same size.",
    )
    _cutout_args(p)
    p.set_defaults(func=_mask)

    p = sub.add_parser(
        "cutout",
        help="cut out products: write DIR/<stem>.png, the product on transparency",
        description="Write an RGBA PNG per input at its size: the product with clean edge colours "
        "(the old background's tint removed) on transparency - the Studio's cut-out download.",
    )
    _cutout_args(p)
    p.set_defaults(func=_cutout)

    p = sub.add_parser(
        "gallery",
        help="render every background style with demo products and light directions",
        description="Write DIR/<style>_<product>_<light>.jpg for every procedural style, three "
        "demo products and two light directions, plus DIR/sheet.png (one row per style).",
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument("--size", type=_positive_int, default=720, help="side of each gallery image (px)")
    p.set_defaults(func=_gallery)

    p = sub.add_parser(
        "enhance",
        help="cut out, restage and export product photos",
        description="One output per input plus DIR/report.csv. Inputs are image files, "
        "folders of images and ZIPs of images (checked for unsafe content). Runs in parallel "
        "and is resumable: a rerun skips inputs whose outputs are complete.",
    )
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE|DIR|ZIP")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument("--style", default="studio")
    p.add_argument("--preset", default="web")
    p.add_argument(
        "--scene",
        choices=list(SCENES),
        help="scene geometry (default: the trend scene's, else flat-lay for a photo of an item lying "
        "flat, else sweep for studio-like styles and a tabletop for textured ones)",
    )
    p.add_argument(
        "--light",
        type=_angle,
        metavar="ANGLE",
        help="where the key light comes from, degrees counter-clockwise from the right "
        "(30 = upper right, 90 = above, 150 = upper left; default: the side the trend scene names, "
        "else the side the product's shadow shows on a plain backdrop, else 135)",
    )
    p.add_argument(
        "--trends",
        type=Path,
        metavar="REPORT.json",
        help="take palette and lighting from this trend report's scene",
    )
    p.add_argument("--backend", choices=["procedural", "flux"], default="procedural")
    p.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="N",
        help="parallel worker processes (default: one per core)",
    )
    p.add_argument("--force", action="store_true", help="redo inputs whose outputs are already complete")
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on an existing Dask cluster (e.g. tcp://scheduler:8786); inputs and --out must "
        "be on storage every worker can read and write",
    )
    p.set_defaults(func=_enhance)


def _angle(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 180.0:
        raise argparse.ArgumentTypeError("must be between 0 and 180 degrees")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _cutout_args(p: argparse.ArgumentParser) -> None:
    """`mask` and `cutout` take the same inputs: images, an output folder, and whether to trust alpha."""
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument(
        "--ignore-alpha",
        action="store_true",
        help="cut out with the model even when an input has its own transparency",
    )


def _mask(args: argparse.Namespace) -> int:
    from core.imaging.pipeline import MASK_FIELDS, mask_file, write_report

    rows = [_echo(mask_file(path, args.out, use_alpha=not args.ignore_alpha)) for path in args.images]
    write_report(rows, args.out / "masks.csv", MASK_FIELDS)
    return _summary(rows, args.out)


def _cutout(args: argparse.Namespace) -> int:
    from core.imaging.pipeline import MASK_FIELDS, cutout_file, write_report

    rows = [_echo(cutout_file(path, args.out, use_alpha=not args.ignore_alpha)) for path in args.images]
    write_report(rows, args.out / "cutouts.csv", MASK_FIELDS)
    return _summary(rows, args.out)


def _gallery(args: argparse.Namespace) -> int:
    from core.imaging.gallery import render_gallery
    from core.settings import load_settings

    paths = render_gallery(args.out, load_settings().demo_dir, size=args.size)
    print(f"{len(paths) - 1} gallery images and {paths[-1]} written")
    return 0


def _enhance(args: argparse.Namespace) -> int:
    from core.imaging.batch import plan_batch, run_batch
    from core.imaging.enhance_options import EnhanceOptions
    from core.imaging.pipeline import PROCEDURAL
    from core.imaging.scene import SceneError, load_scene

    options = EnhanceOptions(  # checks style, preset and scene
        style=args.style, preset=args.preset, scene=args.scene, light_angle=args.light
    )
    preset = options.export_preset
    scene = load_scene(args.trends) if args.trends else None
    if args.trends and scene is None:
        raise SceneError(f"{args.trends} does not exist; run `python -m core trends ... --out {args.trends}`")
    background = _background(args.backend, args.out)  # FLUX without a key: a clear error, nothing made
    if preset.style_for(args.style) != args.style:  # say it where the style was chosen, before any work
        print(f"note: {preset.style_note}", file=sys.stderr)
    if background.ledger is not None and preset.pure_white:
        print(
            f"note: the {preset.name} preset needs a pure white background; {background.name.upper()} is "
            "not used",
            file=sys.stderr,
        )
        background = PROCEDURAL
    plan = plan_batch(
        args.images, args.out, options=options, scene=scene, background=background, force=args.force
    )
    for row in plan.refused:
        _echo(row)
    if plan.kept:
        print(f"skipping {len(plan.kept)} already made with these settings (use --force to redo them)")

    def progress(row: dict, done: int, total: int) -> None:
        _echo(row, f"[{done}/{total}] ")

    result = run_batch(
        plan,
        options,
        scene=scene,
        background=background,
        workers=args.workers,
        dask_address=args.dask,
        progress=progress,
    )
    if background.ledger is not None:  # FLUX: worker processes write every cost to the spending ledger
        _flux_summary(background.ledger_outcomes())  # type: ignore[attr-defined]
    return _summary(result.rows, args.out)


def _background(name: str, out: Path) -> Background:
    """Raises FluxKeyMissing (a clear one-line error) when FLUX is chosen and BFL_API_KEY is not set."""
    from core.imaging.backgrounds import new_background
    from core.settings import load_settings

    last: list[str] = []

    def progress(_fraction: float | None, message: str) -> None:
        stage = message.split("…")[0].split("(")[0]
        if not last or last[-1] != stage:
            last.append(stage)
            print(f"flux    {message}", file=sys.stderr)

    return new_background(
        name, load_settings(), progress=progress, run=f"cli:{out.resolve()}:{uuid.uuid4().hex[:8]}"
    )


def _flux_summary(outcomes: list[FluxOutcome]) -> None:
    from core.imaging.backgrounds.flux.backend import credits_to_usd

    cached = sum(o.cached for o in outcomes)
    cost = sum(o.cost or 0.0 for o in outcomes)
    print(
        f"FLUX: {len(outcomes)} background(s), {cached} from the cache, cost {cost:g} credits "
        f"(≈ ${credits_to_usd(cost):.2f})"
    )


def _echo(row: dict, prefix: str = "") -> dict:
    if row["status"] == "done":
        print(f"{prefix}done    {row['file']} -> {row['output']} ({float(row['seconds']):.2f} s)")
    else:
        print(f"{prefix}failed  {row['file']}: {row['error']}", file=sys.stderr)
    return row


def _summary(rows: list[dict], out: Path) -> int:
    failed = sum(r["status"] != "done" for r in rows)
    print(f"{len(rows) - failed} done, {failed} failed; report in {out}")
    return 1 if failed else 0
