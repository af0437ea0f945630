"""`python -m core <command>`: argument parsing and printing live here and nowhere else in core.

Each area registers its own subcommands from a small module (`core/cli/<area>.py`), so the
imaging, trends, predictor and campaign commands evolve without touching each other.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from core import __version__
from core.cli import campaign, demo, imaging, predictor, trends
from core.errors import TrendStudioError

_AREAS = (demo, imaging, trends, predictor, campaign)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m core",
        description="Trend Studio: fashion trends, next-category prediction and product-photo "
        "enhancement, offline by default.",
    )
    parser.add_argument("--version", action="version", version=f"trend-studio {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for area in _AREAS:
        area.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.func(args) or 0)
    except TrendStudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; outputs written so far are kept", file=sys.stderr)
        return 130
