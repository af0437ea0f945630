"""Where the real Reddit evaluation posts are (the same lookup as the `shared_data` fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.shared import SHARED_DATA


def reddit_dir() -> Path:
    """The folder of real Reddit CSVs (skips the calling test when it is absent)."""
    folder = SHARED_DATA / "reddit"
    if not folder.is_dir():
        pytest.skip("../shared/data/reddit is not present on this machine")
    return folder
