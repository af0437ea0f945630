"""Leak-free transition features, built in DuckDB SQL with window functions.

One row per purchase i of a user. Its target is the category of purchase i+1 (NULL for the
user's latest purchase: that row is what `predict` scores). Every feature uses only what is known
just before purchase i+1: purchases 1..i (running windows, never whole-history aggregates) and the
views/carts strictly after purchase i and before purchase i+1. The split between "history" and
"browsing since" comes from a running purchase counter `k`, so there is no per-user Python loop.
"""

from __future__ import annotations

import re

import duckdb
import numpy as np
import pandas as pd

OTHER = "other"
META_COLUMNS = ["user_id", "k", "ts", "next_ts", "target", "last_category"]
SCALAR_FEATURES = [
    "n_purchases", "hours_since_prev_purchase", "mean_gap_hours", "hours_since_purchase",
    "price_last", "price_user_avg", "price_vs_category_avg", "brand_loyalty", "brand_known",
    "n_views", "n_carts", "n_sessions_between", "hour", "day_of_week",
]
_PER_CATEGORY = ["last_is", "bought", "bought_share", "views", "view_share", "carts", "last_view_is"]


def choose_categories(con: duckdb.DuckDBPyConnection, min_support: int) -> tuple[list[str], list[str]]:
    """(feature categories, classes): categories bought as a *next* purchase at least `min_support`
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
    per_cat = [f"{kind}_{_safe(c)}" for kind in _PER_CATEGORY for c in categories]
    return SCALAR_FEATURES + per_cat


def build_features(con: duckdb.DuckDBPyConnection, categories: list[str]) -> pd.DataFrame:
    """META_COLUMNS + feature_names(categories), one row per purchase, from table `events`."""
    frame = con.execute(_sql(categories)).df()
    # a stable row order (DuckDB's parallel output order is not), sorted here: cheaper than in SQL
    frame.sort_values(["user_id", "k"], kind="stable", inplace=True, ignore_index=True)
    frame["user_id"] = frame["user_id"].astype(str)
    return frame


def matrix(frame: pd.DataFrame, categories: list[str]) -> np.ndarray:
    return frame[feature_names(categories)].to_numpy(dtype=np.float32)


def _safe(name: str) -> str:
    return re.sub(r"[^0-9a-zA-Z_]", "_", name)


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql(categories: list[str]) -> str:
    known = [c for c in categories if c != OTHER]
    in_list = ", ".join(_lit(c) for c in known) or "NULL"
    bought = ",\n      ".join(
        f"sum(CASE WHEN cat = {_lit(c)} THEN 1 ELSE 0 END) OVER w AS bought_{_safe(c)}" for c in categories)
    between = ",\n      ".join(
        f"count(*) FILTER (event_type = 'view' AND cat = {_lit(c)}) AS views_{_safe(c)},\n      "
        f"count(*) FILTER (event_type = 'cart' AND cat = {_lit(c)}) AS carts_{_safe(c)}" for c in categories)
    outputs = []
    for c in categories:
        s, lit = _safe(c), _lit(c)
        outputs += [
            f"CAST(pw.cat = {lit} AS INTEGER) AS last_is_{s}",
            f"pw.bought_{s} AS bought_{s}",
            f"pw.bought_{s} / pw.k AS bought_share_{s}",
            f"coalesce(b.views_{s}, 0) AS views_{s}",
            f"coalesce(b.views_{s} / nullif(b.n_views, 0), 0) AS view_share_{s}",
            f"coalesce(b.carts_{s}, 0) AS carts_{s}",
            f"coalesce(CAST(b.last_view_cat = {lit} AS INTEGER), 0) AS last_view_is_{s}",
        ]
    per_cat = ",\n  ".join(outputs)
    meta = ", ".join(META_COLUMNS)
    # features leave DuckDB as float32: half the memory of float64 for millions of rows
    return f"""
SELECT {meta}, CAST(COLUMNS(* EXCLUDE ({meta})) AS FLOAT) FROM (
WITH ev AS (
  SELECT user_id, hash(user_id) AS uid, ts, event_type, brand, price, session, event_type = 'purchase' AS is_p,
         CASE WHEN category IN ({in_list}) THEN category ELSE '{OTHER}' END AS cat
  FROM events),
ord AS (
  -- purchases sort first within a timestamp, so browsing at the same second as purchase i+1
  -- never lands in the window that predicts it
  SELECT *, sum(CAST(is_p AS INTEGER)) OVER (
           PARTITION BY uid, user_id ORDER BY ts, is_p DESC, cat, price ROWS UNBOUNDED PRECEDING) AS k
  FROM ev),
pw AS (
  SELECT user_id, uid, k, ts, cat, price,
      lead(cat) OVER u AS target, lead(ts) OVER u AS next_ts, lag(ts) OVER u AS prev_ts,
      min(ts) OVER w AS first_ts, avg(price) OVER w AS user_avg_price,
      CASE WHEN brand IS NULL THEN NULL ELSE
        count(*) OVER (PARTITION BY uid, user_id, brand ORDER BY k ROWS UNBOUNDED PRECEDING) END AS same_brand,
      avg(price) OVER (PARTITION BY cat ORDER BY ts, uid, k ROWS UNBOUNDED PRECEDING) AS cat_avg_price,
      {bought}
  FROM ord WHERE is_p
  WINDOW u AS (PARTITION BY uid, user_id ORDER BY k),
         w AS (PARTITION BY uid, user_id ORDER BY k ROWS UNBOUNDED PRECEDING)),
b AS (
  SELECT uid, user_id, k,
      count(*) FILTER (event_type = 'view') AS n_views,
      count(*) FILTER (event_type = 'cart') AS n_carts,
      count(DISTINCT session) AS n_sessions,
      max(ts) AS last_ts,
      arg_max(cat, ts) FILTER (event_type = 'view') AS last_view_cat,
      {between}
  FROM ord WHERE NOT is_p AND k > 0 GROUP BY uid, user_id, k)
SELECT pw.user_id, pw.k, pw.ts, pw.next_ts, pw.target, pw.cat AS last_category,
  pw.k AS n_purchases,
  date_diff('second', pw.prev_ts, pw.ts) / 3600.0 AS hours_since_prev_purchase,
  CASE WHEN pw.k > 1 THEN date_diff('second', pw.first_ts, pw.ts) / 3600.0 / (pw.k - 1) END AS mean_gap_hours,
  date_diff('second', pw.ts, coalesce(b.last_ts, pw.ts)) / 3600.0 AS hours_since_purchase,
  pw.price AS price_last, pw.user_avg_price AS price_user_avg,
  pw.price / nullif(pw.cat_avg_price, 0) AS price_vs_category_avg,
  pw.same_brand / pw.k AS brand_loyalty,
  CAST(pw.same_brand IS NOT NULL AS INTEGER) AS brand_known,
  coalesce(b.n_views, 0) AS n_views, coalesce(b.n_carts, 0) AS n_carts,
  coalesce(b.n_sessions, 0) AS n_sessions_between,
  hour(coalesce(b.last_ts, pw.ts)) AS hour, dayofweek(coalesce(b.last_ts, pw.ts)) AS day_of_week,
  {per_cat}
FROM pw LEFT JOIN b USING (uid, user_id, k))
"""
