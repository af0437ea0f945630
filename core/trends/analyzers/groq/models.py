"""Which chat models Groq serves today (`client.models.list()`), cached for the session.

Groq retires models on announced dates (llama-3.3-70b-versatile stopped on 2026-08-16): checking the
configured model against the list before any chat request turns a silent 404 into a one-line message
that names the model and `GROQ_MODEL`. If the listing itself fails, the check is skipped (logged):
a 404 `model_not_found` on the first chat request says the same thing.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time

import groq
import httpx

from core.settings import Settings

log = logging.getLogger(__name__)
CACHE_SECONDS = 900.0
# Ids of listed models that do not chat (speech, text-to-speech, safety classifiers).
_NOT_CHAT = ("whisper", "tts", "orpheus", "playai", "guard")

_cache: dict[tuple[str, str], tuple[float, list[str]]] = {}
_lock = threading.Lock()


def chat_models(settings: Settings, *, timeout_s: float = 10.0) -> list[str] | None:
    """The chat model ids Groq lists for this key, sorted; None without a key or when listing fails."""
    key = settings.secret("groq_api_key")
    if not key:
        return None
    cache_key = (settings.groq_base_url or "", hashlib.sha256(key.encode()).hexdigest()[:16])
    with _lock:
        hit = _cache.get(cache_key)
    if hit and time.monotonic() - hit[0] < CACHE_SECONDS:
        return list(hit[1])
    try:
        client = groq.Groq(api_key=key, base_url=settings.groq_base_url, max_retries=0, timeout=timeout_s)
        listed = client.models.list().data
    except (groq.APIError, httpx.HTTPError) as exc:
        log.warning(
            "could not list Groq models (%s); the configured model is not checked", type(exc).__name__
        )
        return None
    ids = sorted(m.id for m in listed if getattr(m, "active", True) is not False and _is_chat(m.id))
    with _lock:
        _cache[cache_key] = (time.monotonic(), ids)
    return list(ids)


def forget() -> None:
    """Drop the cached lists (tests; a user who just changed plans)."""
    with _lock:
        _cache.clear()


def _is_chat(model_id: str) -> bool:
    lowered = model_id.lower()
    return not any(word in lowered for word in _NOT_CHAT)
