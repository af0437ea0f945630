"""Transition features: exact values on a hand-made history, and nothing from the future."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.predictor.events import connect, load_events
from core.predictor.features import build_features, choose_categories, feature_names
from core.predictor.synthetic import synthetic_events, write_events

HEADER = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n"


def _features(path, categories=None):
    con = connect()
    load_events(con, path)
    if categories is None:
        categories, _ = choose_categories(con, 1)
    return build_features(con, categories), categories


def test_hand_made_history_gives_exact_features(tmp_path):
    rows = [
        ("2019-10-01 10:00:00", "purchase", "apparel.shoes", "nike", 100, "s1"),
        ("2019-10-02 09:00:00", "view", "apparel.jeans", "levis", 50, "s2"),
        ("2019-10-02 09:05:00", "view", "apparel.jeans", "levis", 50, "s2"),
        ("2019-10-02 09:06:00", "cart", "apparel.jeans", "levis", 50, "s2"),
        ("2019-10-03 08:00:00", "view", "apparel.dress", "", 60, "s3"),
        ("2019-10-03 09:00:00", "purchase", "apparel.jeans", "nike", 50, "s3"),
        ("2019-10-03 09:00:00", "view", "apparel.dress", "", 60, "s3"),  # same second as purchase 2
        ("2019-10-04 09:00:00", "view", "apparel.dress", "", 60, "s4"),
        ("2019-10-05 09:00:00", "purchase", "apparel.dress", "zara", 70, "s4"),
    ]
    text = HEADER + "".join(f"{t} UTC,{e},1,2,{c},{b},{p},42,{s}\n" for t, e, c, b, p, s in rows)
    (tmp_path / "h.csv").write_text(text)
    frame, cats = _features(tmp_path / "h.csv")
    # shoes is never a *next* purchase, so it is pooled as "other"
    assert cats == ["dress", "jeans", "other"]
    first, second, latest = (frame.iloc[i] for i in range(3))
    assert list(frame["target"].iloc[:2]) == ["jeans", "dress"] and pd.isna(latest["target"])
    assert first["last_category"] == "other" and first["n_purchases"] == 1
    # browsing strictly between purchase 1 and purchase 2
    assert (first["views_jeans"], first["views_dress"], first["carts_jeans"], first["n_views"]) == (2, 1, 1, 3)
    assert first["last_view_is_dress"] == 1 and first["last_view_is_jeans"] == 0
    assert first["n_sessions_between"] == 2
    assert first["hours_since_purchase"] == 46.0  # 10:00 on the 1st -> last view 08:00 on the 3rd
    assert np.isnan(first["hours_since_prev_purchase"])
    # the view at the very second of purchase 2 belongs to the window after it, not before
    assert (second["views_dress"], second["n_views"]) == (2, 2)
    assert second["bought_other"] == 1 and second["bought_jeans"] == 1 and second["bought_share_jeans"] == 0.5
    assert second["hours_since_prev_purchase"] == 47.0
    assert second["price_user_avg"] == 75.0 and second["brand_loyalty"] == 1.0  # nike twice out of two
    assert latest["n_purchases"] == 3 and latest["n_views"] == 0


def test_features_never_see_the_future(tmp_path):
    """Rewrite everything from a cutoff on: rows whose next purchase is before it must not change."""
    frame = synthetic_events(20000, signal=True, seed=5)
    write_events(frame, tmp_path / "full.csv")
    cutoff = frame["ts"].quantile(0.6)
    future = frame["ts"] >= cutoff
    rng = np.random.default_rng(0)
    changed = frame.copy()
    changed.loc[future, "category_code"] = rng.choice(["apparel.sock", "apparel.shoes"], size=int(future.sum()))
    changed.loc[future, "event_type"] = rng.choice(["view", "purchase", "cart"], size=int(future.sum()))
    changed.loc[future, "price"] = 1.0
    write_events(changed, tmp_path / "changed.csv")
    full, cats = _features(tmp_path / "full.csv")
    other, _ = _features(tmp_path / "changed.csv", cats)
    keep = full["next_ts"] < cutoff
    assert keep.sum() > 1000
    key = ["user_id", "k"]
    a = full[keep].set_index(key).sort_index()
    b = other.set_index(key).loc[a.index]
    cols = feature_names(cats) + ["target", "last_category"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    # and the rewrite did change later rows, so the comparison had something to catch
    later = full[~keep & full["target"].notna()].set_index(key)
    common = later.index.intersection(other.set_index(key).index)
    assert not later.loc[common, cols].equals(other.set_index(key).loc[common, cols])


def test_one_row_per_purchase_and_one_latest_row_per_buyer(tmp_path):
    frame = synthetic_events(8000, seed=2)
    write_events(frame, tmp_path / "e.csv")
    feats, _ = _features(tmp_path / "e.csv")
    purchases = frame[frame["event_type"] == "purchase"]
    assert len(feats) == len(purchases)
    assert feats["target"].isna().sum() == purchases["user_id"].nunique()
    assert feats["user_id"].nunique() == purchases["user_id"].nunique()
