"""Reading post files record by record: NDJSON (plain or multi-frame .zst, streamed), JSON
listings/arrays, and CSV/TSV with header-based delimiter sniffing and column-name checks.

Readers only parse; turning records into clean `Post`s is `core.trends.sources`' job.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zstandard

from core.trends.errors import SourceError

JSON_SUFFIXES = {".jsonl", ".json", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
ZSTD_WINDOW = 2**31
# canonical field -> accepted column/key names (case-insensitive), first present wins
VARIANTS: dict[str, tuple[str, ...]] = {
    "id": ("id", "post_id", "name"),
    "title": ("title", "headline"),
    "text": ("selftext", "text", "body", "description", "content"),
    "score": ("score", "ups", "upvotes"),
    "num_comments": ("num_comments", "comments_count", "n_comments", "comment_count"),
    "created_utc": ("created_utc", "created", "created utc", "created_at", "date", "timestamp", "time"),
    "subreddit": ("subreddit", "sub", "community"),
    "url": ("permalink", "url", "link"),
    "author": ("author", "username", "user"),
    "comments": ("comments", "top_comments"),
}


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """`FIELD=COLUMN` pairs (CLI --map, the page's mapping box) into {field: column}; a pair without
    `=`, an empty side or a field that is not a Post field is a `SourceError` saying how to write it."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        field_name, sep, column = pair.partition("=")
        field_name, column = field_name.strip().lower(), column.strip()
        if not sep or not field_name or not column:
            raise SourceError(
                f"column mapping {pair.strip()!r} must look like FIELD=COLUMN, e.g. title=Headline"
            )
        if field_name not in VARIANTS:
            raise SourceError(
                f"column mapping {pair.strip()!r}: {field_name!r} is not a post field; "
                f"use one of {', '.join(VARIANTS)}"
            )
        mapping[field_name] = column
    return mapping


if csv.field_size_limit() < 2**27:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class ImportStats:
    """Counts shared across sources while streaming, so duplicates are caught between files too."""

    reasons: Counter = field(default_factory=Counter)
    seen: dict[int, int] = field(default_factory=dict)
    """64-bit post keys (id, content, author+time+title, permalink) -> the slot of the kept post."""
    snapshots: list[tuple[int, int]] = field(default_factory=list)
    """Per kept slot: (fetch time, comments) of its snapshot, to keep the newest of re-listed copies."""
    replaced: dict[int, object] = field(default_factory=dict)
    """Slot -> a newer snapshot of that post (applied by `load_posts`; streaming keeps the first)."""
    kept: int = 0
    fields_dropped: Counter = field(default_factory=Counter)
    """Fields removed from kept posts by reason (a subreddit or URL that could carry markup)."""

    @property
    def skipped(self) -> int:
        return sum(self.reasons.values())


def open_text(path: Path) -> io.TextIOBase:
    return open(path, encoding="utf-8", errors="replace", newline="")  # noqa: SIM115


def zstd_lines(path: Path, stats: ImportStats, max_bytes: int | None = None) -> Iterator[bytes]:
    """Lines of a (multi-frame) zstd file, decompressed 1 MiB at a time; truncation is counted. Past
    `max_bytes` of decompressed data, `TooLargeError` (a small upload can inflate enormously)."""
    with open(path, "rb") as fh:
        if fh.read(4) != b"\x28\xb5\x2f\xfd":
            raise SourceError(f"{path.name} is not a zstandard file; decompress or rename it")
        fh.seek(0)
        dctx = zstandard.ZstdDecompressor(max_window_size=ZSTD_WINDOW)
        dobj, fed, tail, inflated = dctx.decompressobj(), False, b"", 0
        try:
            while chunk := fh.read(1 << 20):
                while chunk:
                    piece = dobj.decompress(chunk)
                    inflated += len(piece)
                    if max_bytes is not None and inflated > max_bytes:
                        raise TooLargeError(path.name, max_bytes)
                    tail += piece
                    fed = True
                    chunk = b""
                    if dobj.eof:  # next frame (dumps are often several frames)
                        chunk, dobj, fed = dobj.unused_data, dctx.decompressobj(), False
                lines = tail.split(b"\n")
                tail = lines.pop()
                yield from lines
        except zstandard.ZstdError:
            stats.reasons["corrupt compressed stream"] += 1
            return
        if tail:
            yield tail
        if fed and not dobj.eof:
            stats.reasons["truncated compressed stream"] += 1


class TooLargeError(SourceError):
    """A source over the caller's size limit (decompressed), with where to analyse it instead."""

    def __init__(self, name: str, max_bytes: int) -> None:
        super().__init__(
            f"{name} is larger than {max_bytes / 2**20:,.0f} MB once decompressed, this page's limit "
            "([trends] max_upload_mb in config/trends.toml); analyse it with "
            f"`python -m core trends {name} --out report.json`, which streams files of any size"
        )


def json_lines(lines: Iterable[str | bytes], stats: ImportStats) -> Iterator[Any]:
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            yield json.loads(line)
        except ValueError:  # JSONDecodeError, or bytes that are not UTF-8
            stats.reasons["invalid JSON line"] += 1


def text_lines(path: Path) -> Iterator[str]:
    with open_text(path) as fh:
        yield from fh


def json_file(path: Path, stats: ImportStats) -> Iterator[Any]:
    """A .json file is a Reddit Listing, an array of posts, one post, or NDJSON in disguise."""
    with open_text(path) as fh:
        head = fh.read(1 << 16).lstrip()
    if path.suffix.lower() == ".json" and head[:1] in "[{":
        try:
            data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
        except json.JSONDecodeError as exc:
            if "Extra data" not in str(exc):
                if head[:1] == "[":
                    raise SourceError(
                        f"{path.name} is not valid JSON ({exc.msg} at line {exc.lineno})"
                    ) from exc
                yield from json_lines(text_lines(path), stats)
                return
        else:
            yield from _unwrap(data)
            return
    yield from json_lines(text_lines(path), stats)


def _unwrap(data: Any) -> Iterator[Any]:
    if isinstance(data, list):
        for item in data:
            yield from _unwrap(item)
    elif isinstance(data, dict) and data.get("kind") == "Listing":
        yield from _unwrap(data.get("data", {}).get("children", []))
    else:
        yield data


def csv_rows(
    stream: io.TextIOBase, name: str, suffix: str, mapping: dict[str, str], stats: ImportStats
) -> Iterator[dict[str, str]]:
    """Rows as {lower-cased column: value}; rows of the wrong width are counted, not fatal."""
    with stream:
        sample = stream.read(1 << 16)
        if not sample.strip():
            raise SourceError(f"{name} is empty; nothing to import")
        delimiter = _sniff_delimiter(sample, suffix)
        stream.seek(0)
        reader = csv.reader(stream, delimiter=delimiter, quotechar='"', doublequote=True)
        header = next(reader, None)
        if not header:
            raise SourceError(f"{name} has no header row; the first line must name the columns")
        columns = [h.strip().lower() for h in header]
        _check_columns(columns, mapping, name)
        width = len(columns)
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != width:
                stats.reasons["wrong number of columns"] += 1
                continue
            yield dict(zip(columns, row, strict=True))


def _sniff_delimiter(sample: str, suffix: str) -> str:
    """The delimiter, judged on the header line (quoted newlines in bodies fool whole-sample sniffing)."""
    header = sample.splitlines()[0] if sample else ""
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.__getitem__)
    if counts[best]:
        return best
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return "\t" if suffix == ".tsv" else ","


def _check_columns(columns: list[str], mapping: dict[str, str], name: str) -> None:
    missing_mapped = [c for c in mapping.values() if c not in columns]
    if missing_mapped:
        raise SourceError(
            f"{name}: mapped column(s) {', '.join(missing_mapped)} not in the header ({', '.join(columns)})"
        )

    def has(fld: str) -> bool:
        return fld in mapping or any(v in columns for v in VARIANTS[fld])

    missing = []
    if not (has("title") or has("text")):
        missing.append("title or selftext/text/body")
    if not has("created_utc"):
        missing.append("created_utc/created")
    if missing:
        raise SourceError(
            f"{name} is missing column(s) {'; '.join(missing)} (found: {', '.join(columns)}); "
            "rename them or pass a mapping such as title=Headline"
        )
