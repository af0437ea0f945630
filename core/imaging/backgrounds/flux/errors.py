"""What can go wrong with a FLUX (Black Forest Labs) generation, each with a message a user can act on.

Messages never contain the API key: the client scrubs every server-provided detail before it gets here.
"""

from __future__ import annotations

from core.errors import TrendStudioError


class FluxError(TrendStudioError):
    """Base class for every BFL API failure."""


class FluxKeyMissing(FluxError):
    """The FLUX backend was chosen but no key is configured."""


class FluxKeyRejected(FluxError):
    """BFL answered 401/403: the key is wrong, revoked or lacks access."""


class FluxCreditsExhausted(FluxError):
    """BFL answered 402: the account has no credits left."""


class FluxRequestRejected(FluxError):
    """BFL refused the request itself (4xx other than auth/rate limit), e.g. a parameter out of range."""


class FluxModerated(FluxError):
    """BFL's moderation stopped the request or its output (`Request Moderated` / `Content Moderated`)."""

    def __init__(self, message: str, status: str) -> None:
        super().__init__(message)
        self.status = status


class FluxTaskFailed(FluxError):
    """The task ended with `Error`, or BFL no longer knows it (`Task not found`)."""


class FluxUnavailable(FluxError):
    """Rate limits, 5xx or network errors persisted through every retry."""


class FluxTimeout(FluxUnavailable):
    """The overall deadline passed before the image was ready."""


class FluxBadResponse(FluxError):
    """BFL (or whatever answers at BFL_API_URL) sent something that is not the documented API."""
