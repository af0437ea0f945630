"""The campaign run: trends -> predictions -> top categories -> enhanced images -> summary.

Each stage writes its outputs into the run folder and run.json is rewritten after every stage, so a
failure names its stage and keeps whatever the earlier stages produced. The inputs stored in run.json
are pinned as the run resolves them (the posts window, the model folder), so `replay` reproduces the
trend report, predictions and images byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from core.campaign import history, images, summary
from core.campaign.errors import CampaignError, StageError
from core.campaign.folders import RUN_FILE, new_run_id
from core.campaign.inputs import RunInputs, make_inputs, replay_inputs
from core.errors import TrendStudioError
from core.imaging.backgrounds import new_background
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.io import save_atomic
from core.imaging.scene import suggest_style
from core.predictor.predict import forecast
from core.predictor.registry import load_model
from core.predictor.shares import forecast_sentence
from core.predictor.train import provide_model
from core.progress import Progress
from core.settings import Settings, load_settings
from core.spend import ANONYMOUS
from core.trends import store
from core.trends.analyzers import new_analyzer
from core.trends.report import save_report
from core.trends.sources import describe, load_posts

FORMAT = 1
STAGES = ("trends", "predictions", "select", "images")
_SPANS = {
    "trends": (0.0, 0.1),
    "predictions": (0.1, 0.55),
    "select": (0.55, 0.57),
    "images": (0.57, 1.0),
}
REPORT_FILE = "trend_report.json"
PREDICTIONS_FILE = "predictions.csv"
SHARES_FILE = "category_shares.csv"
SUMMARY_FILE = "summary.html"
COMPARED = (REPORT_FILE, PREDICTIONS_FILE, SHARES_FILE, "images/<category>/*")
"""Artefacts that a replay reproduces byte for byte. Volatile by design and not compared: run.json
(timestamps, timings, paths), summary.html (timings) and images/report.csv (the `seconds` column)."""


def run_campaign(
    out_dir: Path | str,
    inputs: RunInputs | None = None,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    run_id: str | None = None,
) -> dict[str, Any]:
    """Run every stage into `out_dir`; returns the run record (also saved as out_dir/run.json).

    `run_id` (unique; default a new one) keys the run history. Raises StageError (naming the stage)
    when a stage fails, after recording it; a summary.html is written either way.
    """
    settings = settings or load_settings()
    return _Run(Path(out_dir), inputs or make_inputs(settings), settings, progress, run_id=run_id).execute()


def replay(
    run_json: Path | str,
    out_dir: Path | str,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    run_id: str | None = None,
) -> dict[str, Any]:
    """Run a stored run again with its pinned inputs (same posts window, model and options)."""
    inputs, original = replay_inputs(run_json)
    settings = settings or load_settings()
    return _Run(Path(out_dir), inputs, settings, progress, original=original, run_id=run_id).execute()


def config_digest(settings: Settings) -> str:
    """A short hash of every config/*.toml value, to warn when a replay runs under changed config."""
    text = json.dumps(settings.config, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


class _Run:
    def __init__(
        self,
        out: Path,
        inputs: RunInputs,
        settings: Settings,
        progress: Progress | None,
        original: dict[str, Any] | None = None,
        run_id: str | None = None,
    ) -> None:
        if (out / RUN_FILE).exists():
            raise CampaignError(f"{out} already holds a campaign run; choose another --out folder")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CampaignError(
                f"cannot create the run folder {out} ({exc.strerror}); choose a writable path"
            ) from exc
        self.out, self.inputs, self.settings, self.progress = out, inputs, settings, progress
        self.original = original
        self.stage = STAGES[0]
        self.t0 = time.perf_counter()
        self.scene: dict[str, Any] = {}
        self.shares = pd.DataFrame()
        self.selected: list[tuple[str, Path]] = []
        self.record: dict[str, Any] = {
            "format": FORMAT,
            "run_id": run_id or new_run_id(),
            "user": settings.user or ANONYMOUS,
            "status": "running",
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "finished_at": None,
            "seconds": None,
            "out_dir": str(out.resolve()),
            "replay_of": original["run_id"] if original else None,
            "inputs": inputs.model_dump(),
            "settings": self._settings_view(),
            "stages": [],
            "figures": {},
            "warnings": [],
            "compared_artefacts": list(COMPARED),
        }
        if original and original.get("settings", {}).get("config_digest") != config_digest(settings):
            self._warn(f"config/*.toml changed since run {original['run_id']}; results may differ")

    # ------------------------------------------------------------------ orchestration

    def execute(self) -> dict[str, Any]:
        for name in STAGES:
            self._stage(name, getattr(self, f"_{name}"))
        self.record["status"] = "done"
        self._finish()
        self._report(1.0, "campaign run finished")
        return self.record

    def _stage(self, name: str, fn: Callable[[], None]) -> None:
        entry: dict[str, Any] = {"name": name, "status": "running", "seconds": None, "error": None}
        self.record["stages"].append(entry)
        self.stage = name
        self._report(0.0, f"stage {name}…")
        self._save()
        t = time.perf_counter()
        try:
            fn()
        except Exception as exc:
            reason = str(exc) if isinstance(exc, TrendStudioError) else f"{type(exc).__name__}: {exc}"
            entry.update(status="failed", seconds=round(time.perf_counter() - t, 3), error=reason)
            self.record["status"] = "failed"
            self._finish()
            raise StageError(name, reason, str(self.out)) from exc
        except KeyboardInterrupt:
            entry.update(status="interrupted", seconds=round(time.perf_counter() - t, 3), error="interrupted")
            self.record["status"] = "interrupted"
            self._finish()
            raise
        entry.update(status="done", seconds=round(time.perf_counter() - t, 3))
        self._save()

    def _finish(self) -> None:
        self.record["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        self.record["seconds"] = round(time.perf_counter() - self.t0, 3)
        try:  # a failed run gets a readable summary of what it did, too
            save_atomic(self.out / SUMMARY_FILE, summary.render(self.record).encode("utf-8"))
        except OSError as exc:
            self._warn(f"summary.html not written ({exc.strerror})")
        self._save()

    def _save(self) -> None:
        self.record["inputs"] = self.inputs.model_dump()
        save_atomic(self.out / RUN_FILE, json.dumps(self.record, indent=2, default=str).encode("utf-8"))
        try:
            history.record(self.settings, self.record)
        except TrendStudioError as exc:  # the history is an index; run.json stays the full record
            if not any("history" in w for w in self.record["warnings"]):
                self._warn(f"run history not updated: {exc}")

    def _report(self, fraction: float, message: str) -> None:
        if self.progress is not None:
            lo, hi = _SPANS[self.stage]
            self.progress(lo + (hi - lo) * min(max(fraction, 0.0), 1.0), message)

    def _warn(self, message: str) -> None:
        self.record["warnings"].append(message)

    def _settings_view(self) -> dict[str, Any]:
        s = self.settings
        return {
            "public": s.public(),
            "config_digest": config_digest(s),
            "trends": s.section("trends"),
            "predictor": s.section("predictor"),
        }

    @property
    def figures(self) -> dict[str, Any]:
        return self.record["figures"]

    # ------------------------------------------------------------------ stages

    def _trends(self) -> None:
        posts, labels = self._posts()
        digest = hashlib.blake2b("\n".join(sorted(p.id for p in posts)).encode(), digest_size=10).hexdigest()
        before = (self.original or {}).get("figures", {}).get("posts_digest")
        if before and before != digest:
            self._warn("the posts differ from the original run's (sources changed); the report may differ")
        analysis = new_analyzer(self.inputs.analyzer, self.settings).analyze(
            posts, sources=labels, progress=self._report
        )
        if analysis.fallback:
            self._warn(f"trend analysis: {analysis.report.meta.analyzer}")
        report = analysis.report
        # a replay must not replace the Studio's current trend report
        save_report(report, self.out / REPORT_FILE, self.settings, make_default=not self.original)
        self.scene = report.scene.model_dump()
        self.figures.update(
            posts=report.meta.posts,
            relevant_posts=report.meta.relevant_posts,
            posts_digest=digest,
            analyzer=report.meta.analyzer,
            date_range=report.meta.date_range,
            sources=labels,
            palette=list(report.scene.colors),
            scene=self.scene,
            colors=[c.name for c in report.colors[:5]],
            emerging=[e.term for e in report.emerging[:5]],
        )

    def _posts(self) -> tuple[list, list[str]]:
        i = self.inputs
        if i.posts is None or i.posts_from_store:
            posts = store.query_posts(self.settings, since=i.since, until=i.until)
            if posts or i.posts_from_store:
                if i.until is None:
                    i.until = max(p.created_utc for p in posts) + 1
                i.posts_from_store, i.posts = True, None
                mixed = store.sources_in(self.settings, since=i.since, until=i.until)
                return posts, [f"saved posts: {', '.join(mixed) or 'none'}"]
            i.posts = ["demo"]
        self._report(0.0, f"reading posts from {', '.join(describe(s) for s in i.posts)}…")
        result = load_posts(i.posts, since=i.since, settings=self.settings)
        if result.skipped:
            self.figures["posts_skipped"] = result.skipped
        return result.posts, [describe(s) for s in i.posts]

    def _predictions(self) -> None:
        i = self.inputs
        events = i.events = i.events or [str(self.settings.demo_dir / "events.csv")]
        self.figures["model_trained"] = False
        if i.model is None:
            self._report(0.0, "looking for a trained model…")
            found, trained = provide_model(events, self.settings, i.train, progress=self._training)
            self.figures["model_trained"] = trained
            i.model = str(found)
        self._report(0.9, "predicting each customer's next category…")
        model = load_model(i.model)
        result = forecast(model, events, settings=self.settings)
        frame = result.predictions
        if frame.empty:
            raise CampaignError(
                "no customer in the events has an apparel purchase to predict from; "
                "give event files with purchases (--events)"
            )
        frame.to_csv(self.out / PREDICTIONS_FILE, index=False)
        self.shares = result.shares
        self.shares.to_csv(self.out / SHARES_FILE, index=False)
        backtest = model.meta.get("metrics", {}).get("share_forecast", {})
        self.figures.update(
            customers=len(frame),
            model=Path(i.model).name,
            model_accuracy=model.meta.get("metrics", {}).get("accuracy"),
            shares=self.shares.head(10).to_dict("records"),
            share_forecast={
                "chosen": result.chosen,
                "model_mae": backtest.get("model_mae"),
                "naive_mae": backtest.get("naive_mae"),
                "sentence": forecast_sentence({**backtest, "chosen": result.chosen}, result.horizon_days),
            },
        )

    def _training(self, fraction: float, message: str) -> None:
        self._report(0.85 * fraction, f"training: {message}")

    def _select(self) -> None:
        i = self.inputs
        folder = Path(i.images) if i.images else self.settings.demo_dir / "images"
        i.images = str(folder)
        chosen, without, self.selected = images.select(
            self.shares, folder, top=i.top, per_category=i.per_category, aliases=i.aliases
        )
        self.figures.update(top_categories=chosen, without_photos=without, images_folder=str(folder))

    def _images(self) -> None:
        i = self.inputs
        style = i.style or suggest_style(self.scene)
        options = EnhanceOptions(style=style, preset=i.preset, seed=i.seed)
        self.figures["style"] = style
        items = images.enhance_selected(
            self.selected,
            self.out,
            options,
            scene=self.scene,
            background=new_background("procedural", self.settings),
            thumb_size=i.thumb_size,
            progress=self._report,
            warn=self._warn,
        )
        done = sum(item["status"] == "done" for item in items)
        self.figures.update(images_done=done, images_failed=len(items) - done, items=items)
        if done == 0:
            raise CampaignError(f"no image could be enhanced ({items[0]['error']}); see images/report.csv")
