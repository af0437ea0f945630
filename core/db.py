"""The embedded DuckDB file (settings.database_path) that the trend store and the campaign history
share: short-lived connections, each area creating its own table."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

from core.errors import TrendStudioError
from core.settings import Settings


@contextmanager
def connect(
    settings: Settings,
    *,
    schema: str,
    busy: Callable[[str], TrendStudioError],
    read_only: bool = False,
    retries: int = 1,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database (read-only only once it exists), creating `schema` unless read-only.

    Another process may hold the file for a moment: try `retries` times, 0.2 s apart, then raise
    `busy(reason)`, the caller's own error with the caller's own advice.
    """
    path = settings.database_path
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(retries):
        try:
            con = duckdb.connect(str(path), read_only=read_only and path.exists())
            break
        except duckdb.Error as exc:  # locked by another process, or open here with another mode
            if attempt == retries - 1:
                raise busy(str(exc)) from exc
            time.sleep(0.2)
    try:
        if not read_only:
            con.execute(schema)
        yield con
    finally:
        con.close()


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[
            0
        ]
    )
