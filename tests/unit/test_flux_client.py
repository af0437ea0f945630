"""The BFL client against a real-HTTP fake server: statuses, retries, deadlines, payloads, key hygiene."""

from __future__ import annotations

import base64
import io
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import numpy as np
import pytest
from PIL import Image

from core.errors import TrendStudioError
from core.http import retry_after_seconds
from core.imaging.backgrounds.flux.client import FluxClient, aspect_ratio
from core.imaging.backgrounds.flux.errors import (
    FluxBadResponse,
    FluxCreditsExhausted,
    FluxKeyMissing,
    FluxKeyRejected,
    FluxModerated,
    FluxRequestRejected,
    FluxTaskFailed,
    FluxTimeout,
    FluxUnavailable,
)
from tests.fakes.bfl import KEY, FakeBFL, Reply


@pytest.fixture()
def fake() -> Iterator[FakeBFL]:
    with FakeBFL() as server:
        yield server


def make_client(fake: FakeBFL, key: str = KEY, **kw) -> FluxClient:
    opts = {
        "deadline": 5.0,
        "poll_interval": 0.01,
        "backoff": 0.01,
        "backoff_max": 0.05,
        "request_timeout": 2.0,
    }
    return FluxClient(key, fake.url, **{**opts, **kw})


def layer(size=(48, 32)) -> tuple[Image.Image, Image.Image]:
    img = Image.new("RGB", size, (200, 200, 200))
    mask = Image.new("L", size, 255)
    mask.paste(0, (10, 8, 30, 24))
    return img, mask


def b64_image(text: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(text, validate=True)))


def test_pending_three_times_then_ready_downloads_the_image(fake: FakeBFL) -> None:
    fake.poll.extend(["Pending", "Pending", "Pending", "Ready"])
    seen: list[tuple[str, float | None]] = []
    img, mask = layer()
    result = make_client(fake).fill(
        img,
        mask,
        "linen table, soft window light",
        steps=28,
        guidance=42.5,
        seed=7,
        safety_tolerance=3,
        progress=lambda f, m: seen.append((m, f)),
    )

    assert result.image.size == (48, 32) and result.image.mode == "RGB"
    assert result.image.getpixel((0, 0)) == fake.color
    assert result.polls == 4 and result.cost == 4.5 and len(result.task_id) == 32
    assert sum("generating" in m for m, _ in seen) == 3 and seen[-1] == ("FLUX image ready", 1.0)

    (post,) = fake.seen("POST")
    assert post.path == "/v1/flux-pro-1.0-fill"
    assert post.headers["x-key"] == KEY and post.headers["content-type"] == "application/json"
    body = post.body
    sent, sent_mask = b64_image(body["image"]), b64_image(body["mask"])
    assert sent.size == sent_mask.size == img.size
    assert np.array_equal(np.asarray(sent_mask.convert("L")), np.asarray(mask))
    assert body["prompt"] == "linen table, soft window light"
    assert (body["steps"], body["guidance"], body["seed"]) == (28, 42.5, 7)
    assert (body["output_format"], body["safety_tolerance"]) == ("png", 3)

    polls = fake.seen("GET", "/v1/get_result")
    assert len(polls) == 4 and all(p.headers["x-key"] == KEY for p in polls)
    (delivery,) = fake.seen("GET", "/delivery/")
    assert "x-key" not in delivery.headers  # the key never leaves BFL's API host


def test_429_with_retry_after_is_honoured_then_succeeds(fake: FakeBFL) -> None:
    fake.submit.append(Reply(429, {"detail": "Too many active tasks"}, {"Retry-After": "1"}))
    started = time.monotonic()
    result = make_client(fake).fill(*layer(), "studio")
    elapsed = time.monotonic() - started
    assert len(fake.seen("POST")) == 2
    assert elapsed >= 1.0  # waited the server's Retry-After, not the 10 ms backoff
    assert result.image.size == (48, 32)


