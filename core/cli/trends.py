"""`trends`."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli._pending import pending


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("trends", help="analyse posts into a trend report JSON",
                       description="SOURCE: .jsonl/.json/.ndjson/.zst dumps, .csv/.tsv, or "
                       "reddit:sub1,sub2 for a live crawl.")
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument("--out", type=Path, required=True, metavar="REPORT.json")
    p.add_argument("--analyzer", choices=["offline", "groq"], default="offline")
    p.add_argument("--since", metavar="DATE")
    p.set_defaults(func=pending(6))
