"""Saving uploaded files: the one policy every page uses.

An upload is kept under its own file name (directories stripped; glob and control characters become
`_`, so a name is never read as a pattern; an over-long name is shortened, `core/filenames.py`), so reports, sources and outputs show
the names people know. Another file with a name already taken in the folder gets `-2`, `-3`, ...; the same
bytes under the same name reuse the file already there (a rerun writes nothing). Pages read from these
files rather than holding the uploads in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from core.filenames import short_name
from core.settings import Settings

_UNSAFE = re.compile(r"[\x00-\x1f*?\[\]\\]")


class Upload(Protocol):
    """What `st.file_uploader` returns (and what tests can fake): a name and its bytes."""

    name: str

    def getvalue(self) -> bytes: ...


def upload_dir(settings: Settings, purpose: str) -> Path:
    """The folder uploads for one purpose ("posts", "events") are kept in: private to the browser session
    (`settings.uploads_dir`, removed when the session ends), so users never see each other's files."""
    return settings.uploads_dir / purpose


def save_uploads(files: Iterable[Upload], folder: Path) -> list[Path]:
    """Write `files` into `folder` under their own names (see the module's policy); their paths, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for f in files:
        data = f.getvalue()
        name = short_name(_UNSAFE.sub("_", Path(f.name).name))  # a 300-character name is no OSError
        name = "upload" if name in ("", ".", "..") else name
        stem, suffix, n = Path(name).stem, Path(name).suffix, 2
        path = folder / name
        while path in paths or (path.exists() and not _same(path, data)):
            path, n = folder / f"{stem}-{n}{suffix}", n + 1
        if not path.exists():
            path.write_bytes(data)
        paths.append(path)
    return paths


def _same(path: Path, data: bytes) -> bool:
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
