"""A scriptable fake of Groq's OpenAI-style API on 127.0.0.1 (real HTTP): chat completions and models.

The real groq SDK talks to it when `base_url` / GROQ_BASE_URL points at `server.base_url`.
Every chat request is recorded, then checked for the bearer key (401 otherwise, like Groq). Each
request takes the next scripted `Reply`; once the script is empty, a model Groq does not serve gets
Groq's 404 `model_not_found`, and any other `default` answers: by default a tiny deterministic
"model" that counts vocabulary terms in the posts it was sent and answers with a valid analysis, so
multi-chunk runs get real, checkable numbers. `GET /openai/v1/models` lists `server.models`.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.server import LocalServer

PATH = "/openai/v1/chat/completions"
MODELS_PATH = "/openai/v1/models"
TEST_KEY = "gsk_fAkEkEy0123456789SECRETsecret"
# What Groq lists today (chat and non-chat); llama-3.3-70b-versatile and mixtral are retired.
MODELS = [
    "openai/gpt-oss-120b",
    "openai/gpt-oss-20b",
    "llama-3.1-8b-instant",
    "qwen/qwen3.6-27b",
    "moonshotai/kimi-k2-instruct-0905",
    "whisper-large-v3",
    "whisper-large-v3-turbo",
    "meta-llama/llama-prompt-guard-2-86m",
]

VOCAB: dict[str, Any] = {
    "colors": {
        "butter yellow": "#f3e38c",
        "navy": "#1f2a44",
        "black": "#111111",
        "camel": "#c19a6b",
        "sage green": "#9caf88",
        "cream": "#f4efe6",
        "neon green": "#39ff14",
    },
    "styles": ["gorpcore", "y2k", "minimalist", "vintage", "streetwear", "old money"],
    "materials": ["suede", "denim", "wool", "linen", "leather", "silk"],
    "lighting": ["golden hour", "soft window light", "natural light", "studio lighting"],
    "environments": ["cafe", "city street", "beach", "park", "studio", "loft"],
    "patterns": ["stripes", "plaid", "floral", "houndstooth"],
}


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (to provoke client timeouts)."""


@dataclass
class Recorded:
    body: dict
    headers: dict[str, str]
    at: float

    @property
    def messages(self) -> list[dict]:
        return self.body["messages"]

    def posts(self) -> list[dict]:
        return posts_in(self.body)


def completion(content: str, model: str = "fake-model", finish_reason: str = "stop") -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "logprobs": None,
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200},
    }


def answer(payload: dict) -> Reply:
    return Reply(body=completion(json.dumps(payload)))


def text(content: str, finish_reason: str = "stop") -> Reply:
    return Reply(body=completion(content, finish_reason=finish_reason))


def error(
    status: int, message: str, *, code: str | None = None, headers: dict[str, str] | None = None, **extra: Any
) -> Reply:
    err = {"message": message, "type": "invalid_request_error", "code": code, **extra}
    return Reply(status=status, body={"error": err}, headers=headers or {})


def model_not_found(model: str) -> Reply:
    """Groq's answer for a model it does not serve (retired, misspelt or not available to the key)."""
    return error(
        404, f"The model `{model}` does not exist or you do not have access to it.", code="model_not_found"
    )


def model_list(ids: list[str]) -> dict:
    return {
        "object": "list",
        "data": [
            {
                "id": m,
                "object": "model",
                "created": 1754000000,
                "owned_by": m.split("/")[0],
                "active": True,
                "context_window": 131072,
                "public_apps": None,
                "max_completion_tokens": 65536,
            }
            for m in ids
        ],
    }


