"""Vectorised REES46-format event generator for benchmarks and the leakage test.

`signal=False` draws every purchase's category independently of everything observable (the
history and the browsing), so an honest model cannot beat the majority class by more than
noise; `signal=True` makes the browsing before a purchase lean towards what is bought next.
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


def synthetic_events(n_events: int = 100_000, *, signal: bool = False, seed: int = 0,
                     browse_mean: float = 6.0, non_apparel_share: float = 0.1) -> pd.DataFrame:
    """About `n_events` events (view/cart/purchase) sorted by user then time."""
    rng = np.random.default_rng(seed)
    per_user = (1 + browse_mean) * 4.45  # ~4.45 purchases per user, each after ~browse_mean events
    n_users = max(1, int(round(n_events / per_user)))
    n_purchases = np.minimum(2 + rng.geometric(0.4, size=n_users), 10)
    block_user = np.repeat(np.arange(n_users), n_purchases)
    n_blocks = len(block_user)
    bought = rng.choice(len(CATEGORIES), size=n_blocks, p=PRIOR)
    browse = rng.poisson(browse_mean, size=n_blocks)
    block_len = browse + 1  # browsing, then the purchase
    block = np.repeat(np.arange(n_blocks), block_len)
    n = len(block)
    first = np.cumsum(block_len) - block_len
    pos = np.arange(n) - first[block]
    is_purchase = pos == browse[block]
    is_cart = ~is_purchase & (rng.random(n) < 0.1)
    event_type = np.where(is_purchase, "purchase", np.where(is_cart, "cart", "view"))

    cat = rng.integers(0, len(CATEGORIES), size=n)
    if signal:
        lean = ~is_purchase & (rng.random(n) < 0.5)
        cat = np.where(lean, bought[block], cat)
    cat = np.where(is_purchase, bought[block], cat)
    code = np.array([f"apparel.{c}" for c in CATEGORIES], dtype=object)[cat]
    other = ~is_purchase & (rng.random(n) < non_apparel_share)
    code = np.where(other, "electronics.smartphone", code)

    user = block_user[block]
    gaps = rng.exponential(3600.0, size=n).astype(np.int64) + 1
    user_first = np.searchsorted(user, np.arange(n_users))
    elapsed = np.cumsum(gaps)
    elapsed = elapsed - (elapsed[user_first] - gaps[user_first])[user]
    offset = rng.integers(0, 20 * 86400, size=n_users)[user]
    ts = START + (offset + elapsed).astype("timedelta64[s]")
    price = np.round(np.exp(rng.normal(3.5, 0.6, size=n)), 2)
    brand = np.array(["nike", "adidas", "zara", "", "levis"], dtype=object)[rng.integers(0, 5, size=n)]
    return pd.DataFrame({
        "ts": ts, "event_type": event_type, "product_id": 28700000 + cat * 100 + rng.integers(0, 100, size=n),
        "category_id": 2053013555000000000 + cat, "category_code": code, "brand": brand, "price": price,
        "user_id": 500000000 + user, "user_session": block,
    })


def write_events(frame: pd.DataFrame, path: Path) -> Path:
    """Write in the REES46 text format (`… UTC` timestamps); format from the suffix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    name = path.name.lower()
    fmt = "(FORMAT parquet)" if name.endswith(".parquet") else (
        "(FORMAT csv, HEADER, COMPRESSION gzip)" if name.endswith(".gz") else "(FORMAT csv, HEADER)")
    con = duckdb.connect()
    try:
        con.register("frame", frame)
        target = str(path).replace("'", "''")
        con.execute(
            f"""COPY (SELECT strftime(ts, '%Y-%m-%d %H:%M:%S') || ' UTC' AS event_time, event_type, product_id,
                        category_id, category_code, brand, price, user_id,
                        'sess-' || CAST(user_session AS VARCHAR) AS user_session
                 FROM frame ORDER BY ts) TO '{target}' {fmt}""")
    finally:
        con.close()
    return path
