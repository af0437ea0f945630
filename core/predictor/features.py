"""Cutoff-framed examples and their features, built in DuckDB SQL (no per-customer Python loop).

An example is (customer, cutoff T) for a customer with an apparel purchase before T. Its target is
the category of the customer's first apparel purchase in (T, T + H]; NULL when there is none (such
rows are scored for the share forecast and `predict`, never trained on). Every feature reads only
events strictly before T:

* purchase history from the customer's last purchase before T (an ASOF join on running window
  aggregates): count, per-category shares, last category, recency, gaps, prices, brand loyalty;
* browsing in the last 1, 7 and 30 days per category (views and carts), from a per-customer, per-day,
  per-category table range-joined to the cutoffs. Cutoffs are midnights, so "the last 7 days" is
  exactly the 7 whole days before T and an event at 23:59 the day before is in while one at 00:01
  on the cutoff day is out: a cart minutes before a purchase after T is never seen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from core.predictor.errors import PredictorError

OTHER = "other"
META_COLUMNS = ["user_id", "cutoff", "target", "target_ts", "last_category"]
WINDOWS = (1, 7, 30)
SCALAR_FEATURES = [
    "n_purchases",
    "days_since_purchase",
    "days_since_first_purchase",
    "mean_gap_days",
    "price_last",
    "price_user_avg",
    "price_vs_category_avg",
    "brand_loyalty",
    "brand_known",
    *[f"{kind}_{d}d" for kind in ("views", "carts") for d in WINDOWS],
    "active_days_30d",
    "days_since_browse",
    "viewed_price_avg_30d",
    "day_of_week",
    "hour_last_purchase",
]
_BATCH_ROWS = 200_000
_PER_CATEGORY = ["last_is", "bought_share", *[f"{kind}_{d}d" for kind in ("views", "carts") for d in WINDOWS]]


def choose_categories(con: duckdb.DuckDBPyConnection, min_support: int) -> tuple[list[str], list[str]]:
    """(feature categories, classes): categories bought as a repeat purchase at least `min_support`
    times keep their own class; rarer ones are pooled as "other"."""
    rows = con.execute(
        """SELECT category, count(*) FROM (
             SELECT category, row_number() OVER (PARTITION BY user_id ORDER BY ts, category, price) AS rn
             FROM events WHERE event_type = 'purchase')
           WHERE rn > 1 GROUP BY 1 ORDER BY 2 DESC, 1"""
    ).fetchall()
    kept = [c for c, n in rows if n >= min_support and c != OTHER]
    pooled = sum(n for c, n in rows if c not in kept)
    classes = sorted(kept) + ([OTHER] if pooled else [])
    return sorted(kept) + [OTHER], classes


def feature_names(categories: list[str]) -> list[str]:
    """Model input columns, in order, for a category list."""
    return SCALAR_FEATURES + [f"{kind}_{_safe(c)}" for kind in _PER_CATEGORY for c in categories]


def browsed(frame: pd.DataFrame, categories: list[str], window: int = 30) -> np.ndarray:
    """(rows, categories): views + carts per category in the `window` days before each cutoff."""
    if frame.empty:
        return np.zeros((0, len(categories)))
    return np.stack(
        [
            frame[f"views_{window}d_{_safe(c)}"].to_numpy() + frame[f"carts_{window}d_{_safe(c)}"].to_numpy()
            for c in categories
        ],
        axis=1,
    )


def data_span(con: duckdb.DuckDBPyConnection) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """(first, last) event time of table `events`, None when it is empty."""
    first, last = con.execute("SELECT min(ts), max(ts) FROM events").fetchone()
    return None if first is None else (pd.Timestamp(first), pd.Timestamp(last))


def cutoff_grid(
    first: pd.Timestamp, last: pd.Timestamp, *, horizon_days: int, step_days: int, warmup_days: int = 7
) -> list[pd.Timestamp]:
    """Midnights every `step_days` from first + warmup to the last one whose window (T, T+H] is observed."""
    start = first.normalize() + pd.Timedelta(days=warmup_days)
    end = last - pd.Timedelta(days=horizon_days)
    if start > end:
        return []
    return list(pd.date_range(start, end, freq=f"{int(step_days)}D"))


def cutoff_at(when: str | pd.Timestamp | None, last: pd.Timestamp) -> pd.Timestamp:
    """A prediction cutoff: the given day's midnight (UTC), or (None) the midnight after the last event."""
    if when is None or str(when).strip() == "":
        return last.normalize() + pd.Timedelta(days=1)
    try:
        stamp = pd.Timestamp(when)
    except ValueError as exc:
        raise PredictorError(f"cutoff {when!r} is not a date; give one like 2019-11-15") from exc
    return (stamp.tz_convert(None) if stamp.tzinfo else stamp).normalize()


