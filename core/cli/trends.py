"""`trends`: posts from files, the demo corpus or a live crawl -> a trend report JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.errors import TrendStudioError
from core.settings import load_settings
from core.trends.analyzers import ANALYZERS, DEFAULT_ANALYZER, new_analyzer


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


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise TrendStudioError(f"--map {pair!r} must look like FIELD=COLUMN, e.g. title=Headline")
        mapping[field.strip()] = column.strip()
    return mapping


def run(args: argparse.Namespace) -> int:
    from core.trends import store
    from core.trends.report import save_report
    from core.trends.sources import describe, load_posts

    settings = load_settings()
    result = load_posts(args.sources, mapping=_mapping(args.map), since=args.since, settings=settings)
    if result.skipped:
        reasons = ", ".join(f"{n} {why}" for why, n in sorted(result.reasons.items(), key=lambda kv: -kv[1]))
        print(f"skipped {result.skipped} record(s): {reasons}", file=sys.stderr)
    if result.fields_dropped:
        dropped = ", ".join(f"{n} {why}" for why, n in result.fields_dropped.items())
        print(f"kept posts with a field dropped: {dropped}", file=sys.stderr)
    if not args.no_store and result.posts:
        store.save_posts(result.posts, result.source, settings)
    sources = [describe(s) for s in args.sources]
    analysis = new_analyzer(args.analyzer, settings).analyze(
        result.posts, sources=sources, progress=lambda f, msg: print(f"[{f:4.0%}] {msg}", file=sys.stderr)
    )
    if analysis.fallback:
        print(f"warning: {analysis.report.meta.analyzer}", file=sys.stderr)
    report = analysis.report
    path = save_report(report, args.out, settings)
    emerging = ", ".join(f"{e.term} (+{e.momentum:.0%})" for e in report.emerging[:5]) or "none"
    print(f"{report.meta.posts} posts analysed ({report.meta.relevant_posts} relevant) -> {path}")
    print(f"emerging: {emerging}")
    print(f"scene: {report.scene.environment}, {report.scene.lighting}, {' '.join(report.scene.colors)}")
    return 0
