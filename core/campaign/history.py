"""Run history in the embedded database (settings.database_path, table `campaign_runs`).

Connections are short-lived (the trends store keeps its own tables in the same file). run.json in
each run folder is the full record; this table is the index the Home page lists.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import pandas as pd

from core import db
from core.campaign.errors import CampaignError
from core.settings import Settings

TABLE = "campaign_runs"
COLUMNS = [
    "run_id",
    "started_at",
    "finished_at",
    "status",
    "failed_stage",
    "error",
    "out_dir",
    "replay_of",
    "top_categories",
    "palette",
    "images_done",
    "images_failed",
    "seconds",
    "user",
]
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    run_id VARCHAR PRIMARY KEY, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, status VARCHAR,
    failed_stage VARCHAR, error VARCHAR, out_dir VARCHAR, replay_of VARCHAR, top_categories VARCHAR,
    palette VARCHAR, images_done INTEGER, images_failed INTEGER, seconds DOUBLE, "user" VARCHAR
);
ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS "user" VARCHAR"""
_RETRIES = 10


@contextmanager
def _connect(settings: Settings, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    name = settings.database_path.name
    with db.connect(
        settings,
        schema=_SCHEMA,
        read_only=read_only,
        retries=_RETRIES,
        busy=lambda reason: CampaignError(
            f"the database {name} is busy ({reason}); close other Trend Studio processes and retry"
        ),
    ) as con:
        try:
            yield con
        except duckdb.Error as exc:
            raise CampaignError(f"the run history in {name} could not be read or written ({exc})") from exc


def record(settings: Settings, run: dict[str, Any]) -> None:
    """Insert or update one run from its run.json record."""
    figures = run.get("figures", {})
    failed = next((s for s in run.get("stages", []) if s["status"] == "failed"), None)
    row = [
        run["run_id"],
        run["started_at"],
        run.get("finished_at"),
        run["status"],
        failed["name"] if failed else None,
        failed["error"] if failed else None,
        run["out_dir"],
        run.get("replay_of"),
        json.dumps(figures.get("top_categories", [])),
        json.dumps(figures.get("palette", [])),
        figures.get("images_done"),
        figures.get("images_failed"),
        run.get("seconds"),
        run.get("user"),
    ]
    with _connect(settings) as con:
        con.execute(
            f"INSERT OR REPLACE INTO {TABLE} ({', '.join(map(_quoted, COLUMNS))}) VALUES ({', '.join('?' * len(COLUMNS))})",
            row,
        )


def list_runs(settings: Settings, limit: int = 50) -> pd.DataFrame:
    """Recorded runs, newest first (empty frame when there are none yet)."""
    empty = pd.DataFrame(columns=COLUMNS)
    if not settings.database_path.exists():
        return empty
    with _connect(settings, read_only=True) as con:
        if not db.has_table(con, TABLE):
            return empty
        frame = con.execute(
            f"SELECT {', '.join(map(_quoted, COLUMNS))} FROM {TABLE} ORDER BY started_at DESC, run_id DESC LIMIT ?",
            [limit],
        ).df()
    for col in ("top_categories", "palette"):
        frame[col] = [json.loads(v) if isinstance(v, str) else [] for v in frame[col]]
    return frame


def _quoted(column: str) -> str:
    return f'"{column}"'  # "user" is a keyword in SQL