def label_counts(
    con: duckdb.DuckDBPyConnection, categories: list[str], cutoffs: Sequence[pd.Timestamp], horizon_days: int
) -> pd.DataFrame:
    """Per cutoff: customers with a purchase before T, how many buy in (T, T+H], and per class.

    Cheap (no features): feeds the framing summary and the naive "same shares as last H days" forecast.
    """
    if not cutoffs:
        return pd.DataFrame(columns=["cutoff", "target", "n"])
    _examples(con, categories, cutoffs, horizon_days)
    return _counts(con)


def _counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        "SELECT cutoff, coalesce(target, '') AS target, count(*) AS n FROM _x GROUP BY 1, 2"
    ).df()
    return frame.sort_values(["cutoff", "target"], ignore_index=True)


def build_examples(
    con: duckdb.DuckDBPyConnection,
    categories: list[str],
    cutoffs: Sequence[pd.Timestamp],
    horizon_days: int,
    *,
    all_customers_from: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """META_COLUMNS + feature_names(categories), one row per (customer, cutoff).

    Rows whose customer buys nothing in (T, T+H] are kept only at cutoffs >= `all_customers_from`
    (the share forecast and `predict` score every customer; training needs only labelled rows).
    """
    return examples_and_counts(con, categories, cutoffs, horizon_days, all_customers_from=all_customers_from)[
        0
    ]


def examples_and_counts(
    con: duckdb.DuckDBPyConnection,
    categories: list[str],
    cutoffs: Sequence[pd.Timestamp],
    horizon_days: int,
    *,
    all_customers_from: pd.Timestamp | None = None,
    count_cutoffs: Sequence[pd.Timestamp] = (),
    negative_ratio: float | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """build_examples() and label_counts() over `cutoffs` + `count_cutoffs`, framing the events once.

    `negative_ratio`: rows without a purchase at cutoffs before `all_customers_from` are not dropped but
    sampled (a seeded hash of customer and cutoff) to about that many per labelled row there, at the
    rate negative_rate() gives: enough to learn who buys without building features for every
    one-off customer at every training cutoff.
    """
    if not cutoffs:
        return pd.DataFrame(columns=META_COLUMNS + feature_names(categories)), label_counts(
            con, categories, count_cutoffs, horizon_days
        )
    _examples(con, categories, sorted({*cutoffs, *count_cutoffs}), horizon_days)
    counts = _counts(con)
    keep = (
        "target IS NOT NULL"
        if all_customers_from is None
        else f"target IS NOT NULL OR cutoff >= TIMESTAMP '{pd.Timestamp(all_customers_from)}'"
    )
    if negative_ratio is not None and all_customers_from is not None:
        rate = negative_rate(counts, all_customers_from, negative_ratio)
        keep += f" OR hash(user_id, cutoff) % 1000000 < {int(rate * 1_000_000)}"
    wanted = ", ".join(f"TIMESTAMP '{pd.Timestamp(t)}'" for t in cutoffs)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _xk AS SELECT * FROM _x WHERE cutoff IN ({wanted}) AND ({keep})"
    )
    con.execute("DROP TABLE _x")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _daily AS
        SELECT user_id, CAST(ts AS DATE) AS day, event_type, {_cat_expr(categories)} AS cat,
               count(*) AS n, sum(price) AS price_sum
        FROM events WHERE event_type <> 'purchase' GROUP BY ALL""")
    # a few cutoffs at a time: the per-(customer, cutoff) aggregation is wide, and batches keep it
    # within DuckDB's memory limit on millions of events (a loop over cutoffs, never over customers)
    # each batch sorted by (cutoff, user_id) in SQL and the batches in cutoff order: a stable row order
    # (DuckDB's parallel output order is not) without a pandas sort, which copied the whole wide frame
    parts = [con.execute(_features_sql(categories, batch)).df() for batch in _batches(con)]
    frame = pd.concat(parts, ignore_index=True, copy=False) if len(parts) > 1 else parts[0]
    del parts
    frame["user_id"] = frame["user_id"].astype(str)
    return frame, counts


def negative_rate(counts: pd.DataFrame, until: pd.Timestamp, ratio: float) -> float:
    """The share of rows without a purchase kept at cutoffs before `until`: about `ratio` per labelled row."""
    before = counts[pd.to_datetime(counts["cutoff"]) < pd.Timestamp(until)]
    negatives = int(before.loc[before["target"] == "", "n"].sum())
    positives = int(before.loc[before["target"] != "", "n"].sum())
    return 1.0 if negatives == 0 else min(1.0, float(ratio) * positives / negatives)


def matrix(frame: pd.DataFrame, categories: list[str]) -> np.ndarray:
    return frame[feature_names(categories)].to_numpy(dtype=np.float32)


def _safe(name: str) -> str:
    return re.sub(r"[^0-9a-zA-Z_]", "_", name)


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _cat_expr(categories: list[str]) -> str:
    known = [c for c in categories if c != OTHER]
    in_list = ", ".join(_lit(c) for c in known) or "NULL"
    return f"CASE WHEN category IN ({in_list}) THEN category ELSE '{OTHER}' END"


def _examples(
    con: duckdb.DuckDBPyConnection, categories: list[str], cutoffs: Sequence[pd.Timestamp], horizon_days: int
) -> None:
    """Temp tables `_p` (purchases with running history), `_x` (customer, cutoff, target)."""
    bought = ",\n  ".join(
        f"sum(CAST(cat = {_lit(c)} AS INTEGER)) OVER w AS bought_{_safe(c)}" for c in categories
    )
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE _p AS
SELECT * FROM (
  SELECT user_id, ts, cat, price, brand,
    row_number() OVER w AS k, min(ts) OVER w AS first_ts, avg(price) OVER w AS avg_price,
    CASE WHEN brand IS NULL THEN NULL ELSE count(*) OVER (
      PARTITION BY user_id, brand ORDER BY ts, cat, price ROWS UNBOUNDED PRECEDING) END AS same_brand,
    avg(price) OVER (PARTITION BY cat ORDER BY ts, user_id ROWS UNBOUNDED PRECEDING) AS cat_avg_price,
    {bought}
  FROM (SELECT user_id, ts, price, brand, {_cat_expr(categories)} AS cat FROM events WHERE event_type = 'purchase')
  WINDOW w AS (PARTITION BY user_id ORDER BY ts, cat, price ROWS UNBOUNDED PRECEDING))
-- one row per (customer, second): the state after the whole basket, so the ASOF join is deterministic
QUALIFY row_number() OVER (PARTITION BY user_id, ts ORDER BY k DESC) = 1""")
    grid = ", ".join(f"(TIMESTAMP '{pd.Timestamp(t)}')" for t in cutoffs)
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE _x AS
WITH grid(cutoff) AS (VALUES {grid}),
buyers AS (SELECT user_id, min(ts) AS first_ts FROM _p GROUP BY 1),
pairs AS (SELECT b.user_id, g.cutoff FROM buyers b JOIN grid g ON b.first_ts < g.cutoff),
firsts AS (SELECT user_id, ts, min({_cat_expr(categories)}) AS cat
           FROM events WHERE event_type = 'purchase' GROUP BY 1, 2)
