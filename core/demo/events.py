"""Deterministic, synthetic demo events in the REES46 schema with a learnable next-category signal.

Each user buys apparel several times over three months, about ten days apart. The next category mixes
three causes: a first-order transition from the last category, the user's own preference, and chance.
On the days before a purchase the user browses, often the category they are about to buy, plus
unrelated views; and, as in real shop logs, nearly every purchase ends a funnel: a view and a cart of
the very product minutes before it. A cutoff-framed model sees only what happened before its cutoff,
so it can use the days of browsing but never that last-minute cart. Non-apparel events, empty
category codes and empty brands mirror the real files.
"""

from __future__ import annotations

import csv
import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

SEED = 7
VERSION = 2  # 2: three months, a view-and-cart funnel before nearly every purchase (cutoff framing)
START = datetime(2019, 10, 1, tzinfo=UTC)
SPAN_DAYS = 91
END = START + timedelta(days=SPAN_DAYS)

CATEGORIES = ["shoes", "shirt", "trousers", "jeans", "dress", "jacket", "tshirt", "skirt", "sock", "costume"]
PRIOR = np.array([0.40, 0.09, 0.08, 0.08, 0.07, 0.07, 0.08, 0.05, 0.04, 0.04])
# a plausible "completes the outfit" transition for the Markov part
NEXT_OF = {
    "shoes": "sock",
    "shirt": "trousers",
    "trousers": "shirt",
    "jeans": "tshirt",
    "dress": "shoes",
    "jacket": "jeans",
    "tshirt": "jeans",
    "skirt": "shirt",
    "sock": "shoes",
    "costume": "shirt",
}
CODES = {c: f"apparel.{c}" for c in CATEGORIES} | {"shoes": "apparel.shoes.keds"}
OTHER_CODES = [
    "electronics.smartphone",
    "appliances.kitchen.kettle",
    "computers.notebook",
    "furniture.living_room.sofa",
    "",
]
BRANDS = ["nike", "adidas", "zara", "levis", "mango", "puma", "reebok", "", "bershka", "gap"]
BASE_PRICE = {
    "shoes": 80,
    "shirt": 35,
    "trousers": 45,
    "jeans": 55,
    "dress": 60,
    "jacket": 120,
    "tshirt": 18,
    "skirt": 35,
    "sock": 6,
    "costume": 150,
}
HEADER = [
    "event_time",
    "event_type",
    "product_id",
    "category_id",
    "category_code",
    "brand",
    "price",
    "user_id",
    "user_session",
]


def _fmt(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%d %H:%M:%S UTC")


def generate_events(n_users: int = 3000, seed: int = SEED) -> list[list]:
    """Rows (in HEADER order) sorted by time."""
    rng = np.random.default_rng(seed)
    cat_ids = {c: 2053013555000000000 + i * 1013 for i, c in enumerate(CATEGORIES)}
    other_ids = {c: 2053013566000000000 + i * 7 for i, c in enumerate(OTHER_CODES)}
    rows: list[tuple[datetime, list]] = []
    session_no = 0

    def event(ts: datetime, etype: str, cat: str, user: int, session: str, other: bool = False):
        if other:
            code = cat
            cid = other_ids[cat]
            pid = 1000000 + int(rng.integers(0, 500))
            price = round(float(rng.uniform(20, 900)), 2)
            brand = str(rng.choice(["samsung", "apple", "bosch", ""]))
        else:
            code = CODES[cat] if rng.random() > 0.03 else ""
            cid = cat_ids[cat]
            pid = 28700000 + CATEGORIES.index(cat) * 1000 + int(rng.integers(0, 60))
            price = round(BASE_PRICE[cat] * float(rng.lognormal(0, 0.3)), 2)
            brand = str(rng.choice(BRANDS))
        rows.append((ts, [_fmt(ts), etype, pid, cid, code, brand, f"{price:.2f}", 500000000 + user, session]))

    for user in range(n_users):
        pref = CATEGORIES[int(rng.choice(len(CATEGORIES), p=PRIOR))]
        n_purchases = int(min(2 + rng.geometric(0.35), 10))
        t = START + timedelta(seconds=int(rng.integers(0, 45 * 86400)))
        last: str | None = None
        for _ in range(n_purchases):
            u = rng.random()
            if last is not None and u < 0.30:
                nxt = NEXT_OF[last]
            elif u < 0.55:
                nxt = pref
            else:
                nxt = CATEGORIES[int(rng.choice(len(CATEGORIES), p=PRIOR))]
            t += timedelta(days=float(rng.exponential(6)))
            if t >= END:
                break
            # browsing sessions on the days before the purchase
            for _s in range(int(rng.integers(1, 3))):
                session_no += 1
                sess = f"s{seed}-{session_no:08d}"
                t += timedelta(hours=float(rng.exponential(30)))
                if rng.random() < 0.75:
                    for _v in range(int(rng.integers(1, 4))):
                        t += timedelta(seconds=int(rng.integers(20, 400)))
                        event(t, "view", nxt, user, sess)
                for _v in range(int(rng.integers(0, 4))):
                    t += timedelta(seconds=int(rng.integers(20, 400)))
                    if rng.random() < 0.4:
                        event(t, "view", str(rng.choice(OTHER_CODES)), user, sess, other=True)
                    else:
                        event(t, "view", CATEGORIES[int(rng.integers(0, len(CATEGORIES)))], user, sess)
            # the funnel: a view and (nearly always) a cart of the very product, minutes before buying it
            session_no += 1
            sess = f"s{seed}-{session_no:08d}"
            t += timedelta(minutes=float(rng.exponential(90)))
            event(t, "view", nxt, user, sess)
            if rng.random() < 0.9:
                t += timedelta(seconds=int(rng.integers(30, 300)))
                event(t, "cart", nxt, user, sess)
            t += timedelta(seconds=int(rng.integers(30, 600)))
            event(t, "purchase", nxt, user, sess)
            last = nxt
    rows.sort(key=lambda r: r[0])
    return [r for _, r in rows]


def write_events(path: Path, n_users: int = 3000, seed: int = SEED) -> int:
    """Write REES46-format CSV (gzip if the name ends in .gz); returns the number of events."""
    rows = generate_events(n_users, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return len(rows)
