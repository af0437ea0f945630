"""`trends`: posts from files, the demo corpus or a live crawl -> a trend report JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from core.settings import load_settings
from core.trends.analyzers import ANALYZERS, DEFAULT_ANALYZER, new_analyzer
from core.trends.posts import Post


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "trends",
        help="analyse posts into a trend report JSON",
        description="SOURCE: .jsonl/.json/.ndjson/.zst dumps, .csv/.tsv, `demo`, or "
        "reddit:sub1,sub2 for a live crawl.",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument("--out", type=Path, required=True, metavar="REPORT.json")
    p.add_argument(
        "--analyzer",
        choices=ANALYZERS,
        default=DEFAULT_ANALYZER,
        help="groq needs GROQ_API_KEY (model: GROQ_MODEL); if it fails, the offline report is written",
    )
    p.add_argument("--since", metavar="DATE", help="only posts created on or after DATE (YYYY-MM-DD)")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="CSV column for a Post field, e.g. --map title=Headline (repeatable)",
    )
    p.add_argument("--no-store", action="store_true", help="do not add the posts to the local database")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.trends import store
    from core.trends.readers import ImportStats, parse_mapping
    from core.trends.report import save_report
    from core.trends.sources import describe, iter_posts, load_posts

    settings = load_settings()
    mapping = parse_mapping(args.map)
    sources = [describe(s) for s in args.sources]
    label = ", ".join(sources)
    stats = ImportStats()
    posts: Iterable[Post]
    if args.analyzer == DEFAULT_ANALYZER:
        # streamed: posts flow from the files through the store into the analyzer's aggregates, never
        # all in memory at once, so a dump of any size fits (there is no size cap here)
        posts = iter_posts(args.sources, mapping=mapping, since=args.since, settings=settings, stats=stats)
    else:  # the LLM analyzer samples from the whole list, so it gets one
        result = load_posts(args.sources, mapping=mapping, since=args.since, settings=settings)
        posts = result.posts
        stats.reasons.update(result.reasons)
        stats.fields_dropped.update(result.fields_dropped)
    if not args.no_store:
        posts = store.saving(posts, label, settings)
    analysis = new_analyzer(args.analyzer, settings).analyze(
        posts, sources=sources, progress=lambda f, msg: print(f"[{f:4.0%}] {msg}", file=sys.stderr)
    )
    if stats.skipped:
        reasons = ", ".join(f"{n} {why}" for why, n in sorted(stats.reasons.items(), key=lambda kv: -kv[1]))
        print(f"skipped {stats.skipped} record(s): {reasons}", file=sys.stderr)
    if stats.fields_dropped:
        dropped = ", ".join(f"{n} {why}" for why, n in stats.fields_dropped.items())
        print(f"kept posts with a field dropped: {dropped}", file=sys.stderr)
    if analysis.fallback:
        print(f"warning: {analysis.report.meta.analyzer}", file=sys.stderr)
    report = analysis.report
    path = save_report(report, args.out, settings)
    emerging = ", ".join(f"{e.term} (+{e.momentum:.0%})" for e in report.emerging[:5]) or "none"
    print(f"{report.meta.posts} posts analysed ({report.meta.relevant_posts} relevant) -> {path}")
    print(f"emerging: {emerging}")
    bt = report.backtest
    if bt.enough_history:
        print(
            f"track record: {bt.hits} of {bt.calls} past rising calls held; naive {bt.baseline_hits} of {bt.baseline_calls}"
        )
    else:
        print("track record: too little history to backtest rising calls")
    print(f"scene: {report.scene.environment}, {report.scene.lighting}, {' '.join(report.scene.colors)}")
    return 0