SELECT pairs.user_id, pairs.cutoff,
  CASE WHEN f.ts <= pairs.cutoff + INTERVAL {int(horizon_days)} DAY THEN f.cat END AS target,
  CASE WHEN f.ts <= pairs.cutoff + INTERVAL {int(horizon_days)} DAY THEN f.ts END AS target_ts
FROM pairs ASOF LEFT JOIN firsts f ON pairs.user_id = f.user_id AND f.ts > pairs.cutoff""")


def _batches(con: duckdb.DuckDBPyConnection) -> list[list[str]]:
    """Cutoffs grouped so that each batch has about _BATCH_ROWS (customer, cutoff) rows."""
    rows = _BATCH_ROWS
    batches: list[list[str]] = [[]]
    size = 0
    for cutoff, n in con.execute(
        "SELECT CAST(cutoff AS VARCHAR), count(*) FROM _xk GROUP BY 1 ORDER BY 1"
    ).fetchall():
        if batches[-1] and size + n > rows:
            batches.append([])
            size = 0
        batches[-1].append(cutoff)
        size += n
    return batches


def _features_sql(categories: list[str], cutoffs: list[str]) -> str:
    windows = []
    for d in WINDOWS:
        for kind in ("view", "cart"):
            windows.append(f"sum(n) FILTER (event_type = '{kind}' AND day >= x_day - {d}) AS {kind}s_{d}d")
            windows += [
                f"sum(n) FILTER (event_type = '{kind}' AND day >= x_day - {d} AND cat = {_lit(c)}) "
                f"AS {kind}s_{d}d_{_safe(c)}"
                for c in categories
            ]
    browse = ",\n    ".join(windows)
    hist = []
    for c in categories:
        s = _safe(c)
        hist += [
            f"CAST(h.cat = {_lit(c)} AS INTEGER) AS last_is_{s}",
            f"h.bought_{s} / h.k AS bought_share_{s}",
        ]
    browse_out = [
        f"coalesce(b.{kind}s_{d}d, 0) AS {kind}s_{d}d" for kind in ("view", "cart") for d in WINDOWS
    ]
    browse_out += [
        f"coalesce(b.{kind}s_{d}d_{_safe(c)}, 0) AS {kind}s_{d}d_{_safe(c)}"
        for kind in ("view", "cart")
        for d in WINDOWS
        for c in categories
    ]
    per_cat = ",\n  ".join(hist + browse_out)
    meta = ", ".join(META_COLUMNS)
    in_list = ", ".join(f"TIMESTAMP '{c}'" for c in cutoffs) or "NULL"
    # features leave DuckDB as float32: half the memory of float64 for millions of rows
    return f"""
