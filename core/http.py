"""HTTP helpers shared by the live integrations (BFL in imaging, Groq in trends)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any


def retry_after_seconds(headers: Mapping[str, Any] | None) -> float | None:
    """How long the server asked us to wait: `retry-after-ms`, else `retry-after` as seconds or an
    HTTP date; None when absent or unreadable (the caller's backoff decides then)."""
    if not headers:
        return None
    lowered = {str(k).lower(): v for k, v in headers.items()}
    try:
        if lowered.get("retry-after-ms") not in (None, ""):
            return max(0.0, float(lowered["retry-after-ms"]) / 1000)
        value = lowered.get("retry-after")
        if value in (None, ""):
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            return max(0.0, parsedate_to_datetime(str(value)).timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return None
