import csv
import json
import subprocess
import sys
from collections import Counter, defaultdict

import numpy as np
from PIL import Image

from core import PROJECT_ROOT
from core.demo import write_demo_data
from core.demo.posts import generate_posts, planted_truth


def test_demo_data_cli_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        proc = subprocess.run(
            [sys.executable, "-m", "core", "demo-data", "--out", str(out)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(proc.stdout)["images"] == 6
    for name in ["posts.jsonl", "events.csv", "images/shoes.jpg", "masks/dress.png"]:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_planted_trends_rise_and_fall():
    posts = generate_posts()
    truth = planted_truth()
    times = np.array([p["created_utc"] for p in posts])
    mid = np.median(times)

    def rate(term, early):
        sel = [p for p, t in zip(posts, times, strict=True) if (t < mid) == early]
        return sum(term in (p["title"] + " " + p["text"]).lower() for p in sel) / len(sel)

    for term, info in truth.items():
        early, late = rate(term, True), rate(term, False)
        if info["kind"] == "rising":
            assert late > 4 * early, term
        elif info["kind"] == "falling":
            assert early > 3 * late, term
        else:
            assert 0.6 < late / early < 1.6, term
    span_days = (times.max() - times.min()) / 86400
    assert 170 < span_days < 190


def test_demo_events_schema_and_signal(tmp_path):
    write_demo_data(tmp_path)
    with open(tmp_path / "events.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
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
    assert rows[0]["event_time"].endswith(" UTC")
    assert {r["event_type"] for r in rows} == {"view", "cart", "purchase"}
    assert any(r["category_code"] == "" for r in rows) and any(r["brand"] == "" for r in rows)
    assert any(not r["category_code"].startswith("apparel") for r in rows)
    # the signal: the category viewed most since the previous purchase is usually the one bought,
    # far more often than the majority class would suggest
    views: dict[str, Counter] = defaultdict(Counter)
    hits = total = majority = 0
    for r in rows:
        code = r["category_code"]
        if not code.startswith("apparel."):
            continue
        cat = code.split(".")[1]
        if r["event_type"] == "view":
            views[r["user_id"]][cat] += 1
        elif r["event_type"] == "purchase" and r["user_id"] in views:
            total += 1
            hits += views.pop(r["user_id"]).most_common(1)[0][0] == cat
            majority += cat == "shoes"
    assert total > 5000 and hits / total > 0.7 and majority / total < 0.45


def test_demo_events_have_a_shop_funnel_and_old_versions_are_rewritten(tmp_path):
    """Like real logs, nearly every purchase comes minutes after a cart of the same category: the
    cutoff-framed predictor must not be able to lean on it (tests/unit/test_predictor_model.py)."""
    from core.demo import ensure_demo_data

    write_demo_data(tmp_path)
    with open(tmp_path / "events.csv", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["category_code"].startswith("apparel.")]
    last_cart: dict[tuple[str, str], str] = {}
    funnel = purchases = 0
    for r in rows:  # sorted by time
        key = (r["user_id"], r["category_code"].split(".")[1])
        if r["event_type"] == "cart":
            last_cart[key] = r["event_time"]
        elif r["event_type"] == "purchase":
            purchases += 1
            cart = last_cart.pop(key, None)
            funnel += cart is not None and cart[:10] == r["event_time"][:10]
    assert funnel > 0.8 * purchases
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["events"]["version"] = 1
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "events.csv").write_text("stale")
    ensure_demo_data(tmp_path)
    assert (tmp_path / "events.csv").read_text().startswith("event_time,")


def test_demo_images_have_exact_masks(demo_dir):
    for img_path in sorted((demo_dir / "images").glob("*.jpg")):
        img = Image.open(img_path)
        mask = Image.open(demo_dir / "masks" / f"{img_path.stem}.png")
        assert img.mode == "RGB" and mask.mode == "L" and img.size == mask.size == (1024, 1024)
        m = np.asarray(mask)
        coverage = (m > 127).mean()
        assert 0.05 < coverage < 0.6, img_path.name
        # product pixels differ from the background around them
        a = np.asarray(img, dtype=float)
        assert np.abs(a[m > 250].mean(0) - a[m < 5].mean(0)).sum() > 30


def test_demo_masks_keep_real_openings(demo_dir):
    def mask(name: str) -> np.ndarray:
        return np.asarray(Image.open(demo_dir / "masks" / f"{name}.png")) > 127

    jeans = mask("jeans")
    assert (
        not jeans[700, 490:530].any() and jeans[700, 350].any() and jeans[700, 650].any()
    )  # between the legs
    import cv2

    for name in ("dress", "jacket"):  # strap loops, a bent sleeve: paper enclosed by the product
        holes = 1 - mask(name).astype(np.uint8)
        n, _, stats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
        assert n >= 3 and stats[1:, cv2.CC_STAT_AREA].min() > 200, name
    photo = np.asarray(Image.open(demo_dir / "images" / "dress.jpg").convert("L"), dtype=float)
    assert photo[mask("dress")].std() > 8  # shaded and textured, not a flat colour


def test_demo_photos_are_the_committed_renders(demo_dir):
    """The demo copies the rendered photos (no renderer at run time); each is small, and shaded like
    a lit object: the standing sneaker spans a real range from shadow to highlight, a flat-lay's
    folds and seams still vary its brightness (a flat colour spans a few levels)."""
    from core.demo.images import CATEGORIES, PHOTOS

    total = 0
    for category in CATEGORIES:
        photo = PHOTOS / f"{category}.jpg"
        total += photo.stat().st_size + (PHOTOS / f"{category}.png").stat().st_size
        assert (demo_dir / "images" / f"{category}.jpg").read_bytes() == photo.read_bytes()
        grey = np.asarray(Image.open(photo).convert("L"), dtype=float)
        inside = np.asarray(Image.open(PHOTOS / f"{category}.png")) > 250
        lo, hi = np.percentile(grey[inside], [5, 95])
        assert hi - lo > (40 if category == "shoes" else 10), category
    assert total < 2_000_000
