"""The Batch table's issues column says everything report.csv's warnings say (issue 24 walk-through)."""

from __future__ import annotations

import csv

import numpy as np
from PIL import Image

from core.imaging.batch_session import BatchSession
from core.imaging.pipeline import EnhanceOptions


def test_a_product_touching_the_edge_is_in_the_issues_column(demo_dir, tmp_path) -> None:
    mask = np.asarray(Image.open(demo_dir / "masks" / "jeans.png").convert("L")) > 127
    ys, xs = np.nonzero(mask)
    box = (int(xs.min()) + 40, int(ys.min()) + 40, int(xs.max()) + 1, int(ys.max()) + 1)  # cut at left/top
    src = tmp_path / "in"
    src.mkdir()
    Image.open(demo_dir / "images" / "jeans.jpg").crop(box).save(src / "jeans.jpg", quality=95)
    session = BatchSession(tmp_path / "batch-run")
    session.prepare([src / "jeans.jpg"])
    session.run(EnhanceOptions(preset="web"), workers=1)
    with open(session.report_path, newline="") as fh:
        report = next(csv.DictReader(fh))
    assert "touches the photo's edge" in report["warnings"]  # what report.csv says ...
    (row,) = session.table()
    assert row["status"] == "done" and "touches the photo's edge" in row["issues"]  # ... the table says too
