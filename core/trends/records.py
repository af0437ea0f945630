"""One raw record into a canonical `Post`: field lookup across export spellings, timestamps,
cleaning, bot and deletion filters, and deduplication across re-listed snapshots."""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import pandas as pd

from core.trends.clean import BotRules, clean_text, is_deleted, valid_subreddit, valid_url
from core.trends.posts import Post
from core.trends.readers import VARIANTS, ImportStats

_SUBREDDIT_IN_URL = re.compile(r"/r/([A-Za-z0-9_]+)")


def to_epoch(value: Any) -> int | None:
    """Epoch seconds from an epoch (seconds or milliseconds, number or string), an ISO or other
    common date/datetime string, or a date object; None when it is not a time."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return int((value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp())
    if isinstance(value, date):
        return int(datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _epoch_number(float(value))
    text = str(value).strip()
    try:
        return _epoch_number(float(text))
    except ValueError:
        pass
    try:
        return to_epoch(datetime.fromisoformat(text.replace(" UTC", "+00:00").replace("Z", "+00:00")))
    except ValueError:
        pass
    try:  # RFC 2822 ("Thu, 31 Jan 2013 12:00:00 GMT") and the like
        return to_epoch(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    if not any(ch.isdigit() for ch in text):
        return None
    try:  # US/European slashed dates and other spellings: slow, but only for odd exports
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = pd.to_datetime(text, utc=True)
    except (ValueError, OverflowError, TypeError):
        return None
    return None if pd.isna(parsed) else int(parsed.timestamp())


def _epoch_number(number: float) -> int | None:
    if number != number or number < 0:
        return None
    if number >= 1e11:  # milliseconds (some exports) rather than seconds
        number /= 1000
    return int(number) if number < 1e11 else None


@dataclass
class Builder:
    """Turns records into cleaned, deduplicated posts, counting what it drops in `stats`."""

    bots: BotRules
    since: int | None
    mapping: dict[str, str]
    max_comments: int
    max_chars: int
    stats: ImportStats

    def _get(self, record: dict, fld: str) -> Any:
        if self.mapping and fld in self.mapping:
            return record.get(self.mapping[fld])
        variants = VARIANTS[fld]
        value = record.get(variants[0])  # the usual case: the canonical name is present
        if value is not None and value != "":
            return value
        for key in variants[1:]:
            value = record.get(key)
            if value is not None and value != "":
                return value
        return None

    def build(self, record: Any, fallback_sub: str) -> Post | None:
        reasons = self.stats.reasons
        if isinstance(record, dict) and "data" in record and record.get("kind") in ("t3", "t1"):
            record = record["data"]
        if not isinstance(record, dict):
            reasons["not a JSON object"] += 1
            return None
        if self.mapping or not "".join(map(str, record)).islower():
            record = {str(k).lower(): v for k, v in record.items()}
        created = to_epoch(self._get(record, "created_utc"))
        if created is None or created < 0:
            reasons["missing or invalid created_utc"] += 1
            return None
        if self.since is not None and created < self.since:
            reasons["before --since"] += 1
            return None
        title = clean_text(_as_str(self._get(record, "title")))[: self.max_chars]
        text = clean_text(_as_str(self._get(record, "text")))[: self.max_chars]
        if is_deleted(title, text):
            reasons["deleted or removed"] += 1
            return None
        author = _as_str(self._get(record, "author"))
        if self.bots.is_bot(author, f"{title}\n{text}"):
            reasons["bot or moderator post"] += 1
            return None
        url = _as_str(self._get(record, "url"))
        if url.startswith("/"):
            url = "https://www.reddit.com" + url
        if url and not valid_url(url):  # post fields are data: the post is kept, the field dropped
            self.stats.fields_dropped["url not http(s) or with spaces/control characters"] += 1
            url = ""
        subreddit = _as_str(self._get(record, "subreddit")).removeprefix("r/")
        if subreddit and not valid_subreddit(subreddit):
            self.stats.fields_dropped["subreddit not a Reddit name ([A-Za-z0-9_]{1,21})"] += 1
            subreddit = ""
        if not subreddit:
            found = _SUBREDDIT_IN_URL.search(url) or _SUBREDDIT_IN_URL.search(
                _as_str(record.get("subreddit_name_prefixed"))
            )
            # the file's name stands in, made a Reddit name (`posts-2024.csv` -> `posts_2024`)
            subreddit = found.group(1) if found else re.sub(r"\W|[^\x00-\x7f]", "_", fallback_sub)[:21]
            subreddit = subreddit if valid_subreddit(subreddit) else "unknown"
        post_id = _as_str(self._get(record, "id")).removeprefix("t3_")
        digest = hashlib.blake2b(
            f"{subreddit}\x00{title}\x00{text}\x00{url}\x00{created}".encode(), digest_size=8
        ).digest()
        if not post_id:
            post_id = "h" + digest.hex()
        post = Post(
            id=post_id,
            subreddit=subreddit,
            title=title,
            text=text,
            score=_as_int(self._get(record, "score")),
            num_comments=_as_int(self._get(record, "num_comments")),
            created_utc=created,
            comments=self._comments(self._get(record, "comments")),
            url=url,
            author=author,
        )
        return self._dedupe(post, int.from_bytes(digest), record)

    def _dedupe(self, post: Post, content_key: int, record: dict) -> Post | None:
        """One post per id, content, (author, creation time, title) or permalink: the same post re-listed
        in several exports (hot, top, controversial...) is counted once; the newest snapshot (latest
        fetch time, then most comments) replaces an older one when the caller can (`load_posts`)."""
        keys = [
            content_key,
            _key("id", post.id),
            _key("listing", f"{post.author.lower()}\x00{post.created_utc}\x00{post.title.lower()}"),
        ]
        permalink = _as_str(record.get("permalink")).lower().split("reddit.com")[-1].rstrip("/")
        if permalink:
            keys.append(_key("permalink", permalink))
        stats = self.stats
        snapshot = (
            to_epoch(record.get("retrieved_on") or record.get("retrieved_utc") or record.get("fetched_at"))
            or 0,
            post.num_comments,
        )
        slot = next((stats.seen[k] for k in keys if k in stats.seen), None)
        if slot is not None:
            self.stats.reasons["duplicate"] += 1
            if snapshot > stats.snapshots[slot]:
                stats.snapshots[slot] = snapshot
                stats.replaced[slot] = post
            for k in keys:
                stats.seen.setdefault(k, slot)
            return None
        slot = len(stats.snapshots)
        stats.snapshots.append(snapshot)
        for k in keys:
            stats.seen[k] = slot
        stats.kept += 1
        return post

    def _comments(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = value.strip()
            if not value.startswith("["):
                return []
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                return []
        if not isinstance(value, list):
            return []
        out: list[str] = []
        for item in value:
            body = item.get("body") if isinstance(item, dict) else item
            author = _as_str(item.get("author")) if isinstance(item, dict) else ""
            cleaned = clean_text(_as_str(body))
            if cleaned and not self.bots.is_bot(author, cleaned):
                out.append(cleaned[: self.max_chars])
            if len(out) >= self.max_comments:
                break
        return out


def _key(kind: str, value: str) -> int:
    """A 64-bit key per kind (ids, listings and permalinks hash apart): small dedupe memory."""
    return int.from_bytes(hashlib.blake2b(f"{kind}\x00{value}".encode(), digest_size=8).digest())


def _as_str(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _as_int(value: Any) -> int:
    if value is None or value == "" or isinstance(value, bool):
        return 0
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return int(number) if number == number and abs(number) < 1e15 else 0
