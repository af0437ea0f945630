"""Every post source into canonical `Post`s: NDJSON/JSON dumps (plain or .zst, streamed), CSV/TSV,
a live praw crawl (`reddit:sub1,sub2`) and the demo corpus.

Bad records are skipped and counted by reason, never fatal; a source that cannot be read at all
raises `SourceError` with what to do. Cleaning (URLs, markdown, deleted content), bots and
duplicates are handled in `records.py`, so every analyzer sees the same posts.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.settings import Settings, load_settings
from core.trends.clean import BotRules
from core.trends.errors import SourceError
from core.trends.posts import Post
from core.trends.readers import (
    CSV_SUFFIXES,
    JSON_SUFFIXES,
    ImportStats,
    TooLargeError,
    csv_rows,
    json_file,
    json_lines,
    open_text,
    text_lines,
    zstd_lines,
)
from core.trends.records import Builder, to_epoch


@dataclass
class ImportResult:
    """Posts from one or more sources, and what was dropped and why."""

    posts: list[Post]
    skipped: int
    reasons: dict[str, int]
    source: str
    fields_dropped: dict[str, int] = field(default_factory=dict)
    """Fields dropped from kept posts, by reason (counted, the posts kept)."""

    @property
    def read(self) -> int:
        """Records read from the source(s): kept plus skipped."""
        return len(self.posts) + self.skipped


def load_posts(
    source: str | Path | Sequence[str | Path],
    *,
    mapping: dict[str, str] | None = None,
    since: Any = None,
    settings: Settings | None = None,
    crawl_options: dict[str, Any] | None = None,
    max_bytes: int | None = None,
) -> ImportResult:
    """Read one source (or several, deduplicated across them) into cleaned posts; of a post listed
    several times, the newest snapshot is kept. A file over `max_bytes` (decompressed) raises
    `TooLargeError`; None: no limit."""
    sources = [source] if isinstance(source, str | Path) else list(source)
    stats = ImportStats()
    posts = list(
        iter_posts(
            sources,
            mapping=mapping,
            since=since,
            settings=settings,
            stats=stats,
            crawl_options=crawl_options,
            max_bytes=max_bytes,
        )
    )
    for slot, newer in stats.replaced.items():  # re-listed posts: keep the newest snapshot
        posts[slot] = newer
    return ImportResult(
        posts=posts,
        skipped=stats.skipped,
        reasons=dict(stats.reasons),
        source=", ".join(describe(s) for s in sources),
        fields_dropped=dict(stats.fields_dropped),
    )


def iter_posts(
    sources: Sequence[str | Path],
    *,
    mapping: dict[str, str] | None = None,
    since: Any = None,
    settings: Settings | None = None,
    stats: ImportStats | None = None,
    crawl_options: dict[str, Any] | None = None,
    max_bytes: int | None = None,
) -> Iterator[Post]:
    """Stream cleaned, deduplicated posts; memory stays flat in the number of posts read (a re-listed
    post keeps its first snapshot here; `load_posts` swaps in the newest)."""
    settings = settings or load_settings()
    section = settings.section("trends").get("import", {})
    builder = Builder(
        bots=BotRules.from_config(section),
        since=to_epoch(since) if since is not None else None,
        mapping={k: v.lower() for k, v in (mapping or {}).items()},
        max_comments=int(section.get("max_comments", 20)),
        max_chars=int(section.get("max_text_chars", 20000)),
        stats=stats if stats is not None else ImportStats(),
    )
    if since is not None and builder.since is None:
        raise SourceError(f"--since {since!r} is not a date; use YYYY-MM-DD")
    for source in sources:
        for record, fallback_sub in _records(source, settings, builder, crawl_options or {}, max_bytes):
            post = builder.build(record, fallback_sub)
            if post is not None:
                yield post


def describe(source: str | Path) -> str:
    """A short label for a source (file name, `reddit:subs` or `demo`)."""
    text = str(source)
    if text == "demo" or text.startswith("reddit:"):
        return text
    return Path(text).name


# --------------------------------------------------------------------------- records per format


def _records(
    source: str | Path,
    settings: Settings,
    builder: Builder,
    crawl_options: dict[str, Any],
    max_bytes: int | None = None,
) -> Iterator[tuple[Any, str]]:
    text = str(source)
    if text == "demo":
        path = settings.demo_dir / "posts.jsonl"
        if not path.is_file():
            raise SourceError("the demo corpus is missing; run `python -m core demo-data --out data/demo`")
        yield from ((r, "") for r in json_lines(text_lines(path), builder.stats))
        return
    if text.startswith("reddit:"):
        from core.trends.reddit import crawl  # praw is only imported for live crawls

        subs = [s.strip().removeprefix("r/") for s in text.split(":", 1)[1].split(",") if s.strip()]
        if not subs:
            raise SourceError("`reddit:` needs subreddit names, e.g. reddit:femalefashionadvice,streetwear")
        yield from (
            (r, "") for r in crawl(subs, settings=settings, skipped=builder.stats.reasons, **crawl_options)
        )
        return
    path = Path(text)
    if not path.is_file():
        raise SourceError(
            f"{path} does not exist; give a .jsonl/.json/.ndjson/.zst/.csv/.tsv file, "
            "`demo`, or reddit:sub1,sub2"
        )
    suffixes = [s.lower() for s in path.suffixes]
    if not suffixes:
        raise SourceError(f"{path.name} has no extension; name it .jsonl, .json, .ndjson, .zst, .csv or .tsv")
    if path.stat().st_size == 0:
        raise SourceError(f"{path.name} is empty; nothing to import")
    if max_bytes is not None and path.stat().st_size > max_bytes:
        raise TooLargeError(path.name, max_bytes)
    stem = path.name.split(".")[0]
    if suffixes[-1] == ".zst":
        inner = suffixes[-2] if len(suffixes) > 1 else ".ndjson"
        lines = zstd_lines(path, builder.stats, max_bytes)
        if inner in CSV_SUFFIXES:
            stream = io.StringIO(b"\n".join(lines).decode("utf-8", errors="replace"))
            yield from ((r, stem) for r in csv_rows(stream, path.name, inner, builder.mapping, builder.stats))
        else:
            yield from ((r, stem) for r in json_lines(lines, builder.stats))
    elif suffixes[-1] in CSV_SUFFIXES:
        yield from (
            (r, stem)
            for r in csv_rows(open_text(path), path.name, suffixes[-1], builder.mapping, builder.stats)
        )
    elif suffixes[-1] in JSON_SUFFIXES:
        yield from ((r, stem) for r in json_file(path, builder.stats))
    else:
        raise SourceError(
            f"{path.name}: unknown format {suffixes[-1]!r}; use .jsonl/.json/.ndjson/.zst/.csv/.tsv"
        )
