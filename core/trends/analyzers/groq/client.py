"""A validating chat call on the groq SDK, retried by the shared policy in `core/http.py`.

The SDK's own retries are off (`max_retries=0`): retry timing is the shared policy's, so rate limits
honour `retry-after`, server errors back off with jitter, and nothing retries past the analysis'
overall deadline (the SDK's retries know neither the deadline nor our attempt budget). Answers are
parsed with pydantic; one invalid answer gets one repair request, a second one fails. The response
format is the strongest the model supports: strict `json_schema` (constrained decoding), best-effort
`json_schema`, else JSON mode. Reasoning models get a `reasoning_effort` and a completion budget
that leaves room for their reasoning tokens. The API key never reaches a log line or a message.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import groq
from pydantic import ValidationError

from core.http import RetriesExhausted, Retryable, RetryPolicy, retry_after_seconds, scrub
from core.trends.analyzers.groq.errors import (
    GroqKeyRejectedError,
    GroqModelError,
    GroqOutputError,
    GroqRequestError,
    GroqUnavailableError,
)
from core.trends.analyzers.groq.prompt import ChunkAnalysis, answer_schema, strict_schema

log = logging.getLogger(__name__)
_RETRYABLE_STATUS = {408, 409, 498}  # timeout, conflict, Groq "flex tier at capacity"
_MODEL_GONE = {"model_not_found", "model_decommissioned"}
ResponseFormat = Literal["strict", "json_schema", "json_object"]


class _InvalidAnswer(Exception):
    def __init__(self, content: str, problem: str) -> None:
        super().__init__(problem)
        self.content = content
        self.problem = problem


class _FormatRefused(Exception):
    """The model rejected the response format; ask again with a weaker one (best-effort json_schema
    when only strict mode was refused, else JSON mode)."""

    def __init__(self, strict_only: bool) -> None:
        super().__init__("response format refused")
        self.strict_only = strict_only


@dataclass
class CallStats:
    """What happened on the wire, for logs, the page and tests."""

    requests: int = 0
    retries: int = 0
    repairs: int = 0
    waits: list[float] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    """Part of `output_tokens` (billed as output) that the model spent reasoning."""


class GroqChat:
    """One model, one key, one retry policy and deadline; `analyse(messages)` returns a validated answer."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None,
        policy: RetryPolicy,
        deadline_at: float,
        request_timeout_s: float = 60.0,
        response_format: ResponseFormat = "json_object",
        temperature: float = 0.2,
        max_output_tokens: int = 2048,
        reasoning_effort: str | None = None,
        reasoning_tokens: int = 0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._key = api_key
        self.model = model
        self.policy = policy
        self.deadline_at = deadline_at
        self.request_timeout_s = request_timeout_s
        self.response_format = response_format
        self.temperature = temperature
        self.max_output_tokens = max_output_tokens
        self.reasoning_effort = reasoning_effort
        self.reasoning_tokens = reasoning_tokens if reasoning_effort else 0
        self.stats = CallStats()
        self._sleep = sleep
        self._client = groq.Groq(api_key=api_key, base_url=base_url, max_retries=0, timeout=request_timeout_s)

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
                {
                    "role": "user",
                    "content": f"Your reply was not valid: {first.problem}. Reply again with "
                    "only the corrected JSON object, with every key the system prompt lists.",
                },
            ]
            try:
                return _parse(*self._complete(repair))
            except _InvalidAnswer as second:
                raise GroqOutputError(f"invalid JSON from the model twice ({second.problem})") from None

    def _complete(self, messages: list[dict[str, str]]) -> tuple[str, str]:
        """The answer's text and finish reason; a refused response format is weakened and asked again."""
        while True:
            try:
                return self._retried(messages)
            except _FormatRefused as refused:
                strict_only = self.response_format == "strict" and refused.strict_only
                weaker: ResponseFormat = "json_schema" if strict_only else "json_object"
                log.info(
                    "model %s rejects response format %s; switching to %s",
                    self.model,
                    self.response_format,
                    weaker,
                )
                self.response_format = weaker

    def _retried(self, messages: list[dict[str, str]]) -> tuple[str, str]:
        def on_retry(failure: Retryable, wait: float) -> None:
            log.info("Groq %s; retry %d in %.2fs", failure.reason, self.stats.retries + 1, wait)
            self.stats.retries += 1
            self.stats.waits.append(wait)

        try:
            return self.policy.run(
                lambda remaining: self._send(messages, remaining),
                deadline_at=self.deadline_at,
                sleep=self._sleep,
                on_retry=on_retry,
            )
        except RetriesExhausted as exc:
            last = exc.last
            if last is None:
                raise GroqUnavailableError("no answer before the deadline") from None
            if exc.by_deadline:
                raise GroqUnavailableError(
                    f"{last.reason}; retrying in {exc.wait or 0:.1f}s would pass the deadline"
                ) from None
            raise GroqUnavailableError(
                f"{last.reason} after {exc.attempts} attempt{'s' if exc.attempts > 1 else ''}"
            ) from None

    def _send(self, messages: list[dict[str, str]], remaining: float) -> tuple[str, str]:
        """One request; transient failures raise `Retryable`, the rest their specific error."""
        self.stats.requests += 1
        try:
            response = self._client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                response_format=self._response_format(),  # type: ignore[arg-type]
                temperature=self.temperature,
                max_completion_tokens=self.max_output_tokens + self.reasoning_tokens,
                timeout=max(0.1, min(self.request_timeout_s, remaining)),
                **self._reasoning(),
            )
        except (groq.AuthenticationError, groq.PermissionDeniedError) as exc:
            raise GroqKeyRejectedError(f"key rejected (HTTP {exc.status_code}): check GROQ_API_KEY") from None
        except groq.RateLimitError as exc:
            raise Retryable("rate limited (HTTP 429)", retry_after_seconds(exc.response.headers)) from None
        except groq.BadRequestError as exc:
            body = _error_body(exc)
            if body.get("code") == "json_validate_failed":
                raise _InvalidAnswer(
                    str(body.get("failed_generation") or ""),
                    "Groq reported the output failed JSON validation",
                ) from None
            if body.get("code") in _MODEL_GONE:
                raise GroqModelError(self.model, self._message(exc)) from None
            detail = json.dumps(body).lower()
            if self.response_format != "json_object" and ("json_schema" in detail or "strict" in detail):
                raise _FormatRefused(strict_only="does not support" not in detail) from None
            raise GroqRequestError(f"request refused (HTTP 400): {self._message(exc)}") from None
        except groq.APIStatusError as exc:
            if _error_body(exc).get("code") in _MODEL_GONE:
                raise GroqModelError(self.model, self._message(exc)) from None
            if exc.status_code < 500 and exc.status_code not in _RETRYABLE_STATUS:
                hint = (
                    " (is GROQ_BASE_URL Groq's API and GROQ_MODEL a current model?)"
                    if exc.status_code == 404
                    else ""
                )
                raise GroqRequestError(
                    f"request refused (HTTP {exc.status_code}): {self._message(exc)}{hint}"
                ) from None
            raise Retryable(f"server error (HTTP {exc.status_code})") from None
        except groq.APITimeoutError:
            raise Retryable("request timed out") from None
        except groq.APIConnectionError:
            raise Retryable("could not connect") from None
        self._count_usage(response)
        choice = response.choices[0]
        return choice.message.content or "", str(choice.finish_reason or "")

    def _response_format(self) -> dict[str, Any]:
        if self.response_format == "strict":
            return {
                "type": "json_schema",
                "json_schema": {"name": "trend_analysis", "schema": strict_schema(), "strict": True},
            }
        if self.response_format == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": "trend_analysis", "schema": answer_schema(), "strict": False},
            }
        return {"type": "json_object"}

    def _reasoning(self) -> dict[str, Any]:
        # The reasoning text is not needed (only its tokens are billed): leave it out of the reply.
        if not self.reasoning_effort:
            return {}
        return {"reasoning_effort": self.reasoning_effort, "include_reasoning": False}

    def _count_usage(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.stats.input_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            self.stats.output_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
            details = getattr(usage, "completion_tokens_details", None)
            self.stats.reasoning_tokens += int(getattr(details, "reasoning_tokens", 0) or 0)

    def _message(self, exc: groq.APIStatusError) -> str:
        return scrub(str(_error_body(exc).get("message") or "no detail"), self._key)[:160]


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
            exc.problem += (
                " (the reply was cut off at the token limit, reasoning included: list fewer terms, "
                "keep text short)"
            )
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
