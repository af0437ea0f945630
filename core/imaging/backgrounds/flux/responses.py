"""Reading what the BFL API answers: task statuses to typed errors, error details, numbers, JSON bodies.

Pure helpers for `client.FluxClient`; none of them sees the key (callers scrub details before use).
"""

from __future__ import annotations

from typing import Any

import requests

from core.imaging.backgrounds.flux.errors import FluxBadResponse, FluxError, FluxModerated, FluxTaskFailed


def status_error(task_id: str, status: str, detail: str) -> FluxError:
    extra = f" ({detail[:200]})" if detail else ""
    if status == "Request Moderated":
        return FluxModerated(
            "BFL's moderation refused the request (prompt or input image)"
            + extra
            + "; rephrase the prompt or use another photo",
            status,
        )
    if status == "Content Moderated":
        return FluxModerated(
            "BFL's moderation withheld the generated image"
            + extra
            + "; try another seed or a different prompt",
            status,
        )
    if status == "Error":
        return FluxTaskFailed(f"FLUX task {task_id} failed on BFL's side{extra}; run it again")
    if status == "Task not found":
        return FluxTaskFailed(
            f"BFL does not know FLUX task {task_id} (expired or wrong region); run it again"
        )
    return FluxBadResponse(
        f"FLUX task {task_id} has an unknown status {status[:40]!r}; check BFL_API_URL points at the BFL API"
    )


def safe_json(resp: requests.Response) -> Any:
    try:
        return resp.json()
    except ValueError:
        return None


def error_detail(body: Any) -> str:
    if not isinstance(body, dict):
        return ""
    for key in ("details", "detail", "error", "message"):
        value = body.get(key)
        if value:
            return str(value)
    return ""


def number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None
