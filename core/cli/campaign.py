"""`run`: the campaign join (trends -> predictions -> enhanced images), or a replay of a stored run."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from core.trends.analyzers import ANALYZERS

_log = logging.getLogger("core.campaign")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="campaign run: trends -> predictions -> enhanced images",
        description="Trend report from the posts, next-category predictions from the model, the top "
        "categories by predicted share of next purchases, and their product photos enhanced with the "
        "trend scene. DIR receives run.json, trend_report.json, predictions.csv, category_shares.csv, "
        "images/ (+ report.csv) and summary.html. Defaults come from config/campaign.toml.",
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the run folder (new or empty)")
    p.add_argument(
        "--replay",
        type=Path,
        metavar="RUN.json",
        help="run a stored run again with its pinned inputs (takes no other option but --out)",
    )
    p.add_argument(
        "--posts",
        nargs="+",
        metavar="SOURCE",
        help="post sources as for `trends` (default: every stored post, else the demo corpus)",
    )
    p.add_argument("--since", metavar="DATE", help="only posts created on or after DATE (YYYY-MM-DD)")
    p.add_argument("--analyzer", choices=ANALYZERS, help="trend analyzer (default offline)")
    p.add_argument("--events", nargs="+", metavar="EVENTS", help="event files (default: the demo events)")
    p.add_argument(
        "--model",
        metavar="MODEL_DIR",
        help="trained model (default: the latest; none yet = train one on the events)",
    )
    p.add_argument(
        "--images",
        metavar="DIR",
        help="product photos filed by category: DIR/<category>/*.jpg (default: the demo photos)",
    )
    p.add_argument("--top", type=int, help="how many categories to enhance")
    p.add_argument("--per-category", type=int, help="photos enhanced per category")
    p.add_argument("--preset", help="export preset (default web)")
    p.add_argument("--style", help="background style (default: suggested by the trend scene)")
    p.set_defaults(func=_run)


class _Progress:
    """Stage starts and every 5 % step on stderr (a run takes tens of seconds); all steps with -v."""

    def __init__(self) -> None:
        self.shown = -1.0

    def __call__(self, fraction: float, message: str) -> None:
        _log.info("%3.0f%% %s", fraction * 100, message)
        if message.startswith("stage ") or fraction - self.shown >= 0.05:
            self.shown = fraction
            print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)


_RUN_OPTIONS = (
    "posts",
    "since",
    "analyzer",
    "events",
    "model",
    "images",
    "top",
    "per_category",
    "preset",
    "style",
)


def _run(args: argparse.Namespace) -> int:
    from core.campaign.errors import CampaignError
    from core.campaign.inputs import make_inputs
    from core.campaign.run import replay, run_campaign
    from core.settings import load_settings

    settings = load_settings()
    overrides = {name: getattr(args, name) for name in _RUN_OPTIONS}
    chosen = [name for name, value in overrides.items() if value is not None]
    if args.replay and chosen:
        raise CampaignError(
            f"--replay reruns a stored run exactly; drop --{chosen[0].replace('_', '-')} "
            "(or start a new run without --replay)"
        )
    if args.replay:
        record = replay(args.replay, args.out, settings=settings, progress=_Progress())
    else:
        inputs = make_inputs(settings, **overrides)  # None means "the configured default"
        record = run_campaign(args.out, inputs, settings=settings, progress=_Progress())
    fig = record["figures"]
    cats = ", ".join(f"{c['category']} {c['share']:.0%}" for c in fig["top_categories"])
    print(f"trends: {fig['posts']:,} posts, palette {' '.join(fig['palette'])}, style {fig['style']}")
    print(f"predictions: {fig['customers']:,} customers, model {fig['model']}; top categories: {cats}")
    for item in fig["items"]:
        if item["status"] == "done":
            print(f"done    {item['category']}/{item['name']} -> {item['output']}")
        else:
            print(f"failed  {item['category']}/{item['name']}: {item['error']}", file=sys.stderr)
    for warning in record["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{fig['images_done']} done, {fig['images_failed']} failed; summary in {args.out / 'summary.html'}")
    return 1 if fig["images_failed"] else 0
