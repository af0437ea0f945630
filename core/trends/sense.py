"""Word sense: a matched trend word counts only when it is used in that sense.

Names that merely contain a trend word are handled in two ways:

* listed names (config/lexicon/names.toml: brands, events, garments named after places) are lexicon
  phrases of their own kind, so the longest-match scan consumes their words ("Old Navy" never reaches
  the colour navy);
* general rules catch the names nobody listed, from the text itself:
  - a setting or light word directly in front of a garment or shopping noun is a modifier, not a
    setting ("field jacket", "snow boots", "flash drive");
  - a colour, style, material, pattern, setting or light word that opens a capitalised multi-word name
    in running text ("Red Rocks", "Black Market", "Lace Affair") is part of that name, and so is a
    colour, style, material or pattern word that closes one ("Ice Cream", "Fresh Cotton", "Gitman
    Vintage"; a capitalised setting word after a name is a place: "Central Park"). Title-cased lines
    (headlines where every word is capitalised) are exempt: there capitals say nothing;
  - words with an everyday sense count only in a context of their trend sense: colour nouns ("sand",
    "cream") next to a garment, material, pattern or colour word; style, material and pattern words that
    also name a person, a garment or a scent ("designer", "mods", "jersey", "floral": terms.toml
    [everyday]) in front of a garment, or near a garment, style, pattern or fashion word (styles,
    patterns) or near another material or a cloth word (materials: "cotton jersey", "jersey fabric");
    single-word settings after a place preposition or before a photo noun;
  - a material is a mass noun: its plural names things made of it ("laces", "jerseys", "chinos"), not
    the material; and a word after "non-" is negated ("non-designer").

Hits dropped by the general rules are returned as *ambiguous*, so the analyzer can also demote a term
most of whose occurrences are such names (`AMBIGUOUS_SHARE`).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from core.trends.lexicon import NAMES, Lexicon, fold, normalise, phrase_key

NAME_SENSITIVE = ("colors", "styles", "materials", "patterns", "lighting", "environments")
"""Categories whose words often sit inside names (every reported one but brands, which are names)."""
NAME_TAIL_SENSITIVE = ("colors", "styles", "materials", "patterns")
"""Categories whose words also end names ("Ice Cream"); a setting word there is a place ("Hyde Park")."""
FASHION = ("styles", "materials", "patterns")
"""Categories whose everyday words (terms.toml [everyday]) need a fashion context."""
MASS_NOUNS = ("materials",)
"""Categories of mass nouns: a plural the lexicon does not list names objects ("laces", "jerseys")."""
MODIFIER_SENSITIVE = ("lighting", "environments")
"""Categories whose words in front of a garment noun are modifiers ("desert boots"); colours in front
of a garment are genuine ("a navy blazer")."""
CONTEXT_SENSITIVE = ("environments",)
"""Categories whose single words are everyday nouns ("office", "field", "street", "library"): they
count as a setting only in a setting context (see `_in_setting_context`)."""
LOCATIVES = frozenset(
    {
        "in",
        "at",
        "on",
        "inside",
        "outside",
        "near",
        "around",
        "into",
        "onto",
        "to",
        "from",
        "for",
        "across",
        "along",
        "beside",
        "behind",
        "under",
    }
)
PHOTO_NOUNS = frozenset(
    {
        "shoot",
        "shoots",
        "photoshoot",
        "backdrop",
        "background",
        "setting",
        "photo",
        "photos",
        "pic",
        "pics",
        "picture",
        "pictures",
        "selfie",
        "selfies",
        "shot",
        "shots",
    }
)
COLOUR_WORDS = frozenset(
    {
        "colour",
        "color",
        "colours",
        "colors",
        "coloured",
        "colored",
        "tone",
        "tones",
        "toned",
        "shade",
        "shades",
        "hue",
        "hues",
        "palette",
        "undertone",
        "undertones",
        "hair",
        "skin",
        "eyes",
        "lips",
        "nails",
    }
)
FASHION_WORDS = frozenset(
    {"wear", "wears", "wearing", "wore", "worn", "dressed", "dressing", "styled", "styling", "designed"}
    | {"couture", "runway", "menswear", "womenswear", "aesthetic", "vibe", "vibes", "detail", "details"}
)
"""Words (besides garments and style, material or pattern words) that put a style or pattern word in its
fashion sense ("the Mods wore parkas")."""
FABRIC_WORDS = frozenset(
    {"fabric", "fabrics", "cloth", "material", "materials", "weave", "woven", "blend", "blends", "yarn"}
    | {"made", "weight", "heavyweight", "midweight", "lightweight", "oz", "gsm"}
)
"""Words that put a material word in its sense of a cloth ("a jersey fabric", "made of jersey"): a garment
nearby does not, since the word may name the garment itself ("a vintage Lakers jersey")."""
PRINT_WORDS = frozenset({"print", "prints", "printed", "pattern", "patterns", "patterned", "motif", "motifs"})
"""Words that put a pattern word in its sense ("floral print"), as a colour does ("blue floral")."""
NAME_JOINERS = frozenset(
    {"the", "a", "an", "my", "your", "our", "his", "her", "their", "its", "this", "that", "these", "those"}
    | {"and", "or", "but", "of", "with", "so", "if", "when", "what", "some", "any", "no", "new"}
)
"""Capitalised words that start a sentence rather than a name ("The Mods wore...", "New Cream...")."""
AMBIGUOUS_SHARE = 0.5
"""A term whose occurrences are at least this often names or modifiers is not reported as a trend."""
_NEXT_WORD = re.compile(r" +([a-z0-9][a-z0-9']*)")
_ORIG_NEXT = re.compile(r"[ \t/]+([A-Z][a-z][A-Za-z'’]*)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]{3,}")
_TITLE_SHARE = 0.8
_WORDS = re.compile(r"[a-z0-9']+")
_SENTENCE_END = re.compile(r"[.!?]\s|\x00")
_ORIG_PREV = re.compile(r"([A-Z][a-z][A-Za-z'’]*) $")
_NEGATED = re.compile(r"(?<![a-z0-9'])non +$")


class SenseRules:
    """The sense filter for one lexicon (term categories resolved once)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        table = lexicon.term_table()[0]
        self.hidden = np.array([c == NAMES for c, _t in table], dtype=bool)
        self.name_sensitive = np.array([c in NAME_SENSITIVE for c, _t in table], dtype=bool)
        self.modifier_sensitive = np.array([c in MODIFIER_SENSITIVE for c, _t in table], dtype=bool)
        self.context_sensitive = np.array([c in CONTEXT_SENSITIVE for c, _t in table], dtype=bool)
        self.is_colour = np.array([c == "colors" for c, _t in table], dtype=bool)
        self.name_tail = np.array([c in NAME_TAIL_SENSITIVE for c, _t in table], dtype=bool)
        self.fashion = np.array([c in FASHION for c, _t in table], dtype=bool)

        def single(*categories: str) -> set[str]:
            return {p for p, (c, _t) in lexicon.phrases.items() if " " not in p and c in categories}

        self.colour_context = lexicon.heads | single("colors", "materials", "patterns") | COLOUR_WORDS
        fashion = lexicon.garments | (single(*FASHION) - lexicon.everyday) | FASHION_WORDS
        contexts = {
            "styles": fashion,
            "patterns": fashion | FABRIC_WORDS | PRINT_WORDS | single("colors"),
            "materials": (single("materials") - lexicon.everyday) | FABRIC_WORDS,
        }
        self.fashion_context = [contexts.get(c, frozenset()) for c, _t in table]
        listed = {
            normalise(p) for c in MASS_NOUNS for t, syn in getattr(lexicon, c).items() for p in (t, *syn)
        }
        self.object_plurals = {
            p
            for p, (c, _t) in lexicon.phrases.items()
            if c in MASS_NOUNS and p not in listed and p.endswith("s") and p[:-1] in listed
        }

    def filter(self, big: str, orig: str | None, hits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(keep, ambiguous) masks over `hits` ((position, term index) rows in folded text `big`).

        `orig` is the unfolded text at the same offsets (None when folding changed lengths: then only
        the modifier rule, which needs no capitals, applies)."""
        tids = hits[:, 1]
        keep = ~self.hidden[tids]
        ambiguous = np.zeros(len(hits), dtype=bool)
        candidates = np.flatnonzero(self.name_sensitive[tids])
        if not len(candidates):
            return keep, ambiguous
        regex, heads, garments = self.lexicon.regex, self.lexicon.heads, self.lexicon.garments
        title_lines: dict[int, bool] = {}
        for i in candidates:
            tid, pos = tids[i], int(hits[i, 0])
            end = regex.match(big, pos).end()
            after = _NEXT_WORD.match(big, end)
            next_word = after.group(1) if after else ""
            if _NEGATED.search(big, max(0, pos - 8), pos) or (
                self.name_tail[tid] and orig is not None and _closes_a_name(orig, pos, end, title_lines)
            ):
                ambiguous[i] = True  # "non-designer"; "Ice Cream", "Fresh Cotton"
                continue
            if next_word in heads and (next_word in garments or not self.fashion[tid]):
                if self.modifier_sensitive[tid]:
                    ambiguous[i] = True
                continue  # a colour, style or cloth in front of a garment is one; a setting there is not
            phrase = " ".join(big[pos:end].split())
            if (
                self.is_colour[tid]
                and not self._colour_sense(big, pos, end)
                or phrase in self.object_plurals
                or self.fashion[tid]
                and phrase in self.lexicon.everyday
                and not self._near(big, pos, end, self.fashion_context[tid])
            ):
                ambiguous[i] = True
                continue
            if (
                orig is not None
                and _opens_a_name(orig, pos, end, title_lines)
                or self.context_sensitive[tid]
                and not _in_setting_context(big, orig, pos, end, next_word)
            ):
                ambiguous[i] = True
        keep &= ~ambiguous
        return keep, ambiguous

    def _colour_sense(self, big: str, pos: int, end: int) -> bool:
        """A colour name that is also an everyday noun ("sand castle", "eye cream") needs a colour
        context: a garment, material, pattern or colour word (or "colour", "tone"...) next to it."""
        word = big[pos:end].strip()
        nouns = self.lexicon.color_nouns
        if word not in nouns and not (word.endswith("s") and word[:-1] in nouns):
            return True
        return self._near(big, pos, end, self.colour_context)

    @staticmethod
    def _near(big: str, pos: int, end: int, context: set[str] | frozenset[str]) -> bool:
        """One of the two words before or after the match, in the same sentence, is in `context`."""
        before = _SENTENCE_END.split(big[max(0, pos - 24) : pos])[-1]
        after = _SENTENCE_END.split(big[end : end + 24], 1)[0]
        around = _WORDS.findall(before)[-2:] + _WORDS.findall(after)[:2]
        return any(w in context for w in around)


def _opens_a_name(orig: str, pos: int, end: int, title_lines: dict[int, bool]) -> bool:
    """The word at `pos` is capitalised (not shouted) and the next word on the line is too."""
    first = orig[pos]
    if not first.isupper() or orig[pos:end].isupper():
        return False
    following = _ORIG_NEXT.match(orig, end)
    if following is None:
        return False
    return not _in_title_line(orig, pos, title_lines)


def _closes_a_name(orig: str, pos: int, end: int, title_lines: dict[int, bool]) -> bool:
    """The word at `pos` is capitalised (not shouted) after a capitalised word that is not a sentence's
    article or conjunction ("Ice Cream", "Fresh Cotton", but not "The Mods")."""
    if not orig[pos].isupper() or orig[pos:end].isupper():
        return False
    previous = _ORIG_PREV.search(orig, max(0, pos - 40), pos)
    if previous is None or previous.group(1).lower() in NAME_JOINERS:
        return False
    return not _in_title_line(orig, pos, title_lines)


def _in_title_line(orig: str, pos: int, title_lines: dict[int, bool]) -> bool:
    """The line holding `pos` is title-cased (3+ words, most capitalised): there capitals say nothing."""
    start = max(orig.rfind("\n", 0, pos), orig.rfind("\x00", 0, pos)) + 1
    if start not in title_lines:
        stop = min((i for i in (orig.find("\n", pos), orig.find("\x00", pos)) if i >= 0), default=len(orig))
        words = _WORD.findall(orig, start, stop)
        capitalised = sum(w[0].isupper() for w in words)
        title_lines[start] = len(words) >= 3 and capitalised >= _TITLE_SHARE * len(words)
    return title_lines[start]


def _in_setting_context(big: str, orig: str | None, pos: int, end: int, next_word: str) -> bool:
    """A setting word names a place where a photo could be taken: an explicit multi-word setting
    ("coffee shop"), a place preposition shortly before ("in the park", "at the office"), a photo noun
    after ("beach shoot"), or the head of a capitalised place name ("Central Park", "Ruhr museum")."""
    if " " in big[pos:end].strip() or next_word in PHOTO_NOUNS:
        return True
    before = big[max(0, pos - 48) : pos].replace("\x00", "\n").rsplit("\n", 1)[-1].split()[-4:]
    if LOCATIVES.intersection(before):
        return True
    if orig is None or orig[pos:end].isupper():
        return False
    previous = _ORIG_PREV.search(orig, max(0, pos - 40), pos)
    return previous is not None and _ORIG_NEXT.match(orig, end) is None


def prepare_text(text: str) -> tuple[str, str | None]:
    """(folded text for matching, original text at the same offsets or None)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    big = fold(text)
    return big, (text if len(big) == len(text) else None)


def sense_of(lexicon: Lexicon, text: str) -> list[tuple[str, str]]:
    """(category, canonical term) of every phrase in `text` used in its trend sense, in order."""
    big, orig = prepare_text(text)
    ids = lexicon.phrase_ids
    hits = np.asarray(
        [(m.start(), ids[phrase_key(m.group())]) for m in lexicon.regex.finditer(big)], dtype=np.int64
    ).reshape(-1, 2)
    keep, _ambiguous = rules_for(lexicon).filter(big, orig, hits)
    table = lexicon.term_table()[0]
    return [table[int(t)] for t in hits[keep, 1]]


_RULES: dict[int, SenseRules] = {}


def rules_for(lexicon: Lexicon) -> SenseRules:
    """The (cached) sense rules of a lexicon."""
    rules = _RULES.get(id(lexicon))
    if rules is None or rules.lexicon is not lexicon:
        rules = _RULES[id(lexicon)] = SenseRules(lexicon)
    return rules


_SUB_SUFFIXES = ("fashionadvice", "fashion", "advice", "style", "clothing", "porn", "addicts", "lovers")


def own_name_terms(lexicon: Lexicon, subreddit: str) -> np.ndarray:
    """Term indices that merely repeat a subreddit's own name ("streetwear" in r/streetwear, "raw denim"
    in r/rawdenim): in that subreddit every post is about it, so it says nothing about a trend."""
    name = subreddit.lower().removeprefix("r/").replace("_", "").replace("-", "")
    variants = {name, name.removesuffix("s"), name + "s"}
    variants |= {name.removesuffix(s) for s in _SUB_SUFFIXES if name.endswith(s) and len(name) > len(s) + 2}
    table = lexicon.term_table()[0]
    found = {tid for phrase, tid in lexicon.phrase_ids.items() if phrase.replace(" ", "") in variants}
    found |= {tid for tid, (_c, term) in enumerate(table) if term.replace(" ", "") in variants}
    return np.array(sorted(found), dtype=np.int64)
