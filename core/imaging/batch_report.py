"""The batch's report: reading an earlier report.csv, rewriting it (and the settings fingerprints) as
rows come in, and zipping a finished batch's outputs with its report."""

from __future__ import annotations

import csv
import json
import logging
import os
import time
import zipfile
from pathlib import Path

from core.imaging.batch_types import BatchPlan, BatchResult, Row
from core.imaging.io import save_atomic
from core.imaging.pipeline import write_report

log = logging.getLogger(__name__)

REPORT_NAME = "report.csv"
STATE_NAME = ".batch-settings.json"
_REPORT_EVERY_S = 0.5  # rewrite report.csv at most this often (and always at the end)


def read_report(path: Path) -> dict[str, Row]:
    """A previous report.csv keyed by input (empty if absent or unreadable)."""
    if not path.is_file():
        return {}
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            return {row["file"]: row for row in csv.DictReader(fh) if row.get("file")}
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        log.warning("ignoring unreadable %s (%s); everything will be redone", path, exc)
        return {}


class ReportWriter:
    """Rows of this batch in input order, merged after earlier rows of other inputs in the folder."""

    def __init__(self, plan: BatchPlan, key: str):
        self.path = plan.out_dir / REPORT_NAME
        mine = set(plan.labels)
        self._others = [r for label, r in plan.previous.items() if label not in mine]
        self._order = plan.labels
        self.rows: dict[str, Row] = {r["file"]: r for r in [*plan.refused, *plan.kept]}
        self._written = 0.0
        self._key, self._settings, self._fresh = key, plan.settings, set()
        self._state_path = plan.out_dir / STATE_NAME

    def add(self, row: Row) -> None:
        self.rows[row["file"]] = row
        if row["status"] == "done":
            self._fresh.add(row["file"])
        if time.monotonic() - self._written >= _REPORT_EVERY_S:
            self.flush()

    def flush(self) -> None:
        write_report([*self._others, *self.ordered()], self.path)
        made = {label: self._key for label in self._fresh}
        save_atomic(self._state_path, json.dumps({**self._settings, **made}, indent=0).encode())
        self._written = time.monotonic()

    def ordered(self) -> list[Row]:
        return [self.rows[label] for label in self._order if label in self.rows]


def zip_results(result: BatchResult, dest: Path) -> Path:
    """One download: every output of the batch plus its report.csv, written atomically."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    out_dir = result.report_path.parent
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            for row in result.rows:
                if row["status"] == "done" and (out_dir / row["output"]).is_file():
                    # images are already compressed: store them, deflate only the report
                    zf.write(
                        out_dir / row["output"], Path(row["output"]).name, compress_type=zipfile.ZIP_STORED
                    )
            zf.write(result.report_path, REPORT_NAME, compress_type=zipfile.ZIP_DEFLATED)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest
