"""Peak memory of the CLI `trends` on big dumps of distinct long posts (issue 24: imports stream).

Writes a zstd NDJSON dump of distinct, long, poorly compressible posts (random words around a few
fashion terms, dates over a year) in a temp dir, then runs `python -m core trends DUMP --out ...` as a
separate process, exactly as a user would (store included), at two input sizes, and samples the
resident memory of the CLI process and of every worker it forks (psutil, every 50 ms). The target:
every process under 1.2 GB at the full size, growing sub-linearly with the input (the analyzer keeps
aggregates, a bounded evidence sample and a bounded topic sample, not the posts).
Prints one JSON object. Usage, from the repository root:
    python -m benchmarks.trends_memory [--posts 60000] [--post-kb 12]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TERMS = ["butter yellow", "sage green", "gorpcore", "suede", "linen", "cream", "navy", "oversized"]
START = 1_735_689_600  # 2025-01-01
YEAR = 365 * 86400
LIMIT_MB = 1200


def _vocabulary(rng: np.random.Generator, size: int = 30000) -> np.ndarray:
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    lengths = rng.integers(3, 11, size)
    return np.array(["".join(rng.choice(letters, n)) for n in lengths])


def write_dump(path: Path, posts: int, post_kb: float, seed: int = 24) -> float:
    """`posts` distinct posts of about `post_kb` KB each, zstd NDJSON; returns the file size in MB."""
    import zstandard

    rng = np.random.default_rng(seed)
    vocab = _vocabulary(rng)
    words_per_post = int(post_kb * 1024 / 7.5)
    with open(path, "wb") as raw:
        sink = zstandard.ZstdCompressor(level=3, threads=1).stream_writer(raw)
        for i in range(posts):
            words = vocab[rng.integers(0, len(vocab), words_per_post)]
            for j in rng.integers(0, words_per_post, 3):
                words[j] = TERMS[int(rng.integers(0, len(TERMS)))]
            body = " ".join(words)
            cut = len(body) * 4 // 5
            record = {
                "id": f"p{i}",
                "subreddit": "femalefashionadvice",
                "title": f"Outfit {i}: {' '.join(words[:8])}",
                "selftext": body[:cut],
                "comments": [body[cut:]],
                "score": int(rng.integers(0, 500)),
                "num_comments": 1,
                "created_utc": START + int(i * YEAR / posts),
                "author": f"user{i % 5000}",
            }
            sink.write((json.dumps(record) + "\n").encode())
        sink.flush(zstandard.FLUSH_FRAME)
    return path.stat().st_size / 2**20


def measure_cli(dump: Path, out: Path, data_dir: Path) -> dict:
    """Run the CLI on `dump`; peak RSS per process (the CLI and its forked workers) and in total."""
    import psutil

    env = {**os.environ, "TRENDSTUDIO_DATA": str(data_dir)}
    cmd = [sys.executable, "-m", "core", "trends", str(dump), "--out", str(out)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peaks: dict[int, float] = {}
    total_peak = 0.0
    while proc.poll() is None:
        try:
            family = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        total = 0.0
        for p in family:
            try:
                rss = p.memory_info().rss / 2**20
            except psutil.NoSuchProcess:
                continue
            peaks[p.pid] = max(peaks.get(p.pid, 0.0), rss)
            total += rss
        total_peak = max(total_peak, total)
        time.sleep(0.05)
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"trends failed ({proc.returncode}): {stderr.strip().splitlines()[-1:]}")
    report = json.loads(out.read_text())
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "posts_analysed": report["meta"]["posts"],
        "relevant_posts": report["meta"]["relevant_posts"],
        "peak_rss_mb_cli": round(peaks.get(proc.pid, 0.0), 1),
        "peak_rss_mb_max_process": round(max(peaks.values(), default=0.0), 1),
        "peak_rss_mb_all_processes": round(total_peak, 1),
        "processes": len(peaks),
        "stdout": stdout.strip().splitlines()[:1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=60_000, help="posts at the full size (half also run)")
    parser.add_argument("--post-kb", type=float, default=12.0, help="approximate text per post (KB)")
    args = parser.parse_args()
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (args.posts // 2, args.posts):
            dump = Path(tmp) / f"dump{n}.ndjson.zst"
            started = time.perf_counter()
            size = write_dump(dump, n, args.post_kb)
            generated = time.perf_counter() - started
            result = measure_cli(dump, Path(tmp) / f"report{n}.json", Path(tmp) / f"data{n}")
            runs[str(n)] = {"file_mb": round(size, 1), "generate_seconds": round(generated, 1), **result}
            dump.unlink()
    half, full = runs[str(args.posts // 2)], runs[str(args.posts)]
    growth = full["peak_rss_mb_max_process"] / max(half["peak_rss_mb_max_process"], 1e-9)
    print(
        json.dumps(
            {
                "benchmark": "CLI trends peak memory on dumps of distinct long posts",
                "posts": args.posts,
                "limit_mb_per_process": LIMIT_MB,
                "meets_limit": full["peak_rss_mb_max_process"] < LIMIT_MB,
                "all_posts_analysed": all(r["posts_analysed"] == int(n) for n, r in runs.items()),
                "peak_growth_for_2x_input": round(growth, 3),
                "sub_linear": growth < 2.0,
                "cpu_count": os.cpu_count(),
                "runs": runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
