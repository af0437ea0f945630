"""The one progress callback every long-running core call accepts: `progress(fraction, message)`.

`fraction` is 0..1 through the whole call (None when the step's share is unknown, e.g. a remote task
that does not report its own progress); `message` says what is happening, for a bar's caption or a log.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """`progress(fraction, message)`: fraction 0..1 (or None: unknown), then a human-readable message."""

    def __call__(self, fraction: float | None, message: str, /) -> None: ...


def report(progress: Progress | None, fraction: float, message: str) -> None:
    """Call `progress` (if any) with `fraction` clamped to 0..1."""
    if progress is not None:
        progress(min(max(fraction, 0.0), 1.0), message)
