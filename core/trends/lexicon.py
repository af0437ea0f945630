"""Fashion vocabularies from config/lexicon/ and one fast phrase matcher over all of them.

Every synonym, alias and plural maps onto a canonical term, and all phrases are compiled into a
single trie-shaped regular expression, so matching a whole chunk of posts is one C-level scan
(longest phrase wins: "butter yellow" beats "yellow", "studio lighting" beats "studio").
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core import PROJECT_ROOT
from core.errors import ConfigError

LEXICON_DIR = PROJECT_ROOT / "config" / "lexicon"
CATEGORIES = ("colors", "styles", "materials", "patterns", "lighting", "environments")
"""The trend report's term categories, in display order: the one list every analyzer, chart and panel uses."""
BRANDS = "brands"
REPORTED = (*CATEGORIES, BRANDS)
"""CATEGORIES plus brands (names.toml [brands]): what the offline analyzer ranks and the charts show; an LLM
reports the trend categories only, so comparisons stay on CATEGORIES."""
_TERM_TABLES = ("styles", "materials", "patterns", "lighting", "environments")  # read from terms.toml
NAMES = "names"
"""The hidden kind of names.toml [names]: matched (so they consume their words), never reported."""
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_SEPARATORS = ("-", "_", "/", "\n", "\t", "\r", "\f", "\v", "\xa0")


def fold(text: str) -> str:
    """Lower-case with hyphens, underscores, slashes and line breaks read as spaces (no collapsing:
    the matcher accepts runs of spaces). Chained `str.replace` is several times faster than a regex."""
    text = text.lower()
    for ch in _SEPARATORS:
        if ch in text:
            text = text.replace(ch, " ")
    return text


def normalise(text: str) -> str:
    """`fold` plus Unicode NFKC and single spaces: the canonical form of phrases and short texts."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(fold(text).split())


def phrase_key(matched: str) -> str:
    """The canonical phrase for a regex match (matches may span runs of spaces)."""
    return matched if "  " not in matched else " ".join(matched.split())


@dataclass(frozen=True)
class Lexicon:
    """Term vocabularies (canonical term -> synonyms) plus colour hexes and a compiled matcher."""

    colors: dict[str, str]
    styles: dict[str, list[str]]
    materials: dict[str, list[str]]
    patterns: dict[str, list[str]]
    lighting: dict[str, list[str]]
    environments: dict[str, list[str]]
    color_aliases: dict[str, str] = field(default_factory=dict)
    brands: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    """Events, products and garments whose names contain a trend word (names.toml [names])."""
    color_nouns: frozenset[str] = frozenset()
    """Colour names that are also everyday nouns ("sand", "cream"): colours only in a colour context."""
    heads: frozenset[str] = frozenset()
    """Garment and shopping nouns that make a setting or light word in front of them a modifier."""
    garments: frozenset[str] = frozenset()
    """The garment nouns among `heads` (and words for the whole look): they mark a fashion context."""
    everyday: frozenset[str] = frozenset()
    """Style, material and pattern words that also name something else ("designer", "jersey"): trend words
    only in a fashion context."""
    phrases: dict[str, tuple[str, str]] = field(init=False, repr=False)
    """Every matchable phrase (normalised, plurals included) -> (category, canonical term)."""
    regex: re.Pattern[str] = field(init=False, repr=False)
    phrase_ids: dict[str, int] = field(init=False, repr=False)
    """Every matchable phrase -> the index of its (category, term) in `term_table()`."""

    def __post_init__(self) -> None:
        phrases: dict[str, tuple[str, str]] = {}

        def add(phrase: str, category: str, term: str) -> None:
            key = normalise(phrase)
            if not key:
                return
            owner = phrases.get(key)
            if owner and owner != (category, term):
                raise ConfigError(
                    f"lexicon phrase {key!r} is listed under both {owner} and {(category, term)}; "
                    "keep each phrase in one place in config/lexicon/"
                )
            phrases[key] = (category, term)

        for name in self.colors:
            add(name, "colors", name)
        for alias, name in self.color_aliases.items():
            if name not in self.colors:
                raise ConfigError(f"colour alias {alias!r} points at unknown colour {name!r}")
            add(alias, "colors", name)
        for category in (*REPORTED[1:], NAMES):
            for term, synonyms in getattr(self, category).items():
                add(term, category, term)
                for synonym in synonyms:
                    add(synonym, category, term)
        for key, owner in list(phrases.items()):
            if not key.endswith("s") and key + "s" not in phrases:
                phrases[key + "s"] = owner
        object.__setattr__(self, "phrases", phrases)
        object.__setattr__(self, "regex", re.compile(r"(?<!\w)" + _trie_regex(phrases) + r"(?!\w)"))
        object.__setattr__(self, "phrase_ids", self.term_table()[1])

    def term_table(self) -> tuple[list[tuple[str, str]], dict[str, int]]:
        """All (category, term) pairs in a fixed order, and every matchable phrase -> its index there."""
        terms = [(c, t) for c in (*REPORTED, NAMES) for t in self.terms(c)]
        index = {term: i for i, term in enumerate(terms)}
        return terms, {phrase: index[owner] for phrase, owner in self.phrases.items()}

    def match(self, text: str) -> list[tuple[int, int]]:
        """(position, term index) of every phrase in already folded text (names included: the
        caller drops them, see `is_reported`; core/trends/sense.py reads each hit in its sense)."""
        ids = self.phrase_ids
        return [(m.start(), ids[phrase_key(m.group())]) for m in self.regex.finditer(text)]

    def is_reported(self) -> list[bool]:
        """Per `term_table()` entry: False for hidden names, which only consume their words."""
        return [c != NAMES for c, _t in self.term_table()[0]]

    def terms(self, category: str) -> list[str]:
        """Canonical terms of one category, in config order."""
        return list(getattr(self, category))


def _trie_regex(words: dict[str, object]) -> str:
    """A regex alternation shaped as a trie: shared prefixes are tested once, longest match first."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends_here = "" in node
        branches = [
            (" +" if ch == " " else re.escape(ch)) + build(child) for ch, child in sorted(node.items()) if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            return f"(?:{body})?"
        return body

    return build(trie)


def _read(path: Path) -> dict:
    if not path.is_file():
        raise ConfigError(f"{path} is missing; restore config/lexicon/ from the repository")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name} is not valid TOML ({exc}); fix it") from exc


