"""The ledger trusts no number from outside: reported costs, prices, estimates; a corrupt file is a
clear error (CLI and pages), and every service's spending is read in one query."""

from __future__ import annotations

import math
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from core import PROJECT_ROOT
from core.budget import groq_cost, ledger_for
from core.errors import ConfigError
from core.imaging.backgrounds.flux.backend import FluxBackground
from core.imaging.backgrounds.flux.client import FluxClient
from core.settings import load_settings
from core.spend import BudgetExceeded, LedgerError, SpendLedger
from core.trends.report import DEFAULT_SCENE
from core.usd import settled_cost
from tests.fakes.bfl import KEY, FakeBFL

FILL = "flux-pro-1.0-fill"


def _book(tmp_path: Path, bfl: float = 0.10) -> SpendLedger:
    return SpendLedger(tmp_path / "spend.sqlite3", {"bfl": bfl, "groq": 1.0}, prices={"bfl": {FILL: 0.05}})


@pytest.mark.parametrize("reported", [-5.0, float("nan"), float("inf"), float("-inf"), "nan", "lots"])
def test_a_reported_cost_that_is_not_a_cost_settles_at_the_estimate(tmp_path: Path, reported) -> None:
    book = _book(tmp_path)
    book.reserve("bfl", FILL, 0.05).settle(reported)  # -500 credits = -$5
    assert book.today("bfl").spent_usd == pytest.approx(0.05)
    book.reserve("bfl", FILL, 0.05).settle(0.0)  # a genuine zero is a cost
    assert book.today("bfl").spent_usd == pytest.approx(0.05) and book.today("bfl").left_usd == pytest.approx(
        0.05
    )
    with pytest.raises(BudgetExceeded):  # a negative report did not free budget for more calls
        book.reserve("bfl", FILL, 0.06)
    assert book.entries()[0].detail["reported_cost_usd"] == repr(reported)


def test_settled_cost_rule() -> None:
    assert settled_cost(0.045, 0.05) == 0.045 and settled_cost(None, 0.05) == 0.05
    assert settled_cost(-0.01, 0.05) == 0.05 and settled_cost(math.nan, 0.05) == 0.05


@pytest.mark.parametrize("bad", [-0.05, float("nan"), float("inf"), "free"])
def test_prices_estimates_and_budgets_are_validated_when_loaded(tmp_path: Path, bad) -> None:
    with pytest.raises(ConfigError, match="prices_usd"):
        SpendLedger(tmp_path / "s.sqlite3", {"bfl": 1.0}, prices={"bfl": {FILL: bad}})
    with pytest.raises(ConfigError, match="daily budget"):
        SpendLedger(tmp_path / "s.sqlite3", {"bfl": bad})
    book = _book(tmp_path)
    with pytest.raises(ConfigError, match="estimate"):
        book.reserve("bfl", FILL, bad)
    assert book.entries() == []  # nothing was reserved


def test_groq_token_prices_are_validated(tmp_path: Path) -> None:
    settings = load_settings(env={"TRENDSTUDIO_DATA": str(tmp_path)})
    bad = settings.model_copy(update={"config": {"llm": {"prices": {"m": {"input": -1.0, "output": 0.6}}}}})
    with pytest.raises(ConfigError, match=r'\[prices\."m"\] input'):
        groq_cost(bad, "m", 1000, 1000)
    nan = settings.model_copy(update={"config": {"llm": {"prices": {"m": {"input": 0.1, "output": "nan"}}}}})
    with pytest.raises(ConfigError, match="output"):
        groq_cost(nan, "other-model", 1000, 1000)  # the dearest-price fallback validates too


def test_every_service_is_read_in_one_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _book(tmp_path, bfl=1.0)
    book.reserve("bfl", FILL, 0.05).settle(0.04)
    book.reserve("bfl", FILL, 0.05)
    book.reserve("groq", "chat", 0.2).settle(0.1)
    queries: list[str] = []
    real_connect = sqlite3.connect

    def counting(*args, **kwargs):
        con = real_connect(*args, **kwargs)
        con.set_trace_callback(lambda sql: queries.append(sql) if "FROM spend" in sql else None)
        return con

    monkeypatch.setattr(sqlite3, "connect", counting)
    days = book.today_all()
    assert len(queries) == 1
    assert (days["bfl"].spent_usd, days["bfl"].reserved_usd) == (pytest.approx(0.04), pytest.approx(0.05))
    assert days["groq"].spent_usd == pytest.approx(0.1) and days["groq"].left_usd == pytest.approx(0.9)


def test_a_corrupt_ledger_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "spend.sqlite3").write_bytes(b"this is not a database, just garbage\n" * 100)
    book = _book(tmp_path)
    with pytest.raises(LedgerError, match="spend.sqlite3 in the data folder cannot be read.*move it aside"):
        book.today("bfl")
    with pytest.raises(LedgerError):
        book.reserve("bfl", FILL, 0.05)


def test_a_corrupt_ledger_in_the_cli_is_one_line_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "spend.sqlite3").write_bytes(b"garbage" * 1000)
    out = tmp_path / "out"
    env = {
        "TRENDSTUDIO_DATA": str(tmp_path),
        "BFL_API_KEY": "k",
        "BFL_API_URL": "http://127.0.0.1:9",
        "PATH": "/usr/bin:/bin",
        "U2NET_HOME": str(PROJECT_ROOT / "weights"),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "core",
            "enhance",
            str(PROJECT_ROOT / "data/demo/images/tshirt.jpg"),
            "--out",
            str(out),
            "--backend",
            "flux",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert "spend.sqlite3 in the data folder cannot be read" in done.stderr + done.stdout


def test_ledger_for_reads_the_shipped_prices(tmp_path: Path) -> None:
    book = ledger_for(load_settings(env={"TRENDSTUDIO_DATA": str(tmp_path)}), env={})
    assert book.price("bfl", FILL) == 0.05


@pytest.mark.parametrize("reported", [-500.0, "nan"])
def test_a_hostile_bfl_cost_settles_at_the_price_over_http(tmp_path: Path, reported) -> None:
    book = _book(tmp_path, bfl=0.10)  # two fill calls at $0.05
    photography = load_settings(env={}).section("photography")
    layer = Image.new("RGBA", (96, 64))
    layer.paste((200, 40, 40, 255), (24, 16, 72, 48))
    with FakeBFL() as fake:
        fake.cost = reported  # what BFL's JSON says the job cost
        client = FluxClient(KEY, fake.url, poll_interval=0.01, backoff=0.01, deadline=5)
        scene = DEFAULT_SCENE.model_dump()
        for n in range(3):  # three different jobs (no cache hits)
            fn = FluxBackground(client, photography, cache_dir=tmp_path / f"flux{n}", ledger=book)
            if n < 2:
                fn(layer, scene)
            else:
                with pytest.raises(BudgetExceeded):  # a negative/NaN report freed no budget
                    fn(layer, scene)
        assert len(fake.seen("POST")) == 2
    assert book.today("bfl").spent_usd == pytest.approx(0.10)
