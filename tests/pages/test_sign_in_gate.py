"""The sign-in gate on each page (AppTest): signed out, not on the allow-list, signed in."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT
from core.access import ACCESS_ENV, is_allowed

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


def test_a_signed_in_user_not_on_the_allow_list_is_stopped(demo_dir, monkeypatch, tmp_path) -> None:
    access = tmp_path / "access.toml"
    access.write_text('[allow]\nemails = ["ana@example.com"]\n', encoding="utf-8")
    monkeypatch.setenv(ACCESS_ENV, str(access))
    at = _app("Home.py", {"is_logged_in": True, "email": "eve@elsewhere.org", "email_verified": True}).run()
    assert not at.exception
    assert "eve\\@elsewhere\\.org is not on this server's allow-list" in at.markdown[1].value
    assert [b.label for b in at.button] == ["Sign out"] and not at.metric

    at = _app("Home.py", {"is_logged_in": True, "email": "ana@example.com"}).run()  # no email_verified claim
    assert "has not verified this e-mail address" in at.markdown[1].value and not at.metric

    at = _app("Home.py", {"is_logged_in": True, "email": "ana@example.com", "email_verified": True}).run()
    assert not at.exception and at.metric  # the page itself
    assert "ana\\@example\\.com" in " ".join(c.value for c in at.sidebar.caption)
    assert "Sign out" in [b.label for b in at.sidebar.button]


def test_the_shipped_allow_list_admits_nobody(demo_dir, monkeypatch) -> None:
    monkeypatch.delenv(ACCESS_ENV, raising=False)
    at = _app("Home.py", {"is_logged_in": True, "email": "ana@example.com", "email_verified": True}).run()
    assert "is not on this server's allow-list" in at.markdown[1].value and not at.metric


def test_a_misspelt_access_key_is_shown_as_a_configuration_error(demo_dir, monkeypatch, tmp_path) -> None:
    access = tmp_path / "access.toml"
    access.write_text('[allow]\nemail = ["ana@example.com"]\n', encoding="utf-8")
    monkeypatch.setenv(ACCESS_ENV, str(access))
    at = _app("Home.py", {"is_logged_in": True, "email": "ana@example.com", "email_verified": True}).run()
    assert not at.exception and not at.metric
    assert "Sign-in is misconfigured" in at.markdown[1].value and "unknown key" in at.markdown[1].value


def test_without_auth_the_sidebar_says_local_only(demo_dir) -> None:
    at = AppTest.from_file(str(PROJECT_ROOT / "Home.py"), default_timeout=90)
    at.run()
    assert not at.exception and at.metric
    assert not [b for b in at.button if b.label == "Sign in"]
    assert "No sign-in is configured" in at.sidebar.warning[0].value  # AppTest binds no address


def test_allow_list_matches_addresses_and_domains() -> None:
    ok = {"email_verified": True}
    assert not is_allowed("anyone@anywhere.io", **ok)  # empty lists: nobody (deny by default)
    assert is_allowed("anyone@anywhere.io", allow_all=True, **ok)
    assert is_allowed("Ana@Example.com", emails=["ana@example.com"], **ok)
    assert is_allowed("bo@team.example.com", domains=["@team.example.com"], **ok)
    assert not is_allowed("bo@example.com", domains=["team.example.com"], **ok)
    assert not is_allowed("mallory@example.com.evil.io", domains=["example.com"], **ok)
    assert not is_allowed(None, emails=["ana@example.com"], **ok) and not is_allowed(
        "ana", domains=["ana"], **ok
    )
