"""Who may use a team server: a closed allow-list of e-mail addresses and domains (config/access.toml).

Sign-in itself is Streamlit's OIDC (`[auth]` in .streamlit/secrets.toml); this only decides whether a
signed-in identity is let in. Deny by default: empty lists, a missing file or a misspelt key admit nobody;
only an explicit `allow_all = true` admits every account the identity provider signs in. An address the
provider has not verified is refused, and so is any address with a non-ASCII character (Unicode
look-alikes such as the Kelvin sign would otherwise fold into a listed ASCII address).
`TRENDSTUDIO_ACCESS_FILE` points at an access.toml kept outside the checkout.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ConfigError
from core.settings import CONFIG_DIR

ACCESS_ENV = "TRENDSTUDIO_ACCESS_FILE"


class AccessList(BaseModel):
    """The `[allow]` table; anything else in the file is a configuration error, never ignored."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    allow_all: bool = False
    emails: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)


def _ascii_folded(value: str) -> str | None:
    """The casefolded address or domain, or None when it has any non-ASCII character."""
    value = value.strip()
    return value.casefold() if value.isascii() else None


def is_allowed(
    email: str | None,
    emails: Iterable[str] = (),
    domains: Iterable[str] = (),
    *,
    email_verified: bool = False,
    allow_all: bool = False,
) -> bool:
    """True only for a verified, ASCII address that is listed (or whose domain is), or with `allow_all`."""
    if email_verified is not True:
        return False
    address = _ascii_folded(email or "")
    if not address or address.count("@") != 1:
        return False
    if allow_all:
        return True
    listed = {e for e in map(_ascii_folded, emails) if e}
    listed_domains = {d.lstrip("@") for d in map(_ascii_folded, domains) if d}
    return address in listed or address.rsplit("@", 1)[1] in listed_domains


def parse_access(table: Mapping[str, Any], where: str = "config/access.toml") -> AccessList:
    """The allow-list from an access.toml's contents, or a ConfigError naming what is wrong."""
    unknown = sorted(set(table) - {"allow"})
    if unknown:
        raise ConfigError(f"{where}: unknown table or key {', '.join(unknown)}; only [allow] is read")
    allow = table.get("allow", {})
    if not isinstance(allow, Mapping):
        raise ConfigError(f"{where}: [allow] must be a table")
    try:
        policy = AccessList.model_validate(dict(allow))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'][:1])) or 'allow'}: "
            + ("unknown key" if e["type"] == "extra_forbidden" else e["msg"])
            for e in exc.errors()
        )
        raise ConfigError(
            f"{where} [allow]: {problems} (keys: allow_all = true/false, emails = [...], domains = [...])"
        ) from None
    odd = [v for v in (*policy.emails, *policy.domains) if not v.isascii()]
    if odd:
        raise ConfigError(f"{where} [allow]: {odd[0]!r} has a non-ASCII character; list ASCII addresses only")
    return policy


def load_access(env: Mapping[str, str] | None = None, config_dir: Path = CONFIG_DIR) -> AccessList:
    """config/access.toml (or the file TRENDSTUDIO_ACCESS_FILE names); a missing file admits nobody."""
    env = os.environ if env is None else env
    path = Path(env[ACCESS_ENV]).expanduser() if env.get(ACCESS_ENV) else config_dir / "access.toml"
    where = ACCESS_ENV if env.get(ACCESS_ENV) else "config/access.toml"
    if not path.is_file():
        return AccessList()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{where} is not a readable TOML file ({exc}); fix it") from None
    return parse_access(table, where)


def allowed(policy: AccessList, email: str | None, *, email_verified: bool) -> bool:
    """Whether the signed-in identity may use this server under `policy`."""
    return is_allowed(
        email, policy.emails, policy.domains, email_verified=email_verified, allow_all=policy.allow_all
    )