def posts_in(body: dict) -> list[dict]:
    """The posts data block of a recorded request's user message."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    start = user.index("<posts>\n") + len("<posts>\n")
    return json.loads(user[start : user.rindex("\n</posts>")])


def counting_model(body: dict, vocab: dict[str, Any] = VOCAB) -> Reply:
    """A deterministic stand-in for the LLM: mention counts, shares, momentum and evidence."""
    posts = posts_in(body)
    n = max(1, len(posts))
    blobs = [(p, " ".join([p["text"], *p["comments"]]).lower()) for p in posts]
    out: dict[str, Any] = {}
    for category, terms in vocab.items():
        rows = []
        for term in terms:
            hits = [p for p, blob in blobs if term in blob]
            if not hits:
                continue
            early = sum(p["period"] == "early" for p in hits)
            late = len(hits) - early
            row = {
                "name": term,
                "share": round(len(hits) / n, 4),
                "momentum": round((late - early) / max(early, 1), 4),
                "evidence_ids": [p["id"] for p in hits[:3]],
                "_first": min(p["date"] for p in hits),
                "_early": early,
            }
            if category == "colors":
                row["hex"] = terms[term]
            rows.append(row)
        rows.sort(key=lambda r: (-r["share"], r["name"]))
        out[category] = rows[:10]
    all_rows = [r for c in vocab for r in out[c]]
    out["emerging"] = [
        {"term": r["name"], "momentum": r["momentum"], "first_seen": r["_first"]}
        for r in all_rows
        if r["_early"] == 0 and r["momentum"] >= 1
    ]
    for r in all_rows:
        r.pop("_first"), r.pop("_early")
    out["topics"] = [
        {
            "label": "colour palette",
            "terms": [r["name"] for r in out["colors"][:4]],
            "share": out["colors"][0]["share"] if out["colors"] else 0.0,
        }
    ]
    out["scene"] = {
        "environment": out["environments"][0]["name"] if out["environments"] else "studio",
        "lighting": out["lighting"][0]["name"] if out["lighting"] else "soft window light",
        "colors": [r["hex"] for r in out["colors"][:3]] or ["#f4efe6"],
        "textures": [r["name"] for r in out["materials"][:2]],
        "mood": "relaxed",
        "prompt": "a softly lit backdrop in the trending palette",
    }
    return answer(out)


class FakeGroq(LocalServer):
    """`with FakeGroq() as server:` … `server.script(reply, …)`, then inspect `server.requests`."""

    def __init__(
        self,
        key: str = TEST_KEY,
        default: Callable[[dict], Reply] | None = None,
        models: list[str] | None = None,
    ) -> None:
        self.key = key
        self.default = default or counting_model
        self.models = list(MODELS if models is None else models)
        self.models_reply: Reply | None = None
        """Set to make `GET /models` fail (e.g. `error(503, ...)`)."""
        self.model_lists = 0
        self.requests: list[Recorded] = []
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._serve(self._handler())

    @property
    def base_url(self) -> str:
        return self.url

    def script(self, *replies: Reply) -> FakeGroq:
        with self._lock:
            self._script.extend(replies)
        return self

    def _next(self, body: dict) -> Reply:
        with self._lock:
            scripted = self._script.popleft() if self._script else None
        if scripted:
            return scripted
        if body.get("model") not in self.models:
            return model_not_found(str(body.get("model")))
        return self.default(body)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                if self.path != MODELS_PATH:
                    return self._send(error(404, f"unknown path {self.path}", code="unknown_url"))
                with fake._lock:
                    fake.model_lists += 1
                if self.headers.get("authorization") != f"Bearer {fake.key}":
                    return self._send(error(401, "Invalid API Key", code="invalid_api_key"))
                self._send(fake.models_reply or Reply(body=model_list(fake.models)))

            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                if self.path != PATH:
                    return self._send(error(404, f"unknown path {self.path}", code="unknown_url"))
                body = json.loads(raw)
                with fake._lock:
                    fake.requests.append(
                        Recorded(body, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                    )
                if self.headers.get("authorization") != f"Bearer {fake.key}":
                    return self._send(error(401, "Invalid API Key", code="invalid_api_key"))
                self._send(fake._next(body))

            def _send(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                data = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
                payload = data.encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                try:
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

        return Handler
