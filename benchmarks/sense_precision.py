"""Word-sense precision and recall of the trend matcher, on hand-labelled real Reddit text.

* tests/data/sense_sample.csv: 250 occurrences of lexicon words (lighting, settings, colours, brands)
  in ../shared/data/reddit, each labelled right/wrong sense by reading it (see tests/data/SENSE_SAMPLE.md).
  Each is re-found in its post and run through the analyzer's matcher and sense rules: precision =
  right among those counted, per category (targets: >= 0.9 for colours and settings; lighting is rare,
  reported with its count); sample recall = counted among the right ones.
* tests/data/genuine_mentions.csv: a second set of genuine mentions; recall = found (target >= 0.8).

Prints one JSON object. Usage, from the repository root: python -m benchmarks.sense_precision
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from core.trends.lexicon import load_lexicon, phrase_key
from core.trends.sense import prepare_text, rules_for, sense_of
from core.trends.sources import load_posts

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
TARGETS = {"colors": 0.9, "environments": 0.9}


def _reddit_dir() -> Path | None:
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "data" / "reddit"
        if folder.is_dir():
            return folder
    return None


def sample_scores(folder: Path) -> dict:
    """Per category: counted/right/precision/recall over the labelled occurrences."""
    lexicon = load_lexicon()
    rules = rules_for(lexicon)
    posts = {p.id: p for p in load_posts(sorted(folder.glob("*.csv"))).posts}
    counted_at: dict[str, dict[int, tuple[str, str]]] = {}
    table = lexicon.term_table()[0]
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with open(DATA / "sense_sample.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["post"] not in counted_at:
            post = posts[row["post"]]
            big, orig = prepare_text(f"{post.title}\n{post.text}")
            found = [
                (m.start(), lexicon.phrase_ids[phrase_key(m.group())]) for m in lexicon.regex.finditer(big)
            ]
            hits = np.asarray(found, dtype=np.int64).reshape(-1, 2)
            keep, _ambiguous = rules.filter(big, orig, hits)
            counted_at[row["post"]] = {
                int(p): table[int(t)] for (p, t), k in zip(hits, keep, strict=True) if k
            }
        counted = counted_at[row["post"]].get(int(row["start"]), ("", ""))[0] == row["category"]
        right = row["label"] == "right"
        cell = tally[row["category"]]
        cell["labelled"] += 1
        cell["right"] += right
        cell["counted"] += counted
        cell["counted_right"] += counted and right
    out = {}
    for category, cell in sorted(tally.items()):
        out[category] = {
            **cell,
            "precision": round(cell["counted_right"] / max(cell["counted"], 1), 3),
            "precision_without_sense_rules": round(cell["right"] / max(cell["labelled"], 1), 3),
            "recall_in_sample": round(cell["counted_right"] / max(cell["right"], 1), 3),
        }
    return out


def genuine_recall() -> dict:
    lexicon = load_lexicon()
    with open(DATA / "genuine_mentions.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    missed = [r["text"] for r in rows if (r["category"], r["term"]) not in sense_of(lexicon, r["text"])]
    return {
        "mentions": len(rows),
        "found": len(rows) - len(missed),
        "recall": round(1 - len(missed) / len(rows), 3),
        "missed": missed,
    }


def main() -> None:
    folder = _reddit_dir()
    scores = sample_scores(folder) if folder else {}
    recall = genuine_recall()
    meets = (
        all(scores.get(c, {}).get("precision", 0) >= t for c, t in TARGETS.items())
        and recall["recall"] >= 0.8
    )
    print(
        json.dumps(
            {
                "benchmark": "trend word sense (hand-labelled real Reddit occurrences)",
                "sample": scores or "../shared/data/reddit not found",
                "genuine_mentions": recall,
                "targets": {"precision": TARGETS, "recall": 0.8},
                "meets_targets": bool(scores) and meets,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
