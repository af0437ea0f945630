"""A small client for the Black Forest Labs (FLUX) API over plain `requests` (BFL ships no SDK).

Generation is asynchronous: POST a task, follow its `polling_url` (or `/v1/get_result?id=`) until it is
`Ready`, then download `result.sample`. Transient trouble (429, 5xx, connection errors) is retried by the
shared policy in `core/http.py` (backoff with jitter, `Retry-After` honoured, one overall deadline per
task), so a page or a batch never hangs. The key travels only in the `x-key` header to BFL's own hosts (never to the image
delivery host), and is scrubbed from anything the server sends back before it reaches a message or a log.
"""

from __future__ import annotations

import base64
import io
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from PIL import Image

from core.http import RetriesExhausted, Retryable, RetryPolicy, retry_after_seconds, scrub
from core.imaging.backgrounds.flux.errors import (
    FluxBadResponse,
    FluxCreditsExhausted,
    FluxError,
    FluxKeyMissing,
    FluxKeyRejected,
    FluxRequestRejected,
    FluxTimeout,
    FluxUnavailable,
)
from core.imaging.backgrounds.flux.responses import error_detail, number, safe_json, status_error
from core.progress import Progress

log = logging.getLogger(__name__)

DEFAULT_URL = "https://api.bfl.ai"
FILL_ENDPOINT = "flux-pro-1.0-fill"
KONTEXT_ENDPOINT = "flux-kontext-pro"
PENDING = frozenset({"Pending", "Processing", "Queued"})
MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024
MAX_RESULT_PIXELS = 40_000_000


@dataclass(frozen=True)
class FluxResult:
    """A finished generation: the image plus what the API reported about it."""

    image: Image.Image
    task_id: str
    cost: float | None
    """Credits as reported by BFL (1 credit = 0.01 USD), None if the API did not say."""
    seconds: float
    polls: int
    meta: dict[str, Any] = field(default_factory=dict)


