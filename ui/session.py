"""A private folder per browser session (uploads), removed when the session ends or, failing that, a day later.

Sessions never see each other's files: the folder is named by Streamlit's session id, which only that
browser's connection knows. Streamlit has no "session ended" hook, so the folder's owner object lives in
st.session_state and removes the folder when Streamlit drops the session; a sweep at each new session
removes folders left by a server that stopped abruptly.
"""

from __future__ import annotations

import shutil
import time
import weakref
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

SESSIONS = "sessions"
MAX_AGE_S = 24 * 3600


class _Folder:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        weakref.finalize(self, shutil.rmtree, str(path), True)


def session_dir(data_dir: Path) -> Path | None:
    """This browser session's folder under <data>/sessions/ (None when not running in the app)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    folder: _Folder | None = st.session_state.get("_session_folder")
    if folder is None or not folder.path.is_dir():
        root = data_dir / SESSIONS
        _sweep(root)
        folder = _Folder(root / ctx.session_id)
        st.session_state["_session_folder"] = folder
    return folder.path


def _sweep(root: Path) -> None:
    """Remove session folders nobody has written to for a day."""
    if not root.is_dir():
        return
    cutoff = time.time() - MAX_AGE_S
    for child in root.iterdir():
        try:
            if child.is_dir() and child.stat().st_mtime < cutoff:
                shutil.rmtree(child, ignore_errors=True)
        except OSError:
            continue
