"""The spending ledger: budgets hold across processes, reservations settle/release, FLUX stops at the cap."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core import spend
from core.budget import budgets, groq_cost, ledger_for
from core.errors import ConfigError
from core.imaging.backgrounds.flux.backend import FluxBackground
from core.imaging.backgrounds.flux.client import FluxClient
from core.imaging.batch import plan_batch, run_batch
from core.imaging.enhance_options import EnhanceOptions
from core.settings import load_settings
from core.spend import BudgetExceeded, SpendLedger
from tests.fakes.bfl import KEY, FakeBFL, Reply

FILL = "flux-pro-1.0-fill"


def ledger(tmp_path: Path, bfl: float = 0.10, **kw) -> SpendLedger:
    return SpendLedger(
        tmp_path / "spend.sqlite3", {"bfl": bfl, "groq": 1.0}, prices={"bfl": {FILL: 0.05}}, **kw
    )


@pytest.fixture()
def fake() -> Iterator[FakeBFL]:
    with FakeBFL(color=(20, 90, 200)) as server:
        yield server


def test_reservations_count_until_settled_or_released(tmp_path: Path) -> None:
    book = ledger(tmp_path, user="ana@example.com")
    first = book.reserve("bfl", FILL, 0.05, run="r1")
    second = book.reserve("bfl", FILL, 0.05, run="r1")
    assert book.today("bfl").reserved_usd == pytest.approx(0.10) and book.today("bfl").left_usd == 0
    with pytest.raises(BudgetExceeded, match=r"budget of \$0.10 is used up .*TRENDSTUDIO_BFL_BUDGET_USD"):
        book.reserve("bfl", FILL, 0.05, run="r1")
    book.release(second.id, "429 until the deadline")  # a refused job gives its reservation back
    first.settle(0.045)
    today = book.today("bfl")
    assert (today.spent_usd, today.reserved_usd) == (pytest.approx(0.045), 0)
    assert today.left_usd == pytest.approx(0.055)
    book.reserve("bfl", FILL, 0.05, run="r2")  # fits again: 0.045 + 0.05 <= 0.10
    statuses = [(e.status, e.user) for e in book.entries(run="r1")]
    assert statuses == [
        ("settled", "ana@example.com"),
        ("released", "ana@example.com"),
        ("refused", "ana@example.com"),
    ]
    assert book.today("groq").spent_usd == 0  # services have separate budgets


def test_a_reservation_left_by_a_dead_process_stops_counting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = ledger(tmp_path, bfl=0.05)
    book.reserve("bfl", FILL, 0.05)  # its process is killed before it settles
    with pytest.raises(BudgetExceeded):
        book.reserve("bfl", FILL, 0.05)
    later = time.time() + spend.STALE_AFTER_S + 1
    monkeypatch.setattr(spend.time, "time", lambda: later)
    book.reserve("bfl", FILL, 0.05)
    assert book.today("bfl").reserved_usd == pytest.approx(0.05)


def test_days_are_separate_and_job_block_settles_or_releases(tmp_path: Path) -> None:
    day = [datetime(2026, 11, 29, 23, 59, tzinfo=UTC)]
    book = ledger(tmp_path, clock=lambda: day[0])
    with book.job("bfl", FILL, 0.05) as job:
        job.settle(0.10)  # the API reported more than the estimate: the day is full
    with pytest.raises(BudgetExceeded):
        book.reserve("bfl", FILL, 0.05)
    day[0] = datetime(2026, 11, 30, 0, 1, tzinfo=UTC)
    with pytest.raises(RuntimeError), book.job("bfl", FILL, 0.05):
        raise RuntimeError("BFL said no")
    with book.job("bfl", FILL, 0.05):
        pass  # no reported cost: the estimate is what it cost
    assert [e.status for e in book.entries()] == ["settled", "refused", "released", "settled"]
    assert book.today("bfl").spent_usd == pytest.approx(0.05)


def _reserve_many(path: str, n: int) -> int:
    book = SpendLedger(Path(path), {"bfl": 1.0})
    ok = 0
    for _ in range(n):
        try:
            book.reserve("bfl", FILL, 0.03)
            ok += 1
        except BudgetExceeded:
            pass
    return ok


def test_processes_racing_for_the_budget_never_overspend(tmp_path: Path) -> None:
    path = str(tmp_path / "spend.sqlite3")
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(4, mp_context=ctx) as pool:
        granted = sum(pool.map(_reserve_many, [path] * 4, [20] * 4))
    assert granted == 33  # floor(1.00 / 0.03): 80 attempts, exactly as many as fit
    assert SpendLedger(Path(path), {"bfl": 1.0}).today("bfl").reserved_usd == pytest.approx(0.99)


def _churn(path: str) -> int:
    """Open and close the ledger as fast as a batch worker can: every call is one short connection."""
    book = SpendLedger(Path(path), {"bfl": 1000.0}, prices={"bfl": {FILL: 0.05}})
    for _ in range(30):
        book.record_free("bfl", FILL)
        with book.job("bfl", FILL, 0.05) as job:
            job.settle(0.04)
    return len(book.entries(service="bfl"))


def test_processes_opening_a_fresh_ledger_together_are_never_told_it_is_locked(tmp_path: Path) -> None:
    # SQLite answers "database is locked" at once (no busy wait) to a connection that opens while another
    # process's last connection checkpoints and removes the WAL: two FLUX batch workers hit it.
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(6, mp_context=ctx) as pool:
        for round_ in range(12):
            path = str(tmp_path / f"spend{round_}.sqlite3")
            assert max(pool.map(_churn, [path] * 6)) <= 360
            assert len(SpendLedger(Path(path), {"bfl": 1000.0}).entries(service="bfl")) == 360


def test_budgets_from_config_and_environment(tmp_path: Path) -> None:
    settings = load_settings(env={"TRENDSTUDIO_DATA": str(tmp_path)})
    assert budgets(settings, env={}) == {"bfl": 5.0, "groq": 2.0}
    assert budgets(settings, env={"TRENDSTUDIO_BFL_BUDGET_USD": "0.1"})["bfl"] == 0.1
    with pytest.raises(ConfigError, match="TRENDSTUDIO_GROQ_BUDGET_USD"):
        budgets(settings, env={"TRENDSTUDIO_GROQ_BUDGET_USD": "lots"})
    book = ledger_for(settings.model_copy(update={"user": "bo@example.com"}), env={})
    assert book.path == tmp_path / "spend.sqlite3" and book.user == "bo@example.com"
    assert book.price("bfl", FILL) == 0.05 and book.price("bfl", "flux-kontext-pro") == 0.04
    with pytest.raises(ConfigError, match="config/budget.toml"):
        book.price("bfl", "flux-2-unknown")
    # Groq: USD per million tokens from config/llm.toml
    assert groq_cost(settings, "openai/gpt-oss-120b", 1_000_000, 1_000_000) == pytest.approx(0.75)
    unpriced = groq_cost(settings, "no-such-model", 1_000_000, 1_000_000)
    assert unpriced == max(
        groq_cost(settings, m, 1_000_000, 1_000_000) for m in settings.section("llm")["prices"]
    )


def _photo(path: Path, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    rgba = np.zeros((90, 120, 4), np.uint8)
    rgba[..., :3] = rng.integers(0, 256, (90, 120, 3))
    rgba[20:70, 30:90, 3] = 255
    Image.fromarray(rgba, "RGBA").save(path)
    return path


def test_a_budget_of_two_flux_calls_stops_the_third_before_it_is_sent(fake: FakeBFL, tmp_path: Path) -> None:
    photos = [_photo(tmp_path / f"p{i}.png", i) for i in range(3)]
    book = ledger(tmp_path, bfl=0.10, user="ana@example.com")
    client = FluxClient(KEY, fake.url, poll_interval=0.01, deadline=10)
    fn = FluxBackground(
        client,
        load_settings(env={}).section("photography"),
        cache_dir=tmp_path / "cache",
        ledger=book,
        run="batch-x",
    )
    options = EnhanceOptions(preset="original", style="studio")
    plan = plan_batch(photos, tmp_path / "out", options=options, background=fn)
    result = run_batch(plan, options, background=fn, workers=2)  # two worker processes share the ledger

    assert len(fake.seen("POST")) == 2  # the third request was never sent
    rows = sorted(result.rows, key=lambda r: r["status"])
    assert [r["status"] for r in rows] == ["done", "done", "failed"]
    assert "budget" in rows[2]["error"] and "nothing was sent" in rows[2]["error"]
    today = book.today("bfl")
    assert today.spent_usd == pytest.approx(0.09) and today.reserved_usd == 0  # 2 x 4.5 credits
    assert len(fn.ledger_outcomes()) == 2
    assert {e.user for e in book.entries()} == {"ana@example.com"}


def test_retries_reuse_one_reservation_and_a_refusal_releases_it(fake: FakeBFL, tmp_path: Path) -> None:
    book = ledger(tmp_path, bfl=0.05)  # room for exactly one call
    client = FluxClient(KEY, fake.url, poll_interval=0.01, backoff=0.01, deadline=10)
    fn = FluxBackground(
        client, load_settings(env={}).section("photography"), cache_dir=tmp_path / "c", ledger=book
    )
    layer = Image.open(_photo(tmp_path / "a.png", 7))
    fake.submit.extend([Reply(429, {"detail": "slow down"}, {"Retry-After": "0"}), Reply(500)])
    fn(layer, {})  # two retried failures, then success: one reservation, settled once
    assert len(fake.seen("POST")) == 3
    assert [e.status for e in book.entries()] == ["settled"]

    fake.always = Reply(403, {"detail": "forbidden"})
    book2 = ledger(tmp_path / "b", bfl=0.05)
    fn.ledger = book2
    with pytest.raises(Exception, match="(?i)key"):
        fn(Image.open(_photo(tmp_path / "b.png", 8)), {})
    assert [e.status for e in book2.entries()] == ["released"] and book2.today("bfl").left_usd == 0.05


def test_groq_chunks_are_reserved_settled_and_stopped_at_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.trends.analyzers.groq.analyzer import estimate
    from tests.fakes.groq import FakeGroq
    from tests.support.llm import LEXICON, analyze_with_groq, demo_posts, groq_settings

    posts = demo_posts(400)
    with FakeGroq() as fake:
        settings = groq_settings(fake.base_url, tmp_path, analysis={"chunk_tokens": 4000})
        worst_case = estimate(posts, settings)["estimated_cost_usd"]
        book = ledger_for(settings)
        report = analyze_with_groq(posts, settings, lexicon=LEXICON)
        assert report.meta.analyzer.startswith("groq:")
        chunks = book.entries(service="groq")
        assert len(chunks) == len(fake.requests) >= 3 and {e.status for e in chunks} == {"settled"}
        assert sum(e.estimate_usd for e in chunks) == pytest.approx(worst_case, abs=1e-3)
        assert 0 < book.today("groq").spent_usd < worst_case  # settled on the tokens actually used

        sent = len(fake.requests)
        broke = groq_settings(fake.base_url, tmp_path / "b", analysis={"chunk_tokens": 4000})
        monkeypatch.setenv("TRENDSTUDIO_GROQ_BUDGET_USD", "0.0001")
        report = analyze_with_groq(posts, broke)  # the offline fallback uses the real lexicon
        assert len(fake.requests) == sent  # nothing sent
        assert "budget" in report.meta.analyzer and report.meta.analyzer.startswith("offline")


def test_a_groq_model_without_a_price_is_capped_at_the_dearest_listed_price(tmp_path: Path) -> None:
    from tests.fakes.groq import FakeGroq
    from tests.support.llm import analyze_with_groq, demo_posts, groq_settings

    with FakeGroq() as fake:  # qwen/qwen3.6-27b is listed by Groq but has no price in config/llm.toml
        settings = groq_settings(fake.base_url, tmp_path, model="qwen/qwen3.6-27b")
        report = analyze_with_groq(demo_posts(60), settings)
    assert report.meta.analyzer == "groq:qwen/qwen3.6-27b"
    entries = ledger_for(settings).entries(service="groq")
    assert entries and {e.status for e in entries} == {"settled"}
    for entry in entries:
        dearest = groq_cost(
            settings, "openai/gpt-oss-120b", *entry.detail["tokens"]
        )  # the dearest listed today
        assert dearest > 0 and entry.cost_usd == pytest.approx(dearest, abs=1e-6)
