"""Live crawl with praw: subreddits x a listing (hot/top/new/rising), with top comments.

praw follows Reddit's rate-limit headers itself; `REDDIT_API_URL` (settings.reddit_api_url)
points both its `reddit_url` (token endpoint) and `oauth_url` (API) elsewhere, e.g. a local fake
server in tests or a proxy. Yields raw dicts that `core.trends.sources` turns into Posts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

import praw
import prawcore

from core.settings import Settings
from core.trends.errors import RedditError

log = logging.getLogger(__name__)
LISTINGS = ("hot", "top", "new", "rising")
TIME_FILTERS = ("hour", "day", "week", "month", "year", "all")


def client(settings: Settings) -> praw.Reddit:
    """A read-only praw client from settings; a clear error when the keys are not set."""
    client_id, secret = settings.secret("reddit_client_id"), settings.secret("reddit_client_secret")
    if not (client_id and secret):
        raise RedditError(
            "the live Reddit crawl needs REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET "
            "(environment or .streamlit/secrets.toml); use the demo corpus or a file meanwhile"
        )
    crawl_cfg = settings.section("trends").get("crawl", {})
    kwargs: dict[str, Any] = {
        "client_id": client_id,
        "client_secret": secret,
        "user_agent": settings.reddit_user_agent,
        "check_for_updates": False,
        "check_for_async": False,
        "ratelimit_seconds": int(crawl_cfg.get("ratelimit_seconds", 300)),
        # praw 8 reads a `timeout` setting but never uses it, and prawcore's session always passes its
        # module default: a requestor that applies ours is the only way to bound each request
        "requestor_class": _TimeoutRequestor,
        "requestor_kwargs": {"timeout": float(crawl_cfg.get("timeout", 16))},
    }
    if settings.reddit_api_url:
        base = settings.reddit_api_url.rstrip("/")
        kwargs.update(reddit_url=base, oauth_url=base)
    reddit = praw.Reddit(**kwargs)
    reddit.read_only = True
    return reddit


class _TimeoutRequestor(prawcore.Requestor):
    """prawcore's requestor with the configured per-request timeout actually applied."""

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        return super().request(*args, timeout=self.timeout, **kwargs)


def crawl(
    subreddits: Sequence[str],
    *,
    settings: Settings,
    listing: str | None = None,
    time_filter: str | None = None,
    limit: int | None = None,
    comments: int | None = None,
    skipped: Any = None,
) -> Iterator[dict]:
    """Posts of each subreddit as raw dicts; a private/missing subreddit is skipped and counted."""
    cfg = settings.section("trends").get("crawl", {})
    listing = listing or cfg.get("listing", "hot")
    time_filter = time_filter or cfg.get("time_filter", "month")
    limit = int(limit if limit is not None else cfg.get("limit", 100))
    n_comments = int(comments if comments is not None else cfg.get("comments", 5))
    if listing not in LISTINGS:
        raise RedditError(f"unknown listing {listing!r}; use one of {', '.join(LISTINGS)}")
    if time_filter not in TIME_FILTERS:
        raise RedditError(f"unknown time filter {time_filter!r}; use one of {', '.join(TIME_FILTERS)}")
    reddit = client(settings)
    host = (settings.reddit_api_url or "https://oauth.reddit.com").split("://", 1)[-1].split("/", 1)[0]
    failed = 0
    for name in subreddits:
        try:
            subreddit = reddit.subreddit(name)
            items = (
                subreddit.top(time_filter=time_filter, limit=limit)
                if listing == "top"
                else getattr(subreddit, listing)(limit=limit)
            )
            for submission in items:
                yield _as_dict(submission, n_comments)
        except (
            prawcore.exceptions.Forbidden,
            prawcore.exceptions.NotFound,
            prawcore.exceptions.Redirect,
        ) as exc:
            failed += 1
            log.warning("r/%s skipped: %s", name, exc)
            if skipped is not None:
                skipped[f"r/{name}: private, banned or missing"] += 1
        except prawcore.exceptions.PrawcoreException as exc:
            raise _explain(exc, host) from exc
    if failed == len(subreddits):
        raise RedditError(
            f"none of {', '.join('r/' + s for s in subreddits)} could be read "
            "(private, banned or missing); check the names"
        )


def _as_dict(submission: Any, n_comments: int) -> dict:
    top: list[dict] = []
    if n_comments > 0 and (submission.num_comments or 0) > 0:
        submission.comment_sort = "top"
        submission.comment_limit = n_comments
        submission.comments.replace_more(limit=0)
        top = [
            {"body": c.body, "author": str(c.author) if c.author else ""}
            for c in list(submission.comments)[:n_comments]
            if hasattr(c, "body")
        ]
    return {
        "id": submission.id,
        "subreddit": submission.subreddit.display_name,
        "title": submission.title,
        "selftext": submission.selftext,
        "score": submission.score,
        "num_comments": submission.num_comments,
        "created_utc": submission.created_utc,
        "comments": top,
        "permalink": submission.permalink,
        "author": str(submission.author) if submission.author else "",
    }


def _explain(exc: prawcore.exceptions.PrawcoreException, host: str) -> RedditError:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(exc, prawcore.exceptions.TooManyRequests) or status == 429:
        return RedditError(
            "Reddit rate limit reached (HTTP 429); wait a few minutes or lower the crawl limit"
        )
    if isinstance(exc, prawcore.exceptions.OAuthException) or status == 401:
        return RedditError(
            "Reddit refused the credentials (HTTP 401); check REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET"
        )
    if isinstance(exc, prawcore.exceptions.ServerError) or (status and status >= 500):
        return RedditError(f"Reddit had a server error (HTTP {status or '5xx'}); try again later")
    if isinstance(exc, prawcore.exceptions.RequestException):
        return RedditError(
            f"cannot reach Reddit at {host} (network error or timeout); check the connection "
            "or REDDIT_API_URL"
        )
    return RedditError(f"the Reddit API answered HTTP {status or 'with an error'}; try again later")
