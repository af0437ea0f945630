"""A fake Reddit API on 127.0.0.1 for praw: OAuth token endpoint, subreddit listings and comments.

Tests point REDDIT_API_URL at it. `fail` maps a path prefix to an HTTP status to simulate errors;
`requests` records every (method, path) so tests can check what praw really asked for.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
NOW = 1793000000  # 2026-10-26


def make_posts(subreddit: str, n: int = 6) -> list[dict]:
    """Posts of one subreddit; authors differ per subreddit (same author, time and title = one re-listed post)."""
    colours = ["butter yellow", "sage green", "chocolate brown", "cobalt blue", "cream", "burgundy"]
    return [
        {
            "id": f"{subreddit[:3].lower()}{i:03d}",
            "name": f"t3_{subreddit[:3].lower()}{i:03d}",
            "subreddit": subreddit,
            "title": f"My {colours[i % len(colours)]} suede jacket fit",
            "selftext": f"Shot in golden hour at a cafe. See https://i.imgur.com/x{i}.jpg **love it**",
            "score": 100 - i,
            "num_comments": 2 if i % 2 == 0 else 0,
            "created_utc": float(NOW - i * 86400),
            "permalink": f"/r/{subreddit}/comments/{subreddit[:3].lower()}{i:03d}/post/",
            "author": "AutoModerator" if i == 5 else f"{subreddit[:3].lower()}_user{i}",
            "url": f"https://i.imgur.com/x{i}.jpg",
            "is_self": True,
        }
        for i in range(n)
    ]


class FakeReddit(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.subreddits: dict[str, list[dict]] = {}
        self.fail: dict[str, int] = {}
        self.delay = 0.0
        self.requests: list[tuple[str, str]] = []

    def handle_error(self, request, client_address) -> None:
        """A client that gave up (timeout tests) closes the socket: that is expected, not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeReddit

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ratelimit-remaining", "595")
        self.send_header("x-ratelimit-used", "5")
        self.send_header("x-ratelimit-reset", "300")
        self.end_headers()
        self.wfile.write(data)

    def _failure(self, path: str) -> bool:
        for prefix, status in self.server.fail.items():
            if path.startswith(prefix):
                self._send(status, {"message": "fake failure", "error": status})
                return True
        return False

    def do_POST(self) -> None:  # noqa: N802
        path = urlparse(self.path).path
        self.server.requests.append(("POST", path))
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self._failure(path):
            return
        if path != "/api/v1/access_token":
            self._send(404, {"message": "Not Found", "error": 404})
            return
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if self.headers.get("Authorization") != f"Basic {expected}":
            self._send(401, {"message": "Unauthorized", "error": 401})
            return
        self._send(
            200, {"access_token": "fake-token", "token_type": "bearer", "expires_in": 3600, "scope": "*"}
        )

    def do_GET(self) -> None:  # noqa: N802
        parsed = urlparse(self.path)
        path = parsed.path.rstrip("/")
        self.server.requests.append(("GET", path))
        if self.server.delay:
            time.sleep(self.server.delay)
        if self._failure(path):
            return
        if self.headers.get("Authorization") != "bearer fake-token":
            self._send(401, {"message": "Unauthorized", "error": 401})
            return
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "r" and parts[2] in ("hot", "new", "top", "rising"):
            posts = self.server.subreddits.get(parts[1])
            if posts is None:
                self._send(404, {"message": "Not Found", "error": 404})
                return
            limit = int(parse_qs(parsed.query).get("limit", ["25"])[0])
            self._send(200, _listing("t3", posts[:limit]))
        elif len(parts) == 2 and parts[0] == "comments":
            post = next(
                (p for ps in self.server.subreddits.values() for p in ps if p["id"] == parts[1]), None
            )
            if post is None:
                self._send(404, {"message": "Not Found", "error": 404})
                return
            comments = [
                {
                    "id": f"c{post['id']}{j}",
                    "name": f"t1_c{post['id']}{j}",
                    "body": body,
                    "author": author,
                    "parent_id": post["name"],
                    "link_id": post["name"],
                    "score": 10 - j,
                    "created_utc": post["created_utc"] + 60,
                    "replies": "",
                }
                for j, (body, author) in enumerate(
                    [
                        ("That butter yellow is perfect", "fan1"),
                        ("I am a bot, beep", "helper_bot"),
                        ("Love the suede texture", "fan2"),
                    ]
                )
            ]
            self._send(200, [_listing("t3", [post]), _listing("t1", comments)])
        else:
            self._send(404, {"message": "Not Found", "error": 404})


def _listing(kind: str, items: list[dict]) -> dict:
    return {
        "kind": "Listing",
        "data": {
            "after": None,
            "before": None,
            "dist": len(items),
            "children": [{"kind": kind, "data": item} for item in items],
        },
    }


@contextmanager
def fake_reddit(subreddits: dict[str, list[dict]] | None = None) -> Iterator[FakeReddit]:
    """Run the fake API in a background thread for the duration of a `with` block."""
    server = FakeReddit()
    server.subreddits = (
        subreddits
        if subreddits is not None
        else {
            "femalefashionadvice": make_posts("femalefashionadvice"),
            "streetwear": make_posts("streetwear"),
        }
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
