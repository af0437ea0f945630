"""Word-sense precision and recall of the trend matcher, on hand-labelled text, for every reported category.

* tests/data/sense_sample.csv: occurrences of lexicon words (colours, styles, materials, patterns, lighting,
  settings, brands), each labelled right/wrong sense by reading it (see tests/data/SENSE_SAMPLE.md). Rows
  from ../shared/data/reddit are re-found in their post (source "reddit"); rows from the demo corpus carry
  their post text in `snippet` (source "demo"). Each is run through the analyzer's matcher and sense rules:
  precision = right among those counted, per category (target >= 0.9 in each, on >= 40 counted);
  sample recall = counted among the right ones.
* tests/data/genuine_mentions.csv: a second set of genuine mentions; recall = found (target >= 0.8).

Prints one JSON object. Usage, from the repository root: python -m benchmarks.sense_precision
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from core.trends.lexicon import REPORTED, load_lexicon, phrase_key
from core.trends.sense import prepare_text, rules_for, sense_of
from core.trends.sources import load_posts

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PRECISION = 0.9
RECALL = 0.8
MIN_COUNTED = 40


def reddit_folder() -> Path | None:
    """../shared/data/reddit beside the checkout (or its parent), or None."""
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "data" / "reddit"
        if folder.is_dir():
            return folder
    return None


def _counted(text: str) -> dict[int, tuple[str, str]]:
    """Start offset -> (category, term) of every occurrence the matcher and sense rules count."""
    lexicon = load_lexicon()
    table = lexicon.term_table()[0]
    big, orig = prepare_text(text)
    found = [(m.start(), lexicon.phrase_ids[phrase_key(m.group())]) for m in lexicon.regex.finditer(big)]
    hits = np.asarray(found, dtype=np.int64).reshape(-1, 2)
    keep, _ambiguous = rules_for(lexicon).filter(big, orig, hits)
    return {int(p): table[int(t)] for (p, t), k in zip(hits, keep, strict=True) if k}


def sample_scores(folder: Path) -> dict:
    """Per category: labelled/right/counted/precision/recall over the labelled occurrences."""
    posts = {p.id: p for p in load_posts(sorted(folder.glob("*.csv"))).posts}
    counted_at: dict[str, dict[int, tuple[str, str]]] = {}
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with open(DATA / "sense_sample.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        key = f"{row['source']}:{row['post']}"
        if key not in counted_at:
            if row["source"] == "demo":
                text = row["snippet"]
            else:
                post = posts[row["post"]]
                text = f"{post.title}\n{post.text}"
            counted_at[key] = _counted(text)
        counted = counted_at[key].get(int(row["start"]), ("", ""))[0] == row["category"]
        right = row["label"] == "right"
        cell = tally[row["category"]]
        cell["labelled"] += 1
        cell["right"] += right
        cell["counted"] += counted
        cell["counted_right"] += counted and right
    out = {}
    for category in REPORTED:
        cell = tally[category]
        out[category] = {
            **cell,
            "precision": round(cell["counted_right"] / max(cell["counted"], 1), 3),
            "precision_without_sense_rules": round(cell["right"] / max(cell["labelled"], 1), 3),
            "recall_in_sample": round(cell["counted_right"] / max(cell["right"], 1), 3),
        }
    return out


def genuine_recall() -> dict:
    """Share of the genuine mentions found with the right term, overall and per category."""
    lexicon = load_lexicon()
    with open(DATA / "genuine_mentions.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    missed = [r for r in rows if (r["category"], r["term"]) not in sense_of(lexicon, r["text"])]
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        per[r["category"]][0] += 1
    for r in missed:
        per[r["category"]][1] += 1
    return {
        "mentions": len(rows),
        "found": len(rows) - len(missed),
        "recall": round(1 - len(missed) / len(rows), 3),
        "per_category": {c: round(1 - m / n, 3) for c, (n, m) in sorted(per.items())},
        "missed": [f"{r['category']}/{r['term']}: {r['text']}" for r in missed],
    }


def meets_targets(scores: dict, recall: dict) -> bool:
    """Every category: precision >= 0.9 on >= 40 counted occurrences; recall on genuine mentions >= 0.8."""
    return (
        bool(scores)
        and all(scores[c]["precision"] >= PRECISION and scores[c]["counted"] >= MIN_COUNTED for c in REPORTED)
        and recall["recall"] >= RECALL
    )


def main() -> None:
    folder = reddit_folder()
    scores = sample_scores(folder) if folder else {}
    recall = genuine_recall()
    print(
        json.dumps(
            {
                "benchmark": "trend word sense (hand-labelled occurrences, every reported category)",
                "sample": scores or "../shared/data/reddit not found",
                "genuine_mentions": recall,
                "targets": {"precision": PRECISION, "min_counted": MIN_COUNTED, "recall": RECALL},
                "meets_targets": meets_targets(scores, recall),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
