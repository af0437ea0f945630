"""A deterministic Reddit-style demo corpus with planted trends of known onset.

Six months of weekly posts across fashion subreddits. A few terms are planted to rise from a
known week, a few to fall, and a few stay flat, so the analyzer can be checked against truth.
A sprinkling of noise (AutoModerator, deleted/removed, duplicates, links, markdown) exercises
the cleaning steps.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

SEED = 20261124
END = datetime(2026, 10, 31, tzinfo=UTC)
WEEKS = 26
START = END - timedelta(weeks=WEEKS)
SUBREDDITS = ["femalefashionadvice", "malefashionadvice", "streetwear", "OUTFITS", "fashion"]

# term -> (kind, onset week or None, per-post mention probability before, after)
PLANTED: dict[str, tuple[str, int | None, float, float]] = {
    "butter yellow": ("rising", 14, 0.006, 0.16),
    "gorpcore": ("rising", 16, 0.004, 0.14),
    "suede": ("rising", 12, 0.010, 0.12),
    "neon green": ("falling", 10, 0.12, 0.015),
    "y2k": ("falling", 12, 0.11, 0.02),
    "black": ("flat", None, 0.10, 0.10),
    "navy": ("flat", None, 0.07, 0.07),
    "denim": ("flat", None, 0.09, 0.09),
    "minimalist": ("flat", None, 0.06, 0.06),
}
BACKGROUND_TERMS = {
    "colors": [
        "sage green",
        "cream",
        "burgundy",
        "olive",
        "camel",
        "charcoal",
        "ivory",
        "chocolate brown",
        "dusty pink",
        "cobalt blue",
        "rust",
        "white",
        "grey",
    ],
    "styles": [
        "streetwear",
        "business casual",
        "athleisure",
        "preppy",
        "vintage",
        "boho",
        "old money",
        "workwear",
    ],
    "materials": ["linen", "wool", "leather", "cotton", "cashmere", "corduroy", "silk"],
    "patterns": ["stripes", "plaid", "floral", "houndstooth", "polka dots"],
    "lighting": ["golden hour", "natural light", "soft window light", "studio lighting"],
    "environments": ["cafe", "city street", "beach", "park", "studio", "loft"],
}
GARMENTS = [
    "jacket",
    "sneakers",
    "dress",
    "trousers",
    "cardigan",
    "coat",
    "boots",
    "skirt",
    "shirt",
    "knit sweater",
    "loafers",
    "tote bag",
    "jeans",
    "blazer",
    "hoodie",
]
TITLE_TEMPLATES = [
    "WAYWT: {a} {g} with {b} {g2}",
    "Thoughts on this {a} {g}?",
    "Finally found the perfect {a} {g}",
    "{A} {g} for fall - how would you style it?",
    "Outfit check: {a} and {b}",
    "Is {a} still a thing this season?",
    "My {a} {g} haul",
    "Help me style {a} {g2}",
]
TEXT_TEMPLATES = [
    "Paired the {g} with {b} {g2}. Shot it in {light} at the {env}.",
    "Been wearing a lot of {a} lately, mostly {mat}. Thoughts?",
    "I love how {a} looks with {b}. The {pat} detail makes it.",
    "Picked this up second hand. {Mat} feels great, colour is {a}.",
    "Any tips for styling {a} with {b}? Photo was taken in {light}.",
]
COMMENT_TEMPLATES = [
    "Love the {a}!",
    "The {g} fits you really well.",
    "Where is the {g} from?",
    "{A} is so good right now.",
    "Great fit, the {b} works.",
    "I'd try it with {b} {g2}.",
]


def _week_prob(kind: str, onset: int | None, before: float, after: float, week: int) -> float:
    if onset is None:
        return before
    if kind == "rising":
        # ramp up over three weeks after onset so first_seen is well defined
        return before if week < onset else before + (after - before) * min(1.0, (week - onset + 1) / 3)
    return before if week < onset else after


def generate_posts(seed: int = SEED, posts_per_week: int = 110) -> list[dict]:
    """The demo corpus as Reddit-API-like dicts with the canonical Post fields."""
    rng = np.random.default_rng(seed)
    posts: list[dict] = []
    pid = 0
    for week in range(WEEKS):
        week_start = START + timedelta(weeks=week)
        n = int(posts_per_week + rng.integers(-10, 11))
        for _ in range(n):
            pid += 1
            planted = [
                t
                for t, (kind, onset, b, a) in PLANTED.items()
                if rng.random() < _week_prob(kind, onset, b, a, week)
            ]
            pick = {k: str(rng.choice(v)) for k, v in BACKGROUND_TERMS.items()}
            terms = planted + [pick["colors"]] if rng.random() < 0.6 else planted or [pick["colors"]]
            a = terms[0]
            b = terms[1] if len(terms) > 1 else pick["materials"]
            fill = {
                "a": a,
                "A": a.capitalize(),
                "b": b,
                "g": str(rng.choice(GARMENTS)),
                "g2": str(rng.choice(GARMENTS)),
                "light": pick["lighting"],
                "env": pick["environments"],
                "mat": pick["materials"],
                "Mat": pick["materials"].capitalize(),
                "pat": pick["patterns"],
            }
            title = str(rng.choice(TITLE_TEMPLATES)).format(**fill)
            text = " ".join(str(t).format(**fill) for t in rng.choice(TEXT_TEMPLATES, size=2, replace=False))
            extra = [t for t in terms[2:]]
            if extra:
                text += " Also into " + ", ".join(extra) + "."
            if rng.random() < 0.25:
                pick2 = str(rng.choice(BACKGROUND_TERMS["styles"]))
                text += f" Going for a {pick2} vibe."
            if rng.random() < 0.1:
                text += f" More pics: https://i.imgur.com/demo{pid}.jpg"
            if rng.random() < 0.1:
                text = f"**Edit:** {text}"
            n_comments = int(rng.integers(0, 4))
            comments = [str(rng.choice(COMMENT_TEMPLATES)).format(**fill) for _ in range(n_comments)]
            created = week_start + timedelta(seconds=int(rng.integers(0, 7 * 86400)))
            sub = str(rng.choice(SUBREDDITS))
            score = int(rng.lognormal(3.0, 1.2))
            posts.append(
                {
                    "id": f"demo{pid:05d}",
                    "subreddit": sub,
                    "title": title,
                    "text": text,
                    "score": score,
                    "num_comments": n_comments + int(rng.integers(0, 20)),
                    "created_utc": int(created.timestamp()),
                    "comments": comments,
                    "url": f"https://www.reddit.com/r/{sub}/comments/demo{pid:05d}/",
                    "author": f"user{int(rng.integers(1, 900))}",
                }
            )
    # noise the cleaner must remove or survive
    t0 = int(START.timestamp()) + 3600
    posts.append(dict(posts[5]))  # exact duplicate
    posts.append(
        {
            "id": "demo_mod",
            "subreddit": "fashion",
            "title": "Weekly thread: ask anything",
            "text": "I am a bot, and this action was performed automatically.",
            "score": 1,
            "num_comments": 0,
            "created_utc": t0,
            "comments": [],
            "url": "",
            "author": "AutoModerator",
        }
    )
    posts.append(
        {
            "id": "demo_del",
            "subreddit": "fashion",
            "title": "[deleted]",
            "text": "[removed]",
            "score": 0,
            "num_comments": 0,
            "created_utc": t0,
            "comments": [],
            "url": "",
            "author": "[deleted]",
        }
    )
    posts.sort(key=lambda p: p["created_utc"])
    return posts


def write_posts(path: Path, seed: int = SEED) -> int:
    """Write the corpus as NDJSON; returns the number of lines."""
    posts = generate_posts(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for post in posts:
            fh.write(json.dumps(post, ensure_ascii=False) + "\n")
    return len(posts)


def planted_truth() -> dict[str, dict]:
    """Which terms were planted, how, and from which week (ISO date), for tests."""
    return {
        term: {
            "kind": kind,
            "onset": (START + timedelta(weeks=onset)).date().isoformat() if onset is not None else None,
        }
        for term, (kind, onset, _b, _a) in PLANTED.items()
    }
