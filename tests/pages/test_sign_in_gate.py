"""The sign-in gate on each page (AppTest): signed out, not on the allow-list, signed in."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT
from core.access import is_allowed

PAGES = [
    "Home.py",
    *sorted(p.relative_to(PROJECT_ROOT).as_posix() for p in (PROJECT_ROOT / "pages").glob("*.py")),
]
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "c",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def _app(path: str, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / path), default_timeout=90)
    at.secrets["auth"] = AUTH
    at.user = user if user is not None else {"is_logged_in": False}
    return at


@pytest.mark.parametrize("path", PAGES)
def test_signed_out_visitor_sees_only_the_sign_in_button(path: str, demo_dir) -> None:
    at = _app(path).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert [t.value for t in at.title] == ["🧵 Trend Studio"]
    assert len(at.main.children) <= 4 and not at.sidebar.children  # title, message, button, style


def test_a_signed_in_user_not_on_the_allow_list_is_stopped(demo_dir, monkeypatch) -> None:
    monkeypatch.setattr("ui.auth.allowed", lambda settings, email: email == "ana@example.com")
    at = _app("Home.py", {"is_logged_in": True, "email": "eve@elsewhere.org"}).run()
    assert not at.exception
    assert "eve@elsewhere.org is not on this server's allow-list" in at.markdown[1].value
    assert [b.label for b in at.button] == ["Sign out"] and not at.metric

    at = _app("Home.py", {"is_logged_in": True, "email": "ana@example.com"}).run()
    assert not at.exception and at.metric  # the page itself
    assert "ana@example.com" in " ".join(c.value for c in at.sidebar.caption)
    assert "Sign out" in [b.label for b in at.sidebar.button]


def test_without_auth_the_sidebar_says_local_only(demo_dir) -> None:
    at = AppTest.from_file(str(PROJECT_ROOT / "Home.py"), default_timeout=90)
    at.run()
    assert not at.exception and at.metric
    assert not [b for b in at.button if b.label == "Sign in"]
    assert "No sign-in is configured" in at.sidebar.warning[0].value  # AppTest binds no address


def test_allow_list_matches_addresses_and_domains() -> None:
    assert is_allowed("anyone@anywhere.io")  # empty list: everyone the provider signs in
    assert is_allowed("Ana@Example.com", emails=["ana@example.com"])
    assert is_allowed("bo@team.example.com", domains=["@team.example.com"])
    assert not is_allowed("bo@example.com", domains=["team.example.com"])
    assert not is_allowed("mallory@example.com.evil.io", domains=["example.com"])
    assert not is_allowed(None, emails=["ana@example.com"]) and not is_allowed("ana", domains=["ana"])
