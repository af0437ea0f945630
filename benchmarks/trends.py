"""Trend Explorer throughput: import + offline analysis of N posts, and peak memory.

Real posts (../shared/data/reddit, else the demo corpus) are replicated with shifted dates and new
ids into a zstd NDJSON dump (or CSV/JSONL), then each size is measured in a fresh child process
that streams the file through `iter_posts` into `analyze`, so memory is not the list of posts;
N/2 and N are both measured, so the memory growth per 1,000 posts shows how flat memory is.
With --store it instead compares, side by side in fresh processes on the same file, what `trends`
does with the DuckDB store (import + save + analyse) into an empty store ("first import") and into a
store already holding the posts ("re-import") against a naive CountVectorizer pass (import + count the
lexicon's phrases); the target is both <= 1.2x the naive pass. The three are interleaved over
--repeat rounds (median ratios), as other work on a shared machine makes single runs noisy; CPU-time
ratios are reported beside the wall-clock ones (the target) because they suffer less from that load.
With --backtest-cost it times the same analysis with and without the backtest of "rising" calls
([analysis] backtest), interleaved over --repeat rounds; the target is <= 1.3x.
Prints one JSON object. Usage, from the repository root:
    python -m benchmarks.trends [--posts 100000] [--format zst|jsonl|csv] [--store|--backtest-cost [--repeat 3]]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core import PROJECT_ROOT

WEEK = 7 * 86400


def _seed_posts() -> tuple[list[dict], str]:
    from core.trends.sources import load_posts

    for base in (PROJECT_ROOT.parent, PROJECT_ROOT.parent.parent):
        folder = base / "shared" / "data" / "reddit"
        if folder.is_dir():
            result = load_posts(sorted(folder.glob("*.csv")))
            return [p.model_dump() for p in result.posts], "shared/data/reddit"
    from core.demo import ensure_demo_data

    ensure_demo_data(PROJECT_ROOT / "data" / "demo")
    return [p.model_dump() for p in load_posts("demo").posts], "demo corpus"


def _write(path: Path, seed: list[dict], n: int, fmt: str) -> None:
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


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the analyzer's phrase-matching worker)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _measure_mode(path: str, mode: str) -> dict:
    """Child process: one way of getting from the file to term counts, timed end to end."""
    from core.settings import load_settings
    from core.trends import store
    from core.trends.sources import load_posts

    settings = load_settings()
    started, cpu_started = time.perf_counter(), _cpu()
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
            "cpu_seconds": round(_cpu() - cpu_started, 3),
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
        "cpu_seconds": round(_cpu() - cpu_started, 3),
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
    parser.add_argument("--store", action="store_true", help="compare trends with the store to a naive pass")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of the --store comparison (median reported)"
    )
    parser.add_argument(
        "--backtest-cost", action="store_true", help="time the analysis with and without the backtest"
    )
    parser.add_argument("--measure", nargs="+", metavar="FILE N [BACKTEST]", help=argparse.SUPPRESS)
    parser.add_argument("--measure-mode", nargs=2, metavar=("FILE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        backtest = args.measure[2] != "0" if len(args.measure) > 2 else True
        print(json.dumps(_measure(args.measure[0], int(args.measure[1]), backtest)))
        return
    if args.measure_mode:
        print(json.dumps(_measure_mode(*args.measure_mode)))
        return
    seed, origin = _seed_posts()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"posts.{'jsonl.zst' if args.format == 'zst' else args.format}"
        started = time.perf_counter()
        _write(path, seed, args.posts, args.format)
        generated = time.perf_counter() - started
        size_mb = path.stat().st_size / 2**20
        if args.store:
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
            return
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
