"""The Predictor's "server path" source on a shared server: a file, folder or glob read only under the
configured import root (`[predictor] import_root` in config/settings.toml), never in the data folder
(other sessions' uploads, models, the ledger), with symlinks resolved before the check.

Without an import root the source is off once sign-in is configured (a team server); on a one-person
machine without sign-in any path outside the data folder can be read.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.predictor.errors import EventSourceError
from core.predictor.events import resolve_sources
from core.settings import PROJECT_ROOT, Settings

_GLOB_CHARS = "*?["


class ServerPathError(EventSourceError):
    """A server path is off, outside the import root, or inside the data folder."""


def import_root(settings: Settings) -> Path | None:
    """The configured import root, resolved (None when it is not set)."""
    raw = str((settings.section("settings").get("predictor") or {}).get("import_root") or "").strip()
    if not raw:
        return None
    root = Path(raw).expanduser()
    root = (root if root.is_absolute() else PROJECT_ROOT / root).resolve()
    if not root.is_dir():
        raise ServerPathError(
            "the import root set in config/settings.toml [predictor] import_root is not a folder; fix it"
        )
    return root


def server_path_enabled(settings: Settings, *, team: bool) -> bool:
    """Whether the server-path source may be offered: always with an import root, else only off a team server."""
    return import_root(settings) is not None or not team


def server_sources(typed: str, settings: Settings, *, team: bool) -> list[Path]:
    """The event files `typed` names (a file, folder or glob; relative to the import root when one is
    set), each checked to resolve, symlinks followed, under the root and outside the data folder."""
    typed = typed.strip()
    if not typed:
        raise ServerPathError("enter a file, folder or glob")
    root = import_root(settings)
    if root is None and team:
        raise ServerPathError(
            "server paths are off on this shared server; upload the files, or ask the person who runs it to "
            "set [predictor] import_root in config/settings.toml"
        )
    forbidden = settings.data_dir.resolve()
    path = Path(typed).expanduser()
    if root is not None and not path.is_absolute():
        path = root / path
    if any(ch in typed for ch in _GLOB_CHARS) and ".." in path.parts:  # a glob can climb after a wildcard
        raise ServerPathError(
            f"{typed}: '..' is refused in a glob (it could climb out of the allowed folders)"
        )
    literal = _literal_prefix(path)
    _check(literal, root, forbidden, typed)
    files = resolve_sources([str(path)])
    for file in files:
        _check(file.resolve(), root, forbidden, typed)
    return [file.resolve() for file in files]


def _literal_prefix(path: Path) -> Path:
    """The folder a path or glob starts from, `..` folded and symlinks resolved (it need not exist)."""
    text = str(path)
    cut = min((text.find(ch) for ch in _GLOB_CHARS if ch in text), default=-1)
    if cut >= 0:
        text = os.path.dirname(text[:cut])
    return Path(os.path.normpath(text or os.sep)).resolve()


def _check(path: Path, root: Path | None, forbidden: Path, typed: str) -> None:
    if root is not None and not path.is_relative_to(root):
        raise ServerPathError(f"{typed} is outside the import root; give a path under it")
    if path.is_relative_to(forbidden):
        raise ServerPathError(
            f"{typed} reaches into the app's data folder (sessions, uploads, models), which is never read "
            "as events; upload the files instead"
        )
