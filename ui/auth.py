"""The sign-in gate, called first on Home and on every page (each can be opened directly by URL).

With `[auth]` in .streamlit/secrets.toml (Streamlit's OIDC: `st.login`, `st.user`), a visitor who is not
signed in, or whose e-mail the allow-list in config/access.toml does not name, sees only the sign-in
screen: no page content, no navigation, no sidebar status. Without `[auth]` the app is meant for one
machine (`make run` serves on 127.0.0.1) and the sidebar says so.
"""

from __future__ import annotations

import streamlit as st

from core.access import allowed, load_access
from core.errors import TrendStudioError
from ui.safe_text import md

_HIDE_CHROME = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarNav"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] {display: none !important;}
</style>"""


def auth_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def current_user() -> str | None:
    """The signed-in user's e-mail (None when sign-in is off or nobody is signed in)."""
    if not auth_configured() or not st.user.is_logged_in:
        return None
    return str(st.user.get("email") or st.user.get("sub") or "") or None


def require_sign_in() -> str | None:
    """Stop the page unless the visitor may see it; returns the signed-in e-mail (None without [auth])."""
    if not auth_configured():
        _local_only_notice()
        return None
    if not st.user.is_logged_in:
        _screen("Sign in to use Trend Studio.")
        st.button("Sign in", type="primary", on_click=st.login)
        st.stop()
    email = current_user()
    verified = st.user.get("email_verified") in (True, "true")  # some providers send the string
    try:
        permitted = allowed(load_access(), email, email_verified=verified)
    except TrendStudioError as exc:
        _screen(f"Sign-in is misconfigured; the person who runs this server must fix it: {md(exc)}")
        st.button("Sign out", on_click=st.logout)
        st.stop()
    if not permitted:
        who = md(email) if email else "This account"
        _screen(
            (
                f"{who} is not on this server's allow-list. Ask the person who runs it to add you, or "
                "sign in with another account."
            )
            if verified
            else f"{who}: your identity provider has not verified this e-mail address, so it cannot be "
            "let in. Verify it with the provider, or sign in with another account."
        )
        st.button("Sign out", on_click=st.logout)
        st.stop()
    with st.sidebar:
        st.caption(f"Signed in as **{md(email)}**")
        st.button("Sign out", key="_sign_out", on_click=st.logout)
    return email


def _screen(message: str) -> None:
    st.set_page_config(page_title="Sign in · Trend Studio", page_icon="🧵", layout="centered")
    st.markdown(_HIDE_CHROME, unsafe_allow_html=True)
    st.title("🧵 Trend Studio")
    st.write(message)


def _local_only_notice() -> None:
    address = str(st.get_option("server.address") or "")
    with st.sidebar:
        if address in ("127.0.0.1", "localhost", "::1"):
            st.caption(
                "🔒 Local only: no sign-in is configured, so this server answers on this machine "
                f"({address}) only. See README, *Running for a team*."
            )
        else:
            st.warning(
                "No sign-in is configured ([auth] in .streamlit/secrets.toml) and this server may be "
                "reachable from the network. See README, *Running for a team*."
            )
