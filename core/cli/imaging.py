"""`mask` and `enhance`."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli._pending import pending


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mask", help="cut out products: write DIR/<stem>.png alpha masks",
                       description="Write an 8-bit single-channel alpha mask per input, same size.")
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.set_defaults(func=pending(3))

    p = sub.add_parser("enhance", help="cut out, restage and export product photos",
                       description="One output per input plus DIR/report.csv.")
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument("--style", default="studio")
    p.add_argument("--preset", default="web")
    p.add_argument("--trends", type=Path, metavar="REPORT.json")
    p.add_argument("--backend", choices=["procedural", "flux"], default="procedural")
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=pending(3))
