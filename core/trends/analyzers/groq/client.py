"""A resilient, validating chat call on the groq SDK.

The SDK's own retries are kept low (config `sdk_max_retries`, default 0) so that retry timing is
ours: rate limits honour `retry-after`, server errors back off exponentially with jitter, and
nothing retries past the overall deadline. Answers are parsed with pydantic; one invalid answer
gets one repair request, a second one fails. The API key is never put in a log line or message.
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import groq
from pydantic import ValidationError

from core.errors import TrendStudioError
from core.http import retry_after_seconds
from core.trends.analyzers.groq.prompt import ChunkAnalysis, answer_schema

log = logging.getLogger(__name__)
_KEY_LIKE = re.compile(r"gsk_[A-Za-z0-9]+")
_RETRYABLE_STATUS = {408, 409, 498}  # timeout, conflict, Groq "flex tier at capacity"


class GroqFailure(TrendStudioError):
    """Groq could not produce an analysis; `reason` is short enough for `meta.analyzer`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class GroqKeyRejectedError(GroqFailure):
    """401/403: the key is wrong, revoked or lacks access; retrying cannot help."""


class GroqUnavailableError(GroqFailure):
    """Rate limits, server errors or timeouts persisted until the attempts or the deadline ran out."""


class GroqRequestError(GroqFailure):
    """Groq refused the request itself (unknown model, request too large, …)."""


class GroqOutputError(GroqFailure):
    """The model's answer was not valid JSON for the schema, even after one repair request."""


@dataclass
class RetryPolicy:
    """When to retry and how long to wait; `deadline` is a `time.monotonic()` instant."""

    deadline: float
    max_attempts: int = 6
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 20.0
    request_timeout_s: float = 60.0
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        delay = min(self.backoff_cap_s, self.backoff_base_s * 2**attempt)
        return delay / 2 + self.rng.uniform(0, delay / 2)


class _InvalidAnswer(Exception):
    def __init__(self, content: str, problem: str) -> None:
        super().__init__(problem)
        self.content = content
        self.problem = problem


@dataclass
class CallStats:
    """What happened on the wire, for logs, the page and tests."""

    requests: int = 0
    retries: int = 0
    repairs: int = 0
    waits: list[float] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0


