"""Home's choice of the posts a campaign analyses: the demo corpus, saved posts in a date range, or an
upload. One source per run, never a silent mix; the panel says which it will use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import streamlit as st

from core.settings import Settings
from core.trends import store
from core.trends.records import to_epoch
from ui.uploads import save_uploads, upload_dir

CHOICES = ("Demo posts", "Saved posts", "Upload a file")


@dataclass(frozen=True)
class PostsChoice:
    """The campaign inputs that pick the posts, and a sentence saying which posts they are."""

    overrides: dict[str, Any]
    description: str
    ready: bool = True


def posts_choice(settings: Settings) -> PostsChoice:
    """The posts widgets; what the run will analyse."""
    kind = st.radio("Posts to analyse", CHOICES, horizontal=True, key="campaign_posts")
    if kind == "Demo posts":
        return PostsChoice({"posts": ["demo"]}, "the demo corpus only")
    if kind == "Upload a file":
        upload = st.file_uploader(
            "Posts file (.jsonl, .ndjson, .json, .zst, .csv, .tsv)",
            type=["jsonl", "ndjson", "json", "zst", "csv", "tsv"],
            key="campaign_posts_upload",
        )
        if upload is None:
            return PostsChoice({}, "nothing yet: choose a file", ready=False)
        (path,) = save_uploads([upload], upload_dir(settings, "posts"))
        return PostsChoice({"posts": [str(path)]}, f"{path.name} only")
    saved = store.summary(settings)
    if saved.empty:
        st.caption("No saved posts yet: import some on the Trend Explorer with 'Keep the posts' ticked.")
        return PostsChoice({}, "nothing: there are no saved posts", ready=False)
    first, last = _day(saved["first"].min()), _day(saved["last"].max())
    window = st.date_input("Saved posts created in", (first, last), key="campaign_posts_window")
    start, end = window if isinstance(window, tuple) and len(window) == 2 else (first, last)
    until = to_epoch(end + timedelta(days=1))
    in_window = store.sources_in(settings, since=start.isoformat(), until=until)
    overrides = {"posts_from_store": True, "since": start.isoformat(), "until": until}
    if not in_window:
        return PostsChoice(overrides, f"nothing: no saved posts from {start} to {end}", ready=False)
    listed = ", ".join(f"{source} ({n:,})" for source, n in in_window.items())
    warning = " — several sources, analysed together" if len(in_window) > 1 else ""
    return PostsChoice(overrides, f"saved posts from {start} to {end}: {listed}{warning}")


def _day(value: Any) -> date:
    stamp = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    if isinstance(stamp, datetime):
        return stamp.astimezone(UTC).date()
    return date.fromisoformat(str(stamp)[:10])
