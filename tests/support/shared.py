"""Where the shared evaluation data is, and a free local port: plain helpers any test layer can import."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from core import PROJECT_ROOT


def _find_shared_data() -> Path:
    """../shared/data beside the checkout (or beside the worktree folder); TRENDSTUDIO_SHARED_DATA wins."""
    if os.environ.get("TRENDSTUDIO_SHARED_DATA"):
        return Path(os.environ["TRENDSTUDIO_SHARED_DATA"])
    for base in (PROJECT_ROOT.parent, PROJECT_ROOT.parent.parent):
        if (base / "shared" / "data").is_dir():
            return base / "shared" / "data"
    return PROJECT_ROOT.parent / "shared" / "data"


SHARED_DATA = _find_shared_data()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
