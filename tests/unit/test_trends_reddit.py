"""praw against a fake Reddit API on 127.0.0.1, reached through REDDIT_API_URL."""

import prawcore
import pytest

from core.settings import load_settings
from core.trends.errors import RedditError
from core.trends.sources import load_posts
from tests.fakes.reddit import CLIENT_ID, CLIENT_SECRET, fake_reddit
from tests.support.shared import free_port


def _settings(url: str, secret: str = CLIENT_SECRET):
    return load_settings(
        env={"REDDIT_CLIENT_ID": CLIENT_ID, "REDDIT_CLIENT_SECRET": secret, "REDDIT_API_URL": url}
    )


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch):
    """prawcore waits up to ~6 s between retries of 5xx/network errors; the tests need not."""
    monkeypatch.setattr(prawcore.sessions.FiniteRetryStrategy, "_sleep_seconds", lambda self: None)


def test_crawl_reads_listings_and_top_comments_through_the_override():
    with fake_reddit() as server:
        result = load_posts("reddit:femalefashionadvice,r/streetwear", settings=_settings(server.url))
    assert [p.id for p in result.posts] == [
        "fem000",
        "fem001",
        "fem002",
        "fem003",
        "fem004",
        "str000",
        "str001",
        "str002",
        "str003",
        "str004",
    ]
    assert result.reasons == {"bot or moderator post": 2}  # AutoModerator posts
    first = result.posts[0]
    assert first.title == "My butter yellow suede jacket fit"
    assert first.text == "Shot in golden hour at a cafe. See love it"  # URL and markdown cleaned
    assert first.comments == [
        "That butter yellow is perfect",
        "Love the suede texture",
    ]  # bot comment dropped
    assert first.url == "https://www.reddit.com/r/femalefashionadvice/comments/fem000/post/"
    assert (first.score, first.num_comments, first.created_utc, first.author) == (
        100,
        2,
        1793000000,
        "fem_user0",
    )
    assert server.requests[0] == ("POST", "/api/v1/access_token")
    assert ("GET", "/r/femalefashionadvice/hot") in server.requests
    # comments are fetched only for posts that have some
    assert [r for r in server.requests if r[1].startswith("/comments/str")] == [
        ("GET", "/comments/str000"),
        ("GET", "/comments/str002"),
        ("GET", "/comments/str004"),
    ]


def test_missing_subreddit_is_skipped_but_all_missing_is_an_error():
    with fake_reddit() as server:
        result = load_posts("reddit:streetwear,doesnotexist", settings=_settings(server.url))
        assert len(result.posts) == 5
        assert result.reasons["r/doesnotexist: private, banned or missing"] == 1
        server.fail = {"/r/": 403}
        with pytest.raises(RedditError, match="could be read"):
            load_posts("reddit:streetwear", settings=_settings(server.url))


@pytest.mark.parametrize(
    ("fail", "message"),
    [
        ({"/api/v1/access_token": 401}, "refused the credentials"),
        ({"/r/streetwear": 429}, "rate limit"),
        ({"/r/streetwear": 503}, "server error"),
    ],
)
def test_api_errors_have_specific_messages(fail, message):
    with fake_reddit() as server:
        server.fail = fail
        with pytest.raises(RedditError, match=message) as info:
            load_posts("reddit:streetwear", settings=_settings(server.url))
    assert CLIENT_SECRET not in str(info.value)


def test_wrong_secret_and_unreachable_server():
    with fake_reddit() as server, pytest.raises(RedditError, match="REDDIT_CLIENT_SECRET"):
        load_posts("reddit:streetwear", settings=_settings(server.url, secret="wrong"))
    with pytest.raises(RedditError, match="cannot reach Reddit at 127.0.0.1"):
        load_posts("reddit:streetwear", settings=_settings(f"http://127.0.0.1:{free_port()}"))


def test_a_server_that_does_not_answer_in_time_is_a_timeout_error():
    with fake_reddit() as server:
        base = _settings(server.url)
        trends = {**base.config["trends"], "crawl": {**base.config["trends"]["crawl"], "timeout": 1}}
        settings = base.model_copy(update={"config": {**base.config, "trends": trends}})
        server.delay = 1.5  # every API call (not the token) takes longer than the 1 s timeout
        with pytest.raises(RedditError, match="network error or timeout"):
            load_posts("reddit:streetwear", settings=settings)
        assert server.requests.count(("GET", "/r/streetwear/hot")) >= 2  # praw retried before giving up
