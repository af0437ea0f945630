"""Team-server plumbing: the user on campaign runs, private session folders, one model shared by threads."""

from __future__ import annotations

import concurrent.futures as cf
import os
import time
from pathlib import Path

import numpy as np

from core.campaign import history
from core.imaging import masking
from core.settings import load_settings
from ui import session


def test_campaign_history_records_who_ran_it(tmp_path: Path) -> None:
    settings = load_settings(env={"TRENDSTUDIO_DATA": str(tmp_path)})
    run = {
        "run_id": "r1",
        "started_at": "2026-11-29T10:00:00+00:00",
        "status": "done",
        "out_dir": "x",
        "user": "ana@example.com",
        "figures": {},
        "stages": [],
    }
    history.record(settings, run)
    history.record(settings, {**run, "run_id": "r2", "user": "local"})
    frame = history.list_runs(settings)
    assert dict(zip(frame["run_id"], frame["user"], strict=True)) == {"r1": "ana@example.com", "r2": "local"}


def test_old_session_folders_are_swept_and_outside_the_app_there_is_none(tmp_path: Path) -> None:
    root = tmp_path / session.SESSIONS
    old, fresh = root / "old", root / "fresh"
    old.mkdir(parents=True)
    fresh.mkdir()
    stale = time.time() - session.MAX_AGE_S - 60
    os.utime(old, (stale, stale))
    session._sweep(root)
    assert not old.exists() and fresh.exists()
    assert session.session_dir(tmp_path) is None  # the CLI and tests: no browser session
    folder = session._Folder(root / "abc")
    path = folder.path
    assert path.is_dir()
    del folder  # Streamlit dropped the session: its folder goes with it
    assert not path.exists()


def test_the_shared_model_gives_the_same_masks_from_eight_threads(demo_dir: Path) -> None:
    rng = np.random.default_rng(3)
    photos = [rng.integers(0, 256, (200, 160, 3), dtype=np.uint8) for _ in range(8)]
    alone = [masking.predict_soft(p)[0] for p in photos]
    with cf.ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda p: masking.predict_soft(p)[0], photos))
    for a, b in zip(alone, together, strict=True):
        assert np.array_equal(a, b)
