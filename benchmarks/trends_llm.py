"""Groq analyzer overhead, measured offline against the local fake server (no key, no internet).

Prints one JSON object: planning time for a large corpus (clean, sample, render, chunk, estimate),
then a cold run (every chunk sent) and a warm run (every chunk from the disk cache) on the demo
corpus. Usage: .venv/bin/python -m benchmarks.trends_llm [--posts 200000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

from benchmarks._peer import fake_peer
from core.settings import load_settings
from core.trends.analyzers import new_analyzer
from core.trends.analyzers.groq.analyzer import estimate
from core.trends.posts import Post
from core.trends.sources import load_posts


def _corpus(n: int, base: list[Post]) -> list[Post]:
    return [
        base[i % len(base)].model_copy(
            update={"id": f"b{i}", "created_utc": base[i % len(base)].created_utc + i}
        )
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=200_000, help="size of the corpus to plan")
    args = parser.parse_args()
    demo = load_posts("demo").posts
    big = _corpus(args.posts, demo)
    with tempfile.TemporaryDirectory() as data, fake_peer("groq") as server:
        settings = load_settings(
            env={"GROQ_API_KEY": server.key, "GROQ_BASE_URL": server.url, "TRENDSTUDIO_DATA": data}
        )
        start = time.perf_counter()
        plan = estimate(big, settings)  # sampling keeps what is sent bounded whatever the corpus size
        plan_s = time.perf_counter() - start
        demo_estimate = estimate(demo, settings)
        start = time.perf_counter()
        cold = new_analyzer("groq", settings).analyze(demo).report
        cold_s = time.perf_counter() - start
        sent = server.requests()
        start = time.perf_counter()
        warm = new_analyzer("groq", settings).analyze(demo).report
        warm_s = time.perf_counter() - start
        warm_sent = server.requests() - sent
    print(
        json.dumps(
            {
                "plan_posts": args.posts,
                "plan_seconds": round(plan_s, 3),
                "plan_posts_per_s": round(args.posts / plan_s),
                "plan_chunks": plan["chunks"],
                "demo_posts": len(demo),
                "demo_estimate": demo_estimate,
                "cold_seconds": round(cold_s, 3),
                "cold_requests": sent,
                "warm_seconds": round(warm_s, 3),
                "warm_requests": warm_sent,
                "same_report": cold.model_dump() == warm.model_dump(),
                "analyzer": cold.meta.analyzer,
            }
        )
    )


if __name__ == "__main__":
    main()
