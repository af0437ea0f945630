import re

import pytest

from core.errors import ConfigError
from core.trends.lexicon import CATEGORIES, load_lexicon, normalise
from core.trends.sense import sense_of


def test_lexicon_has_enough_colours_with_valid_hex_and_multiword_names():
    lex = load_lexicon()
    assert len(lex.colors) >= 150
    assert all(re.fullmatch(r"#[0-9a-f]{6}", h) for h in lex.colors.values())
    multi = [name for name in lex.colors if " " in name]
    assert len(multi) >= 40
    assert {"butter yellow", "sage green", "chocolate brown", "cobalt blue"} <= set(lex.colors)
    for category in CATEGORIES[1:]:
        assert len(lex.terms(category)) >= 10, category


def test_longest_phrase_wins_and_synonyms_plurals_normalise():
    lex = load_lexicon()
    found = sense_of(
        lex,
        "Butter-Yellow suede, studio lighting in the studio; navy blue STRIPES, gorp core, gray "
        "sage, blacks, neon lights, street style",
    )
    assert found == [
        ("colors", "butter yellow"),
        ("materials", "suede"),
        ("lighting", "studio lighting"),
        ("environments", "studio"),
        ("colors", "navy"),
        ("patterns", "stripes"),
        ("styles", "gorpcore"),
        ("colors", "grey"),
        ("colors", "sage green"),
        ("colors", "black"),
        ("lighting", "neon lights"),
        ("styles", "streetwear"),
    ]


def test_words_inside_other_words_do_not_match():
    lex = load_lexicon()
    assert sense_of(lex, "streetwear redwood tanned blacksmith") == [("styles", "streetwear")]
    assert normalise("  Off_White / Sage-Green ") == "off white sage green"


def test_a_phrase_in_two_categories_is_a_config_error(tmp_path):
    (tmp_path / "colors.toml").write_text('[colors]\n"olive" = "#6b6b2e"\n')
    tables = "\n".join(f'[{c}]\n"x{c}" = []' for c in CATEGORIES[1:])
    (tmp_path / "terms.toml").write_text(tables.replace('"xstyles" = []', '"olive" = []'))
    with pytest.raises(ConfigError, match="olive"):
        load_lexicon(tmp_path)


def test_bad_hex_and_missing_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="missing"):
        load_lexicon(tmp_path)
    (tmp_path / "colors.toml").write_text('[colors]\n"olive" = "green"\n')
    (tmp_path / "terms.toml").write_text("")
    with pytest.raises(ConfigError, match="hex"):
        load_lexicon(tmp_path)


def test_everyday_words_and_garments_load_and_a_bad_list_is_a_config_error(tmp_path):
    lex = load_lexicon()
    assert {"designer", "mods", "jersey"} <= lex.everyday
    assert {"dress", "hoodie", "sneakers"} <= lex.garments <= lex.heads
    assert "sale" in lex.heads - lex.garments  # a shopping noun: modifies a setting, is no fashion context
    (tmp_path / "colors.toml").write_text('[colors]\n"olive" = "#6b6b2e"\n')
    tables = "\n".join(f'[{c}]\n"x{c}" = []' for c in CATEGORIES[1:])
    (tmp_path / "terms.toml").write_text(tables + '\n[everyday]\nwords = "designer"\n')
    with pytest.raises(ConfigError, match=r"\[everyday\] words"):
        load_lexicon(tmp_path)
