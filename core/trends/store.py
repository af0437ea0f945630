"""Posts accumulate in the embedded DuckDB database (settings.database_path), with where they came
from and when they were fetched, so analysts can analyse any window across weeks of imports.

Connections are short-lived: other areas keep their own tables in the same file.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any

import duckdb
import pandas as pd

from core import db
from core.settings import Settings
from core.trends.errors import SourceError
from core.trends.posts import Post
from core.trends.sources import to_epoch

TABLE = "trend_posts"
_COLUMNS = ["id", "subreddit", "title", "text", "score", "num_comments", "created_utc", "comments", "url", "author"]
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id VARCHAR PRIMARY KEY, subreddit VARCHAR, title VARCHAR, text VARCHAR, score BIGINT,
    num_comments BIGINT, created_utc BIGINT, comments VARCHAR[], url VARCHAR, author VARCHAR,
    source VARCHAR, fetched_at TIMESTAMPTZ
)"""


def _connect(settings: Settings, read_only: bool = False) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    return db.connect(settings, schema=_SCHEMA, read_only=read_only, busy=lambda reason: SourceError(
        f"the post database {settings.database_path.name} is busy or unreadable ({reason}); "
        "close other Trend Studio processes and retry"))


def save_posts(posts: Iterable[Post], source: str, settings: Settings, *, batch: int = 20000) -> int:
    """Insert or refresh posts (same id: newest fetch wins); returns how many were written."""
    written = 0
    fetched = pd.Timestamp(time.time(), unit="s", tz="UTC")
    with _connect(settings) as con:
        rows: list[dict[str, Any]] = []
        for post in posts:
            rows.append(post.model_dump())
            if len(rows) >= batch:
                written += _insert(con, rows, source, fetched)
                rows = []
        if rows:
            written += _insert(con, rows, source, fetched)
    return written


def _insert(con: duckdb.DuckDBPyConnection, rows: list[dict], source: str, fetched: pd.Timestamp) -> int:
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    frame["source"] = source
    frame["fetched_at"] = fetched
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT OR REPLACE INTO {TABLE} SELECT {', '.join([*_COLUMNS, 'source', 'fetched_at'])} "
                    "FROM incoming")
    finally:
        con.unregister("incoming")
    return len(frame)


def query_posts(settings: Settings, *, since: Any = None, until: Any = None,
                subreddits: Sequence[str] | None = None) -> list[Post]:
    """Stored posts in a window (created_utc in [since, until)) and optional subreddits, oldest first."""
    where, params = _filters(since, until, subreddits)
    if not settings.database_path.exists():
        return []
    with _connect(settings, read_only=True) as con:
        if not _has_table(con):
            return []
        frame = con.execute(f"SELECT {', '.join(_COLUMNS)} FROM {TABLE}{where} ORDER BY created_utc, id",
                            params).df()
    return [Post(**{**row, "comments": list(row["comments"] if row["comments"] is not None else [])})
            for row in frame.to_dict("records")]


def summary(settings: Settings) -> pd.DataFrame:
    """Stored posts per source and subreddit, with their date span and last fetch."""
    empty = pd.DataFrame(columns=["source", "subreddit", "posts", "first", "last", "fetched_at"])
    if not settings.database_path.exists():
        return empty
    with _connect(settings, read_only=True) as con:
        if not _has_table(con):
            return empty
        return con.execute(
            f"SELECT source, subreddit, count(*) AS posts, to_timestamp(min(created_utc)) AS first, "
            f"to_timestamp(max(created_utc)) AS last, max(fetched_at) AS fetched_at FROM {TABLE} "
            "GROUP BY source, subreddit ORDER BY posts DESC").df()


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return db.has_table(con, TABLE)


def _filters(since: Any, until: Any, subreddits: Sequence[str] | None) -> tuple[str, list]:
    clauses, params = [], []
    for value, op in ((since, ">="), (until, "<")):
        if value is None:
            continue
        epoch = to_epoch(value)
        if epoch is None:
            raise SourceError(f"{value!r} is not a date; use YYYY-MM-DD")
        clauses.append(f"created_utc {op} ?")
        params.append(epoch)
    if subreddits:
        clauses.append("lower(subreddit) IN (SELECT unnest(?))")
        params.append([s.lower() for s in subreddits])
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params
