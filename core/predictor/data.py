"""Events -> cutoff-framed examples, shared by train, evaluate, predict and the horizon curve."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from core.predictor.errors import TooLittleDataError
from core.predictor.events import EventsInput, LoadStats, connect, load_events
from core.predictor.features import choose_categories, cutoff_grid, data_span, examples_and_counts


@dataclass
class Examples:
    frame: pd.DataFrame
    """features.META_COLUMNS + features: labelled rows, plus every customer at cutoffs >= all_customers_from."""
    stats: LoadStats
    categories: list[str]
    classes: list[str]
    cutoffs: list[pd.Timestamp]
    horizon_days: int
    counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    """label_counts(): customers per cutoff and what they bought in (T, T+H] ('' = nothing)."""

    @property
    def labelled(self) -> pd.DataFrame:
        return self.frame[self.frame["target"].notna()]


class EventData:
    """An open DuckDB connection over loaded events: use as a context manager (it closes the connection)."""

    def __init__(self, events: EventsInput, params: dict) -> None:
        self.params = params
        self.con: duckdb.DuckDBPyConnection = connect(params["memory_limit"], params["threads"])
        try:
            self.stats = load_events(self.con, events, apparel_prefix=params["apparel_prefix"])
        except BaseException:
            self.con.close()
            raise
        self.span = data_span(self.con)

    def __enter__(self) -> EventData:
        return self

    def __exit__(self, *exc: object) -> None:
        self.con.close()

    def categories(self) -> tuple[list[str], list[str]]:
        return choose_categories(self.con, int(self.params["min_class_support"]))

    def grid(self, horizon_days: int) -> list[pd.Timestamp]:
        """Every cutoff of the framing; TooLittleDataError when the events span too few days for one."""
        step, warmup = int(self.params["cutoff_step_days"]), int(self.params["warmup_days"])
        cutoffs = (
            []
            if self.span is None
            else cutoff_grid(*self.span, horizon_days=horizon_days, step_days=step, warmup_days=warmup)
        )
        if not cutoffs:
            days = 0.0 if self.span is None else (self.span[1] - self.span[0]) / pd.Timedelta(days=1)
            raise TooLittleDataError(
                f"too little data to form any example: the apparel events span {days:.1f} days "
                f"({self.profile()}), and a cutoff needs {warmup} days of history before it and a "
                f"{horizon_days}-day horizon after it; use a longer period of events or a shorter --horizon-days"
            )
        return cutoffs

    def examples(
        self,
        categories: list[str],
        classes: list[str],
        cutoffs: Sequence[pd.Timestamp],
        horizon_days: int,
        all_customers_from: pd.Timestamp | None = None,
        count_cutoffs: Sequence[pd.Timestamp] = (),
        negative_ratio: float | None = None,
    ) -> Examples:
        frame, counts = examples_and_counts(
            self.con,
            categories,
            cutoffs,
            horizon_days,
            all_customers_from=all_customers_from,
            count_cutoffs=count_cutoffs,
            negative_ratio=negative_ratio,
        )
        return Examples(
            frame=frame,
            stats=self.stats,
            categories=categories,
            classes=list(classes),
            cutoffs=list(cutoffs),
            horizon_days=int(horizon_days),
            counts=counts,
        )

    def profile(self) -> str:
        s = self.stats
        return (
            f"{s.rows_read:,} rows read, {s.events:,} apparel events, {s.purchases:,} apparel purchases "
            f"by {s.users:,} users"
        )


def fingerprint(stats: LoadStats) -> dict:
    """Identifies the training data without storing it: names, sizes, times and row counts."""
    digest = hashlib.sha256()
    files = []
    for name in stats.files:
        path = Path(name)
        st = path.stat()
        files.append({"name": path.name, "bytes": st.st_size})
        digest.update(f"{path.resolve()}|{st.st_size}|{int(st.st_mtime)}".encode())
    digest.update(f"{stats.rows_read}|{stats.events}|{stats.purchases}".encode())
    return {
        "sha256": digest.hexdigest(),
        "files": files,
        "rows_read": stats.rows_read,
        "events": stats.events,
        "users": stats.users,
        "purchases": stats.purchases,
        "first_event": stats.first_event,
        "last_event": stats.last_event,
    }


def profile(events: EventsInput, params: dict) -> LoadStats:
    """Load only (no features): what the data holds, for the page's data profile."""
    con = connect(params["memory_limit"], params["threads"])
    try:
        return load_events(con, events, apparel_prefix=params["apparel_prefix"])
    finally:
        con.close()
