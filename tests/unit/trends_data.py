"""Where the real Reddit evaluation posts are, from the main checkout or from a worktree below it."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import PROJECT_ROOT


def reddit_dir() -> Path:
    """The folder of real Reddit CSVs (skips the calling test when it is absent)."""
    for base in (PROJECT_ROOT.parent, PROJECT_ROOT.parent.parent):
        folder = base / "shared" / "data" / "reddit"
        if folder.is_dir():
            return folder
    pytest.skip("../shared/data/reddit is not present on this machine")
