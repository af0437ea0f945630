"""One place that turns config/*.toml, the environment and a secrets mapping into Settings.

Precedence, lowest to highest: built-in defaults < config/*.toml < secrets mapping (what a page
hands in from `st.secrets`) < environment variables. Secrets are `SecretStr`, so they never show up
in a repr, a log line, an error or a saved report; `Settings.public()` is the display-safe view.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from core import PROJECT_ROOT
from core.errors import ConfigError

CONFIG_DIR = PROJECT_ROOT / "config"
DEFAULT_GROQ_MODEL = "openai/gpt-oss-120b"
DEFAULT_BFL_URL = "https://api.bfl.ai"

# setting name -> (environment variable, secrets section, secrets key)
_SOURCES: dict[str, tuple[str, str, str]] = {
    "reddit_client_id": ("REDDIT_CLIENT_ID", "reddit", "client_id"),
    "reddit_client_secret": ("REDDIT_CLIENT_SECRET", "reddit", "client_secret"),
    "reddit_user_agent": ("REDDIT_USER_AGENT", "reddit", "user_agent"),
    "reddit_api_url": ("REDDIT_API_URL", "reddit", "api_url"),
    "groq_api_key": ("GROQ_API_KEY", "groq", "api_key"),
    "groq_model": ("GROQ_MODEL", "groq", "model"),
    "groq_base_url": ("GROQ_BASE_URL", "groq", "base_url"),
    "bfl_api_key": ("BFL_API_KEY", "bfl", "api_key"),
    "bfl_api_url": ("BFL_API_URL", "bfl", "api_url"),
    "data_dir": ("TRENDSTUDIO_DATA", "app", "data_dir"),
}
_SECRET_FIELDS = {"reddit_client_secret", "groq_api_key", "bfl_api_key", "reddit_client_id"}


class IntegrationStatus(BaseModel):
    """Whether a live integration is on, and if not, what the user has to set."""

    name: str
    enabled: bool
    detail: str


class Settings(BaseModel):
    """Resolved settings; build with `load_settings`, never by hand in pages."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    reddit_client_id: SecretStr | None = None
    reddit_client_secret: SecretStr | None = None
    reddit_user_agent: str = "python:trend-studio:0.1 (by /u/trendstudio)"
    reddit_api_url: str | None = None
    groq_api_key: SecretStr | None = None
    groq_model: str = DEFAULT_GROQ_MODEL
    groq_base_url: str | None = None
    bfl_api_key: SecretStr | None = None
    bfl_api_url: str = DEFAULT_BFL_URL
    data_dir: Path = PROJECT_ROOT / "data"
    config: dict[str, Any] = Field(default_factory=dict)
    """Every config/*.toml file, keyed by file stem (e.g. `config["trends"]`)."""
    user: str | None = None
    """The signed-in user (e-mail) a page is serving, recorded with paid calls and campaign runs."""
    session_dir: Path | None = None
    """A browser session's private folder (uploads); None outside the app (CLI, tests)."""

    @property
    def demo_dir(self) -> Path:
        """Committed-or-generated demo inputs live with the code, not with user outputs."""
        return PROJECT_ROOT / "data" / "demo"

    @property
    def runs_dir(self) -> Path:
        return self.data_dir / "runs"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def uploads_dir(self) -> Path:
        """Where a page saves what a user uploaded: private to the browser session when there is one."""
        return (self.session_dir or self.cache_dir) / "uploads"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def latest_report_path(self) -> Path:
        """The trend report the Studio uses by default (written by every trends run)."""
        return self.data_dir / "trends" / "latest.json"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "trendstudio.duckdb"

    def section(self, name: str) -> dict[str, Any]:
        """A config file's table (empty if the file is absent)."""
        return dict(self.config.get(name, {}))

    def secret(self, name: str) -> str | None:
        """The plain value of a secret, for the one client that needs it."""
        value = getattr(self, name)
        return value.get_secret_value() if isinstance(value, SecretStr) else value

    def integrations(self) -> list[IntegrationStatus]:
        """Which live integrations are on, and why not, without revealing any secret."""
        reddit_ok = bool(self.reddit_client_id and self.reddit_client_secret)
        missing = [
            env
            for env, present in (
                ("REDDIT_CLIENT_ID", self.reddit_client_id),
                ("REDDIT_CLIENT_SECRET", self.reddit_client_secret),
            )
            if not present
        ]
        reddit_detail = (
            f"live crawl on ({_host(self.reddit_api_url) or 'reddit.com'})"
            if reddit_ok
            else f"off: set {' and '.join(missing)}; the demo corpus and file imports still work"
        )
        groq_detail = (
            f"on, model {self.groq_model}"
            + (f" via {_host(self.groq_base_url)}" if self.groq_base_url else "")
            if self.groq_api_key
            else "off: set GROQ_API_KEY; the offline analyzer is used"
        )
        bfl_detail = (
            f"on ({_host(self.bfl_api_url)})"
            if self.bfl_api_key
            else "off: set BFL_API_KEY; procedural backgrounds are used"
        )
        return [
            IntegrationStatus(name="Reddit", enabled=reddit_ok, detail=reddit_detail),
            IntegrationStatus(name="Groq LLM", enabled=bool(self.groq_api_key), detail=groq_detail),
            IntegrationStatus(name="FLUX (BFL)", enabled=bool(self.bfl_api_key), detail=bfl_detail),
        ]

    def public(self) -> dict[str, Any]:
        """A display-safe summary: secrets appear only as 'set' / 'not set'."""
        out: dict[str, Any] = {}
        for name in _SOURCES:
            value = getattr(self, name)
            if name in _SECRET_FIELDS:
                out[name] = "set" if value else "not set"
            else:
                out[name] = str(value) if value is not None else None
        return out


def _host(url: str | None) -> str:
    if not url:
        return ""
    return url.split("://", 1)[-1].split("/", 1)[0]


def load_config(config_dir: Path = CONFIG_DIR) -> dict[str, Any]:
    """Read every config/*.toml (subfolders are loaded by the modules that own them)."""
    merged: dict[str, Any] = {}
    if not config_dir.is_dir():
        return merged
    for path in sorted(config_dir.glob("*.toml")):
        try:
            merged[path.stem] = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path.name} is not valid TOML ({exc}); fix or remove it") from exc
    return merged


def _lookup_secret(secrets: Mapping[str, Any], env_name: str, section: str, key: str) -> Any:
    if env_name in secrets and secrets[env_name] not in ("", None):
        return secrets[env_name]
    table = secrets.get(section)
    if isinstance(table, Mapping) and table.get(key) not in ("", None):
        return table[key]
    return None


def load_settings(
    secrets: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    config_dir: Path = CONFIG_DIR,
) -> Settings:
    """Merge defaults, config/*.toml, a secrets mapping and the environment (highest wins)."""
    env = os.environ if env is None else env
    secrets = secrets or {}
    config = load_config(config_dir)
    values: dict[str, Any] = {"config": config}
    for name, (env_name, section, key) in _SOURCES.items():
        value = config.get("settings", {}).get(section, {}).get(key)
        if name in _SECRET_FIELDS and value not in (None, ""):
            # Keys in a committed config file would leak through git; refuse them loudly.
            raise ConfigError(
                f"config/settings.toml sets {section}.{key}; put secrets in the environment "
                "or .streamlit/secrets.toml instead"
            )
        secret_value = _lookup_secret(secrets, env_name, section, key)
        if secret_value is not None:
            value = secret_value
        if env.get(env_name):
            value = env[env_name]
        if value in (None, ""):
            continue
        if name == "data_dir":
            path = Path(str(value)).expanduser()
            value = path if path.is_absolute() else PROJECT_ROOT / path
        values[name] = str(value) if name != "data_dir" else value
    return Settings(**values)
