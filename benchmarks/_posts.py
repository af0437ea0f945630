"""The posts file the trend benchmarks read: real posts (../shared/data/reddit, else the demo corpus)
replicated with shifted dates and new ids, streamed to a zstd NDJSON dump (or CSV/JSONL); and the
CPU clock they report beside the wall clock."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from core import PROJECT_ROOT

WEEK = 7 * 86400


def seed_posts() -> tuple[list[dict], str]:
    from core.trends.sources import load_posts

    for base in (PROJECT_ROOT.parent, PROJECT_ROOT.parent.parent):
        folder = base / "shared" / "data" / "reddit"
        if folder.is_dir():
            result = load_posts(sorted(folder.glob("*.csv")))
            return [p.model_dump() for p in result.posts], "shared/data/reddit"
    from core.demo import ensure_demo_data

    ensure_demo_data(PROJECT_ROOT / "data" / "demo")
    return [p.model_dump() for p in load_posts("demo").posts], "demo corpus"


def write_posts(path: Path, seed: list[dict], n: int, fmt: str) -> None:
    """Replicate the seed posts to n records, each copy shifted by one more week, streamed to disk."""
    import zstandard

    raw = open(path, "wb")  # noqa: SIM115
    sink = zstandard.ZstdCompressor(level=3).stream_writer(raw) if fmt == "zst" else raw
    text = io.TextIOWrapper(sink, encoding="utf-8", newline="")
    writer = csv.DictWriter(text, fieldnames=list(seed[0])) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    for i in range(n):
        copy, post = divmod(i, len(seed))
        record = {
            **seed[post],
            "id": f"{seed[post]['id']}_{copy}",
            "created_utc": seed[post]["created_utc"] + copy * WEEK,
        }
        if writer:
            writer.writerow({**record, "comments": json.dumps(record["comments"])})
        else:
            text.write(json.dumps(record) + "\n")
    text.close()


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (the analyzer's phrase-matching worker)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
