"""Enhance a whole catalogue: in parallel, resumable, with an incremental report.

`plan_batch` expands directories, files and ZIPs (through the ZIP guard) into work items and
decides what a rerun can skip; `run_batch` streams the items through an executor (a local process
pool sized to the cores, or a Dask cluster through its standard `concurrent.futures` executor),
keeping only a few futures in flight so memory stays flat however large the catalogue is.
Each worker creates its rembg session once (see `core.imaging.workers`). Outputs are written
atomically by `enhance_file`; `report.csv` is rewritten atomically as rows come in, so an interrupted
run loses nothing already made and the next run picks up where it stopped.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import logging
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from core.imaging.backgrounds import Background
from core.imaging.batch_inputs import expand_sources, is_complete, unique_stem
from core.imaging.batch_report import REPORT_NAME, STATE_NAME, ReportWriter, read_report
from core.imaging.batch_types import BatchError, BatchItem, BatchPlan, BatchResult, Row, RowDone, failed_row
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.pipeline import PROCEDURAL, enhance_file
from core.imaging.workers import dask_client, local_executor
from core.imaging.zipsafe import ZipLimits

log = logging.getLogger(__name__)

STAGING_NAME = ".batch-inputs"

# ---------------------------------------------------------------------------------------- planning


def plan_batch(
    sources: Sequence[Path],
    out_dir: Path,
    *,
    options: EnhanceOptions | None = None,
    scene: dict | None = None,
    background: Background = PROCEDURAL,
    force: bool = False,
    limits: ZipLimits | None = None,
) -> BatchPlan:
    """Expand `sources` (image files, folders, ZIPs) and decide what still has to be done.

    An input is skipped when its earlier output is complete and, if `options` are given, was made
    with the same options, scene and background generator (a rerun with another preset redoes it).
    """
    out_dir = Path(out_dir)
    _check_out_dir(sources, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / STAGING_NAME
    plan = BatchPlan(
        out_dir=out_dir,
        previous=read_report(out_dir / REPORT_NAME),
        settings=_read_state(out_dir / STATE_NAME),
        key=None if options is None else settings_key(options, scene, background),
    )
    seen: set[Path] = set()
    labels: set[str] = {r["file"] for r in plan.refused}
    stems: set[str] = set()
    for label, path in expand_sources(sources, out_dir, staging, plan, limits or ZipLimits()):
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        if label in labels:  # the same name from two folders: tell them apart by their folder
            label = next(c for c in (f"{path.parent.name}/{path.name}", str(path)) if c not in labels)
        labels.add(label)
        old = plan.previous.get(label)
        made_with = plan.settings.get(label)
        same = plan.key is None or made_with is None or made_with == plan.key
        if not force and old is not None and same and is_complete(old, out_dir):
            plan.kept.append(old)
            stems.add(Path(old["output"]).stem.lower())
            continue
        plan.todo.append(BatchItem(label, unique_stem(path, stems, staging)))
    return plan


def settings_key(options: EnhanceOptions, scene: dict | None, background: Background = PROCEDURAL) -> str:
    """A short fingerprint of everything that changes an output (e.g. FLUX: its prompt and parameters)."""
    blob = json.dumps(
        {"options": options.model_dump(mode="json"), "scene": scene, "background": background.signature},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _read_state(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _check_out_dir(sources: Sequence[Path], out_dir: Path) -> None:
    out = out_dir.resolve()
    for src in map(Path, sources):
        folder = src.resolve() if src.is_dir() else src.resolve().parent
        if folder == out:
            raise BatchError(
                f"--out {out_dir} is also an input folder; choose a separate output folder "
                "so outputs never overwrite originals"
            )


# ---------------------------------------------------------------------------------------- running


def _process(
    item: BatchItem, out_dir: Path, options: EnhanceOptions, scene: dict | None, background: Background
) -> Row:
    """The unit of work a worker runs: one input -> one output file and one report row."""
    row = dict(enhance_file(item.path, out_dir, options, scene=scene, background=background))
    row["file"] = item.label
    if row.get("output"):  # the report names outputs relative to the output folder (no server paths)
        row["output"] = Path(row["output"]).relative_to(out_dir).as_posix()
    return row


def run_batch(
    plan: BatchPlan,
    options: EnhanceOptions,
    *,
    scene: dict | None = None,
    background: Background = PROCEDURAL,
    workers: int | None = None,
    dask_address: str | None = None,
    progress: RowDone | None = None,
) -> BatchResult:
    """Process `plan.todo` in parallel; write outputs and report.csv into `plan.out_dir`.

    One bad image never stops the others: it becomes a failed row with its reason. `scene`, `options`
    and `background` (from `new_background`; picklable) travel to the workers.
    """
    report = ReportWriter(plan, plan.key or settings_key(options, scene, background))
    job = _Job(plan, options, scene, background, report, progress)
    try:
        if plan.todo and dask_address:
            client = dask_client(dask_address)
            try:
                threads = sum(client.nthreads().values()) or 1
                job.stream(client.get_executor(pure=False), 2 * threads)
            finally:
                client.close()
        elif plan.todo:
            job.stream(
                *local_executor(workers, len(plan.todo)), rebuild=lambda: local_executor(workers, job.left)
            )
    finally:
        report.flush()
        shutil.rmtree(plan.out_dir / STAGING_NAME, ignore_errors=True)
    return BatchResult(report.path, report.ordered(), skipped=len(plan.kept))


class _Job:
    """Streams a plan through an executor with a bounded number of futures in flight."""

    def __init__(
        self,
        plan: BatchPlan,
        options: EnhanceOptions,
        scene: dict | None,
        background: Background,
        report: ReportWriter,
        progress: RowDone | None,
    ):
        self.plan, self.options, self.scene, self.background = plan, options, scene, background
        self.report, self.progress = report, progress
        self.total = len(plan.todo)
        self.finished = 0

    @property
    def left(self) -> int:
        return self.total - self.finished

    def stream(
        self, pool: cf.Executor, slots: int, rebuild: Callable[[], tuple[cf.Executor, int]] | None = None
    ) -> None:
        """Keep at most `slots` images in flight; record each row as it completes.

        A local pool whose worker died (BrokenProcessPool) fails only the images in flight and is
        replaced by a fresh one for the rest.
        """
        queue = iter(self.plan.todo)
        inflight: dict[cf.Future, BatchItem] = {}
        try:
            while True:
                for item in queue:
                    fut = pool.submit(
                        _process, item, self.plan.out_dir, self.options, self.scene, self.background
                    )
                    inflight[fut] = item
                    if len(inflight) >= slots:
                        break
                if not inflight:
                    return
                completed, _ = cf.wait(inflight, return_when=cf.FIRST_COMPLETED)
                broken = False
                for fut in completed:
                    row, crashed = _row_of(fut, inflight.pop(fut))
                    broken |= crashed
                    self._record(row)
                if broken and rebuild is not None:
                    for fut in list(inflight):
                        self._record(_row_of(fut, inflight.pop(fut))[0])
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool, slots = rebuild()
        finally:
            for fut in inflight:
                fut.cancel()
            if rebuild is not None:  # a local pool is ours to close; a Dask executor is the client's
                pool.shutdown(wait=True, cancel_futures=True)

    def _record(self, row: Row) -> None:
        self.report.add(row)
        self.finished += 1
        if self.progress:
            self.progress(row, self.finished, self.total)


def _row_of(fut: cf.Future, item: BatchItem) -> tuple[Row, bool]:
    try:
        return fut.result(), False
    except BrokenProcessPool:
        return failed_row(
            item.label,
            "the worker process died while this image was in flight "
            "(out of memory?); rerun the batch to retry it",
        ), True
    except Exception as exc:  # a bug in the pipeline must not stop the batch
        log.exception("enhancing %s failed", item.label)
        return failed_row(item.label, f"{type(exc).__name__}: {exc}"), False