SELECT {meta}, CAST(COLUMNS(* EXCLUDE ({meta})) AS FLOAT) FROM (
WITH x AS (SELECT *, CAST(cutoff AS DATE) AS x_day FROM _xk WHERE cutoff IN ({in_list})),
b AS (
  SELECT x.user_id, x.cutoff,
    count(DISTINCT d.day) AS active_days_30d, min(x.x_day - d.day) AS days_since_browse,
    sum(d.price_sum) / sum(d.n) AS viewed_price_avg_30d,
    {browse}
  FROM x JOIN _daily d ON d.user_id = x.user_id AND d.day < x.x_day AND d.day >= x.x_day - 30
  GROUP BY x.user_id, x.cutoff),
h AS (
  SELECT x.user_id, x.cutoff, x.target, x.target_ts, p.* EXCLUDE (user_id)
  FROM x ASOF JOIN _p p ON x.user_id = p.user_id AND p.ts < x.cutoff)
SELECT h.user_id, h.cutoff, h.target, h.target_ts, h.cat AS last_category,
  h.k AS n_purchases,
  date_diff('second', h.ts, h.cutoff) / 86400.0 AS days_since_purchase,
  date_diff('second', h.first_ts, h.cutoff) / 86400.0 AS days_since_first_purchase,
  CASE WHEN h.k > 1 THEN date_diff('second', h.first_ts, h.ts) / 86400.0 / (h.k - 1) END AS mean_gap_days,
  h.price AS price_last, h.avg_price AS price_user_avg,
  h.price / nullif(h.cat_avg_price, 0) AS price_vs_category_avg,
  h.same_brand / h.k AS brand_loyalty, CAST(h.same_brand IS NOT NULL AS INTEGER) AS brand_known,
  coalesce(b.active_days_30d, 0) AS active_days_30d, b.days_since_browse, b.viewed_price_avg_30d,
  dayofweek(h.cutoff) AS day_of_week, hour(h.ts) AS hour_last_purchase,
  {per_cat}
FROM h LEFT JOIN b ON b.user_id = h.user_id AND b.cutoff = h.cutoff)
ORDER BY cutoff, user_id
"""
