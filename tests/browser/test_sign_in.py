"""Sign-in as a person meets it: every page is closed until they sign in with the (fake) identity provider."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from core.access import ACCESS_ENV
from tests.conftest import launch_app
from tests.fakes.oidc import FakeOIDC
from tests.support.browser import assert_no_exception, open_page, wait_idle
from tests.support.shared import free_port

PAGES = {
    "": "The flow",
    "Trend_Explorer": "Trend Explorer",
    "Purchase_Predictor": "Purchase Predictor",
    "Enhancement_Studio": "Enhancement Studio",
    "Batch_Enhancement": "Batch Enhancement",
}


@pytest.fixture(scope="module")
def idp() -> Iterator[FakeOIDC]:
    with FakeOIDC() as server:
        yield server


@pytest.fixture(scope="module")
def signed_app(
    idp: FakeOIDC, demo_dir: Path, _isolated_environment: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The real app with a secrets.toml whose [auth] points at the fake provider."""
    folder = tmp_path_factory.mktemp("auth")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "test-cookie-secret-0f3a9c7d5e1b2a4c6e8f"\n'
        f'client_id = "{idp.client_id}"\n'
        f'client_secret = "{idp.client_secret}"\n'
        f'server_metadata_url = "{idp.url}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    access = folder / "access.toml"  # deny by default: the team's domain is listed
    access.write_text('[allow]\ndomains = ["example.com"]\n', encoding="utf-8")
    env = {**os.environ, ACCESS_ENV: str(access)}
    with launch_app(folder / "streamlit.log", "--secrets.files", str(secrets), port=port, env=env) as url:
        yield url


def _signed_out_screen(page: Page) -> None:
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Sign in to use Trend Studio" in main
    for words in PAGES.values():
        if words != "The flow":
            assert words not in main
    assert "The flow" not in main and "Integrations" not in page.content()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()  # no navigation, no status


def test_signed_out_sees_only_sign_in_on_every_page(page: Page, signed_app: str, tmp_path: Path) -> None:
    for path in PAGES:
        open_page(page, f"{signed_app}/{path}")
        _signed_out_screen(page)
        assert_no_exception(page)
    page.screenshot(path=str(tmp_path / "signed_out.png"))


def test_full_sign_in_flow_against_the_fake_provider(
    page: Page, signed_app: str, idp: FakeOIDC, tmp_path: Path
) -> None:
    open_page(page, f"{signed_app}/Batch_Enhancement")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{idp.url}/authorize*")  # the provider's own sign-in form
    page.get_by_label("E-mail").fill("bo@example.com")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{signed_app}/**")
    page.wait_for_selector('[data-testid="stApp"]')
    wait_idle(page)
    expect(page.get_by_text("The flow")).to_be_visible()  # Home, signed in
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("bo@example.com")).to_be_visible()
    assert "Outputs and caches" not in sidebar.inner_text()  # no server paths on a team server
    assert_no_exception(page)
    assert ("POST", "/token") in idp.requests and ("GET", "/jwks") in idp.requests
    assert idp.issued[-1]["email"] == "bo@example.com" and idp.issued[-1]["nonce"]
    page.screenshot(path=str(tmp_path / "signed_in.png"))

    for path, words in PAGES.items():  # every page by URL now opens (same browser: the cookie)
        _open(page, f"{signed_app}/{path}")
        expect(page.locator('[data-testid="stMain"]').get_by_text(words).first).to_be_visible()
        assert_no_exception(page)

    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    _open(page, f"{signed_app}/Trend_Explorer")
    _signed_out_screen(page)


def _open(page: Page, url: str) -> None:
    """open_page, once more if the app's own client-side navigation aborted the first load."""
    try:
        open_page(page, url)
    except PlaywrightError:
        open_page(page, url)


def test_unlisted_or_unverified_accounts_are_refused(page: Page, signed_app: str, idp: FakeOIDC) -> None:
    for email, verified, words in [
        ("eve@elsewhere.org", True, "is not on this server's allow-list"),
        ("cy@example.com", False, "has not verified this e-mail address"),
    ]:
        idp.email_verified = verified
        try:
            open_page(page, signed_app)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{idp.url}/authorize*")
            page.get_by_label("E-mail").fill(email)
            page.get_by_role("button", name="Continue").click()
            page.wait_for_url(f"{signed_app}/**")
            expect(page.get_by_text(words)).to_be_visible(timeout=30_000)
        finally:
            idp.email_verified = True
        assert "The flow" not in page.locator('[data-testid="stMain"]').inner_text()
        expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)


def test_a_forged_session_cookie_is_not_a_sign_in(page: Page, signed_app: str) -> None:
    page.context.add_cookies(
        [
            {
                "name": "_streamlit_user",
                "value": '{"email": "eve@example.com", "is_logged_in": true}',
                "url": signed_app,
            }
        ]
    )
    open_page(page, signed_app)
    _signed_out_screen(page)


def test_without_auth_the_app_is_local_only_and_says_so(page: Page, app_url: str) -> None:
    open_page(page, app_url)  # conftest starts it as `make run` does without [auth]: on 127.0.0.1
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Local only")).to_be_visible()
    assert "127.0.0.1" in sidebar.inner_text()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
