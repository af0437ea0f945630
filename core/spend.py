"""The one spending ledger for paid APIs (BFL FLUX, Groq): daily USD budgets, checked before a request.

A paid job reserves its estimate once, before its first request (its retries reuse the reservation); the
cost the API reports settles it; a job the API refuses releases it. A job whose estimate would take the
day's reserved + settled spending past the budget is refused before anything is sent (`BudgetExceeded`).
Budgets, prices and the server's ledger come from `core/budget.py`.

The ledger is a SQLite file in WAL mode: every reservation is checked and written inside one
`BEGIN IMMEDIATE` transaction, so batch worker processes, browser sessions and the CLI never overspend
together. Each access also holds an exclusive lock on a sidecar `.lock` file: SQLite answers "database
is locked" at once, without waiting, when a connection opens while another process's last connection
is checkpointing and removing the WAL, which two batch workers hit in practice. Amounts are stored as integer micro-dollars (no float drift at the cap). Days are UTC.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.errors import ConfigError, TrendStudioError
from core.usd import settled_cost, usd

SERVICES = {"bfl": "BFL (FLUX)", "groq": "Groq"}
BUDGET_ENV = {"bfl": "TRENDSTUDIO_BFL_BUDGET_USD", "groq": "TRENDSTUDIO_GROQ_BUDGET_USD"}
LEDGER_FILE = "spend.sqlite3"
ANONYMOUS = "local"
"""Who a paid call is recorded for when nobody is signed in (no [auth], or the CLI)."""

_MICRO = 1_000_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS spend (
    id INTEGER PRIMARY KEY AUTOINCREMENT, day TEXT NOT NULL, service TEXT NOT NULL, endpoint TEXT NOT NULL,
    user TEXT NOT NULL, run TEXT NOT NULL, status TEXT NOT NULL, estimate_micro INTEGER NOT NULL,
    cost_micro INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL, updated REAL NOT NULL, detail TEXT
);
CREATE INDEX IF NOT EXISTS spend_day ON spend (service, day);
CREATE INDEX IF NOT EXISTS spend_run ON spend (run);
"""
STALE_AFTER_S = 900.0
"""A reservation older than this (past every client deadline) belongs to a process that died: it stops counting."""
# The one rule for what counts against a day's budget: settled costs plus live reservations (a reservation
# older than STALE_AFTER_S stopped counting). Every reader goes through this query.
_DAY_SPEND = """
SELECT service,
       COALESCE(SUM(CASE WHEN status = 'settled' THEN cost_micro END), 0),
       COALESCE(SUM(CASE WHEN status = 'reserved' AND created > ? THEN estimate_micro END), 0)
FROM spend WHERE day = ? GROUP BY service"""


class BudgetExceeded(TrendStudioError):
    """The day's budget for a paid service would be exceeded: the request was not sent."""


class LedgerError(TrendStudioError):
    """The spending ledger file cannot be read (corrupt, or not a ledger at all)."""


@dataclass(frozen=True)
class DaySpend:
    """A service's spending today: what a page shows as spent / left."""

    service: str
    day: str
    budget_usd: float
    spent_usd: float
    reserved_usd: float

    @property
    def committed_usd(self) -> float:
        """What counts against the budget: settled costs plus live reservations."""
        return self.spent_usd + self.reserved_usd

    @property
    def left_usd(self) -> float:
        return max(0.0, self.budget_usd - self.committed_usd)

    @property
    def label(self) -> str:
        return SERVICES.get(self.service, self.service)


@dataclass(frozen=True)
class Entry:
    """One row of the ledger: a reservation, settled, released, refused or free (a cache hit)."""

    id: int
    day: str
    service: str
    endpoint: str
    user: str
    run: str
    status: str
    estimate_usd: float
    cost_usd: float
    detail: dict[str, Any]


class Job:
    """A reservation in flight; `settle(cost)` records what the API reported."""

    def __init__(self, ledger: SpendLedger, entry_id: int, estimate_usd: float) -> None:
        self.ledger = ledger
        self.id = entry_id
        self.estimate_usd = estimate_usd
        self.settled = False

    def settle(self, cost_usd: float | None, detail: Mapping[str, Any] | None = None) -> None:
        """Close the reservation with the reported cost (the estimate when the API did not say, or
        said something that is not a finite cost ≥ 0)."""
        self.ledger.settle(self.id, self.estimate_usd if cost_usd is None else cost_usd, detail)
        self.settled = True


class SpendLedger:
    """Daily budgets per service over one SQLite file; picklable (it holds only a path and numbers)."""

    def __init__(
        self,
        path: Path,
        budgets: Mapping[str, float],
        *,
        user: str | None = None,
        prices: Mapping[str, Mapping[str, float]] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = Path(path)
        self.budgets = {k: usd(v, f"the {k} daily budget") for k, v in budgets.items()}
        self.prices = {
            k: {e: usd(p, f"config/budget.toml [{k}.prices_usd] {e!r}") for e, p in v.items()}
            for k, v in (prices or {}).items()
        }
        """USD per call by service and endpoint (config/budget.toml), for services priced per call."""
        self.user = user or ANONYMOUS
        self.clock = clock

    def price(self, service: str, endpoint: str) -> float:
        """USD per call of `endpoint`; a paid endpoint without a price is a config error, never uncapped."""
        try:
            return self.prices[service][endpoint]
        except KeyError:
            raise ConfigError(
                f"no price for the {SERVICES.get(service, service)} endpoint {endpoint!r}; add it "
                f"to config/budget.toml [{service}.prices_usd] so its spending can be capped"
            ) from None

    # -- the job life cycle ------------------------------------------------------------------------

    def reserve(
        self,
        service: str,
        endpoint: str,
        estimate_usd: float,
        *,
        run: str = "",
        detail: Mapping[str, Any] | None = None,
    ) -> Job:
        """Reserve `estimate_usd` against today's budget, or raise BudgetExceeded (nothing is sent)."""
        budget = self._budget(service)
        estimate = _micro(
            usd(estimate_usd, f"the estimate for {SERVICES.get(service, service)} {endpoint!r}")
        )
        day, now = self._day(), time.time()
        with self._transaction() as con:
            spent, reserved = _day_spend(con, day, now).get(service, (0, 0))
            committed = spent + reserved
            allowed = committed + estimate <= _micro(budget)
            status = "reserved" if allowed else "refused"
            cur = con.execute(
                "INSERT INTO spend (day, service, endpoint, user, run, status, estimate_micro, created, updated,"
                " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (day, service, endpoint, self.user, run, status, estimate, now, now, _json(detail)),
            )
            entry_id = int(cur.lastrowid or 0)
        if not allowed:
            left = max(0, _micro(budget) - committed) / _MICRO
            raise BudgetExceeded(
                f"today's {SERVICES.get(service, service)} budget of ${budget:.2f} is used up "
                f"(${left:.2f} left, this call needs ${estimate_usd:.2f}); nothing was sent. Raise "
                f"{BUDGET_ENV.get(service, 'the budget')} or config/budget.toml, or wait for tomorrow (UTC)"
            )
        return Job(self, entry_id, estimate_usd)

    def settle(self, entry_id: int, cost_usd: float, detail: Mapping[str, Any] | None = None) -> None:
        """Settle a reservation; a cost that is not finite and ≥ 0 settles it at its estimate."""
        self._close(entry_id, "settled", cost_usd, detail)

    def release(self, entry_id: int, reason: str = "") -> None:
        """The API refused or failed the job: its reservation no longer counts."""
        self._close(entry_id, "released", 0.0, {"reason": reason} if reason else None)

    @contextmanager
    def job(
        self,
        service: str,
        endpoint: str,
        estimate_usd: float,
        *,
        run: str = "",
        detail: Mapping[str, Any] | None = None,
    ) -> Iterator[Job]:
        """Reserve on entry; release if the block raises; settle at the estimate if it never settled."""
        job = self.reserve(service, endpoint, estimate_usd, run=run, detail=detail)
        try:
            yield job
        except BaseException as exc:
            if not job.settled:
                self.release(job.id, f"{type(exc).__name__}: {exc}"[:300])
            raise
        if not job.settled:
            job.settle(None)

    def record_free(
        self, service: str, endpoint: str, *, run: str = "", detail: Mapping[str, Any] | None = None
    ) -> None:
        """A job served without a paid request (a cache hit): logged with the run, costs nothing."""
        day, now = self._day(), time.time()
        with self._transaction() as con:
            con.execute(
                "INSERT INTO spend (day, service, endpoint, user, run, status, estimate_micro, created, updated,"
                " detail) VALUES (?, ?, ?, ?, ?, 'free', 0, ?, ?, ?)",
                (day, service, endpoint, self.user, run, now, now, _json(detail)),
            )

    # -- reading -----------------------------------------------------------------------------------

    def today(self, service: str) -> DaySpend:
        """Settled and reserved spending today against the budget."""
        return self.today_all([service])[service]

    def today_all(self, services: Iterable[str] | None = None) -> dict[str, DaySpend]:
        """Today's spending of every service (or of `services`), read in one query."""
        wanted = list(self.budgets if services is None else services)
        budgets, day = {s: self._budget(s) for s in wanted}, self._day()
        rows: dict[str, tuple[int, int]] = {}
        if self.path.is_file():
            with self._connect() as con:
                rows = _day_spend(con, day, time.time())
        return {
            s: DaySpend(s, day, budgets[s], rows.get(s, (0, 0))[0] / _MICRO, rows.get(s, (0, 0))[1] / _MICRO)
            for s in wanted
        }

    def entries(self, *, service: str | None = None, run: str | None = None) -> list[Entry]:
        """Rows in the order they were written, optionally for one service and/or one run."""
        if not self.path.is_file():
            return []
        sql, args = "SELECT * FROM spend WHERE 1=1", []
        if service is not None:
            sql, args = sql + " AND service = ?", [*args, service]
        if run is not None:
            sql, args = sql + " AND run = ?", [*args, run]
        with self._connect() as con:
            rows = con.execute(sql + " ORDER BY id", args).fetchall()
        return [
            Entry(
                r["id"],
                r["day"],
                r["service"],
                r["endpoint"],
                r["user"],
                r["run"],
                r["status"],
                r["estimate_micro"] / _MICRO,
                r["cost_micro"] / _MICRO,
                json.loads(r["detail"] or "{}"),
            )
            for r in rows
        ]

    # -- internals ---------------------------------------------------------------------------------

    def _budget(self, service: str) -> float:
        if service not in self.budgets:
            raise ConfigError(f"no daily budget for {service!r}; set it in config/budget.toml [daily_usd]")
        return self.budgets[service]

    def _day(self) -> str:
        return (self.clock() if self.clock else datetime.now(UTC)).strftime("%Y-%m-%d")

    def _close(self, entry_id: int, status: str, cost_usd: float, detail: Mapping[str, Any] | None) -> None:
        with self._transaction() as con:
            row = con.execute("SELECT detail, estimate_micro FROM spend WHERE id = ?", (entry_id,)).fetchone()
            merged = {**json.loads((row["detail"] if row else None) or "{}"), **(detail or {})}
            cost = settled_cost(cost_usd, row["estimate_micro"] / _MICRO if row else 0.0)
            if cost != cost_usd:  # the API's figure was not a cost: kept for the record, not counted
                merged["reported_cost_usd"] = repr(cost_usd)
            con.execute(
                "UPDATE spend SET status = ?, cost_micro = ?, updated = ?, detail = ? "
                "WHERE id = ? AND status = 'reserved'",
                (status, _micro(cost), time.time(), _json(merged), entry_id),
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection while this process holds the ledger's file lock (released when it closes)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as con:
                    con.row_factory = sqlite3.Row
                    con.execute("PRAGMA journal_mode=WAL")
                    con.execute("PRAGMA busy_timeout=30000")
                    con.executescript(_SCHEMA)
                    yield con
            except sqlite3.DatabaseError as exc:
                raise LedgerError(
                    f"the spending ledger {self.path.name} in the data folder cannot be read ({exc}); "
                    "paid calls stay off until it is fixed: move it aside (a new one starts empty, "
                    "so today's spending restarts from zero) or restore it from a backup"
                ) from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One writer at a time across processes: the check and the write happen together."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")


def _day_spend(con: sqlite3.Connection, day: str, now: float) -> dict[str, tuple[int, int]]:
    """service -> (settled, live reserved) micro-dollars on `day`: what counts against its budget."""
    return {r[0]: (r[1], r[2]) for r in con.execute(_DAY_SPEND, (now - STALE_AFTER_S, day))}


def _micro(amount: float) -> int:
    return int(round(float(amount) * _MICRO))


def _json(detail: Mapping[str, Any] | None) -> str | None:
    return json.dumps(dict(detail), default=str) if detail else None
