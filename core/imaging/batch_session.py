"""One batch run as the Batch page drives it: run folder, plan, live status rows,
before/after thumbnails and the results ZIP — so the page only reads widgets and
renders what this object holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import TrendStudioError
from core.imaging.backgrounds.base import Background
from core.imaging.batch import plan_batch, run_batch
from core.imaging.batch_report import zip_results
from core.imaging.batch_types import BatchPlan, BatchResult, Row
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.export import thumbnail
from core.imaging.pipeline import PROCEDURAL

THUMB = 320
TABLE_COLUMNS = ["file", "status", "quality", "compliant", "issues", "seconds", "output"]
"""The one results table (live while running, final afterwards)."""
_NUMERIC = ("seconds",)


@dataclass
class BatchSession:
    """One batch's run folder (the page names it with the campaign's `new_run_dir`, prefixed `batch-`;
    core/imaging does not import the campaign) holding inputs, outputs, thumbnails and the ZIP; its
    name tags the batch's FLUX spending in the team's ledger."""

    run_dir: Path
    plan: BatchPlan | None = None
    status: dict[str, Row] = field(default_factory=dict)
    pairs: list[tuple[str, Path, Path]] = field(default_factory=list)
    result: BatchResult | None = None
    zip_path: Path | None = None

    def prepare(self, sources: list[Path]) -> BatchPlan:
        """Plan the run (raises BatchError on an unusable output folder) and queue every input."""
        self.plan = plan_batch(sources, self.run_dir / "outputs")
        self.status = {label: _table_row({"file": label, "status": "queued"}) for label in self.plan.labels}
        for row in self.plan.refused:
            self.status[row["file"]] = _table_row(row)
        return self.plan

    def run(
        self,
        options: EnhanceOptions,
        *,
        scene: dict | None = None,
        background: Background = PROCEDURAL,
        workers: int | None = None,
        progress: Callable[[Row, int, int], None] | None = None,
    ) -> BatchResult:
        """Run the plan; `progress(row, done, total)` is called in this thread after each image."""
        if self.plan is None:
            raise TrendStudioError("nothing to run: prepare the batch first")
        inputs = {item.label: item.path for item in self.plan.todo}
        thumbs = self.run_dir / "thumbs"

        def on_row(row: Row, done: int, total: int) -> None:
            self.status[row["file"]] = _table_row(row)
            if row["status"] == "done" and row["file"] in inputs:
                output = self.plan.out_dir / row["output"]
                before = _thumb(inputs[row["file"]], thumbs / f"{output.stem}-before.jpg")
                after = _thumb(output, thumbs / f"{output.stem}-after.jpg")
                if before and after:
                    self.pairs.append((row["file"], before, after))
            if progress is not None:
                progress(row, done, total)

        self.result = run_batch(
            self.plan, options, scene=scene, background=background, workers=workers, progress=on_row
        )
        for row in self.result.rows:
            self.status[row["file"]] = _table_row(row)
        self.zip_path = zip_results(self.result, self.run_dir / "results.zip")
        return self.result

    def table(self) -> list[Row]:
        """The results table's rows, typed per column (numbers or None), in input order."""
        return list(self.status.values())

    @property
    def report_path(self) -> Path | None:
        return self.result.report_path if self.result else None

    def seconds_per_image(self) -> float | None:
        done = [r["seconds"] for r in self.table() if r["status"] == "done" and r["seconds"] is not None]
        return sum(done) / len(done) if done else None

    def failures(self) -> list[Row]:
        return [r for r in self.table() if r["status"] == "failed"]


def _table_row(row: dict[str, Any]) -> Row:
    """A report row reduced to the table's columns, with one type per column (Arrow needs that)."""
    compliant = row.get("compliant")
    # every warning report.csv has (a product touching the edge, low coverage...), verdicts' reasons first
    others = [
        w
        for w in str(row.get("warnings") or "").split("; ")
        if w and not w.startswith(("quality —", "not compliant —"))
    ]
    issues = row.get("error") or "; ".join(
        x for x in (row.get("quality_issues"), row.get("compliance_issues"), *others) if x
    )
    out: Row = {
        "file": str(row.get("file", "")),
        "status": str(row.get("status", "")),
        "quality": str(row.get("quality") or ""),
        "compliant": "" if compliant in (None, "") else ("yes" if str(compliant) in ("1", "True") else "no"),
        "issues": str(issues or ""),
        "output": str(row.get("output") or ""),
    }
    for key in _NUMERIC:
        try:
            out[key] = round(float(row[key]), 2)
        except (KeyError, TypeError, ValueError):
            out[key] = None
    return {k: out[k] for k in TABLE_COLUMNS}


def _thumb(src: Path, dest: Path) -> Path | None:
    try:
        return thumbnail(src, dest, THUMB)
    except (TrendStudioError, OSError):
        return None
