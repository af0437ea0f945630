"""Chunked streaming for the offline analyzer: posts in fixed-size chunks, and phrase matching in worker
processes overlapping with aggregation on a multi-core machine."""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from core.trends.lexicon import match_terms
from core.trends.posts import Post


def pipelined(chunks: Iterator[list[Post]], acc, done: Callable, workers: int) -> None:
    """Phrase matching (the regex scan) runs in worker processes while this process keeps reading
    and aggregating, so import and analysis overlap on a multi-core machine. Only started when the
    input is larger than one chunk; results are aggregated in input order, so the report is the same."""
    pending: deque = deque()
    context = multiprocessing.get_context("fork")  # workers inherit the compiled lexicon; no re-import
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
        for chunk in chunks:
            prepared = acc.prepare(chunk) if chunk else ("", np.zeros(1, dtype=np.int64), None)
            pending.append((chunk, prepared, pool.submit(_match_array, prepared[0])))
            while len(pending) > workers:
                chunk, prepared, future = pending.popleft()
                done(chunk, prepared, future.result())
        while pending:
            chunk, prepared, future = pending.popleft()
            done(chunk, prepared, future.result())


def _match_array(text: str) -> np.ndarray:
    """Worker side: matches as one compact int64 array (cheap to send back, unlike a list of tuples)."""
    return np.asarray(match_terms(text), dtype=np.int64).reshape(-1, 2)


def can_fork() -> bool:
    """Forking is only safe from a single-threaded process (CLI, benchmark), never inside a server."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def chunks(posts: Iterable[Post], size: int, max_chars: int | None = None) -> Iterator[list[Post]]:
    """Lists of at most `size` posts and, when `max_chars` is set, about that many characters of text:
    long posts make smaller chunks, so a chunk's joined text (and the memory it takes) stays bounded."""
    chunk: list[Post] = []
    chars = 0
    for post in posts:
        chunk.append(post)
        if max_chars is not None:
            chars += len(post.title) + len(post.text) + sum(map(len, post.comments))
        if len(chunk) >= size or (max_chars is not None and chars >= max_chars):
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk
