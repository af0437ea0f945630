from pathlib import Path

import pytest

from core import PROJECT_ROOT
from core.errors import ConfigError
from core.settings import load_settings


def _config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "settings.toml").write_text(text)
    return tmp_path


def test_precedence_defaults_config_secrets_env(tmp_path):
    cfg = _config(tmp_path, '[groq]\nmodel = "from-config"\n[bfl]\napi_url = "http://cfg"\n')
    s = load_settings(secrets={}, env={}, config_dir=cfg)
    assert s.groq_model == "from-config" and s.bfl_api_url == "http://cfg"
    s = load_settings(secrets={"groq": {"model": "from-secrets"}}, env={}, config_dir=cfg)
    assert s.groq_model == "from-secrets"
    s = load_settings(secrets={"GROQ_MODEL": "flat-secret"}, env={}, config_dir=cfg)
    assert s.groq_model == "flat-secret"
    s = load_settings(
        secrets={"groq": {"model": "from-secrets"}}, env={"GROQ_MODEL": "from-env"}, config_dir=cfg
    )
    assert s.groq_model == "from-env"
    # with nothing anywhere the built-in default applies
    s = load_settings(secrets={}, env={}, config_dir=tmp_path / "missing")
    assert s.groq_model == "openai/gpt-oss-120b"  # Groq production model (llama-3.3-70b shut down 2026-08-16)
    assert s.bfl_api_url == "https://api.bfl.ai"


def test_data_dir_relative_to_project_and_absolute(tmp_path):
    s = load_settings(env={"TRENDSTUDIO_DATA": "out"}, config_dir=tmp_path)
    assert s.data_dir == PROJECT_ROOT / "out"
    s = load_settings(env={"TRENDSTUDIO_DATA": str(tmp_path)}, config_dir=tmp_path)
    assert s.data_dir == tmp_path and s.runs_dir == tmp_path / "runs"


def test_integration_status_and_secrets_never_revealed(tmp_path):
    secret = "gsk_live_abcdef123456"
    s = load_settings(
        secrets={"reddit": {"client_id": "rid", "client_secret": "rsecret"}},
        env={"GROQ_API_KEY": secret},
        config_dir=tmp_path,
    )
    status = {i.name: i for i in s.integrations()}
    assert status["Reddit"].enabled and status["Groq LLM"].enabled
    assert not status["FLUX (BFL)"].enabled and "BFL_API_KEY" in status["FLUX (BFL)"].detail
    text = " ".join(
        [repr(s), str(s), str(s.public()), s.model_dump_json(), *(i.detail for i in s.integrations())]
    )
    for value in (secret, "rsecret"):
        assert value not in text
    assert s.public()["groq_api_key"] == "set"
    assert s.secret("groq_api_key") == secret


def test_reddit_needs_both_id_and_secret(tmp_path):
    s = load_settings(env={"REDDIT_CLIENT_ID": "x"}, config_dir=tmp_path)
    reddit = s.integrations()[0]
    assert not reddit.enabled and "REDDIT_CLIENT_SECRET" in reddit.detail
    assert "REDDIT_CLIENT_ID" not in reddit.detail


def test_keys_in_committed_config_are_refused(tmp_path):
    cfg = _config(tmp_path, '[groq]\napi_key = "gsk_oops"\n')
    with pytest.raises(ConfigError, match="secrets.toml") as err:
        load_settings(env={}, config_dir=cfg)
    assert "gsk_oops" not in str(err.value)


def test_malformed_config_names_the_file(tmp_path):
    cfg = _config(tmp_path, "[groq\nmodel=")
    with pytest.raises(ConfigError, match="settings.toml"):
        load_settings(env={}, config_dir=cfg)
