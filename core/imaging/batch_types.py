"""The batch's data: a planned item, the plan, the result, a report row, and the batch-level error.

Every other batch module (inputs, report, the runner, the page's session) imports these; this module
imports none of them, so the imports between the batch modules run one way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import TrendStudioError

Row = dict[str, Any]
RowDone = Callable[[Row, int, int], None]
"""Called in the caller's thread after each image: (report row, images finished, images to do)."""


class BatchError(TrendStudioError):
    """The batch as a whole cannot run (e.g. the output folder is an input folder)."""


@dataclass(frozen=True)
class BatchItem:
    label: str
    """What the report calls the input, relative to what was given (`a.jpg`, `sub/a.jpg` in a folder,
    `archive.zip/member`): never a server path."""
    path: Path
    """The file handed to the worker (unique stem within the batch)."""


@dataclass
class BatchPlan:
    out_dir: Path
    todo: list[BatchItem] = field(default_factory=list)
    kept: list[Row] = field(default_factory=list)
    """Rows of a previous run whose outputs are complete: skipped unless forced."""
    refused: list[Row] = field(default_factory=list)
    """Inputs that failed before processing (missing files, ZIP members the guard refused)."""
    previous: dict[str, Row] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    """Fingerprint of the options each earlier output was made with (from the state file)."""
    key: str | None = None
    """Fingerprint of this run's options; None when the caller did not say (resume by files alone)."""

    @property
    def labels(self) -> list[str]:
        """Every input of this batch, in order (what a status table lists)."""
        return (
            [r["file"] for r in self.refused] + [r["file"] for r in self.kept] + [i.label for i in self.todo]
        )


@dataclass
class BatchResult:
    report_path: Path
    rows: list[Row]
    """This batch's rows (refused, skipped-as-complete and processed), in input order."""
    skipped: int = 0

    @property
    def done(self) -> int:
        return sum(r["status"] == "done" for r in self.rows)

    @property
    def failed(self) -> int:
        return sum(r["status"] != "done" for r in self.rows)


def failed_row(label: str, reason: str) -> Row:
    """The report row of an input that produced no output, with the reason a user can act on."""
    return {"file": label, "status": "failed", "error": reason, "seconds": 0.0, "output": ""}
