"""The one retry policy and the one scrubber (core/http.py), without a network: a fake clock and sleep."""

from __future__ import annotations

import random
import time

import pytest

from core.http import RetriesExhausted, Retryable, RetryPolicy, retry_after_seconds, scrub


class Clock:
    """`sleep` advances a fake monotonic clock, so deadlines are exact and tests take no time."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        monkeypatch.setattr(time, "monotonic", lambda: self.now)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def failing(*failures: Retryable | str):
    """An attempt that raises the given failures in turn, then returns its argument (seconds left)."""
    queue = list(failures)
    calls: list[float] = []

    def attempt(remaining: float):
        calls.append(remaining)
        if queue:
            failure = queue.pop(0)
            raise failure if isinstance(failure, Retryable) else Retryable(failure)
        return "ok"

    attempt.calls = calls  # type: ignore[attr-defined]
    return attempt


def test_backoff_is_exponential_capped_with_equal_jitter():
    policy = RetryPolicy(backoff_base_s=1.0, backoff_cap_s=8.0, rng=random.Random(0))
    for retry in range(8):
        delay = min(8.0, 2.0**retry)
        waits = [policy.backoff(retry) for _ in range(200)]
        assert all(delay / 2 <= w <= delay for w in waits)
        assert max(waits) - min(waits) > delay / 4  # really jittered


def test_transient_failures_are_retried_and_retry_after_wins(monkeypatch):
    clock = Clock(monkeypatch)
    policy = RetryPolicy(max_attempts=5, backoff_base_s=0.5, backoff_cap_s=4.0)
    seen: list[tuple[str, float]] = []
    attempt = failing("HTTP 503", Retryable("HTTP 429", retry_after=7.0), "HTTP 502")
    result = policy.run(
        attempt,
        deadline_at=clock.now + 60,
        sleep=clock.sleep,
        on_retry=lambda failure, wait: seen.append((failure.reason, wait)),
    )
    assert result == "ok" and len(attempt.calls) == 4
    assert clock.slept[1] == 7.0  # the server's Retry-After, not the backoff
    assert 0.25 <= clock.slept[0] <= 0.5 and 1.0 <= clock.slept[2] <= 2.0
    assert [r for r, _ in seen] == ["HTTP 503", "HTTP 429", "HTTP 502"] and [
        w for _, w in seen
    ] == clock.slept
    assert attempt.calls[0] == 60 and attempt.calls[-1] == pytest.approx(60 - sum(clock.slept))


def test_the_attempt_budget_and_the_deadline_stop_it_and_say_which(monkeypatch):
    clock = Clock(monkeypatch)
    policy = RetryPolicy(max_attempts=3, backoff_base_s=1.0, backoff_cap_s=1.0)
    with pytest.raises(RetriesExhausted) as info:
        policy.run(failing(*["HTTP 500"] * 10), deadline_at=clock.now + 100, sleep=clock.sleep)
    assert info.value.attempts == 3 and not info.value.by_deadline and info.value.last.reason == "HTTP 500"
    assert len(clock.slept) == 2

    with pytest.raises(RetriesExhausted) as info:
        policy.run(
            failing(Retryable("HTTP 429", retry_after=30.0)), deadline_at=clock.now + 10, sleep=clock.sleep
        )
    assert info.value.by_deadline and info.value.wait == 30.0 and info.value.attempts == 1
    assert len(clock.slept) == 2  # gave up at once instead of sleeping past the deadline

    with pytest.raises(RetriesExhausted) as info:
        policy.run(failing(), deadline_at=clock.now - 1, sleep=clock.sleep)
    assert info.value.last is None and info.value.attempts == 0


def test_other_exceptions_are_not_retried(monkeypatch):
    clock = Clock(monkeypatch)
    calls = []

    def attempt(remaining: float):
        calls.append(remaining)
        raise PermissionError("key rejected")

    with pytest.raises(PermissionError):
        RetryPolicy().run(attempt, deadline_at=clock.now + 10, sleep=clock.sleep)
    assert len(calls) == 1 and not clock.slept


def test_scrub_removes_given_secrets_and_key_shaped_strings():
    text = "bad key sk-live-123 and gsk_AbCdEf0123456789 rotated, also None"
    assert scrub(text, "sk-live-123", None, "") == "bad key *** and *** rotated, also None"
    assert scrub("nothing secret") == "nothing secret"


def test_retry_after_header_forms():
    import httpx

    assert retry_after_seconds(httpx.Headers({"retry-after": "7"})) == 7.0
    assert retry_after_seconds(httpx.Headers({"retry-after-ms": "250", "retry-after": "9"})) == 0.25
    soon = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 <= retry_after_seconds(httpx.Headers({"retry-after": soon})) <= 31
    assert retry_after_seconds(httpx.Headers({"retry-after": "soon-ish"})) is None
    assert retry_after_seconds(httpx.Headers({})) is None
