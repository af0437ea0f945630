"""The batch session the Batch page drives: one typed results table, thumbnails, the ZIP."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PIL import Image

from core.imaging.batch_session import TABLE_COLUMNS, BatchSession
from core.imaging.enhance_options import EnhanceOptions


def test_session_runs_a_batch_into_one_typed_table(demo_dir, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    Image.open(demo_dir / "images" / "shoes.jpg").resize((300, 300)).save(src / "shoes.jpg")
    (src / "broken.jpg").write_bytes((demo_dir / "images" / "dress.jpg").read_bytes()[:800])
    session = BatchSession(tmp_path / "batch-run")
    plan = session.prepare([src / "shoes.jpg", src / "broken.jpg", src / "missing.jpg"])
    assert [r["status"] for r in session.table()] == [
        "failed",
        "queued",
        "queued",
    ]  # missing: refused at once
    seen = []
    result = session.run(
        EnhanceOptions(preset="instagram-square"),
        workers=1,
        progress=lambda row, done, total: seen.append((row["file"], done, total)),
    )
    assert len(seen) == 2 and result.done == 1 and plan.out_dir == tmp_path / "batch-run" / "outputs"
    table = {r["file"]: r for r in session.table()}
    assert set(table) == {"shoes.jpg", "broken.jpg", "missing.jpg"}
    for row in table.values():  # every row has every column, one type per column (Arrow needs that)
        assert list(row) == TABLE_COLUMNS
        assert row["seconds"] is None or isinstance(row["seconds"], float)
        assert all(isinstance(row[k], str) for k in TABLE_COLUMNS if k != "seconds")
    shoes = table["shoes.jpg"]
    assert shoes["output"] == "shoes.jpg" and shoes["compliant"] == "yes"
    assert shoes["quality"] == "poor" and shoes["issues"].startswith("upscaled")  # 300 px -> 1080 px
    assert "truncated" in table["broken.jpg"]["issues"] and table["missing.jpg"]["issues"] == "file not found"
    assert len(session.pairs) == 1 and all(Path(p).is_file() for p in session.pairs[0][1:])
    with zipfile.ZipFile(session.zip_path) as zf:
        assert sorted(zf.namelist()) == ["report.csv", "shoes.jpg"]
    assert session.seconds_per_image() > 0 and len(session.failures()) == 2
