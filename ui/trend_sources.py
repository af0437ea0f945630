"""Where the Trend Explorer's posts come from: the page's source options into an ImportResult."""

from __future__ import annotations

import streamlit as st

from core.errors import TrendStudioError
from core.settings import Settings
from core.trends import store
from core.trends.readers import parse_mapping
from core.trends.sources import ImportResult, load_posts
from ui.uploads import save_uploads, upload_dir


def load_source(source: str, options: dict, settings: Settings) -> ImportResult:
    """Posts from the chosen source (demo, upload, live crawl or the local store)."""
    if source == "Demo corpus":
        return load_posts("demo", settings=settings)
    if source == "Upload a file":
        upload = options["upload"]
        if upload is None:
            raise TrendStudioError("choose a file to upload first")
        (path,) = save_uploads([upload], upload_dir(settings, "posts"))
        mapping = parse_mapping(p for p in options["mapping"].split(",") if p.strip())
        cap_mb = float(settings.section("trends").get("max_upload_mb", 200))
        return load_posts(path, mapping=mapping, settings=settings, max_bytes=int(cap_mb * 2**20))
    if source == "Live Reddit crawl":
        subs = ",".join(s.strip().removeprefix("r/") for s in options["subs"].split(",") if s.strip())
        return load_posts(f"reddit:{subs}", settings=settings, crawl_options=options["crawl"])
    posts = store.query_posts(settings)
    if not posts:
        raise TrendStudioError(
            "no saved posts yet: load the demo corpus, a file or a crawl with 'Keep the posts' ticked"
        )
    return ImportResult(posts=posts, skipped=0, reasons={}, source="saved posts")


def crawl_options(settings: Settings) -> dict:
    """The live crawl's widgets: subreddits and listing options."""
    crawl_cfg = settings.section("trends").get("crawl", {})
    live = next(s for s in settings.integrations() if s.name == "Reddit")
    if not live.enabled:
        st.info(f"Reddit is {live.detail}")
    subs = st.text_input("Subreddits", ", ".join(crawl_cfg.get("subreddits", [])))
    c1, c2, c3, c4 = st.columns(4)
    crawl = {
        "listing": c1.selectbox("Listing", ["hot", "top", "new", "rising"]),
        "time_filter": c2.selectbox("Time filter (top)", ["week", "month", "year", "all", "day"], index=1),
        "limit": c3.number_input("Posts per subreddit", 10, 1000, int(crawl_cfg.get("limit", 100)), step=10),
        "comments": c4.number_input("Top comments per post", 0, 50, int(crawl_cfg.get("comments", 5))),
    }
    return {"subs": subs, "crawl": crawl}
