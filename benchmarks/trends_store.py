"""Trends with the DuckDB store against a naive CountVectorizer pass, side by side in fresh processes on
the same file: what `trends` does (import + save + analyse) into an empty store ("first import") and
into a store already holding the posts ("re-import"), against importing and counting the lexicon's
phrases; the target is both <= 1.2x the naive pass. The three are interleaved over --repeat rounds
(median ratios), as other work on a shared machine makes single runs noisy; CPU-time ratios are
reported beside the wall-clock ones (the target) because they suffer less from that load.
Prints one JSON object. Usage, from the repository root:
    python -m benchmarks.trends_store [--posts 20000] [--format zst|jsonl|csv] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._posts import cpu_seconds, seed_posts, write_posts


def _measure_mode(path: str, mode: str) -> dict:
    """Child process: one way of getting from the file to term counts, timed end to end."""
    from core.settings import load_settings
    from core.trends import store
    from core.trends.sources import load_posts

    settings = load_settings()
    started, cpu_started = time.perf_counter(), cpu_seconds()
    if mode == "naive":
        result = load_posts(path, settings=settings)
        from sklearn.feature_extraction.text import CountVectorizer

        from core.trends.lexicon import load_lexicon

        vocabulary = sorted(load_lexicon().phrases)
        counts = CountVectorizer(vocabulary=vocabulary, ngram_range=(1, 4), token_pattern=r"(?u)\b\w+\b")
        counts.fit_transform(f"{p.title}\n{p.text}\n" + "\n".join(p.comments) for p in result.posts)
        return {
            "posts": len(result.posts),
            "seconds": round(time.perf_counter() - started, 3),
            "cpu_seconds": round(cpu_seconds() - cpu_started, 3),
        }
    from core.trends.analyzers.offline import analyze
    from core.trends.sources import iter_posts

    # what the CLI does: one streamed read feeds the store (in batches) and the analyzer
    saved = {"seconds": 0.0, "written": 0}

    def saving(posts, batch: int = 5000):
        chunk = []
        for post in posts:
            chunk.append(post)
            yield post
            if len(chunk) >= batch:
                _save(chunk)
                chunk = []
        if chunk:
            _save(chunk)

    def _save(chunk) -> None:
        at = time.perf_counter()
        saved["written"] += store.save_posts(chunk, Path(path).name, settings)
        saved["seconds"] += time.perf_counter() - at

    report = analyze(
        saving(iter_posts([path], settings=settings)), sources=[Path(path).name], settings=settings
    )
    return {
        "posts": report.meta.posts,
        "written": saved["written"],
        "save_seconds": round(saved["seconds"], 3),
        "seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(cpu_seconds() - cpu_started, 3),
    }


def _store_comparison(path: Path, tmp: str, repeat: int) -> dict:
    """`repeat` rounds of naive / first import / re-import, interleaved so that load from other work on
    the machine hits all three alike; medians and per-round ratios. Each round starts from an empty store."""

    def run(mode: str, data: Path) -> dict:
        out = subprocess.run(
            [sys.executable, "-m", __spec__.name, "--measure-mode", str(path), mode],
            env={**os.environ, "TRENDSTUDIO_DATA": str(data)},
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout)

    rounds = []
    for r in range(repeat):
        data = Path(tmp) / f"store{r}"
        naive, first, again = (
            run("naive", data),
            run("store", data),
            run("store", data),
        )  # 2nd store run: re-import
        rounds.append(
            {
                "naive_seconds": naive["seconds"],
                "first_import_seconds": first["seconds"],
                "first_import_save_seconds": first["save_seconds"],
                "written": first["written"],
                "re_import_seconds": again["seconds"],
                "re_import_save_seconds": again["save_seconds"],
                "re_written": again["written"],
                "first_import_ratio": round(first["seconds"] / naive["seconds"], 3),
                "re_import_ratio": round(again["seconds"] / naive["seconds"], 3),
                "first_import_cpu_ratio": round(first["cpu_seconds"] / naive["cpu_seconds"], 3),
                "re_import_cpu_ratio": round(again["cpu_seconds"] / naive["cpu_seconds"], 3),
            }
        )

    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in rounds), 3)

    first_ratio, re_ratio = median("first_import_ratio"), median("re_import_ratio")
    return {
        "naive_countvectorizer_seconds": median("naive_seconds"),
        "first_import_seconds": median("first_import_seconds"),
        "re_import_seconds": median("re_import_seconds"),
        "first_import_ratio": first_ratio,
        "re_import_ratio": re_ratio,
        "first_import_cpu_ratio": median("first_import_cpu_ratio"),
        "re_import_cpu_ratio": median("re_import_cpu_ratio"),
        "target_ratio": 1.2,
        "meets_target": max(first_ratio, re_ratio) <= 1.2,
        "rounds": rounds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--format", choices=["zst", "jsonl", "csv"], default="zst")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the comparison (median reported)")
    parser.add_argument("--measure-mode", nargs=2, metavar=("FILE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_mode:
        print(json.dumps(_measure_mode(*args.measure_mode)))
        return
    seed, origin = seed_posts()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"posts.{'jsonl.zst' if args.format == 'zst' else args.format}"
        write_posts(path, seed, args.posts, args.format)
        print(
            json.dumps(
                {
                    "benchmark": "trends with the store vs a naive CountVectorizer pass",
                    "seed": origin,
                    "posts": args.posts,
                    "format": args.format,
                    "cpu_count": os.cpu_count(),
                    "load_average_1min": os.getloadavg()[0],
                    **_store_comparison(path, tmp, args.repeat),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
