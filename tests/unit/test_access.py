"""The allow-list is closed: deny by default, verified ASCII addresses only, a strict access.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.access import ACCESS_ENV, AccessList, allowed, is_allowed, load_access, parse_access
from core.errors import ConfigError

LISTED = {"emails": ["kim@example.com"], "domains": ["team.example.org"]}


def test_empty_lists_and_a_missing_file_admit_nobody(tmp_path: Path) -> None:
    assert not is_allowed("ana@example.com", email_verified=True)
    policy = load_access(env={}, config_dir=tmp_path)  # no access.toml at all
    assert policy == AccessList() and not allowed(policy, "ana@example.com", email_verified=True)
    everyone = parse_access({"allow": {"allow_all": True}})
    assert allowed(everyone, "ana@anywhere.io", email_verified=True)
    assert not allowed(everyone, "ana@anywhere.io", email_verified=False)  # still verified only


def test_the_shipped_file_admits_nobody() -> None:
    policy = load_access(env={})
    assert policy == AccessList(allow_all=False) and not allowed(policy, "a@example.com", email_verified=True)


def test_unverified_email_is_refused() -> None:
    assert is_allowed("kim@example.com", **LISTED, email_verified=True)
    assert not is_allowed("kim@example.com", **LISTED, email_verified=False)
    assert not is_allowed("kim@example.com", **LISTED)  # no claim: refused
    assert not is_allowed("kim@example.com", **LISTED, email_verified="true")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "address",
    [
        "\u212aim@example.com",  # Kelvin sign, casefolds to "k"
        "kim@example.\u0441om",  # Cyrillic es
        "kim@team.example.\u2134rg",
        "kim\u200b@example.com",  # zero-width space
        "ｋim@example.com",  # fullwidth k (NFKC-folds to k)
    ],
)
def test_non_ascii_look_alikes_are_refused(address: str) -> None:
    assert not is_allowed(address, **LISTED, email_verified=True)


def test_ascii_is_compared_after_casefold() -> None:
    assert is_allowed("KIM@Example.COM", **LISTED, email_verified=True)
    assert is_allowed("bo@TEAM.example.org", **LISTED, email_verified=True)
    assert not is_allowed("bo@evil-team.example.org", **LISTED, email_verified=True)
    assert not is_allowed("kim@example.com@evil.io", **LISTED, email_verified=True)


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"allow": {"email": ["a@example.com"]}}, "email: unknown key"),
        ({"allow": {"allow_all": "yes"}}, "allow_all"),
        ({"allow": {"emails": "a@example.com"}}, "emails"),
        ({"allow": {"domains": [1]}}, "domains"),
        ({"allow": {}, "deny": {}}, "unknown table or key deny"),
        ({"allow": ["a@example.com"]}, "[allow] must be a table"),
        ({"allow": {"emails": ["\u212aim@example.com"]}}, "non-ASCII"),
    ],
)
def test_unknown_keys_and_wrong_types_are_configuration_errors(table: dict, words: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_access(table)
    assert words in str(err.value)


def test_the_access_file_can_live_outside_the_checkout(tmp_path: Path) -> None:
    path = tmp_path / "team-access.toml"
    path.write_text('[allow]\ndomains = ["example.com"]\n', encoding="utf-8")
    policy = load_access(env={ACCESS_ENV: str(path)})
    assert allowed(policy, "zoe@example.com", email_verified=True)
    path.write_text("[allow\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"{ACCESS_ENV} is not a readable TOML file"):
        load_access(env={ACCESS_ENV: str(path)})