class GroqChat:
    """One model, one key, one retry policy; `analyse(messages)` returns a validated answer."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None,
        policy: RetryPolicy,
        json_schema: bool,
        temperature: float = 0.2,
        max_output_tokens: int = 2048,
        sdk_max_retries: int = 0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._key = api_key
        self.model = model
        self.policy = policy
        self.json_schema = json_schema
        self.temperature = temperature
        self.max_output_tokens = max_output_tokens
        self.stats = CallStats()
        self._sleep = sleep
        self._client = groq.Groq(
            api_key=api_key, base_url=base_url, max_retries=sdk_max_retries, timeout=policy.request_timeout_s
        )

    def analyse(self, messages: list[dict[str, str]]) -> ChunkAnalysis:
        """Ask, validate, and on an invalid answer ask once more with the problem spelt out."""
        try:
            return _parse(*self._complete(messages))
        except _InvalidAnswer as first:
            log.info("Groq answer invalid (%s); sending one repair request", first.problem)
            self.stats.repairs += 1
            repair = [
                *messages,
                {"role": "assistant", "content": first.content[:4000]},
                {"role": "user", "content": f"Your reply was not valid: {first.problem}. Reply again with "
                 "only the corrected JSON object, with every key the system prompt lists."},
            ]
            try:
                return _parse(*self._complete(repair))
            except _InvalidAnswer as second:
                raise GroqOutputError(f"invalid JSON from the model twice ({second.problem})") from None

    def _complete(self, messages: list[dict[str, str]]) -> tuple[str, str]:
        """The answer's text and finish reason, retrying what can be retried."""
        policy = self.policy
        attempt = 0
        while True:
            remaining = policy.deadline - time.monotonic()
            if remaining <= 0:
                raise GroqUnavailableError("no answer before the deadline")
            self.stats.requests += 1
            try:
                response = self._client.chat.completions.create(
                    model=self.model,
                    messages=messages,  # type: ignore[arg-type]
                    response_format=self._response_format(),  # type: ignore[arg-type]
                    temperature=self.temperature,
                    max_completion_tokens=self.max_output_tokens,
                    timeout=max(0.1, min(policy.request_timeout_s, remaining)),
                )
            except (groq.AuthenticationError, groq.PermissionDeniedError) as exc:
                raise GroqKeyRejectedError(
                    f"key rejected (HTTP {exc.status_code}): check GROQ_API_KEY"
                ) from None
            except groq.RateLimitError as exc:
                wait = retry_after_seconds(exc.response.headers)
                last = "rate limited (HTTP 429)"
                if wait is None:
                    wait = policy.backoff(attempt)
            except groq.BadRequestError as exc:
                body = _error_body(exc)
                if body.get("code") == "json_validate_failed":
                    raise _InvalidAnswer(str(body.get("failed_generation") or ""),
                                         "Groq reported the output failed JSON validation") from None
                if self.json_schema and "json_schema" in json.dumps(body):
                    log.info("model %s rejects json_schema; switching to JSON mode", self.model)
                    self.json_schema = False
                    continue
                raise GroqRequestError(f"request refused (HTTP 400): {self._message(exc)}") from None
            except groq.APIStatusError as exc:
                if exc.status_code < 500 and exc.status_code not in _RETRYABLE_STATUS:
                    hint = " (is GROQ_MODEL a current Groq model?)" if exc.status_code == 404 else ""
                    raise GroqRequestError(
                        f"request refused (HTTP {exc.status_code}): {self._message(exc)}{hint}"
                    ) from None
                last = f"server error (HTTP {exc.status_code})"
                wait = policy.backoff(attempt)
            except groq.APITimeoutError:
                last, wait = "request timed out", policy.backoff(attempt)
            except groq.APIConnectionError:
                last, wait = "could not connect", policy.backoff(attempt)
            else:
                self._count_usage(response)
                choice = response.choices[0]
                return choice.message.content or "", str(choice.finish_reason or "")
            attempt += 1
            if attempt >= policy.max_attempts:
                raise GroqUnavailableError(f"{last} after {attempt} attempt{'s' if attempt > 1 else ''}")
            if time.monotonic() + wait > policy.deadline:
                raise GroqUnavailableError(f"{last}; retrying in {wait:.1f}s would pass the deadline")
            log.info("Groq %s; retry %d in %.2fs", last, attempt, wait)
            self.stats.retries += 1
            self.stats.waits.append(wait)
            self._sleep(wait)

    def _response_format(self) -> dict[str, Any]:
        if self.json_schema:
            return {"type": "json_schema",
                    "json_schema": {"name": "trend_analysis", "schema": answer_schema(), "strict": False}}
        return {"type": "json_object"}

    def _count_usage(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.stats.input_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            self.stats.output_tokens += int(getattr(usage, "completion_tokens", 0) or 0)

    def _message(self, exc: groq.APIStatusError) -> str:
        return scrub(str(_error_body(exc).get("message") or "no detail"), self._key)[:200]


def scrub(text: str, key: str | None) -> str:
    """Remove the key (and anything shaped like a Groq key) from text shown to anyone."""
    if key:
        text = text.replace(key, "***")
    return _KEY_LIKE.sub("***", text)


def _error_body(exc: groq.APIStatusError) -> dict[str, Any]:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        return inner if isinstance(inner, dict) else {}
    return {}


def _parse(content: str, finish_reason: str = "stop") -> ChunkAnalysis:
    try:
        return _validate(content)
    except _InvalidAnswer as exc:
        if finish_reason == "length":
            exc.problem += " (the reply was cut off at the token limit: list fewer terms, keep text short)"
        raise


def _validate(content: str) -> ChunkAnalysis:
    text = content.strip()
    if text.startswith("```"):  # tolerate a fenced block
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _InvalidAnswer(content, f"not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise _InvalidAnswer(content, "the reply must be one JSON object")
    try:
        return ChunkAnalysis.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'reply'}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise _InvalidAnswer(content, problems) from None
