"""Events -> transition frame, shared by train, evaluate and predict."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.predictor.events import EventsInput, LoadStats, connect, load_events
from core.predictor.features import build_features, choose_categories


@dataclass
class Transitions:
    frame: pd.DataFrame
    """features.META_COLUMNS + features, one row per purchase (target NULL on each user's latest)."""
    stats: LoadStats
    categories: list[str]
    classes: list[str]

    @property
    def labelled(self) -> pd.DataFrame:
        return self.frame[self.frame["target"].notna()]

    @property
    def latest(self) -> pd.DataFrame:
        """Each customer's latest purchase with the browsing since: the rows `predict` scores."""
        return self.frame[self.frame["target"].isna()]


def transitions(events: EventsInput, params: dict, categories: list[str] | None = None,
                classes: list[str] | None = None) -> Transitions:
    """Load and featurise; categories come from the data unless a model fixes them."""
    con = connect(params["memory_limit"], params["threads"])
    try:
        stats = load_events(con, events, apparel_prefix=params["apparel_prefix"])
        if categories is None:
            categories, classes = choose_categories(con, int(params["min_class_support"]))
        frame = build_features(con, categories)
    finally:
        con.close()
    return Transitions(frame=frame, stats=stats, categories=categories, classes=list(classes or []))


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
    return {"sha256": digest.hexdigest(), "files": files, "rows_read": stats.rows_read,
            "events": stats.events, "users": stats.users, "purchases": stats.purchases,
            "first_event": stats.first_event, "last_event": stats.last_event}


def profile(events: EventsInput, params: dict) -> LoadStats:
    """Load only (no features): what the data holds, for the page's data profile."""
    con = connect(params["memory_limit"], params["threads"])
    try:
        return load_events(con, events, apparel_prefix=params["apparel_prefix"])
    finally:
        con.close()
