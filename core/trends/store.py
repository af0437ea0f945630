"""Posts accumulate in the embedded DuckDB database (settings.database_path), with where they came
from and when they were fetched, so analysts can analyse any window across weeks of imports.

Connections are short-lived: other areas keep their own tables in the same file.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from core import db
from core.settings import Settings
from core.trends.errors import SourceError
from core.trends.posts import Post
from core.trends.records import to_epoch

TABLE = "trend_posts"
_COLUMNS = [
    "id",
    "subreddit",
    "title",
    "text",
    "score",
    "num_comments",
    "created_utc",
    "comments",
    "url",
    "author",
]
_REFRESHED = tuple(c for c in _COLUMNS if c not in ("id", "created_utc"))  # what a newer snapshot updates
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id VARCHAR PRIMARY KEY, subreddit VARCHAR, title VARCHAR, text VARCHAR, score BIGINT,
    num_comments BIGINT, created_utc BIGINT, comments VARCHAR[], url VARCHAR, author VARCHAR,
    source VARCHAR, fetched_at TIMESTAMPTZ
)"""


@contextmanager
def _connect(settings: Settings, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection whose DuckDB memory is capped ([import] store_memory_mb): a long import
    must not let the database cache every post it writes."""
    with db.connect(
        settings,
        schema=_SCHEMA,
        read_only=read_only,
        busy=lambda reason: SourceError(
            f"the post database {settings.database_path.name} is busy or unreadable ({reason}); "
            "close other Trend Studio processes and retry"
        ),
    ) as con:
        memory_mb = int(settings.section("trends").get("import", {}).get("store_memory_mb", 256))
        con.execute(f"SET memory_limit = '{max(memory_mb, 64)}MB'")
        yield con


def save_posts(posts: Iterable[Post], source: str, settings: Settings, *, batch: int = 50000) -> int:
    """Add posts in bulk (an Arrow table per batch, never row by row); returns how many rows were
    written (new posts plus stored posts whose newer snapshot changed).

    New ids are inserted with an anti-join; ids already stored are refreshed only when the post
    changed (score, comments, text), so re-importing posts the store holds costs a join, not a rewrite."""
    written = 0
    fetched = pd.Timestamp(time.time(), unit="s", tz="UTC").floor("us")
    with _connect(settings) as con:
        chunk: list[Post] = []
        for post in posts:
            chunk.append(post)
            if len(chunk) >= batch:
                written += _insert(con, chunk, source, fetched)
                chunk = []
        if chunk:
            written += _insert(con, chunk, source, fetched)
    return written


def saving(posts: Iterable[Post], source: str, settings: Settings, *, batch: int = 5000) -> Iterator[Post]:
    """Pass posts through while adding them to the store `batch` at a time, so one streamed read feeds
    both the store and an analyzer without holding every post."""
    chunk: list[Post] = []
    for post in posts:
        chunk.append(post)
        yield post
        if len(chunk) >= batch:
            save_posts(chunk, source, settings, batch=batch)
            chunk = []
    if chunk:
        save_posts(chunk, source, settings, batch=batch)


def _arrow(posts: list[Post], source: str, fetched: pd.Timestamp) -> pa.Table:
    columns = {name: [getattr(p, name) for p in posts] for name in _COLUMNS}
    table = pa.table({**columns, "comments": pa.array(columns["comments"], type=pa.list_(pa.string()))})
    return table.append_column("source", pa.array([source] * len(posts), type=pa.string())).append_column(
        "fetched_at", pa.array([fetched.to_pydatetime()] * len(posts), type=pa.timestamp("us", tz="UTC"))
    )


def _insert(con: duckdb.DuckDBPyConnection, posts: list[Post], source: str, fetched: pd.Timestamp) -> int:
    if len({p.id for p in posts}) != len(posts):  # the same id twice in one batch: the last one wins
        posts = list({p.id: p for p in posts}.values())
    con.register("incoming", _arrow(posts, source, fetched))
    columns = ", ".join([*_COLUMNS, "source", "fetched_at"])
    changed = " OR ".join(f"t.{c} IS DISTINCT FROM i.{c}" for c in _REFRESHED)
    try:
        con.execute("BEGIN")
        # only ids the store already holds can need an update: when there are none (a new import), the
        # UPDATE, which would read every stored post's text to compare, is skipped
        known = con.execute(
            f"SELECT count(*) FROM incoming AS i WHERE EXISTS (SELECT 1 FROM {TABLE} AS t WHERE t.id = i.id)"
        ).fetchone()[0]
        updated = (
            0
            if not known
            else con.execute(
                f"UPDATE {TABLE} AS t SET {', '.join(f'{c} = i.{c}' for c in (*_REFRESHED, 'source', 'fetched_at'))} "
                f"FROM incoming AS i WHERE t.id = i.id AND ({changed})"
            ).fetchone()[0]
        )
        inserted = con.execute(
            f"INSERT INTO {TABLE} SELECT {columns} FROM incoming AS i "
            f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} AS t WHERE t.id = i.id)"
        ).fetchone()[0]
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("incoming")
    return int(updated) + int(inserted)


def query_posts(
    settings: Settings, *, since: Any = None, until: Any = None, subreddits: Sequence[str] | None = None
) -> list[Post]:
    """Stored posts in a window (created_utc in [since, until)) and optional subreddits, oldest first."""
    where, params = _filters(since, until, subreddits)
    if not settings.database_path.exists():
        return []
    with _connect(settings, read_only=True) as con:
        if not _has_table(con):
            return []
        frame = con.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM {TABLE}{where} ORDER BY created_utc, id", params
        ).df()
    return [
        Post(**{**row, "comments": list(row["comments"] if row["comments"] is not None else [])})
        for row in frame.to_dict("records")
    ]


def sources_in(settings: Settings, *, since: Any = None, until: Any = None) -> dict[str, int]:
    """Stored posts per import source in a window (created_utc in [since, until)), most first: what a
    run over that window would mix, so callers can say so."""
    where, params = _filters(since, until, None)
    if not settings.database_path.exists():
        return {}
    with _connect(settings, read_only=True) as con:
        if not _has_table(con):
            return {}
        rows = con.execute(
            f"SELECT source, count(*) AS n FROM {TABLE}{where} GROUP BY source ORDER BY n DESC, source",
            params,
        ).fetchall()
    return {str(source): int(n) for source, n in rows}


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
            "GROUP BY source, subreddit ORDER BY posts DESC"
        ).df()


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
