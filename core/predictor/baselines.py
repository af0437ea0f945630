"""The honest yardsticks shown beside the model, in the same cutoff framing: majority class,
repeat-last purchase, most-browsed category in the 30 days before the cutoff, first-order Markov.

Each is fitted on the training examples only and kept as plain JSON in the model's meta, so
`evaluate` on new events compares against exactly the baselines the model was trained beside.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

BASELINES = ("majority", "last_category", "markov", "recent_browsing")


def fit_baselines(last: np.ndarray, target: np.ndarray) -> dict:
    """JSON-ready state: the majority class and the most frequent next category after each one."""
    majority = Counter(target.tolist()).most_common(1)[0][0]
    pairs: dict[str, Counter] = defaultdict(Counter)
    for prev, nxt in zip(last.tolist(), target.tolist(), strict=True):
        pairs[prev][nxt] += 1
    # ties go to the globally more frequent class, then alphabetically, so the table is deterministic
    order = Counter(target.tolist())
    markov = {prev: max(c, key=lambda k, c=c: (c[k], order[k], k)) for prev, c in sorted(pairs.items())}
    return {"majority": majority, "markov": markov}


def predict_baselines(
    state: dict, last: np.ndarray, browsed: np.ndarray, categories: list[str], classes: list[str]
) -> dict[str, np.ndarray]:
    """Each baseline's predicted category per row; unknown categories fall back to the majority.

    `browsed` is (rows, categories): views + carts per category in the 30 days before the cutoff.
    """
    majority = state["majority"]
    known = set(classes)
    last_list = last.tolist()
    top = (
        np.array(categories, dtype=object)[browsed.argmax(axis=1)]
        if len(browsed)
        else np.array([], dtype=object)
    )
    some = browsed.sum(axis=1) > 0 if len(browsed) else np.array([], dtype=bool)
    return {
        "majority": np.array([majority] * len(last_list), dtype=object),
        "last_category": np.array([p if p in known else majority for p in last_list], dtype=object),
        "markov": np.array([state["markov"].get(p, majority) for p in last_list], dtype=object),
        "recent_browsing": np.array(
            [t if s and t in known else majority for t, s in zip(top, some, strict=True)], dtype=object
        ),
    }
