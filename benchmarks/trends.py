"""Trend Explorer throughput: import + offline analysis of N posts, and peak memory.

Real posts (../shared/data/reddit, else the demo corpus) are replicated with shifted dates and new
ids into a zstd NDJSON dump (or CSV/JSONL), then each size is measured in a fresh child process
that streams the file through `iter_posts` into `analyze`, so memory is not the list of posts;
N/2 and N are both measured, so the memory growth per 1,000 posts shows how flat memory is.
The store against a naive pass is `benchmarks.trends_store`.
With --backtest-cost it times the same analysis with and without the backtest of "rising" calls
([analysis] backtest), interleaved over --repeat rounds; the target is <= 1.3x.
Prints one JSON object. Usage, from the repository root:
    python -m benchmarks.trends [--posts 100000] [--format zst|jsonl|csv] [--backtest-cost [--repeat 3]]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._posts import seed_posts, write_posts


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _measure(path: str, n: int, backtest: bool = True) -> dict:
    """Child process: stream-import and analyse the first n posts; time and peak memory."""
    from core.settings import load_settings
    from core.trends.analyzers.offline import analyze
    from core.trends.readers import ImportStats
    from core.trends.sources import iter_posts

    settings = load_settings()
    if not backtest:
        trends = settings.section("trends")
        trends["analysis"] = {**trends.get("analysis", {}), "backtest": False}
        settings = settings.model_copy(update={"config": {**settings.config, "trends": trends}})
    baseline = _rss_mb()
    stats = ImportStats()
    started = time.perf_counter()
    cpu_started = time.process_time()

    def limited():
        for count, post in enumerate(iter_posts([path], settings=settings, stats=stats)):
            if count >= n:
                return
            yield post

    report = analyze(limited(), sources=[Path(path).name], settings=settings)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "posts": report.meta.posts,
        "seconds": round(seconds, 3),
        "posts_per_second": round(report.meta.posts / seconds),
        "cpu_seconds": round(cpu, 3),
        "posts_per_cpu_second": round(report.meta.posts / cpu),
        "skipped": stats.skipped,
        "peak_rss_mb": round(peak, 1),
        "rss_after_imports_mb": round(baseline, 1),
        "working_memory_mb": round(peak - baseline, 1),
        "emerging": len(report.emerging),
        "backtest_calls": report.backtest.calls,
    }


def _backtest_cost(path: Path, n: int, repeat: int, env: dict) -> dict:
    """Median seconds of the analysis with and without the backtest, interleaved over `repeat` rounds."""

    def run(backtest: bool) -> dict:
        out = subprocess.run(
            [sys.executable, "-m", __spec__.name, "--measure", str(path), str(n), str(int(backtest))],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout)

    rounds = [(run(False), run(True)) for _ in range(repeat)]
    without = statistics.median(off["seconds"] for off, _on in rounds)
    with_bt = statistics.median(on["seconds"] for _off, on in rounds)
    ratio = round(statistics.median(on["seconds"] / off["seconds"] for off, on in rounds), 3)
    return {
        "seconds_without_backtest": round(without, 3),
        "seconds_with_backtest": round(with_bt, 3),
        "ratio": ratio,
        "cpu_ratio": round(
            statistics.median(on["cpu_seconds"] / off["cpu_seconds"] for off, on in rounds), 3
        ),
        "target_ratio": 1.3,
        "meets_target": ratio <= 1.3,
        "backtest_calls": rounds[-1][1]["backtest_calls"],
        "rounds": [{"without": off["seconds"], "with": on["seconds"]} for off, on in rounds],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--format", choices=["zst", "jsonl", "csv"], default="zst")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of the --backtest-cost comparison (median reported)"
    )
    parser.add_argument(
        "--backtest-cost", action="store_true", help="time the analysis with and without the backtest"
    )
    parser.add_argument("--measure", nargs="+", metavar="FILE N [BACKTEST]", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        backtest = args.measure[2] != "0" if len(args.measure) > 2 else True
        print(json.dumps(_measure(args.measure[0], int(args.measure[1]), backtest)))
        return
    seed, origin = seed_posts()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"posts.{'jsonl.zst' if args.format == 'zst' else args.format}"
        started = time.perf_counter()
        write_posts(path, seed, args.posts, args.format)
        generated = time.perf_counter() - started
        size_mb = path.stat().st_size / 2**20
        env = {**os.environ, "TRENDSTUDIO_DATA": tmp}
        if args.backtest_cost:
            cost = _backtest_cost(path, args.posts, args.repeat, env)
            print(
                json.dumps(
                    {
                        "benchmark": "trends with vs without the backtest",
                        "seed": origin,
                        "posts": args.posts,
                        "cpu_count": os.cpu_count(),
                        **cost,
                    },
                    indent=2,
                )
            )
            return
        runs = {}
        for n in sorted({max(args.posts // 2, 1), args.posts}):
            out = subprocess.run(
                [sys.executable, "-m", __spec__.name, "--measure", str(path), str(n)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            runs[str(n)] = json.loads(out.stdout)
    full = runs[str(args.posts)]
    half_n = max(args.posts // 2, 1)
    half = runs[str(half_n)]
    growth = (full["working_memory_mb"] - half["working_memory_mb"]) / max(args.posts - half_n, 1) * 1000
    print(
        json.dumps(
            {
                "benchmark": "trends import + offline analysis",
                "seed": origin,
                "seed_posts": len(seed),
                "format": args.format,
                "file_mb": round(size_mb, 1),
                "generate_seconds": round(generated, 2),
                "posts": args.posts,
                "posts_per_second": full["posts_per_second"],
                "posts_per_cpu_second": full["posts_per_cpu_second"],
                "target_posts_per_second": 10_000,
                "meets_target": full["posts_per_second"] >= 10_000,
                "working_memory_mb": full["working_memory_mb"],
                "working_memory_mb_at_half": half["working_memory_mb"],
                "memory_growth_kb_per_1000_posts": round(growth * 1024, 1),
                "peak_rss_mb": full["peak_rss_mb"],
                "cpu_count": os.cpu_count(),
                "runs": runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