def test_retry_after_beyond_the_deadline_gives_up_at_once(fake: FakeBFL) -> None:
    fake.submit.append(Reply(429, {"detail": "busy"}, {"Retry-After": "3600"}))
    started = time.monotonic()
    with pytest.raises(FluxTimeout, match="asks to retry in 3600 s"):
        make_client(fake, deadline=30).fill(*layer(), "studio")
    assert time.monotonic() - started < 1.0 and len(fake.requests) == 1


def test_transient_5xx_while_polling_is_retried(fake: FakeBFL) -> None:
    fake.poll.extend([Reply(503), Reply(502), "Pending", "Ready"])
    result = make_client(fake).fill(*layer(), "studio")
    assert result.polls == 2 and len(fake.seen("GET", "/v1/get_result")) == 4


def test_500s_until_the_deadline_raise_timeout_in_time(fake: FakeBFL) -> None:
    fake.always = Reply(500, {"detail": "Internal Server Error"})
    client = make_client(fake, deadline=0.8, max_attempts=1000, backoff=0.05, backoff_max=0.1)
    started = time.monotonic()
    with pytest.raises(FluxTimeout, match=r"HTTP 500.*0.8 s deadline"):
        client.fill(*layer(), "studio")
    elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 1.5
    assert len(fake.requests) >= 4  # it really retried in between


def test_500s_exhaust_the_attempt_budget(fake: FakeBFL) -> None:
    fake.always = Reply(503)
    with pytest.raises(FluxUnavailable, match="unavailable .*HTTP 503 after 3 attempts") as info:
        make_client(fake, max_attempts=3).fill(*layer(), "studio")
    assert not isinstance(info.value, FluxTimeout)
    assert len(fake.requests) == 3


def test_pending_forever_hits_the_deadline(fake: FakeBFL) -> None:
    fake.poll.extend(["Pending"] * 10_000)
    client = make_client(fake, deadline=0.5, poll_interval=0.05)
    started = time.monotonic()
    with pytest.raises(FluxTimeout, match="still Pending"):
        client.fill(*layer(), "studio")
    assert time.monotonic() - started < 1.2


def test_error_status(fake: FakeBFL) -> None:
    fake.poll.extend(["Pending", "Error"])
    with pytest.raises(FluxTaskFailed, match="failed on BFL's side.*GPU fell over"):
        make_client(fake).fill(*layer(), "studio")


@pytest.mark.parametrize(
    ("status", "hint"), [("Request Moderated", "rephrase the prompt"), ("Content Moderated", "another seed")]
)
def test_moderation_statuses(fake: FakeBFL, status: str, hint: str) -> None:
    fake.poll.append(status)
    with pytest.raises(FluxModerated, match=hint) as info:
        make_client(fake).fill(*layer(), "studio")
    assert info.value.status == status and "moderation" in str(info.value)
    assert not fake.seen("GET", "/delivery/")


def test_task_not_found(fake: FakeBFL) -> None:
    fake.poll.append(Reply(200, {"id": "x", "status": "Task not found"}))
    with pytest.raises(FluxTaskFailed, match="does not know FLUX task"):
        make_client(fake).fill(*layer(), "studio")


def test_401_says_key_rejected_without_retrying(fake: FakeBFL) -> None:
    wrong = "sk-wrong-key-0000"
    with pytest.raises(FluxKeyRejected, match="key rejected") as info:
        make_client(fake, key=wrong).fill(*layer(), "studio")
    assert wrong not in str(info.value) and KEY not in str(info.value)
    assert len(fake.requests) == 1
    assert isinstance(info.value, TrendStudioError)


