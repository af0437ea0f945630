"""Topics of the analysed posts: TF-IDF + NMF on a bounded sample of documents."""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from core.trends.report import Topic

# chat filler that says nothing about what people wear or photograph
_FILLER = {
    "just",
    "like",
    "im",
    "dont",
    "does",
    "know",
    "really",
    "think",
    "thoughts",
    "help",
    "need",
    "want",
    "looking",
    "good",
    "great",
    "love",
    "thanks",
    "thank",
    "new",
    "got",
    "get",
    "way",
    "make",
    "anyone",
    "edit",
    "https",
    "http",
    "www",
    "com",
    "imgur",
    "reddit",
    "ive",
    "youre",
    "thats",
    "did",
    "doesnt",
    "lot",
    "lately",
    "mostly",
    "actually",
    "pretty",
    "feel",
    "feels",
    "tips",
    "finally",
    "found",
}
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | _FILLER)


def find_topics(docs: list[str], n_topics: int, *, n_terms: int = 8, seed: int = 0) -> list[Topic]:
    """Up to `n_topics` topics, each labelled by its top terms, with its share of documents."""
    if len(docs) < max(20, 3 * n_topics) or n_topics < 1:
        return []
    vectorizer = TfidfVectorizer(
        stop_words=STOP_WORDS,
        ngram_range=(1, 2),
        min_df=3,
        max_df=0.4,
        max_features=2000,
        token_pattern=r"(?u)\b[a-z][a-z0-9]{2,}\b",
    )
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # every word was a stop word or too rare
        return []
    k = min(n_topics, matrix.shape[1] - 1, matrix.shape[0] - 1)
    if k < 1:
        return []
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=400)
    weights = model.fit_transform(matrix)
    vocab = vectorizer.get_feature_names_out()
    assigned = weights.argmax(axis=1)[weights.max(axis=1) > 0]
    counts = np.bincount(assigned, minlength=k)
    total = max(int(counts.sum()), 1)
    topics = []
    for index in np.argsort(-counts):
        if counts[index] == 0:
            continue
        top = [str(vocab[i]) for i in np.argsort(-model.components_[index])[:n_terms]]
        topics.append(Topic(label=" · ".join(top[:3]), terms=top, share=float(counts[index] / total)))
    return topics
