"""Cutoff-framed features: exact values on a hand-made log, the same targets as a brute-force
count, and nothing from on or after the cutoff."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.predictor.data import EventData
from core.predictor.errors import TooLittleDataError
from core.predictor.events import connect, load_events
from core.predictor.features import (
    build_examples,
    choose_categories,
    cutoff_grid,
    feature_names,
    label_counts,
)
from core.predictor.params import DEFAULTS
from core.predictor.synthetic import synthetic_events, write_events

HEADER = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n"
T = pd.Timestamp("2019-10-10")


def _con(path):
    con = connect()
    load_events(con, path)
    return con


def _write(tmp_path, rows, name="h.csv"):
    text = HEADER + "".join(f"{t} UTC,{e},1,2,{c},{b},{p},{u},s\n" for t, e, c, b, p, u in rows)
    (tmp_path / name).write_text(text)
    return tmp_path / name


def test_hand_made_log_gives_exact_features_at_a_cutoff(tmp_path):
    rows = [
        ("2019-10-01 10:00:00", "purchase", "apparel.shoes", "nike", 100, 42),
        ("2019-10-05 09:00:00", "purchase", "apparel.jeans", "nike", 50, 42),
        ("2019-10-02 09:00:00", "view", "apparel.dress", "", 60, 42),  # 8 days before T: 30d only
        ("2019-10-06 09:00:00", "view", "apparel.jeans", "levis", 50, 42),  # 7d and 30d
        ("2019-10-09 23:59:00", "cart", "apparel.dress", "", 60, 42),  # the day before: 1d, 7d, 30d
        ("2019-10-10 00:00:30", "cart", "apparel.shoes", "", 90, 42),  # on the cutoff day: never seen
        ("2019-10-10 00:05:00", "purchase", "apparel.shoes", "", 90, 42),  # first purchase after T
        ("2019-10-12 00:05:00", "purchase", "apparel.dress", "", 90, 42),  # a later one: not the target
        ("2019-10-11 10:00:00", "purchase", "apparel.dress", "", 70, 7),  # no purchase before T: no example
        ("2019-10-03 10:00:00", "purchase", "apparel.dress", "", 70, 8),  # buys nothing after: unlabelled
    ]
    con = _con(_write(tmp_path, rows))
    cats = ["dress", "jeans", "shoes", "other"]
    frame = build_examples(con, cats, [T], 14, all_customers_from=T)
    assert list(frame["user_id"]) == ["42", "8"]
    row, idle = frame.iloc[0], frame.iloc[1]
    assert row["target"] == "shoes" and pd.isna(idle["target"])
    assert row["last_category"] == "jeans" and row["n_purchases"] == 2
    assert row["bought_share_jeans"] == 0.5 and row["bought_share_shoes"] == 0.5 and row["last_is_jeans"] == 1
    assert row["days_since_purchase"] == pytest.approx(4 + 15 / 24)
    assert row["mean_gap_days"] == pytest.approx(3 + 23 / 24)
    assert row["price_user_avg"] == 75.0 and row["brand_loyalty"] == 1.0  # nike twice out of two
    assert (row["views_30d_dress"], row["views_7d_dress"], row["views_7d_jeans"]) == (1, 0, 1)
    assert (row["carts_1d_dress"], row["carts_7d_dress"], row["carts_30d_shoes"]) == (1, 1, 0)
    assert (row["views_30d"], row["carts_30d"], row["active_days_30d"], row["days_since_browse"]) == (
        2,
        1,
        3,
        1,
    )
    # without the unlabelled customers (training); a day later the target is the next purchase
    assert list(build_examples(con, cats, [T], 14)["user_id"]) == ["42"]
    later = build_examples(con, cats, [T + pd.Timedelta(days=1)], 14).set_index("user_id")
    assert later.loc["42", "target"] == "dress" and later.loc["42", "last_category"] == "shoes"
    counts = label_counts(con, cats, [T], 14)
    assert counts.set_index("target")["n"].to_dict() == {"": 1, "shoes": 1}


def test_targets_match_a_brute_force_count(tmp_path, monkeypatch):
    frame = synthetic_events(15_000, seed=3)
    path = write_events(frame, tmp_path / "e.csv")
    con = _con(path)
    cats, _ = choose_categories(con, 1)
    first, last = (pd.Timestamp(t) for t in (frame["ts"].min(), frame["ts"].max()))
    cutoffs = cutoff_grid(first, last, horizon_days=14, step_days=3)
    assert len(cutoffs) == len(range(7, (last - first.normalize()).days - 14 + 1, 3))
    got = build_examples(con, cats, cutoffs, 14, all_customers_from=cutoffs[0])
    buys = frame[(frame["event_type"] == "purchase") & frame["category_code"].str.startswith("apparel.")]
    expected = []
    for t in cutoffs[::4]:
        before = set(buys.loc[buys["ts"] < t, "user_id"].astype(str))
        window = buys[(buys["ts"] > t) & (buys["ts"] <= t + pd.Timedelta(days=14))].sort_values(
            ["ts", "category_code"]
        )
        nxt = window.groupby("user_id")["category_code"].first().str.split(".").str[1]
        nxt.index = nxt.index.astype(str)
        expected += [(str(t), u, nxt.get(u)) for u in sorted(before)]
    sub = got[got["cutoff"].isin(cutoffs[::4])]
    actual = [
        (str(t), u, None if pd.isna(y) else y)
        for t, u, y in sub[["cutoff", "user_id", "target"]].itertuples(index=False)
    ]
    assert sorted(actual) == sorted(expected) and len(actual) > 1000
    # built a few cutoffs at a time (as on millions of events), the rows are the same
    monkeypatch.setattr("core.predictor.features._BATCH_ROWS", 500)
    pd.testing.assert_frame_equal(build_examples(con, cats, cutoffs, 14, all_customers_from=cutoffs[0]), got)


def test_features_never_see_the_cutoff_day_or_after(tmp_path):
    """Rewrite everything from a cutoff on: that cutoff's features must not change, its targets must."""
    frame = synthetic_events(20_000, signal=True, seed=5)
    write_events(frame, tmp_path / "full.csv")
    con = _con(tmp_path / "full.csv")
    cats, _ = choose_categories(con, 1)
    cutoff = pd.Timestamp(frame["ts"].quantile(0.6)).normalize()
    future = frame["ts"] >= cutoff
    rng = np.random.default_rng(0)
    changed = frame.copy()
    changed.loc[future, "category_code"] = rng.choice(
        ["apparel.dress", "apparel.shoes"], size=int(future.sum())
    )
    changed.loc[future, "event_type"] = rng.choice(["view", "purchase", "cart"], size=int(future.sum()))
    changed.loc[future, "price"] = 1.0
    write_events(changed, tmp_path / "changed.csv")
    full = build_examples(con, cats, [cutoff], 14, all_customers_from=cutoff).set_index("user_id")
    other = build_examples(
        _con(tmp_path / "changed.csv"), cats, [cutoff], 14, all_customers_from=cutoff
    ).set_index("user_id")
    assert len(full) > 500 and list(full.index) == list(other.index)
    cols = feature_names(cats) + ["last_category"]
    pd.testing.assert_frame_equal(full[cols], other[cols])
    assert not full["target"].equals(other["target"])  # the rewrite was there to be caught


def test_a_log_too_short_for_any_cutoff_is_a_clear_error(tmp_path):
    rows = [
        ("2019-10-01 10:00:00", "purchase", "apparel.shoes", "nike", 100, 1),
        ("2019-10-09 10:00:00", "purchase", "apparel.jeans", "nike", 50, 1),
    ]
    params = dict(DEFAULTS)
    with (
        EventData(_write(tmp_path, rows), params) as data,
        pytest.raises(TooLittleDataError, match=r"too little data to form any example: .* span 8.0 days"),
    ):
        data.grid(14)
