"""A crafted Reddit export whose fields try to become markup: a fake "session expired" sign-in link to an
outside site, a tracking image and raw HTML in the subreddit, URL and text (issue 24)."""

from __future__ import annotations

import json
from pathlib import Path

from core.trends.posts import Post

EVIL = "evil.example"
PHISH = f"[Your session expired — sign in again](https://{EVIL}/login)"
PIXEL = f"![](https://{EVIL}/pixel.gif) <img src=https://{EVIL}/track.gif>"
BAD_SUBREDDIT = f"femalefashionadvice\n\n{PHISH}\n{PIXEL}"
BAD_URL = f"https://www.reddit.com/r/x/comments/1/\n\n{PHISH} {PIXEL}"
START = 1_780_000_000


def crafted_records(n: int = 60) -> list[dict]:
    """Posts about a rising colour (so they become evidence) with hostile subreddit and url fields."""
    return [
        {
            "id": f"c{i}",
            "subreddit": BAD_SUBREDDIT if i % 2 else "r/good_sub",
            "title": f"My butter yellow suede jacket {PHISH} {i}",
            "selftext": f"Shot in golden hour at a cafe. {PIXEL}",
            "url": BAD_URL if i % 3 else "javascript:alert(1)",
            "score": 100 + i,
            "num_comments": 3,
            "created_utc": START + i * 86_400 * 2,
        }
        for i in range(n)
    ]


def write_crafted_export(path: Path, n: int = 60) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in crafted_records(n)) + "\n", encoding="utf-8")
    return path


def crafted_posts(n: int = 60) -> list[Post]:
    """The same posts as an older store might hold them (saved before import checks): fields unchecked."""
    return [
        Post(
            id=r["id"],
            subreddit=BAD_SUBREDDIT,
            title=r["title"],
            text=r["selftext"],
            score=r["score"],
            num_comments=r["num_comments"],
            created_utc=r["created_utc"],
            url=BAD_URL,
        )
        for r in crafted_records(n)
    ]
