"""Run one fake server in a process of its own: `python -m tests.fakes bfl` (or `groq`).

It prints one JSON line, {"url", "key"}, then answers every line read on stdin with {"requests": N}
(how many requests it has served so far), and stops when stdin closes. Benchmarks drive it this way, so
they import nothing from tests/ and the fake's work does not share their interpreter (or its GIL).
"""

from __future__ import annotations

import json
import sys

from tests.fakes.bfl import KEY, FakeBFL
from tests.fakes.groq import TEST_KEY, FakeGroq


def main(argv: list[str]) -> int:
    kind = argv[0] if argv else ""
    if kind not in ("bfl", "groq"):
        print("usage: python -m tests.fakes bfl|groq", file=sys.stderr)
        return 2
    server = FakeBFL() if kind == "bfl" else FakeGroq()
    with server:
        url = server.url if kind == "bfl" else server.base_url
        print(json.dumps({"url": url, "key": KEY if kind == "bfl" else TEST_KEY}), flush=True)
        for _line in sys.stdin:
            print(json.dumps({"requests": len(server.requests)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
