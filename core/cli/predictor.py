"""`train`, `evaluate` and `predict`."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

_log = logging.getLogger("core.predictor")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="train the next-category and who-buys models; prints the evaluation JSON",
        description="Load REES46-format events (CSV, CSV.gz, Parquet, folders or globs), build "
        "cutoff-framed examples (features strictly before each cutoff T, target = the category of "
        "the first apparel purchase in (T, T+H]), train XGBoost on a split on cutoffs and save "
        "MODEL_DIR/model.json + meta.json. Prints the evaluation JSON.",
    )
    p.add_argument("events", nargs="+", metavar="EVENTS")
    p.add_argument("--out", type=Path, required=True, metavar="MODEL_DIR")
    p.add_argument(
        "--horizon-days",
        type=int,
        default=None,
        metavar="H",
        help="predict the first purchase within H days of the cutoff (default: 14)",
    )
    p.add_argument(
        "--test-from",
        type=float,
        default=None,
        metavar="FRACTION",
        help="test cutoffs start at this fraction of the time span (default: 0.7)",
    )
    p.add_argument(
        "--test-cutoff",
        default=None,
        metavar="DATE",
        help="test cutoffs start on DATE (overrides --test-from)",
    )
    p.add_argument("--class-weights", action="store_true", default=None, help="balanced class weights")
    p.add_argument("--n-estimators", type=int, default=None)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--apparel-prefix", default=None, help="category_code prefix (default: apparel)")
    p.set_defaults(func=_train)

    p = sub.add_parser("evaluate", help="evaluate a saved model; prints the evaluation JSON")
    p.add_argument("--model", type=Path, required=True, metavar="MODEL_DIR")
    p.add_argument("events", nargs="+", metavar="EVENTS")
    p.set_defaults(func=_evaluate)

    p = sub.add_parser(
        "predict",
        help="predict who buys (p_buy) and each customer's next category as CSV, likeliest buyer first",
    )
    p.add_argument("--model", type=Path, required=True, metavar="MODEL_DIR")
    p.add_argument("events", nargs="+", metavar="EVENTS")
    p.add_argument("--out", type=Path, required=True, metavar="predictions.csv")
    p.add_argument(
        "--at",
        default=None,
        metavar="DATE",
        help="cutoff day: score every customer with a purchase before DATE, from events before it "
        "(default: the end of the data)",
    )
    p.add_argument(
        "--top",
        type=_positive,
        default=None,
        metavar="N",
        help="only the N customers most likely to buy in the next H days (highest p_buy first): a target list",
    )
    p.set_defaults(func=_predict)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"--top takes a whole number >= 1, not {text!r}")
    return n


def _progress(fraction: float, message: str) -> None:
    _log.info("%3.0f%% %s", fraction * 100, message)


def _train(args: argparse.Namespace) -> int:
    from core.predictor.train import train

    overrides = {
        "horizon_days": args.horizon_days,
        "test_from": args.test_from,
        "test_cutoff": args.test_cutoff,
        "class_weights": args.class_weights,
        "n_estimators": args.n_estimators,
        "seed": args.seed,
        "apparel_prefix": args.apparel_prefix,
    }
    _, result = train(
        args.events, args.out, progress=_progress, **{k: v for k, v in overrides.items() if v is not None}
    )
    print(json.dumps(result, indent=2))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from core.predictor.registry import load_model
    from core.predictor.train import evaluate_model

    print(json.dumps(evaluate_model(load_model(args.model), args.events), indent=2))
    return 0


def _predict(args: argparse.Namespace) -> int:
    from core.predictor.predict import forecast

    result = forecast(args.model, args.events, at=args.at, top=args.top)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result.predictions.to_csv(args.out, index=False)
    print(
        json.dumps(
            {
                "out": str(args.out),
                "customers": len(result.predictions),
                "cutoff": str(result.cutoff.date()),
                "horizon_days": result.horizon_days,
                "share_forecast": result.chosen,
                "expected_buyers": round(float(result.shares["expected_buyers"].sum()), 1),
            }
        )
    )
    return 0
