"""A fake HTTP peer (BFL or Groq) for the benchmarks that measure our client overhead offline.

The fake servers live with the tests (tests/fakes/); the benchmark runs one as a separate process
(`python -m tests.fakes KIND`) instead of importing it, so the figures measure only our side.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from core import PROJECT_ROOT


@dataclass
class Peer:
    url: str
    key: str
    _proc: subprocess.Popen

    def requests(self) -> int:
        """How many requests the fake has served so far."""
        self._proc.stdin.write("\n")
        self._proc.stdin.flush()
        return int(json.loads(self._proc.stdout.readline())["requests"])


@contextmanager
def fake_peer(kind: str) -> Iterator[Peer]:
    """Start the fake `kind` ("bfl" or "groq") on a free local port for the length of the block."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes", kind],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = json.loads(proc.stdout.readline())
        yield Peer(first["url"], first["key"], proc)
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