def _terms_table(data: dict, category: str) -> dict[str, list[str]]:
    table = data.get(category)
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"config/lexicon/terms.toml needs a non-empty [{category}] table")
    out: dict[str, list[str]] = {}
    for term, synonyms in table.items():
        if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
            raise ConfigError(f"[{category}] {term!r} must map to a list of synonym strings")
        out[normalise(term)] = [normalise(s) for s in synonyms]
    return out


def load_lexicon(directory: Path | str | None = None) -> Lexicon:
    """The vocabularies in `directory` (default config/lexicon/), validated and compiled once."""
    return _load(str(Path(directory) if directory else LEXICON_DIR))


@lru_cache(maxsize=4)
def _load(directory: str) -> Lexicon:
    base = Path(directory)
    colors_file = _read(base / "colors.toml")
    terms_file = _read(base / "terms.toml")
    names_file = _read(base / "names.toml") if (base / "names.toml").is_file() else {}
    colors: dict[str, str] = {}
    for name, hex_value in (colors_file.get("colors") or {}).items():
        if not isinstance(hex_value, str) or not _HEX.match(hex_value):
            raise ConfigError(f"colour {name!r} in colors.toml needs a #rrggbb hex, got {hex_value!r}")
        colors[normalise(name)] = hex_value.lower()
    if not colors:
        raise ConfigError("config/lexicon/colors.toml needs a non-empty [colors] table")
    garments = _words(names_file, "heads", "garments")
    aliases = {normalise(k): normalise(v) for k, v in (colors_file.get("aliases") or {}).items()}
    return Lexicon(
        colors=colors,
        color_aliases=aliases,
        **{category: _terms_table(terms_file, category) for category in _TERM_TABLES},
        brands=_optional_table(names_file, "brands"),
        names=_optional_table(names_file, NAMES),
        heads=garments | _words(names_file, "heads", "other"),
        garments=garments,
        everyday=_words(terms_file, "everyday", "words"),
        color_nouns=_words(colors_file, "nouns", "words"),
    )


def _words(data: dict, table: str, key: str) -> frozenset[str]:
    """A normalised word list (`[table] key = [...]`), empty when absent."""
    words = (data.get(table) or {}).get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ConfigError(f"[{table}] {key} in config/lexicon/ must be a list of strings")
    return frozenset(normalise(w) for w in words)


def _optional_table(data: dict, category: str) -> dict[str, list[str]]:
    return _terms_table(data, category) if data.get(category) else {}


@lru_cache(maxsize=4)
def match_terms(text: str, directory: str | None = None) -> list[tuple[int, int]]:
    """(position, term index) of every phrase in already folded text; runs in worker processes too."""
    return load_lexicon(directory).match(text)