class FluxClient:
    """Submit, poll and download FLUX tasks with retries and an overall deadline."""

    def __init__(
        self,
        api_key: str | None,
        base_url: str = DEFAULT_URL,
        *,
        deadline: float = 300.0,
        poll_interval: float = 1.5,
        request_timeout: float = 60.0,
        max_attempts: int = 6,
        backoff: float = 1.0,
        backoff_max: float = 30.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key:
            raise FluxKeyMissing(
                "FLUX needs a Black Forest Labs key: set BFL_API_KEY (environment or "
                ".streamlit/secrets.toml), or use the procedural backend"
            )
        self._key = api_key
        self.base_url = (base_url or DEFAULT_URL).rstrip("/")
        self.deadline = deadline
        self.poll_interval = poll_interval
        self.request_timeout = request_timeout
        self._policy = RetryPolicy(
            max_attempts=max_attempts, backoff_base_s=backoff, backoff_cap_s=backoff_max
        )
        self._sleep = sleep
        self._session = session or requests.Session()
        self._session.headers.update({"Accept": "application/json", "User-Agent": "trend-studio/0.1"})

    def __repr__(self) -> str:  # the key stays out of reprs, tracebacks and debuggers' summaries
        return f"FluxClient(base_url={self.base_url!r}, deadline={self.deadline})"

    # -- public API ------------------------------------------------------------------------------------

    def fill(
        self,
        image: Image.Image,
        mask: Image.Image,
        prompt: str,
        *,
        steps: int = 50,
        guidance: float = 60.0,
        seed: int | None = None,
        output_format: str = "png",
        safety_tolerance: int = 2,
        progress: Progress | None = None,
    ) -> FluxResult:
        """Inpaint where `mask` is white (255) and keep `image` where it is black."""
        if image.size != mask.size:
            raise ValueError(f"image {image.size} and mask {mask.size} differ in size")
        payload: dict[str, Any] = {
            "image": encode_png(image.convert("RGB")),
            "mask": encode_png(mask.convert("L")),
            "prompt": prompt,
            "steps": int(steps),
            "guidance": float(guidance),
            "output_format": output_format,
            "safety_tolerance": int(safety_tolerance),
            "prompt_upsampling": False,
        }
        if seed is not None:
            payload["seed"] = int(seed)
        return self.run(FILL_ENDPOINT, payload, progress=progress)

    def kontext(
        self,
        image: Image.Image,
        prompt: str,
        *,
        seed: int | None = None,
        output_format: str = "png",
        safety_tolerance: int = 2,
        endpoint: str = KONTEXT_ENDPOINT,
        progress: Progress | None = None,
    ) -> FluxResult:
        """Prompt-driven edit of a whole image (FLUX.1 Kontext), same aspect ratio as the input."""
        payload: dict[str, Any] = {
            "input_image": encode_png(image.convert("RGB")),
            "prompt": prompt,
            "aspect_ratio": aspect_ratio(image.size),
            "output_format": output_format,
            "safety_tolerance": int(safety_tolerance),
            "prompt_upsampling": False,
        }
        if seed is not None:
            payload["seed"] = int(seed)
        return self.run(endpoint, payload, progress=progress)

    def run(self, endpoint: str, payload: dict[str, Any], *, progress: Progress | None = None) -> FluxResult:
        """Submit `payload` to `/v1/<endpoint>`, wait for the task and download the image.

        `progress` is told on submit, every poll and on download (fraction None while BFL does not say)."""
        started = time.monotonic()
        deadline_at = started + self.deadline
        notify = progress or (lambda _frac, _msg: None)
        notify(0.0, "Submitting to FLUX…")
        submitted = self._json(
            self._request("POST", f"{self.base_url}/v1/{endpoint}", deadline_at, json=payload, with_key=True)
        )
        task_id = str(submitted.get("id") or "")
        if not task_id:
            raise FluxBadResponse(
                f"BFL did not return a task id (got keys {sorted(submitted)}); "
                "check BFL_API_URL points at the BFL API"
            )
        log.info("FLUX task %s submitted to %s", task_id, endpoint)
        cost = number(submitted.get("cost"))
        ready, polls = self._wait(task_id, submitted.get("polling_url"), deadline_at, started, notify)
        result = ready.get("result") if isinstance(ready.get("result"), dict) else {}
        sample = result.get("sample")
        if not isinstance(sample, str) or not sample:
            raise FluxBadResponse(f"FLUX task {task_id} is Ready but has no result.sample to download")
        cost = cost if cost is not None else number(ready.get("cost", result.get("cost")))
        notify(0.95, "Downloading the generated image…")
        image = self._download(sample, deadline_at)
        seconds = time.monotonic() - started
        log.info("FLUX task %s done in %.1f s after %d polls (cost %s)", task_id, seconds, polls, cost)
        notify(1.0, "FLUX image ready")
        meta = {k: result[k] for k in ("seed", "prompt") if k in result}
        return FluxResult(image=image, task_id=task_id, cost=cost, seconds=seconds, polls=polls, meta=meta)

    # -- internals -------------------------------------------------------------------------------------

    def _wait(
        self, task_id: str, polling_url: Any, deadline_at: float, started: float, notify: Progress
    ) -> tuple[dict[str, Any], int]:
        url = polling_url if isinstance(polling_url, str) and self._trusted(polling_url) else None
        url = url or f"{self.base_url}/v1/get_result?{urlencode({'id': task_id})}"
        polls = 0
        while True:
            polls += 1
            body = self._json(self._request("GET", url, deadline_at, with_key=True))
            status = str(body.get("status", ""))
            if status == "Ready":
                return body, polls
            if status in PENDING:
                frac = number(body.get("progress"))
                elapsed = time.monotonic() - started
                notify(
                    None if frac is None else min(0.9, max(0.05, frac * 0.9)),
                    f"FLUX is generating… ({status.lower()}, {elapsed:.0f} s)",
                )
                remaining = deadline_at - time.monotonic()
                if remaining <= self.poll_interval:
                    raise FluxTimeout(
                        f"FLUX task {task_id} was still {status} after {self.deadline:g} s; "
                        "try again later or raise the FLUX deadline"
                    )
                self._sleep(self.poll_interval)
                continue
            raise status_error(task_id, status, self._scrub(error_detail(body)))

    def _request(
        self, method: str, url: str, deadline_at: float, *, with_key: bool, **kwargs: Any
    ) -> requests.Response:
        host = urlsplit(url).netloc or url
        headers = {"x-key": self._key} if with_key else {}

        def attempt(remaining: float) -> requests.Response:
            try:
                resp = self._session.request(
                    method, url, headers=headers, timeout=min(self.request_timeout, remaining), **kwargs
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                raise Retryable(f"could not reach {host} ({type(exc).__name__})") from None
            if resp.status_code == 429 or resp.status_code >= 500:
                resp.close()
                raise Retryable(f"HTTP {resp.status_code}", retry_after_seconds(resp.headers))
            self._raise_for_client_error(resp)
            return resp

        try:
            return self._policy.run(attempt, deadline_at=deadline_at, sleep=self._sleep)
        except RetriesExhausted as exc:
            raise self._gave_up(exc) from None

    def _gave_up(self, exc: RetriesExhausted) -> FluxError:
        last = exc.last
        if last is None:
            return FluxTimeout(
                f"the BFL API did not finish within {self.deadline:g} s; "
                "try again later or raise the FLUX deadline"
            )
        if exc.by_deadline and last.retry_after and last.retry_after > self._policy.backoff_cap_s:
            return FluxTimeout(
                f"BFL asks to retry in {last.retry_after:.0f} s ({last.reason}), past the "
                f"{self.deadline:g} s deadline; try again later"
            )
        if exc.by_deadline:
            return FluxTimeout(
                f"the BFL API kept failing ({last.reason}) until the {self.deadline:g} s "
                "deadline; try again later"
            )
        hint = "rate-limited by BFL" if last.reason == "HTTP 429" else "BFL is unavailable"
        return FluxUnavailable(f"{hint} ({last.reason} after {exc.attempts} attempts); try again later")

    def _raise_for_client_error(self, resp: requests.Response) -> None:
        code = resp.status_code
        if code < 400:
            return
        detail = self._scrub(error_detail(safe_json(resp)) or resp.reason or "")
        if code in (401, 403):
            raise FluxKeyRejected(
                f"BFL key rejected (HTTP {code}); check BFL_API_KEY and the account's access"
            )
        if code == 402:
            raise FluxCreditsExhausted(
                "BFL reports insufficient credits (HTTP 402); top up the account at "
                "bfl.ai or use the procedural backend"
            )
        raise FluxRequestRejected(
            f"BFL refused the request (HTTP {code}: {detail[:200]}); check the prompt and FLUX settings"
        )

    def _download(self, url: str, deadline_at: float) -> Image.Image:
        # The delivery host is not BFL's API: never send it the key.
        with_key = self._trusted(url) and urlsplit(url).path.startswith("/v1/")
        resp = self._request("GET", url, deadline_at, with_key=with_key, stream=True)
        data = bytearray()
        for chunk in resp.iter_content(1 << 16):
            data.extend(chunk)
            if len(data) > MAX_DOWNLOAD_BYTES:
                raise FluxBadResponse("the generated image is larger than 64 MB; refusing to download it")
        return decode_image(bytes(data))

    def _trusted(self, url: str) -> bool:
        """BFL's own API hosts (the base URL, or an https *.bfl.ai regional host) may see the key."""
        parts, base = urlsplit(url), urlsplit(self.base_url)
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
            return True
        host = parts.hostname or ""
        return parts.scheme == "https" and (host == "bfl.ai" or host.endswith(".bfl.ai"))

    def _json(self, resp: requests.Response) -> dict[str, Any]:
        body = safe_json(resp)
        if not isinstance(body, dict):
            raise FluxBadResponse(
                f"{urlsplit(resp.url).netloc} answered HTTP {resp.status_code} without a "
                "JSON object; check BFL_API_URL points at the BFL API"
            )
        return body

    def _scrub(self, text: str) -> str:
        return scrub(text, self._key)


def encode_png(image: Image.Image) -> str:
    """Base64 (no data: prefix) of a lossless PNG, as the BFL API expects."""
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def decode_image(data: bytes) -> Image.Image:
    """Decode a generated image defensively: pixel cap, first frame, RGB."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_RESULT_PIXELS:
                raise FluxBadResponse(f"the generated image is {img.width}×{img.height}, over the pixel cap")
            img.seek(0)
            return img.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise FluxBadResponse(f"the generated image could not be decoded ({type(exc).__name__})") from None


def aspect_ratio(size: tuple[int, int]) -> str:
    """Kontext's `aspect_ratio` ("W:H", between 3:7 and 7:3) closest to `size`."""
    w, h = size
    ratio = min(7 / 3, max(3 / 7, w / max(h, 1)))
    pairs = ((a, b) for a in range(1, 22) for b in range(1, 22))
    best = min(pairs, key=lambda ab: (abs(ab[0] / ab[1] - ratio), ab[0]))
    return f"{best[0]}:{best[1]}"
