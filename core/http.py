"""The one HTTP retry policy and the one secret scrubber shared by the live clients (BFL, Groq, ...).

Policy: a request that fails transiently (429, 5xx, timeouts, lost connections) is tried again after an
exponential backoff with "equal jitter" (half fixed, half random, so clients that failed together do not
come back together). A server's `Retry-After` wins over the backoff. Nothing waits or retries past one
overall deadline shared by every request of a job, and the number of attempts per request is capped.
Clients raise `Retryable` for what may be retried and map `RetriesExhausted` to their own errors.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

T = TypeVar("T")

# Shapes of keys we issue requests with; scrubbed even when the exact value is unknown (a rotated key).
_KEY_SHAPES = re.compile(r"gsk_[A-Za-z0-9]{8,}")


def scrub(text: str, *secrets: str | None) -> str:
    """`text` with every given secret, and anything shaped like an API key, replaced by `***`.

    Applied to everything a server sends back before it reaches a message, a log line or a report.
    """
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _KEY_SHAPES.sub("***", text)


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


class Retryable(Exception):
    """Raised inside an attempt for a transient failure; `reason` is short and safe to show."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class RetriesExhausted(Exception):
    """The policy gave up. `last` is the last transient failure (None when the deadline had already
    passed before a first attempt); `by_deadline` says whether the deadline, not the attempt budget,
    stopped it; `wait` is the wait that would have passed the deadline, if that was the reason."""

    def __init__(
        self, last: Retryable | None, attempts: int, *, by_deadline: bool, wait: float | None
    ) -> None:
        super().__init__(last.reason if last else "deadline passed")
        self.last = last
        self.attempts = attempts
        self.by_deadline = by_deadline
        self.wait = wait


@dataclass(frozen=True)
class RetryPolicy:
    """When to try again and how long to wait (see the module docstring)."""

    max_attempts: int = 6
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 20.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def backoff(self, retry: int) -> float:
        """Wait before retry number `retry` (0-based): base * 2**retry capped, with equal jitter."""
        delay = min(self.backoff_cap_s, self.backoff_base_s * 2**retry)
        return delay / 2 + self.rng.uniform(0, delay / 2)

    def run(
        self,
        attempt: Callable[[float], T],
        *,
        deadline_at: float,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[Retryable, float], None] | None = None,
    ) -> T:
        """`attempt(seconds_left)` until it returns, raises something else, or the policy gives up.

        `deadline_at` is a `time.monotonic()` instant; `on_retry(failure, wait)` is called before each wait.
        Raises `RetriesExhausted` when the attempts run out or the next wait would pass the deadline.
        """
        blocked: list[float] = []

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            backoff = self.backoff(state.attempt_number - 1)
            after = exc.retry_after if isinstance(exc, Retryable) else None
            return after if after is not None else backoff

        def past_deadline(state: RetryCallState) -> bool:
            if time.monotonic() + state.upcoming_sleep >= deadline_at:  # tenacity sets the wait first
                blocked.append(state.upcoming_sleep)
                return True
            return False

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            if on_retry and isinstance(exc, Retryable):
                on_retry(exc, state.upcoming_sleep)

        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts) | past_deadline,
            wait=wait,
            retry=retry_if_exception_type(Retryable),
            before_sleep=before_sleep,
            sleep=sleep,
            reraise=True,
        )
        attempts = 0
        try:
            for state in retrying:
                with state:
                    attempts += 1
                    remaining = deadline_at - time.monotonic()
                    if remaining <= 0:
                        raise RetriesExhausted(None, attempts - 1, by_deadline=True, wait=None)
                    return attempt(remaining)
        except Retryable as exc:
            by_deadline = attempts < self.max_attempts
            raise RetriesExhausted(
                exc, attempts, by_deadline=by_deadline, wait=blocked[-1] if by_deadline and blocked else None
            ) from None
        raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover
