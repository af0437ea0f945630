"""Vectorised REES46-format event generator for benchmarks and the leakage tests.

Like real shop logs, every purchase ends a funnel: a few views and a cart of the very product,
minutes before it (the same day). That funnel is what a "features up to just before the purchase"
framing reads; at a midnight cutoff before the purchase it is invisible.

`signal=False` draws every purchase's category independently of everything a customer did before, so
an honest model cannot beat the majority class by more than noise. `signal=True` makes it learnable
from what is known at a cutoff (see `_learnable`), and browsing shows the next category on the days
before it is bought.
Rows are written by DuckDB (CSV, CSV.gz or Parquet) so millions of rows take seconds.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

CATEGORIES = ["shoes", "shirt", "trousers", "jeans", "dress", "tshirt"]
PRIOR = np.array([0.40, 0.20, 0.14, 0.11, 0.09, 0.06])
START = np.datetime64("2019-10-01T00:00:00", "s")
_DAY = 86400
_PURCHASES_MEAN = 3.6  # 1 + geometric(0.35), capped at 10, less what falls past the span
_FUNNEL_VIEWS, _INTENT_VIEWS, _NOISE = 2.0, 3.0, 4.0
_NEXT = np.array([5, 2, 1, 5, 0, 3])  # what goes with each category: shoes -> tshirt, shirt -> trousers, ...


def events_per_user(signal: bool) -> float:
    """Expected events per generated customer (funnel views + cart + purchase, intent, noise)."""
    per_purchase = 2 + _FUNNEL_VIEWS + (_INTENT_VIEWS if signal else 0.0)
    return _PURCHASES_MEAN * per_purchase + _NOISE


def synthetic_events(
    n_events: int = 100_000,
    *,
    signal: bool = False,
    seed: int = 0,
    span_days: int = 91,
    non_apparel_share: float = 0.1,
) -> pd.DataFrame:
    """About `n_events` events (view/cart/purchase) over `span_days`, sorted by time."""
    rng = np.random.default_rng(seed)
    n_users = max(1, int(round(n_events / events_per_user(signal))))
    n_cat = len(CATEGORIES)
    span = span_days * _DAY

    n_buys = np.minimum(1 + rng.geometric(0.35, size=n_users), 10)
    buy_user = np.repeat(np.arange(n_users), n_buys)
    rank = np.arange(len(buy_user)) - np.repeat(np.cumsum(n_buys) - n_buys, n_buys)
    buy_ts = np.sort(rng.integers(0, span, size=len(buy_user)) + buy_user * span) - buy_user * span
    if signal:
        buy_ts, buy_cat = _learnable(rng, buy_user, rank, buy_ts, span)
    else:
        buy_cat = rng.choice(n_cat, size=len(buy_user), p=PRIOR)

    parts = [(buy_user, buy_ts, buy_cat, np.full(len(buy_user), "purchase", dtype=object))]
    # the funnel: views and a cart of the bought product, 1-30 minutes before, never before its midnight
    n_funnel = 1 + rng.poisson(_FUNNEL_VIEWS, size=len(buy_user))
    idx = np.repeat(np.arange(len(buy_user)), n_funnel)
    first = np.cumsum(n_funnel) - n_funnel
    is_cart = np.arange(len(idx)) == np.repeat(first + n_funnel - 1, n_funnel)
    ahead = np.where(is_cart, rng.integers(60, 300, size=len(idx)), rng.integers(300, 1800, size=len(idx)))
    midnight = buy_ts[idx] - buy_ts[idx] % _DAY
    parts.append(
        (
            buy_user[idx],
            np.maximum(buy_ts[idx] - ahead, midnight),
            buy_cat[idx],
            np.where(is_cart, "cart", "view").astype(object),
        )
    )
    if signal:  # intent: the next category browsed on the 1-10 days before buying it
        n_intent = rng.poisson(_INTENT_VIEWS, size=len(buy_user))
        idx = np.repeat(np.arange(len(buy_user)), n_intent)
        parts.append(
            (
                buy_user[idx],
                buy_ts[idx] - rng.integers(_DAY, 10 * _DAY, size=len(idx)),
                buy_cat[idx],
                np.full(len(idx), "view", dtype=object),
            )
        )
    n_noise = rng.poisson(_NOISE, size=n_users)
    noise_user = np.repeat(np.arange(n_users), n_noise)
    parts.append(
        (
            noise_user,
            rng.integers(0, span, size=len(noise_user)),
            rng.integers(0, n_cat, size=len(noise_user)),
            np.where(rng.random(len(noise_user)) < 0.15, "cart", "view").astype(object),
        )
    )

    user, offset, cat, event_type = (np.concatenate(cols) for cols in zip(*parts, strict=True))
    inside = (offset >= 0) & (offset < span)
    user, offset, cat, event_type = user[inside], offset[inside], cat[inside], event_type[inside]
    n = len(user)
    code = np.array([f"apparel.{c}" for c in CATEGORIES], dtype=object)[cat]
    other = (event_type != "purchase") & (rng.random(n) < non_apparel_share)
    code = np.where(other, "electronics.smartphone", code)
    ts = START + offset.astype("timedelta64[s]")
    price = np.round(np.exp(rng.normal(3.5, 0.6, size=n)), 2)
    brand = np.array(["nike", "adidas", "zara", "", "levis"], dtype=object)[rng.integers(0, 5, size=n)]
    frame = pd.DataFrame(
        {
            "ts": ts,
            "event_type": event_type,
            "product_id": 28700000 + cat * 100 + rng.integers(0, 100, size=n),
            "category_id": 2053013555000000000 + cat,
            "category_code": code,
            "brand": brand,
            "price": price,
            "user_id": 500000000 + user,
            "user_session": user * 1000 + offset // _DAY,
        }
    )
    return frame.sort_values(["ts", "user_id"], kind="stable", ignore_index=True)


def timed_events(
    n_users: int = 3000, *, browse_ahead: bool, seed: int = 0, span_days: int = 91, rate_per_day: float = 0.06
) -> pd.DataFrame:
    """Purchase *timing* for the who-buys tests: every customer buys as a Poisson process at the same
    rate, so neither how long ago nor how often a customer bought says anything about the next window
    (random timing), each purchase with its same-day funnel (views, a cart minutes before). Browsing
    is noise (random days and categories) unless `browse_ahead`: then a purchase is announced by views
    of apparel on the 1-3 days before it, which only recent browsing (not a 7-day count swamped by the
    noise alone) separates well."""
    rng = np.random.default_rng(seed)
    span = span_days * _DAY
    n_buys = rng.poisson(rate_per_day * span_days, size=n_users)
    user = np.repeat(np.arange(n_users), n_buys)
    ts = rng.integers(0, span, size=len(user))  # a Poisson process: uniform times given the count
    cat = rng.choice(len(CATEGORIES), size=len(user), p=PRIOR)
    parts = [(user, ts, cat, "purchase"), (user, ts - rng.integers(60, 300, size=len(user)), cat, "cart")]
    parts.append((user, ts - rng.integers(300, 1800, size=len(user)), cat, "view"))
    if browse_ahead:
        n_intent = 1 + rng.poisson(2.0, size=len(user))
        idx = np.repeat(np.arange(len(user)), n_intent)
        ahead = rng.integers(_DAY // 2, 3 * _DAY, size=len(idx))
        parts.append((user[idx], ts[idx] - ahead, cat[idx], "view"))
    n_noise = rng.poisson(10.0, size=n_users)
    noise_user = np.repeat(np.arange(n_users), n_noise)
    noise_cat = rng.integers(0, len(CATEGORIES), size=len(noise_user))
    parts.append((noise_user, rng.integers(0, span, size=len(noise_user)), noise_cat, "view"))
    users, offsets, cats = (np.concatenate([part[k] for part in parts]) for k in range(3))
    kinds = np.concatenate([np.full(len(part[0]), part[3], dtype=object) for part in parts])
    keep = (offsets >= 0) & (offsets < span)
    users, offsets, cats, kinds = users[keep], offsets[keep], cats[keep], kinds[keep]
    n = len(users)
    frame = pd.DataFrame(
        {
            "ts": START + offsets.astype("timedelta64[s]"),
            "event_type": kinds,
            "product_id": 28700000 + cats * 100 + rng.integers(0, 100, size=n),
            "category_id": 2053013555000000000 + cats,
            "category_code": np.array([f"apparel.{c}" for c in CATEGORIES], dtype=object)[cats],
            "brand": np.array(["nike", "adidas", "zara", "", "levis"], dtype=object)[
                rng.integers(0, 5, size=n)
            ],
            "price": np.round(np.exp(rng.normal(3.5, 0.6, size=n)), 2),
            "user_id": 600000000 + users,
            "user_session": users * 1000 + offsets // _DAY,
        }
    )
    return frame.sort_values(["ts", "user_id"], kind="stable", ignore_index=True)


def _learnable(
    rng: np.random.Generator, buy_user: np.ndarray, rank: np.ndarray, buy_ts: np.ndarray, span: int
) -> tuple[np.ndarray, np.ndarray]:
    """Purchase times and categories a model can learn at a cutoff: a favourite category, a
    "completes the outfit" transition from the last purchase, and (as in a marketing push) a wave of
    new customers who first buy shoes late in the period and then what goes with them."""
    n_users, n_cat = int(buy_user.max()) + 1, len(CATEGORIES)
    favourite = rng.choice(n_cat, size=n_users, p=PRIOR)
    wave = rng.random(n_users) < 0.25
    start = int(span * 0.66) + rng.integers(0, 6 * _DAY, size=n_users)
    gaps = np.where(rank == 0, 0, rng.integers(2 * _DAY, 12 * _DAY, size=len(rank)))
    first = np.cumsum(n := np.bincount(buy_user)) - n
    elapsed = np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[first] - gaps[first], n)
    buy_ts = np.where(wave[buy_user], start[buy_user] + elapsed, buy_ts)
    cat = np.zeros(len(rank), dtype=np.int64)
    u = rng.random(len(rank))
    prior = rng.choice(n_cat, size=len(rank), p=PRIOR)
    for k in range(int(rank.max()) + 1):
        at = np.flatnonzero(rank == k)
        prev = cat[at - 1] if k else prior[at]
        regular = np.where(
            u[at] < 0.45, favourite[buy_user[at]], np.where(u[at] < 0.7, _NEXT[prev], prior[at])
        )
        if k == 0:
            regular = np.where(u[at] < 0.45, favourite[buy_user[at]], prior[at])
        waved = np.where(k == 0, 0, np.where(u[at] < 0.7, _NEXT[prev], favourite[buy_user[at]]))
        cat[at] = np.where(wave[buy_user[at]], waved, regular)
    return buy_ts, cat


def write_events(frame: pd.DataFrame, path: Path) -> Path:
    """Write in the REES46 text format (`… UTC` timestamps); format from the suffix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    name = path.name.lower()
    fmt = (
        "(FORMAT parquet)"
        if name.endswith(".parquet")
        else ("(FORMAT csv, HEADER, COMPRESSION gzip)" if name.endswith(".gz") else "(FORMAT csv, HEADER)")
    )
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("frame", frame)
        target = str(path).replace("'", "''")
        con.execute(
            f"""COPY (SELECT strftime(ts, '%Y-%m-%d %H:%M:%S') || ' UTC' AS event_time, event_type, product_id,
                        category_id, category_code, brand, price, user_id,
                        'sess-' || CAST(user_session AS VARCHAR) AS user_session
                 FROM frame ORDER BY ts) TO '{target}' {fmt}"""
        )
    finally:
        con.close()
    return path
