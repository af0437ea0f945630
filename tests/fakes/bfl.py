"""A scriptable fake of the Black Forest Labs API on 127.0.0.1: real HTTP, so the real `requests` client,
headers, JSON bodies, retries and timeouts are exercised end to end.

Script it per test:
    fake.submit.append(Reply(429, {"detail": "slow down"}, {"Retry-After": "1"}))   # next POST answers
    fake.poll.extend(["Pending", "Pending", "Ready"])                              # next GETs of a task
    fake.always = Reply(500)                                                        # every request fails
Unscripted requests get the happy path: a task id + polling_url, then `Ready` with an image whose size
matches the submitted one, downloadable from /delivery/<id>.png (which never requires the key).
"""

from __future__ import annotations

import base64
import io
import json
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from tests.fakes.server import LocalServer

KEY = "bfl-test-key-3f9c2a7d1e"


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeBFL(LocalServer):
    def __init__(self, key: str = KEY, *, color: tuple[int, int, int] = (30, 160, 90)) -> None:
        self.key = key
        self.color = color
        self.submit: deque[Reply] = deque()
        self.poll: deque[Reply | str] = deque()
        self.always: Reply | None = None
        self.cost: float | None = 4.5
        self.omit_polling_url = False
        self.requests: list[Seen] = []
        self._sizes: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()
        self._serve(_handler(self))

    def seen(self, method: str | None = None, prefix: str = "") -> list[Seen]:
        return [
            r for r in self.requests if (method is None or r.method == method) and r.path.startswith(prefix)
        ]

    # -- behaviour ---------------------------------------------------------------------------------

    def handle(
        self, method: str, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[Reply, bytes | None]:
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        with self._lock:
            self.requests.append(Seen(method, path, headers, body))
            if self.always is not None:
                return self.always, None
            parts = urlsplit(path)
            if parts.path.startswith("/delivery/"):
                return self._deliver(parts.path)
            if headers.get("x-key") != self.key:
                return Reply(401, {"detail": "Not authenticated - Invalid Authentication"}), None
            if method == "POST" and parts.path.startswith("/v1/"):
                return (self.submit.popleft() if self.submit else self.accept(body)), None
            if method == "GET" and parts.path == "/v1/get_result":
                task = parse_qs(parts.query).get("id", [""])[0]
                return self._status(task), None
        return Reply(404, {"detail": "Not Found"}), None

    def accept(self, body: Any, **extra: Any) -> Reply:
        """The reply to a submission (also handy to script a submit reply with a known task id)."""
        task = uuid.uuid4().hex
        image = (body or {}).get("image") or (body or {}).get("input_image")
        try:
            size = Image.open(io.BytesIO(base64.b64decode(image))).size
        except Exception:  # noqa: BLE001 - a bad payload still gets a task, like the real API would 422
            size = (64, 64)
        self._sizes[task] = size
        out: dict[str, Any] = {"id": task}
        if not self.omit_polling_url:
            out["polling_url"] = f"{self.url}/v1/get_result?id={task}"
        if self.cost is not None:
            out["cost"] = self.cost
        return Reply(200, {**out, **extra})

    def _status(self, task: str) -> Reply:
        if task not in self._sizes:
            return Reply(200, {"id": task, "status": "Task not found"})
        nxt = self.poll.popleft() if self.poll else "Ready"
        if isinstance(nxt, Reply):
            return nxt
        out: dict[str, Any] = {"id": task, "status": nxt, "progress": None}
        if nxt == "Ready":
            out["result"] = {"sample": f"{self.url}/delivery/{task}.png", "seed": 0, "prompt": "…"}
        if nxt == "Pending":
            out["progress"] = 0.3
        if nxt == "Error":
            out["details"] = {"error": "GPU fell over"}
        return Reply(200, out)

    def _deliver(self, path: str) -> tuple[Reply, bytes | None]:
        task = path.rsplit("/", 1)[-1].split(".")[0]
        if task not in self._sizes:
            return Reply(404, {"detail": "expired"}), None
        buf = io.BytesIO()
        Image.new("RGB", self._sizes[task], self.color).save(buf, format="PNG")
        return Reply(200, None, {"Content-Type": "image/png"}), buf.getvalue()


def _handler(fake: FakeBFL) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply, data = fake.handle(method, self.path, headers, raw)
            if data is None:
                data = json.dumps(reply.body if reply.body is not None else {"detail": "scripted"}).encode()
                ctype = "application/json"
            else:
                ctype = reply.headers.get("Content-Type", "application/octet-stream")
            self.send_response(reply.status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in reply.headers.items():
                if k != "Content-Type":
                    self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler
