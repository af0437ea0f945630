"""`run`: the campaign join."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli._pending import pending


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="campaign run: trends -> predictions -> enhanced images")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.set_defaults(func=pending(9))
