"""Why a Groq analysis failed; every `reason` is one short line, safe for `meta.analyzer` and a warning."""

from __future__ import annotations

from core.errors import TrendStudioError


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
    """Groq refused the request itself (request too large, bad parameter, ...)."""


class GroqModelError(GroqRequestError):
    """The configured model is not served (retired, misspelt, or not available to this key)."""

    def __init__(self, model: str, detail: str = "") -> None:
        self.model = model
        super().__init__(
            f"Groq does not serve model {model}{f' ({detail})' if detail else ''}; "
            "set GROQ_MODEL to a current model, e.g. openai/gpt-oss-120b"
        )


class GroqOutputError(GroqFailure):
    """The model's answer was not valid JSON for the schema, even after one repair request."""
