"""Who may use a team server: an optional allow-list of e-mail addresses and domains (config/access.toml).

Sign-in itself is Streamlit's OIDC (`[auth]` in .streamlit/secrets.toml); this only decides whether a
signed-in identity is let in. Empty lists let in everyone the identity provider signs in.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.settings import Settings


def is_allowed(email: str | None, emails: Iterable[str] = (), domains: Iterable[str] = ()) -> bool:
    """True when the allow-list is empty, or lists this address or its domain (case-insensitive)."""
    emails = {e.strip().lower() for e in emails if e.strip()}
    domains = {d.strip().lower().lstrip("@") for d in domains if d.strip()}
    if not emails and not domains:
        return True
    address = (email or "").strip().lower()
    if "@" not in address:
        return False
    return address in emails or address.rsplit("@", 1)[1] in domains


def allowed(settings: Settings, email: str | None) -> bool:
    """The allow-list from config/access.toml [allow] emails/domains."""
    table = settings.section("access").get("allow") or {}
    return is_allowed(email, table.get("emails") or [], table.get("domains") or [])
