"""Every page's sidebar shows today's spending against the caps of the paid APIs that are on."""

from __future__ import annotations

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT
from core.budget import ledger_for
from core.settings import load_settings


def test_sidebar_shows_spent_and_left(demo_dir, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    monkeypatch.setenv("BFL_API_KEY", "bfl-key-for-the-sidebar-test")
    monkeypatch.setenv("TRENDSTUDIO_BFL_BUDGET_USD", "1.50")
    ledger = ledger_for(load_settings())
    ledger.reserve("bfl", "flux-pro-1.0-fill", 0.05).settle(0.045)
    ledger.reserve("bfl", "flux-pro-1.0-fill", 0.05)  # in flight: counts as spent until it settles
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "4_Batch_Enhancement.py"), default_timeout=90).run()
    assert not at.exception
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "**BFL (FLUX)**: $0.10 spent · $1.41 left of $1.50" in captions  # 0.045 + 0.05 reserved
    assert "Groq" not in captions  # off: no cap to show
    assert os.environ["BFL_API_KEY"] not in captions
    sessions = list((tmp_path / "sessions").iterdir())
    assert len(sessions) == 1 and sessions[0].is_dir()  # this session's private folder


def test_a_corrupt_ledger_is_a_warning_not_a_blank_home(demo_dir, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    monkeypatch.setenv("BFL_API_KEY", "bfl-key-for-the-sidebar-test")
    (tmp_path / "spend.sqlite3").write_bytes(b"not a database" * 500)
    at = AppTest.from_file(str(PROJECT_ROOT / "Home.py"), default_timeout=90).run()
    assert not at.exception
    assert at.metric  # the page itself rendered
    warning = " ".join(w.value for w in at.sidebar.warning)
    assert "spend.sqlite3 in the data folder cannot be read" in warning and str(tmp_path) not in warning
