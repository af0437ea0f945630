"""`train`, `evaluate` and `predict`."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli._pending import pending


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train the next-category model; prints the evaluation JSON")
    p.add_argument("events", nargs="+", metavar="EVENTS")
    p.add_argument("--out", type=Path, required=True, metavar="MODEL_DIR")
    p.set_defaults(func=pending(8))

    p = sub.add_parser("evaluate", help="evaluate a saved model; prints the evaluation JSON")
    p.add_argument("--model", type=Path, required=True, metavar="MODEL_DIR")
    p.add_argument("events", nargs="+", metavar="EVENTS")
    p.set_defaults(func=pending(8))

    p = sub.add_parser("predict", help="predict each customer's next category as CSV")
    p.add_argument("--model", type=Path, required=True, metavar="MODEL_DIR")
    p.add_argument("events", nargs="+", metavar="EVENTS")
    p.add_argument("--out", type=Path, required=True, metavar="predictions.csv")
    p.set_defaults(func=pending(8))
