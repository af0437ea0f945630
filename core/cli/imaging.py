"""`mask` and `enhance`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.errors import NotYetAvailableError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mask", help="cut out products: write DIR/<stem>.png alpha masks",
                       description="Write an 8-bit single-channel alpha mask per input, same size.")
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument("--ignore-alpha", action="store_true",
                   help="cut out with the model even when an input has its own transparency")
    p.set_defaults(func=_mask)

    p = sub.add_parser("enhance", help="cut out, restage and export product photos",
                       description="One output per input plus DIR/report.csv.")
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument("--style", default="studio")
    p.add_argument("--preset", default="web")
    p.add_argument("--trends", type=Path, metavar="REPORT.json",
                   help="take palette and lighting from this trend report's scene")
    p.add_argument("--backend", choices=["procedural", "flux"], default="procedural")
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=_enhance)


def _mask(args: argparse.Namespace) -> int:
    from core.imaging.pipeline import MASK_FIELDS, mask_file, write_report

    rows = [_echo(mask_file(path, args.out, use_alpha=not args.ignore_alpha)) for path in args.images]
    write_report(rows, args.out / "masks.csv", MASK_FIELDS)
    return _summary(rows, args.out)


def _enhance(args: argparse.Namespace) -> int:
    from core.imaging.pipeline import EnhanceOptions, check_options, enhance_file, load_scene, write_report
    from core.imaging.scene import SceneError

    if args.backend != "procedural":
        raise NotYetAvailableError("--backend flux is not available yet (issue #5); use --backend procedural")
    options = EnhanceOptions(style=args.style, preset=args.preset)
    check_options(options)
    scene = load_scene(args.trends) if args.trends else None
    if args.trends and scene is None:
        raise SceneError(f"{args.trends} does not exist; run `python -m core trends ... --out {args.trends}`")
    rows = [_echo(enhance_file(path, args.out, options, scene=scene)) for path in args.images]
    write_report(rows, args.out / "report.csv")
    return _summary(rows, args.out)


def _echo(row: dict) -> dict:
    if row["status"] == "done":
        print(f"done    {row['file']} -> {row['output']} ({row['seconds']:.2f} s)")
    else:
        print(f"failed  {row['file']}: {row['error']}", file=sys.stderr)
    return row


def _summary(rows: list[dict], out: Path) -> int:
    failed = sum(r["status"] != "done" for r in rows)
    print(f"{len(rows) - failed} done, {failed} failed; report in {out}")
    return 1 if failed else 0