def test_402_and_422_are_specific_and_scrub_the_key(fake: FakeBFL) -> None:
    fake.submit.append(Reply(402, {"detail": "Insufficient credits"}))
    with pytest.raises(FluxCreditsExhausted, match="insufficient credits"):
        make_client(fake).fill(*layer(), "studio")
    fake.submit.append(Reply(422, {"detail": f"steps out of range for key {KEY}"}))
    with pytest.raises(FluxRequestRejected, match=r"HTTP 422: steps out of range for key \*\*\*") as info:
        make_client(fake).fill(*layer(), "studio")
    assert KEY not in str(info.value)


def test_missing_key_is_a_clear_error() -> None:
    with pytest.raises(FluxKeyMissing, match="BFL_API_KEY"):
        FluxClient(None, "http://127.0.0.1:9")


def test_polling_url_fallback_and_untrusted_host(fake: FakeBFL) -> None:
    fake.omit_polling_url = True
    make_client(fake).fill(*layer(), "studio")
    assert fake.seen("GET", "/v1/get_result?id=")
    fake.omit_polling_url = False
    fake.requests.clear()
    # A polling_url on a foreign host would receive the key: fall back to the base URL instead.
    fake.submit.append(fake.accept({}, polling_url="http://203.0.113.9:1/v1/get_result?id=steal"))
    result = make_client(fake, request_timeout=0.5).fill(*layer(), "studio")
    assert result.image.size == (64, 64)  # the scripted task was registered without an image
    assert len(fake.seen("GET", "/v1/get_result?id=")) == 1


def test_connection_errors_are_retried_then_reported() -> None:
    with FakeBFL() as dead:
        url = dead.url
    client = FluxClient(KEY, url, deadline=5, backoff=0.01, backoff_max=0.02, max_attempts=3)
    with pytest.raises(FluxUnavailable, match="could not reach 127.0.0.1.*after 3 attempts"):
        client.fill(*layer(), "studio")


def test_non_json_answer_is_a_bad_response(fake: FakeBFL) -> None:
    fake.submit.append(Reply(200, ["not", "an", "object"]))
    with pytest.raises(FluxBadResponse, match="BFL_API_URL"):
        make_client(fake).fill(*layer(), "studio")


def test_kontext_restyle_payload(fake: FakeBFL) -> None:
    img = Image.new("RGB", (60, 40), (10, 20, 30))
    result = make_client(fake).kontext(img, "make the backdrop terracotta", seed=3)
    (post,) = fake.seen("POST")
    assert post.path == "/v1/flux-kontext-pro"
    assert b64_image(post.body["input_image"]).size == (60, 40)
    assert post.body["aspect_ratio"] == "3:2" and post.body["seed"] == 3
    assert result.image.size == (60, 40)


def test_key_never_in_logs_errors_or_repr(fake: FakeBFL, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(fake)
    client.fill(*layer(), "studio")
    errors = []
    for script in (Reply(401), Reply(500), Reply(422, {"detail": KEY})):
        fake.always = script
        try:
            make_client(fake, deadline=0.3, max_attempts=2).fill(*layer(), "studio")
        except TrendStudioError as exc:
            errors.append(exc)
    fake.always = None
    fake.poll.append("Content Moderated")
    with pytest.raises(FluxModerated) as info:
        client.fill(*layer(), "studio")
    errors.append(info.value)
    assert len(errors) == 4
    assert any("submitted" in r.getMessage() for r in caplog.records)
    for record in caplog.records:
        assert KEY not in record.getMessage() and KEY not in str(record.args)
    for exc in errors:
        assert KEY not in str(exc) and KEY not in repr(exc)
    assert KEY not in repr(client) and KEY not in caplog.text


def test_retry_after_parsing_and_aspect_ratio() -> None:
    assert retry_after_seconds({"Retry-After": "3"}) == 3.0
    assert retry_after_seconds(None) is None and retry_after_seconds({"Retry-After": "soon"}) is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after_seconds({"Retry-After": later}) <= 31
    assert aspect_ratio((1080, 1350)) == "4:5"
    assert aspect_ratio((1000, 1000)) == "1:1"
    assert aspect_ratio((5000, 100)) == "7:3"
